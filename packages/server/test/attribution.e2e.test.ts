import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, call, seedUser } from './support/api-client.ts';
import { eventually, post, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// The whole attribution flow through HTTP: links made through the API, clicks through the public
// tracking URL (behind a proxy) and S2S, installs from the real Segment client, decisions read back
// from the installs route, and the network told through its postback URL.
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const IOS_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ADID = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const HOUR = 3_600_000;

let p: TestPlatform;
let token: string;
let appId: string;
let sdkKey: string;
let serverKey: string;
let network: Server;
const postbacks: { url: string; body: string }[] = [];

beforeAll(async () => {
  network = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      postbacks.push({ url: req.url ?? '', body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => network.listen(0, '127.0.0.1', r));
  p = await startTestPlatform({ TRUST_PROXY: '1', POSTBACK_ALLOWED_CIDRS: '127.0.0.1/32' });
  const admin = await seedUser(p.control, 'growth@example.com');
  token = await accessTokenFor(p.control, p.signing, admin.id);
  const created = await call(p.apiUrl, 'POST', '/api/apps', {
    token,
    body: {
      name: 'Attributed',
      platforms: ['ios', 'android'],
      store_url_android: 'https://play.google.com/store/apps/details?id=com.example',
    },
  });
  expect(created.status).toBe(201);
  ({ sdk_key: sdkKey, server_key: serverKey } = created.body);
  appId = created.body.app.id;
  // The purchase below is in EUR: reported in EUR it counts as it is, without loading a rate.
  const reporting = await call(p.apiUrl, 'PATCH', `/api/apps/${appId}`, { token, body: { settings: { reporting_currency: 'EUR' } } });
  expect(reporting.status).toBe(200);
});
afterAll(async () => {
  await p?.close();
  network?.close();
});

const api = (method: string, path: string, body?: unknown) => call(p.apiUrl, method, path, { token, body });
const link = async (body: Record<string, unknown>) => {
  const res = await api('POST', `/api/apps/${appId}/links`, body);
  expect(res.status).toBe(201);
  return res.body.link.id as string;
};

// Installs happen a minute after their clicks (a CTIT under 10 s would be fraud), so the ranges reach ahead.
const range = () => `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}`;

async function installs() {
  const res = await api('GET', `/api/analytics/${appId}/installs?format=json&${range()}`);
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown>[];
}

describe('attribution end to end', () => {
  it('decides installs by referrer, advertising id, probabilistic match and organic; events inherit; the network gets its postback', async () => {
    const meta = await link({ name: 'Meta spring', media_source: 'meta_ads', campaign: 'spring', ad_set: 'broad' });
    const tiktok = await link({ name: 'TikTok', media_source: 'tiktok', campaign: 'launch' });
    const s2s = await link({ name: 'Google S2S', media_source: 'google_ads', campaign: 'search' });
    const partner = await api('PUT', `/api/apps/${appId}/partners/meta_ads`, {
      url: `http://127.0.0.1:${(network.address() as { port: number }).port}/pb?cid={click_id}&ev={event_name}&rev={revenue}&camp={campaign}&ctit={ctit}`,
      method: 'GET',
      events: ['purchase'],
      enabled: true,
    });
    expect(partner.status).toBe(201);

    // A click through the public URL behind a proxy: the visitor's address comes from X-Forwarded-For.
    const click = await fetch(`${p.ingestUrl}/c/${meta}?click_id=net-123&site_id=feed`, {
      redirect: 'manual',
      headers: { 'user-agent': ANDROID_UA, 'x-forwarded-for': '203.0.113.50' },
    });
    expect(click.status).toBe(302);
    const location = new URL(click.headers.get('location')!);
    expect(location.hostname).toBe('play.google.com');
    const referrer = location.searchParams.get('referrer')!;
    expect(referrer).toMatch(/^click_id=clk_/);
    const ourClickId = referrer.slice('click_id='.length);

    // A device-id click reported server to server, two hours in the past.
    const past = new Date(Date.now() - 2 * HOUR).toISOString();
    const reported = await post(
      `${p.ingestUrl}/v1/clicks`,
      { link_id: tiktok, timestamp: past, ip: '198.51.100.20', user_agent: IOS_UA, advertising_id: ADID, click_id: 'tt-1' },
      { authorization: `Bearer ${serverKey}` },
    );
    expect(reported.status).toBe(202);
    // The network retries the same report: a duplicate, not a second click.
    const retried = await post(
      `${p.ingestUrl}/v1/clicks`,
      { link_id: tiktok, timestamp: past, ip: '198.51.100.20', user_agent: IOS_UA, advertising_id: ADID, click_id: 'tt-1' },
      { authorization: `Bearer ${serverKey}` },
    );
    expect(retried.body).toMatchObject({ accepted: 0, duplicates: 1, click_id: reported.body.click_id });
    // A click whose only trace is its IP and device (probabilistic).
    await fetch(`${p.ingestUrl}/c/${s2s}`, { redirect: 'manual', headers: { 'user-agent': ANDROID_UA, 'x-forwarded-for': '192.0.2.77' } });

    const analytics = new Analytics({ writeKey: sdkKey, host: p.ingestUrl, flushAt: 20, maxRetries: 0 });
    const installed = (anonymousId: string, context: Record<string, unknown>) =>
      analytics.track({ anonymousId, event: 'Application Installed', context, timestamp: new Date(Date.now() + 60_000) });
    installed('dev-referrer', { device: { type: 'android' }, os: { version: '14' }, referrer: { type: 'google_play', url: referrer } });
    installed('dev-adid', { device: { type: 'ios', advertisingId: ADID }, os: { version: '17.4' } });
    installed('dev-organic', { device: { type: 'ios' }, os: { version: '17.4' } });
    analytics.track({
      anonymousId: 'dev-referrer',
      event: 'purchase',
      properties: { revenue: 9.99, currency: 'EUR' },
      timestamp: new Date(Date.now() + 120_000),
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    // An SDK behind the same proxy: only its address and device can tie it to the click.
    const native = await post(
      `${p.ingestUrl}/v1/events`,
      {
        event_id: 'install-probabilistic',
        type: 'install',
        timestamp: new Date(Date.now() + 60_000).toISOString(),
        device: { id: 'dev-probabilistic', platform: 'android', os_version: '14' },
      },
      { 'x-api-key': sdkKey, 'x-forwarded-for': '192.0.2.77' },
    );
    expect(native.body.accepted).toBe(1);

    const byDevice = await eventually(async () => {
      const rows = await installs();
      expect(rows).toHaveLength(4);
      return Object.fromEntries(rows.map((r) => [r.device_id, r]));
    });
    expect(byDevice['dev-referrer']).toMatchObject({
      status: 'attributed',
      match_type: 'referrer',
      media_source: 'meta_ads',
      campaign: 'spring',
      click_id: ourClickId,
      network_click_id: 'net-123',
      site_id: 'feed',
    });
    expect(byDevice['dev-referrer']!.ctit_seconds).toBeGreaterThanOrEqual(59);
    expect(byDevice['dev-adid']).toMatchObject({
      status: 'attributed',
      match_type: 'device_id',
      media_source: 'tiktok',
      network_click_id: 'tt-1',
    });
    expect(byDevice['dev-adid']!.ctit_seconds).toBeGreaterThanOrEqual(2 * 3600);
    expect(byDevice['dev-probabilistic']).toMatchObject({ status: 'attributed', match_type: 'probabilistic', media_source: 'google_ads' });
    expect(byDevice['dev-organic']).toMatchObject({ status: 'organic', match_type: 'none', media_source: 'organic' });

    // Installs are written before the events that inherit from them: the purchase may land a moment later.
    await eventually(async () => {
      const overview = (await api('GET', `/api/analytics/${appId}/overview?${range()}`)).body;
      expect(overview).toMatchObject({ installs: 4, organic_installs: 1, non_organic_installs: 3, clicks: 3, total_revenue: 9.99 });
    });
    const bySource = (await api('GET', `/api/analytics/${appId}/attribution?group_by=media_source&${range()}`)).body.rows as {
      media_source: string;
      installs: number;
      revenue: number;
    }[];
    expect(bySource.find((r) => r.media_source === 'meta_ads')).toMatchObject({ installs: 1, revenue: 9.99 });

    await eventually(async () => {
      expect(postbacks.map((pb) => new URL(pb.url, 'http://x').searchParams.get('ev')).sort()).toEqual(['install', 'purchase']);
    }, 10_000);
    const purchase = new URL(postbacks.find((pb) => pb.url.includes('ev=purchase'))!.url, 'http://x').searchParams;
    expect(Object.fromEntries(purchase)).toMatchObject({ cid: 'net-123', rev: '9.99', camp: 'spring' });
    const log = await api('GET', `/api/apps/${appId}/postbacks`);
    expect(log.body.postbacks.every((pb: { status: string }) => pb.status === 'delivered')).toBe(true);
  });

  it('refuses unknown and disabled links, and another app\u2019s link on S2S', async () => {
    expect((await fetch(`${p.ingestUrl}/c/lnk_doesnotexist1`, { redirect: 'manual' })).status).toBe(404);
    const paused = await link({ name: 'Paused', media_source: 'meta_ads', campaign: 'old' });
    expect((await api('PATCH', `/api/apps/${appId}/links/${paused}`, { enabled: false })).status).toBe(200);
    expect((await fetch(`${p.ingestUrl}/c/${paused}`, { redirect: 'manual' })).status).toBe(410);
    expect((await fetch(`${p.ingestUrl}/i/${paused}`)).status).toBe(410);
    const other = await p.newApp('other');
    const res = await post(`${p.ingestUrl}/v1/clicks`, { link_id: paused, ip: '1.2.3.4' }, { authorization: `Bearer ${other.serverKey}` });
    expect(res.status).toBe(404);
    const sdk = await post(`${p.ingestUrl}/v1/clicks`, { link_id: paused, ip: '1.2.3.4' }, { 'x-api-key': sdkKey });
    expect(sdk.status).toBe(401);
  });

  it('records impressions (204, or a GIF on request)', async () => {
    const banner = await link({ name: 'Banner', media_source: 'unity_ads', campaign: 'views' });
    expect((await fetch(`${p.ingestUrl}/i/${banner}?idfa=${ADID}`, { headers: { 'user-agent': IOS_UA } })).status).toBe(204);
    const gif = await fetch(`${p.ingestUrl}/i/${banner}?format=gif`);
    expect(gif.status).toBe(200);
    expect(gif.headers.get('content-type')).toBe('image/gif');
    await eventually(async () => expect((await api('GET', `/api/analytics/${appId}/overview?${range()}`)).body.impressions).toBe(2));
  });
});
