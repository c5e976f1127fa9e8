import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openRedis } from '@unmogrowp/storage';
import { deleteStreams, NATS_TEST_URL, probeNats, TEST_MAX_BYTES, uniquePrefix } from '../../../pipeline/test/support/nats.ts';
import { startDevClickHouse } from '../../../storage/src/events/dev-clickhouse/index.ts';
import { createThrowawayDatabase, probePostgres, servicesRequired } from '../../../storage/test/support/postgres.ts';
import { probeRedis, REDIS_TEST_URL } from '../../../storage/test/support/redis.ts';

export type Availability = { available: true } | { available: false; reason: string };

/** PostgreSQL, Redis and NATS all answer (the ClickHouse stand-in is started here, over chDB). */
export async function probeScaleOutServices(): Promise<Availability> {
  for (const probe of [probePostgres(), probeRedis(), probeNats()]) {
    const answer = await probe;
    if (!answer.available) return answer;
  }
  return { available: true };
}

export { servicesRequired };

/**
 * The services of one scale-out deployment, private to one test run: a throwaway PostgreSQL
 * database, a Redis key prefix, a NATS stream prefix, and a ClickHouse stand-in on its own data
 * directory. `env` is what every role process gets; `close` removes all of it.
 */
export async function startScaleOutServices() {
  const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-scaleout-'));
  const db = await createThrowawayDatabase();
  const clickhouse = await startDevClickHouse({ dataDir: path.join(dir, 'clickhouse') });
  const redisPrefix = `unmogrowp_test_${randomBytes(5).toString('hex')}`;
  const natsPrefix = uniquePrefix('so');
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL: REDIS_TEST_URL,
    NATS_URL: NATS_TEST_URL,
    CLICKHOUSE_URL: clickhouse.url,
    REDIS_PREFIX: redisPrefix,
    NATS_PREFIX: natsPrefix,
    // A stream's max_bytes is reserved on the shared server: the 10 GiB default would use it up.
    NATS_MAX_BYTES: String(TEST_MAX_BYTES),
    // The tests' ad networks listen on loopback, which postbacks refuse unless allowed.
    POSTBACK_ALLOWED_CIDRS: '127.0.0.0/8',
    HOST: '127.0.0.1',
  };
  let clickhouseUp = true;
  /** Stops the ClickHouse stand-in (an outage, for tests of what the roles report); `close` does it too. */
  const stopClickHouse = async () => {
    if (!clickhouseUp) return;
    clickhouseUp = false;
    await clickhouse.close();
  };
  return {
    env,
    dir,
    stopClickHouse,
    async close() {
      await deleteStreams(NATS_TEST_URL, natsPrefix).catch(() => {});
      const redis = openRedis(REDIS_TEST_URL, { prefix: redisPrefix });
      let cursor = '0';
      do {
        const [next, keys] = await redis.client.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.client.del(...keys);
      } while (cursor !== '0');
      await redis.close();
      await stopClickHouse();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
