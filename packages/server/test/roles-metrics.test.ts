import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@unmogrowp/config';
import { createApp, createLink, openControlStore, openRedis } from '@unmogrowp/storage';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL } from '../../storage/test/support/redis.ts';
import { createMetrics } from '../src/ops/metrics.ts';
import { countRedisErrors } from '../src/ops/store-error-counting.ts';
import { type RunningRoles, startScaleOut } from '../src/roles/scale-out.ts';
import { probeScaleOutServices, servicesRequired, startScaleOutServices } from './support/scale-out-services.ts';
import { eventually, post } from './support/test-platform.ts';

// The scale-out roles' /metrics on the real services: the worker's consumer backlog, attribution
// state sizes and lag; store errors counted where the adapters are opened; and every metric the
// worker dashboard plots is one a worker exposes.
const availability = await probeScaleOutServices();
// Skipped only when a service is absent and REQUIRE_SERVICES is unset; CI sets it, so there an absent service fails.
const suite = availability.available || servicesRequired() ? describe : describe.skip;
if (!availability.available) console.warn(`[skip] roles-metrics: ${availability.reason}`);

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The value of one series of a Prometheus text exposition, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = Object.entries(labels).every(([k, v]) => (match[2] ?? '').includes(`${k}="${v}"`));
    if (has) return Number(match[3]);
  }
  return undefined;
}

const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();

suite('scale-out role metrics', () => {
  if (!availability.available) {
    it('needs PostgreSQL, Redis and NATS (REQUIRE_SERVICES=1)', () => {
      throw new Error(availability.reason);
    });
    return;
  }
  let services: Awaited<ReturnType<typeof startScaleOutServices>>;
  let dir: string;
  const running: RunningRoles[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    services = await startScaleOutServices();
    dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-role-metrics-'));
  }, 60_000);
  afterAll(async () => {
    for (const r of running) await r.close();
    for (const close of closers) await close().catch(() => {});
    await services?.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  const start = async (role: string) => {
    const config = loadConfig({
      ...services.env,
      ROLE: role,
      DATA_DIR: dir,
      INGEST_PORT: '0',
      API_PORT: '0',
      WORKER_PORT: '0',
      NATS_PARTITIONS: '2',
      PARTITION_LEASE_SECONDS: '2',
      // A small stream: the shared test server's JetStream storage is reserved per stream.
      NATS_MAX_BYTES: String(16 * 2 ** 20),
      LOG_LEVEL: 'silent',
    });
    const r = await startScaleOut(config, pino({ level: 'silent' }));
    running.push(r);
    return r;
  };

  it('the worker reports its consumers, sizes and lag; ClickHouse errors are counted; the worker dashboard plots only exposed metrics', async () => {
    const worker = await start('worker');
    const ingest = await start('ingest');
    const api = await start('api');
    const control = await openControlStore({ dataDir: dir, databaseUrl: services.env.DATABASE_URL! });
    closers.push(() => control.close());
    const { app, server_key: serverKey, sdk_key: sdkKey } = await createApp(control, { name: 'Metrics', platforms: ['android'] });
    const link = (await createLink(control, app.id, { name: 'Net', media_source: 'net_ads', campaign: 'c' }))!;
    const gaid = '5f1c2b3a-1111-4a4a-8b8b-0123456789ab';
    const click = await post(
      `${ingest.ingestUrl}/v1/clicks`,
      { link_id: link.id, click_id: 'c-1', ip: '10.1.2.3', advertising_id: gaid, timestamp: new Date(Date.now() - 60_000).toISOString() },
      { 'x-api-key': serverKey },
    );
    expect(click.status).toBe(202);
    const install = await post(
      `${ingest.ingestUrl}/v1/events`,
      {
        event_id: 'install-1',
        type: 'install',
        timestamp: new Date().toISOString(),
        device: { id: 'phone-1', platform: 'android', os_version: '14', advertising_id: gaid },
      },
      { 'x-api-key': sdkKey },
    );
    expect(install.status).toBe(202);

    // Once the worker holds both partitions and stored the install: a series per durable consumer.
    const consumers = [`${services.env.NATS_PREFIX}_p0`, `${services.env.NATS_PREFIX}_p1`];
    const text = await eventually(async () => {
      const t = await scrape(worker.workerUrl!);
      expect(sample(t, 'unmogrowp_attribution_decisions_total', { status: 'attributed' })).toBe(1);
      expect(sample(t, 'unmogrowp_pipeline_lag_records')).toBe(0);
      for (const consumer of consumers) {
        expect(sample(t, 'unmogrowp_jetstream_consumer_pending_messages', { consumer })).toBe(0);
        expect(sample(t, 'unmogrowp_jetstream_consumer_ack_pending_messages', { consumer })).toBe(0);
      }
      return t;
    }, 20_000);
    expect(sample(text, 'unmogrowp_touchpoint_index_entries')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'unmogrowp_device_registry_devices')).toBe(1);
    expect(sample(text, 'unmogrowp_dedupe_keys')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'unmogrowp_store_errors_total', { store: 'clickhouse' })).toBeUndefined();

    // Every metric the worker dashboard plots is exposed by a worker (Prometheus's own `up` aside).
    const dashboard = await readFile(path.join(ROOT, 'deploy/grafana/dashboards/unmogrowp-worker.json'), 'utf8');
    const plotted = new Set([...dashboard.matchAll(/\b((?:unmogrowp|process|nodejs)_\w+)/g)].map((m) => m[1]!));
    expect(plotted.size).toBeGreaterThan(10);
    const exposed = new Set(
      [...text.matchAll(/^# TYPE (\w+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [name!, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!],
      ),
    );
    expect([...plotted].filter((name) => !exposed.has(name))).toEqual([]);

    // The api role counts refused sign-ins and answers the System screen from its own sampler.
    const email = 'ops-admin@example.com';
    const password = 'a long enough passphrase';
    expect((await post(`${api.apiUrl}/api/auth/register`, { email, password, name: 'Ops' })).status).toBe(201);
    expect((await post(`${api.apiUrl}/api/auth/login`, { email, password: `${password}!` })).status).toBe(401);
    expect(sample(await scrape(api.apiUrl!), 'unmogrowp_login_failures_total', { reason: 'bad_credentials' })).toBe(1);
    const { body: session } = await post(`${api.apiUrl}/api/auth/login`, { email, password });
    const system = await fetch(`${api.apiUrl}/api/admin/system`, { headers: { authorization: `Bearer ${session.access_token}` } });
    expect(system.status).toBe(200);
    expect(((await system.json()) as { role: string }).role).toBe('api');

    // ClickHouse goes away: the worker's batch (its look-up of stored rows first) and the api's
    // readiness ping fail, and each role counts them.
    await services.stopClickHouse();
    const later = await post(
      `${ingest.ingestUrl}/v1/clicks`,
      { link_id: link.id, click_id: 'c-2', ip: '10.1.2.4', timestamp: new Date().toISOString() },
      { 'x-api-key': serverKey },
    );
    expect(later.status).toBe(202);
    await eventually(async () => {
      expect(sample(await scrape(worker.workerUrl!), 'unmogrowp_store_errors_total', { store: 'clickhouse' })).toBeGreaterThanOrEqual(1);
    }, 15_000);
    expect((await fetch(`${api.apiUrl}/ready`)).status).toBe(503);
    expect(sample(await scrape(api.apiUrl!), 'unmogrowp_store_errors_total', { store: 'clickhouse', op: 'read' })).toBeGreaterThanOrEqual(
      1,
    );
    // The worker's backlog now shows in its lag.
    await eventually(async () => {
      expect(sample(await scrape(worker.workerUrl!), 'unmogrowp_pipeline_lag_records')).toBeGreaterThanOrEqual(1);
    }, 5_000);
  }, 60_000);

  it('failed Redis commands are counted by kind, pipelined ones included', async () => {
    const metrics = createMetrics();
    const redis = countRedisErrors(openRedis(REDIS_TEST_URL, { prefix: services.env.REDIS_PREFIX }), metrics);
    closers.push(() => redis.close());
    const key = `${services.env.REDIS_PREFIX}:metrics-hash`;
    await redis.client.hset(key, 'f', '1');
    // Both issued in one tick: auto-pipelined into one write.
    const results = await Promise.allSettled([redis.client.get(key), redis.client.incr(key)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await redis.client.hget(key, 'f');
    const text = await metrics.registry.metrics();
    expect(sample(text, 'unmogrowp_store_errors_total', { store: 'redis', op: 'read' })).toBe(1);
    expect(sample(text, 'unmogrowp_store_errors_total', { store: 'redis', op: 'write' })).toBe(1);
  });
});
