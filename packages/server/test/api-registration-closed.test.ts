import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, PASSWORD } from './support/api-client.ts';
import { startApiOnly } from './support/api-only.ts';

/** `REGISTRATION=closed`: the very first account may still register (nobody could create it otherwise), then only admins. */
let api: Awaited<ReturnType<typeof startApiOnly>>;

beforeAll(async () => {
  api = await startApiOnly({ REGISTRATION: 'closed', REGISTER_RATE_LIMIT: '100' });
});
afterAll(() => api?.close());

const register = async (email: string, token?: string, invitation?: string) => {
  const res = await api.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, password: PASSWORD, ...(invitation ? { invitation } : {}) },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.statusCode, body: res.json() };
};

describe('closed registration', () => {
  it('lets the first account in as admin, then refuses anonymous registrations', async () => {
    const first = await register('founder@example.com');
    expect(first.status).toBe(201);
    expect(first.body.user.role).toBe('admin');
    const second = await register('walk-in@example.com');
    expect(second.status).toBe(403);
    expect(second.body.error.code).toBe('registration_closed');
  });

  it('lets an admin create accounts, which are plain users; a user cannot', async () => {
    const [admin] = await api.control.query<{ id: string }>(`select id from users where role = 'admin'`);
    const adminToken = await accessTokenFor(api.control, api.signing, admin!.id);
    const created = await register('invited@example.com', adminToken);
    expect(created.status).toBe(201);
    expect(created.body.user.role).toBe('user');
    const userToken = await accessTokenFor(api.control, api.signing, created.body.user.id);
    const refused = await register('friend@example.com', userToken);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('registration_closed');
  });

  it('lets an invited email in with its code, and it joins the app; the email alone or a wrong code does not', async () => {
    const [admin] = await api.control.query<{ id: string }>(`select id from users where role = 'admin'`);
    const adminToken = await accessTokenFor(api.control, api.signing, admin!.id);
    const call = (method: string, url: string, payload?: unknown, token = adminToken) =>
      api.app.inject({ method: method as 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${token}` } });
    const app = (await call('POST', '/api/apps', { name: 'Invites', platforms: ['ios'] })).json();
    const invited = await call('POST', `/api/apps/${app.app.id}/members`, { email: 'Newcomer@Example.com', role: 'analyst' });
    expect(invited.statusCode).toBe(202);
    const code = invited.json().invitation_code as string;
    expect((await call('GET', `/api/apps/${app.app.id}/members`)).json().invitations).toMatchObject([{ email: 'newcomer@example.com' }]);

    expect((await register('newcomer@example.com')).body.error.code).toBe('registration_closed');
    expect((await register('newcomer@example.com', undefined, 'inv_wrong')).status).toBe(403);
    expect((await register('someone-else@example.com', undefined, code)).status).toBe(403);
    const joined = await register('newcomer@example.com', undefined, code);
    expect(joined.status).toBe(201);
    const token = await accessTokenFor(api.control, api.signing, joined.body.user.id);
    const seen = await call('GET', `/api/apps/${app.app.id}`, undefined, token);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().role).toBe('analyst');
    // The code is spent.
    expect((await call('GET', `/api/apps/${app.app.id}/members`)).json().invitations).toEqual([]);
  });
});
