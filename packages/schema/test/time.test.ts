import { describe, expect, it } from 'vitest';
import { normalizeNative, parseIsoTimestamp } from '../src/index.ts';
import { context, DAY, HOUR, iso, onlyEvent, onlyRejection, RECEIVED_AT } from './helpers.ts';

describe('parseIsoTimestamp', () => {
  it('agrees with Date.parse on 2000 random instants in several spellings', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 2000; n++) {
      const ms = Math.floor(random() * 4_102_444_800_000); // 1970 … 2100
      const utc = new Date(ms).toISOString();
      expect(parseIsoTimestamp(utc)).toBe(ms);
      const offset = Math.floor(random() * 48 - 24) * 30; // ±12 h in half hours
      const shifted = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
      const sign = offset < 0 ? '-' : '+';
      const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
      const mm = String(Math.abs(offset) % 60).padStart(2, '0');
      expect(parseIsoTimestamp(`${shifted}${sign}${hh}:${mm}`)).toBe(ms);
      expect(parseIsoTimestamp(`${shifted}${sign}${hh}${mm}`)).toBe(ms);
      expect(Date.parse(`${shifted}${sign}${hh}:${mm}`)).toBe(ms);
    }
  });

  it.each([
    ['2025-03-10T12:00:00.000Z', Date.UTC(2025, 2, 10, 12)],
    ['2025-03-10T12:00:00Z', Date.UTC(2025, 2, 10, 12)],
    ['2025-03-10T12:00Z', Date.UTC(2025, 2, 10, 12)],
    ['2025-03-10t12:00:00z', Date.UTC(2025, 2, 10, 12)],
    ['2025-03-10 12:00:00Z', Date.UTC(2025, 2, 10, 12)],
    ['2025-03-10T12:00:00.5Z', Date.UTC(2025, 2, 10, 12, 0, 0, 500)],
    ['2025-03-10T12:00:00.123456Z', Date.UTC(2025, 2, 10, 12, 0, 0, 123)],
    ['2025-03-10T12:00:00.999999999Z', Date.UTC(2025, 2, 10, 12, 0, 0, 999)],
    ['2025-03-10T12:00:00,25Z', Date.UTC(2025, 2, 10, 12, 0, 0, 250)],
    ['2025-03-10T14:30:00+02:30', Date.UTC(2025, 2, 10, 12)],
    ['2025-03-10T14:30:00+0230', Date.UTC(2025, 2, 10, 12)],
    ['2025-03-10T07:00:00-05', Date.UTC(2025, 2, 10, 12)],
    ['2025-03-10T00:30:00-11:30', Date.UTC(2025, 2, 10, 12)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['0099-01-01T00:00:00Z', -59042995200000],
    ['2025-03-10T13:00+01:00', Date.UTC(2025, 2, 10, 12)],
    ['2025-12-31T23:59:59.999-00:00', Date.UTC(2025, 11, 31, 23, 59, 59, 999)],
  ])('%s → %d', (text, ms) => {
    expect(parseIsoTimestamp(text)).toBe(ms);
  });

  it.each([
    '',
    '2025-03-10',
    '2025-03-10T12:00:00',
    '2025-03-10T12:00:00.000',
    'March 10, 2025 12:00 UTC',
    '1741608000000',
    '2025-3-10T12:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-00-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-03-10T24:00:00Z',
    '2025-03-10T12:60:00Z',
    '2025-03-10T12:00:60Z',
    '2025-03-10T12:00:00+24:00',
    '2025-03-10T12:00:00+02:60',
    '2025-03-10T12:00:00 Z',
    ' 2025-03-10T12:00:00Z',
    '2025-03-10T12:00:00.Z',
    '2025-03-10T12:00.5Z',
    '2025-03-10T12:00:00+05:',
    '2025-03-10T12:00:00+5:30',
    '2025-03-10T12:00:00+05:30x',
    '2025-03-10T12:00:00.123Zjunk',
    '+002025-03-10T12:00:00Z',
    '2025-03-10T1a:00:00Z',
    '2025-03-10T12:0',
  ])('%j is not an ISO-8601 date-time with a zone', (text) => {
    expect(parseIsoTimestamp(text)).toBeNaN();
  });
});

function eventAt(timestamp: number, sentAt?: number) {
  return {
    event_id: 'e',
    type: 'open',
    timestamp: iso(timestamp),
    ...(sentAt === undefined ? {} : { sent_at: iso(sentAt) }),
    device: { id: 'd', platform: 'android' },
  };
}

describe('clock-skew correction: ts = received_at − (sent_at − timestamp)', () => {
  it.each([
    ['device clock 3 h fast', RECEIVED_AT + 3 * HOUR - 90_000, RECEIVED_AT + 3 * HOUR, RECEIVED_AT - 90_000],
    ['device clock 2 days slow', RECEIVED_AT - 2 * DAY - 1_000, RECEIVED_AT - 2 * DAY, RECEIVED_AT - 1_000],
    ['device clock exact, sent 4 s before receipt', RECEIVED_AT - 10_000, RECEIVED_AT - 4_000, RECEIVED_AT - 6_000],
    ['device clock 2 years fast (fixed by correction)', RECEIVED_AT + 730 * DAY - 5_000, RECEIVED_AT + 730 * DAY, RECEIVED_AT - 5_000],
    ['event queued offline for 10 days on a 1 h slow clock', RECEIVED_AT - 10 * DAY - HOUR, RECEIVED_AT - HOUR, RECEIVED_AT - 10 * DAY],
  ])('%s', (_label, timestamp, sentAt, expected) => {
    expect(onlyEvent(normalizeNative(eventAt(timestamp, sentAt), context())).timestamp).toBe(expected);
  });

  it('uses the device time as is without sent_at', () => {
    expect(onlyEvent(normalizeNative(eventAt(RECEIVED_AT - 3 * HOUR), context())).timestamp).toBe(RECEIVED_AT - 3 * HOUR);
  });

  it('uses a send time from the request context when the body has none', () => {
    const event = onlyEvent(normalizeNative(eventAt(RECEIVED_AT + HOUR), context({ sent_at: RECEIVED_AT + HOUR + 2_000 })));
    expect(event.timestamp).toBe(RECEIVED_AT - 2_000);
  });
});

describe('timestamp range after correction: (received_at − 366 d, received_at + 24 h)', () => {
  it.each([
    ['23 h 59 m ahead', RECEIVED_AT + DAY - 60_000],
    ['exactly 24 h ahead', RECEIVED_AT + DAY],
    ['exactly 366 days old', RECEIVED_AT - 366 * DAY],
    ['365 days old', RECEIVED_AT - 365 * DAY],
  ])('accepts %s', (_label, timestamp) => {
    expect(onlyEvent(normalizeNative(eventAt(timestamp), context())).timestamp).toBe(timestamp);
  });

  it.each([
    ['24 h + 1 ms ahead', RECEIVED_AT + DAY + 1, undefined, 'future'],
    ['a week ahead', RECEIVED_AT + 7 * DAY, undefined, 'future'],
    ['366 days + 1 ms old', RECEIVED_AT - 366 * DAY - 1, undefined, 'past'],
    ['from 1970', 0, undefined, 'past'],
    ['an old event even after correction', RECEIVED_AT - 400 * DAY, RECEIVED_AT - 5_000, 'past'],
    ['two days ahead of its own sent_at', RECEIVED_AT + 2 * DAY, RECEIVED_AT, 'future'],
  ])('rejects %s as timestamp_out_of_range', (_label, timestamp, sentAt, direction) => {
    const error = onlyRejection(normalizeNative(eventAt(timestamp, sentAt), context()));
    expect(error.code).toBe('timestamp_out_of_range');
    expect(error.details?.field).toBe('timestamp');
    expect(error.message).toContain(direction);
  });

  it('reports the corrected time in the rejection', () => {
    const error = onlyRejection(normalizeNative(eventAt(RECEIVED_AT - 400 * DAY, RECEIVED_AT - 5_000), context()));
    expect(error.details?.timestamp).toBe(iso(RECEIVED_AT - 400 * DAY + 5_000));
  });
});

describe('timestamp_out_of_range says how far off, which way, and what to do', () => {
  it.each([
    [
      'a week ahead, no sent_at: suggests sending it',
      RECEIVED_AT + 7 * DAY,
      undefined,
      '`timestamp` is 7 days in the future; at most 24 hours is accepted. Check the device clock, or send `sent_at` so the server can correct it.',
      { field: 'timestamp', timestamp: iso(RECEIVED_AT + 7 * DAY), max_future_hours: 24 },
    ],
    [
      '30 hours ahead after correction: hours, and no suggestion',
      RECEIVED_AT + 30 * HOUR,
      RECEIVED_AT,
      '`timestamp` is 30 hours in the future after clock-skew correction; at most 24 hours is accepted. Check the device clock.',
      { field: 'timestamp', timestamp: iso(RECEIVED_AT + 30 * HOUR), max_future_hours: 24 },
    ],
    [
      'just under two days ahead: still hours',
      RECEIVED_AT + 47 * HOUR + 20 * 60_000,
      undefined,
      '`timestamp` is 47 hours in the future; at most 24 hours is accepted. Check the device clock, or send `sent_at` so the server can correct it.',
      { max_future_hours: 24 },
    ],
    [
      'exactly two days ahead: days',
      RECEIVED_AT + 48 * HOUR,
      undefined,
      '`timestamp` is 2 days in the future; at most 24 hours is accepted. Check the device clock, or send `sent_at` so the server can correct it.',
      { max_future_hours: 24 },
    ],
    [
      '400 days old',
      RECEIVED_AT - 400 * DAY,
      undefined,
      '`timestamp` is 400 days in the past; events older than 366 days are not accepted.',
      { field: 'timestamp', timestamp: iso(RECEIVED_AT - 400 * DAY), max_age_days: 366 },
    ],
    [
      '400 days old after correction',
      RECEIVED_AT - 400 * DAY - 5_000,
      RECEIVED_AT - 5_000,
      '`timestamp` is 400 days in the past after clock-skew correction; events older than 366 days are not accepted.',
      { field: 'timestamp', timestamp: iso(RECEIVED_AT - 400 * DAY), max_age_days: 366 },
    ],
  ])('%s', (_label, timestamp, sentAt, message, details) => {
    const error = onlyRejection(normalizeNative(eventAt(timestamp, sentAt), context()));
    expect(error.message).toBe(message);
    expect(error.details).toMatchObject(details);
  });
});
