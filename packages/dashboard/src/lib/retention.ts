import { num } from './api/answers.ts';

/**
 * docs/api.md says only "cohorts by install day: day-N retention for N = 0…30". The expected shape is
 * `{cohorts: [{cohort: "2026-11-01", installs: 120, retention: [1, 0.41, …, null]}]}` (rates, null
 * for days not reached yet); counts instead of rates, per-day objects and flat rows are read too.
 */
export interface Cohort {
  day: string;
  size: number;
  /** index N = day-N retention as a ratio 0…1, null when that day has not happened yet */
  rates: (number | null)[];
}

export const RETENTION_DAYS = 31;

type Raw = Record<string, unknown>;

const pick = (o: Raw, keys: string[]): unknown => keys.map((k) => o[k]).find((v) => v !== undefined);
const COHORT_KEYS = ['cohort', 'date', 'day', 'install_date', 'cohort_day', 'installed_on'];
const SIZE_KEYS = ['installs', 'size', 'cohort_size', 'users'];
const SERIES_KEYS = ['retention', 'rates', 'days', 'retained', 'values'];
const RATE_KEYS = ['rate', 'retention', 'ratio', 'percent'];
const COUNT_KEYS = ['retained', 'users', 'count', 'active', 'active_users'];
const DAY_N_KEYS = ['day', 'n', 'day_n', 'offset'];

function rateFrom(value: unknown, size: number, asCounts: boolean): number | null {
  if (value === null || value === undefined) return null;
  const n = num(value);
  if (asCounts) return size > 0 ? n / size : 0;
  return n > 1 ? n / 100 : n; // a percentage (41) read as a ratio (0.41)
}

function ratesOf(series: unknown, size: number): (number | null)[] {
  const rates: (number | null)[] = Array.from({ length: RETENTION_DAYS }, () => null);
  if (Array.isArray(series)) {
    if (series.every((v) => v === null || typeof v === 'number' || typeof v === 'string')) {
      // Plain numbers: counts if any exceeds 1 while a cohort size is known, else ratios.
      const asCounts = size > 0 && series.some((v) => num(v) > 1);
      series.slice(0, RETENTION_DAYS).forEach((v, i) => {
        rates[i] = rateFrom(v, size, asCounts);
      });
      return rates;
    }
    series.forEach((item, i) => {
      if (typeof item !== 'object' || item === null) return;
      const o = item as Raw;
      const dayN = pick(o, DAY_N_KEYS);
      const index = dayN === undefined ? i : num(dayN);
      if (index < 0 || index >= RETENTION_DAYS) return;
      const rate = pick(o, RATE_KEYS);
      rates[index] = rate !== undefined ? rateFrom(rate, size, false) : rateFrom(pick(o, COUNT_KEYS), size, true);
    });
    return rates;
  }
  if (typeof series === 'object' && series !== null) {
    const entries = Object.entries(series as Raw);
    const asCounts = size > 0 && entries.some(([, v]) => num(v) > 1);
    for (const [key, v] of entries) {
      const index = Number(key.replace(/^day_?/, ''));
      if (Number.isInteger(index) && index >= 0 && index < RETENTION_DAYS) rates[index] = rateFrom(v, size, asCounts);
    }
  }
  return rates;
}

function fromCohortObjects(items: Raw[]): Cohort[] {
  return items.map((o) => {
    const size = num(pick(o, SIZE_KEYS));
    return { day: String(pick(o, COHORT_KEYS) ?? '').slice(0, 10), size, rates: ratesOf(pick(o, SERIES_KEYS), size) };
  });
}

/** Flat rows `{cohort, day, retained|rate, installs}` grouped into cohorts. */
function fromFlatRows(rows: Raw[]): Cohort[] {
  const byDay = new Map<string, Cohort>();
  for (const row of rows) {
    const day = String(
      pick(
        row,
        COHORT_KEYS.filter((k) => k !== 'day'),
      ) ?? '',
    ).slice(0, 10);
    const cohort = byDay.get(day) ?? { day, size: 0, rates: Array.from({ length: RETENTION_DAYS }, () => null) };
    cohort.size = Math.max(
      cohort.size,
      num(
        pick(
          row,
          SIZE_KEYS.filter((k) => k !== 'users'),
        ),
      ),
    );
    const index = num(pick(row, DAY_N_KEYS));
    const rate = pick(row, RATE_KEYS);
    if (index >= 0 && index < RETENTION_DAYS) {
      cohort.rates[index] = rate !== undefined ? rateFrom(rate, cohort.size, false) : rateFrom(pick(row, COUNT_KEYS), cohort.size, true);
    }
    byDay.set(day, cohort);
  }
  return [...byDay.values()];
}

export function normalizeRetention(answer: unknown): Cohort[] {
  const container = (typeof answer === 'object' && answer !== null ? answer : {}) as Raw;
  const list = Array.isArray(answer) ? answer : (pick(container, ['cohorts', 'rows', 'data']) ?? []);
  if (!Array.isArray(list)) return [];
  const items = list.filter((x): x is Raw => typeof x === 'object' && x !== null);
  const flat =
    items.length > 0 &&
    items.every(
      (o) =>
        pick(
          o,
          SERIES_KEYS.filter((k) => k !== 'retained'),
        ) === undefined && pick(o, DAY_N_KEYS) !== undefined,
    );
  const cohorts = flat ? fromFlatRows(items) : fromCohortObjects(items);
  return cohorts.filter((c) => c.day !== '').sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** Installs-weighted average per day N over the cohorts that reached it. */
export function averageRates(cohorts: readonly Cohort[]): (number | null)[] {
  return Array.from({ length: RETENTION_DAYS }, (_, n) => {
    let weight = 0;
    let sum = 0;
    for (const c of cohorts) {
      const r = c.rates[n];
      if (r === null || r === undefined || c.size <= 0) continue;
      weight += c.size;
      sum += r * c.size;
    }
    return weight > 0 ? sum / weight : null;
  });
}

/**
 * Heat-map colour: one hue, darker for higher retention. A square-root scale, because later
 * days sit at a few percent and would otherwise all look the same; text turns white on dark cells.
 */
export function heatStyle(rate: number | null): string {
  if (rate === null) return '';
  const clamped = Math.min(1, Math.max(0, rate));
  const lightness = Math.round(97 - 64 * Math.sqrt(clamped));
  return `background:hsl(222 70% ${lightness}%);color:${lightness < 58 ? '#fff' : '#1b2333'}`;
}
