/**
 * ISO-8601 / RFC 3339 date-time with an explicit UTC offset:
 * `YYYY-MM-DD(T|t| )hh:mm[:ss[(.|,)fraction]](Z|z|±hh[[:]mm])`.
 * `Date.parse` alone is too lenient ("March 7, 2024" parses) and reads a zone-less time in the
 * server's local zone. Hand-parsed by character code: this runs once or twice per event on the
 * ingest hot path, where a regex match and its substrings cost several times more.
 */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ZERO = 48;
const DASH = 45;
const COLON = 58;

/** Epoch ms, or NaN when `value` is not an ISO-8601 date-time with a zone. */
export function parseIsoTimestamp(value: string): number {
  const len = value.length;
  if (len < 17) return Number.NaN;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const sep = value.charCodeAt(10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    value.charCodeAt(4) !== DASH ||
    value.charCodeAt(7) !== DASH ||
    value.charCodeAt(13) !== COLON ||
    (sep !== 84 && sep !== 116 && sep !== 32) // T t space
  ) {
    return Number.NaN;
  }
  let i = 16;
  let second = 0;
  let ms = 0;
  if (value.charCodeAt(i) === COLON) {
    second = digits(value, i + 1, 2);
    if (second < 0 || second > 59) return Number.NaN;
    i += 3;
    const dot = value.charCodeAt(i);
    if (dot === 46 || dot === 44) {
      // Sub-millisecond digits (PostHog sends microseconds) are truncated, not rounded.
      const start = ++i;
      while (i < len && isDigit(value.charCodeAt(i))) {
        if (i - start < 3) ms += (value.charCodeAt(i) - ZERO) * (i === start ? 100 : i === start + 1 ? 10 : 1);
        i++;
      }
      if (i === start) return Number.NaN;
    }
  }
  const offset = offsetMinutes(value, i);
  if (Number.isNaN(offset)) return Number.NaN;
  return utcMillis(year, month, day, hour, minute, second, ms) - offset * 60_000;
}

/** `Z` → 0; `±hh`, `±hhmm`, `±hh:mm` → signed minutes; anything else (or trailing text) → NaN. */
function offsetMinutes(value: string, i: number): number {
  const len = value.length;
  const sign = value.charCodeAt(i);
  if (sign === 90 || sign === 122) return i + 1 === len ? 0 : Number.NaN; // Z z
  if (sign !== 43 && sign !== DASH) return Number.NaN;
  const hours = digits(value, i + 1, 2);
  let minutes = 0;
  let end = i + 3;
  if (end < len) {
    if (value.charCodeAt(end) === COLON) end++;
    minutes = digits(value, end, 2);
    end += 2;
  }
  if (end !== len || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Number.NaN;
  return (sign === DASH ? -1 : 1) * (hours * 60 + minutes);
}

/** The number in `count` ASCII digits at `start`, or -1. */
function digits(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = value.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - ZERO);
  }
  return n;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0–99 onto 1900–1999; such dates are rejected as out of range anyway, but stay exact.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}
