import { describe, expect, it } from 'vitest';
import { normalizeDisabled, normalizeEmail, normalizeUserName, normalizeUserRole, UserInputError } from '../src/control/user-input.ts';

describe('user input', () => {
  it('stores emails trimmed and lowercased', () => {
    expect(normalizeEmail('  Ann.Lee+mmp@Example.COM ')).toBe('ann.lee+mmp@example.com');
  });

  it('refuses what cannot be an address, naming the field', () => {
    for (const bad of [
      '',
      'ann',
      'ann@',
      '@x.io',
      'ann@localhost',
      'a b@x.io',
      'a@b@x.io',
      `a@x.io\n`.repeat(2),
      `${'a'.repeat(250)}@x.io`,
      42,
      null,
    ]) {
      expect(() => normalizeEmail(bad)).toThrow(expect.objectContaining({ field: 'email', code: 'invalid_user' }));
    }
  });

  it('trims names and refuses empty, long or control-character names', () => {
    expect(normalizeUserName('  Zoë  ')).toBe('Zoë');
    for (const bad of ['', '   ', 'x'.repeat(201), 'a\u0007b', undefined]) expect(() => normalizeUserName(bad)).toThrow(UserInputError);
  });

  it('accepts only the known roles and real booleans', () => {
    expect(normalizeUserRole('admin')).toBe('admin');
    expect(normalizeUserRole('user')).toBe('user');
    for (const bad of ['Admin', 'root', '', null]) expect(() => normalizeUserRole(bad)).toThrow(expect.objectContaining({ field: 'role' }));
    expect(normalizeDisabled(false)).toBe(false);
    for (const bad of ['true', 1, null]) expect(() => normalizeDisabled(bad)).toThrow(expect.objectContaining({ field: 'disabled' }));
  });
});
