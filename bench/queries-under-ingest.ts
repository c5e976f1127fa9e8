/**
 * bench/queries-under-ingest: every analytics route through HTTP on the real `unmogrowp start`,
 * p50/p95 per route, first idle, then while batch ingest runs at half its maximum rate (a
 * bounded loopback load generator against the same process). The data is generated inside
 * the engine as in bench/queries (bench/lib/query-data.ts), in the server's own data
 * directory, before it starts. Prints one JSON line. Options (env): EVENTS (10M), INSTALLS
 * (1M), CLICKS (3M), IMPRESSIONS (5M), RUNS (10 per route and phase), CONNECTIONS (16),
 * BATCH (500), PROBE_SECONDS (5: the full-speed run that finds the maximum).
 *
 *   node --import tsx bench/queries-under-ingest.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { openChdbEventStore } from '@unmogrowp/storage';
import autocannon from 'autocannon';
import { Session } from 'chdb';
import { eventTemplate, fill, load } from './lib/load.ts';
import { overviewRanges, type Range } from './lib/overview-ranges.ts';
import { spawnUntilReady, stop, waitForWarmState } from './lib/process.ts';
import { type DataShape, GENERATE_CLICKS, GENERATE_EVENTS, GENERATE_IMPRESSIONS, GENERATE_INSTALLS } from './lib/query-data.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RUNS = env('RUNS', 10);
const CONNECTIONS = env('CONNECTIONS', 16);
const BATCH = env('BATCH', 500);
const PROBE_SECONDS = env('PROBE_SECONDS', 5);
const DAY = 86_400_000;
const root = path.resolve(import.meta.dirname, '..');
const cliBin = path.join(root, 'packages/cli/bin/unmogrowp.cjs');

const dataDir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-qi-'));
const serverEnv = { DATA_DIR: dataDir, INGEST_PORT: '18081', API_PORT: '18003', LOG_LEVEL: 'warn' };
const app = JSON.parse(
  execFileSync(process.execPath, [cliBin, 'app', 'create', '--name', 'bench', '--json'], {
    env: { ...process.env, ...serverEnv },
  }).toString(),
);
const shape: DataShape = {
  app: app.app_id,
  start: Date.UTC(2024, 2, 1),
  days: 30,
  installs: env('INSTALLS', 1_000_000),
  events: env('EVENTS', 10_000_000),
  clicks: env('CLICKS', 3_000_000),
  impressions: env('IMPRESSIONS', 5_000_000),
};

// Data first, in the directory the server will open (one process at a time on it).
const t0 = performance.now();
const eventsDir = path.join(dataDir, 'events');
const store = await openChdbEventStore(eventsDir);
await store.migrate();
await store.close();
const gen = new Session(eventsDir);
try {
  const base = { app: shape.app, start: shape.start, days: shape.days, installs: shape.installs };
  await gen.queryBindAsync(GENERATE_INSTALLS, base);
  await gen.queryBindAsync(GENERATE_EVENTS, { ...base, events: shape.events });
  await gen.queryBindAsync(GENERATE_CLICKS, { ...base, count: shape.clicks });
  await gen.queryBindAsync(GENERATE_IMPRESSIONS, { ...base, count: shape.impressions });
  for (const table of ['events', 'installs', 'clicks', 'impressions', 'traffic_hourly', 'device_hours', 'device_months']) {
    await gen.queryAsync(`OPTIMIZE TABLE ${table} FINAL`);
  }
} finally {
  gen.close();
}
const generateSeconds = (performance.now() - t0) / 1000;

// Start-up reads the touches back into the index (8M at the default shape): allow it minutes.
const server = await spawnUntilReady(process.execPath, [cliBin, 'start'], serverEnv, 'http://127.0.0.1:18081/ready', 900_000).catch(
  (err) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  },
);
const warmSeconds = await waitForWarmState('http://127.0.0.1:18081/metrics');
const iso = (ms: number) => new Date(ms).toISOString();
const ranges = overviewRanges(shape.start, shape.days);
const query = (r: Range) => `from=${iso(r.from)}&to=${iso(r.to)}`;
const [month, unaligned, twoMonths] = [query(ranges.month), query(ranges.unaligned), query(ranges.two_months)];
const routes: Record<string, string> = {
  overview: `overview?${month}`,
  overview_unaligned: `overview?${unaligned}`,
  overview_two_months_unaligned: `overview?${twoMonths}`,
  attribution: `attribution?${unaligned}&group_by=media_source,campaign`,
  timeseries_installs_day: `timeseries?${month}&metric=installs&interval=day`,
  timeseries_active_users_day: `timeseries?${month}&metric=active_users&interval=day`,
  timeseries_active_users_hour: `timeseries?${unaligned}&metric=active_users&interval=hour`,
  retention: `retention?${month}`,
  retention_by_source: `retention?${month}&group_by=media_source`,
  fraud: `fraud?${unaligned}`,
  installs_export_day_csv: `installs?from=${iso(shape.start + 10 * DAY)}&to=${iso(shape.start + 11 * DAY)}&format=csv`,
};
const headers = { authorization: `Bearer ${app.server_key}` };

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0).toFixed(1));
}

async function timeRoutes(): Promise<Record<string, { p50_ms: number; p95_ms: number }>> {
  const out: Record<string, { p50_ms: number; p95_ms: number }> = {};
  for (const [name, route] of Object.entries(routes)) {
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const start = performance.now();
      const res = await fetch(`http://127.0.0.1:18003/api/analytics/${app.app_id}/${route}`, { headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${name}: ${res.status}`);
      if (i > 0) times.push(performance.now() - start); // the first is a warm-up
    }
    out[name] = { p50_ms: quantile(times, 0.5), p95_ms: quantile(times, 0.95) };
  }
  return out;
}

let result: Record<string, unknown> = {};
try {
  const idle = await timeRoutes();
  const parts = eventTemplate(BATCH);
  const ingestHeaders = { 'x-api-key': app.sdk_key };
  const probe = await load('http://127.0.0.1:18081/v1/events/batch', {
    body: (n) => fill(parts, `p${n}`),
    headers: ingestHeaders,
    connections: CONNECTIONS,
    seconds: PROBE_SECONDS,
  });
  const halfRate = Math.max(1, Math.round(probe.requests_per_s / 2));
  // Half rate for as long as the queries take (stopped after them), bounded to ten minutes.
  let n = 0;
  let done: (r: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve) => {
    done = resolve;
  });
  const background = autocannon(
    {
      url: 'http://127.0.0.1:18081/v1/events/batch',
      method: 'POST',
      connections: CONNECTIONS,
      duration: 600,
      overallRate: halfRate,
      headers: { 'content-type': 'application/json', ...ingestHeaders },
      requests: [{ setupRequest: (req) => ({ ...req, body: fill(parts, `h${n++}`) }) }],
    },
    (_err, r) => done(r),
  );
  const loadBefore = os.loadavg()[0];
  const busy = await timeRoutes();
  background.stop();
  const ingest = await finished;
  result = {
    bench: 'queries-under-ingest',
    load_1m: { before: Number(loadBefore?.toFixed(2)), after: Number(os.loadavg()[0]?.toFixed(2)) },
    shape: { ...shape, app: undefined, start: iso(shape.start) },
    generate_s: Number(generateSeconds.toFixed(1)),
    warm_state_s: Number(warmSeconds.toFixed(1)),
    runs: RUNS,
    ingest: {
      max_events_per_s: Math.round(probe.requests_per_s * BATCH),
      half_rate_target_events_per_s: halfRate * BATCH,
      half_rate_achieved_events_per_s: Math.round(ingest.requests.average * BATCH),
      half_rate_p99_ms: ingest.latency.p99,
      non2xx: ingest.non2xx,
    },
    routes: Object.fromEntries(Object.keys(routes).map((name) => [name, { idle: idle[name], under_ingest: busy[name] }])),
  };
} finally {
  await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
