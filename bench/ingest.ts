/**
 * bench/ingest: our full durable ingest path vs a bare Fastify endpoint parsing the same
 * bodies, same load generator, same run. Prints one JSON line. Options (env):
 * SECONDS (10), CONNECTIONS (16), BATCH (500), LOG_LEVEL (warn: no line per request; `info`, the
 * server's default, measures what that line costs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventTemplate, fill, load } from './lib/load.ts';
import { rss, spawnUntilReady, stop } from './lib/process.ts';

const SECONDS = Number(process.env.SECONDS ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const BATCH = Number(process.env.BATCH ?? 500);
const root = path.resolve(import.meta.dirname, '..');
const cliBin = path.join(root, 'packages/cli/bin/unmogrowp.cjs');
const tsx = ['--import', 'tsx'];

const batchParts = eventTemplate(BATCH);
const singleParts = eventTemplate(1);
const run = (url: string, parts: string[], headers: Record<string, string>, prefix: string) =>
  load(url, { body: (n) => fill(parts, `${prefix}${n}`), headers, connections: CONNECTIONS, seconds: SECONDS });

// Baseline.
const bare = await spawnUntilReady(
  process.execPath,
  [...tsx, path.join(root, 'bench/bare-server.ts')],
  { PORT: '18090' },
  'http://127.0.0.1:18090/ready',
);
const bareBatch = await run('http://127.0.0.1:18090/v1/events/batch', batchParts, {}, 'x');
const bareSingle = await run('http://127.0.0.1:18090/v1/events', singleParts, {}, 'y');
await stop(bare);

// Ours: the real `unmogrowp start` on a fresh data dir.
const dataDir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-'));
const env = { DATA_DIR: dataDir, INGEST_PORT: '18081', API_PORT: '18003', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
const app = JSON.parse(
  execFileSync(process.execPath, [cliBin, 'app', 'create', '--name', 'bench', '--json'], { env: { ...process.env, ...env } }).toString(),
);
const server = await spawnUntilReady(process.execPath, [cliBin, 'start'], env, 'http://127.0.0.1:18081/ready');
await new Promise((r) => setTimeout(r, 2000));
const idle = rss(server.pid!);
const headers = { 'x-api-key': app.sdk_key };
const oursBatch = await run('http://127.0.0.1:18081/v1/events/batch', batchParts, headers, 'a');
const afterBatch = Date.now();
// How long the pipeline needs to store what was acknowledged (the sustainable rate).
let lagSeconds = 0;
for (;;) {
  const metrics = await (await fetch('http://127.0.0.1:18081/metrics')).text();
  const lag = Number(/^unmogrowp_pipeline_lag_records (\S+)/m.exec(metrics)?.[1] ?? 0);
  if (lag === 0) break;
  lagSeconds = (Date.now() - afterBatch) / 1000;
  await new Promise((r) => setTimeout(r, 100));
}
const oursSingle = await run('http://127.0.0.1:18081/v1/events', singleParts, headers, 'b');
const peak = rss(server.pid!);
await stop(server);

const acceptedEvents = oursBatch.requests_per_s * BATCH;
console.log(
  JSON.stringify({
    bench: 'ingest',
    seconds: SECONDS,
    connections: CONNECTIONS,
    batch: BATCH,
    log_level: env.LOG_LEVEL,
    baseline_events_per_s: Math.round(bareBatch.requests_per_s * BATCH),
    durable_events_per_s: Math.round(acceptedEvents),
    ratio: Number((oursBatch.requests_per_s / bareBatch.requests_per_s).toFixed(3)),
    batch_p50_ms: oursBatch.p50_ms,
    batch_p99_ms: oursBatch.p99_ms,
    baseline_batch_p99_ms: bareBatch.p99_ms,
    store_drain_after_load_s: Number(lagSeconds.toFixed(1)),
    stored_events_per_s: Math.round((acceptedEvents * SECONDS) / (SECONDS + lagSeconds)),
    single_req_per_s: Math.round(oursSingle.requests_per_s),
    single_p50_ms: oursSingle.p50_ms,
    single_p99_ms: oursSingle.p99_ms,
    baseline_single_req_per_s: Math.round(bareSingle.requests_per_s),
    single_ratio: Number((oursSingle.requests_per_s / bareSingle.requests_per_s).toFixed(3)),
    errors: oursBatch.errors + oursSingle.errors,
    non2xx: oursBatch.non2xx + oursSingle.non2xx,
    idle_rss_mb: idle.rss_mb,
    peak_rss_mb: peak.peak_rss_mb,
  }),
);
