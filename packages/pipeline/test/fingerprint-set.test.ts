import { describe, expect, it } from 'vitest';
import { FingerprintSet, fingerprint } from '../src/dedupe/fingerprint-set.ts';

describe('fingerprint set', () => {
  it('finds every added key after many resizes, and no key it was not given', () => {
    const set = new FingerprintSet(16);
    let added = 0;
    for (let i = 0; i < 200_000; i++) if (set.add(...fingerprint(`app_1\u0000evt-${i}`))) added++;
    expect(added).toBe(200_000);
    expect(set.size).toBe(200_000);
    let found = 0;
    for (let i = 0; i < 200_000; i++) if (set.has(...fingerprint(`app_1\u0000evt-${i}`))) found++;
    expect(found).toBe(200_000);
    let falsePositives = 0;
    for (let i = 0; i < 200_000; i++) if (set.has(...fingerprint(`app_2\u0000evt-${i}`))) falsePositives++;
    expect(falsePositives).toBe(0);
    expect(set.bytes / set.size).toBeLessThanOrEqual(32);
  });

  it('adds a key once; delete leaves a tombstone that does not hide later keys', () => {
    const set = new FingerprintSet(16);
    const keys = Array.from({ length: 7 }, (_, i) => fingerprint(`k${i}`));
    for (const k of keys) set.add(...k);
    expect(set.add(...keys[0]!)).toBe(false);
    expect(set.delete(...keys[3]!)).toBe(true);
    expect(set.has(...keys[3]!)).toBe(false);
    for (const [i, k] of keys.entries()) if (i !== 3) expect(set.has(...k)).toBe(true);
    expect(set.add(...keys[3]!)).toBe(true);
    expect(set.size).toBe(7);
  });

  it('gives different fingerprints to keys that differ in one character, unicode included', () => {
    const seen = new Set<string>();
    for (const key of ['a', 'b', 'ab', 'ba', 'é', 'e\u0301', '🎉', '🎊', 'x'.repeat(64), `${'x'.repeat(63)}y`]) {
      seen.add(fingerprint(key).join(':'));
    }
    expect(seen.size).toBe(10);
  });
});
