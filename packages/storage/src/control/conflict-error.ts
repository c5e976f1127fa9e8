/**
 * A write the control store refuses because of what is already stored (not because the input
 * is malformed); the API maps it to 409 with `code`.
 */
export type ConflictCode = 'email_taken' | 'registration_closed' | 'last_admin' | 'last_manager' | 'already_member' | 'invalid_invitation';

export class ControlConflictError extends Error {
  constructor(
    readonly code: ConflictCode,
    message: string,
  ) {
    super(message);
    this.name = 'ControlConflictError';
  }
}

/** PostgreSQL's unique_violation, as both adapters report it. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
