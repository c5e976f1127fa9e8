import { createHash } from 'node:crypto';
import { randomBase62 } from './keys.ts';
import type { MemberRole } from './members.repo.ts';
import type { SqlDb, SqlTx } from './sql-db.ts';
import { normalizeEmail } from './user-input.ts';

/** A manager's invitation of an email that has no account yet (docs/security.md "Registration"). */
export interface Invitation {
  app_id: string;
  email: string;
  role: MemberRole;
  created_at: string;
}

const hashCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');

/**
 * Invites `email` into the app with `role` (again: a new code replaces the old). The code is
 * returned once, for the manager to pass on; the store keeps its hash.
 */
export async function inviteMember(
  db: Pick<SqlDb, 'query'>,
  input: { app_id: string; email: string; role: MemberRole; invited_by: string | null },
): Promise<{ invitation: Invitation; code: string }> {
  const email = normalizeEmail(input.email);
  const code = `inv_${randomBase62(24)}`;
  const rows = await db.query<{ app_id: string; email: string; role: MemberRole; created_at: Date }>(
    `insert into app_invitations (app_id, email, role, code_hash, invited_by) values ($1, lower($2), $3, $4, $5)
     on conflict (app_id, email) do update set role = excluded.role, code_hash = excluded.code_hash, created_at = now()
     returning app_id, email, role, created_at`,
    [input.app_id, email, input.role, hashCode(code), input.invited_by],
  );
  const row = rows[0]!;
  return { invitation: { ...row, created_at: row.created_at.toISOString() }, code };
}

export async function listInvitations(db: Pick<SqlDb, 'query'>, appId: string): Promise<Invitation[]> {
  const rows = await db.query<{ app_id: string; email: string; role: MemberRole; created_at: Date }>(
    'select app_id, email, role, created_at from app_invitations where app_id = $1 order by created_at, email',
    [appId],
  );
  return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
}

/** Whether this email holds an invitation with this code (closed registration lets it in). */
export async function hasInvitation(tx: Pick<SqlTx, 'query'>, email: string, code: string): Promise<boolean> {
  const rows = await tx.query('select 1 from app_invitations where email = lower($1) and code_hash = $2 limit 1', [email, hashCode(code)]);
  return rows.length > 0;
}

/** The new account joins every app whose invitation of its email carries this code; the invitations go. */
export async function acceptInvitations(tx: Pick<SqlTx, 'query'>, email: string, code: string, userId: string): Promise<number> {
  const rows = await tx.query(
    `with taken as (
       delete from app_invitations i using apps a
       where i.app_id = a.id and a.deleted_at is null and i.email = lower($1) and i.code_hash = $2
       returning i.app_id, i.role)
     insert into app_members (app_id, user_id, role) select app_id, $3, role from taken
     on conflict do nothing returning app_id`,
    [email, hashCode(code), userId],
  );
  return rows.length;
}
