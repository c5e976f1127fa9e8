/** Number and time formatting, fixed to en-US grouping so numbers read the same for every operator. */

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const DASH = '—';

export function formatInt(value: number): string {
  return intFormat.format(value);
}

/**
 * An amount with its ISO-4217 code ("1,234.50 USD"): the API answers money in the app's reporting
 * currency and names it, so every money figure on screen says which currency it is in.
 */
export function formatMoney(value: number | null, currency?: string): string {
  if (value === null) return DASH;
  const amount = moneyFormat.format(value);
  return currency ? `${amount} ${currency}` : amount;
}

/** A ratio (0.25) as a percentage ("25.0%"); null when it is undefined (no clicks, no cost). */
export function formatPercent(ratio: number | null, digits = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return DASH;
  return `${(ratio * 100).toFixed(digits)}%`;
}

export function formatCompact(value: number): string {
  return compactFormat.format(value);
}

/** "2026-11-29 10:00:00 UTC" from an ISO string or epoch milliseconds. */
export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return DASH;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return String(value);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A bucket label for charts: "Nov 29" for days, "Nov 29 14:00" for hours (UTC). */
export function formatBucket(ms: number, interval: 'day' | 'hour'): string {
  const d = new Date(ms);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = `${month} ${d.getUTCDate()}`;
  return interval === 'day' ? day : `${day} ${String(d.getUTCHours()).padStart(2, '0')}:00`;
}
