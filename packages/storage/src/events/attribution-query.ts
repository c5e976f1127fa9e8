import { DAYS_IN_RANGE, EVENT_SOURCE, INSTALL_SOURCE, inRange, NEW_INSTALL } from './analytics-queries.ts';
import { ATTRIBUTION_DIMENSIONS, type AttributionDimension } from './analytics-types.ts';
import { converted, withRates } from './money-sql.ts';
import { EVENT_CURRENCY } from './rollups.ts';
import { ROLLUP_HOURS, rawEdges } from './time-split.ts';

/**
 * The attribution report's SQL for a chosen set of dimensions. Dimensions are validated
 * against ATTRIBUTION_DIMENSIONS and the SQL is assembled from constant expressions only, so
 * the text never carries input. One statement, its parts UNION ALL'd and summed per key: the
 * hourly rollups for the whole hours; clicks, impressions, new installs and revenue of events
 * (by the attribution they inherit) from the raw tables at the edges; costs; re-engagements (by
 * the re-engagement's own attribution) and re-attributions (new installs marked so) over the whole
 * range from their raw tables. Revenue and cost carry their day and currency and are converted
 * into the reporting currency `{ccy:String}` (money-sql.ts). Keys come out as `k0…k4` in the
 * order of `dimensions`.
 */

/** The dimensions in canonical order, `media_source` always first; throws on an unknown one. */
export function attributionDimensions(requested: readonly string[]): AttributionDimension[] {
  for (const d of requested) {
    if (!(ATTRIBUTION_DIMENSIONS as readonly string[]).includes(d)) {
      throw new RangeError(`cannot group by ${JSON.stringify(d)}; use any of ${ATTRIBUTION_DIMENSIONS.join(', ')}`);
    }
  }
  return ATTRIBUTION_DIMENSIONS.filter((d) => d === 'media_source' || requested.includes(d));
}

type Source = 'traffic_hourly' | 'revenue_hourly' | 'clicks' | 'impressions' | 'installs' | 'events' | 'costs' | 'reengagements';

/** How each source spells a dimension. Costs are known per (source, campaign) only; the rollup's media_source is normalized already. */
function keyExpr(source: Source, dim: AttributionDimension): string {
  if (dim === 'media_source') {
    if (source === 'installs') return INSTALL_SOURCE;
    if (source === 'events') return EVENT_SOURCE;
    return 'media_source';
  }
  if (source === 'costs' && dim !== 'campaign') return `''`;
  return dim;
}

const ZERO_COUNT = 'toUInt64(0)';
const ZERO_MONEY = 'toFloat64(0)';

interface Part {
  source: Source;
  from: string;
  where: string;
  clicks?: string;
  impressions?: string;
  installs?: string;
  revenue?: string;
  cost?: string;
  reengagements?: string;
  reattributions?: string;
  /** the day and currency of the part's money (revenue, cost), to convert it with that day's rate */
  money?: { day: string; currency: string };
}

const PARTS: Part[] = [
  {
    source: 'traffic_hourly',
    from: 'traffic_hourly',
    where: ROLLUP_HOURS,
    clicks: 'sum(clicks)',
    impressions: 'sum(impressions)',
    installs: 'sum(attributed + organic)',
    reattributions: 'sum(reattributions)',
  },
  {
    source: 'revenue_hourly',
    from: 'revenue_hourly',
    where: ROLLUP_HOURS,
    revenue: 'sum(revenue)',
    money: { day: 'toDate(hour)', currency: 'currency' },
  },
  { source: 'clicks', from: 'clicks', where: `${rawEdges('ts')} AND fraud_reason = ''`, clicks: 'count()' },
  { source: 'impressions', from: 'impressions', where: `${rawEdges('ts')} AND fraud_reason = ''`, impressions: 'count()' },
  {
    source: 'installs',
    from: 'installs',
    where: `${rawEdges('installed_at')} AND ${NEW_INSTALL}`,
    installs: 'count()',
    reattributions: `countIf(status = 'attributed' AND is_reattribution)`,
  },
  {
    source: 'events',
    from: 'events',
    where: `${rawEdges('ts')} AND revenue != 0`,
    revenue: 'sum(revenue)',
    money: { day: 'toDate(ts)', currency: EVENT_CURRENCY },
  },
  { source: 'costs', from: 'costs FINAL', where: DAYS_IN_RANGE, cost: 'sum(cost)', money: { day: 'date', currency: 'currency' } },
  // A replayed open may be stored twice (restart-state.ts): each open's event id counts once.
  { source: 'reengagements', from: 'reengagements', where: inRange('at'), reengagements: 'uniqExact(event_id)' },
];

function partSql(part: Part, dims: readonly AttributionDimension[]): string {
  const keys = dims.map((d, i) => `toString(${keyExpr(part.source, d)}) AS k${i}`);
  const measures = [
    `${part.clicks ?? ZERO_COUNT} AS c`,
    `${part.impressions ?? ZERO_COUNT} AS i`,
    `${part.installs ?? ZERO_COUNT} AS n`,
    `${part.revenue ?? ZERO_MONEY} AS r`,
    `${part.cost ?? ZERO_MONEY} AS s`,
    `${part.reengagements ?? ZERO_COUNT} AS g`,
    `${part.reattributions ?? ZERO_COUNT} AS a`,
    part.money ? `${part.money.day} AS day` : `toDate('1970-01-01') AS day`,
    part.money ? `toString(${part.money.currency}) AS cur` : `'' AS cur`,
  ];
  const groupBy = [...dims.map((_, i) => `k${i}`), ...(part.money ? ['day', 'cur'] : [])].join(', ');
  return `SELECT ${[...keys, ...measures].join(', ')} FROM ${part.from} WHERE app_id = {app:String} AND ${part.where} GROUP BY ${groupBy}`;
}

/**
 * Rows `{k0…, clicks, impressions, installs, revenue, cost, reengagements, reattributions}`,
 * ordered by the keys; revenue and cost in `{ccy:String}` (amounts without a rate left out).
 */
export function attributionSql(dims: readonly AttributionDimension[]): string {
  if (dims.length === 0 || dims[0] !== 'media_source') throw new RangeError('attributionSql needs attributionDimensions()');
  const keys = dims.map((_, i) => `k${i}`).join(', ');
  return `
SELECT ${keys}, sum(c) AS clicks, sum(i) AS impressions, sum(n) AS installs,
  round(sum(${converted('u.r')}), 6) AS revenue, round(sum(${converted('u.s')}), 6) AS cost,
  sum(g) AS reengagements, sum(a) AS reattributions
FROM ${withRates(PARTS.map((p) => partSql(p, dims)).join('\nUNION ALL\n'))}
GROUP BY ${keys}
ORDER BY ${keys}`;
}
