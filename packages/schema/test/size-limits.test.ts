import { describe, expect, it } from 'vitest';
import {
  MAX_BODY_BYTES,
  MAX_EVENT_BYTES,
  normalizeNative,
  normalizeNativeBatch,
  normalizePosthog,
  normalizeSegment,
} from '../src/index.ts';
import { context, iso, onlyEvent, onlyRejection, RECEIVED_AT } from './helpers.ts';

const utf8 = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * A native event whose JSON is exactly `bytes` UTF-8 bytes, padded with `unit` (a character of
 * 1–4 UTF-8 bytes) and topped up with ASCII.
 */
function eventOfBytes(bytes: number, unit: string): Record<string, unknown> {
  const event = {
    event_id: 'e',
    type: 'event',
    name: 'big',
    timestamp: iso(RECEIVED_AT),
    device: { id: 'd', platform: 'web' },
    properties: { pad: '' },
  };
  const room = bytes - utf8(event);
  const unitBytes = utf8(unit) - 2;
  const units = Math.floor(room / unitBytes);
  event.properties.pad = unit.repeat(units) + 'a'.repeat(room - units * unitBytes);
  expect(utf8(event)).toBe(bytes);
  return event;
}

describe('event size limit (32 KB of UTF-8 JSON)', () => {
  it('exports the docs/api.md limits', () => {
    expect([MAX_BODY_BYTES, MAX_EVENT_BYTES]).toEqual([512_000, 32_768]);
  });

  it.each([
    ['ASCII', 'a'],
    ['2-byte é', 'é'],
    ['3-byte 語', '語'],
    ['4-byte emoji 😀', '😀'],
    ['control character, 6 bytes as \\u0001', '\u0001'],
    ['lone surrogate, 6 bytes as \\ud800', '\ud800'],
    ['quote, 2 bytes as \\"', '"'],
  ])('%s: 32768 bytes pass, 32769 bytes are rejected', (_label, unit) => {
    expect(onlyEvent(normalizeNative(eventOfBytes(MAX_EVENT_BYTES, unit), context())).name).toBe('big');
    const error = onlyRejection(normalizeNative(eventOfBytes(MAX_EVENT_BYTES + 1, unit), context()));
    expect(error).toMatchObject({ code: 'event_too_large', details: { max_bytes: 32_768, bytes: 32_769 } });
  });

  it('measures bytes, not characters: 11k emoji is far under 32768 characters yet over 32 KB', () => {
    const event = eventOfBytes(44_000, '😀');
    expect(JSON.stringify(event).length).toBeLessThan(MAX_EVENT_BYTES);
    expect(onlyRejection(normalizeNative(event, context())).details?.bytes).toBe(44_000);
  });

  it('rejects an event nested too deeply to serialize instead of throwing', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    const error = onlyRejection(normalizeNative({ event_id: 'e', properties: { deep } }, context()));
    expect(error.code).toBe('invalid_value');
  });

  it('measures moderately nested properties exactly', () => {
    let nested: unknown = 'leaf';
    for (let i = 0; i < 200; i++) nested = { n: nested };
    expect(onlyEvent(normalizeNative({ ...eventOfBytes(1_000, 'a'), properties: { nested } }, context())).properties).toEqual({ nested });
  });

  it('rejects only the oversized item of a batch', () => {
    const small = eventOfBytes(500, 'a');
    const result = normalizeNativeBatch({ events: [small, eventOfBytes(MAX_EVENT_BYTES + 10, '語'), small] }, context());
    expect(result.items.map((i) => i.index)).toEqual([0, 2]);
    expect(result.rejected).toEqual([{ index: 1, error: expect.objectContaining({ code: 'event_too_large' }) }]);
  });

  it('applies to Segment and PostHog items too', () => {
    const pad = 'x'.repeat(MAX_EVENT_BYTES);
    const segment = normalizeSegment(
      { batch: [{ type: 'track', event: 'e', messageId: 'm', anonymousId: 'a', properties: { pad } }] },
      context(),
      'batch',
    );
    expect(segment.rejected[0]?.error.code).toBe('event_too_large');
    const posthog = normalizePosthog({ batch: [{ event: 'e', uuid: 'u', distinct_id: 'd', properties: { pad } }] }, context());
    expect(posthog.rejected[0]?.error.code).toBe('event_too_large');
  });
});

describe('event size limit: every kind of JSON value counts', () => {
  // The smallest `n` whose event is over the limit, and the event one step below it: the cheap
  // bound in front of the exact measure must never let the larger one through.
  function straddle(fill: (n: number) => unknown) {
    const eventWith = (n: number) => ({ ...eventOfBytes(200, 'a'), properties: { pad: fill(n) } });
    let n = 1;
    while (utf8(eventWith(n)) <= MAX_EVENT_BYTES) n *= 2;
    let low = n / 2;
    while (n - low > 1) {
      const mid = Math.floor((low + n) / 2);
      if (utf8(eventWith(mid)) <= MAX_EVENT_BYTES) low = mid;
      else n = mid;
    }
    return { under: eventWith(low), over: eventWith(n) };
  }

  it.each([
    ['numbers', (n: number) => Array.from({ length: n }, (_, i) => 1e15 + i)],
    ['short numbers', (n: number) => Array.from({ length: n }, () => 7)],
    ['booleans', (n: number) => Array.from({ length: n }, (_, i) => i % 2 === 0)],
    ['nulls', (n: number) => Array.from({ length: n }, () => null)],
    ['empty arrays', (n: number) => Array.from({ length: n }, () => [])],
    ['objects with many keys', (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))],
    ['arrays of objects', (n: number) => Array.from({ length: n }, (_, i) => ({ a: [i, true, null, 'x'] }))],
    [
      'nested 100 deep',
      (n: number) => {
        let v: unknown = 'x'.repeat(n);
        for (let i = 0; i < 100; i++) v = [v];
        return v;
      },
    ],
  ])('%s: the largest event under the limit passes, the next is rejected with its exact size', (_label, fill) => {
    const { under, over } = straddle(fill);
    expect(onlyEvent(normalizeNative(under, context())).name).toBe('big');
    expect(onlyRejection(normalizeNative(over, context()))).toMatchObject({
      code: 'event_too_large',
      message: `This event is ${utf8(over)} bytes as JSON; the limit is 32768 bytes (32 KB). Move large values out of properties.`,
      details: { max_bytes: 32_768, bytes: utf8(over) },
    });
  });

  it('says what to do about an event nested too deeply to serialize', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(onlyRejection(normalizeNative({ event_id: 'e', properties: { deep } }, context()))).toEqual({
      code: 'invalid_value',
      message: 'This event is nested too deeply to store; flatten its properties.',
      details: { field: '$' },
    });
  });
});
