/**
 * bench/overview-parts: CPU and wall time of each subquery of the overview statement, run
 * alone, on a data directory made by bench/queries (DATA=…). Finds which part of the overview
 * to cut. Prints one JSON line. RANGE=month|unaligned|two_months|quarter (month), RUNS (15).
 *
 *   DATA=/var/tmp/q10m node --import tsx bench/overview-parts.ts
 */
import { Session } from 'chdb';
import { overviewSql } from '../packages/storage/src/events/analytics-queries.ts';
import { monthsSpanned, rangeShape, splitRange } from '../packages/storage/src/events/time-split.ts';
import { overviewRanges } from './lib/overview-ranges.ts';
import { timeAlternating } from './lib/statement-timing.ts';

const ranges = overviewRanges(Date.UTC(2024, 2, 1));
const { from, to } = ranges[(process.env['RANGE'] ?? 'month') as keyof typeof ranges] ?? ranges.month;
const RUNS = Number(process.env['RUNS'] ?? 15);
const split = splitRange(from, to);
const params = { app: 'bench_app', ...split, ccy: 'USD' };
const sql = overviewSql(monthsSpanned(split), rangeShape(split));

// The CTEs of the WITH clause, each as its own statement.
const body = sql.slice(sql.indexOf('WITH') + 4, sql.lastIndexOf('SELECT\n'));
const parts: Record<string, string> = {};
let depth = 0;
let from_ = 0;
for (let i = 0; i < body.length; i++) {
  if (body[i] === '(') depth++;
  if (body[i] === ')') depth--;
  if ((body[i] === ',' && depth === 0) || i === body.length - 1) {
    const cte = body.slice(from_, i).trim();
    const m = /^(\w+) AS \(([\s\S]*)\)$/.exec(cte);
    if (m) parts[m[1]!] = m[2]!;
    from_ = i + 1;
  }
}
parts['whole'] = sql;

const session = new Session(process.env['DATA'] ?? '/var/tmp/q10m');
const out: Record<string, { wall_p50: number; cpu_p50: number }> = {};
for (const [name, q] of Object.entries(parts)) {
  const { wall_p50, cpu_p50 } = (await timeAlternating({ [name]: q }, (sql) => session.queryBindAsync(sql, params), RUNS))[name]!;
  out[name] = { wall_p50, cpu_p50 };
}
session.close();
console.log(JSON.stringify({ bench: 'overview-parts', range: process.env['RANGE'] ?? 'month', parts: out }));
