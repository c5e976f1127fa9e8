import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/**
 * argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane): ~20–40 ms per guess here, and the
 * parameters live in each hash string, so raising them later only needs `needsRehash`.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Longer input is refused before any hashing work: a cap on the cost one request can cause. */
export const MAX_PASSWORD_INPUT = 1024;

/**
 * NFKC (NIST SP 800-63B §5.1.1.2), so the same password typed on two keyboards that compose
 * characters differently is the same password.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(normalizePassword(password), ARGON2_OPTIONS);
}

/**
 * True only if `password` matches `hash`. The comparison inside argon2 is constant-time; a
 * malformed hash or oversized input is simply false.
 */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (typeof password !== 'string' || password.length > MAX_PASSWORD_INPUT) return false;
  try {
    return await argon2.verify(hash, normalizePassword(password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends what a wrong password costs, for an email with no account, so the answer time does not
 * tell which emails are registered. Always false. The hash is of a random secret nobody knows.
 */
export async function dummyVerify(password: string): Promise<false> {
  dummyHash ??= prepareDummyHash();
  await verifyPassword(await dummyHash, password);
  return false;
}

/**
 * Made once at start-up (the API calls this when it is built), so the first unknown email is
 * not the one sign-in that also pays for a hash — which would tell it apart by its timing.
 */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= argon2.hash(randomBytes(32).toString('base64url'), ARGON2_OPTIONS);
  return dummyHash;
}

/** Whether a stored hash was made with weaker parameters than today's (rehash after a good sign-in). */
export function passwordNeedsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  } catch {
    return true;
  }
}
