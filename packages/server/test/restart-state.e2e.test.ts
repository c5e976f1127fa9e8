import { createLink, updateApp } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { eventually, post, startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

const ADID = '5a1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4b';
const IOS_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const MINUTE = 60_000;

async function analytics(p: TestPlatform, app: TestApp, route: string, query = '') {
  const from = new Date(Date.now() - 3 * 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  const res = await fetch(`${p.apiUrl}/api/analytics/${app.id}/${route}?from=${from}&to=${to}${query}`, {
    headers: { authorization: `Bearer ${app.serverKey}` },
  });
  // biome-ignore lint/suspicious/noExplicitAny: analytics bodies of several routes
  return (await res.json()) as any;
}

describe('attribution state that must survive a restart', () => {
  it('a re-engagement made before a restart still credits the device’s events after it', { timeout: 120_000 }, async () => {
    const first = await startTestPlatform();
    // The purchase is in EUR, the app's reporting currency: it counts as it is.
    const app = await first.newApp('reengage', { reporting_currency: 'EUR' });
    const retarget = await createLink(first.control, app.id, {
      name: 'R',
      media_source: 'retarget_net',
      campaign: 'winback',
      is_retargeting: true,
      destinations: { ios: 'https://apps.apple.com/app/id1' },
    });
    const send = (p: TestPlatform, body: Record<string, unknown>) =>
      post(
        `${p.ingestUrl}/v1/events`,
        { device: { id: 'dev-r', platform: 'ios', advertising_id: ADID }, ...body },
        { 'x-api-key': app.sdkKey },
      );
    const at = (offset: number) => new Date(Date.now() + offset).toISOString();
    expect((await send(first, { event_id: 'inst', type: 'install', timestamp: at(-60 * MINUTE) })).status).toBe(202);
    await fetch(`${first.ingestUrl}/c/${retarget!.id}?idfa=${ADID}`, { redirect: 'manual', headers: { 'user-agent': IOS_UA } });
    expect((await send(first, { event_id: 'open-1', type: 'open', timestamp: at(MINUTE) })).status).toBe(202);
    expect(await first.log.drain(10_000)).toBe(true);
    await first.close();

    const second = await startTestPlatform({}, {}, first.dir);
    await second.warmUp.done;
    const buy = await send(second, {
      event_id: 'buy-1',
      type: 'event',
      name: 'purchase',
      revenue: 10,
      currency: 'EUR',
      timestamp: at(2 * MINUTE),
    });
    expect(buy.status).toBe(202);
    await eventually(async () => {
      const { rows } = await analytics(second, app, 'attribution');
      // Forgotten re-engagement: the purchase would be credited to the organic install.
      expect(rows.find((r: { media_source: string }) => r.media_source === 'retarget_net')).toMatchObject({ revenue: 10 });
    }, 10_000);
    await second.close();
  });

  it('click-flood counts made before a restart still count after it', { timeout: 120_000 }, async () => {
    const first = await startTestPlatform();
    const app = await first.newApp('flood');
    await updateApp(first.control, app.id, { settings: { fraud: { click_flood_max_per_hour: 3 } } });
    const link = await createLink(first.control, app.id, { name: 'F', media_source: 'floody', campaign: 'c' });
    // All in one click-time hour: 10 minutes ago at most.
    const hour = Math.floor((Date.now() - 10 * MINUTE) / 3_600_000) * 3_600_000;
    const click = (p: TestPlatform, n: number) =>
      post(
        `${p.ingestUrl}/v1/clicks`,
        {
          link_id: link!.id,
          timestamp: new Date(hour + n * 1000).toISOString(),
          ip: '198.51.100.9',
          user_agent: IOS_UA,
          click_id: `net-${n}`,
        },
        { authorization: `Bearer ${app.serverKey}` },
      );
    for (let n = 1; n <= 3; n++) expect((await click(first, n)).status).toBe(202);
    expect(await first.log.drain(10_000)).toBe(true);
    await first.close();

    const second = await startTestPlatform({}, {}, first.dir);
    await second.warmUp.done;
    expect((await click(second, 4)).status).toBe(202);
    await eventually(async () => {
      const fraud = await analytics(second, app, 'fraud');
      // Forgotten counts: the 4th click of the hour would count as the 1st.
      expect(fraud.clicks).toEqual([{ reason: 'click_flood', count: 1 }]);
    }, 10_000);
    await second.close();
  });
});
