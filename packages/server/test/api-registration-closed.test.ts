import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, PASSWORD } from './support/api-client.ts';
import { startApiOnly } from './support/api-only.ts';

/** `REGISTRATION=closed`: the very first account may still register (nobody could create it otherwise), then only admins. */
let api: Awaited<ReturnType<typeof startApiOnly>>;

beforeAll(async () => {
  api = await startApiOnly({ REGISTRATION: 'closed' });
});
afterAll(() => api?.close());

const register = async (email: string, token?: string) => {
  const res = await api.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, password: PASSWORD },
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
    expect(second.status).toBe(401);
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
});
