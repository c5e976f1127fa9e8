import { describe, expect, it } from 'vitest';
import { normalizeNative } from '../src/index.ts';
import { context, onlyEvent, onlyRejection } from './helpers.ts';
import { nativeEvent } from './native-wire.ts';

// What a rejected native event says: the message a developer reads and the details a program reads.

const EMOJI = '😀';

describe('lengths count characters as a person does: an emoji is one', () => {
  it.each([
    ['64 emoji', EMOJI.repeat(64), true],
    ['65 emoji', EMOJI.repeat(65), false],
    ['60 emoji and 4 letters (124 UTF-16 units, 64 characters)', `${EMOJI.repeat(60)}abcd`, true],
    ['60 emoji and 5 letters (125 units, 65 characters)', `${EMOJI.repeat(60)}abcde`, false],
    ['65 lone low surrogates (each one character)', '\udc00'.repeat(65), false],
    ['a lone low surrogate, then 32 pairs, then a lone high (34 characters in 66 units)', `\udc00${'\ud800\udc00'.repeat(32)}\ud800`, true],
  ])('event_id of %s: accepted %s', (_label, id, accepted) => {
    const result = normalizeNative(nativeEvent({ event_id: id }), context());
    if (accepted) expect(onlyEvent(result).event_id).toBe(id);
    else expect(onlyRejection(result)).toMatchObject({ code: 'value_too_long', details: { field: 'event_id' } });
  });
});

describe('install_referrer timestamps are epoch seconds', () => {
  it.each([0, 1_700_000_000, 99_999_999_999])('%d is kept', (ts) => {
    expect(onlyEvent(normalizeNative(nativeEvent({ install_referrer: { click_ts: ts } }), context())).install_referrer).toMatchObject({
      click_ts: ts,
      install_begin_ts: null,
    });
  });

  it.each([
    [1e11, '`install_referrer.click_ts` must be epoch seconds (zero or more); this looks like milliseconds.'],
    [1_700_000_000_000, '`install_referrer.click_ts` must be epoch seconds (zero or more); this looks like milliseconds.'],
    [-1, '`install_referrer.click_ts` must be epoch seconds (zero or more).'],
  ])('%d is refused: %s', (ts, message) => {
    expect(onlyRejection(normalizeNative(nativeEvent({ install_referrer: { click_ts: ts } }), context()))).toEqual({
      code: 'invalid_value',
      message,
      details: { field: 'install_referrer.click_ts' },
    });
  });
});

describe('type and platform name what is allowed', () => {
  it('type', () => {
    expect(onlyRejection(normalizeNative(nativeEvent({ type: 'purchase' }), context()))).toEqual({
      code: 'invalid_value',
      message: '`type` must be "install", "open" or "event", not "purchase".',
      details: { field: 'type', allowed: ['install', 'open', 'event'] },
    });
  });

  it('a long wrong value is quoted cut to 40 characters', () => {
    const long = 'x'.repeat(100);
    expect(onlyRejection(normalizeNative(nativeEvent({ type: long }), context())).message).toBe(
      `\`type\` must be "install", "open" or "event", not "${'x'.repeat(40)}".`,
    );
  });

  it('platform, case-insensitively', () => {
    expect(onlyEvent(normalizeNative(nativeEvent({ device: { id: 'device-1', platform: 'Web' } }), context())).platform).toBe('web');
    expect(onlyRejection(normalizeNative(nativeEvent({ device: { id: 'device-1', platform: 'Windows' } }), context()))).toEqual({
      code: 'invalid_value',
      message: '`device.platform` must be "ios", "android" or "web", not "Windows".',
      details: { field: 'device.platform', allowed: ['ios', 'android', 'web'] },
    });
  });

  it.each([
    ['device', { device: undefined }, 'send {"id": ..., "platform": "ios" | "android" | "web"}'],
    ['device', { device: null }, 'send {"id": ..., "platform": "ios" | "android" | "web"}'],
    ['type', { type: undefined }, 'one of "install", "open" or "event"'],
  ])('a missing %s says what to send', (field, fields, hint) => {
    expect(onlyRejection(normalizeNative(nativeEvent(fields), context()))).toEqual({
      code: 'missing_field',
      message: `\`${field}\` is required: ${hint}.`,
      details: { field },
    });
  });

  it('an empty platform is refused, naming the field', () => {
    expect(onlyRejection(normalizeNative(nativeEvent({ device: { id: 'device-1', platform: '' } }), context()))).toMatchObject({
      code: 'invalid_value',
      details: { field: 'device.platform' },
    });
  });
});
