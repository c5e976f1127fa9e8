import type { TimeRange } from '@unmogrowp/storage';
import { badRequest } from '../http/app-error.ts';

const DAY = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** docs/api.md §4: `from`/`to` are ISO dates or timestamps (UTC), `to` exclusive, default the last 30 days. */
export function parseTimeRange(query: { from?: unknown; to?: unknown }, now = Date.now()): TimeRange {
  const to = query.to === undefined ? now : parseInstant(query.to, 'to');
  const from = query.from === undefined ? to - 30 * DAY : parseInstant(query.from, 'from');
  if (from > to)
    throw badRequest('invalid_range', '`from` must not be after `to`.', {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    });
  return { from, to };
}

export function parseInstant(value: unknown, field: string): number {
  if (typeof value === 'string' && value !== '') {
    // A bare date means midnight UTC, never the server's local midnight.
    const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isFinite(ms)) return ms;
  }
  throw badRequest('invalid_time', `\`${field}\` must be an ISO-8601 date (2026-01-31) or timestamp (2026-01-31T12:00:00Z).`, { field });
}
