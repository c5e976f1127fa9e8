/**
 * bench/queries: p50/p95 of every analytics query of the event store on the embedded engine,
 * over synthetic data generated in the engine (bench/lib/query-data.ts). Prints one JSON line.
 * Options (env): EVENTS (10M), INSTALLS (1M), CLICKS (3M), IMPRESSIONS (5M), DAYS (30),
 * RUNS (20, after 3 warm-up runs), ONLY (comma-separated query names), DATA (a directory to
 * keep the generated data in and reuse on the next run with the same shape; default a temp
 * directory, removed at the end).
 *
 *   node --import tsx bench/queries.ts
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { openChdbEventStore } from '@unmogrowp/storage';
import { Session } from 'chdb';
import { overviewRanges } from './lib/overview-ranges.ts';
import { costRows, type DataShape, GENERATE_CLICKS, GENERATE_EVENTS, GENERATE_IMPRESSIONS, GENERATE_INSTALLS } from './lib/query-data.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const shape: DataShape = {
  app: 'bench_app',
  start: Date.UTC(2024, 2, 1),
  days: env('DAYS', 30),
  installs: env('INSTALLS', 1_000_000),
  events: env('EVENTS', 10_000_000),
  clicks: env('CLICKS', 3_000_000),
  impressions: env('IMPRESSIONS', 5_000_000),
};
const RUNS = env('RUNS', 20);
const WARMUP = 3;
const DAY = 86_400_000;

const keep = process.env['DATA'];
const dir = keep ?? mkdtempSync(path.join(tmpdir(), 'unmogrowp-bench-queries-'));
const marker = path.join(dir, `bench-${JSON.stringify(shape).replace(/\W+/g, '_')}.done`);
const reuse = keep !== undefined && existsSync(marker);
let store = await openChdbEventStore(dir);
await store.migrate();

const t0 = performance.now();
if (!reuse) {
  // A second session on the same path (allowed in-process) for the bulk INSERT … SELECT.
  const gen = new Session(dir);
  try {
    const base = { app: shape.app, start: shape.start, days: shape.days, installs: shape.installs };
    await gen.queryBindAsync(GENERATE_INSTALLS, base);
    await gen.queryBindAsync(GENERATE_EVENTS, { ...base, events: shape.events });
    await gen.queryBindAsync(GENERATE_CLICKS, { ...base, count: shape.clicks });
    await gen.queryBindAsync(GENERATE_IMPRESSIONS, { ...base, count: shape.impressions });
    // Merge parts as background merges would on a running server, so the figures are steady-state.
    for (const table of ['events', 'installs', 'clicks', 'impressions', 'traffic_hourly', 'device_hours', 'device_months']) {
      await gen.queryAsync(`OPTIMIZE TABLE ${table} FINAL`);
    }
  } finally {
    gen.close();
  }
}
if (!reuse) await store.upsertCosts(shape.app, costRows(shape));
if (keep && !reuse) writeFileSync(marker, '');
const generateSeconds = (performance.now() - t0) / 1000;
// Reopen, so the queries run on a store as a restarted server would see it.
await store.close();
store = await openChdbEventStore(dir);

const loadBefore = Number(os.loadavg()[0]?.toFixed(2));
const { month, unaligned, two_months: twoMonths, quarter } = overviewRanges(shape.start, shape.days);
const week = { from: month.to - 7 * DAY, to: month.to };
const app = shape.app;

const queries: Record<string, () => Promise<unknown>> = {
  overview: () => store.overview(app, month),
  overview_unaligned: () => store.overview(app, unaligned),
  overview_two_months_unaligned: () => store.overview(app, twoMonths),
  overview_quarter: () => store.overview(app, quarter),
  timeseries_installs_day: () => store.timeseries(app, month, { metric: 'installs', interval: 'day' }),
  timeseries_events_day: () => store.timeseries(app, month, { metric: 'events', interval: 'day' }),
  timeseries_revenue_day: () => store.timeseries(app, month, { metric: 'revenue', interval: 'day' }),
  timeseries_active_users_day: () => store.timeseries(app, month, { metric: 'active_users', interval: 'day' }),
  timeseries_installs_hour_unaligned: () => store.timeseries(app, unaligned, { metric: 'installs', interval: 'hour' }),
  timeseries_active_users_hour: () => store.timeseries(app, month, { metric: 'active_users', interval: 'hour' }),
  attribution_source: () => store.attribution(app, month, { groupBy: ['media_source'] }),
  attribution_source_campaign: () => store.attribution(app, month, { groupBy: ['media_source', 'campaign'] }),
  attribution_source_campaign_unaligned: () => store.attribution(app, unaligned, { groupBy: ['media_source', 'campaign'] }),
  attribution_all_dimensions: () => store.attribution(app, month, { groupBy: ['media_source', 'campaign', 'ad_set', 'ad', 'site_id'] }),
  retention: () => store.retention(app, month),
  retention_by_source: () => store.retention(app, month, { groupBy: 'media_source' }),
  retention_last_week: () => store.retention(app, week),
  fraud: () => store.fraud(app, month),
  fraud_unaligned: () => store.fraud(app, unaligned),
  // Cohort LTV days 0…90 and ROAS D7/D30 (an ASOF join of the revenue events to the installs).
  ltv_by_source: () => store.ltv(app, month, { groupBy: ['media_source'] }),
  ltv_by_campaign: () => store.ltv(app, month, { groupBy: ['media_source', 'campaign'] }),
  ltv_last_week: () => store.ltv(app, week, { groupBy: ['media_source'], days: 30 }),
};

// Wall time, and CPU time of the whole process (the engine runs in it): on a shared machine the
// second shows what a query costs when the first is inflated by other work.
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0).toFixed(1));
}

const results: Record<string, { p50_ms: number; p95_ms: number; max_ms: number; cpu_p50_ms: number }> = {};
const only = process.env['ONLY']?.split(',');
for (const [name, run] of Object.entries(queries)) {
  if (only && !only.includes(name)) continue;
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  results[name] = {
    p50_ms: quantile(times, 0.5),
    p95_ms: quantile(times, 0.95),
    max_ms: quantile(times, 1),
    cpu_p50_ms: quantile(cpu, 0.5),
  };
}

// The export: every install of the month, streamed in chunks.
const exportStart = performance.now();
let exported = 0;
for await (const chunk of store.installs(app, month, { chunkRows: 10_000 })) exported += chunk.length;
const exportSeconds = (performance.now() - exportStart) / 1000;

const overview = await store.overview(app, month);
await store.close();
if (!keep) rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'queries',
    // 1-minute load average before and after the queries: above the core count, other work shared the CPU.
    load_1m: { before: loadBefore, after: Number(os.loadavg()[0]?.toFixed(2)) },
    shape: { ...shape, start: new Date(shape.start).toISOString() },
    generate_s: reuse ? 'reused' : Number(generateSeconds.toFixed(1)),
    runs: RUNS,
    check: { total_events: overview.total_events, installs: overview.installs, active_users: overview.active_users },
    queries: results,
    installs_export: { rows: exported, seconds: Number(exportSeconds.toFixed(2)), rows_per_s: Math.round(exported / exportSeconds) },
  }),
);
