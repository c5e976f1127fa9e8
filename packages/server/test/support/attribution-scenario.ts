import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { call } from './api-client.ts';
import { eventually } from './test-platform.ts';

/**
 * One attribution scenario sent through HTTP the same way to any deployment (embedded or
 * scale-out), so their answers can be compared: an account and an app made through the API,
 * two links, a partner postback template, then per device an S2S click (or none: organic), its
 * install after the click's 202, and three purchases. Times are fixed up front, so both runs
 * decide on identical input.
 */
const PASSWORD = 'correct horse battery staple 42';
const MINUTE = 60_000;

export interface DevicePlan {
  device: string;
  advertisingId: string;
  source: 'meta_ads' | 'google_ads' | 'organic';
  click?: Record<string, unknown>;
  install: Record<string, unknown>;
  purchases: Record<string, unknown>[];
}

export function planDevices(count: number, start: number): DevicePlan[] {
  return Array.from({ length: count }, (_, i) => {
    const source = (['meta_ads', 'google_ads', 'organic'] as const)[i % 3]!;
    const device = `dev-${String(i).padStart(4, '0')}`;
    const advertisingId = `a1b2c3d4-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
    const clickAt = start + i * 1000;
    const installAt = clickAt + 2 * MINUTE;
    const ios = i % 2 === 0;
    const deviceFields = { id: device, platform: ios ? 'ios' : 'android', os_version: ios ? '17.4' : '14', advertising_id: advertisingId };
    return {
      device,
      advertisingId,
      source,
      click:
        source === 'organic'
          ? undefined
          : {
              click_id: `net-${i}`,
              timestamp: new Date(clickAt).toISOString(),
              ip: `10.1.${i % 250}.${1 + Math.floor(i / 250)}`,
              advertising_id: advertisingId,
              user_agent: ios ? 'iPhone' : 'Android',
            },
      install: { event_id: `inst-${device}`, type: 'install', timestamp: new Date(installAt).toISOString(), device: deviceFields },
      purchases: [1, 2, 3].map((n) => ({
        event_id: `buy-${device}-${n}`,
        type: 'event',
        name: 'purchase',
        timestamp: new Date(installAt + n * MINUTE).toISOString(),
        device: deviceFields,
        revenue: n,
        currency: 'EUR',
      })),
    };
  });
}

/** The ad network: records every postback it is sent. */
export async function startNetwork() {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.url ?? '');
    req.resume();
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface Deployment {
  apiUrl: string;
  /** Ingest listeners to spread requests over (a dead one is skipped by the retry). */
  ingestUrls: string[];
}

export async function setUpApp(d: Deployment, networkUrl: string) {
  const registered = await call(d.apiUrl, 'POST', '/api/auth/register', {
    body: { email: 'ops@example.com', password: PASSWORD, name: 'Ops' },
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await call(d.apiUrl, 'POST', '/api/auth/login', { body: { email: 'ops@example.com', password: PASSWORD } });
  const token = login.body.access_token as string;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await call(d.apiUrl, method, path, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const created = await api('POST', '/api/apps', { name: 'Scale', platforms: ['ios', 'android'] });
  const appId = created.app.id as string;
  // The scenario's purchases are in EUR: the app reports in EUR, so they count as they are.
  await api('PATCH', `/api/apps/${appId}`, { settings: { reporting_currency: 'EUR' } });
  const links: Record<string, string> = {};
  for (const [source, campaign] of [
    ['meta_ads', 'spring'],
    ['google_ads', 'search'],
  ]) {
    links[source!] = (await api('POST', `/api/apps/${appId}/links`, { name: source, media_source: source, campaign })).link.id;
  }
  await api('PUT', `/api/apps/${appId}/partners/meta_ads`, {
    url: `${networkUrl}/pb?dev={device_id}&ev={event_name}&id={event_id}&install={install_id}`,
    method: 'GET',
    events: ['purchase'],
    enabled: true,
  });
  return { token, appId, sdkKey: created.sdk_key as string, serverKey: created.server_key as string, links, api };
}

export type ScenarioApp = Awaited<ReturnType<typeof setUpApp>>;

/**
 * POST to one of the ingests until one answers 202: a refused connection (a killed ingest) or a
 * 503 (stream unavailable, an id in flight) is retried on the next ingest, as a load balancer
 * and an SDK would. Answers the final body.
 */
export async function postWithRetry(d: Deployment, path: string, body: unknown, headers: Record<string, string>, turn: number) {
  const deadline = Date.now() + 45_000;
  for (let attempt = 0; ; attempt++) {
    const base = d.ingestUrls[(turn + attempt) % d.ingestUrls.length]!;
    try {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status === 202) return JSON.parse(text);
      if (res.status < 500) throw new Error(`${path}: ${res.status} ${text}`);
    } catch (err) {
      if ((err as Error).message.startsWith(path)) throw err;
    }
    if (Date.now() > deadline) throw new Error(`${path}: no ingest accepted it within 45 s`);
    await sleep(150);
  }
}

/** Sends every device's click, then install, then purchases, `concurrency` devices at a time; `onProgress` after each device. */
export async function sendScenario(
  d: Deployment,
  app: ScenarioApp,
  plan: DevicePlan[],
  concurrency: number,
  onProgress?: (done: number) => Promise<void> | void,
) {
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < plan.length; i = next++) {
      const p = plan[i]!;
      if (p.click) {
        await postWithRetry(d, '/v1/clicks', { link_id: app.links[p.source], ...p.click }, { 'x-api-key': app.serverKey }, i);
      }
      await postWithRetry(d, '/v1/events', p.install, { 'x-api-key': app.sdkKey }, i + 1);
      await postWithRetry(d, '/v1/events/batch', { events: p.purchases }, { 'x-api-key': app.sdkKey }, i);
      done++;
      await onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const RANGE = () => `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;

export async function overviewOf(app: ScenarioApp) {
  return app.api('GET', `/api/analytics/${app.appId}/overview?${RANGE()}`);
}

/**
 * The overview once the whole plan is stored: every event, install, click and active device.
 * Each rollup is its own table, filled by its own view of an insert (views run in parallel), and
 * ClickHouse commits each table's part on its own, so a read between two of them can count every
 * event but not yet every active device. Waiting on one figure alone would compare such a read.
 */
export async function settledOverview(app: ScenarioApp, plan: DevicePlan[], within: number) {
  const expected = {
    total_events: plan.length * 4,
    installs: plan.length,
    clicks: plan.filter((p) => p.click).length,
    active_users: plan.length,
    total_revenue: plan.length * 6,
  };
  return eventually(async () => {
    const o = await overviewOf(app);
    expect(o).toMatchObject(expected);
    return o;
  }, within);
}

/** device → its install decision, from the installs export; throws if a device has two rows. */
export async function decisionsOf(app: ScenarioApp) {
  const rows = (await app.api('GET', `/api/analytics/${app.appId}/installs?format=json&${RANGE()}`)) as Record<string, unknown>[];
  const out = new Map<string, { status: unknown; media_source: unknown; campaign: unknown; match_type: unknown }>();
  for (const r of rows) {
    if (out.has(r.device_id as string)) throw new Error(`device ${r.device_id} has two install rows`);
    out.set(r.device_id as string, { status: r.status, media_source: r.media_source, campaign: r.campaign, match_type: r.match_type });
  }
  return { rows: rows.length, byDevice: out };
}

/** Postbacks as the network saw them, without the per-deployment install id: `device|event|event id`. */
export function postbackKeys(seen: readonly string[]): string[] {
  return seen
    .map((u) => new URL(u, 'http://x').searchParams)
    .map((q) => `${q.get('dev')}|${q.get('ev')}|${q.get('id')}`)
    .sort();
}
