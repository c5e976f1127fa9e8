import type { CostRow } from './analytics-types.ts';

/**
 * Ad-spend rows → values for the `costs` table (ReplacingMergeTree keyed by app, date, source,
 * campaign; the highest `imported_at` wins). Pure, except for the clock `importVersion` reads.
 * Unlike events, costs come from one person's import, so a bad row fails the import with a
 * sentence naming it instead of being stored half-right.
 */

export const COST_COLUMNS = ['app_id', 'date', 'media_source', 'campaign', 'cost', 'currency', 'imported_at'] as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class CostInputError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`cost row ${index}: ${message}`);
    this.name = 'CostInputError';
  }
}

/** True for a real calendar day the `Date` column can hold (1970-01-01 … 2149-06-06). */
function isStorableDay(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value && ms >= 0 && ms <= Date.UTC(2149, 5, 6);
}

/**
 * Checks every row and keeps the last of rows sharing (date, media_source, campaign), so one
 * import holds one value per key whatever the engine does with rows of equal version.
 */
export function normalizeCosts(rows: readonly CostRow[]): Required<CostRow>[] {
  const byKey = new Map<string, Required<CostRow>>();
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null) throw new CostInputError(index, 'is not an object');
    if (typeof row.date !== 'string' || !isStorableDay(row.date)) throw new CostInputError(index, '`date` must be a day YYYY-MM-DD');
    if (typeof row.media_source !== 'string' || row.media_source === '')
      throw new CostInputError(index, '`media_source` must be a non-empty string');
    const campaign = row.campaign ?? '';
    if (typeof campaign !== 'string') throw new CostInputError(index, '`campaign` must be a string');
    if (typeof row.cost !== 'number' || !Number.isFinite(row.cost) || row.cost < 0)
      throw new CostInputError(index, '`cost` must be a finite number ≥ 0');
    if (typeof row.currency !== 'string') throw new CostInputError(index, '`currency` must be a string');
    const clean = { date: row.date, media_source: row.media_source, campaign, cost: row.cost, currency: row.currency };
    const key = JSON.stringify([clean.date, clean.media_source, clean.campaign]);
    byKey.delete(key); // re-inserted below, so the map keeps the order of last appearance
    byKey.set(key, clean);
  });
  return [...byKey.values()];
}

let lastVersion = 0;

/**
 * The `imported_at` of an import: the clock in ms, but always later than this process's
 * previous import, so two imports in one millisecond still order (the later one wins).
 */
export function importVersion(now = Date.now()): number {
  lastVersion = Math.max(Math.floor(now), lastVersion + 1);
  return lastVersion;
}

/** The values of one cost row, in `COST_COLUMNS` order. */
export function costValues(appId: string, version: number): (row: Required<CostRow>) => (string | number)[] {
  return (row) => [appId, row.date, row.media_source, row.campaign, row.cost, row.currency, version];
}
