/**
 * bench/scale-out: the scale-out profile against the embedded one, same load generator, same
 * run. Prints one JSON line. Per round:
 *  - embedded durable ingest (`unmogrowp start`, 202 after fdatasync) — events/s;
 *  - scale-out ingest through 1 and through 2 `--role ingest` processes (202 after JetStream's
 *    ack), workers stopped so the figure is the ingest path alone — events/s;
 *  - worker throughput: one `--role worker` started on the backlog, events/s until the overview
 *    shows every accepted event (into the ClickHouse stand-in);
 *  - end-to-end lag at half the rate the deployment sustains, i.e. half of min(1-ingest rate,
 *    the one worker's storing rate) — half the ingest rate alone would outrun a slower worker and
 *    measure a growing backlog, not lag: probe events (one every 250 ms, their own app) from 202
 *    to visible in the overview route, p50/p99;
 *  - CPU seconds per event of each process (/proc/<pid>/stat: utime + stime), per role.
 * Own nats-server (JetStream, temp store) and ClickHouse stand-in processes; a throwaway
 * PostgreSQL database and Redis prefix on the machine's servers.
 * Options (env): ROUNDS (3), SECONDS (8), LAG_SECONDS (20), CONNECTIONS (16), BATCH (100),
 * TEST_DATABASE_URL, REDIS_TEST_URL; STAGES=1 prints, per round, where the lag phase's batches
 * spent their time (the worker's stage histograms, the stand-in's session waits; lib/stage-figures.ts);
 * STANDIN_WRITERS: the stand-in's insert sessions (its default otherwise). PARTITIONS (16): the
 * stream's partitions, all held by the one worker.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { eventTemplate, fill, type LoadResult, load } from './lib/load.ts';
import { spawnUntilReady, stop } from './lib/process.ts';
import { scrapeWorkerStages, stageFigures, standInTimings } from './lib/stage-figures.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 8);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const BATCH = Number(process.env.BATCH ?? 100);
const LAG_SECONDS = Number(process.env.LAG_SECONDS ?? 20);
const STAGES = process.env.STAGES === '1';
/** Partitions of the stream (NATS_PARTITIONS): one worker holds them all, and each is one insert per round. */
const PARTITIONS = Number(process.env.PARTITIONS ?? 16);
const STANDIN_WRITERS = process.env.STANDIN_WRITERS ? Number(process.env.STANDIN_WRITERS) : undefined;
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const root = path.resolve(import.meta.dirname, '..');
const cliBin = path.join(root, 'packages/cli/bin/unmogrowp.cjs');
const TICK = 100; // clock ticks per second of /proc/<pid>/stat on Linux
const PASSWORD = 'bench passphrase 2026 scale';

const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};
let nextPort = 19100 + Math.floor(Math.random() * 500);
const port = () => nextPort++;

const parts = eventTemplate(BATCH);
const single = eventTemplate(1);
const drive = (url: string, key: string, prefix: string, extra: { connections?: number; overallRate?: number; seconds?: number } = {}) =>
  load(`${url}/v1/events/batch`, {
    body: (n) => fill(parts, `${prefix}-${n}`),
    headers: { 'x-api-key': key },
    connections: extra.connections ?? CONNECTIONS,
    seconds: extra.seconds ?? SECONDS,
    ...(extra.overallRate ? { overallRate: extra.overallRate } : {}),
  });
const eventsPerS = (r: LoadResult) => r.requests_per_s * BATCH;

/** The fields of the API's answers this bench reads. */
type ApiBody = { access_token?: string; sdk_key?: string; app?: { id: string } };

/** A user, and apps created through the API; answers their keys and an overview reader. */
async function apiSession(apiUrl: string) {
  const post = (p: string, body: unknown, token?: string) =>
    fetch(`${apiUrl}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as ApiBody }));
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  await post('/api/auth/register', { email, password: PASSWORD, name: 'Bench' });
  const token = (await post('/api/auth/login', { email, password: PASSWORD })).body.access_token as string;
  const app = async (name: string) => {
    const created = await post('/api/apps', { name, platforms: ['ios', 'android'] }, token);
    if (created.status !== 201) throw new Error(`create app: ${created.status} ${JSON.stringify(created.body)}`);
    return { id: created.body.app?.id as string, key: created.body.sdk_key as string };
  };
  const totalEvents = async (appId: string) => {
    const range = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    const r = await fetch(`${apiUrl}/api/analytics/${appId}/overview?${range}`, { headers: { authorization: `Bearer ${token}` } });
    return Number(((await r.json()) as { total_events: number }).total_events);
  };
  return { app, totalEvents };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(100);
  }
  return false;
}

async function embeddedRound(r: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-emb-'));
  const ingestPort = port();
  const env = { DATA_DIR: dir, INGEST_PORT: String(ingestPort), API_PORT: String(port()), LOG_LEVEL: 'warn' };
  const app = JSON.parse(
    execFileSync(process.execPath, [cliBin, 'app', 'create', '--name', 'bench', '--json'], { env: { ...process.env, ...env } }).toString(),
  );
  const server = await spawnUntilReady(process.execPath, [cliBin, 'start'], env, `http://127.0.0.1:${ingestPort}/ready`);
  await sleep(1500);
  const cpu0 = cpuSeconds(server.pid!);
  const result = await drive(`http://127.0.0.1:${ingestPort}`, app.sdk_key, `emb${r}`);
  const cpu = cpuSeconds(server.pid!) - cpu0;
  await stop(server);
  rmSync(dir, { recursive: true, force: true });
  return { events_per_s: eventsPerS(result), p99_ms: result.p99_ms, cpu_us_per_event: (cpu / (result.ok_requests * BATCH)) * 1e6 };
}

async function scaleOutRound(r: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-so-'));
  const children: ChildProcess[] = [];
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const dbName = `unmogrowp_test_bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  const redisPrefix = `unmogrowp_bench_${randomBytes(4).toString('hex')}`;
  try {
    const natsPort = port();
    const nats = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', path.join(dir, 'nats')], {
      stdio: 'ignore',
    });
    children.push(nats);
    const chPort = port();
    const clickhouse = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('@unmogrowp/storage/dev-clickhouse').then((m) => m.startDevClickHouse({ dataDir: ${JSON.stringify(path.join(dir, 'ch'))}, port: ${chPort}${STANDIN_WRITERS ? `, writers: ${STANDIN_WRITERS}` : ''} }))`,
      ],
      { stdio: 'ignore', cwd: root },
    );
    children.push(clickhouse);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${chPort}/ping`)).ok, 60_000);
    const dbUrl = new URL(PG_URL);
    dbUrl.pathname = `/${dbName}`;
    const env = {
      DATABASE_URL: dbUrl.toString(),
      CLICKHOUSE_URL: `http://127.0.0.1:${chPort}/bench`,
      REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
      NATS_PREFIX: 'bench',
      NATS_PARTITIONS: String(PARTITIONS),
      LOG_LEVEL: 'warn',
    };
    const role = async (name: string, extra: Record<string, string>, ready: string) => {
      const child = await spawnUntilReady(
        process.execPath,
        [cliBin, 'start'],
        { ...env, ROLE: name, DATA_DIR: path.join(dir, `${name}-${port()}`), ...extra },
        ready,
      );
      children.push(child);
      return child;
    };
    const apiPort = port();
    const api = await role('api', { API_PORT: String(apiPort) }, `http://127.0.0.1:${apiPort}/ready`);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const session = await apiSession(apiUrl);
    const loadApp = await session.app('load');
    const probeApp = await session.app('probe');
    const [pa, pb] = [port(), port()];
    const ingestA = await role('ingest', { INGEST_PORT: String(pa) }, `http://127.0.0.1:${pa}/ready`);
    // The second ingest is only driven over HTTP; it is stopped with the other roles.
    await role('ingest', { INGEST_PORT: String(pb) }, `http://127.0.0.1:${pb}/ready`);
    await sleep(1500);

    // One ingest process.
    let cpuA = cpuSeconds(ingestA.pid!);
    const one = await drive(`http://127.0.0.1:${pa}`, loadApp.key, `one${r}`);
    const ingestCpu = cpuSeconds(ingestA.pid!) - cpuA;
    // Two ingest processes, the same connections split between them.
    cpuA = cpuSeconds(ingestA.pid!);
    const [twoA, twoB] = await Promise.all([
      drive(`http://127.0.0.1:${pa}`, loadApp.key, `twoa${r}`, { connections: CONNECTIONS / 2 }),
      drive(`http://127.0.0.1:${pb}`, loadApp.key, `twob${r}`, { connections: CONNECTIONS / 2 }),
    ]);
    const accepted = (one.ok_requests + twoA.ok_requests + twoB.ok_requests) * BATCH;

    // Worker throughput: one worker drains the backlog into ClickHouse.
    const wp = port();
    const chCpu0 = cpuSeconds(clickhouse.pid!);
    const worker = await role('worker', { WORKER_PORT: String(wp) }, `http://127.0.0.1:${wp}/ready`);
    // From the worker's readiness: its storing rate, not its start-up, bounds the lag phase's rate.
    const started = Date.now();
    const workerCpu0 = cpuSeconds(worker.pid!);
    const drained = await waitFor(async () => (await session.totalEvents(loadApp.id)) >= accepted, 600_000);
    const drainSeconds = (Date.now() - started) / 1000;
    const workerCpu = cpuSeconds(worker.pid!) - workerCpu0;
    const chCpu = cpuSeconds(clickhouse.pid!) - chCpu0;

    // End-to-end lag at half of what both sides sustain (the worker is alone now), probes on
    // their own app. Without a drained backlog there is no rate to halve: the lag is not measured.
    const workerEventsPerS = drained ? accepted / drainSeconds : 0;
    const sustainedEventsPerS = Math.min(eventsPerS(one), workerEventsPerS);
    // Whole requests per second (the load generator's unit); at least one.
    const halfRate = Math.max(1, Math.round(sustainedEventsPerS / 2 / BATCH));
    if (!drained) console.error(`round ${r}: the worker did not drain the backlog in time; lag not measured`);
    const chUrl = `http://127.0.0.1:${chPort}`;
    const stagesBefore = STAGES ? await scrapeWorkerStages(`http://127.0.0.1:${wp}/metrics`) : null;
    if (STAGES) await standInTimings(chUrl, true);
    // Probes go out every 250 ms; one poller reads the probe app's count and dates the k-th
    // probe visible when the count reaches k. Every probe is the same device (the template's
    // one), so all of them are on one partition and become visible in order.
    const acceptedAt: number[] = [];
    const overviewMs: number[] = [];
    const lags: number[] = [];
    let probing = true;
    const probes = (async () => {
      for (let i = 0; probing; i++) {
        const res = await fetch(`http://127.0.0.1:${pb}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': probeApp.key },
          body: fill(single, `probe${r}-${i}`),
        });
        if (res.status === 202) acceptedAt.push(Date.now());
        await sleep(250);
      }
    })();
    const poller = (async () => {
      const deadline = () => !probing && (lags.length >= acceptedAt.length || Date.now() > stoppedAt + 30_000);
      let stoppedAt = Number.POSITIVE_INFINITY;
      while (!deadline()) {
        if (!probing && stoppedAt === Number.POSITIVE_INFINITY) stoppedAt = Date.now();
        const asked = Date.now();
        const visible = await session.totalEvents(probeApp.id).catch(() => lags.length);
        overviewMs.push(Date.now() - asked);
        while (lags.length < Math.min(visible, acceptedAt.length)) lags.push(Date.now() - acceptedAt[lags.length]!);
        await sleep(100);
      }
    })();
    const half = drained
      ? await drive(`http://127.0.0.1:${pa}`, loadApp.key, `half${r}`, {
          overallRate: halfRate,
          connections: Math.min(8, halfRate),
          seconds: LAG_SECONDS,
        })
      : null;
    probing = false;
    await probes;
    await poller;
    void api;
    if (stagesBefore) {
      const stages = stageFigures(stagesBefore, await scrapeWorkerStages(`http://127.0.0.1:${wp}/metrics`));
      console.error(`round ${r}: worker batch stages in the lag phase (ms; items for "items"): ${JSON.stringify(stages)}`);
      console.error(`round ${r}: stand-in session wait/exec in the lag phase (ms): ${JSON.stringify(await standInTimings(chUrl))}`);
    }
    console.error(
      `round ${r}: lag at ${Math.round(halfRate * BATCH)} events/s (half of min(ingest ${Math.round(eventsPerS(one))}, worker ${Math.round(workerEventsPerS)})): ` +
        `p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms over ${lags.length} probes ` +
        `(overview query p50 ${percentile(overviewMs, 50)} ms, p99 ${percentile(overviewMs, 99)} ms; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
    );
    return {
      one_ingest_events_per_s: eventsPerS(one),
      one_ingest_p99_ms: one.p99_ms,
      two_ingest_events_per_s: eventsPerS(twoA) + eventsPerS(twoB),
      ingest_cpu_us_per_event: (ingestCpu / (one.ok_requests * BATCH)) * 1e6,
      worker_events_per_s: drained ? workerEventsPerS : null,
      worker_cpu_us_per_event: (workerCpu / accepted) * 1e6,
      clickhouse_standin_cpu_us_per_event: (chCpu / accepted) * 1e6,
      lag_rate_events_per_s: halfRate * BATCH,
      lag_achieved_events_per_s: half ? eventsPerS(half) : null,
      lag_probes: lags.length,
      lag_p50_ms: drained ? percentile(lags, 50) : null,
      lag_p99_ms: drained ? percentile(lags, 99) : null,
      lag_overview_query_p50_ms: percentile(overviewMs, 50),
      lag_overview_query_p99_ms: percentile(overviewMs, 99),
    };
  } finally {
    for (const c of children.reverse()) await stop(c).catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await deleteRedisPrefix(redisPrefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The round's keys on the machine's shared Redis (a round leaves ~0.5 M; left behind, they slowed every later SCAN). */
async function deleteRedisPrefix(prefix: string) {
  const redis = new Redis(REDIS_URL);
  try {
    for await (const keys of redis.scanBufferStream({ match: `${prefix}*`, count: 5000 })) if (keys.length > 0) await redis.unlink(...keys);
  } finally {
    redis.disconnect();
  }
}

const load0 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const rounds: { embedded: Awaited<ReturnType<typeof embeddedRound>>; scaleOut: Awaited<ReturnType<typeof scaleOutRound>> }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const embedded = await embeddedRound(r);
  const scaleOut = await scaleOutRound(r);
  rounds.push({ embedded, scaleOut });
}
const m = (f: (x: (typeof rounds)[number]) => number | null) =>
  Math.round(median(rounds.map(f).filter((v): v is number => v !== null)) * 10) / 10;
console.log(
  JSON.stringify({
    bench: 'scale-out',
    rounds: ROUNDS,
    seconds: SECONDS,
    connections: CONNECTIONS,
    batch: BATCH,
    loadavg_before: load0,
    loadavg_after: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    embedded_events_per_s: m((x) => x.embedded.events_per_s),
    one_ingest_events_per_s: m((x) => x.scaleOut.one_ingest_events_per_s),
    two_ingest_events_per_s: m((x) => x.scaleOut.two_ingest_events_per_s),
    ratio_one_ingest_to_embedded: Number((m((x) => x.scaleOut.one_ingest_events_per_s) / m((x) => x.embedded.events_per_s)).toFixed(2)),
    worker_events_per_s: m((x) => x.scaleOut.worker_events_per_s),
    lag_rate_events_per_s: m((x) => x.scaleOut.lag_rate_events_per_s),
    lag_p50_ms: m((x) => x.scaleOut.lag_p50_ms),
    lag_p99_ms: m((x) => x.scaleOut.lag_p99_ms),
    cpu_us_per_event: {
      embedded_all_in_one: m((x) => x.embedded.cpu_us_per_event),
      ingest: m((x) => x.scaleOut.ingest_cpu_us_per_event),
      worker: m((x) => x.scaleOut.worker_cpu_us_per_event),
      clickhouse_standin: m((x) => x.scaleOut.clickhouse_standin_cpu_us_per_event),
    },
    rounds_detail: rounds,
  }),
);
