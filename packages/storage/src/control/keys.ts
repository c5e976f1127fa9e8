import { createHash, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 248 = 4 × 62: bytes at or above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 248;

/** `length` uniformly random base62 characters (log2(62) ≈ 5.95 bits each) from the CSPRNG. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length - out.length + 8)) {
      if (byte < UNBIASED_LIMIT) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export type KeyKind = 'sdk' | 'server';

export const KEY_PREFIX: Record<KeyKind, string> = { sdk: 'sdk_', server: 'srv_' };
/** 32 chars ≈ 190 bits, 43 chars ≈ 256 bits. */
export const KEY_RANDOM_LENGTH: Record<KeyKind, number> = { sdk: 32, server: 43 };
/** Characters kept for display ("srv_AbC12345…"): enough to tell keys apart, far too few to guess the rest. */
const DISPLAY_PREFIX_LENGTH = 12;

export function newKey(kind: KeyKind): string {
  return KEY_PREFIX[kind] + randomBase62(KEY_RANDOM_LENGTH[kind]);
}

/** `app_` apps, `key_` app keys, `usr_` users, `rtk_` refresh tokens, `fam_` refresh-token families, `era_` erase requests. */
export type IdPrefix = 'app' | 'key' | 'usr' | 'rtk' | 'fam' | 'era';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(16)}`;
}

export function displayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** A fast hash is right here: the input is a 256-bit random secret, not a password. */
export function hashServerKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The kind a presented string would be if it is well-formed, else null (no database needed to refuse it). */
export function keyKindOf(presented: string): KeyKind | null {
  if (KEY_PATTERN.sdk.test(presented)) return 'sdk';
  if (KEY_PATTERN.server.test(presented)) return 'server';
  return null;
}

const KEY_PATTERN: Record<KeyKind, RegExp> = {
  sdk: new RegExp(`^${KEY_PREFIX.sdk}[0-9A-Za-z]{${KEY_RANDOM_LENGTH.sdk}}$`),
  server: new RegExp(`^${KEY_PREFIX.server}[0-9A-Za-z]{${KEY_RANDOM_LENGTH.server}}$`),
};
