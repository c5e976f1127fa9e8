import { BodyError, jsonKind } from './body-error.ts';
import type { FieldReader } from './field-reader.ts';
import { parseIsoTimestamp } from './iso-time.ts';
import { MAX_FUTURE_MS, MAX_PAST_MS } from './limits.ts';

/**
 * Device time corrected for the device clock's skew (docs/api.md §2):
 * `ts = received_at − (sent_at − timestamp)`, i.e. the event happened as long before the server
 * received the request as it happened before the device sent it. Without `sent_at` the device
 * time is used as is. Either way the result must fall within [received_at − 366 d, received_at + 24 h].
 */
export function correctedTime(r: FieldReader, deviceTs: number, sentAt: number | undefined, receivedAt: number, field: string): number {
  const ts = sentAt === undefined ? deviceTs : receivedAt - (sentAt - deviceTs);
  if (ts > receivedAt + MAX_FUTURE_MS) {
    r.fail(
      'timestamp_out_of_range',
      `\`${field}\` is ${describeGap(ts - receivedAt)} in the future${sentAt === undefined ? '' : ' after clock-skew correction'}; at most 24 hours is accepted. Check the device clock${sentAt === undefined ? ', or send `sent_at` so the server can correct it' : ''}.`,
      { field, timestamp: isoOrNull(ts), max_future_hours: MAX_FUTURE_MS / 3_600_000 },
    );
  } else if (ts < receivedAt - MAX_PAST_MS) {
    r.fail(
      'timestamp_out_of_range',
      `\`${field}\` is ${describeGap(receivedAt - ts)} in the past${sentAt === undefined ? '' : ' after clock-skew correction'}; events older than 366 days are not accepted.`,
      { field, timestamp: isoOrNull(ts), max_age_days: MAX_PAST_MS / 86_400_000 },
    );
  }
  return ts;
}

/** A batch-level send time applies to every item, so a bad one makes the whole body unusable. */
export function readBodyTimestamp(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const ms = parseIsoTimestamp(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new BodyError(
    400,
    'invalid_timestamp',
    `\`${field}\` must be an ISO-8601 date-time with a zone, e.g. "2024-05-01T12:30:00.000Z" (got ${jsonKind(value)}).`,
    { field },
  );
}

function describeGap(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 48) return `${Math.round(hours)} hours`;
  return `${Math.round(hours / 24)} days`;
}

function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : null;
}
