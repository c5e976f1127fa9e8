/**
 * bench/insert-batch-cost: CPU per event of the chDB event store's `insertEvents` by batch
 * size, with the rollup views the events table feeds and without them (dropped on a scratch
 * store): how much of an insert is a fixed cost per call, which is what the pipeline's batch
 * pacing (packages/pipeline/src/log/batch-pacing.ts) amortises. Prints one JSON line.
 * Options (env): BATCHES_OF (comma-separated sizes, default 500,2000,10000), EVENTS (20000 per
 * size and round), ROUNDS (3; medians).
 *
 *   node --import tsx bench/insert-batch-cost.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { openChdbEventStore, type StoredEvent } from '@unmogrowp/storage';
import { drainPending, Session } from 'chdb';
import { sdkEvent } from './lib/sdk-events.ts';

const SIZES = (process.env['BATCHES_OF'] ?? '500,2000,10000').split(',').map(Number);
const EVENTS = Number(process.env['EVENTS'] ?? 20_000);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const EVENT_VIEWS = ['traffic_hourly_events_mv', 'revenue_hourly_events_mv', 'device_hours_events_mv', 'device_months_hours_mv'];

/** SDK-like events with fresh ids. */
function events(app: string, count: number): StoredEvent[] {
  return Array.from({ length: count }, (_, n) => sdkEvent(app, n, `e${n}-${Math.random().toString(36).slice(2, 10)}`));
}

/** CPU µs per event of inserting EVENTS events in batches of `size` into a fresh store. */
async function measure(size: number, views: boolean): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-insert-'));
  try {
    const fresh = await openChdbEventStore(dir);
    await fresh.migrate();
    await fresh.close();
    if (!views) {
      const session = new Session(dir);
      for (const view of EVENT_VIEWS) await session.queryAsync(`DROP VIEW ${view}`);
      session.close();
      await drainPending();
    }
    const store = await openChdbEventStore(dir);
    await store.insertEvents(events('warm-up', size));
    const all = events('bench', EVENTS);
    const start = process.cpuUsage();
    for (let i = 0; i < all.length; i += size) await store.insertEvents(all.slice(i, i + size));
    const used = process.cpuUsage(start);
    await store.close();
    return (used.user + used.system) / EVENTS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = [];
for (const size of SIZES) {
  const withViews: number[] = [];
  const without: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    withViews.push(await measure(size, true));
    without.push(await measure(size, false));
  }
  const [a, b] = [median(withViews), median(without)];
  results.push({
    batch: size,
    cpu_us_per_event: Number(a.toFixed(1)),
    without_views_cpu_us_per_event: Number(b.toFixed(1)),
    views_share: Number(((a - b) / a).toFixed(2)),
  });
}
console.log(
  JSON.stringify({ bench: 'insert-batch-cost', events: EVENTS, rounds: ROUNDS, load_1m: Number(os.loadavg()[0]?.toFixed(2)), results }),
);
