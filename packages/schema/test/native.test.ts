import { describe, expect, it } from 'vitest';
import { MAX_BATCH, normalizeNative, normalizeNativeBatch } from '../src/index.ts';
import { bodyErrorOf, context, HOUR, iso, onlyEvent, onlyRejection, RECEIVED_AT } from './helpers.ts';
import { nativeEvent, type Wire } from './native-wire.ts';

/** Sets a dotted path on a fresh copy; `undefined` deletes it. */
function withField(path: string, value: unknown): Wire {
  const event = structuredClone(nativeEvent());
  const keys = path.split('.');
  let target = event;
  for (const key of keys.slice(0, -1)) target = target[key] as Wire;
  const last = keys.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return event;
}

describe('normalizeNative: a valid event', () => {
  it('maps every field onto the AppEvent', () => {
    const event = onlyEvent(
      normalizeNative(
        nativeEvent({
          user_id: 'user-9',
          click_id: 'clk_1',
          revenue: 4.99,
          currency: 'eur',
          properties: { sku: 'gold' },
          install_referrer: { referrer: 'click_id=clk_1', click_ts: 1_700_000_000, install_begin_ts: 1_700_000_030 },
          device: {
            id: 'device-1',
            platform: 'android',
            advertising_id: 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE',
            os_version: '14',
            model: 'Pixel 8',
            app_version: '2.3.1',
            locale: 'de_DE',
          },
        }),
        context(),
      ),
    );
    expect(event).toEqual({
      kind: 'event',
      app_id: 'app_1',
      event_id: 'evt-1',
      type: 'event',
      name: 'purchase',
      timestamp: RECEIVED_AT - 5_000,
      received_at: RECEIVED_AT,
      device_id: 'device-1',
      advertising_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      platform: 'android',
      os_version: '14',
      model: 'Pixel 8',
      app_version: '2.3.1',
      locale: 'de_DE',
      user_id: 'user-9',
      ip: '203.0.113.7',
      user_agent: 'HeaderAgent/1.0',
      click_id: 'clk_1',
      install_referrer: { referrer: 'click_id=clk_1', click_ts: 1_700_000_000, install_begin_ts: 1_700_000_030 },
      revenue: 4.99,
      currency: 'EUR',
      properties: { sku: 'gold' },
      source: 'native',
    });
  });

  it('fills absent optional fields with empty values', () => {
    const event = onlyEvent(normalizeNative(nativeEvent(), context()));
    expect(event).toMatchObject({
      advertising_id: '',
      os_version: '',
      model: '',
      app_version: '',
      locale: '',
      user_id: '',
      click_id: '',
      install_referrer: null,
      revenue: 0,
      currency: '',
      properties: {},
    });
  });

  it.each(['install', 'open'])('names a %s event after its type, whatever name is sent', (type) => {
    expect(onlyEvent(normalizeNative(nativeEvent({ type, name: 'ignored' }), context()))).toMatchObject({ type, name: type });
    expect(onlyEvent(normalizeNative(nativeEvent({ type, name: undefined }), context())).name).toBe(type);
  });

  it('treats null optional fields as absent', () => {
    const event = onlyEvent(
      normalizeNative(nativeEvent({ user_id: null, properties: null, revenue: null, install_referrer: null }), context()),
    );
    expect(event).toMatchObject({ user_id: '', properties: {}, revenue: 0, install_referrer: null });
  });

  it('accepts platform in any case', () => {
    expect(onlyEvent(normalizeNative(withField('device.platform', 'iOS'), context())).platform).toBe('ios');
  });
});

describe('normalizeNative: field rules', () => {
  const cases: [string, string, unknown, string][] = [
    ['event_id missing', 'event_id', undefined, 'missing_field'],
    ['event_id a number', 'event_id', 42, 'invalid_type'],
    ['event_id empty', 'event_id', '', 'invalid_value'],
    ['event_id of 65 characters', 'event_id', 'e'.repeat(65), 'value_too_long'],
    ['type missing', 'type', undefined, 'missing_field'],
    ['type unknown', 'type', 'purchase', 'invalid_value'],
    ['type in capitals', 'type', 'EVENT', 'invalid_value'],
    ['name missing for type event', 'name', undefined, 'missing_field'],
    ['name of 129 characters', 'name', 'n'.repeat(129), 'value_too_long'],
    ['name an object', 'name', { a: 1 }, 'invalid_type'],
    ['timestamp missing', 'timestamp', undefined, 'missing_field'],
    ['timestamp epoch number', 'timestamp', RECEIVED_AT, 'invalid_type'],
    ['timestamp not ISO', 'timestamp', 'March 10, 2025', 'invalid_timestamp'],
    ['timestamp without a zone', 'timestamp', '2025-03-10T11:00:00', 'invalid_timestamp'],
    ['sent_at not ISO', 'sent_at', 'yesterday', 'invalid_timestamp'],
    ['device missing', 'device', undefined, 'missing_field'],
    ['device an array', 'device', [], 'invalid_type'],
    ['device.id missing', 'device.id', undefined, 'missing_field'],
    ['device.id a number', 'device.id', 7, 'invalid_type'],
    ['device.platform missing', 'device.platform', undefined, 'missing_field'],
    ['device.platform unknown', 'device.platform', 'windows', 'invalid_value'],
    ['device.advertising_id a number', 'device.advertising_id', 0, 'invalid_type'],
    ['device.os_version a number', 'device.os_version', 17, 'invalid_type'],
    ['user_id a number', 'user_id', 5, 'invalid_type'],
    ['revenue a string', 'revenue', '9.99', 'invalid_type'],
    ['revenue not finite', 'revenue', Number.POSITIVE_INFINITY, 'invalid_value'],
    ['currency of 4 letters', 'currency', 'EURO', 'invalid_value'],
    ['currency not ISO-4217', 'currency', 'ABC', 'invalid_value'],
    ['currency a number', 'currency', 978, 'invalid_type'],
    ['properties an array', 'properties', [1, 2], 'invalid_type'],
    ['properties a string', 'properties', 'a=b', 'invalid_type'],
    ['install_referrer a string', 'install_referrer', 'utm_source=x', 'invalid_type'],
    ['install_referrer.click_ts a string', 'install_referrer', { referrer: 'r', click_ts: '1700000000' }, 'invalid_type'],
    ['install_referrer.click_ts negative', 'install_referrer', { referrer: 'r', click_ts: -1 }, 'invalid_value'],
    ['install_referrer.click_ts in milliseconds', 'install_referrer', { referrer: 'r', click_ts: 1_700_000_000_000 }, 'invalid_value'],
    ['click_id a number', 'click_id', 12, 'invalid_type'],
  ];

  it.each(cases)('%s → %s', (_label, path, value, code) => {
    const error = onlyRejection(normalizeNative(withField(path, value), context()));
    expect(error.code).toBe(code);
    expect(String(error.details?.field)).toContain(path.split('.')[0]);
    expect(error.message).toMatch(/^`[^`]+` .+\.$/);
  });

  it('details an invalid_type with the expected and the received type', () => {
    const error = onlyRejection(normalizeNative(withField('device.id', 7), context()));
    expect(error).toEqual({
      code: 'invalid_type',
      message: '`device.id` must be a string, not number.',
      details: { field: 'device.id', expected: 'string', received: 'number' },
    });
  });

  it('accepts the longest event_id and name', () => {
    const event = onlyEvent(normalizeNative(nativeEvent({ event_id: 'e'.repeat(64), name: 'n'.repeat(128) }), context()));
    expect(event.event_id).toHaveLength(64);
    expect(event.name).toHaveLength(128);
  });

  it('counts name length in characters: 128 emoji pass, 129 do not', () => {
    const emoji = '🚀';
    expect(onlyEvent(normalizeNative(nativeEvent({ name: emoji.repeat(128) }), context())).name).toBe(emoji.repeat(128));
    expect(onlyRejection(normalizeNative(nativeEvent({ name: emoji.repeat(129) }), context())).code).toBe('value_too_long');
  });

  it('keeps unicode names and properties unchanged', () => {
    const properties = { 商品: 'コーヒー', note: 'naïve café 🎉', nested: { ключ: ['значение', '👍🏽'] } };
    const event = onlyEvent(normalizeNative(nativeEvent({ name: '購入 🛒', properties }), context()));
    expect(event.name).toBe('購入 🛒');
    expect(event.properties).toEqual(properties);
  });

  it('reports a non-object item as invalid_type at the root', () => {
    expect(onlyRejection(normalizeNativeBatch({ events: ['purchase'] }, context()))).toMatchObject({
      code: 'invalid_type',
      details: { field: '$', expected: 'object', received: 'string' },
    });
  });
});

describe('normalizeNative: advertising id', () => {
  it.each(['00000000-0000-0000-0000-000000000000', '00000000000000000000000000000000', ' 00000000-0000-0000-0000-000000000000 ', ''])(
    'all-zero or empty %j means absent',
    (advertisingId) => {
      expect(onlyEvent(normalizeNative(withField('device.advertising_id', advertisingId), context())).advertising_id).toBe('');
    },
  );

  it.each([
    ['6D92078A-8246-4BA4-AE5B-76104861E7DC', '6d92078a-8246-4ba4-ae5b-76104861e7dc'],
    ['38400000-8cf0-11bd-b23e-10b96e40000d', '38400000-8cf0-11bd-b23e-10b96e40000d'],
    ['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001'],
  ])('keeps a real id %s, lower-cased', (advertisingId, stored) => {
    expect(onlyEvent(normalizeNative(withField('device.advertising_id', advertisingId), context())).advertising_id).toBe(stored);
  });
});

describe('normalizeNative: revenue and currency', () => {
  it.each([
    [9.99, 'usd', 9.99, 'USD'],
    [-3, 'EUR', -3, 'EUR'],
    [0, 'jpy', 0, 'JPY'],
    [12, undefined, 12, 'USD'],
    [undefined, 'gbp', 0, 'GBP'],
  ])('revenue %j with currency %j → %j %j', (revenue, currency, storedRevenue, storedCurrency) => {
    const event = onlyEvent(normalizeNative(nativeEvent({ revenue, currency }), context()));
    expect([event.revenue, event.currency]).toEqual([storedRevenue, storedCurrency]);
  });
});

describe('normalizeNative: ip and user agent', () => {
  const sent = nativeEvent({ ip: '198.51.100.4', user_agent: 'ItemAgent/2.0' });

  it('ignores the ip an SDK-key caller sends and uses the connection address', () => {
    expect(onlyEvent(normalizeNative(sent, context({ trusted: false }))).ip).toBe('203.0.113.7');
  });

  it('honours the ip a server-key caller sends', () => {
    expect(onlyEvent(normalizeNative(sent, context({ trusted: true }))).ip).toBe('198.51.100.4');
  });

  it('rejects a server-key ip that is not an address', () => {
    expect(onlyRejection(normalizeNative(nativeEvent({ ip: 'localhost' }), context({ trusted: true }))).details).toEqual({ field: 'ip' });
  });

  it('falls back to the connection address when a server key sends no ip', () => {
    expect(onlyEvent(normalizeNative(nativeEvent(), context({ trusted: true }))).ip).toBe('203.0.113.7');
  });

  it.each([true, false])('takes the item user_agent over the header (trusted: %s)', (trusted) => {
    expect(onlyEvent(normalizeNative(sent, context({ trusted }))).user_agent).toBe('ItemAgent/2.0');
  });

  it('uses the header user agent when the item has none', () => {
    expect(onlyEvent(normalizeNative(nativeEvent(), context())).user_agent).toBe('HeaderAgent/1.0');
  });
});

describe('normalizeNativeBatch', () => {
  it('keeps the valid items with their indexes and rejects the rest one by one', () => {
    const events = [
      nativeEvent({ event_id: 'a' }),
      nativeEvent({ event_id: 'b', type: 'bogus' }),
      nativeEvent({ event_id: 'c' }),
      42,
      nativeEvent({ event_id: 'e', device: { id: 'd' } }),
      nativeEvent({ event_id: 'f', type: 'install' }),
    ];
    const result = normalizeNativeBatch({ events }, context());
    expect(result.items.map((i) => [i.index, i.item.event_id])).toEqual([
      [0, 'a'],
      [2, 'c'],
      [5, 'f'],
    ]);
    expect(result.rejected.map((r) => [r.index, r.error.code, r.error.details?.field])).toEqual([
      [1, 'invalid_value', 'type'],
      [3, 'invalid_type', '$'],
      [4, 'missing_field', 'device.platform'],
    ]);
  });

  it('accepts exactly MAX_BATCH events and refuses one more as a whole', () => {
    const events = Array.from({ length: MAX_BATCH }, (_, i) => nativeEvent({ event_id: `e${i}` }));
    const result = normalizeNativeBatch({ events }, context());
    expect(result.items).toHaveLength(1000);
    expect(result.items[999]).toMatchObject({ index: 999, item: { event_id: 'e999' } });

    events.push(nativeEvent({ event_id: 'one-too-many' }));
    expect(bodyErrorOf(() => normalizeNativeBatch({ events }, context()))).toMatchObject({
      status: 400,
      code: 'batch_too_large',
      details: { max: 1000, received: 1001 },
    });
  });

  it('accepts an empty batch', () => {
    expect(normalizeNativeBatch({ events: [] }, context())).toEqual({ items: [], rejected: [] });
  });

  it.each([
    ['a string body', 'events', 'invalid_body'],
    ['an array body', [nativeEvent()], 'invalid_body'],
    ['null', null, 'invalid_body'],
    ['no events', {}, 'missing_field'],
    ['events an object', { events: { 0: nativeEvent() } }, 'invalid_type'],
    ['a bad batch sent_at', { events: [], sent_at: 'later' }, 'invalid_timestamp'],
  ])('refuses %s with 400 %s', (_label, body, code) => {
    const error = bodyErrorOf(() => normalizeNativeBatch(body, context()));
    expect(error).toMatchObject({ status: 400, code });
    expect(error.message.length).toBeGreaterThan(20);
  });

  it.each([
    ['a number', 1_741_608_000_000, 'number'],
    ['a date without a zone', '2025-03-10T12:00:00', 'string'],
  ])('names the batch sent_at and what came when it is %s', (_label, sentAt, kind) => {
    expect(bodyErrorOf(() => normalizeNativeBatch({ events: [nativeEvent()], sent_at: sentAt }, context()))).toEqual(
      expect.objectContaining({
        status: 400,
        code: 'invalid_timestamp',
        message: `\`sent_at\` must be an ISO-8601 date-time with a zone, e.g. "2024-05-01T12:30:00.000Z" (got ${kind}).`,
        details: { field: 'sent_at' },
      }),
    );
  });

  it('takes a null batch sent_at as none', () => {
    const result = normalizeNativeBatch({ events: [nativeEvent({ timestamp: iso(RECEIVED_AT - HOUR) })], sent_at: null }, context());
    expect(result.items.map((i) => i.item.timestamp)).toEqual([RECEIVED_AT - HOUR]);
  });

  it('refuses a single-event body that is not an object', () => {
    expect(bodyErrorOf(() => normalizeNative([nativeEvent()], context()))).toMatchObject({ status: 400, code: 'invalid_body' });
  });

  it('applies the batch sent_at to events without their own', () => {
    const sentAt = RECEIVED_AT + 2 * HOUR; // device clock two hours fast
    const events = [
      nativeEvent({ event_id: 'a', timestamp: iso(sentAt - 60_000) }),
      nativeEvent({ event_id: 'b', timestamp: iso(sentAt - 60_000), sent_at: iso(sentAt - 30_000) }),
    ];
    const result = normalizeNativeBatch({ events, sent_at: iso(sentAt) }, context());
    expect(result.items.map((i) => i.item.timestamp)).toEqual([RECEIVED_AT - 60_000, RECEIVED_AT - 30_000]);
  });
});
