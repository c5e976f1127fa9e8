import { describe, expect, it } from 'vitest';
import { normalizeAdvertisingId, normalizeNative, platformFromName, platformFromUserAgent } from '../src/index.ts';
import { context, onlyEvent, onlyRejection } from './helpers.ts';
import { nativeEvent } from './native-wire.ts';

describe('platformFromName: the names SDKs give an OS or device family', () => {
  it.each([
    ['iOS', 'ios'],
    [' iPadOS ', 'ios'],
    ['iPhone', 'ios'],
    ['iPhone OS', 'ios'],
    ['iPad', 'ios'],
    ['iPod', 'ios'],
    ['iPhone14,2', 'ios'],
    ['iPad7,5', 'ios'],
    ['iOS 17.4', 'ios'],
    ['Android', 'android'],
    ['ANDROID', 'android'],
    ['Android TV', 'android'],
    ['web', 'web'],
    ['Browser', 'web'],
  ])('%j → %s', (name, platform) => {
    expect(platformFromName(name)).toBe(platform);
  });

  it.each([['macOS'], ['Windows'], ['iosx'], ['my android'], ['old iphone'], ['webos'], [''], [42], [null], [{ name: 'ios' }]])(
    '%j names none of ours',
    (name) => {
      expect(platformFromName(name)).toBeUndefined();
    },
  );
});

describe('platformFromUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)', 'ios'],
    ['Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X)', 'ios'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8)', 'android'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', undefined],
    ['', undefined],
  ])('%j → %s', (ua, platform) => {
    expect(platformFromUserAgent(ua)).toBe(platform);
  });
});

describe('normalizeAdvertisingId', () => {
  it.each([
    ['  A1B2C3D4-0000-4000-8000-00000000000F ', 'a1b2c3d4-0000-4000-8000-00000000000f'],
    ['00000000-0000-0000-0000-000000000000', ''],
    ['00000000000000000000000000000000', ''],
    [' 00000000-0000-0000-0000-000000000000 ', ''],
    ['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (raw, stored) => {
    expect(normalizeAdvertisingId(raw)).toBe(stored);
  });
});

describe('currency and ip as stored', () => {
  it.each([
    ['EUR', 'EUR'],
    [' eur ', 'EUR'],
    ['Jpy', 'JPY'],
  ])('currency %j is stored as %j', (currency, stored) => {
    expect(onlyEvent(normalizeNative(nativeEvent({ currency }), context())).currency).toBe(stored);
  });

  it('says what a currency must be', () => {
    expect(onlyRejection(normalizeNative(nativeEvent({ currency: 'euro' }), context()))).toEqual({
      code: 'invalid_value',
      message: '`currency` must be an ISO-4217 currency code such as "USD" or "EUR".',
      details: { field: 'currency' },
    });
  });

  it.each([['198.51.100.4'], ['2001:db8::1']])('a server key may send ip %s', (ip) => {
    expect(onlyEvent(normalizeNative(nativeEvent({ ip }), context({ trusted: true }))).ip).toBe(ip);
  });

  it('says what an ip must be', () => {
    expect(onlyRejection(normalizeNative(nativeEvent({ ip: '198.51.100' }), context({ trusted: true })))).toEqual({
      code: 'invalid_value',
      message: '`ip` must be an IPv4 or IPv6 address.',
      details: { field: 'ip' },
    });
  });
});
