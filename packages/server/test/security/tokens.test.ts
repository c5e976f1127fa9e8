import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKeys, type SigningKeys } from '../../src/security/signing-keys.ts';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  JWT_AUDIENCE,
  JWT_ISSUER,
  looksLikeRefreshToken,
  newRefreshToken,
  signAccessToken,
  verifyAccessToken,
} from '../../src/security/tokens.ts';

let dir: string;
let keys: SigningKeys;
const subject = { userId: 'usr_0123456789abcdef', sessionEpoch: 3 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unmogrowp-tokens-'));
  keys = await loadSigningKeys({ dataDir: dir });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A token with our claims, signed however the attacker likes. */
function forged(claims: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sv: 3, ...claims })
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setSubject(subject.userId)
    .setJti('forged')
    .setIssuedAt(now)
    .setExpirationTime(now + 600);
}

describe('access tokens', () => {
  it('round-trips: EdDSA, at+jwt, iss/aud, sub, session epoch, 15 minutes', async () => {
    const { token, expires_in } = await signAccessToken(keys, subject);
    expect(expires_in).toBe(900);
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(new TextDecoder().decode(base64url.decode(part))));
    expect(header).toEqual({ alg: 'EdDSA', typ: 'at+jwt' });
    expect(payload).toMatchObject({ iss: 'unmogrowp', aud: 'unmogrowp-api', sub: subject.userId, sv: 3, jti: expect.any(String) });
    expect(payload.exp - payload.iat).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect(await verifyAccessToken(keys, token)).toEqual({
      ok: true,
      claims: { sub: subject.userId, sv: 3, jti: payload.jti, iat: payload.iat, exp: payload.exp },
    });
    const again = await verifyAccessToken(keys, (await signAccessToken(keys, subject)).token);
    expect(again.ok && again.claims.jti).not.toBe(payload.jti);
  });

  it('refuses an expired token, and one from the future', async () => {
    const issued = new Date('2024-01-01T00:00:00Z');
    const { token } = await signAccessToken(keys, subject, issued);
    expect((await verifyAccessToken(keys, token, new Date(issued.getTime() + 14 * 60_000))).ok).toBe(true);
    expect(await verifyAccessToken(keys, token, new Date(issued.getTime() + 16 * 60_000))).toEqual({ ok: false, reason: 'expired' });
    expect(await verifyAccessToken(keys, token, new Date(issued.getTime() - 60_000))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const none = new UnsecuredJWT({ sv: 3 })
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setSubject(subject.userId)
      .setJti('x')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .encode();
    expect(await verifyAccessToken(keys, none)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyAccessToken(keys, `${none}c2ln`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const secret of [publicPem, publicPem.trim(), keys.publicKey.export({ format: 'der', type: 'spki' })]) {
      const token = await forged()
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .sign(new Uint8Array(Buffer.from(secret)));
      expect(await verifyAccessToken(keys, token)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('refuses a token signed by another Ed25519 key', async () => {
    const other = generateKeyPairSync('ed25519');
    const token = await forged().setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' }).sign(other.privateKey);
    expect(await verifyAccessToken(keys, token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses the wrong audience, issuer or type even when properly signed', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (build: SignJWT, typ = 'at+jwt') => build.setProtectedHeader({ alg: 'EdDSA', typ }).sign(keys.privateKey);
    expect(await verifyAccessToken(keys, await sign(forged()))).toMatchObject({ ok: true });
    for (const token of [
      await sign(forged().setAudience('unmogrowp-ingest')),
      await sign(forged().setIssuer('someone-else')),
      await sign(forged(), 'JWT'),
      await sign(
        new SignJWT({ sv: 3 })
          .setIssuer(JWT_ISSUER)
          .setAudience(JWT_AUDIENCE)
          .setJti('x')
          .setIssuedAt(now)
          .setExpirationTime(now + 600),
      ),
      await sign(forged({ sv: '3' })),
      await sign(forged().setExpirationTime(now + 24 * 3600)),
    ]) {
      expect(await verifyAccessToken(keys, token)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('refuses a tampered payload and garbage', async () => {
    const { token } = await signAccessToken(keys, { userId: 'usr_victimvictim00', sessionEpoch: 0 });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
    for (const change of [{ sub: 'usr_attackerattack' }, { sv: 99 }, { exp: claims.exp + 3600 }]) {
      const tampered = base64url.encode(JSON.stringify({ ...claims, ...change }));
      expect(await verifyAccessToken(keys, `${header}.${tampered}.${signature}`)).toEqual({ ok: false, reason: 'invalid' });
    }
    for (const junk of ['', 'a.b.c', token.split('.').slice(0, 2).join('.'), `${token}.x`, 'Bearer x']) {
      expect(await verifyAccessToken(keys, junk)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});

describe('refresh tokens', () => {
  it('are 256 random bits, base64url, never repeated', () => {
    const tokens = Array.from({ length: 200 }, newRefreshToken);
    expect(new Set(tokens).size).toBe(200);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
      expect(looksLikeRefreshToken(t)).toBe(true);
    }
    for (const bad of ['', 'short', `${tokens[0]}=`, `${tokens[0]!.slice(0, 42)}+`, null, 7])
      expect(looksLikeRefreshToken(bad)).toBe(false);
  });
});
