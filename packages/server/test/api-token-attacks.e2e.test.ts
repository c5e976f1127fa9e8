import { createHmac, generateKeyPairSync } from 'node:crypto';
import { listAudit, type User } from '@unmogrowp/storage';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_AUDIENCE, JWT_ISSUER, JWT_TYPE, signAccessToken } from '../src/security/tokens.ts';
import { accessTokenFor, call, disableUser, PASSWORD, seedUser } from './support/api-client.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

/**
 * Token attacks through HTTP (issue 3): each forged token is sent to `GET /api/auth/me`, must
 * get the one 401 every refusal gets, and must leave a `auth.token_refused` entry naming why.
 * The genuine token is checked first, so a broken route cannot pass these tests by refusing all.
 */
let p: TestPlatform;
let admin: User;
let user: User;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await seedUser(p.control, 'admin@example.com');
  user = await seedUser(p.control, 'user@example.com');
});
afterAll(() => p?.close());

const me = (token: string) => call(p.apiUrl, 'GET', '/api/auth/me', { token });
const now = () => Math.floor(Date.now() / 1000);
const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

/** Claims exactly like ours, for the user, with the current session epoch. */
const claims = (over: Record<string, unknown> = {}) => ({
  iss: JWT_ISSUER,
  aud: JWT_AUDIENCE,
  sub: user.id,
  sv: 0,
  jti: `forged-${Math.random()}`,
  iat: now(),
  exp: now() + 600,
  ...over,
});

async function lastRefusal() {
  const [entry] = await listAudit(p.control, { action: 'auth.token_refused', limit: 1 });
  return entry;
}

async function expectRefused(token: string, reason: string) {
  const before = (await lastRefusal())?.id ?? '0';
  const res = await me(token);
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('invalid_token');
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  const entry = await lastRefusal();
  expect(Number(entry?.id)).toBeGreaterThan(Number(before));
  expect(entry).toMatchObject({ success: false, details: expect.objectContaining({ reason }), ip: expect.any(String) });
}

describe('access tokens through HTTP', () => {
  it('a genuine token works (the baseline the attacks below are measured against)', async () => {
    const res = await me(await accessTokenFor(p.control, p.signing, user.id));
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, role: 'user' });
  });

  it('refuses alg "none"', async () => {
    const token = `${encode({ alg: 'none', typ: JWT_TYPE })}.${encode(claims())}.`;
    await expectRefused(token, 'invalid');
  });

  it('refuses HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const publicPem = p.signing.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const signingInput = `${encode({ alg: 'HS256', typ: JWT_TYPE })}.${encode(claims())}`;
    for (const secret of [publicPem, p.signing.publicKey.export({ format: 'jwk' }).x as string]) {
      const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
      await expectRefused(`${signingInput}.${signature}`, 'invalid');
    }
  });

  it('refuses a token signed by another Ed25519 key', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: JWT_TYPE }).sign(other);
    await expectRefused(token, 'invalid');
  });

  it('refuses a token that brings its own key (jwk / jku headers): keys come only from the server', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' });
    const embedded = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: JWT_TYPE, jwk: jwk as never }).sign(privateKey);
    await expectRefused(embedded, 'invalid');
    const remote = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', typ: JWT_TYPE, jku: 'https://evil.example.com/jwks.json' })
      .sign(privateKey);
    await expectRefused(remote, 'invalid');
  });

  it('refuses a wrong audience, a wrong issuer and a missing type', async () => {
    const sign = (c: Record<string, unknown>, typ = JWT_TYPE) =>
      new SignJWT(c).setProtectedHeader({ alg: 'EdDSA', typ }).sign(p.signing.privateKey);
    await expectRefused(await sign(claims({ aud: 'another-api' })), 'invalid');
    await expectRefused(await sign(claims({ iss: 'https://evil.example.com' })), 'invalid');
    await expectRefused(await sign(claims(), 'JWT'), 'invalid');
  });

  it('refuses an expired token, without an audit entry (every reload after 15 minutes sends one)', async () => {
    const old = await signAccessToken(p.signing, { userId: user.id, sessionEpoch: 0 }, new Date(Date.now() - 20 * 60_000));
    const before = (await lastRefusal())?.id;
    const res = await me(old.token);
    expect([res.status, res.body.error.code]).toEqual([401, 'invalid_token']);
    expect((await lastRefusal())?.id).toBe(before);
  });

  it('a page reload (expired access token, then refresh) leaves no audit entry; a sign-in does', async () => {
    const login = await call(p.apiUrl, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const count = async () => (await listAudit(p.control, { user_id: user.id, limit: 1000 })).length;
    const afterSignIn = await count();
    const old = await signAccessToken(p.signing, { userId: user.id, sessionEpoch: 0 }, new Date(Date.now() - 20 * 60_000));
    expect((await me(old.token)).status).toBe(401);
    const refreshed = await call(p.apiUrl, 'POST', '/api/auth/refresh', { body: { refresh_token: login.body.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect((await me(refreshed.body.access_token)).status).toBe(200);
    expect(await count()).toBe(afterSignIn);
    const [latest] = await listAudit(p.control, { user_id: user.id, limit: 1 });
    expect(latest?.action).toBe('auth.login');
  });

  it('refuses a tampered payload (another user id under the original signature)', async () => {
    const genuine = await accessTokenFor(p.control, p.signing, user.id);
    const [header, payload, signature] = genuine.split('.') as [string, string, string];
    const changed = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), sub: admin.id };
    await expectRefused(`${header}.${encode(changed)}.${signature}`, 'invalid');
  });

  it('refuses a server-shaped key that does not exist, and an SDK key', async () => {
    await expectRefused(`srv_${'x'.repeat(43)}`, 'unknown_key');
    const app = await p.newApp();
    await expectRefused(app.sdkKey, 'sdk_key');
  });

  it('refuses the token of a disabled user at once, and of a user whose sessions ended (logout)', async () => {
    const victim = await seedUser(p.control, 'soon-disabled@example.com');
    const token = await accessTokenFor(p.control, p.signing, victim.id);
    expect((await me(token)).status).toBe(200);
    await disableUser(p.control, victim.id);
    await expectRefused(token, 'disabled');

    const leaver = await seedUser(p.control, 'leaver@example.com');
    const before = await accessTokenFor(p.control, p.signing, leaver.id);
    expect((await call(p.apiUrl, 'POST', '/api/auth/logout', { token: before })).status).toBe(204);
    await expectRefused(before, 'session_ended');
  });
});

describe('refresh tokens through HTTP', () => {
  const login = async () => {
    const res = await call(p.apiUrl, 'POST', '/api/auth/login', { body: { email: user.email, password: PASSWORD } });
    expect(res.status).toBe(200);
    return res.body as { access_token: string; refresh_token: string };
  };
  const refresh = (token: string) => call(p.apiUrl, 'POST', '/api/auth/refresh', { body: { refresh_token: token } });

  it('rotates on every use: the new pair works, the old refresh token is spent', async () => {
    const first = await login();
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await me(second.body.access_token)).status).toBe(200);
    const third = await refresh(second.body.refresh_token);
    expect(third.status).toBe(200);
  });

  it('reuse of a rotated token revokes the whole family: the token from the first rotation stops working too', async () => {
    const first = await login();
    const rotated = await refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('invalid_refresh_token');
    expect((await refresh(rotated.body.refresh_token)).status).toBe(401);
    // The access token minted from the stolen rotation ends as well.
    expect((await me(rotated.body.access_token)).status).toBe(401);
    const [entry] = await listAudit(p.control, { action: 'auth.refresh_reuse', limit: 1 });
    expect(entry).toMatchObject({ user_id: user.id, success: false });
  });

  it('refuses unknown and malformed refresh tokens with the same answer', async () => {
    const unknown = await refresh('A'.repeat(43));
    const malformed = await refresh('not a token');
    expect([unknown.status, malformed.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(malformed.body);
  });

  it('logout revokes the refresh tokens of the account', async () => {
    const session = await login();
    expect((await call(p.apiUrl, 'POST', '/api/auth/logout', { token: session.access_token })).status).toBe(204);
    expect((await refresh(session.refresh_token)).status).toBe(401);
    expect((await me(session.access_token)).status).toBe(401);
  });
});
