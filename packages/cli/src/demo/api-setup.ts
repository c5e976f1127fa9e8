import { randomBytes } from 'node:crypto';
import { BUNDLE_ID, CURRENCY, STORE_URL_ANDROID, STORE_URL_IOS, WEB_URL } from './catalog.ts';
import { type Answer, describeAnswer, type HttpClient, type RequestOptions } from './http-client.ts';
import type { CostDraft, LinkSpec } from './plan-types.ts';

export const DEMO_EMAIL = 'demo@unmogrowp.local';

export interface Credentials {
  email: string;
  password: string;
  /** true when the demo made the account up (and must print the password) */
  generated: boolean;
}

/** The API as one signed-in user: every call carries the access token. */
export class ApiSession {
  constructor(
    private readonly http: HttpClient,
    private readonly token: string,
  ) {}

  async call(method: string, path: string, body?: unknown, expected: readonly number[] = [200, 201, 204]): Promise<Answer> {
    const options: RequestOptions = { headers: { authorization: `Bearer ${this.token}` } };
    if (body !== undefined) options.body = body;
    const answer = await this.http.request(method, path, options);
    if (!expected.includes(answer.status)) throw new Error(`${method} ${path}: ${describeAnswer(answer)}`);
    return answer;
  }
}

/** A strong random password (24 characters of base64url), never derived from the seed. */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Signs in. Given credentials: log in, or register them when no such account exists. Without:
 * register `demo@unmogrowp.local` with a fresh password (on an empty server it becomes the
 * administrator, as any first account does); if it already exists, its password was printed by
 * the first run and only the operator has it.
 */
export async function signIn(http: HttpClient, creds: Credentials): Promise<ApiSession> {
  if (!creds.generated) {
    const first = await login(http, creds);
    if (first) return first;
  }
  const registered = await http.request('POST', '/api/auth/register', {
    body: { email: creds.email, password: creds.password, name: 'Demo' },
  });
  if (registered.status === 409) {
    throw new Error(
      creds.generated
        ? `${creds.email} already exists: run again with --email ${creds.email} --password <the password the first run printed>, or with another account`
        : `the password for ${creds.email} is wrong`,
    );
  }
  if (registered.status === 403)
    throw new Error('registration is closed on this server: pass --email and --password of an existing account');
  if (registered.status !== 201) throw new Error(`registering ${creds.email}: ${describeAnswer(registered)}`);
  const session = await login(http, creds);
  if (!session) throw new Error(`${creds.email} was registered but cannot sign in`);
  return session;
}

async function login(http: HttpClient, creds: Credentials): Promise<ApiSession | null> {
  const answer = await http.request('POST', '/api/auth/login', { body: { email: creds.email, password: creds.password } });
  if (answer.status === 401) return null;
  if (answer.status !== 200) throw new Error(`signing in as ${creds.email}: ${describeAnswer(answer)}`);
  return new ApiSession(http, answer.body.access_token as string);
}

export interface DemoApp {
  id: string;
  created_at: number;
  sdk_key: string;
  server_key: string;
  /** found from an earlier run (its keys were rotated to learn a server key) */
  reused: boolean;
}

/**
 * The demo's app, by name: created, or found from an earlier run with the same seed and scale.
 * A found app's keys are rotated, because the server key is shown only once and the demo needs
 * it for server-to-server clicks and the events' `ip`.
 */
export async function ensureApp(api: ApiSession, name: string): Promise<DemoApp> {
  const listed = await api.call('GET', '/api/apps');
  const found = (listed.body.apps as { id: string; name: string; created_at: string }[]).find((a) => a.name === name);
  if (found) {
    const keys = await api.call('POST', `/api/apps/${found.id}/keys`);
    return {
      id: found.id,
      created_at: Date.parse(found.created_at),
      sdk_key: keys.body.sdk_key,
      server_key: keys.body.server_key,
      reused: true,
    };
  }
  const created = await api.call('POST', '/api/apps', {
    name,
    platforms: ['ios', 'android'],
    bundle_id: BUNDLE_ID,
    store_url_ios: STORE_URL_IOS,
    store_url_android: STORE_URL_ANDROID,
    web_url: WEB_URL,
  });
  const app = created.body.app as { id: string; created_at: string };
  return {
    id: app.id,
    created_at: Date.parse(app.created_at),
    sdk_key: created.body.sdk_key,
    server_key: created.body.server_key,
    reused: false,
  };
}

/** The plan's links, found by name or created; answers the server's link id per plan key. */
export async function ensureLinks(api: ApiSession, appId: string, specs: readonly LinkSpec[]): Promise<Map<string, string>> {
  const existing = (await api.call('GET', `/api/apps/${appId}/links`)).body.links as { link: { id: string; name: string } }[];
  const ids = new Map<string, string>();
  for (const spec of specs) {
    const found = existing.find((l) => l.link.name === spec.name);
    if (found) {
      ids.set(spec.key, found.link.id);
      continue;
    }
    const created = await api.call('POST', `/api/apps/${appId}/links`, {
      name: spec.name,
      media_source: spec.media_source,
      campaign: spec.campaign,
      is_retargeting: spec.is_retargeting,
    });
    ids.set(spec.key, created.body.link.id as string);
  }
  return ids;
}

/**
 * The device farm's range on the app's block list, and postback templates: TikTok's enabled,
 * delivered to this server's own `/health` (so the delivery log fills without anything leaving
 * the machine), Meta's saved but paused. A server refuses postbacks to its own loopback address
 * unless started with POSTBACK_ALLOWED_CIDRS covering it: then TikTok's template is skipped and
 * the returned note says how to get it.
 */
export async function configureApp(api: ApiSession, appId: string, blockedCidrs: readonly string[], apiUrl: string): Promise<string[]> {
  const notes: string[] = [];
  await api.call('PATCH', `/api/apps/${appId}`, { settings: { fraud: { blocked_cidrs: blockedCidrs } } });
  const health = new URL('/health', apiUrl).toString();
  const tiktok = await api.call(
    'PUT',
    `/api/apps/${appId}/partners/tiktok`,
    {
      url: `${health}?network=tiktok&event={event_name}&click_id={click_id}&revenue={revenue}&currency={currency}&ctit={ctit}`,
      method: 'GET',
      events: ['purchase'],
      enabled: true,
    },
    [200, 201, 400],
  );
  if (tiktok.status === 400) {
    notes.push(
      `the server refused TikTok's postback to ${health} (a loopback address); start it with POSTBACK_ALLOWED_CIDRS=127.0.0.1/32 to see postbacks delivered`,
    );
  }
  await api.call('PUT', `/api/apps/${appId}/partners/meta_ads`, {
    url: 'https://postbacks.example.com/meta?event={event_name}&advertiser_id={advertising_id}&value={revenue}&currency={currency}',
    method: 'POST',
    events: ['purchase', 'tutorial_complete'],
    enabled: false,
  });
  return notes;
}

/** Ad spend, one import (idempotent per date, source and campaign). */
export async function importCosts(api: ApiSession, appId: string, costs: readonly CostDraft[]): Promise<number> {
  if (costs.length === 0) return 0;
  const rows = costs.map((c) => ({ date: c.date, media_source: c.media_source, campaign: c.campaign, cost: c.cost, currency: CURRENCY }));
  const answer = await api.call('POST', `/api/apps/${appId}/costs`, rows);
  return answer.body.imported as number;
}
