import { describe, expect, it } from 'vitest';
import { normalizeSegment } from '../src/index.ts';
import { context, onlyEvent, onlyRejection, RECEIVED_AT } from './helpers.ts';
import { batch, message, type Wire } from './segment-wire.ts';

describe('normalizeSegment: track', () => {
  it('maps a mobile track call with its context', () => {
    const event = onlyEvent(
      normalizeSegment(
        batch(
          message('track', {
            event: 'Order Completed',
            userId: 'user-7',
            properties: { revenue: 19.5, currency: 'eur', order_id: 'o1' },
            context: {
              device: {
                id: 'idfv-1',
                advertisingId: '6D92078A-8246-4BA4-AE5B-76104861E7DC',
                adTrackingEnabled: true,
                type: 'ios',
                model: 'iPhone15,2',
              },
              os: { name: 'iOS', version: '17.4' },
              app: { version: '3.2.0', build: '320' },
              locale: 'en-US',
              ip: '198.51.100.9',
              userAgent: 'MyApp/3.2.0 (iPhone; iOS 17.4)',
              library: { name: 'analytics-ios', version: '4.1.8' },
            },
          }),
        ),
        context(),
        'batch',
      ),
    );
    expect(event).toEqual({
      kind: 'event',
      app_id: 'app_1',
      event_id: 'msg-track',
      type: 'event',
      name: 'Order Completed',
      timestamp: RECEIVED_AT - 1_000,
      received_at: RECEIVED_AT,
      device_id: 'idfv-1',
      advertising_id: '6d92078a-8246-4ba4-ae5b-76104861e7dc',
      platform: 'ios',
      os_version: '17.4',
      model: 'iPhone15,2',
      app_version: '3.2.0',
      locale: 'en-US',
      user_id: 'user-7',
      ip: '203.0.113.7',
      user_agent: 'MyApp/3.2.0 (iPhone; iOS 17.4)',
      click_id: '',
      install_referrer: null,
      revenue: 19.5,
      currency: 'EUR',
      properties: { revenue: 19.5, currency: 'eur', order_id: 'o1' },
      source: 'segment',
    });
  });

  it.each([
    ['Application Installed', 'install', 'install'],
    ['Application Opened', 'open', 'open'],
    ['Application Updated', 'event', 'Application Updated'],
    ['application installed', 'event', 'application installed'],
    ['Sign Up 🎉', 'event', 'Sign Up 🎉'],
  ])('event %j → type %s named %j', (name, type, storedName) => {
    expect(onlyEvent(normalizeSegment(batch(message('track', { event: name })), context(), 'batch'))).toMatchObject({
      type,
      name: storedName,
    });
  });

  it.each([
    [{ revenue: 10, total: 99 }, 10, 'USD'],
    [{ total: 99, currency: 'GBP' }, 99, 'GBP'],
    [{ revenue: '4.50', currency: 'usd' }, 4.5, 'USD'],
    [{ revenue: null, total: 7 }, 7, 'USD'],
    [{}, 0, ''],
  ])('revenue from properties %j → %d %s', (properties, revenue, currency) => {
    const event = onlyEvent(normalizeSegment(batch(message('track', { event: 'Order Completed', properties })), context(), 'batch'));
    expect([event.revenue, event.currency]).toEqual([revenue, currency]);
  });

  it.each([
    [{ revenue: 'lots' }, 'invalid_value', 'properties.revenue'],
    [{ total: true }, 'invalid_type', 'properties.total'],
    [{ revenue: 1, currency: 'dollars' }, 'invalid_value', 'properties.currency'],
  ])('rejects properties %j', (properties, code, field) => {
    const error = onlyRejection(normalizeSegment(batch(message('track', { event: 'Buy', properties })), context(), 'batch'));
    expect([error.code, error.details?.field]).toEqual([code, field]);
  });

  it('drops the advertising id of a user who limited ad tracking, and an all-zero one', () => {
    const device = (d: Wire) => batch(message('track', { event: 'e', context: { device: d } }));
    expect(
      onlyEvent(
        normalizeSegment(device({ advertisingId: '6D92078A-8246-4BA4-AE5B-76104861E7DC', adTrackingEnabled: false }), context(), 'batch'),
      ).advertising_id,
    ).toBe('');
    expect(
      onlyEvent(normalizeSegment(device({ advertisingId: '00000000-0000-0000-0000-000000000000' }), context(), 'batch')).advertising_id,
    ).toBe('');
  });

  it('honours context.ip only for a server key', () => {
    const body = batch(message('track', { event: 'e', context: { ip: '198.51.100.9' } }));
    expect(onlyEvent(normalizeSegment(body, context({ trusted: false }), 'batch')).ip).toBe('203.0.113.7');
    expect(onlyEvent(normalizeSegment(body, context({ trusted: true }), 'batch')).ip).toBe('198.51.100.9');
  });

  it('takes context.referrer as the install referrer a click id can ride in', () => {
    const withReferrer = (referrer: unknown) => batch(message('track', { event: 'Application Installed', context: { referrer } }));
    expect(
      onlyEvent(normalizeSegment(withReferrer({ type: 'link', url: 'https://x.test/?click_id=c1' }), context(), 'batch')).install_referrer,
    ).toEqual({
      referrer: 'https://x.test/?click_id=c1',
      click_ts: null,
      install_begin_ts: null,
    });
    expect(onlyEvent(normalizeSegment(withReferrer('click_id=c2'), context(), 'batch')).install_referrer?.referrer).toBe('click_id=c2');
    expect(onlyEvent(normalizeSegment(withReferrer({ type: 'dataxu' }), context(), 'batch')).install_referrer).toBeNull();
  });
});

describe('normalizeSegment: platform', () => {
  it.each([
    [{ device: { type: 'ios' } }, 'ios'],
    [{ device: { type: 'iOS' } }, 'ios'],
    [{ device: { type: 'iphone' } }, 'ios'],
    [{ device: { type: 'ANDROID' } }, 'android'],
    [{ device: { type: 'tv' }, os: { name: 'Android' } }, 'android'],
    [{ os: { name: 'iPadOS' } }, 'ios'],
    [{ os: { name: 'iPhone OS' } }, 'ios'],
    [{ library: { name: 'analytics.js' }, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' }, 'web'],
    [{ userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8)' }, 'android'],
    [{ userAgent: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)' }, 'ios'],
    [{ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)' }, 'web'],
    [{ library: { name: '@segment/analytics-node' } }, 'web'],
    [{}, 'web'],
  ])('context %j → %s', (ctx, platform) => {
    expect(
      onlyEvent(normalizeSegment(batch(message('track', { event: 'e', context: ctx })), context({ user_agent: '' }), 'batch')).platform,
    ).toBe(platform);
  });

  it('falls back to the request User-Agent', () => {
    const ua = 'Dalvik/2.1.0 (Linux; U; Android 13; SM-S911B)';
    expect(onlyEvent(normalizeSegment(batch(message('track', { event: 'e' })), context({ user_agent: ua }), 'batch')).platform).toBe(
      'android',
    );
  });
});

describe('normalizeSegment: screen and page', () => {
  it.each(['screen', 'page'] as const)('%s → event named %s with the title in properties.name', (type) => {
    const event = onlyEvent(normalizeSegment(batch(message(type, { name: 'Checkout', properties: { step: 2 } })), context(), 'batch'));
    expect(event).toMatchObject({ type: 'event', name: type, properties: { step: 2, name: 'Checkout' } });
  });

  it('leaves properties alone when the call has no name', () => {
    expect(onlyEvent(normalizeSegment(batch(message('page', { properties: { path: '/' } })), context(), 'batch')).properties).toEqual({
      path: '/',
    });
  });
});
