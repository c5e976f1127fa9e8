/**
 * The dashboard's date range: whole UTC days, both ends inclusive as a person reads them
 * ("1 Nov – 30 Nov"); `toApiRange` turns the end into docs/api.md's exclusive `to`.
 */
export type Preset = '7d' | '30d' | '90d' | 'custom';

export interface DateRange {
  preset: Preset;
  /** YYYY-MM-DD, first day included */
  from: string;
  /** YYYY-MM-DD, last day included */
  to: string;
}

export const PRESETS: readonly { id: Exclude<Preset, 'custom'>; days: number; label: string }[] = [
  { id: '7d', days: 7, label: 'Last 7 days' },
  { id: '30d', days: 30, label: 'Last 30 days' },
  { id: '90d', days: 90, label: 'Last 90 days' },
];

const DAY_MS = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
/** Long enough for a year of daily cohorts; longer ranges make every chart unreadable. */
export const MAX_RANGE_DAYS = 366;

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

export function isDay(value: string): boolean {
  return DAY_RE.test(value) && Number.isFinite(dayStartMs(value)) && utcDay(dayStartMs(value)) === value;
}

export function addDays(day: string, n: number): string {
  return utcDay(dayStartMs(day) + n * DAY_MS);
}

/** Days from `from` to `to`, both included. */
export function dayCount(from: string, to: string): number {
  return Math.round((dayStartMs(to) - dayStartMs(from)) / DAY_MS) + 1;
}

/** The last N days ending today (UTC), today included. */
export function presetRange(preset: Exclude<Preset, 'custom'>, now = Date.now()): DateRange {
  const days = PRESETS.find((p) => p.id === preset)?.days ?? 30;
  const today = utcDay(now);
  return { preset, from: addDays(today, -(days - 1)), to: today };
}

export function defaultRange(now = Date.now()): DateRange {
  return presetRange('30d', now);
}

/** A sentence telling what is wrong with a custom range, or null when it is fine. */
export function checkCustomRange(from: string, to: string): string | null {
  if (!isDay(from) || !isDay(to)) return 'Pick both a start and an end date.';
  if (from > to) return 'The start date must be on or before the end date.';
  if (dayCount(from, to) > MAX_RANGE_DAYS) return `Pick at most ${MAX_RANGE_DAYS} days.`;
  return null;
}

/** docs/api.md: `to` is exclusive, so the day after the last included day. */
export function toApiRange(range: Pick<DateRange, 'from' | 'to'>): { from: string; to: string } {
  return { from: range.from, to: addDays(range.to, 1) };
}

export function describeRange(range: DateRange): string {
  const preset = PRESETS.find((p) => p.id === range.preset);
  if (preset) return preset.label;
  return range.from === range.to ? range.from : `${range.from} – ${range.to}`;
}

/** A stored range, if it is still valid; presets are recomputed so "last 7 days" moves with the calendar. */
export function reviveRange(raw: string | null, now = Date.now()): DateRange {
  if (!raw) return defaultRange(now);
  try {
    const parsed = JSON.parse(raw) as Partial<DateRange>;
    if (parsed.preset === '7d' || parsed.preset === '30d' || parsed.preset === '90d') return presetRange(parsed.preset, now);
    if (parsed.preset === 'custom' && typeof parsed.from === 'string' && typeof parsed.to === 'string') {
      if (checkCustomRange(parsed.from, parsed.to) === null) return { preset: 'custom', from: parsed.from, to: parsed.to };
    }
  } catch {
    // Unreadable: fall through to the default.
  }
  return defaultRange(now);
}
