import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PASSWORD } from './support/api-client.ts';
import {
  type Deployment,
  decisionsOf,
  overviewOf,
  planDevices,
  postWithRetry,
  type ScenarioApp,
  sendScenario,
  settledOverview,
  setUpApp,
  startNetwork,
} from './support/attribution-scenario.ts';
import { freePort } from './support/child-server.ts';
import { type ServerProcess, spawnServer, startServer, stopServer } from './support/processes.ts';
import { probeScaleOutServices, servicesRequired, startScaleOutServices } from './support/scale-out-services.ts';
import { eventually } from './support/test-platform.ts';

// `unmogrowp migrate-data`: an embedded installation filled through the public routes is moved,
// twice, into a throwaway PostgreSQL database, the ClickHouse stand-in and a Redis prefix. The
// scale-out roles then answer the same analytics, accept the old password and the old access
// token, and call the old event ids duplicates.
const DEVICES = 16;
const availability = await probeScaleOutServices();
// Skipped only when a service is absent and REQUIRE_SERVICES is unset; CI sets it, so there an absent service fails.
const suite = availability.available || servicesRequired() ? describe : describe.skip;
if (!availability.available) console.warn(`[skip] migrate-data: ${availability.reason}`);

suite('migrate-data: embedded installation → PostgreSQL, ClickHouse, Redis', () => {
  if (!availability.available) {
    it('needs PostgreSQL, Redis and NATS (REQUIRE_SERVICES=1)', () => {
      throw new Error((availability as { reason: string }).reason);
    });
    return;
  }
  let services: Awaited<ReturnType<typeof startScaleOutServices>>;
  let network: Awaited<ReturnType<typeof startNetwork>>;
  let embeddedDir: string;
  let embedded: ServerProcess | undefined;
  let scaleOut: ServerProcess | undefined;
  let app: ScenarioApp;
  let before: { overview: Record<string, unknown>; decisions: Map<string, unknown> };
  const plan = planDevices(DEVICES, Date.now() - 30 * 60_000);

  const migrate = async (extraEnv: Record<string, string> = {}) => {
    const p = spawnServer('migrate-data', { ...services.env, LOG_LEVEL: 'warn', ...extraEnv }, '', ['migrate-data', '--from', embeddedDir]);
    const code = await p.exited;
    const lines = p.output().trim().split('\n');
    const summary = lines.filter((l) => l.startsWith('{')).pop();
    return { code, output: p.output(), summary: summary ? JSON.parse(summary) : null };
  };

  beforeAll(async () => {
    services = await startScaleOutServices();
    network = await startNetwork();
    embeddedDir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-migrate-from-'));
    const [ingestPort, apiPort] = [await freePort(), await freePort()];
    embedded = await startServer(
      'embedded',
      {
        DATA_DIR: embeddedDir,
        INGEST_PORT: String(ingestPort),
        API_PORT: String(apiPort),
        LOG_LEVEL: 'warn',
        POSTBACK_ALLOWED_CIDRS: '127.0.0.0/8',
      },
      `http://127.0.0.1:${ingestPort}`,
    );
    const one: Deployment = { apiUrl: `http://127.0.0.1:${apiPort}`, ingestUrls: [embedded.url] };
    app = await setUpApp(one, network.url);
    await sendScenario(one, app, plan, 4);
    const overview = await settledOverview(app, plan, 20_000);
    before = { overview, decisions: (await decisionsOf(app)).byDevice };
  }, 180_000);

  afterAll(async () => {
    for (const p of [embedded, scaleOut]) if (p) await stopServer(p);
    await network?.close();
    await services?.close();
    if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
  }, 60_000);

  it('refuses while the embedded installation runs', async () => {
    const run = await migrate();
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/in use by process \d+/);
    await stopServer(embedded!);
    embedded = undefined;
  }, 60_000);

  it('copies everything; a second run changes nothing; progress on stderr', async () => {
    const first = await migrate();
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/control: users\s+\[#+\] 1\/1 done/);
    expect(first.summary.control).toMatchObject({ users: 1, apps: 1, links: 2, partners: 1 });
    expect(first.summary.control.audit_log).toBeGreaterThan(0);
    expect(first.summary.control.postbacks).toBeGreaterThan(0);
    expect(first.summary.events.inserted).toMatchObject({ events: DEVICES * 4, installs: DEVICES });
    expect(first.summary.signingKey).toBe('copied');
    // Every event id and every click id: a network's retry of a click stays a duplicate after the move.
    expect(first.summary.redis.dedupeIds).toBe(DEVICES * 4 + plan.filter((d) => d.click).length);

    const second = await migrate();
    expect(second.code, second.output).toBe(0);
    expect(second.summary.control).toEqual(first.summary.control);
    expect(second.summary.signingKey).toBe('present');
    expect(second.summary.events.read).toEqual(first.summary.events.read);
    for (const [table, n] of Object.entries(second.summary.events.inserted)) {
      if (table !== 'costs') expect(n, table).toBe(0);
    }
  }, 120_000);

  it('the scale-out roles answer as the embedded one did: analytics, old password and token, old ids duplicates', async () => {
    const [ingestPort, apiPort, workerPort] = [await freePort(), await freePort(), await freePort()];
    const dataDir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-migrate-to-'));
    scaleOut = await startServer(
      'scale-out',
      {
        ...services.env,
        ROLE: 'all',
        DATA_DIR: dataDir,
        INGEST_PORT: String(ingestPort),
        API_PORT: String(apiPort),
        WORKER_PORT: String(workerPort),
        NATS_PARTITIONS: '2',
        LOG_LEVEL: 'warn',
        POSTBACK_ALLOWED_CIDRS: '127.0.0.0/8',
      },
      `http://127.0.0.1:${apiPort}`,
    );
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    // The old password signs in; the access token the embedded installation issued still works.
    const login = await call(apiUrl, 'POST', '/api/auth/login', { body: { email: 'ops@example.com', password: PASSWORD } });
    expect(login.status).toBe(200);
    const moved: ScenarioApp = { ...app, api: scaleOutApi(apiUrl, app.token) };
    const { from: _f, to: _t, ...expected } = before.overview;
    const { from: _f2, to: _t2, ...overview } = await overviewOf(moved);
    expect(overview).toEqual(expected);
    expect(Object.fromEntries((await decisionsOf(moved)).byDevice)).toEqual(Object.fromEntries(before.decisions));

    // Every old event id is a duplicate at the scale-out ingest, and nothing is counted twice.
    const d: Deployment = { apiUrl, ingestUrls: [`http://127.0.0.1:${ingestPort}`] };
    for (const [i, p] of plan.slice(0, 4).entries()) {
      const install = await postWithRetry(d, '/v1/events', p.install, { 'x-api-key': app.sdkKey }, i);
      expect(install).toMatchObject({ accepted: 0, duplicates: 1 });
      const batch = await postWithRetry(d, '/v1/events/batch', { events: p.purchases }, { 'x-api-key': app.sdkKey }, i);
      expect(batch).toMatchObject({ accepted: 0, duplicates: p.purchases.length });
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect((await overviewOf(moved)).total_events).toBe(DEVICES * 4);
    await rm(dataDir, { recursive: true, force: true });
  }, 150_000);
});

function scaleOutApi(apiUrl: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await call(apiUrl, method, path, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
}
