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
