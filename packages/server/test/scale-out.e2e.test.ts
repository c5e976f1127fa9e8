import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Deployment,
  decisionsOf,
  overviewOf,
  planDevices,
  postbackKeys,
  type ScenarioApp,
  sendScenario,
  settledOverview,
  setUpApp,
  startNetwork,
} from './support/attribution-scenario.ts';
import { freePort } from './support/child-server.ts';
import { killHard, restartServer, type ServerProcess, startServer, stopServer } from './support/processes.ts';
import { probeScaleOutServices, servicesRequired, startScaleOutServices } from './support/scale-out-services.ts';
import { eventually } from './support/test-platform.ts';

// The scale-out profile as separate processes: 2 ingest + 2 worker + 1 api on PostgreSQL, Redis,
// NATS JetStream and the ClickHouse stand-in. One worker and one ingest are killed with -9 in the
// middle of the traffic and restarted; afterwards every count is exact, each device has one
// install decision, the decisions equal those of the embedded profile on the same input, and
// each postback reached the network once.
const DEVICES = 45;
const availability = await probeScaleOutServices();

// Skipped only when a service is absent and REQUIRE_SERVICES is unset; CI sets it, so there an absent service fails.
const suite = availability.available || servicesRequired() ? describe : describe.skip;
if (!availability.available) console.warn(`[skip] scale-out end to end: ${availability.reason}`);

suite('scale-out profile end to end (separate processes)', () => {
  if (!availability.available && servicesRequired()) {
    it('needs PostgreSQL, Redis and NATS (REQUIRE_SERVICES=1)', () => {
      throw new Error(availability.reason);
    });
    return;
  }
  let services: Awaited<ReturnType<typeof startScaleOutServices>>;
  let network: Awaited<ReturnType<typeof startNetwork>>;
  let embeddedNetwork: Awaited<ReturnType<typeof startNetwork>>;
  const processes: ServerProcess[] = [];
  const dirs: string[] = [];
  const plan = planDevices(DEVICES, Date.now() - 30 * 60_000);

  const role = async (name: string, role: 'ingest' | 'worker' | 'api', extra: Record<string, string> = {}) => {
    const port = await freePort();
    const dir = await mkdtemp(path.join(tmpdir(), `unmogrowp-${name}-`));
    dirs.push(dir);
    const portVar = { ingest: 'INGEST_PORT', worker: 'WORKER_PORT', api: 'API_PORT' }[role];
    const env = {
      ...services.env,
      ROLE: role,
      DATA_DIR: dir,
      [portVar]: String(port),
      NATS_PARTITIONS: '8',
      PARTITION_LEASE_SECONDS: '2',
      LOG_LEVEL: 'warn',
      POSTBACK_ALLOWED_CIDRS: '127.0.0.0/8',
      ...extra,
    };
    const p = await startServer(name, env, `http://127.0.0.1:${port}`);
    processes.push(p);
    return p;
  };

  let embedded: ServerProcess;
  let embeddedApi: string;
  beforeAll(async () => {
    services = await startScaleOutServices();
    network = await startNetwork();
    embeddedNetwork = await startNetwork();
    // The embedded profile, for comparison, started first so its start does not compete with the roles'.
    const embeddedDir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-embedded-'));
    dirs.push(embeddedDir);
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
    processes.push(embedded);
    embeddedApi = `http://127.0.0.1:${apiPort}`;
  }, 150_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => stopServer(p)));
    await network?.close();
    await embeddedNetwork?.close();
    await services?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }, 60_000);

  it('2 ingest + 2 worker + 1 api survive kill -9 of a worker and an ingest: exact counts, one decision per device, same as embedded, postbacks once', async () => {
    // The api first: it migrates the control database and creates the shared signing key.
    const api = await role('api', 'api');
    const [ingestA, ingestB, workerA, workerB] = await Promise.all([
      role('ingest-a', 'ingest'),
      role('ingest-b', 'ingest'),
      role('worker-a', 'worker'),
      role('worker-b', 'worker'),
    ]);
    for (const p of [ingestA, ingestB, workerA, workerB]) {
      const ready = (await fetch(`${p.url}/ready`).then((r) => r.json())) as { status: string };
      expect(ready.status).toBe('ready');
      expect((await fetch(`${p.url}/metrics`)).status).toBe(200);
    }
    const scaleOut: Deployment = { apiUrl: api.url, ingestUrls: [ingestA.url, ingestB.url] };
    const app: ScenarioApp = await setUpApp(scaleOut, network.url);

    let killed = false;
    let restarted: Promise<void> = Promise.resolve();
    await sendScenario(scaleOut, app, plan, 6, async (done) => {
      if (killed || done < DEVICES / 3) return;
      killed = true;
      // Mid-stream: a worker (holding partitions and batches in flight) and an ingest (with
      // requests in flight) die without a chance to clean up; traffic goes on through the other.
      await Promise.all([killHard(workerA), killHard(ingestA)]);
      restarted = (async () => {
        const [w, i] = await Promise.all([restartServer(workerA), restartServer(ingestA)]);
        processes.push(w, i);
      })();
    });
    await restarted;
    expect(killed).toBe(true);

    const overview = await settledOverview(app, plan, 40_000);

    const decided = await decisionsOf(app);
    expect(decided.rows).toBe(DEVICES);
    for (const p of plan)
      expect(decided.byDevice.get(p.device)?.media_source, p.device).toBe(p.source === 'organic' ? 'organic' : p.source);

    // Postbacks: the meta_ads installs and their purchases, each exactly once.
    const expectedPostbacks = plan.filter((p) => p.source === 'meta_ads').length * 4;
    await eventually(async () => expect(network.seen.length).toBeGreaterThanOrEqual(expectedPostbacks), 80_000);
    await new Promise((r) => setTimeout(r, 1500)); // a duplicate would arrive now
    const keys = postbackKeys(network.seen);
    expect(keys).toHaveLength(expectedPostbacks);
    expect(new Set(keys).size).toBe(expectedPostbacks);

    // The embedded profile on the same input decides the same.
    const one: Deployment = { apiUrl: embeddedApi, ingestUrls: [embedded.url] };
    const embeddedApp = await setUpApp(one, embeddedNetwork.url);
    await sendScenario(one, embeddedApp, plan, 6);
    const embeddedOverview = await settledOverview(embeddedApp, plan, 20_000);
    const { from: _f, to: _t, ...counts } = overview;
    const { from: _ef, to: _et, ...embeddedCounts } = embeddedOverview;
    expect(counts).toEqual(embeddedCounts);
    const embeddedDecided = await decisionsOf(embeddedApp);
    expect(Object.fromEntries(decided.byDevice)).toEqual(Object.fromEntries(embeddedDecided.byDevice));
    await eventually(async () => expect(postbackKeys(embeddedNetwork.seen)).toEqual(keys), 20_000);
  }, 240_000);
});
