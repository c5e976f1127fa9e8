import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@unmogrowp/config';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRoles, startScaleOut } from '../src/roles/scale-out.ts';
import { probeScaleOutServices, servicesRequired, startScaleOutServices } from './support/scale-out-services.ts';

// Each role alone, in-process, on the services: only its own listener, and /ready names only its
// own dependencies.
const availability = await probeScaleOutServices();
// Skipped only when a service is absent and REQUIRE_SERVICES is unset; CI sets it, so there an absent service fails.
const suite = availability.available || servicesRequired() ? describe : describe.skip;
if (!availability.available) console.warn(`[skip] roles: ${availability.reason}`);

suite('each role serves its own listener and readiness', () => {
  if (!availability.available) {
    it('needs PostgreSQL, Redis and NATS (REQUIRE_SERVICES=1)', () => {
      throw new Error(availability.reason);
    });
    return;
  }
  let services: Awaited<ReturnType<typeof startScaleOutServices>>;
  let dir: string;
  const running: RunningRoles[] = [];
  beforeAll(async () => {
    services = await startScaleOutServices();
    dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-roles-'));
  }, 60_000);
  afterAll(async () => {
    for (const r of running) await r.close();
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
      // A small stream: the shared test server's JetStream storage is reserved per stream (default 10 GiB).
      NATS_MAX_BYTES: String(16 * 2 ** 20),
      LOG_LEVEL: 'silent',
    });
    const r = await startScaleOut(config, pino({ level: 'silent' }));
    running.push(r);
    return r;
  };
  const ready = async (url: string) => (await fetch(`${url}/ready`)).json() as Promise<{ status: string; checks: string[] }>;

  it.each([
    // REDIS_URL is set: the api keeps its sign-in and registration limits there, shared.
    ['api', 'apiUrl', ['control_store', 'redis', 'event_store']],
    ['ingest', 'ingestUrl', ['control_store', 'redis', 'event_log']],
    ['worker', 'workerUrl', ['control_store', 'redis', 'event_log', 'event_store', 'pipeline']],
  ] as const)(
    'ROLE=%s',
    async (role, urlKey, checks) => {
      const r = await start(role);
      expect(r.roles).toEqual([role]);
      for (const key of ['apiUrl', 'ingestUrl', 'workerUrl'] as const) expect(r[key] === undefined).toBe(key !== urlKey);
      const url = r[urlKey]!;
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect(await ready(url)).toEqual({ status: 'ready', checks });
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('unmogrowp_http_request_duration_seconds');
    },
    60_000,
  );
});
