import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { dummyVerify, hashPassword, MAX_PASSWORD_INPUT, passwordNeedsRehash, verifyPassword } from '../../src/security/passwords.ts';

/** `$argon2id$v=19$m=…,t=…,p=…$salt$hash` → the parameters, whatever order they are written in. */
function params(hash: string): Record<string, number> {
  const section = hash.split('$')[3] ?? '';
  return Object.fromEntries(
    section
      .split(',')
      .map((kv) => kv.split('=') as [string, string])
      .map(([k, v]) => [k, Number(v)]),
  );
}

describe('password hashing', () => {
  it('uses argon2id with OWASP’s minimum parameters, visible in the hash', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$v=19$')).toBe(true);
    expect(params(hash)).toEqual({ m: 19456, t: 2, p: 1 });
  });

  it('salts: one password, two different hashes, both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'same password here')).toBe(true);
    expect(await verifyPassword(b, 'same password here')).toBe(true);
  });

  it('refuses a wrong, empty, oversized or differently-cased password and a malformed hash', async () => {
    const hash = await hashPassword('Tr0ub4dor&3 is long');
    for (const wrong of ['tr0ub4dor&3 is long', 'Tr0ub4dor&3 is long ', '', 'x'.repeat(MAX_PASSWORD_INPUT + 1)]) {
      expect(await verifyPassword(hash, wrong)).toBe(false);
    }
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
    expect(await verifyPassword(hash, 42 as unknown as string)).toBe(false);
  });

  it('treats canonically equivalent Unicode as the same password', async () => {
    const composed = 'caf\u00e9 au lait!!';
    const decomposed = 'cafe\u0301 au lait!!';
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
  });

  it('spends about as long on an unknown account as on a wrong password', async () => {
    const hash = await hashPassword('the real password');
    await dummyVerify('warm up');
    const elapsed = async (fn: () => Promise<unknown>) => {
      const start = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const wrongTimes: number[] = [];
    const unknownTimes: number[] = [];
    // Interleaved, so load from other processes hits both sides alike; medians ignore a stray pause.
    for (let i = 0; i < 5; i++) {
      wrongTimes.push(await elapsed(() => verifyPassword(hash, 'a wrong password')));
      unknownTimes.push(await elapsed(() => dummyVerify('a wrong password')));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const wrong = median(wrongTimes);
    const unknown = median(unknownTimes);
    expect(await dummyVerify('the real password')).toBe(false);
    // Same work (one argon2id verification with the same parameters): within a factor of 2 on a busy machine.
    expect(unknown).toBeGreaterThan(wrong / 2);
    expect(unknown).toBeLessThan(wrong * 2);
  });

  it('asks for a rehash of hashes made with weaker parameters', async () => {
    const weak = await argon2.hash('an older account', { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(passwordNeedsRehash(weak)).toBe(true);
    expect(passwordNeedsRehash(await hashPassword('a current account'))).toBe(false);
  });
});
