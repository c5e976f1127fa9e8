import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeepLinkApp } from './deep-links/deep-link-app.ts';
import { call } from './support/api-client.ts';
import { eventually, post, type TestPlatform } from './support/test-platform.ts';

// Deferred deep linking through HTTP on the real embedded platform: links with deep
// links made through the API, clicks through the public URL, installs matched by referrer,
// advertising id and IP, and the SDK asking GET /v1/attribution/:device_id on the ingest listener.
// Direct deep linking (the association documents): deep-links-association.e2e.test.ts.
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const IOS_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ADID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const HOUR = 3_600_000;

let p: TestPlatform;
let token: string;
let appId: string;
let sdkKey: string;
let n = 0;

beforeAll(async () => {
  ({ p, token, appId, sdkKey } = await startDeepLinkApp('deeplinks@example.com'));
});
afterAll(async () => {
  await p?.close();
});

const api = (method: string, path: string, body?: unknown) => call(p.apiUrl, method, path, { token, body });
const link = async (body: Record<string, unknown>) => {
  const res = await api('POST', `/api/apps/${appId}/links`, body);
  expect(res.status).toBe(201);
  return res.body.link as { id: string; deep_link: unknown };
};
const install = (device: Record<string, unknown>, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  post(
    `${p.ingestUrl}/v1/events`,
    {
      event_id: `install-${++n}-${Date.now()}`,
      type: 'install',
      timestamp: new Date(Date.now() + 60_000).toISOString(),
      device,
      ...extra,
    },
    { 'x-api-key': sdkKey, ...headers },
  );
const attribution = async (deviceId: string, wait = 5, key = sdkKey) => {
  const res = await fetch(`${p.ingestUrl}/v1/attribution/${encodeURIComponent(deviceId)}?wait=${wait}`, {
    headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
  });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
};
const deepLink = (value: string) => ({ value, sub1: 'blue', sub2: null, sub3: null, sub4: null, sub5: null, path: `/offers/${value}` });

describe('link deep_link fields', () => {
  it('stores, patches and clears a deep link; refuses bad values naming the field', async () => {
    const made = await link({
      name: 'DL',
      media_source: 'meta_ads',
      campaign: 'c',
      deep_link: { value: 'spring', sub1: 'blue', path: 'myapp://offers/spring' },
    });
    expect(made.deep_link).toEqual({
      value: 'spring',
      sub1: 'blue',
      sub2: null,
      sub3: null,
      sub4: null,
      sub5: null,
      path: 'myapp://offers/spring',
    });
    const patched = await api('PATCH', `/api/apps/${appId}/links/${made.id}`, {
      deep_link: { value: 'summer', path: '/offers/summer?x=1' },
    });
    expect(patched.body.link.deep_link).toMatchObject({ value: 'summer', sub1: null, path: '/offers/summer?x=1' });
    expect((await api('GET', `/api/apps/${appId}/links/${made.id}`)).body.link.deep_link.value).toBe('summer');
    expect((await api('PATCH', `/api/apps/${appId}/links/${made.id}`, { deep_link: null })).body.link.deep_link).toBeNull();

    const bad: [unknown, string][] = [
      [{ path: 'https://evil.example/x' }, 'deep_link.path'],
      [{ path: '//evil.example/x' }, 'deep_link.path'],
      [{ path: 'javascript://alert(1)' }, 'deep_link.path'],
      [{ path: '/a b' }, 'deep_link.path'],
      [{ value: 'a\u0007b' }, 'deep_link.value'],
      [{ sub3: 'x'.repeat(501) }, 'sub3'],
      [{ other: 'x' }, 'other'],
      ['text', 'deep_link'],
    ];
    for (const [deep_link, field] of bad) {
      const res = await api('POST', `/api/apps/${appId}/links`, { name: 'bad', media_source: 'm', campaign: 'c', deep_link });
      expect(res.status, JSON.stringify(deep_link)).toBe(400);
      expect(JSON.stringify(res.body.error), JSON.stringify(deep_link)).toContain(field);
    }
  });
});

describe('GET /v1/attribution/:device_id (deferred deep linking)', () => {
  it('answers the winning link\u2019s deep link for a referrer, a device-id and a probabilistic match, and none for organic', async () => {
    const referrerLink = await link({ name: 'R', media_source: 'meta_ads', campaign: 'spring', deep_link: deepLink('referrer') });
    const adidLink = await link({ name: 'A', media_source: 'tiktok', campaign: 'launch', deep_link: deepLink('adid') });
    const ipLink = await link({ name: 'P', media_source: 'google_ads', campaign: 'search', deep_link: deepLink('probabilistic') });

    const click = await fetch(`${p.ingestUrl}/c/${referrerLink.id}`, {
      redirect: 'manual',
      headers: { 'user-agent': ANDROID_UA, 'x-forwarded-for': '203.0.113.61' },
    });
    expect(click.status).toBe(302);
    const referrer = new URL(click.headers.get('location')!).searchParams.get('referrer')!;
    await fetch(`${p.ingestUrl}/c/${adidLink.id}?advertising_id=${ADID}`, {
      redirect: 'manual',
      headers: { 'user-agent': IOS_UA, 'x-forwarded-for': '198.51.100.61' },
    });
    await fetch(`${p.ingestUrl}/c/${ipLink.id}`, {
      redirect: 'manual',
      headers: { 'user-agent': ANDROID_UA, 'x-forwarded-for': '192.0.2.61' },
    });

    expect(
      (
        await install(
          { id: 'dl-referrer', platform: 'android', os_version: '14' },
          { install_referrer: { referrer, click_ts: null, install_begin_ts: null } },
        )
      ).status,
    ).toBe(202);
    expect((await install({ id: 'dl-adid', platform: 'ios', os_version: '17.4', advertising_id: ADID })).status).toBe(202);
    expect((await install({ id: 'dl-ip', platform: 'android', os_version: '14' }, {}, { 'x-forwarded-for': '192.0.2.61' })).status).toBe(
      202,
    );
    expect((await install({ id: 'dl-organic', platform: 'ios', os_version: '16.0' }, {}, { 'x-forwarded-for': '192.0.2.99' })).status).toBe(
      202,
    );

    const r = await attribution('dl-referrer');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toMatchObject({
      status: 'attributed',
      match_type: 'referrer',
      media_source: 'meta_ads',
      campaign: 'spring',
      link_id: referrerLink.id,
      is_first_launch: true,
      is_reinstall: false,
      is_reengagement: false,
      deep_link: deepLink('referrer'),
    });
    expect(r.body.installed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await attribution('dl-adid')).body).toMatchObject({
      match_type: 'device_id',
      media_source: 'tiktok',
      deep_link: deepLink('adid'),
    });
    expect((await attribution('dl-ip')).body).toMatchObject({
      match_type: 'probabilistic',
      media_source: 'google_ads',
      deep_link: deepLink('probabilistic'),
    });
    expect((await attribution('dl-organic')).body).toMatchObject({
      status: 'organic',
      media_source: 'organic',
      match_type: 'none',
      deep_link: null,
    });
  });

  it('long-polls: a request made before the install answers within seconds of the install being accepted', async () => {
    const l = await link({ name: 'LP', media_source: 'unity_ads', campaign: 'poll', deep_link: deepLink('poll') });
    await fetch(`${p.ingestUrl}/c/${l.id}?gaid=1f1f1f1f-2e2e-4a4a-8b8b-9c9c9c9c9c9c`, {
      redirect: 'manual',
      headers: { 'user-agent': ANDROID_UA },
    });
    const asked = Date.now();
    const pending = attribution('dl-poll', 10);
    await new Promise((r) => setTimeout(r, 300));
    const accepted = await install({
      id: 'dl-poll',
      platform: 'android',
      os_version: '13',
      advertising_id: '1f1f1f1f-2e2e-4a4a-8b8b-9c9c9c9c9c9c',
    });
    expect(accepted.status).toBe(202);
    const acceptedAt = Date.now();
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ match_type: 'device_id', deep_link: deepLink('poll') });
    expect(Date.now() - acceptedAt).toBeLessThan(5_000);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(300);
  });

  it('answers 202 pending after `wait` for a device heard from but not installed, 404 for unknown devices and other apps\u2019 keys', async () => {
    const event = await post(
      `${p.ingestUrl}/v1/events`,
      {
        event_id: `ev-${Date.now()}`,
        type: 'event',
        name: 'screen',
        timestamp: new Date().toISOString(),
        device: { id: 'dl-no-install', platform: 'ios' },
      },
      { 'x-api-key': sdkKey },
    );
    expect(event.status).toBe(202);
    const started = Date.now();
    const pending = await attribution('dl-no-install', 1);
    expect(pending.status).toBe(202);
    expect(pending.body).toEqual({ status: 'pending' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    const unknown = await attribution('never-seen', 0);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_device');
    const other = await p.newApp('another');
    expect((await attribution('dl-referrer', 0, other.sdkKey)).status).toBe(404);
    expect((await attribution('dl-referrer', 0, 'sdk_not_a_key')).status).toBe(401);
    expect((await fetch(`${p.ingestUrl}/v1/attribution/dl-referrer`)).status).toBe(401);
    const badWait = await fetch(`${p.ingestUrl}/v1/attribution/dl-referrer?wait=soon`, { headers: { 'x-api-key': sdkKey } });
    expect(badWait.status).toBe(400);
    // A wait above the cap is cut to 30 s, not refused; a decided device answers at once anyway.
    const capped = Date.now();
    expect((await fetch(`${p.ingestUrl}/v1/attribution/dl-referrer?wait=3600`, { headers: { 'x-api-key': sdkKey } })).status).toBe(200);
    expect(Date.now() - capped).toBeLessThan(2_000);
  });

  it('a reinstall keeps its attribution but does not replay the old deep link', async () => {
    expect((await install({ id: 'dl-adid', platform: 'ios', os_version: '17.4', advertising_id: ADID })).status).toBe(202);
    const answer = await eventually(async () => {
      const a = await attribution('dl-adid', 0);
      expect(a.body.status).toBe('reinstall');
      return a.body;
    });
    expect(answer).toMatchObject({
      media_source: 'tiktok',
      match_type: 'device_id',
      is_first_launch: false,
      is_reinstall: true,
      deep_link: null,
    });
    expect(answer.reinstalled_at).not.toBeNull();
  });

  it('a re-engagement answers the retargeting click\u2019s deep link; the app resolving the link gets JSON and the click is recorded', async () => {
    const past = new Date(Date.now() - HOUR).toISOString();
    const installed = await post(
      `${p.ingestUrl}/v1/events`,
      {
        event_id: `inst-re-${Date.now()}`,
        type: 'install',
        timestamp: past,
        device: { id: 'dl-returning', platform: 'ios', os_version: '17.1' },
      },
      { 'x-api-key': sdkKey, 'x-forwarded-for': '192.0.2.150' },
    );
    expect(installed.status).toBe(202);
    expect((await attribution('dl-returning')).body).toMatchObject({ status: 'organic', deep_link: null, is_reengagement: false });

    const retarget = await link({
      name: 'Winback',
      media_source: 'criteo',
      campaign: 'winback',
      is_retargeting: true,
      deep_link: deepLink('winback'),
    });
    // The universal link opened the app; its SDK resolves the URL as JSON instead of following the redirect.
    const resolved = await fetch(`${p.ingestUrl}/c/${retarget.id}?site_id=mail`, {
      headers: { accept: 'application/json', 'user-agent': IOS_UA },
    });
    expect(resolved.status).toBe(200);
    const body = (await resolved.json()) as any;
    expect(body).toMatchObject({ link_id: retarget.id, is_retargeting: true, deep_link: deepLink('winback') });
    expect(body.click_id).toMatch(/^clk_/);

    const open = await post(
      `${p.ingestUrl}/v1/events`,
      {
        event_id: `open-re-${Date.now()}`,
        type: 'open',
        timestamp: new Date(Date.now() + 5_000).toISOString(),
        click_id: body.click_id,
        device: { id: 'dl-returning', platform: 'ios', os_version: '17.1' },
      },
      { 'x-api-key': sdkKey },
    );
    expect(open.status).toBe(202);
    const answer = await eventually(async () => {
      const a = await attribution('dl-returning', 0);
      expect(a.body.is_reengagement).toBe(true);
      return a.body;
    });
    expect(answer).toMatchObject({
      status: 'organic',
      media_source: 'organic',
      reengagement: { media_source: 'criteo', campaign: 'winback', link_id: retarget.id },
      deep_link: deepLink('winback'),
    });
    const range = `from=${new Date(Date.now() - 2 * HOUR).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}`;
    await eventually(async () => {
      const rows = (await api('GET', `/api/analytics/${appId}/attribution?group_by=media_source&${range}`)).body.rows as any[];
      expect(rows.find((x) => x.media_source === 'criteo')?.clicks).toBe(1);
    });
  });
});
