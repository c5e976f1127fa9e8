/**
 * bench/clickhouse-insert: rows/s inserted into the event store through the ClickHouse HTTP
 * adapter (official client → `unmogrowp dev-clickhouse`, a separate process) against the chDB
 * adapter in this process, same batches, same run; median of ROUNDS rounds each. Prints one
 * JSON line. Options (env): BATCH (5000 events per insert), BATCHES (40 per round), ROUNDS (3),
 * COMPRESSION (0; 1 gzips request and answer bodies).
 *
 *   node --import tsx bench/clickhouse-insert.ts
 *
 * What it measures is the cost of the transport (JSON over HTTP, a second process) on the same
 * engine, not a ClickHouse server: a server on its own cores parses inserts with many threads.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type EventStore, insertDedupeToken, openChdbEventStore, openClickHouseEventStore, type StoredEvent } from '@unmogrowp/storage';
import { median } from './lib/median.ts';
import { rss, stop } from './lib/process.ts';
import { sdkEvent } from './lib/sdk-events.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const BATCH = env('BATCH', 5000);
const BATCHES = env('BATCHES', 40);
const ROUNDS = env('ROUNDS', 3);
const COMPRESSION = process.env['COMPRESSION'] === '1';
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-ch-insert-'));

/** A batch of SDK-like events with fresh ids. */
function batch(app: string, round: number, b: number): StoredEvent[] {
  return Array.from({ length: BATCH }, (_, i) =>
    sdkEvent(app, b * BATCH + i, `r${round}-b${b}-e${i}-${Math.random().toString(36).slice(2, 10)}`),
  );
}

async function round(store: EventStore, label: string, r: number): Promise<number> {
  const app = `bench_${label}_${r}`;
  const batches = Array.from({ length: BATCHES }, (_, b) => batch(app, r, b));
  const t0 = performance.now();
  for (const b of batches) await store.insertEvents(b);
  const seconds = (performance.now() - t0) / 1000;
  const { total_events } = await store.overview(app, { from: 0, to: Date.UTC(2100, 0, 1) });
  if (total_events !== BATCH * BATCHES) throw new Error(`${label}: stored ${total_events} of ${BATCH * BATCHES}`);
  return Math.round((BATCH * BATCHES) / seconds);
}

// The stand-in in its own process: one process per chDB data directory, as in production.
const child = spawn(
  process.execPath,
  [path.join(root, 'packages/cli/bin/unmogrowp.cjs'), 'dev-clickhouse', '--port', '0', '--data', path.join(dir, 'stand-in')],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout }).once('line', (line) => {
    const m = /listening on (\S+)/.exec(line);
    if (m) resolve(m[1] as string);
    else reject(new Error(line));
  });
  child.once('exit', (code) => reject(new Error(`dev-clickhouse exited with ${code}`)));
});

const direct = await openChdbEventStore(path.join(dir, 'direct'));
await direct.migrate();
const http = await openClickHouseEventStore({ url, database: 'bench', compression: COMPRESSION });
await http.migrate();

// Warm both paths once (engine caches, sockets), then alternate so drift hits both alike.
await direct.insertEvents(batch('warm', 0, 0));
await http.insertEvents(batch('warm', 0, 0).map((e) => ({ ...e, event_id: `${e.event_id}-h` })));
const directRuns: number[] = [];
const httpRuns: number[] = [];
for (let r = 1; r <= ROUNDS; r++) {
  directRuns.push(await round(direct, 'direct', r));
  httpRuns.push(await round(http, 'http', r));
}

const sample = Buffer.from(
  batch('hash', 0, 0)
    .map((e) => JSON.stringify(e))
    .join('\n'),
);
const h0 = performance.now();
for (let i = 0; i < 20; i++) insertDedupeToken('events', sample);
const tokenMsPerBatch = (performance.now() - h0) / 20;

const standInRss = rss(child.pid as number);
await http.close();
await direct.close();
await stop(child);
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'clickhouse-insert',
    batch_rows: BATCH,
    rows_per_round: BATCH * BATCHES,
    rounds: ROUNDS,
    compression: COMPRESSION,
    chdb_direct_rows_per_s: median(directRuns),
    http_stand_in_rows_per_s: median(httpRuns),
    ratio_http_to_direct: Math.round((median(httpRuns) / median(directRuns)) * 100) / 100,
    runs: { chdb_direct: directRuns, http_stand_in: httpRuns },
    dedupe_token_ms_per_batch: Math.round(tokenMsPerBatch * 100) / 100,
    stand_in_rss_mb: standInRss.rss_mb,
  }),
);
