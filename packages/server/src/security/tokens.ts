import { randomBytes, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys.ts';

/**
 * Access tokens: JWTs signed with Ed25519 (EdDSA) — the one algorithm accepted, so `alg: none`
 * and "HS256 keyed with the public key" are refused before any signature math. Short-lived;
 * `sv` (session epoch) lets logout and disabling end them early (compared by the caller with
 * the account's current epoch).
 */
export const JWT_ALGORITHM = 'EdDSA';
export const JWT_ISSUER = 'unmogrowp';
export const JWT_AUDIENCE = 'unmogrowp-api';
/** RFC 9068: an access token says so in its header, so no other JWT passes for one. */
export const JWT_TYPE = 'at+jwt';
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const CLOCK_TOLERANCE_SECONDS = 5;

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session epoch at issue. */
  sv: number;
  jti: string;
  iat: number;
  exp: number;
}

export type AccessTokenCheck = { ok: true; claims: AccessClaims } | { ok: false; reason: 'expired' | 'invalid' };

export async function signAccessToken(
  keys: SigningKeys,
  subject: { userId: string; sessionEpoch: number },
  now: Date = new Date(),
): Promise<{ token: string; expires_in: number }> {
  const iat = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ sv: subject.sessionEpoch })
    .setProtectedHeader({ alg: JWT_ALGORITHM, typ: JWT_TYPE })
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setSubject(subject.userId)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(keys.privateKey);
  return { token, expires_in: ACCESS_TOKEN_TTL_SECONDS };
}

/**
 * The claims of a token this server signed and that is still valid; otherwise why not. The
 * reason is for the audit trail only: the client gets one answer for all failures.
 */
export async function verifyAccessToken(keys: SigningKeys, token: string, now: Date = new Date()): Promise<AccessTokenCheck> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      typ: JWT_TYPE,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      maxTokenAge: ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    });
    const { sub, sv, jti, iat, exp } = payload;
    if (typeof sub !== 'string' || !Number.isSafeInteger(sv) || typeof jti !== 'string' || iat === undefined || exp === undefined) {
      return { ok: false, reason: 'invalid' };
    }
    // Only this server signs, but a lifetime beyond policy means the key or the signer is not what we think.
    if (exp - iat > ACCESS_TOKEN_TTL_SECONDS) return { ok: false, reason: 'invalid' };
    return { ok: true, claims: { sub, sv: sv as number, jti, iat, exp } };
  } catch (err) {
    return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/** 256 random bits, base64url: opaque to the client, stored by the control store only as SHA-256. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The shape a presented refresh token must have; anything else is refused without a query. */
export function looksLikeRefreshToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
