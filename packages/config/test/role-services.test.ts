import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { isScaleOut } from '../src/role-services.ts';

const PG = 'postgres://u@db:5432/x';
const REDIS = 'redis://cache:6379';
const NATS = 'nats://stream:4222';
const CH = 'http://ch:8123';

describe('services each role needs', () => {
  it.each([
    ['ingest', { DATABASE_URL: PG, REDIS_URL: REDIS }, 'NATS_URL'],
    ['ingest', { REDIS_URL: REDIS, NATS_URL: NATS }, 'DATABASE_URL'],
    ['ingest', { DATABASE_URL: PG, NATS_URL: NATS }, 'REDIS_URL'],
    ['worker', { DATABASE_URL: PG, REDIS_URL: REDIS, NATS_URL: NATS }, 'CLICKHOUSE_URL'],
    ['worker', { DATABASE_URL: PG, CLICKHOUSE_URL: CH, NATS_URL: NATS }, 'REDIS_URL'],
    ['api', { DATABASE_URL: PG }, 'CLICKHOUSE_URL'],
    ['api', { CLICKHOUSE_URL: CH }, 'DATABASE_URL'],
    ['all', { NATS_URL: NATS, REDIS_URL: REDIS, DATABASE_URL: PG }, 'CLICKHOUSE_URL'],
    ['all', { REDIS_URL: REDIS }, 'DATABASE_URL'],
  ])('ROLE=%s with %o stops naming %s', (role, env, variable) => {
    let error: unknown;
    try {
      loadConfig({ ROLE: role, ...env });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toMatch(new RegExp(`^${variable}: ROLE=${role}`));
    expect((error as Error).message).not.toContain('\n');
  });

  it('starts each role with exactly what it needs', () => {
    expect(loadConfig({ ROLE: 'ingest', DATABASE_URL: PG, REDIS_URL: REDIS, NATS_URL: NATS }).role).toBe('ingest');
    expect(loadConfig({ ROLE: 'worker', DATABASE_URL: PG, REDIS_URL: REDIS, NATS_URL: NATS, CLICKHOUSE_URL: CH }).role).toBe('worker');
    expect(loadConfig({ ROLE: 'api', DATABASE_URL: PG, CLICKHOUSE_URL: CH }).role).toBe('api');
  });

  it('ROLE=all without NATS_URL and REDIS_URL is the embedded profile, PostgreSQL and ClickHouse allowed', () => {
    for (const env of [{}, { DATABASE_URL: PG }, { CLICKHOUSE_URL: CH }]) expect(isScaleOut(loadConfig(env))).toBe(false);
    expect(isScaleOut(loadConfig({ NATS_URL: NATS, REDIS_URL: REDIS, DATABASE_URL: PG, CLICKHOUSE_URL: CH }))).toBe(true);
  });

  it('has the scale-out defaults, and checks them', () => {
    expect(loadConfig({})).toMatchObject({
      workerPort: 8082,
      natsPrefix: 'unmogrowp',
      natsPartitions: 16,
      natsReplicas: 1,
      redisPrefix: 'unmogrowp',
      partitionLeaseSeconds: 15,
    });
    expect(() => loadConfig({ NATS_PREFIX: 'a.b' })).toThrow(/^NATS_PREFIX: /);
    expect(() => loadConfig({ REDIS_PREFIX: '' })).toThrow(/^REDIS_PREFIX: /);
    expect(() => loadConfig({ NATS_PARTITIONS: '0' })).toThrow(/^NATS_PARTITIONS: must be an integer 1-1024/);
    expect(() => loadConfig({ NATS_REPLICAS: '7' })).toThrow(/^NATS_REPLICAS: /);
    expect(() => loadConfig({ WORKER_PORT: 'x' })).toThrow(/^WORKER_PORT: /);
    expect(() => loadConfig({ NATS_MAX_BYTES: '10' })).toThrow(/^NATS_MAX_BYTES: /);
    expect(() => loadConfig({ PARTITION_LEASE_SECONDS: '1' })).toThrow(/^PARTITION_LEASE_SECONDS: /);
  });
});
