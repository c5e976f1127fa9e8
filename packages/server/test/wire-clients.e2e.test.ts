import { Analytics } from '@segment/analytics-node';
import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, overview, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// The real client libraries, unchanged, pointed at our ingest listener: "existing SDKs work".
let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p?.close());

describe('Segment (@segment/analytics-node)', () => {
  it('delivers track, screen, page and identify calls that show up in the overview', async () => {
    const app = await p.newApp('segment app');
    const errors: unknown[] = [];
    const analytics = new Analytics({ writeKey: app.sdkKey, host: p.ingestUrl, flushAt: 3, maxRetries: 0 });
    analytics.on('error', (err) => errors.push(err));
    analytics.track({
      anonymousId: 'seg-device-1',
      event: 'Application Installed',
      context: { device: { type: 'ios' }, os: { version: '17.4' } },
    });
    analytics.track({
      anonymousId: 'seg-device-1',
      event: 'Order Completed',
      properties: { revenue: 19.99, currency: 'usd', emoji: '🛒' },
    });
    analytics.track({ anonymousId: 'seg-device-2', event: 'Order Completed', properties: { total: 5, currency: 'USD' } });
    analytics.screen({ anonymousId: 'seg-device-2', name: 'Home' });
    analytics.page({ anonymousId: 'seg-device-3', name: 'Pricing' });
    analytics.identify({ anonymousId: 'seg-device-1', userId: 'user-42', traits: { plan: 'pro' } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await eventually(async () => {
      const o = await overview(p, app);
      // identify is who the device is, not something it did: 5 events from 3 devices.
      expect(o.body).toMatchObject({ total_events: 5, active_users: 3, total_revenue: 24.99 });
    });
  });
});

describe('PostHog (posthog-node)', () => {
  it('delivers captures (gzip-compressed batches) that show up in the overview', async () => {
    // Its purchase is in EUR, the app's reporting currency: it counts as it is.
    const app = await p.newApp('posthog app', { reporting_currency: 'EUR' });
    const client = new PostHog(app.sdkKey, { host: p.ingestUrl, flushAt: 2, flushInterval: 0, fetchRetryCount: 0 });
    const errors: unknown[] = [];
    client.on('error', (err) => errors.push(err));
    client.capture({ distinctId: 'ph-device-1', event: 'Application Opened', properties: { $os: 'Android', $os_version: '14' } });
    client.capture({ distinctId: 'ph-device-1', event: 'purchase', properties: { revenue: 3.5, currency: 'EUR', name: 'naïve ☕' } });
    client.capture({ distinctId: 'ph-device-2', event: 'level_up', properties: { $set: { level: 3 } } });
    await client.shutdown(10_000);
    expect(errors).toEqual([]);
    await eventually(async () => {
      const o = await overview(p, app);
      expect(o.body).toMatchObject({ total_events: 3, active_users: 2, total_revenue: 3.5 });
    });
  });
});
