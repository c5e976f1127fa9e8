/**
 * bench/tail-probe: where a query's slow runs come from. Runs the named queries of the
 * 10M data set RUNS times each (after 3 warm-ups) and prints, per run, wall and process CPU
 * time, the GC pause time Node reported meanwhile, involuntary context switches (the OS took
 * the CPU away), page faults, and the 1-minute load; then the slowest runs beside the median.
 *
 *   DATA=/var/tmp/<copy> RUNS=40 ONLY=retention node --import tsx bench/tail-probe.ts
 */
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { openChdbEventStore } from '@unmogrowp/storage';

const dir = process.env['DATA'];
if (!dir) throw new Error('DATA must name a copy of the 10M query data set');
const RUNS = Number(process.env['RUNS'] ?? 40);
const DAY = 86_400_000;
const month = { from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 2, 31) };
const store = await openChdbEventStore(dir);
const app = 'bench_app';
const queries: Record<string, () => Promise<unknown>> = {
  retention: () => store.retention(app, month),
  retention_by_source: () => store.retention(app, month, { groupBy: 'media_source' }),
  retention_last_week: () => store.retention(app, { from: month.to - 7 * DAY, to: month.to }),
  overview: () => store.overview(app, month),
  // What the overview route asked before (two statements, queued on the one reader) and asks now.
  overview_route_two_statements: () => Promise.all([store.overview(app, month), store.missingRates(app, month)]),
  overview_route_one_statement: () => store.overviewWithMissingRates(app, month),
  attribution_source: () => store.attribution(app, month, { groupBy: ['media_source'] }),
  timeseries_active_users_day: () => store.timeseries(app, month, { metric: 'active_users', interval: 'day' }),
};

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

const only = (process.env['ONLY'] ?? 'retention').split(',');
for (const name of only) {
  const run = queries[name];
  if (!run) throw new Error(`unknown query ${name}`);
  for (let i = 0; i < 3; i++) await run();
  const rows = [];
  for (let i = 0; i < RUNS; i++) {
    const before = process.resourceUsage();
    const gcBefore = gcMs;
    const start = performance.now();
    await run();
    const wall = performance.now() - start;
    // Let the GC observer's entries of this run arrive before reading them.
    await new Promise((r) => setImmediate(r));
    const after = process.resourceUsage();
    rows.push({
      run: i,
      wall_ms: Math.round(wall),
      cpu_ms: Math.round((after.userCPUTime - before.userCPUTime + after.systemCPUTime - before.systemCPUTime) / 1000),
      sys_ms: Math.round((after.systemCPUTime - before.systemCPUTime) / 1000),
      gc_ms: Math.round(gcMs - gcBefore),
      invol_cs: after.involuntaryContextSwitches - before.involuntaryContextSwitches,
      vol_cs: after.voluntaryContextSwitches - before.voluntaryContextSwitches,
      minflt: after.minorPageFault - before.minorPageFault,
      majflt: after.majorPageFault - before.majorPageFault,
      load1: Number(os.loadavg()[0]?.toFixed(2)),
    });
  }
  const sorted = [...rows].sort((a, b) => a.wall_ms - b.wall_ms);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  console.log(JSON.stringify({ query: name, runs: RUNS, p50: at(0.5), p95: at(0.95), slowest: sorted.slice(-4), fastest: sorted[0] }));
  if (process.env['ALL']) for (const r of rows) console.log(JSON.stringify(r));
}
await store.close();
