/**
 * bench/insert-touches-cost: CPU per touch of the chDB event store's `insertClicks` (or
 * `insertImpressions`) by batch size, with every view the table feeds and without
 * fraud_hourly's (dropped on a scratch store: the store as it was before fraud_hourly),
 * alternating: what the fraud rollup adds to a touch's write. 1 touch in 50 is flagged, as in
 * bench/queries' data. Prints one JSON line. Options (env): TABLE (clicks | impressions),
 * BATCHES_OF (comma-separated sizes, default 500,2000), ROWS (20000 per size and round),
 * ROUNDS (5; medians).
 *
 *   node --import tsx bench/insert-touches-cost.ts
 */
import os from 'node:os';
import type { TouchRow } from '@unmogrowp/storage';
import { type InsertCase, viewCost } from './lib/insert-cost.ts';

const SIZES = (process.env['BATCHES_OF'] ?? '500,2000').split(',').map(Number);
const TABLE = process.env['TABLE'] === 'impressions' ? 'impressions' : 'clicks';
const ROWS = Number(process.env['ROWS'] ?? 20_000);
const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const NEW_VIEW = `fraud_hourly_${TABLE}_mv`;
const SOURCES = ['meta', 'google', 'tiktok', 'unity', 'applovin'];

/** Touches over one day, five sources, fresh ids. */
function touches(app: string, count: number): TouchRow[] {
  const start = Date.UTC(2024, 2, 1);
  const tag = Math.random().toString(36).slice(2, 10);
  return Array.from({ length: count }, (_, n) => ({
    app_id: app,
    click_id: `c${n}-${tag}`,
    link_id: `L${n % 5}`,
    ts: start + ((n * 7919) % 86_400_000),
    ip: `10.0.${n % 256}.${(n >> 8) % 256}`,
    platform: 'ios',
    media_source: SOURCES[n % 5]!,
    campaign: `c${(n >> 2) % 4}`,
    ad_set: `as${(n >> 4) % 3}`,
    ad: '',
    site_id: '',
    fraud_reason: n % 50 === 0 ? 'click_flood' : '',
  }));
}

const TOUCHES: InsertCase<TouchRow> = {
  name: TABLE,
  rows: touches,
  insert: (store, rows) => (TABLE === 'clicks' ? store.insertClicks(rows) : store.insertImpressions(rows)),
};

const loadBefore = Number(os.loadavg()[0]?.toFixed(2));
const results = [];
for (const size of SIZES) {
  const cost = await viewCost(TOUCHES, size, ROWS, ROUNDS, [NEW_VIEW], true);
  results.push({
    batch: size,
    cpu_us_per_row: cost.withViews,
    without_fraud_view_cpu_us_per_row: cost.withoutViews,
    fraud_view_share: cost.share,
  });
}
console.log(
  JSON.stringify({
    bench: 'insert-touches-cost',
    table: TABLE,
    rows: ROWS,
    rounds: ROUNDS,
    load_1m: { before: loadBefore, after: Number(os.loadavg()[0]?.toFixed(2)) },
    results,
  }),
);
