import type { User } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, call, seedUser } from './support/api-client.ts';
import { nativeEvent, post, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

/** Apps, keys and members through HTTP, the listener's headers, CORS, and the ingest rate limit. */
let p: TestPlatform;
let admin: User;
let owner: User;
let colleague: User;
let ownerToken: string;
let colleagueToken: string;
const ORIGIN = 'https://dash.example.com';
const PUBLIC_INGEST = 'https://track.example.test';

beforeAll(async () => {
  p = await startTestPlatform({ CORS_ORIGINS: ORIGIN, INGEST_RATE_LIMIT: '5', PUBLIC_INGEST_URL: PUBLIC_INGEST });
  admin = await seedUser(p.control, 'admin@example.com');
  owner = await seedUser(p.control, 'owner@example.com');
  colleague = await seedUser(p.control, 'colleague@example.com');
  ownerToken = await accessTokenFor(p.control, p.signing, owner.id);
  colleagueToken = await accessTokenFor(p.control, p.signing, colleague.id);
});
afterAll(() => p?.close());

const api = (method: string, path: string, token: string, body?: unknown) => call(p.apiUrl, method, path, { token, body });
const createApp = async (name = 'Game') => {
  const res = await api('POST', '/api/apps', ownerToken, { name, platforms: ['ios', 'android'], bundle_id: 'com.example.game' });
  expect(res.status).toBe(201);
  return res.body as { app: { id: string }; sdk_key: string; server_key: string };
};

describe('apps', () => {
  it('creates an app whose creator is its manager; the server key is shown once', async () => {
    const created = await createApp();
    expect(created.app).toMatchObject({ name: 'Game', platforms: ['ios', 'android'], bundle_id: 'com.example.game' });
    expect(created.sdk_key).toMatch(/^sdk_/);
    expect(created.server_key).toMatch(/^srv_/);
    const got = await api('GET', `/api/apps/${created.app.id}`, ownerToken);
    expect(got.body).toMatchObject({ app: { id: created.app.id }, sdk_key: created.sdk_key, role: 'manager' });
    expect(got.body.server_key_prefix).toBe(created.server_key.slice(0, 12));
    // The ingest URL the dashboard's snippets show is the configured one, in every answer that shows keys.
    expect((created as { ingest_url?: string }).ingest_url).toBe(PUBLIC_INGEST);
    expect(got.body.ingest_url).toBe(PUBLIC_INGEST);
    expect((await api('POST', `/api/apps/${created.app.id}/keys`, ownerToken)).body.ingest_url).toBe(PUBLIC_INGEST);
    expect(JSON.stringify(got.body)).not.toContain(created.server_key);
  });

  it('lists my apps for a user and every app for an admin', async () => {
    const mine = await createApp('Mine only');
    const ownerList = (await api('GET', '/api/apps', ownerToken)).body.apps.map((a: { id: string }) => a.id);
    const colleagueList = (await api('GET', '/api/apps', colleagueToken)).body.apps.map((a: { id: string }) => a.id);
    const adminList = (await api('GET', '/api/apps', await accessTokenFor(p.control, p.signing, admin.id))).body.apps.map(
      (a: { id: string }) => a.id,
    );
    expect(ownerList).toContain(mine.app.id);
    expect(colleagueList).not.toContain(mine.app.id);
    expect(adminList).toEqual(expect.arrayContaining(ownerList));
  });

  it('updates fields and checks attribution settings; refuses unknown fields', async () => {
    const { app } = await createApp();
    const renamed = await api('PATCH', `/api/apps/${app.id}`, ownerToken, { name: 'Renamed', settings: { click_window_hours: 72 } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.app).toMatchObject({ name: 'Renamed', settings: { click_window_hours: 72 } });
    const bad = await api('PATCH', `/api/apps/${app.id}`, ownerToken, { settings: { click_window_hours: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_settings');
    expect((await api('PATCH', `/api/apps/${app.id}`, ownerToken, { id: 'app_other' })).status).toBe(400);
    expect((await api('PATCH', `/api/apps/${app.id}`, ownerToken, { web_url: 'javascript:alert(1)' })).body.error.code).toBe('invalid_app');
  });

  it('rotating keys revokes the old SDK key on ingest and the old server key on the pull API at once', async () => {
    const created = await createApp('Rotated');
    const overview = (key: string) => call(p.apiUrl, 'GET', `/api/analytics/${created.app.id}/overview`, { token: key });
    // Warm the key cache first: rotation must drop cached keys, not wait for them to expire.
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': created.sdk_key })).status).toBe(202);
    expect((await overview(created.server_key)).status).toBe(200);
    const rotated = await api('POST', `/api/apps/${created.app.id}/keys`, ownerToken);
    expect(rotated.status).toBe(200);
    expect(rotated.body.sdk_key).not.toBe(created.sdk_key);
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': created.sdk_key })).status).toBe(401);
    expect((await overview(created.server_key)).status).toBe(401);
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': rotated.body.sdk_key })).status).toBe(202);
    expect((await overview(rotated.body.server_key)).status).toBe(200);
  });

  it('deleting an app revokes its keys and makes it 404 for its members', async () => {
    const created = await createApp('Doomed');
    expect((await api('DELETE', `/api/apps/${created.app.id}`, ownerToken)).status).toBe(204);
    expect((await api('GET', `/api/apps/${created.app.id}`, ownerToken)).status).toBe(404);
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': created.sdk_key })).status).toBe(401);
  });
});

describe('members', () => {
  it('adds, re-roles and removes a member; the app appears and disappears for them', async () => {
    const { app } = await createApp('Shared');
    expect((await api('GET', `/api/apps/${app.id}`, colleagueToken)).status).toBe(404);
    const added = await api('POST', `/api/apps/${app.id}/members`, ownerToken, { email: 'COLLEAGUE@example.com', role: 'analyst' });
    expect(added.status).toBe(201);
    expect(added.body.member).toMatchObject({ user_id: colleague.id, role: 'analyst', email: 'colleague@example.com' });
    expect((await api('GET', `/api/apps/${app.id}`, colleagueToken)).body.role).toBe('analyst');
    expect((await api('PATCH', `/api/apps/${app.id}`, colleagueToken, { name: 'Mine now' })).status).toBe(403);
    expect((await api('POST', `/api/apps/${app.id}/members`, ownerToken, { email: 'colleague@example.com', role: 'manager' })).status).toBe(
      409,
    );
    const promoted = await api('PATCH', `/api/apps/${app.id}/members/${colleague.id}`, ownerToken, { role: 'manager' });
    expect(promoted.body.member.role).toBe('manager');
    expect((await api('PATCH', `/api/apps/${app.id}`, colleagueToken, { name: 'Ours' })).status).toBe(200);
    const members = await api('GET', `/api/apps/${app.id}/members`, ownerToken);
    expect(members.body.members.map((m: { user_id: string }) => m.user_id).sort()).toEqual([owner.id, colleague.id].sort());
    expect((await api('DELETE', `/api/apps/${app.id}/members/${colleague.id}`, ownerToken)).status).toBe(204);
    expect((await api('GET', `/api/apps/${app.id}`, colleagueToken)).status).toBe(404);
  });

  it('refuses to remove or demote the last manager, and invites unknown emails', async () => {
    const { app } = await createApp('Solo');
    const removeSelf = await api('DELETE', `/api/apps/${app.id}/members/${owner.id}`, ownerToken);
    expect(removeSelf.status).toBe(409);
    expect(removeSelf.body.error.code).toBe('last_manager');
    expect((await api('PATCH', `/api/apps/${app.id}/members/${owner.id}`, ownerToken, { role: 'analyst' })).status).toBe(409);
    const unknown = await api('POST', `/api/apps/${app.id}/members`, ownerToken, { email: 'ghost@example.com', role: 'analyst' });
    // No account yet: an invitation with a one-time code the manager passes on.
    expect(unknown.status).toBe(202);
    expect(unknown.body).toMatchObject({
      invitation: { email: 'ghost@example.com', role: 'analyst' },
      invitation_code: expect.stringMatching(/^inv_/),
    });
    expect((await api('POST', `/api/apps/${app.id}/members`, ownerToken, { email: 'colleague@example.com', role: 'owner' })).status).toBe(
      400,
    );
  });
});

describe('the API listener', () => {
  it('sends security headers and a same-origin Content-Security-Policy, and never lets answers be cached', async () => {
    const res = await api('GET', '/api/auth/me', ownerToken);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect((await call(p.apiUrl, 'GET', '/health')).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('allows CORS only for the configured origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${p.apiUrl}/api/apps`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${p.apiUrl}/health`, { headers: { origin: 'https://evil.example.com' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('ingest rate limit (INGEST_RATE_LIMIT=5 per key)', () => {
  it('answers 429 with Retry-After beyond the rate, per key', async () => {
    const limited = await p.newApp('busy');
    const other = await p.newApp('quiet');
    const send = (key: string) => post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': key });
    const answers = await Promise.all(Array.from({ length: 12 }, () => send(limited.sdkKey)));
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 429);
    // A full bucket (5) plus what refills while the burst is in flight; never all twelve.
    expect(accepted.length).toBeGreaterThanOrEqual(5);
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.length + refused.length).toBe(12);
    expect(refused[0]!.body.error.code).toBe('rate_limited');
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await send(other.sdkKey)).status).toBe(202);
  });
});
