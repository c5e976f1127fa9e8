import { chmod, mkdtemp, readdir, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, call, seedUser } from './support/api-client.ts';
import { eventually, post, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// The holes an outside probe found on the ingest listener (docs/security.md), each with a test
// that failed on the code before the fix: spoofed IPs on public clicks, the global block list,
// click-id spaces, HEAD requests, slow bodies, a deleted app's keys, DATA_DIR permissions.
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const HOUR = 3_600_000;

let p: TestPlatform;
let token: string;
let appId: string;
let sdkKey: string;
let serverKey: string;

const api = (method: string, path: string, body?: unknown) => call(p.apiUrl, method, path, { token, body });
const range = () => `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}`;

beforeAll(async () => {
  p = await startTestPlatform({ BLOCKED_CIDRS: '192.0.2.0/24, 2001:db8:bad::/48', REQUEST_TIMEOUT_MS: '1500' });
  const admin = await seedUser(p.control, 'ingest-holes@example.com');
  token = await accessTokenFor(p.control, p.signing, admin.id);
  const created = await api('POST', '/api/apps', {
    name: 'Ingest holes',
    platforms: ['ios', 'android'],
    store_url_android: 'https://play.google.com/store/apps/details?id=com.example',
  });
  appId = created.body.app.id;
  ({ sdk_key: sdkKey, server_key: serverKey } = created.body);
  // A tight flood limit, so dodging it would show with a few clicks.
  await api('PATCH', `/api/apps/${appId}`, { settings: { fraud: { click_flood_max_per_hour: 2, ctit_min_seconds: 0 } } });
});
afterAll(async () => {
  await p?.close();
});

async function link(name: string) {
  const made = await api('POST', `/api/apps/${appId}/links`, { name, media_source: name, campaign: 'c' });
  return made.body.link.id as string;
}

async function installs() {
  return (await api('GET', `/api/analytics/${appId}/installs?format=json&${range()}`)).body as Record<string, unknown>[];
}

const install = (device: string, ip: string | undefined, key = sdkKey) =>
  post(
    `${p.ingestUrl}/v1/events`,
    {
      event_id: `${device}-install`,
      type: 'install',
      timestamp: new Date(Date.now() + 60_000).toISOString(),
      device: { id: device, platform: 'android', os_version: '14' },
      ...(ip ? { ip } : {}),
    },
    { 'x-api-key': key },
  );

describe('public click URLs', () => {
  it('ignore ip= and user_agent= in the query: no planted probabilistic match, no dodged flood limit', async () => {
    const planted = await link('planted');
    // The attacker's click claims to come from the victim's address and device.
    const spoof = await fetch(`${p.ingestUrl}/c/${planted}?ip=203.0.113.200&user_agent=${encodeURIComponent(ANDROID_UA)}`, {
      redirect: 'manual',
      headers: { 'user-agent': 'curl/8' },
    });
    // (curl has no platform and the link no web destination: a 404 page, but the click is recorded)
    expect(spoof.status).toBeLessThan(500);
    // Five clicks claiming five IPs: the flood rule sees one address (the connection's) and cuts after 2.
    const flood = await link('flood');
    for (let i = 0; i < 5; i++) {
      await fetch(`${p.ingestUrl}/c/${flood}?ip=198.51.100.${i + 1}`, { redirect: 'manual', headers: { 'user-agent': ANDROID_UA } });
    }
    // The victim installs from that address (a server key may set ip).
    expect((await install('victim-device', '203.0.113.200', serverKey)).status).toBe(202);
    const row = await eventually(async () => {
      const found = (await installs()).find((r) => r.device_id === 'victim-device');
      expect(found).toBeDefined();
      return found!;
    }, 10_000);
    expect(row.media_source).not.toBe('planted');
    const fraud = (await api('GET', `/api/analytics/${appId}/fraud?${range()}`)).body;
    expect(JSON.stringify(fraud)).toContain('click_flood');
    const overview = (await api('GET', `/api/analytics/${appId}/overview?${range()}`)).body;
    expect(overview.clicks).toBe(1 + 2);
  });

  it('HEAD /c/ and HEAD /i/ (link-preview bots) record nothing', async () => {
    const previewed = await link('previewed');
    expect((await fetch(`${p.ingestUrl}/c/${previewed}`, { method: 'HEAD', redirect: 'manual' })).status).toBeLessThan(400);
    expect((await fetch(`${p.ingestUrl}/i/${previewed}`, { method: 'HEAD' })).status).toBeLessThan(400);
    await fetch(`${p.ingestUrl}/c/${previewed}`, { redirect: 'manual', headers: { 'user-agent': ANDROID_UA } });
    await eventually(async () => {
      const rows = (await api('GET', `/api/analytics/${appId}/attribution?${range()}`)).body.rows;
      expect(rows.find((r: { media_source: string }) => r.media_source === 'previewed')).toMatchObject({ clicks: 1, impressions: 0 });
    }, 10_000);
  });

  it('cannot take a network\u2019s click id: a public click first, the keyed report still counts', async () => {
    const net = await link('network');
    await fetch(`${p.ingestUrl}/c/${net}?click_id=net-777`, { redirect: 'manual', headers: { 'user-agent': ANDROID_UA } });
    const reported = await post(
      `${p.ingestUrl}/v1/clicks`,
      { link_id: net, click_id: 'net-777', ip: '198.51.100.77', user_agent: ANDROID_UA },
      { authorization: `Bearer ${serverKey}` },
    );
    expect(reported.status).toBe(202);
    expect(reported.body).toMatchObject({ accepted: 1, duplicates: 0 });
  });
});

describe('the global block list (BLOCKED_CIDRS)', () => {
  it('rejects installs and does not count clicks or impressions from blocked ranges', async () => {
    const blocked = await link('blocked');
    const s2s = { authorization: `Bearer ${serverKey}` };
    expect((await post(`${p.ingestUrl}/v1/clicks`, { link_id: blocked, ip: '192.0.2.10', user_agent: ANDROID_UA }, s2s)).status).toBe(202);
    expect(
      (await post(`${p.ingestUrl}/v1/impressions`, { link_id: blocked, ip: '2001:db8:bad::5', user_agent: ANDROID_UA }, s2s)).status,
    ).toBe(202);
    expect((await install('farm-device', '192.0.2.11', serverKey)).status).toBe(202);
    await eventually(async () => {
      const row = (await installs()).find((r) => r.device_id === 'farm-device');
      expect(row).toMatchObject({ status: 'rejected', fraud_reason: 'blocked_ip' });
      const fraud = JSON.stringify((await api('GET', `/api/analytics/${appId}/fraud?${range()}`)).body);
      expect(fraud.match(/blocked_ip/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
      const rows = (await api('GET', `/api/analytics/${appId}/attribution?${range()}`)).body.rows;
      expect(rows.find((r: { media_source: string }) => r.media_source === 'blocked') ?? { clicks: 0, impressions: 0 }).toMatchObject({
        clicks: 0,
        impressions: 0,
      });
    }, 10_000);
  });
});

describe('connections and keys', () => {
  it('cuts off a request whose body never finishes', async () => {
    const { hostname, port } = new URL(p.ingestUrl);
    const started = Date.now();
    const closed = await new Promise<number>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          `POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nX-Api-Key: ${sdkKey}\r\n\r\n{"ev`,
        );
      });
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => {});
      setTimeout(() => reject(new Error('the connection was still open after 10 s')), 10_000).unref();
    });
    expect(closed).toBeLessThan(5_000);
  });

  it('stops a deleted app\u2019s keys at once', async () => {
    const made = await api('POST', '/api/apps', { name: 'Doomed', platforms: ['ios'] });
    const doomed = { sdk: made.body.sdk_key as string, server: made.body.server_key as string, id: made.body.app.id as string };
    expect((await install('d1', undefined, doomed.sdk)).status).toBe(202);
    expect((await api('DELETE', `/api/apps/${doomed.id}`)).status).toBe(204);
    expect((await install('d2', undefined, doomed.sdk)).status).toBe(401);
    const pull = await fetch(`${p.apiUrl}/api/analytics/${doomed.id}/overview`, { headers: { authorization: `Bearer ${doomed.server}` } });
    expect(pull.status).toBeGreaterThanOrEqual(401);
    expect(pull.status).toBeLessThan(500);
  });
});

describe('DATA_DIR', () => {
  it('keeps everything owner-only, and refuses a directory others can read', async () => {
    const files: string[] = [];
    const walk = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        files.push(full);
        if (entry.isDirectory()) await walk(full);
      }
    };
    await walk(path.join(p.dir, 'control'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(((await stat(file)).mode & 0o077).toString(8), file).toBe('0');
    expect((await stat(p.dir)).mode & 0o077).toBe(0);

    const open = await mkdtemp(path.join(tmpdir(), 'unmogrowp-open-'));
    await chmod(open, 0o755);
    await expect(startTestPlatform({}, {}, open)).rejects.toThrow(/DATA_DIR: .* open to other users/);
  });
});
