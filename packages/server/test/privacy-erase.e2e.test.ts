import { createServer, type Server } from 'node:http';
import type { EventStore } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, call, seedUser } from './support/api-client.ts';
import { eventually, post, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// Erase end to end over HTTP (docs/privacy.md): a device with events, clicks, an install and a
// pending postback is erased; every analytics route, the installs export and the fraud report
// stop showing it; an erase interrupted by a crash is finished after the restart; the audit
// trail has the request.
const ADID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const IOS_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const HOUR = 3_600_000;

let p: TestPlatform;
let dir: string;
let token: string;
let analystToken: string;
let appId: string;
let sdkKey: string;
let serverKey: string;
let network: Server;
let crashOnce = true;

/** The first erase dies half-way (after the event store, before the rest): a crash in the middle. */
const crashingStore = (store: EventStore): EventStore =>
  new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'erasePerson') {
        return async (...args: Parameters<EventStore['erasePerson']>) => {
          const counts = await target.erasePerson(...args);
          if (crashOnce) {
            crashOnce = false;
            throw new Error('simulated crash in the middle of an erase');
          }
          return counts;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

const env = { POSTBACK_ALLOWED_CIDRS: '127.0.0.1/32' };
const api = (method: string, path: string, body?: unknown, as = token) => call(p.apiUrl, method, path, { token: as, body });
const range = () => `from=${new Date(Date.now() - 2 * 86_400_000).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}`;

beforeAll(async () => {
  // A network that is down: the install's postback stays pending (retried for a day).
  network = createServer((_req, res) => res.writeHead(503).end());
  await new Promise<void>((r) => network.listen(0, '127.0.0.1', r));
  p = await startTestPlatform(env, { wrapEventStore: crashingStore });
  dir = p.dir;
  const admin = await seedUser(p.control, 'privacy-admin@example.com');
  const analyst = await seedUser(p.control, 'privacy-analyst@example.com');
  token = await accessTokenFor(p.control, p.signing, admin.id);
  analystToken = await accessTokenFor(p.control, p.signing, analyst.id);
  const created = await api('POST', '/api/apps', { name: 'Erasable', platforms: ['ios', 'android'] });
  ({ sdk_key: sdkKey, server_key: serverKey } = created.body);
  appId = created.body.app.id;
  expect((await api('POST', `/api/apps/${appId}/members`, { email: analyst.email, role: 'analyst' })).status).toBe(201);
  expect((await api('PATCH', `/api/apps/${appId}`, { settings: { fraud: { blocked_cidrs: ['192.0.2.0/24'] } } })).status).toBe(200);
});
afterAll(async () => {
  await p?.close();
  network?.close();
});

async function seed() {
  const link = await api('POST', `/api/apps/${appId}/links`, { name: 'Net', media_source: 'net', campaign: 'spring' });
  const port = (network.address() as { port: number }).port;
  const partner = await api('PUT', `/api/apps/${appId}/partners/net`, {
    url: `http://127.0.0.1:${port}/pb?c={click_id}&a={advertising_id}`,
  });
  expect(partner.status).toBe(201);
  const linkId = link.body.link.id;
  const s2s = { authorization: `Bearer ${serverKey}` };
  const past = new Date(Date.now() - HOUR).toISOString();
  const click = (ip: string, id: string) =>
    post(`${p.ingestUrl}/v1/clicks`, { link_id: linkId, ip, user_agent: IOS_UA, advertising_id: ADID, click_id: id, timestamp: past }, s2s);
  expect((await click('198.51.100.7', 'n-1')).status).toBe(202);
  // From the blocked range: a fraud click of the same person.
  expect((await click('192.0.2.9', 'n-2')).status).toBe(202);
  const ev = (device: string, type: string, extra: Record<string, unknown> = {}) => ({
    event_id: `${device}-${type}-${Math.random()}`,
    type,
    name: type === 'event' ? 'purchase' : undefined,
    timestamp: new Date().toISOString(),
    device: { id: device, platform: 'ios', os_version: '17.4', advertising_id: device === 'victim' ? ADID : '' },
    revenue: type === 'event' ? 5 : undefined,
    currency: type === 'event' ? 'EUR' : undefined,
    user_id: device === 'victim' ? 'customer-77' : undefined,
    ...extra,
  });
  const batch = [ev('victim', 'install'), ev('victim', 'event'), ev('neighbour', 'install'), ev('neighbour', 'event')];
  expect((await post(`${p.ingestUrl}/v1/events/batch`, { events: batch }, { 'x-api-key': sdkKey })).status).toBe(202);
}

async function everything() {
  const overview = (await api('GET', `/api/analytics/${appId}/overview?${range()}`)).body;
  const attribution = (await api('GET', `/api/analytics/${appId}/attribution?${range()}`)).body.rows;
  const timeseries = (await api('GET', `/api/analytics/${appId}/timeseries?metric=active_users&interval=day&${range()}`)).body.points;
  const retention = (await api('GET', `/api/analytics/${appId}/retention?${range()}`)).body;
  const installs = (await api('GET', `/api/analytics/${appId}/installs?format=json&${range()}`)).body;
  const csv = (await api('GET', `/api/analytics/${appId}/installs?format=csv&${range()}`)).body as string;
  const fraud = (await api('GET', `/api/analytics/${appId}/fraud?${range()}`)).body;
  const postbacks = (await api('GET', `/api/apps/${appId}/postbacks`)).body.postbacks;
  return { overview, attribution, timeseries, retention, installs, csv, fraud, postbacks };
}

const sum = (points: { value: number }[]) => points.reduce((n, x) => n + x.value, 0);

describe('erase end to end', () => {
  it('forgets a device in every store, finishes after a crash and a restart, and audits the request', async () => {
    await seed();
    await eventually(async () => {
      const all = await everything();
      // All inside the wait: each rollup table commits its part of an insert on its own.
      expect(all.overview).toMatchObject({ active_users: 2, installs: 2, clicks: 1 });
      expect(all.postbacks).toHaveLength(1);
      expect(all.installs.map((r: { device_id: string }) => r.device_id).sort()).toEqual(['neighbour', 'victim']);
      expect(all.csv).toContain('victim');
      expect(JSON.stringify(all.fraud)).toContain('blocked_ip');
      expect(all.attribution.find((r: { media_source: string }) => r.media_source === 'net')).toMatchObject({ clicks: 1, installs: 1 });
    }, 15_000);

    // Analysts may follow a request but not make one.
    expect((await api('POST', `/api/apps/${appId}/privacy/erase`, { device_id: 'victim' }, analystToken)).status).toBe(403);
    expect((await api('POST', `/api/apps/${appId}/privacy/erase`, { device_id: 'victim', user_id: 'x' })).status).toBe(400);
    const asked = await api('POST', `/api/apps/${appId}/privacy/erase`, { device_id: 'victim' });
    expect(asked.status).toBe(202);
    const requestId = asked.body.request_id;
    const status = () => api('GET', `/api/apps/${appId}/privacy/erase/${requestId}`, undefined, analystToken);
    // The first attempt crashes half-way: not done.
    await eventually(async () => expect((await status()).body).toMatchObject({ status: 'pending', attempts: 1 }), 15_000);

    // Restart on the same data directory: the request is taken over and finished.
    await p.close();
    p = await startTestPlatform(env, {}, dir);
    const done = await eventually(async () => {
      const answer = (await status()).body;
      expect(answer.status).toBe('done');
      return answer;
    }, 20_000);
    expect(done).toMatchObject({ request_id: requestId, kind: 'device_id' });
    expect(done.finished_at).toEqual(expect.any(String));
    // The crashed attempt deleted the stored rows but died before recording how many: the counts
    // are what the finishing attempt did (the outbox still knew the install, from the saved ids).
    expect(done.counts).toMatchObject({ events: 0, installs: 0, postbacks: 1 });
    expect(JSON.stringify(done)).not.toContain('victim');

    const after = await everything();
    expect(after.overview).toMatchObject({ active_users: 1, installs: 1, clicks: 0, total_events: 2 });
    expect(sum(after.timeseries)).toBe(1);
    expect(after.installs.map((r: { device_id: string }) => r.device_id)).toEqual(['neighbour']);
    expect(after.csv).not.toContain('victim');
    expect(after.csv).not.toContain(ADID);
    expect(JSON.stringify(after.fraud)).not.toContain('blocked_ip');
    expect(after.attribution.find((r: { media_source: string }) => r.media_source === 'net')).toBeUndefined();
    expect(after.postbacks).toEqual([]);
    expect(JSON.stringify(after.retention)).not.toContain('victim');

    const audit = await api('GET', '/api/admin/audit?action=privacy.erase_request');
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({ success: true, details: { erase_request_id: requestId, kind: 'device_id' } });
    expect(JSON.stringify(audit.body.entries[0])).not.toContain('victim');
  });

  it('answers 404 for a request id of another app or none', async () => {
    expect((await api('GET', `/api/apps/${appId}/privacy/erase/era_doesnotexist`)).status).toBe(404);
  });
});
