import type { CostRow } from './analytics-types.ts';
import type { CostFilter, CostKey } from './event-store.ts';
import type { FxRateFilter, FxRateKey, FxRateRow } from './fx-rate-rows.ts';

/**
 * Query parameters and row reading of the spend tables' list and delete statements (costs and
 * FX rates, both imported by operators): what the store adapter binds to COSTS_LIST_SQL,
 * COSTS_DELETE_SQL, FX_RATES_LIST_SQL and FX_RATES_DELETE_SQL, and how it reads their rows.
 */
const MAX_LIST = 5000;
const FIRST_DAY = '1970-01-01';
const LAST_DAY = '2149-06-06';

/** A day the `Date` column reads as itself, or a RangeError naming the field. */
function checkedDay(value: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new RangeError(`${field} must be a day YYYY-MM-DD`);
  }
  return value;
}

const limitOf = (limit: number | undefined) => Math.min(Math.max(Math.trunc(limit ?? MAX_LIST), 1), MAX_LIST);

export function costListParams(appId: string, filter: CostFilter): Record<string, unknown> {
  return {
    app: appId,
    dfrom: checkedDay(filter.from ?? FIRST_DAY, 'from'),
    dto: checkedDay(filter.to ?? LAST_DAY, 'to'),
    source: filter.media_source ?? '',
    limit: limitOf(filter.limit),
  };
}

export function costOf(r: Record<string, unknown>): Required<CostRow> {
  return {
    date: String(r['day']),
    media_source: String(r['media_source']),
    campaign: String(r['campaign']),
    cost: Number(r['cost']),
    currency: String(r['currency']),
  };
}

export function costDeleteParams(appId: string, key: CostKey): Record<string, unknown> {
  return { app: appId, day: checkedDay(key.date, 'date'), source: key.media_source, campaign: key.campaign };
}

export function fxRateListParams(appId: string, filter: FxRateFilter): Record<string, unknown> {
  return {
    app: appId,
    dfrom: checkedDay(filter.from ?? FIRST_DAY, 'from'),
    dto: checkedDay(filter.to ?? LAST_DAY, 'to'),
    cur: filter.currency ?? '',
    to_cur: filter.to_currency ?? '',
    limit: limitOf(filter.limit),
  };
}

export function fxRateOf(r: Record<string, unknown>): FxRateRow {
  return { date: String(r['day']), currency: String(r['cur']), to_currency: String(r['to_cur']), rate: Number(r['r']) };
}

export function fxRateDeleteParams(appId: string, key: FxRateKey): Record<string, unknown> {
  return { app: appId, day: checkedDay(key.date, 'date'), cur: key.currency, to_cur: key.to_currency };
}
