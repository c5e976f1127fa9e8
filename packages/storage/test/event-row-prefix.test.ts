import { describe, expect, it } from 'vitest';
import {
  EVENT_ROW_PREFIX_LAYOUT,
  encodeEventRowPrefix,
  eventFromRowPrefix,
  eventRowEncoder,
  eventRowLine,
} from '../src/events/event-row-prefix.ts';
import { eventValues, toNdjson } from '../src/events/event-rows.ts';
import type { StoredEvent } from '../src/events/event-store.ts';
import { makeEvent } from './event-store.fixtures.ts';

// The event log writes an event's row prefix; the insert completes it. The bytes inserted must
// be exactly those of encoding the whole row at insert time, whatever the event holds.

const credited = (e: StoredEvent): StoredEvent => ({
  ...e,
  attribution: {
    media_source: 'net "one"',
    campaign: 'c\nx',
    ad_set: '',
    ad: 'ä',
    site_id: 's',
    link_id: 'lnk_1',
  } as StoredEvent['attribution'],
});

const odd: StoredEvent[] = [
  makeEvent(),
  makeEvent({ name: 'line\nbreak "quoted" \\ back', properties: { emoji: '🎉', nested: { a: [1, null, 'x'] } } }),
  makeEvent({ timestamp: 1_700_000_000_000.6, received_at: 1_700_000_000_001.4, revenue: Number.NaN, currency: 'EUR' }),
  makeEvent({ install_referrer: { referrer: 'utm_source=x&click_id=C', click_ts: 1, install_begin_ts: 2 } as never }),
  makeEvent({ properties: undefined as never, revenue: Number.POSITIVE_INFINITY }),
  makeEvent({ user_agent: '\u2028\u2029\u0000 separators', ip: '2001:db8::1' }),
];

describe('event row prefix', () => {
  it('completed by the insert, gives the bytes of encoding the whole row, with and without attribution', () => {
    for (const e of [...odd, ...odd.map(credited)]) {
      expect(eventRowLine(encodeEventRowPrefix(e), e)).toBe(JSON.stringify(eventValues(e)));
    }
    const all = [...odd, ...odd.map(credited)];
    const prefixes = new Map(all.map((e) => [e, encodeEventRowPrefix(e)]));
    // One event without a prefix in the batch is encoded whole.
    prefixes.delete(all[3]!);
    expect(
      toNdjson(
        all,
        eventRowEncoder((e) => prefixes.get(e)),
      ),
    ).toEqual(toNdjson(all, eventValues));
  });

  it('reads back the event it was written from, times and revenue as the row stores them', () => {
    for (const e of odd) {
      const back = eventFromRowPrefix(JSON.parse(encodeEventRowPrefix(e)), EVENT_ROW_PREFIX_LAYOUT);
      expect(back).toEqual({
        ...e,
        timestamp: Math.round(e.timestamp),
        received_at: Math.round(e.received_at),
        revenue: Number.isFinite(e.revenue) ? e.revenue : 0,
        properties: e.properties ?? {},
      });
      // Encoding what was read back gives the same prefix: a replayed event inserts the same row.
      expect(encodeEventRowPrefix(back!)).toBe(encodeEventRowPrefix(e));
    }
  });

  it('reads back an event missing a field (nothing checks at append), so its replay inserts the same row', () => {
    const { user_id: _u, ...partial } = makeEvent();
    const prefix = encodeEventRowPrefix(partial as StoredEvent);
    const back = eventFromRowPrefix(JSON.parse(prefix), EVENT_ROW_PREFIX_LAYOUT);
    expect(back).not.toBeNull();
    expect(back!.user_id).toBeUndefined();
    expect(encodeEventRowPrefix(back!)).toBe(prefix);
  });

  it('refuses what is not a prefix of the layout named', () => {
    const values = JSON.parse(encodeEventRowPrefix(makeEvent()));
    expect(eventFromRowPrefix(values, EVENT_ROW_PREFIX_LAYOUT + 1)).toBeNull();
    expect(eventFromRowPrefix(values.slice(1), EVENT_ROW_PREFIX_LAYOUT)).toBeNull();
    expect(eventFromRowPrefix({}, EVENT_ROW_PREFIX_LAYOUT)).toBeNull();
    const wrongType = [...values];
    wrongType[4] = '1700000000000'; // the time is a number by construction
    expect(eventFromRowPrefix(wrongType, EVENT_ROW_PREFIX_LAYOUT)).toBeNull();
  });
});
