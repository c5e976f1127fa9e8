import { listAudit, type User } from '@unmogrowp/storage';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../src/security/audit-actions.ts';
import { accessTokenFor, call, seedApp, seedUser } from './support/api-client.ts';
import { startApiListener } from './support/api-listener.ts';

/** Tracking links through HTTP (docs/api.md §4): CRUD, who may do what, validation, ad URLs, cache invalidation, audit. */
const PUBLIC = 'https://t.example.com/track';

let api: Awaited<ReturnType<typeof startApiListener>>;
let users: Record<'admin' | 'manager' | 'analyst' | 'outsider', User>;
const tokens = { admin: '', manager: '', analyst: '', outsider: '' };
let appId = '';
let otherAppId = '';
/** What the API told the click route's cache to forget, in order. */
let forgotten: string[] = [];

beforeAll(async () => {
  // A trailing slash as operators write it: the URLs must not get a double slash.
  api = await startApiListener({ PUBLIC_INGEST_URL: `${PUBLIC}/` }, { onLinkChanged: (id) => forgotten.push(id ?? '*') });
  users = {
    admin: await seedUser(api.control, 'admin@example.com'),
    manager: await seedUser(api.control, 'manager@example.com'),
    analyst: await seedUser(api.control, 'analyst@example.com'),
    outsider: await seedUser(api.control, 'outsider@example.com'),
  };
  for (const who of Object.keys(tokens) as (keyof typeof tokens)[])
    tokens[who] = await accessTokenFor(api.control, api.signing, users[who].id);
  appId = (await seedApp(api.control, users.manager.id, [{ user: users.analyst.id, role: 'analyst' }], 'Links app')).id;
  otherAppId = (await seedApp(api.control, users.manager.id, [], 'Other app')).id;
});
afterAll(() => api?.close());
beforeEach(() => {
  forgotten = [];
});

const req = (method: string, path: string, who: keyof typeof tokens, body?: unknown) =>
  call(api.url, method, path, { token: tokens[who], body });
const links = (app = appId) => `/api/apps/${app}/links`;
const fields = (over: Record<string, unknown> = {}) => ({
  name: 'Spring launch',
  media_source: 'network_a',
  campaign: 'spring',
  destinations: { ios: 'https://apps.apple.com/app/id123', android: 'https://play.google.com/store/apps/details?id=com.example' },
  ...over,
});
async function created(over: Record<string, unknown> = {}, app = appId) {
  const res = await req('POST', links(app), 'manager', fields(over));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { link: { id: string } & Record<string, unknown>; click_url: string; impression_url: string };
}

describe('links', () => {
  it('creates a link with its ad URLs built from PUBLIC_INGEST_URL', async () => {
    const res = await req('POST', links(), 'manager', fields({ ad_set: 'set 1', click_window_hours: 48, is_retargeting: true }));
    expect(res.status).toBe(201);
    const { link, click_url, impression_url } = res.body;
    expect(link.id).toMatch(/^lnk_[0-9A-Za-z]{12}$/);
    expect(click_url).toBe(`${PUBLIC}/c/${link.id}`);
    expect(impression_url).toBe(`${PUBLIC}/i/${link.id}`);
    expect(link).toMatchObject({
      app_id: appId,
      name: 'Spring launch',
      media_source: 'network_a',
      campaign: 'spring',
      ad_set: 'set 1',
      ad: null,
      site_id: null,
      destinations: fields().destinations,
      click_window_hours: 48,
      view_window_hours: null,
      is_retargeting: true,
      enabled: true,
    });
    expect(link.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('keeps unicode names, sources and campaigns as written', async () => {
    const unicode = { name: '春のキャンペーン 🚀', media_source: 'Réseau Ünïcode', campaign: 'été — 2026 ✨' };
    const { link } = await created(unicode);
    const got = await req('GET', `${links()}/${link.id}`, 'analyst');
    expect(got.body.link).toMatchObject(unicode);
  });

  it('lists the app’s links with their URLs, oldest first, and reads one', async () => {
    const first = await created({ name: 'first' });
    const second = await created({ name: 'second' });
    const list = await req('GET', links(), 'analyst');
    expect(list.status).toBe(200);
    const ids = list.body.links.map((v: { link: { id: string } }) => v.link.id);
    expect(ids.indexOf(first.link.id)).toBeLessThan(ids.indexOf(second.link.id));
    expect(list.body.links.find((v: { link: { id: string } }) => v.link.id === second.link.id)).toEqual(second);
    expect((await req('GET', `${links()}/${first.link.id}`, 'analyst')).body).toEqual(first);
  });

  it('patches fields, merges destinations per platform, and enables/disables — telling the click cache each time', async () => {
    const { link } = await created();
    const renamed = await req('PATCH', `${links()}/${link.id}`, 'manager', {
      name: 'Renamed',
      destinations: { web: 'https://example.com/' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.link).toMatchObject({
      name: 'Renamed',
      campaign: 'spring',
      destinations: { ...fields().destinations, web: 'https://example.com/' },
    });
    expect(renamed.body.click_url).toBe(`${PUBLIC}/c/${link.id}`);
    const dropped = await req('PATCH', `${links()}/${link.id}`, 'manager', { destinations: { ios: null } });
    expect(Object.keys(dropped.body.link.destinations).sort()).toEqual(['android', 'web']);
    const disabled = await req('PATCH', `${links()}/${link.id}`, 'manager', { enabled: false });
    expect(disabled.body.link.enabled).toBe(false);
    expect((await req('GET', `${links()}/${link.id}`, 'manager')).body.link.enabled).toBe(false);
    expect((await req('PATCH', `${links()}/${link.id}`, 'manager', { enabled: true })).body.link.enabled).toBe(true);
    expect(forgotten).toEqual([link.id, link.id, link.id, link.id]);
  });

  it('deletes a link: gone from reads and lists, the click cache told', async () => {
    const { link } = await created();
    expect((await req('DELETE', `${links()}/${link.id}`, 'manager')).status).toBe(204);
    expect(forgotten).toEqual([link.id]);
    expect((await req('GET', `${links()}/${link.id}`, 'manager')).status).toBe(404);
    expect((await req('DELETE', `${links()}/${link.id}`, 'manager')).status).toBe(404);
    expect((await req('GET', links(), 'manager')).body.links.map((v: { link: { id: string } }) => v.link.id)).not.toContain(link.id);
  });

  it('lets an analyst read but not create, change or delete (403); an outsider learns nothing (404)', async () => {
    const { link } = await created();
    const one = `${links()}/${link.id}`;
    expect((await req('GET', links(), 'analyst')).status).toBe(200);
    expect((await req('GET', one, 'analyst')).status).toBe(200);
    expect((await req('POST', links(), 'analyst', fields())).status).toBe(403);
    expect((await req('PATCH', one, 'analyst', { enabled: false })).status).toBe(403);
    expect((await req('DELETE', one, 'analyst')).status).toBe(403);
    for (const [method, path, body] of [
      ['GET', links(), undefined],
      ['GET', one, undefined],
      ['POST', links(), fields()],
      ['PATCH', one, { enabled: false }],
      ['DELETE', one, undefined],
    ] as const) {
      expect((await req(method, path, 'outsider', body)).status, `${method} ${path}`).toBe(404);
    }
    expect(forgotten).toEqual([]);
    expect((await req('GET', one, 'manager')).body.link.enabled).toBe(true);
  });

  it('answers 404 for another app’s link id, even to a manager of both apps', async () => {
    const { link } = await created({}, otherAppId);
    const foreign = `${links()}/${link.id}`;
    expect((await req('GET', foreign, 'manager')).status).toBe(404);
    expect((await req('PATCH', foreign, 'manager', { name: 'hijacked' })).status).toBe(404);
    expect((await req('DELETE', foreign, 'manager')).status).toBe(404);
    expect((await req('GET', `${links(otherAppId)}/${link.id}`, 'manager')).body.link.name).toBe('Spring launch');
    expect(forgotten).toEqual([]);
  });

  it.each([
    ['a javascript: destination', { destinations: { ios: 'javascript:alert(1)' } }, 'invalid_link', 'destinations.ios'],
    ['a custom-scheme destination', { destinations: { android: 'market://details?id=x' } }, 'invalid_link', 'destinations.android'],
    ['a destination with credentials', { destinations: { web: 'https://u:p@example.com/' } }, 'invalid_link', 'destinations.web'],
    ['a destination for an unknown platform', { destinations: { windows: 'https://example.com/' } }, 'invalid_request', 'windows'],
    ['a blank name', { name: '   ' }, 'invalid_link', 'name'],
    ['the reserved source "organic"', { media_source: 'Organic' }, 'invalid_link', 'media_source'],
    ['a click window beyond the limit', { click_window_hours: 100_000 }, 'invalid_link', 'click_window_hours'],
    ['a fractional view window', { view_window_hours: 1.5 }, 'invalid_request', undefined],
    ['a field links do not have', { colour: 'red' }, 'invalid_request', 'colour'],
    ['a missing campaign', { campaign: undefined }, 'invalid_request', 'campaign'],
  ])('refuses %s with 400 naming the field', async (_what, over, code, field) => {
    const res = await req('POST', links(), 'manager', JSON.parse(JSON.stringify(fields(over))));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    if (code === 'invalid_link') expect(res.body.error.details.field).toBe(field);
    else if (field) expect(res.body.error.details.problems.map((p: { field?: string }) => p.field)).toContain(field);
  });

  it('refuses an invalid change, an empty patch and a malformed id, changing nothing', async () => {
    const { link } = await created();
    const one = `${links()}/${link.id}`;
    const bad = await req('PATCH', one, 'manager', { destinations: { ios: 'ftp://example.com/app' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe('destinations.ios');
    expect((await req('PATCH', one, 'manager', {})).status).toBe(400);
    expect((await req('PATCH', one, 'manager', { id: 'lnk_chosen000000' })).status).toBe(400);
    expect((await req('GET', `${links()}/not%20an%20id`, 'manager')).status).toBe(400);
    expect((await req('GET', one, 'manager')).body.link).toEqual(link);
    expect(forgotten).toEqual([]);
  });

  it('writes link.create, link.update and link.delete to the audit trail with the manager and the link', async () => {
    const { link } = await created({ name: 'Audited link' });
    await req('PATCH', `${links()}/${link.id}`, 'manager', { enabled: false });
    await req('DELETE', `${links()}/${link.id}`, 'manager');
    const entries = (await listAudit(api.control, { limit: 1000 })).filter((e) => e.resource === `link:${link.id}`);
    expect(entries.map((e) => e.action).reverse()).toEqual([AUDIT_ACTIONS.linkCreate, AUDIT_ACTIONS.linkUpdate, AUDIT_ACTIONS.linkDelete]);
    for (const e of entries) expect(e).toMatchObject({ user_id: users.manager.id, success: true, details: { app_id: appId } });
    expect(entries.at(-1)!.details).toMatchObject({ name: 'Audited link', media_source: 'network_a' });
    expect(entries[1]!.details).toMatchObject({ fields: ['enabled'], enabled: false });
  });

  it('lets an admin who is not a member manage the app’s links', async () => {
    const res = await req('POST', links(), 'admin', fields({ name: 'By admin' }));
    expect(res.status).toBe(201);
    expect((await req('DELETE', `${links()}/${res.body.link.id}`, 'admin')).status).toBe(204);
  });
});
