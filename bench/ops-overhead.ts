/**
 * bench/ops-overhead: what the operations work costs on the ingest path with tracing OFF (the
 * default): the same load against `unmogrowp start` from two checkouts, interleaved A B A B… so
 * machine noise hits both alike. Prints one JSON line.
 *   BASELINE_ROOT=/path/to/checkout-of-main node --import tsx bench/ops-overhead.ts
 * Options (env): ROUNDS (3), SECONDS (6), CONNECTIONS (8), BATCH (100).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventTemplate, fill, load } from './lib/load.ts';
import { median } from './lib/median.ts';
import { spawnUntilReady, stop } from './lib/process.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 6);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const BATCH = Number(process.env.BATCH ?? 100);
const baselineRoot = process.env.BASELINE_ROOT;
if (!baselineRoot) throw new Error('BASELINE_ROOT: set it to a checkout (with node_modules) of the commit to compare with');
const roots = { baseline: path.resolve(baselineRoot), current: path.resolve(import.meta.dirname, '..') };

const batchParts = eventTemplate(BATCH);
const singleParts = eventTemplate(1);

async function measure(root: string, tag: string) {
  const cli = path.join(root, 'packages/cli/bin/unmogrowp.cjs');
  const env = {
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-')),
    INGEST_PORT: '18181',
    API_PORT: '18103',
    LOG_LEVEL: 'warn',
  };
  const app = JSON.parse(
    execFileSync(process.execPath, [cli, 'app', 'create', '--name', 'bench', '--json'], { env: { ...process.env, ...env } }).toString(),
  );
  const server = await spawnUntilReady(process.execPath, [cli, 'start'], env, 'http://127.0.0.1:18181/ready');
  await new Promise((r) => setTimeout(r, 1500));
  const headers = { 'x-api-key': app.sdk_key };
  const opts = { headers, connections: CONNECTIONS, seconds: SECONDS };
  const single = await load('http://127.0.0.1:18181/v1/events', { ...opts, body: (n) => fill(singleParts, `${tag}s${n}`) });
  const batch = await load('http://127.0.0.1:18181/v1/events/batch', { ...opts, body: (n) => fill(batchParts, `${tag}b${n}`) });
  await stop(server);
  return {
    single_req_per_s: single.requests_per_s,
    single_p99_ms: single.p99_ms,
    batch_events_per_s: batch.requests_per_s * BATCH,
    batch_p99_ms: batch.p99_ms,
  };
}

const runs: Record<keyof typeof roots, Awaited<ReturnType<typeof measure>>[]> = { baseline: [], current: [] };
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which goes first, so warm-up and drift do not favour one side.
  const order = round % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
  for (const side of order) runs[side].push(await measure(roots[side], `${side[0]}${round}`));
}

const summary = (side: keyof typeof roots) => ({
  single_req_per_s: Math.round(median(runs[side].map((r) => r.single_req_per_s))),
  single_p99_ms: median(runs[side].map((r) => r.single_p99_ms)),
  batch_events_per_s: Math.round(median(runs[side].map((r) => r.batch_events_per_s))),
  batch_p99_ms: median(runs[side].map((r) => r.batch_p99_ms)),
  single_req_per_s_runs: runs[side].map((r) => Math.round(r.single_req_per_s)),
  batch_events_per_s_runs: runs[side].map((r) => Math.round(r.batch_events_per_s)),
});
const base = summary('baseline');
const cur = summary('current');
console.log(
  JSON.stringify({
    bench: 'ops-overhead',
    tracing: 'off',
    rounds: ROUNDS,
    seconds: SECONDS,
    connections: CONNECTIONS,
    batch: BATCH,
    baseline: base,
    current: cur,
    single_ratio: Number((cur.single_req_per_s / base.single_req_per_s).toFixed(3)),
    batch_ratio: Number((cur.batch_events_per_s / base.batch_events_per_s).toFixed(3)),
  }),
);
