import { createEraseRequest, createLink, enqueuePostbacks, putPartner, type User } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProblem } from './support/answer-check.ts';
import { accessTokenFor, call, disableUser, PASSWORD, refreshTokenFor, seedApp, seedUser } from './support/api-client.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

/**
 * The authorization matrix (issue 3): every route the API listener answers × every kind of
 * caller → the status docs/api.md §4 promises. Rows are written by hand from the contract, not
 * derived from the code; the route list comes from Fastify itself, so a route added without a
 * row here fails `has a row for every route`.
 */
const CALLERS = ['anonymous', 'admin', 'manager', 'analyst', 'outsider', 'disabled', 'own_key', 'other_key'] as const;
type Caller = (typeof CALLERS)[number];
type Expectation = Record<Caller, number>;

/** What each cell gets: a fresh app (so destructive calls do not disturb the next cell) and the seeded users. */
interface CellContext {
  app: { id: string; sdkKey: string; serverKey: string };
  users: Record<'admin' | 'manager' | 'analyst' | 'outsider' | 'disabled' | 'spare', User>;
  fresh: () => string;
}
type Request = (ctx: CellContext) => Promise<{ path: string; body?: unknown }> | { path: string; body?: unknown };

const everyone = (status: number): Expectation => Object.fromEntries(CALLERS.map((c) => [c, status])) as Expectation;
/** Any signed-in, enabled user; keys are not user credentials. */
const signedIn = (status: number): Expectation => ({ ...everyone(status), anonymous: 401, disabled: 401, own_key: 401, other_key: 401 });
const adminOnly = (status: number): Expectation => ({ ...signedIn(403), admin: status });
/** App routes: 404 for non-members (existence not revealed), 403 for members without the right. */
const appMembers = (status: number): Expectation => ({ ...signedIn(status), outsider: 404 });
const appManagers = (status: number): Expectation => ({ ...appMembers(status), analyst: 403 });

const ROWS: Record<string, { request: Request; expect: Expectation }> = {
  'GET /health': { request: () => ({ path: '/health' }), expect: everyone(200) },
  'GET /ready': { request: () => ({ path: '/ready' }), expect: everyone(200) },
  'GET /metrics': { request: () => ({ path: '/metrics' }), expect: everyone(200) },
  'GET /api/openapi.json': { request: () => ({ path: '/api/openapi.json' }), expect: everyone(200) },

  // Open registration: anyone, whatever they send along — except a refused token, which is refused.
  'POST /api/auth/register': {
    request: (c) => ({ path: '/api/auth/register', body: { email: `${c.fresh()}@example.com`, password: PASSWORD, name: 'New' } }),
    expect: { ...everyone(201), disabled: 401 },
  },
  // Sign-in and refresh take no credential, so a stale or foreign one sent along changes nothing.
  'POST /api/auth/login': {
    request: (c) => ({ path: '/api/auth/login', body: { email: c.users.spare.email, password: PASSWORD } }),
    expect: everyone(200),
  },
  'POST /api/auth/refresh': {
    request: async (c) => ({ path: '/api/auth/refresh', body: { refresh_token: await refreshFor(c) } }),
    expect: everyone(200),
  },
  'POST /api/auth/logout': { request: () => ({ path: '/api/auth/logout' }), expect: signedIn(204) },
  'GET /api/auth/me': { request: () => ({ path: '/api/auth/me' }), expect: signedIn(200) },
  'POST /api/auth/password': {
    request: () => ({ path: '/api/auth/password', body: { current_password: PASSWORD, new_password: PASSWORD } }),
    expect: signedIn(200),
  },

  'GET /api/admin/users': { request: () => ({ path: '/api/admin/users' }), expect: adminOnly(200) },
  'PATCH /api/admin/users/:id': {
    request: (c) => ({ path: `/api/admin/users/${c.users.spare.id}`, body: { role: 'user' } }),
    expect: adminOnly(200),
  },
  'DELETE /api/admin/users/:id/sessions': {
    request: (c) => ({ path: `/api/admin/users/${c.users.spare.id}/sessions` }),
    expect: adminOnly(204),
  },
  'GET /api/admin/audit': { request: () => ({ path: '/api/admin/audit?limit=5' }), expect: adminOnly(200) },
  'GET /api/admin/audit/verify': { request: () => ({ path: '/api/admin/audit/verify' }), expect: adminOnly(200) },
  'GET /api/admin/system': { request: () => ({ path: '/api/admin/system' }), expect: adminOnly(200) },

  'GET /api/apps': { request: () => ({ path: '/api/apps' }), expect: signedIn(200) },
  'POST /api/apps': { request: () => ({ path: '/api/apps', body: { name: 'Created', platforms: ['ios'] } }), expect: signedIn(201) },
  'GET /api/apps/:app_id': { request: (c) => ({ path: `/api/apps/${c.app.id}` }), expect: appMembers(200) },
  'PATCH /api/apps/:app_id': { request: (c) => ({ path: `/api/apps/${c.app.id}`, body: { name: 'Renamed' } }), expect: appManagers(200) },
  'DELETE /api/apps/:app_id': { request: (c) => ({ path: `/api/apps/${c.app.id}` }), expect: appManagers(204) },
  'GET /api/apps/:app_id/settings': { request: (c) => ({ path: `/api/apps/${c.app.id}/settings` }), expect: appMembers(200) },
  'POST /api/apps/:app_id/keys': { request: (c) => ({ path: `/api/apps/${c.app.id}/keys` }), expect: appManagers(200) },
  'GET /api/apps/:app_id/members': { request: (c) => ({ path: `/api/apps/${c.app.id}/members` }), expect: appManagers(200) },
  'POST /api/apps/:app_id/members': {
    request: (c) => ({ path: `/api/apps/${c.app.id}/members`, body: { email: c.users.spare.email, role: 'analyst' } }),
    expect: appManagers(201),
  },
  'PATCH /api/apps/:app_id/members/:user_id': {
    request: (c) => ({ path: `/api/apps/${c.app.id}/members/${c.users.analyst.id}`, body: { role: 'analyst' } }),
    expect: appManagers(200),
  },
  'DELETE /api/apps/:app_id/members/:user_id': {
    request: (c) => ({ path: `/api/apps/${c.app.id}/members/${c.users.analyst.id}` }),
    expect: appManagers(204),
  },

  // Links: members read, managers write.
  'GET /api/apps/:app_id/links': { request: (c) => ({ path: `/api/apps/${c.app.id}/links` }), expect: appMembers(200) },
  'POST /api/apps/:app_id/links': {
    request: (c) => ({ path: `/api/apps/${c.app.id}/links`, body: { name: 'Ad', media_source: 'network_a', campaign: 'c1' } }),
    expect: appManagers(201),
  },
  'GET /api/apps/:app_id/links/:link_id': {
    request: async (c) => ({ path: `/api/apps/${c.app.id}/links/${await linkIn(c.app.id)}` }),
    expect: appMembers(200),
  },
  'PATCH /api/apps/:app_id/links/:link_id': {
    request: async (c) => ({ path: `/api/apps/${c.app.id}/links/${await linkIn(c.app.id)}`, body: { enabled: false } }),
    expect: appManagers(200),
  },
  'DELETE /api/apps/:app_id/links/:link_id': {
    request: async (c) => ({ path: `/api/apps/${c.app.id}/links/${await linkIn(c.app.id)}` }),
    expect: appManagers(204),
  },
  // Postback templates: managers only, reads included; the delivery log: any member.
  'GET /api/apps/:app_id/partners': { request: (c) => ({ path: `/api/apps/${c.app.id}/partners` }), expect: appManagers(200) },
  'GET /api/apps/:app_id/partners/:media_source': {
    request: async (c) => ({ path: `/api/apps/${c.app.id}/partners/${await partnerIn(c.app.id)}` }),
    expect: appManagers(200),
  },
  'PUT /api/apps/:app_id/partners/:media_source': {
    request: (c) => ({ path: `/api/apps/${c.app.id}/partners/network_a`, body: { url: 'https://n.example/cb?c={click_id}' } }),
    expect: appManagers(201),
  },
  'DELETE /api/apps/:app_id/partners/:media_source': {
    request: async (c) => ({ path: `/api/apps/${c.app.id}/partners/${await partnerIn(c.app.id)}` }),
    expect: appManagers(204),
  },
  'GET /api/apps/:app_id/postbacks': { request: (c) => ({ path: `/api/apps/${c.app.id}/postbacks` }), expect: appMembers(200) },
  'POST /api/apps/:app_id/postbacks/:postback_id/retry': {
    request: async (c) => ({ path: `/api/apps/${c.app.id}/postbacks/${await failedPostbackIn(c.app.id)}/retry` }),
    expect: appManagers(200),
  },

  // The pull API: the app's own server key reads; another app's key learns nothing (404).
  'GET /api/analytics/:app_id/overview': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/overview` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  'GET /api/analytics/:app_id/links': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/links` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  'GET /api/analytics/:app_id/attribution': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/attribution?group_by=media_source,campaign` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  'GET /api/analytics/:app_id/timeseries': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/timeseries?metric=installs&interval=day` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  'GET /api/analytics/:app_id/retention': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/retention` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  'GET /api/analytics/:app_id/ltv': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/ltv?group_by=campaign&days=30` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  'GET /api/analytics/:app_id/installs': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/installs?format=csv` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  'GET /api/analytics/:app_id/export': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/export?table=installs&format=csv` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  'GET /api/analytics/:app_id/fraud': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/fraud` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  'GET /api/analytics/:app_id/skan': {
    request: (c) => ({ path: `/api/analytics/${c.app.id}/skan` }),
    expect: { ...appMembers(200), own_key: 200, other_key: 404 },
  },
  // SKAN conversion-value schema and network mapping: configuration, managers only.
  'GET /api/apps/:app_id/skan/settings': { request: (c) => ({ path: `/api/apps/${c.app.id}/skan/settings` }), expect: appManagers(200) },
  'PUT /api/apps/:app_id/skan/settings': {
    request: (c) => ({
      path: `/api/apps/${c.app.id}/skan/settings`,
      body: { currency: 'USD', networks: { 'x.skadnetwork': 'network_a' } },
    }),
    expect: appManagers(200),
  },
  // Ad spend is configuration: managers only; a server key only reads.
  'POST /api/apps/:app_id/costs': {
    request: (c) => ({
      path: `/api/apps/${c.app.id}/costs`,
      body: [{ date: '2026-06-01', media_source: 'network_a', cost: 12.5, currency: 'USD' }],
    }),
    expect: appManagers(200),
  },
  'GET /api/apps/:app_id/costs': { request: (c) => ({ path: `/api/apps/${c.app.id}/costs` }), expect: appMembers(200) },
  'DELETE /api/apps/:app_id/costs': {
    request: (c) => ({ path: `/api/apps/${c.app.id}/costs`, body: { rows: [{ date: '2026-06-01', media_source: 'network_a' }] } }),
    expect: appManagers(200),
  },
  // Exchange rates, like spend: managers load and remove them, any member reads them.
  'POST /api/apps/:app_id/fx-rates': {
    request: (c) => ({ path: `/api/apps/${c.app.id}/fx-rates`, body: [{ date: '2026-06-01', currency: 'EUR', rate: 1.25 }] }),
    expect: appManagers(200),
  },
  'GET /api/apps/:app_id/fx-rates': { request: (c) => ({ path: `/api/apps/${c.app.id}/fx-rates` }), expect: appMembers(200) },
  'DELETE /api/apps/:app_id/fx-rates': {
    request: (c) => ({ path: `/api/apps/${c.app.id}/fx-rates`, body: { rows: [{ date: '2026-06-01', currency: 'EUR' }] } }),
    expect: appManagers(200),
  },

  // Erase requests (docs/privacy.md): managers ask, any member follows the progress.
  'POST /api/apps/:app_id/privacy/erase': {
    request: (c) => ({ path: `/api/apps/${c.app.id}/privacy/erase`, body: { device_id: `dev-${c.fresh()}` } }),
    expect: appManagers(202),
  },
  'GET /api/apps/:app_id/privacy/erase/:request_id': {
    request: async (c) => ({ path: `/api/apps/${c.app.id}/privacy/erase/${await eraseIn(c.app.id)}` }),
    expect: appMembers(200),
  },

  // The dashboard's files (the app shell holds no data): public, like any web page.
  'GET /*': { request: () => ({ path: '/' }), expect: everyone(200) },
};

let p: TestPlatform;
let users: CellContext['users'];
let otherApp: { serverKey: string };
let sharedApp: CellContext['app'];

/** The app of the matrix: the manager, the analyst and the (disabled) manager are its members. */
const matrixApp = () =>
  seedApp(p.control, users.manager.id, [
    { user: users.analyst.id, role: 'analyst' },
    { user: users.disabled.id, role: 'manager' },
  ]);
let counter = 0;

/** A link of the app, made straight in the store for the cells that read, change or delete one. */
async function linkIn(appId: string): Promise<string> {
  return (await createLink(p.control, appId, { name: 'Matrix link', media_source: 'network_a', campaign: 'c1' }))!.id;
}

/** The app's `network_a` postback template (PUT: there is one afterwards, whatever there was). */
async function partnerIn(appId: string): Promise<string> {
  await putPartner(p.control, appId, 'network_a', { url: 'https://n.example/cb?c={click_id}' });
  return 'network_a';
}

/** A postback whose delivery failed, in the app: what "retry now" acts on. */
async function failedPostbackIn(appId: string): Promise<string> {
  const installId = `ins_${Math.random().toString(36).slice(2)}`;
  const postback = { app_id: appId, media_source: 'network_a', install_id: installId, event_id: '', event_name: 'install' };
  await enqueuePostbacks(p.control, [{ ...postback, method: 'GET', url: 'https://n.example/cb', body: null }], Date.now());
  const [row] = await p.control.query<{ id: string }>(
    `update postbacks set status = 'failed', attempts = 1 where app_id = $1 and install_id = $2 returning id`,
    [appId, installId],
  );
  return row!.id;
}

/** An erase request of the app, made straight in the store. */
async function eraseIn(appId: string): Promise<string> {
  return (await createEraseRequest(p.control, { app_id: appId, kind: 'device_id', value: 'matrix-device', requested_by: null })).request_id;
}

async function refreshFor(c: CellContext) {
  return refreshTokenFor(p.control, c.users.spare.id);
}

beforeAll(async () => {
  p = await startTestPlatform({ REGISTER_RATE_LIMIT: '10000' });
  const admin = await seedUser(p.control, 'admin@example.com');
  users = {
    admin,
    manager: await seedUser(p.control, 'manager@example.com'),
    analyst: await seedUser(p.control, 'analyst@example.com'),
    outsider: await seedUser(p.control, 'outsider@example.com'),
    disabled: await seedUser(p.control, 'disabled@example.com'),
    spare: await seedUser(p.control, 'spare@example.com'),
  };
  expect(admin.role).toBe('admin');
  await disableUser(p.control, users.disabled.id);
  otherApp = await seedApp(p.control, users.outsider.id, [], 'Other app');
  sharedApp = await matrixApp();
});
afterAll(() => p?.close());

/** The credential each caller presents for one cell. */
async function credential(caller: Caller, app: CellContext['app']): Promise<string | null> {
  switch (caller) {
    case 'anonymous':
      return null;
    case 'own_key':
      return app.serverKey;
    case 'other_key':
      return otherApp.serverKey;
    default:
      return accessTokenFor(p.control, p.signing, users[caller].id);
  }
}

async function runCell(route: string, caller: Caller): Promise<number> {
  const [method, url] = route.split(' ') as [string, string];
  // Writes to an app get a fresh one each, so one cell's change (a deletion, a removed member) cannot decide the next.
  const app = url.includes(':app_id') && method !== 'GET' ? await matrixApp() : sharedApp;
  const ctx: CellContext = { app, users, fresh: () => `new-${++counter}` };
  const request = await ROWS[route]!.request(ctx);
  expect(request.path.split('?')[0]!.split('/').length, `${route} fixture path`).toBe(url.split('/').length);
  const res = await call(p.apiUrl, method, request.path, { token: await credential(caller, app), body: request.body });
  // Every answer is what the route declares (its schema.response, hence the OpenAPI document), errors in docs/api.md §1 form.
  const declared = p.api.routeTable().find((r) => `${r.method} ${r.url}` === route)!;
  if (!url.includes('*')) expect(answerProblem(declared, res.status, res.body, res.headers.get('content-type')), `as ${caller}`).toBeNull();
  return res.status;
}

describe('authorization matrix', () => {
  it('has a row for every route the API listener answers, and no row for a route it does not', () => {
    const routes = p.api.routeTable().map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThan(10);
    expect(
      routes.filter((r) => !(r in ROWS)),
      'routes without a row in ROWS',
    ).toEqual([]);
    expect(
      Object.keys(ROWS).filter((r) => !routes.includes(r)),
      'rows for routes that do not exist',
    ).toEqual([]);
  });

  it('declares an access policy on every /api route', () => {
    const unguarded = p.api.routeTable().filter((r) => r.url.startsWith('/api') && !r.policy);
    expect(unguarded).toEqual([]);
  });

  for (const route of Object.keys(ROWS)) {
    it(route, async () => {
      const actual = {} as Expectation;
      for (const caller of CALLERS) actual[caller] = await runCell(route, caller);
      expect(actual).toEqual(ROWS[route]!.expect);
    });
  }

  it('guards the HEAD twin Fastify adds to each GET exactly like the GET', async () => {
    for (const route of Object.keys(ROWS).filter((r) => r.startsWith('GET '))) {
      for (const caller of ['anonymous', 'outsider', 'other_key'] as const) {
        const request = await ROWS[route]!.request({ app: sharedApp, users, fresh: () => `head-${++counter}` });
        const res = await call(p.apiUrl, 'HEAD', request.path, { token: await credential(caller, sharedApp) });
        expect(res.status, `HEAD ${route} as ${caller}`).toBe(ROWS[route]!.expect[caller]);
      }
    }
  });

  it('answers 404 to an admin (and everyone else) for an app that does not exist or was deleted', async () => {
    const gone = await seedApp(p.control, users.manager.id);
    expect(
      (await call(p.apiUrl, 'DELETE', `/api/apps/${gone.id}`, { token: await accessTokenFor(p.control, p.signing, users.manager.id) }))
        .status,
    ).toBe(204);
    const admin = await accessTokenFor(p.control, p.signing, users.admin.id);
    for (const id of ['app_doesnotexist0000', gone.id]) {
      for (const route of Object.keys(ROWS).filter((r) => r.includes(':app_id'))) {
        const [method, url] = route.split(' ') as [string, string];
        const path = url.replace(':app_id', id).replace(':user_id', users.analyst.id);
        const body =
          method === 'POST' && url.endsWith('members')
            ? { email: users.spare.email, role: 'analyst' }
            : method === 'PATCH'
              ? url.includes('members')
                ? { role: 'analyst' }
                : { name: 'x' }
              : undefined;
        expect((await call(p.apiUrl, method, path, { token: admin, body })).status, `${route} on ${id}`).toBe(404);
      }
    }
    // The deleted app's own server key is revoked with it.
    expect((await call(p.apiUrl, 'GET', `/api/analytics/${gone.id}/overview`, { token: gone.serverKey })).status).toBe(401);
  });
});
