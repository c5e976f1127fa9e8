import { describe, expect, it } from 'vitest';
import { normalizePosthog } from '../src/index.ts';
import { bodyErrorOf, context, HOUR, iso, onlyEvent, onlyIdentity, onlyRejection, RECEIVED_AT } from './helpers.ts';
import { batch, capture } from './posthog-wire.ts';

describe('normalizePosthog: events', () => {
  it('maps a mobile event with its device properties', () => {
    const event = onlyEvent(
      normalizePosthog(
        batch(
          capture('purchase', {
            properties: {
              $lib: 'posthog-android',
              $os_name: 'Android',
              $os_version: '14',
              $app_version: '5.1.0',
              $device_model: 'Pixel 8',
              $device_type: 'Mobile',
              $locale: 'de-DE',
              $device_id: 'device-9',
              $is_identified: true,
              $ip: '198.51.100.3',
              revenue: 2.5,
              currency: 'chf',
              click_id: 'clk_9',
              advertising_id: '38400000-8CF0-11BD-B23E-10B96E40000D',
              install_referrer: 'utm_source=ads&click_id=clk_9',
            },
          }),
        ),
        context(),
      ),
    );
    expect(event).toEqual({
      kind: 'event',
      app_id: 'app_1',
      event_id: 'uuid-purchase',
      type: 'event',
      name: 'purchase',
      timestamp: RECEIVED_AT - 2_000,
      received_at: RECEIVED_AT,
      device_id: 'device-9',
      advertising_id: '38400000-8cf0-11bd-b23e-10b96e40000d',
      platform: 'android',
      os_version: '14',
      model: 'Pixel 8',
      app_version: '5.1.0',
      locale: 'de-DE',
      user_id: 'distinct-1',
      ip: '203.0.113.7',
      user_agent: 'HeaderAgent/1.0',
      click_id: 'clk_9',
      install_referrer: { referrer: 'utm_source=ads&click_id=clk_9', click_ts: null, install_begin_ts: null },
      revenue: 2.5,
      currency: 'CHF',
      properties: expect.objectContaining({ $lib: 'posthog-android', revenue: 2.5 }),
      source: 'posthog',
    });
  });

  it.each([
    ['Application Installed', 'install', 'install'],
    ['Application Opened', 'open', 'open'],
    ['$pageview', 'event', 'page'],
    ['$screen', 'event', 'screen'],
    ['$autocapture', 'event', '$autocapture'],
    ['Bestellung abgeschlossen ✅', 'event', 'Bestellung abgeschlossen ✅'],
  ])('event %j → type %s named %j', (name, type, storedName) => {
    expect(onlyEvent(normalizePosthog(batch(capture(name)), context()))).toMatchObject({ type, name: storedName });
  });

  it('keeps the $screen_name in properties.name', () => {
    const event = onlyEvent(normalizePosthog(batch(capture('$screen', { properties: { $screen_name: 'Cart', items: 3 } })), context()));
    expect(event.properties).toEqual({ $screen_name: 'Cart', items: 3, name: 'Cart' });
  });

  it('honours $ip only for a server key', () => {
    const body = batch(capture('e', { properties: { $ip: '198.51.100.3' } }));
    expect(onlyEvent(normalizePosthog(body, context({ trusted: true }))).ip).toBe('198.51.100.3');
    expect(onlyEvent(normalizePosthog(body, context({ trusted: false }))).ip).toBe('203.0.113.7');
  });

  it('takes $raw_user_agent (posthog-js) over the header', () => {
    expect(
      onlyEvent(normalizePosthog(batch(capture('e', { properties: { $raw_user_agent: 'Mozilla/5.0 X' } })), context())).user_agent,
    ).toBe('Mozilla/5.0 X');
  });
});

describe('normalizePosthog: platform', () => {
  it.each([
    [{ $lib: 'web', $os: 'iOS' }, 'web'],
    [{ $lib: 'posthog-ios' }, 'ios'],
    [{ $lib: 'posthog-android' }, 'android'],
    [{ $lib: 'posthog-react-native', $os: 'iOS' }, 'ios'],
    [{ $lib: 'posthog-flutter', $os_name: 'Android' }, 'android'],
    [{ $os_name: 'iPadOS' }, 'ios'],
    [{ $device_type: 'android' }, 'android'],
    [{ $raw_user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' }, 'ios'],
    [{ $os: 'Mac OS X' }, 'web'],
    [{ $lib: 'posthog-node' }, 'web'],
  ])('properties %j → %s', (properties, platform) => {
    expect(onlyEvent(normalizePosthog(batch(capture('e', { properties })), context())).platform).toBe(platform);
  });
});

describe('normalizePosthog: device and user', () => {
  it.each([
    ['server library: distinct_id is the device', {}, 'distinct-1', ''],
    ['anonymous posthog-js: distinct_id equals $device_id', { $device_id: 'distinct-1' }, 'distinct-1', ''],
    ['identified posthog-js', { $device_id: 'dev', $is_identified: true }, 'dev', 'distinct-1'],
    ['anonymous mobile with a separate device id', { $device_id: 'dev', $is_identified: false }, 'dev', ''],
    ['no flag, distinct_id differs from the device', { $device_id: 'dev' }, 'dev', 'distinct-1'],
  ])('%s', (_label, properties, deviceId, userId) => {
    const event = onlyEvent(normalizePosthog(batch(capture('e', { properties })), context()));
    expect([event.device_id, event.user_id]).toEqual([deviceId, userId]);
  });

  it('reads distinct_id from properties (posthog-js) and accepts a number', () => {
    expect(onlyEvent(normalizePosthog([{ event: 'e', uuid: 'u', properties: { distinct_id: 77 } }], context())).device_id).toBe('77');
  });
});

describe('normalizePosthog: person events', () => {
  it('$identify → identity update with $set traits', () => {
    const update = onlyIdentity(
      normalizePosthog(
        batch(
          capture('$identify', {
            distinct_id: 'user-1',
            properties: { $set: { email: 'a@b.c' }, $anon_distinct_id: 'anon-1', $set_once: {} },
          }),
        ),
        context(),
      ),
    );
    expect(update).toEqual({
      kind: 'identity',
      app_id: 'app_1',
      event_id: 'uuid-$identify',
      action: 'identify',
      timestamp: RECEIVED_AT - 2_000,
      received_at: RECEIVED_AT,
      device_id: 'anon-1',
      user_id: 'user-1',
      previous_id: 'anon-1',
      traits: { email: 'a@b.c' },
      source: 'posthog',
    });
  });

  it('$identify prefers $device_id for the device', () => {
    const update = onlyIdentity(
      normalizePosthog(batch(capture('$identify', { properties: { $device_id: 'dev', $anon_distinct_id: 'anon' } })), context()),
    );
    expect([update.device_id, update.previous_id]).toEqual(['dev', 'anon']);
  });

  it('$create_alias → alias of distinct_id', () => {
    const update = onlyIdentity(
      normalizePosthog(batch(capture('$create_alias', { distinct_id: 'user-1', properties: { alias: 'anon-1' } })), context()),
    );
    expect(update).toMatchObject({ action: 'alias', user_id: 'user-1', previous_id: 'anon-1' });
    expect(onlyRejection(normalizePosthog(batch(capture('$create_alias')), context()))).toMatchObject({
      code: 'missing_field',
      details: { field: 'properties.alias' },
    });
  });

  it('$set → set update; top-level $set is read too', () => {
    expect(onlyIdentity(normalizePosthog(batch(capture('$set', { properties: { $set: { plan: 'pro' } } })), context()))).toMatchObject({
      action: 'set',
      traits: { plan: 'pro' },
    });
    expect(onlyIdentity(normalizePosthog(batch(capture('$set', { $set: { plan: 'team' } })), context())).traits).toEqual({ plan: 'team' });
  });

  it('$groupidentify → group update', () => {
    const update = onlyIdentity(
      normalizePosthog(
        batch(capture('$groupidentify', { properties: { $group_type: 'company', $group_key: 'acme', $group_set: { size: 10 } } })),
        context(),
      ),
    );
    expect(update).toMatchObject({ action: 'group', previous_id: 'acme', traits: { $group_type: 'company', size: 10 } });
  });

  it('an ordinary event with $set yields the event and a set update under its own id, same index', () => {
    const result = normalizePosthog(
      batch(capture('other'), capture('purchase', { properties: { $set: { vip: true }, $device_id: 'dev', $is_identified: true } })),
      context(),
    );
    expect(result.rejected).toEqual([]);
    expect(result.items.map((i) => [i.index, i.item.kind, i.item.event_id])).toEqual([
      [0, 'event', 'uuid-other'],
      [1, 'event', 'uuid-purchase'],
      [1, 'identity', 'uuid-purchase:set'],
    ]);
    expect(result.items[2]!.item).toMatchObject({ action: 'set', device_id: 'dev', user_id: 'distinct-1', traits: { vip: true } });
  });

  it('an empty $set adds no update', () => {
    expect(normalizePosthog(batch(capture('purchase', { properties: { $set: {} } })), context()).items).toHaveLength(1);
  });
});

describe('normalizePosthog: timestamps', () => {
  it('corrects skew with the body sent_at', () => {
    const body = { ...batch(capture('e', { timestamp: iso(RECEIVED_AT - 5 * HOUR - 3_000) })), sent_at: iso(RECEIVED_AT - 5 * HOUR) };
    expect(onlyEvent(normalizePosthog(body, context())).timestamp).toBe(RECEIVED_AT - 3_000);
  });

  it('keeps microsecond timestamps to the millisecond', () => {
    expect(onlyEvent(normalizePosthog(batch(capture('e', { timestamp: '2025-03-10T11:59:59.123456Z' })), context())).timestamp).toBe(
      RECEIVED_AT - 877,
    );
  });

  it('does not correct an event marked $ignore_sent_at (historical import)', () => {
    const body = {
      ...batch(capture('e', { timestamp: iso(RECEIVED_AT - 30 * 24 * HOUR), properties: { $ignore_sent_at: true } })),
      sent_at: iso(RECEIVED_AT - HOUR),
    };
    expect(onlyEvent(normalizePosthog(body, context())).timestamp).toBe(RECEIVED_AT - 30 * 24 * HOUR);
  });

  it('uses offset (ms before sending) when there is no timestamp', () => {
    expect(onlyEvent(normalizePosthog(batch(capture('e', { timestamp: undefined, offset: 1500 })), context())).timestamp).toBe(
      RECEIVED_AT - 1500,
    );
  });

  it('uses the receipt time when there is neither', () => {
    expect(onlyEvent(normalizePosthog(batch(capture('e', { timestamp: undefined })), context())).timestamp).toBe(RECEIVED_AT);
  });

  it.each([
    [{ timestamp: 'Mon Mar 10' }, 'invalid_timestamp', 'timestamp'],
    [{ timestamp: iso(RECEIVED_AT + 2 * 24 * HOUR) }, 'timestamp_out_of_range', 'timestamp'],
    [{ timestamp: undefined, offset: 'soon' }, 'invalid_type', 'offset'],
  ])('rejects %j', (overrides, code, field) => {
    expect(onlyRejection(normalizePosthog(batch(capture('e', overrides)), context()))).toMatchObject({ code, details: { field } });
  });
});

describe('normalizePosthog: required fields', () => {
  it.each([
    ['uuid', { uuid: undefined }, 'missing_field'],
    ['uuid', { uuid: 'u'.repeat(65) }, 'value_too_long'],
    ['event', { event: undefined }, 'missing_field'],
    ['event', { event: 'e'.repeat(129) }, 'value_too_long'],
    ['distinct_id', { distinct_id: undefined }, 'missing_field'],
    ['distinct_id', { distinct_id: { id: 1 } }, 'invalid_type'],
    ['properties', { properties: [] }, 'invalid_type'],
    ['properties.$set', { properties: { $set: 'plan=pro' } }, 'invalid_type'],
    ['$set', { $set: ['plan'] }, 'invalid_type'],
    ['properties.$locale', { properties: { $locale: 7 } }, 'invalid_type'],
    ['properties.currency', { properties: { revenue: 1, currency: 'bitcoin' } }, 'invalid_value'],
  ])('%s in %j → %s', (field, overrides, code) => {
    expect(onlyRejection(normalizePosthog(batch(capture('e', overrides)), context()))).toMatchObject({ code, details: { field } });
  });

  it('explains that uuid is the idempotency key', () => {
    expect(onlyRejection(normalizePosthog(batch(capture('e', { uuid: undefined })), context())).message).toMatch(/uuid.*idempotent/);
  });
});

describe('normalizePosthog: body shapes', () => {
  it('accepts an array of events (posthog-js /e/)', () => {
    const result = normalizePosthog([capture('a'), capture('b'), 'junk'], context());
    expect(result.items.map((i) => i.index)).toEqual([0, 1]);
    expect(result.rejected.map((r) => r.index)).toEqual([2]);
  });

  it('accepts one event object (/capture/)', () => {
    expect(onlyEvent(normalizePosthog({ api_key: 'k', ...capture('single') }, context())).name).toBe('single');
  });

  it('reads sent_at from a single event object', () => {
    const body = { ...capture('e', { timestamp: iso(RECEIVED_AT + HOUR) }), sent_at: iso(RECEIVED_AT + HOUR + 800) };
    expect(onlyEvent(normalizePosthog(body, context())).timestamp).toBe(RECEIVED_AT - 800);
  });

  it('accepts the legacy {data: ...} wrapper', () => {
    expect(normalizePosthog({ data: [capture('a'), capture('b')] }, context()).items).toHaveLength(2);
    expect(normalizePosthog({ data: capture('a') }, context()).items).toHaveLength(1);
  });

  it('accepts 1000 events and refuses 1001, in both batch and array form', () => {
    const events = Array.from({ length: 1000 }, (_, i) => capture('e', { uuid: `u${i}` }));
    expect(normalizePosthog(batch(...events), context()).items).toHaveLength(1000);
    events.push(capture('e', { uuid: 'extra' }));
    expect(bodyErrorOf(() => normalizePosthog(batch(...events), context()))).toMatchObject({ status: 400, code: 'batch_too_large' });
    expect(bodyErrorOf(() => normalizePosthog(events, context()))).toMatchObject({ status: 400, code: 'batch_too_large' });
  });

  it.each([
    ['a string', 'event', 'invalid_body'],
    ['an object without events', { api_key: 'k' }, 'missing_field'],
    ['batch not a list', { batch: {} }, 'invalid_type'],
    ['a bad sent_at', { batch: [], sent_at: 'now' }, 'invalid_timestamp'],
  ])('refuses %s', (_label, body, code) => {
    expect(bodyErrorOf(() => normalizePosthog(body, context()))).toMatchObject({ status: 400, code });
  });
});
