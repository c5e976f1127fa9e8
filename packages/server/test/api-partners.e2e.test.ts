import { claimDue, enqueuePostbacks, listAudit, type NewPostback, recordAttempt, type User } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../src/security/audit-actions.ts';
import { accessTokenFor, call, seedApp, seedUser } from './support/api-client.ts';
import { startApiListener } from './support/api-listener.ts';

/** Postback partners and the delivery log through HTTP (docs/api.md §4): templates, validation, roles, audit. */
let api: Awaited<ReturnType<typeof startApiListener>>;
let users: Record<'manager' | 'analyst' | 'outsider', User>;
const tokens = { manager: '', analyst: '', outsider: '' };
let appId = '';

beforeAll(async () => {
  api = await startApiListener();
  await seedUser(api.control, 'admin@example.com'); // the first account is the admin; the others are plain users
  users = {
    manager: await seedUser(api.control, 'manager@example.com'),
    analyst: await seedUser(api.control, 'analyst@example.com'),
    outsider: await seedUser(api.control, 'outsider@example.com'),
  };
  for (const who of Object.keys(tokens) as (keyof typeof tokens)[])
    tokens[who] = await accessTokenFor(api.control, api.signing, users[who].id);
  appId = await newApp();
});
afterAll(() => api?.close());

const newApp = async () => (await seedApp(api.control, users.manager.id, [{ user: users.analyst.id, role: 'analyst' }])).id;
const req = (method: string, path: string, who: keyof typeof tokens | null, body?: unknown) =>
  call(api.url, method, path, { token: who ? tokens[who] : null, body });
const partner = (source: string, app = appId) => `/api/apps/${app}/partners/${encodeURIComponent(source)}`;
const TEMPLATE = 'https://network.example/postback?click={click_id}&event={event_name}&rev={revenue}';

function postback(app: string, over: Partial<NewPostback> = {}): NewPostback {
  return {
    app_id: app,
    media_source: 'network_a',
    install_id: `ins_${Math.random().toString(36).slice(2)}`,
    event_id: '',
    event_name: 'install',
    method: 'GET',
    url: 'https://network.example/postback?click=c1&event=install',
    body: null,
    ...over,
  };
}

describe('partners', () => {
  it('creates a template (201), replaces it (200), and reads it back alone and in the list', async () => {
    const first = await req('PUT', partner('network_a'), 'manager', { url: TEMPLATE });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      partner: { app_id: appId, media_source: 'network_a', url: TEMPLATE, method: 'GET', events: [], enabled: true },
      created: true,
      unknown_macros: [],
      warnings: [],
    });
    const replaced = await req('PUT', partner('network_a'), 'manager', {
      url: TEMPLATE,
      method: 'POST',
      events: ['purchase', 'install', ' purchase ', 'level_up'],
      enabled: true,
    });
    expect(replaced.status).toBe(200);
    // "install" is always sent, so it is dropped; names are trimmed and kept once.
    expect(replaced.body).toMatchObject({ created: false, partner: { method: 'POST', events: ['purchase', 'level_up'] } });
    expect((await req('GET', partner('network_a'), 'manager')).body).toEqual({ partner: replaced.body.partner });

    await req('PUT', partner('Ünïcode Ads'), 'manager', { url: 'https://u.example/cb?c={click_id}' });
    const list = await req('GET', `/api/apps/${appId}/partners`, 'manager');
    expect(list.status).toBe(200);
    expect(list.body.partners.map((p: { media_source: string }) => p.media_source)).toEqual(['network_a', 'Ünïcode Ads']);
  });

  it('saves a template with unknown macros, naming them in unknown_macros and warnings', async () => {
    const res = await req('PUT', partner('network_typo'), 'manager', {
      url: 'https://n.example/cb?c={clickid}&i={install_id}&x={CLICKID}',
    });
    expect(res.status).toBe(201);
    expect(res.body.unknown_macros).toEqual(['clickid', 'CLICKID']);
    expect(res.body.warnings).toHaveLength(2);
    expect(res.body.warnings[0]).toContain('{clickid}');
    expect(res.body.partner.url).toBe('https://n.example/cb?c={clickid}&i={install_id}&x={CLICKID}');
  });

  it.each([
    ['a method other than GET or POST', { url: TEMPLATE, method: 'PATCH' }, 'invalid_request'],
    ['a lowercase method', { url: TEMPLATE, method: 'get' }, 'invalid_request'],
    ['an ftp URL', { url: 'ftp://network.example/postback' }, 'invalid_partner'],
    ['a URL that is not absolute', { url: '/postback?c={click_id}' }, 'invalid_partner'],
    ['a macro in the host', { url: 'https://{site_id}.network.example/cb' }, 'invalid_partner'],
    ['credentials in the URL', { url: 'https://user:pw@network.example/cb' }, 'invalid_partner'],
    ['events that are not a list of names', { url: TEMPLATE, events: 'purchase' }, 'invalid_request'],
    ['an empty event name', { url: TEMPLATE, events: ['purchase', ''] }, 'invalid_request'],
    ['enabled as a string', { url: TEMPLATE, enabled: 'yes' }, 'invalid_request'],
    ['a field templates do not have', { url: TEMPLATE, headers: { x: 1 } }, 'invalid_request'],
    ['no url', { method: 'GET' }, 'invalid_request'],
  ])('refuses %s with 400, storing nothing', async (_what, body, code) => {
    const res = await req('PUT', partner('network_bad'), 'manager', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    if (code === 'invalid_partner') expect(res.body.error.details.field).toBe('url');
    expect((await req('GET', partner('network_bad'), 'manager')).status).toBe(404);
  });

  it('refuses the reserved media source "organic" naming it', async () => {
    const res = await req('PUT', partner('organic'), 'manager', { url: TEMPLATE });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_partner', details: { field: 'media_source' } });
  });

  it('deletes a template (204), then answers 404 for it', async () => {
    await req('PUT', partner('network_gone'), 'manager', { url: TEMPLATE });
    expect((await req('DELETE', partner('network_gone'), 'manager')).status).toBe(204);
    expect((await req('GET', partner('network_gone'), 'manager')).status).toBe(404);
    expect((await req('DELETE', partner('network_gone'), 'manager')).status).toBe(404);
  });

  it('stops what is still pending for a partner that is paused or removed', async () => {
    const app = await newApp();
    await req('PUT', partner('network_p', app), 'manager', { url: TEMPLATE });
    await req('PUT', partner('network_r', app), 'manager', { url: TEMPLATE });
    await enqueuePostbacks(
      api.control,
      [
        postback(app, { media_source: 'network_p' }),
        postback(app, { media_source: 'network_r' }),
        postback(app, { media_source: 'network_k' }),
      ],
      Date.now(),
    );
    const paused = await req('PUT', partner('network_p', app), 'manager', { url: TEMPLATE, enabled: false });
    expect(paused.body).toMatchObject({ partner: { enabled: false }, cancelled_pending: 1 });
    expect((await req('DELETE', partner('network_r', app), 'manager')).status).toBe(204);
    const log = (await req('GET', `/api/apps/${app}/postbacks`, 'manager')).body.postbacks as {
      media_source: string;
      status: string;
      last_error: string;
    }[];
    const bySource = Object.fromEntries(log.map((p) => [p.media_source, p]));
    expect(bySource.network_p).toMatchObject({ status: 'failed', last_error: 'cancelled: partner disabled' });
    expect(bySource.network_r).toMatchObject({ status: 'failed', last_error: 'cancelled: partner removed' });
    expect(bySource.network_k).toMatchObject({ status: 'pending', last_error: null });
  });

  it('is for managers: an analyst gets 403, an outsider 404, an anonymous caller 401', async () => {
    await req('PUT', partner('network_a'), 'manager', { url: TEMPLATE });
    const routes = [
      ['GET', `/api/apps/${appId}/partners`, undefined],
      ['GET', partner('network_a'), undefined],
      ['PUT', partner('network_a'), { url: 'https://attacker.example/steal?c={click_id}' }],
      ['DELETE', partner('network_a'), undefined],
    ] as const;
    for (const [who, status] of [
      ['analyst', 403],
      ['outsider', 404],
      [null, 401],
    ] as const) {
      for (const [method, path, body] of routes)
        expect((await req(method, path, who, body)).status, `${method} ${path} as ${who}`).toBe(status);
    }
    expect((await req('GET', partner('network_a'), 'manager')).body.partner.url).toBe(TEMPLATE);
  });

  it('writes partner.upsert and partner.delete to the audit trail, keeping what the template was', async () => {
    await req('PUT', partner('network_audit'), 'manager', { url: TEMPLATE, events: ['purchase'] });
    await req('DELETE', partner('network_audit'), 'manager');
    const entries = (await listAudit(api.control, { limit: 1000 })).filter((e) => e.resource === `partner:${appId}/network_audit`);
    expect(entries.map((e) => e.action)).toEqual([AUDIT_ACTIONS.partnerDelete, AUDIT_ACTIONS.partnerUpsert]);
    expect(entries[1]).toMatchObject({ user_id: users.manager.id, details: { created: true, url: TEMPLATE, events: ['purchase'] } });
    expect(entries[0]).toMatchObject({ user_id: users.manager.id, details: { url: TEMPLATE, method: 'GET', cancelled_pending: 0 } });
  });
});

describe('postback delivery log', () => {
  /** Far in the past, so nothing the other tests left pending is due when these are claimed. */
  const T0 = Date.UTC(2020, 0, 1, 12);
  let logApp = '';
  const ids = { a: '', b: '', c: '' };

  beforeAll(async () => {
    logApp = await newApp();
    const otherApp = await newApp();
    await enqueuePostbacks(api.control, [postback(logApp, { install_id: 'ins_a' })], T0);
    await enqueuePostbacks(
      api.control,
      [postback(logApp, { install_id: 'ins_b', event_id: 'evt_1', event_name: 'purchase', method: 'POST', body: { revenue: 4.99 } })],
      T0 + 1_000,
    );
    await enqueuePostbacks(api.control, [postback(otherApp, { install_id: 'ins_other' })], T0 + 1_500);
    await enqueuePostbacks(api.control, [postback(logApp, { install_id: 'ins_c', media_source: 'network_b' })], T0 + 2_000);
    const claimed = await claimDue(api.control, { limit: 1000, now: T0 + 5_000, leaseMs: 60_000 });
    const byInstall = (install: string) => claimed.find((p) => p.install_id === install)!;
    ids.a = byInstall('ins_a').id;
    ids.b = byInstall('ins_b').id;
    ids.c = byInstall('ins_c').id;
    const attempt = (p: { id: string; attempts: number }, result: number, at: number) =>
      recordAttempt(api.control, { postback: p, result, at, duration_ms: 42, random: () => 0.5 });
    await attempt(byInstall('ins_a'), 503, T0 + 6_000);
    await attempt({ id: ids.a, attempts: 1 }, 200, T0 + 20_000);
    await attempt(byInstall('ins_b'), 400, T0 + 7_000);
  });

  const log = (query = '', who: keyof typeof tokens | null = 'analyst') => req('GET', `/api/apps/${logApp}/postbacks${query}`, who);

  it('lists the app’s postbacks newest first, each with its attempts, times in ISO-8601 UTC', async () => {
    const res = await log();
    expect(res.status).toBe(200);
    expect(res.body.postbacks.map((p: { id: string }) => p.id)).toEqual([ids.c, ids.b, ids.a]);
    const [c, b, a] = res.body.postbacks;
    expect(a).toMatchObject({
      media_source: 'network_a',
      event_name: 'install',
      install_id: 'ins_a',
      event_id: null,
      status: 'delivered',
      attempts: 2,
      last_status_code: 200,
      created_at: new Date(T0).toISOString(),
      delivered_at: new Date(T0 + 20_000).toISOString(),
      next_attempt_at: null,
    });
    expect(a.attempts_log).toEqual([
      { attempt: 1, at: new Date(T0 + 6_000).toISOString(), status_code: 503, error: null, duration_ms: 42 },
      { attempt: 2, at: new Date(T0 + 20_000).toISOString(), status_code: 200, error: null, duration_ms: 42 },
    ]);
    expect(b).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_status_code: 400,
      method: 'POST',
      body: { revenue: 4.99 },
      event_id: 'evt_1',
    });
    expect(c).toMatchObject({ status: 'pending', attempts: 0, attempts_log: [], delivered_at: null });
    expect(c.next_attempt_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('filters by status and limits the count', async () => {
    const idsOf = async (query: string) => (await log(query)).body.postbacks.map((p: { id: string }) => p.id);
    expect(await idsOf('?status=pending')).toEqual([ids.c]);
    expect(await idsOf('?status=delivered')).toEqual([ids.a]);
    expect(await idsOf('?status=failed')).toEqual([ids.b]);
    expect(await idsOf('?limit=2')).toEqual([ids.c, ids.b]);
    expect(await idsOf('?status=failed&limit=5')).toEqual([ids.b]);
  });

  it('pages with offset, filters by network, and counts by status for the chosen network', async () => {
    const res = await log('?limit=1&offset=1');
    expect(res.body.postbacks.map((p: { id: string }) => p.id)).toEqual([ids.b]);
    expect(res.body).toMatchObject({ counts: { pending: 1, delivered: 1, failed: 1 }, total: 3, limit: 1, offset: 1 });
    expect(res.body.media_sources).toEqual(['network_a', 'network_b']);
    const networkA = await log('?media_source=network_a');
    expect(networkA.body.postbacks.map((p: { id: string }) => p.id)).toEqual([ids.b, ids.a]);
    expect(networkA.body.counts).toEqual({ pending: 0, delivered: 1, failed: 1 });
    expect((await log('?media_source=network_b&status=pending')).body).toMatchObject({ total: 1, postbacks: [{ id: ids.c }] });
  });

  it('"retry now" makes a failed postback pending and due, for managers only, audited; others are refused with a reason', async () => {
    const retry = (id: string, who: keyof typeof tokens = 'manager') => req('POST', `/api/apps/${logApp}/postbacks/${id}/retry`, who);
    expect((await retry(ids.b, 'analyst')).status).toBe(403);
    expect((await retry(ids.a)).status).toBe(409); // delivered: nothing to retry
    const before = Date.now();
    const res = await retry(ids.b);
    expect(res.status).toBe(200);
    expect(res.body.postback).toMatchObject({ id: ids.b, status: 'pending', attempts: 1 });
    expect(Date.parse(res.body.postback.next_attempt_at)).toBeGreaterThanOrEqual(before - 1000);
    expect((await retry(ids.b)).status).toBe(409); // already pending again
    expect((await retry('pbk_nosuchpostback')).status).toBe(404);
    const entries = (await listAudit(api.control, { limit: 1000 })).filter((e) => e.action === AUDIT_ACTIONS.postbackRetry);
    expect(entries.at(0)).toMatchObject({ user_id: users.manager.id, resource: `app:${logApp}`, details: { postback_id: ids.b } });
  });

  it('refuses an unknown status, a non-numeric limit and unknown parameters', async () => {
    for (const query of ['?status=lost', '?limit=abc', '?limit=-1', '?offset=x', '?colour=red'])
      expect((await log(query)).status, query).toBe(400);
  });

  it('is for members: managers and analysts read it, an outsider gets 404, an anonymous caller 401', async () => {
    expect((await log('', 'manager')).status).toBe(200);
    expect((await log('', 'outsider')).status).toBe(404);
    expect((await log('', null)).status).toBe(401);
  });
});
