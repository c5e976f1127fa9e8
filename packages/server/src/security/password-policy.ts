import { readFileSync } from 'node:fs';
import { normalizePassword } from './passwords.ts';

/**
 * What a new password must be (NIST SP 800-63B, ASVS V6.2): long enough, not absurdly long, not
 * a well-known password, not the account's own email. No composition rules: length and a
 * blocklist beat "one digit, one symbol".
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'same_as_email' | 'one_character';

export type PasswordVerdict = { ok: true } | { ok: false; problem: PasswordProblem; message: string };

const MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Use at least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words make a good password.`,
  too_long: `Use at most ${MAX_PASSWORD_LENGTH} characters.`,
  common: 'This password is on a list of commonly used passwords: choose another.',
  same_as_email: 'The password must not be your email address.',
  one_character: 'The password must not be one character repeated.',
};

let common: Set<string> | undefined;

/** The shipped blocklist, lowercased; loaded on first use. */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((line) => normalizePassword(line.trim()).toLowerCase())
      .filter(Boolean),
  );
  return common;
}

/** Length counts characters (code points), not UTF-16 units: an emoji is one character. */
export function checkPassword(password: string, context: { email?: string } = {}): PasswordVerdict {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  const lower = normalized.toLowerCase();
  const fail = (problem: PasswordProblem): PasswordVerdict => ({ ok: false, problem, message: MESSAGES[problem] });
  if (length < MIN_PASSWORD_LENGTH) return fail('too_short');
  if (length > MAX_PASSWORD_LENGTH) return fail('too_long');
  if (new Set(normalized).size === 1) return fail('one_character');
  if (context.email && lower === context.email.trim().toLowerCase()) return fail('same_as_email');
  if (commonPasswords().has(lower)) return fail('common');
  return { ok: true };
}
