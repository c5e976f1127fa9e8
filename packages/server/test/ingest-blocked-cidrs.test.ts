import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@unmogrowp/config';
import { createApp, createLink, openControlStore, openRedis, RedisTouchpointIndex, type SqlDb } from '@unmogrowp/storage';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL } from '../../storage/test/support/redis.ts';
import { type RunningRoles, startScaleOut } from '../src/roles/scale-out.ts';
import { probeScaleOutServices, servicesRequired, startScaleOutServices } from './support/scale-out-services.ts';
import { post } from './support/test-platform.ts';

// The operator's BLOCKED_CIDRS in the scale-out ingest: workers do not judge touches again, so a
// click from a blocked range must be refused its place in the touchpoint index right there.
const availability = await probeScaleOutServices();
// Skipped only when a service is absent and REQUIRE_SERVICES is unset; CI sets it, so there an absent service fails.
const suite = availability.available || servicesRequired() ? describe : describe.skip;
// Skipped only without the services and without REQUIRE_SERVICES=1 (CI sets it, and then fails).
if (!availability.available) console.warn(`[skip] ingest blocked ranges: ${availability.reason}`);

suite('the scale-out ingest applies BLOCKED_CIDRS to touches', () => {
  if (!availability.available) {
    it('needs PostgreSQL, Redis and NATS (REQUIRE_SERVICES=1)', () => {
      throw new Error(availability.reason);
    });
    return;
  }
  let services: Awaited<ReturnType<typeof startScaleOutServices>>;
  let dir: string;
  let ingest: RunningRoles;
  let control: SqlDb;

  beforeAll(async () => {
    services = await startScaleOutServices();
    dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-blocked-'));
    const config = loadConfig({
      ...services.env,
      ROLE: 'ingest',
      INGEST_PORT: '0',
      DATA_DIR: dir,
      NATS_PARTITIONS: '2',
      BLOCKED_CIDRS: '10.9.0.0/16',
      LOG_LEVEL: 'silent',
    });
    ingest = await startScaleOut(config, pino({ level: 'silent' }));
    control = await openControlStore({ dataDir: dir, databaseUrl: config.databaseUrl });
  }, 60_000);
  afterAll(async () => {
    await ingest?.close();
    await control?.close();
    await services?.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('a click from a blocked range is accepted but never indexed; one from elsewhere is', async () => {
    const { app, server_key: serverKey } = await createApp(control, { name: 'Blocked', platforms: ['ios'] });
    const link = (await createLink(control, app.id, { name: 'Meta', media_source: 'meta_ads', campaign: 'spring' }))!;
    const click = (ip: string) =>
      post(`${ingest.ingestUrl}/v1/clicks`, { link_id: link.id, ip, timestamp: new Date().toISOString() }, { 'x-api-key': serverKey });
    const blocked = await click('10.9.8.7');
    const kept = await click('192.0.2.44');
    expect([blocked.status, kept.status]).toEqual([202, 202]);
    const redis = openRedis(REDIS_TEST_URL, { prefix: services.env['REDIS_PREFIX']! });
    try {
      const index = await RedisTouchpointIndex.open(redis);
      expect(await index.byClickId(app.id, blocked.body.click_id)).toBeNull();
      expect(await index.byClickId(app.id, kept.body.click_id)).not.toBeNull();
    } finally {
      await redis.close();
    }
  }, 60_000);
});
