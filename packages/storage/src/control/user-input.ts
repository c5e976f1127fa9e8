/** Input the users repository refuses, naming the field; the API maps it to 400 `invalid_user`. */
export class UserInputError extends Error {
  readonly code = 'invalid_user';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}

export type UserRole = 'admin' | 'user';
export const USER_ROLES: readonly UserRole[] = ['admin', 'user'];

const MAX_EMAIL = 254;
const MAX_NAME = 200;
/** One @, something on both sides, a dot in the domain, no spaces or control characters. */
const EMAIL_RE = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

/**
 * Emails compare case-insensitively: stored trimmed and lowercased, so `Ann@X.io` and
 * `ann@x.io` are one account. Refuses anything that cannot be an address.
 */
export function normalizeEmail(email: unknown): string {
  const value = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (value.length < 3 || value.length > MAX_EMAIL || !EMAIL_RE.test(value)) {
    throw new UserInputError('email', `email must be an address like name@example.com, at most ${MAX_EMAIL} characters.`);
  }
  return value;
}

export function normalizeUserName(name: unknown): string {
  const value = typeof name === 'string' ? name.trim() : '';
  if (value.length === 0 || value.length > MAX_NAME || /\p{Cc}/u.test(value)) {
    throw new UserInputError('name', `name must be 1 to ${MAX_NAME} characters without control characters.`);
  }
  return value;
}

export function normalizeUserRole(role: unknown): UserRole {
  if (!USER_ROLES.includes(role as UserRole)) throw new UserInputError('role', `role must be one of ${USER_ROLES.join(', ')}.`);
  return role as UserRole;
}

export function normalizeDisabled(disabled: unknown): boolean {
  if (typeof disabled !== 'boolean') throw new UserInputError('disabled', 'disabled must be true or false.');
  return disabled;
}
