import { ratio, toMissingRates } from './analytics-shapes.ts';
import { toNumber } from './event-queries.ts';
import type { TimeRange } from './event-store.ts';
import { type LtvCohort, type LtvGroup, type LtvReport, ROAS_DAYS } from './ltv-types.ts';

/**
 * ltv-query.ts rows → the cohort LTV report. Pure: `now` is passed in. A cell is a result only
 * once its day has ended: day N of a cohort ends at cohort + N + 1 days (UTC), and until then it
 * is null, never 0 (its revenue is still arriving). Sums are added up here from the per-day rows,
 * so cumulative figures and the group figures come from the same numbers. Money rows come per
 * currency, already converted; those flagged `missing` (value 0) are named in `missing_rates`.
 */

type Row = Record<string, unknown>;

const DAY_MS = 86_400_000;

interface CohortSums {
  day: string;
  dayMs: number;
  source: string;
  campaign: string;
  installs: number;
  /** revenue per day N (not cumulative) */
  revenue: Map<number, number>;
}

interface Shaped {
  cohort: CohortSums;
  /** cumulative revenue to the end of day N, for N = 0…last */
  cumulative: number[];
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const groupKey = (source: string, campaign: string) => `${source}\u0000${campaign}`;
const dayMsOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** Day N of a cohort starting at `dayMs` has ended by `now`. */
const ended = (dayMs: number, n: number, now: number) => dayMs + (n + 1) * DAY_MS <= now;
const byKeys = (a: readonly string[], b: readonly string[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? '') < (b[i] ?? '') ? -1 : 1;
  return 0;
};

/**
 * `currency\0day` of a money row without a rate: a cost row's day is its own, a revenue row's
 * is the event's, cohort + n (as the query joined the rate on).
 */
function missingKey(row: Row, kind: string): string {
  const day = String(row['day']);
  const eventDay = kind === 'revenue' ? new Date(dayMsOf(day) + toNumber(row['n'], 'n') * DAY_MS).toISOString().slice(0, 10) : day;
  return `${String(row['cur'])}\u0000${eventDay}`;
}

export interface LtvShapeOptions {
  byCampaign: boolean;
  /** the last day N listed */
  days: number;
  now: number;
  range: TimeRange;
}

export function toLtvReport(rows: readonly Row[], options: LtvShapeOptions): LtvReport {
  const { byCampaign, days, now } = options;
  const cohorts = new Map<string, CohortSums>();
  const costs = new Map<string, Map<string, number>>();
  const revenueRows: Row[] = [];
  const missing = new Set<string>();
  for (const row of rows) {
    const kind = String(row['kind']);
    const day = String(row['day']);
    const source = String(row['source'] ?? '');
    const campaign = byCampaign ? String(row['camp'] ?? '') : '';
    const value = toNumber(row['value'], 'value');
    if (kind !== 'installs' && toNumber(row['missing'], 'missing') === 1) missing.add(missingKey(row, kind));
    if (kind === 'installs') {
      cohorts.set(`${day}\u0000${groupKey(source, campaign)}`, {
        day,
        dayMs: dayMsOf(day),
        source,
        campaign,
        installs: value,
        revenue: new Map(),
      });
    } else if (kind === 'cost') {
      const perDay = costs.get(groupKey(source, campaign)) ?? new Map<string, number>();
      perDay.set(day, (perDay.get(day) ?? 0) + value);
      costs.set(groupKey(source, campaign), perDay);
    } else if (kind === 'revenue') revenueRows.push(row);
    else throw new Error(`event store returned an unknown LTV row kind ${kind}`);
  }
  for (const row of revenueRows) {
    const key = `${String(row['day'])}\u0000${groupKey(String(row['source'] ?? ''), byCampaign ? String(row['camp'] ?? '') : '')}`;
    const cohort = cohorts.get(key);
    // Revenue belongs to a cohort of the range, whose size row is always there (same statement).
    if (!cohort) continue;
    const n = toNumber(row['n'], 'n');
    cohort.revenue.set(n, (cohort.revenue.get(n) ?? 0) + toNumber(row['value'], 'value'));
  }

  const last = Math.max(days, ...ROAS_DAYS);
  const shaped: Shaped[] = [...cohorts.values()]
    .sort((a, b) => byKeys([a.day, a.source, a.campaign], [b.day, b.source, b.campaign]))
    .map((cohort) => {
      const cumulative: number[] = [];
      let sum = 0;
      for (let n = 0; n <= last; n++) {
        sum += cohort.revenue.get(n) ?? 0;
        cumulative.push(sum);
      }
      return { cohort, cumulative };
    });

  const cells = (picked: readonly Shaped[], n: number) => {
    const complete = picked.filter((s) => ended(s.cohort.dayMs, n, now));
    const revenue = complete.reduce((acc, s) => acc + (s.cumulative[n] ?? 0), 0);
    const installs = complete.reduce((acc, s) => acc + s.cohort.installs, 0);
    return { complete: complete.length, revenue, installs };
  };

  const out: LtvReport = {
    cohorts: shaped.map(
      ({ cohort, cumulative }): LtvCohort => ({
        cohort: cohort.day,
        media_source: cohort.source,
        ...(byCampaign ? { campaign: cohort.campaign } : {}),
        installs: cohort.installs,
        ltv: Array.from({ length: days + 1 }, (_, n) => (ended(cohort.dayMs, n, now) ? ratio(cumulative[n] ?? 0, cohort.installs) : null)),
      }),
    ),
    groups: [],
    missing_rates: toMissingRates(
      [...missing].sort().map((key) => {
        const [currency, day_text] = key.split('\u0000');
        return { currency, day_text };
      }),
    ),
  };

  const groupKeys = new Map<string, { source: string; campaign: string }>();
  for (const { cohort } of shaped)
    groupKeys.set(groupKey(cohort.source, cohort.campaign), { source: cohort.source, campaign: cohort.campaign });
  for (const key of costs.keys()) {
    const [source = '', campaign = ''] = key.split('\u0000');
    groupKeys.set(key, { source, campaign });
  }
  const firstDayMs = Math.floor(options.range.from / DAY_MS) * DAY_MS;
  const hasDays = options.range.from < options.range.to;

  for (const [key, { source, campaign }] of [...groupKeys].sort((a, b) =>
    byKeys([a[1].source, a[1].campaign], [b[1].source, b[1].campaign]),
  )) {
    const mine = shaped.filter((s) => s.cohort.source === source && s.cohort.campaign === campaign);
    const spend = costs.get(key) ?? new Map<string, number>();
    const roasAt = (n: number) => {
      // No day of the range has reached day N yet: nothing to say, not 0.
      if (!hasDays || !ended(firstDayMs, n, now)) return { revenue: null, cost: null, roas: null };
      const revenue = round6(cells(mine, n).revenue);
      let cost = 0;
      for (const [day, amount] of spend) if (ended(dayMsOf(day), n, now)) cost += amount;
      return { revenue, cost: round6(cost), roas: ratio(revenue, round6(cost)) };
    };
    const [d7, d30] = ROAS_DAYS.map(roasAt) as [ReturnType<typeof roasAt>, ReturnType<typeof roasAt>];
    const group: LtvGroup = {
      media_source: source,
      ...(byCampaign ? { campaign } : {}),
      installs: mine.reduce((acc, s) => acc + s.cohort.installs, 0),
      cost: round6([...spend.values()].reduce((a, b) => a + b, 0)),
      ltv: Array.from({ length: days + 1 }, (_, n) => {
        const c = cells(mine, n);
        return c.complete === 0 ? null : ratio(c.revenue, c.installs);
      }),
      revenue_d7: d7.revenue,
      cost_d7: d7.cost,
      roas_d7: d7.roas,
      revenue_d30: d30.revenue,
      cost_d30: d30.cost,
      roas_d30: d30.roas,
    };
    out.groups.push(group);
  }
  return out;
}
