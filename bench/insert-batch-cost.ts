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
import os from 'node:os';
import type { StoredEvent } from '@unmogrowp/storage';
import { type InsertCase, viewCost } from './lib/insert-cost.ts';
import { sdkEvent } from './lib/sdk-events.ts';

const SIZES = (process.env['BATCHES_OF'] ?? '500,2000,10000').split(',').map(Number);
const EVENTS = Number(process.env['EVENTS'] ?? 20_000);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const EVENT_VIEWS = ['traffic_hourly_events_mv', 'revenue_hourly_events_mv', 'device_hours_events_mv', 'device_months_hours_mv'];

const EVENTS_CASE: InsertCase<StoredEvent> = {
  name: 'insert',
  /** SDK-like events with fresh ids. */
  rows: (app, count) => Array.from({ length: count }, (_, n) => sdkEvent(app, n, `e${n}-${Math.random().toString(36).slice(2, 10)}`)),
  insert: (store, rows) => store.insertEvents(rows),
};

const results = [];
for (const size of SIZES) {
  const cost = await viewCost(EVENTS_CASE, size, EVENTS, ROUNDS, EVENT_VIEWS);
  results.push({
    batch: size,
    cpu_us_per_event: cost.withViews,
    without_views_cpu_us_per_event: cost.withoutViews,
    views_share: cost.share,
  });
}
console.log(
  JSON.stringify({ bench: 'insert-batch-cost', events: EVENTS, rounds: ROUNDS, load_1m: Number(os.loadavg()[0]?.toFixed(2)), results }),
);
