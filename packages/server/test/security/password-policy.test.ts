import { describe, expect, it } from 'vitest';
import { checkPassword, commonPasswords, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../src/security/password-policy.ts';

describe('password policy', () => {
  it('accepts a long, uncommon password', () => {
    expect(checkPassword('violet staple orbit 42')).toEqual({ ok: true });
    expect(checkPassword('a'.repeat(6) + 'b'.repeat(6))).toEqual({ ok: true });
  });

  it('counts characters, not UTF-16 units, at the length bounds', () => {
    expect(checkPassword('x1'.repeat(5) + 'y')).toMatchObject({ ok: false, problem: 'too_short' });
    expect(checkPassword('🚀🌍'.repeat(5) + '🌙')).toMatchObject({ ok: false, problem: 'too_short' });
    expect(checkPassword('🚀🌍'.repeat(6))).toEqual({ ok: true });
    expect(checkPassword('ab'.repeat(MAX_PASSWORD_LENGTH / 2))).toEqual({ ok: true });
    expect(checkPassword(`${'ab'.repeat(MAX_PASSWORD_LENGTH / 2)}c`)).toMatchObject({ ok: false, problem: 'too_long' });
    expect(MIN_PASSWORD_LENGTH).toBe(12);
  });

  it('refuses well-known passwords in any case', () => {
    for (const common of ['password1234', '123456789012', 'qwertyuiopas', 'PASSWORD1234', 'Qwertyuiopas', 'iloveyou1234', '1q2w3e4r5t6y']) {
      expect(checkPassword(common)).toMatchObject({ ok: false, problem: 'common', message: expect.any(String) });
    }
  });

  it('ships a list of thousands of common passwords, mostly of an accepted length', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThan(1000);
    expect(list.size).toBeLessThan(20_000);
    const long = [...list].filter((p) => [...p].length >= MIN_PASSWORD_LENGTH);
    expect(long.length / list.size).toBeGreaterThan(0.5);
  });

  it('refuses the account’s own email and one repeated character', () => {
    expect(checkPassword('Ann.Lee@Example.com', { email: 'ann.lee@example.com' })).toMatchObject({ ok: false, problem: 'same_as_email' });
    expect(checkPassword('ann.lee@example.com', { email: 'other@example.com' })).toEqual({ ok: true });
    expect(checkPassword('z'.repeat(20))).toMatchObject({ ok: false, problem: 'one_character' });
  });
});
