import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { displayPrefix, hashServerKey, keyKindOf, newId, newKey, randomBase62 } from '../src/control/keys.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('keys', () => {
  it('draws every base62 character equally often (no modulo bias)', () => {
    const perChar = 2000;
    const sample = randomBase62(62 * perChar);
    expect(sample).toHaveLength(62 * perChar);
    const counts = new Map<string, number>();
    for (const c of sample) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe([...BASE62].sort().join(''));
    // Chi-square with 61 degrees of freedom: ~61 when uniform; 120 is p < 1e-5. A `byte % 62`
    // without rejection makes 8 characters 25% likelier and scores about 800.
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - perChar) ** 2 / perChar, 0);
    expect(chiSquare).toBeLessThan(120);
  });

  it('makes SDK and server keys of the documented shape, never twice the same', () => {
    const sdk = Array.from({ length: 500 }, () => newKey('sdk'));
    const server = Array.from({ length: 500 }, () => newKey('server'));
    for (const k of sdk) expect(k).toMatch(/^sdk_[0-9A-Za-z]{32}$/);
    for (const k of server) expect(k).toMatch(/^srv_[0-9A-Za-z]{43}$/);
    expect(new Set([...sdk, ...server]).size).toBe(1000);
    // ≥ 128 bits: 62^32 and 62^43 both exceed 2^128.
    expect(32 * Math.log2(62)).toBeGreaterThanOrEqual(128);
    expect(newId('app')).toMatch(/^app_[0-9A-Za-z]{16}$/);
  });

  it('recognises a well-formed key by its shape alone', () => {
    const sdk = newKey('sdk');
    const server = newKey('server');
    expect(keyKindOf(sdk)).toBe('sdk');
    expect(keyKindOf(server)).toBe('server');
    for (const bad of ['', 'sdk_', `${sdk}x`, `srv_${sdk.slice(4)}`, sdk.replace(/^sdk_/, 'SDK_'), `${server.slice(0, -1)}-`, ` ${sdk}`]) {
      expect(keyKindOf(bad)).toBeNull();
    }
  });

  it('hashes server keys with SHA-256 hex and shows only a short prefix', () => {
    const key = newKey('server');
    expect(hashServerKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashServerKey(key)).not.toBe(hashServerKey(newKey('server')));
    expect(displayPrefix(key)).toBe(key.slice(0, 12));
    expect(key.startsWith(displayPrefix(key))).toBe(true);
  });
});
