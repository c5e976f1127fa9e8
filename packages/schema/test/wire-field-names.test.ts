import { describe, expect, it } from 'vitest';
import { normalizePosthog, normalizeSegment } from '../src/index.ts';
import { context, iso, onlyEvent, onlyRejection, RECEIVED_AT } from './helpers.ts';
import { batch, capture, type Wire } from './posthog-wire.ts';
import { message, batch as segmentBatch } from './segment-wire.ts';

/**
 * A value of the wrong type in any field is refused with that field's path, as the client sent
 * it (PostHog's `properties.$…`, Segment's `context.device.id`), so a developer can find it.
 */

const posthog = (item: Wire, trusted = false) => normalizePosthog(batch(item), context({ trusted }));
/** A capture event with these properties. */
const withProps = (event: string, properties: Wire) => capture(event, { properties });
const WRONG = { an: 'object' };

describe('PostHog: each field named in its error', () => {
  it.each([
    ['event', capture('e', { event: 7 })],
    ['distinct_id', capture('e', { distinct_id: WRONG })],
    ['sent_at', capture('e', { sent_at: 'later' })],
    ['properties.$device_id', withProps('e', { $device_id: WRONG })],
    ['properties.$raw_user_agent', withProps('e', { $raw_user_agent: 7 })],
    ['properties.revenue', withProps('e', { revenue: 'lots' })],
    ['properties.install_referrer', withProps('e', { install_referrer: 7 })],
    ['properties.$screen_name', withProps('$screen', { $screen_name: 7 })],
    ['properties.advertising_id', withProps('e', { advertising_id: 7 })],
    ['properties.$os_version', withProps('e', { $os_version: WRONG })],
    ['properties.$device_model', withProps('e', { $device_model: 7 })],
    ['properties.$app_version', withProps('e', { $app_version: WRONG })],
    ['properties.$locale', withProps('e', { $locale: 7 })],
    ['properties.$browser_language', withProps('e', { $browser_language: 7 })],
    ['properties.click_id', withProps('e', { click_id: 7 })],
  ])('%s', (field, item) => {
    expect(onlyRejection(posthog(item)).details).toMatchObject({ field });
  });

  it('properties.$ip from a server key', () => {
    expect(onlyRejection(posthog(withProps('e', { $ip: 'nowhere' }), true)).details).toEqual({ field: 'properties.$ip' });
  });

  it('a missing distinct_id says what to send', () => {
    expect(onlyRejection(posthog(capture('e', { distinct_id: '' })))).toEqual({
      code: 'missing_field',
      message: '`distinct_id` is required: send the id PostHog knows this user or device by.',
      details: { field: 'distinct_id' },
    });
  });
});

describe('PostHog: what the properties become', () => {
  it('a $screen event takes its $screen_name as the name property; other events do not', () => {
    expect(onlyEvent(posthog(withProps('$screen', { $screen_name: 'Home' }))).properties).toMatchObject({ name: 'Home' });
    expect(onlyEvent(posthog(withProps('e', { $screen_name: 'Home' }))).properties).not.toHaveProperty('name');
  });

  it('revenue without a currency is in US dollars; no revenue, no currency', () => {
    expect(onlyEvent(posthog(withProps('e', { revenue: 3 })))).toMatchObject({ revenue: 3, currency: 'USD' });
    expect(onlyEvent(posthog(withProps('e', { revenue: '3.5' })))).toMatchObject({ revenue: 3.5, currency: 'USD' });
    expect(onlyEvent(posthog(capture('e'))).currency).toBe('');
  });

  it('an install_referrer string becomes the referrer, an empty one none', () => {
    expect(onlyEvent(posthog(withProps('e', { install_referrer: 'click_id=c1' }))).install_referrer).toEqual({
      referrer: 'click_id=c1',
      click_ts: null,
      install_begin_ts: null,
    });
    expect(onlyEvent(posthog(withProps('e', { install_referrer: '' }))).install_referrer).toBeNull();
  });

  it('the $ip of a server key is used; an SDK key’s is not', () => {
    expect(onlyEvent(posthog(withProps('e', { $ip: '198.51.100.9' }), true)).ip).toBe('198.51.100.9');
    expect(onlyEvent(posthog(withProps('e', { $ip: '198.51.100.9' }), false)).ip).toBe('203.0.113.7');
    expect(onlyEvent(posthog(withProps('e', { $ip: null }), true)).ip).toBe('203.0.113.7');
  });
});

describe('Segment: each field named in its error', () => {
  const segment = (msg: Wire) => normalizeSegment(segmentBatch(msg), context(), 'batch');
  it.each([
    ['userId', message('track', { event: 'e', userId: WRONG })],
    ['anonymousId', message('track', { event: 'e', anonymousId: WRONG })],
    ['context', message('track', { event: 'e', context: 7 })],
    ['context.device', message('track', { event: 'e', context: { device: 7 } })],
    ['context.device.id', message('track', { event: 'e', context: { device: { id: WRONG } } })],
    ['timestamp', message('track', { event: 'e', timestamp: 'soon' })],
    ['originalTimestamp', message('track', { event: 'e', originalTimestamp: iso(RECEIVED_AT + 3 * 86_400_000) })],
    ['previousId', message('alias', { userId: 'u', previousId: WRONG })],
    ['groupId', message('group', { userId: 'u', groupId: WRONG })],
    ['traits', message('identify', { userId: 'u', traits: 7 })],
    ['context.traits', message('identify', { userId: 'u', context: { traits: 7 } })],
  ])('%s', (field, msg) => {
    expect(onlyRejection(segment(msg)).details).toMatchObject({ field });
  });

  it.each([
    ['previousId', message('alias', { userId: 'u' }), 'alias links previousId to userId'],
    ['userId', message('alias', { previousId: 'p', userId: undefined }), 'alias links previousId to userId'],
    ['groupId', message('group', { userId: 'u' }), 'group calls name the group the user joins'],
  ])('a missing %s says why it is needed', (field, msg, hint) => {
    expect(onlyRejection(segment(msg))).toEqual({
      code: 'missing_field',
      message: `\`${field}\` is required: ${hint}.`,
      details: { field },
    });
  });

  it('an unsupported type names the ones that are', () => {
    expect(onlyRejection(segment(message('screenview')))).toMatchObject({
      message: expect.stringMatching(
        /^Segment message type "screenview" is not supported; use track, screen, page, identify, alias or group/,
      ),
      details: { field: 'type', allowed: ['track', 'screen', 'page', 'identify', 'alias', 'group'] },
    });
  });

  it('a message’s own context keys win over the batch context', () => {
    const msg = message('track', { event: 'e', context: { device: { id: 'own-device' } } });
    const body = { batch: [msg], context: { device: { id: 'shared-device' }, ip: '198.51.100.1' } };
    expect(onlyEvent(normalizeSegment(body, context(), 'batch')).device_id).toBe('own-device');
  });
});
