import { getAccountById, listAudit } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, call, PASSWORD } from './support/api-client.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

/**
 * Accounts and sign-in through HTTP: registration (first account admin, password rules, rate
 * limit), sign-in (one answer and similar timing for every failure, brute-force brakes per
 * account and per IP), mass assignment, password change. TRUST_PROXY lets each test speak from
 * its own address via X-Forwarded-For, so the per-IP brakes of one test do not trip another.
 */
let p: TestPlatform;
let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;

beforeAll(async () => {
  p = await startTestPlatform({ TRUST_PROXY: '1', REGISTER_RATE_LIMIT: '3' });
});
afterAll(() => p?.close());

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const register = (body: unknown, ip = freshIp(), token?: string) =>
  call(p.apiUrl, 'POST', '/api/auth/register', { body, headers: from(ip), token });
const login = (email: string, password: string, ip = freshIp()) =>
  call(p.apiUrl, 'POST', '/api/auth/login', { body: { email, password }, headers: from(ip) });

let admin: { id: string; token: string };

describe('registration', () => {
  it('makes the first account admin and later ones user, answering the user object of docs/api.md', async () => {
    const first = await register({ email: 'First@Example.com', password: PASSWORD, name: 'First' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      user: {
        id: expect.stringMatching(/^usr_/),
        email: 'first@example.com',
        name: 'First',
        role: 'admin',
        disabled: false,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
    admin = { id: first.body.user.id, token: await accessTokenFor(p.control, p.signing, first.body.user.id) };
    const second = await register({ email: 'second@example.com', password: PASSWORD, name: 'Second' });
    expect(second.body.user.role).toBe('user');
  });

  it('refuses short, common and email-equal passwords with a reason, and a taken email with 409', async () => {
    for (const [password, problem] of [
      ['short', 'too_short'],
      ['password1234', 'common'],
      ['weak-pw@example.com', 'same_as_email'],
    ] as const) {
      const res = await register({ email: 'weak-pw@example.com', password });
      expect(res.status, password).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'weak_password', details: { problem } });
    }
    const taken = await register({ email: 'SECOND@example.com', password: PASSWORD });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('email_taken');
  });

  it('limits registrations per IP (429 with Retry-After)', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await register({ email: `burst${i}@example.com`, password: PASSWORD }, ip)).status).toBe(201);
    const limited = await register({ email: 'burst3@example.com', password: PASSWORD }, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await register({ email: 'burst3@example.com', password: PASSWORD }, freshIp())).status).toBe(201);
  });
});

describe('mass assignment', () => {
  it('a registration body cannot choose the role, the id or the disabled flag', async () => {
    for (const extra of [{ role: 'admin' }, { id: 'usr_mine' }, { disabled: false }, { session_epoch: 0 }, { created_at: '2020-01-01' }]) {
      const res = await register({ email: 'sneaky@example.com', password: PASSWORD, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.error.details.problems[0].field).toBe(Object.keys(extra)[0]);
    }
    expect(await p.control.query('select 1 from users where email = $1', ['sneaky@example.com'])).toEqual([]);
  });

  it('a user cannot set their own role or anyone else’s through any body', async () => {
    const user = (await register({ email: 'climber@example.com', password: PASSWORD })).body.user;
    const token = await accessTokenFor(p.control, p.signing, user.id);
    const attempts = [
      call(p.apiUrl, 'PATCH', `/api/admin/users/${user.id}`, { token, body: { role: 'admin' } }),
      call(p.apiUrl, 'PATCH', `/api/admin/users/${admin.id}`, { token, body: { disabled: true } }),
      call(p.apiUrl, 'POST', '/api/auth/password', { token, body: { current_password: PASSWORD, new_password: PASSWORD, role: 'admin' } }),
      call(p.apiUrl, 'POST', '/api/auth/logout', { token, body: { role: 'admin' } }),
      call(p.apiUrl, 'POST', '/api/apps', { token, body: { name: 'Mine', platforms: ['ios'], role: 'manager', members: [] } }),
    ];
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses).toEqual([403, 403, 400, 400, 400]);
    expect((await getAccountById(p.control, user.id))?.user.role).toBe('user');
    expect((await getAccountById(p.control, admin.id))?.user.disabled).toBe(false);
  });

  it('an admin PATCH takes only role and disabled', async () => {
    const target = (await register({ email: 'target@example.com', password: PASSWORD })).body.user;
    for (const body of [{ email: 'x@example.com' }, { name: 'X' }, { role: 'superuser' }, { disabled: 'true' }, {}]) {
      const res = await call(p.apiUrl, 'PATCH', `/api/admin/users/${target.id}`, { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const promoted = await call(p.apiUrl, 'PATCH', `/api/admin/users/${target.id}`, { token: admin.token, body: { role: 'admin' } });
    expect(promoted.body.user).toMatchObject({ id: target.id, email: 'target@example.com', role: 'admin' });
  });
});

describe('sign-in', () => {
  it('answers tokens and the user; the access token works and lives at most 15 minutes', async () => {
    const res = await login('second@example.com', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { email: 'second@example.com', role: 'user' } });
    expect(res.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await call(p.apiUrl, 'GET', '/api/auth/me', { token: res.body.access_token });
    expect(me.body.user.email).toBe('second@example.com');
  });

  it('gives the same answer, in similar time, for an unknown email and a wrong password', async () => {
    const unknown = await login('nobody@example.com', 'some wrong password');
    const wrong = await login('second@example.com', 'some wrong password');
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(wrong.body);
    const time = async (email: string) => {
      const t = performance.now();
      await login(email, 'another wrong password');
      return performance.now() - t;
    };
    const unknownTimes: number[] = [];
    const wrongTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      unknownTimes.push(await time(`nobody${i}@example.com`));
      wrongTimes.push(await time('second@example.com'));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[2]!;
    // Both run one argon2id verification; without the dummy one an unknown email answers ~50×
    // faster. The bounds are wide because CI machines are shared: noise reaches 3×, not 50×.
    const ratio = median(unknownTimes) / median(wrongTimes);
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(5);
  });

  it('refuses a disabled account with the same answer as a wrong password, even with the right one', async () => {
    const user = (await register({ email: 'to-disable@example.com', password: PASSWORD })).body.user;
    await call(p.apiUrl, 'PATCH', `/api/admin/users/${user.id}`, { token: admin.token, body: { disabled: true } });
    const res = await login('to-disable@example.com', PASSWORD);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  });
});

describe('brute force', () => {
  it('the 11th rapid wrong password for one account gets 429 with Retry-After — from another IP too, and the right password as well', async () => {
    await register({ email: 'victim@example.com', password: PASSWORD });
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect((await login('victim@example.com', `wrong guess ${i}`, ip)).status).toBe(401);
    const eleventh = await login('victim@example.com', 'wrong guess 10', ip);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.code).toBe('rate_limited');
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0);
    const elsewhere = await login('victim@example.com', 'wrong guess 11', freshIp());
    expect(elsewhere.status).toBe(429);
    expect((await login('victim@example.com', PASSWORD, freshIp())).status).toBe(429);
    const [entry] = await listAudit(p.control, { action: 'auth.login_rate_limited', limit: 1 });
    expect(entry?.details).toMatchObject({ email: 'victim@example.com' });
  });

  it('one IP guessing across many accounts is stopped too', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect((await login(`spray${i}@example.com`, 'Summer2024!!', ip)).status).toBe(401);
    expect((await login('spray10@example.com', 'Summer2024!!', ip)).status).toBe(429);
    // Another address still signs in (the accounts themselves are not locked).
    expect((await login('second@example.com', PASSWORD, freshIp())).status).toBe(200);
  });
});

describe('admin session control', () => {
  it('an admin signs a user out everywhere: access and refresh tokens stop working at once', async () => {
    await register({ email: 'signed-out@example.com', password: PASSWORD });
    const session = (await login('signed-out@example.com', PASSWORD)).body;
    const end = await call(p.apiUrl, 'DELETE', `/api/admin/users/${session.user.id}/sessions`, { token: admin.token });
    expect(end.status).toBe(204);
    expect((await call(p.apiUrl, 'GET', '/api/auth/me', { token: session.access_token })).status).toBe(401);
    expect((await call(p.apiUrl, 'POST', '/api/auth/refresh', { body: { refresh_token: session.refresh_token } })).status).toBe(401);
    expect((await call(p.apiUrl, 'DELETE', '/api/admin/users/usr_nobody/sessions', { token: admin.token })).status).toBe(404);
  });
});

describe('password change', () => {
  it('needs the current password, applies the policy, ends the other sessions and starts a new one', async () => {
    await register({ email: 'changer@example.com', password: PASSWORD });
    const session = (await login('changer@example.com', PASSWORD)).body;
    const change = (body: unknown, token = session.access_token) => call(p.apiUrl, 'POST', '/api/auth/password', { token, body });
    expect((await change({ current_password: 'not it at all', new_password: 'a brand new passphrase' })).status).toBe(403);
    expect((await change({ current_password: PASSWORD, new_password: 'short' })).body.error.code).toBe('weak_password');
    const changed = await change({ current_password: PASSWORD, new_password: 'a brand new passphrase' });
    expect(changed.status).toBe(200);
    expect((await call(p.apiUrl, 'GET', '/api/auth/me', { token: session.access_token })).status).toBe(401);
    expect((await call(p.apiUrl, 'POST', '/api/auth/refresh', { body: { refresh_token: session.refresh_token } })).status).toBe(401);
    expect((await call(p.apiUrl, 'GET', '/api/auth/me', { token: changed.body.access_token })).status).toBe(200);
    expect((await login('changer@example.com', PASSWORD)).status).toBe(401);
    expect((await login('changer@example.com', 'a brand new passphrase')).status).toBe(200);
  });
});
