/**
 * bench/log-lag-memory: heap the file log holds per byte of records appended but not yet
 * consumed (the pipeline lag that MAX_PIPELINE_LAG_BYTES bounds), for SDK events parsed from
 * JSON as a request's are. No consumer runs, so every record stays queued. Prints one JSON line.
 * EVENTS (200,000), BATCH (500).
 *
 *   npm run bench:log-lag-memory
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openFileLog } from '../packages/pipeline/src/log/file-log.ts';
import { sdkEvent } from './lib/sdk-events.ts';

const EVENTS = Number(process.env.EVENTS ?? 200_000);
const BATCH = Number(process.env.BATCH ?? 500);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const dir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-lag-'));
const log = await openFileLog({ dir });
gc();
const before = process.memoryUsage();
for (let n = 0; n < EVENTS; ) {
  const batch = [];
  for (let i = 0; i < BATCH; i++, n++) batch.push(sdkEvent('bench_app', n, `ev-${n}`));
  // Through JSON like a request body, so strings are the parser's, not shared literals.
  await log.append(JSON.parse(JSON.stringify(batch)));
}
gc();
const after = process.memoryUsage();
const lag = log.pending().bytes;
const heap = after.heapUsed - before.heapUsed + (after.external - before.external);
console.log(
  JSON.stringify({
    bench: 'log-lag-memory',
    events: EVENTS,
    lag_bytes: lag,
    heap_bytes: heap,
    heap_per_lag_byte: Math.round((heap / lag) * 100) / 100,
    rss_growth_mb: Math.round((after.rss - before.rss) / 1048576),
  }),
);
await log.close();
rmSync(dir, { recursive: true, force: true });
