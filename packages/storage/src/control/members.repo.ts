import { type NewAppInput, normalizeNewApp } from './app-input.ts';
import { type App, type AppKeys, insertApp } from './apps.repo.ts';
import { ControlConflictError, isUniqueViolation } from './conflict-error.ts';
import type { SqlDb, SqlTx } from './sql-db.ts';

/** `manager` configures the app, `analyst` reads it (docs/api.md §4). */
export type MemberRole = 'manager' | 'analyst';
export const MEMBER_ROLES: readonly MemberRole[] = ['manager', 'analyst'];

export class MemberInputError extends Error {
  readonly code = 'invalid_member';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'MemberInputError';
  }
}

export interface Member {
  app_id: string;
  user_id: string;
  role: MemberRole;
  created_at: string;
}

/** A member as the members list shows it: who, not just an id. */
export interface MemberView extends Member {
  email: string;
  name: string;
}

interface MemberRow {
  app_id: string;
  user_id: string;
  role: MemberRole;
  created_at: Date;
}

export function normalizeMemberRole(role: unknown): MemberRole {
  if (!MEMBER_ROLES.includes(role as MemberRole)) throw new MemberInputError('role', `role must be one of ${MEMBER_ROLES.join(', ')}.`);
  return role as MemberRole;
}

/** Creates the app and makes `userId` its manager in one transaction, so no app is ever left without one. */
export async function createAppWithManager(db: SqlDb, userId: string, input: NewAppInput): Promise<{ app: App } & AppKeys> {
  const columns = normalizeNewApp(input);
  return db.transaction(async (tx) => {
    const created = await insertApp(tx, columns);
    await tx.query(`insert into app_members (app_id, user_id, role) values ($1, $2, 'manager')`, [created.app.id, userId]);
    return created;
  });
}

/** Null when the app is unknown or deleted, or the user unknown; `already_member` when they are one. */
export async function addMember(db: SqlDb, appId: string, userId: string, role: MemberRole): Promise<Member | null> {
  const checked = normalizeMemberRole(role);
  try {
    return await db.transaction(async (tx) => {
      if (!(await lockLiveApp(tx, appId))) return null;
      const users = await tx.query('select id from users where id = $1', [userId]);
      if (users.length === 0) return null;
      const rows = await tx.query<MemberRow>(
        'insert into app_members (app_id, user_id, role) values ($1, $2, $3) returning app_id, user_id, role, created_at',
        [appId, userId, checked],
      );
      return toMember(rows[0]!);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ControlConflictError('already_member', 'This user is already a member of the app: change their role instead.');
    throw err;
  }
}

/** Null when the app or the membership does not exist; refuses (`last_manager`) to demote the only manager. */
export async function setMemberRole(db: SqlDb, appId: string, userId: string, role: MemberRole): Promise<Member | null> {
  const checked = normalizeMemberRole(role);
  return db.transaction(async (tx) => {
    if (!(await lockLiveApp(tx, appId))) return null;
    const current = await currentRole(tx, appId, userId);
    if (!current) return null;
    if (current === 'manager' && checked !== 'manager') await refuseLastManager(tx, appId, userId);
    const rows = await tx.query<MemberRow>(
      'update app_members set role = $3 where app_id = $1 and user_id = $2 returning app_id, user_id, role, created_at',
      [appId, userId, checked],
    );
    return toMember(rows[0]!);
  });
}

/** False when there was no such membership; refuses (`last_manager`) to remove the only manager. */
export async function removeMember(db: SqlDb, appId: string, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await lockLiveApp(tx, appId))) return false;
    const current = await currentRole(tx, appId, userId);
    if (!current) return false;
    if (current === 'manager') await refuseLastManager(tx, appId, userId);
    await tx.query('delete from app_members where app_id = $1 and user_id = $2', [appId, userId]);
    return true;
  });
}

/** Members of a live app, managers first, then by when they joined. */
export async function listMembers(db: Pick<SqlDb, 'query'>, appId: string): Promise<MemberView[]> {
  const rows = await db.query<MemberRow & { email: string; name: string }>(
    `select m.app_id, m.user_id, m.role, m.created_at, u.email, u.name
     from app_members m join users u on u.id = m.user_id join apps a on a.id = m.app_id
     where m.app_id = $1 and a.deleted_at is null
     order by m.role = 'manager' desc, m.created_at, m.user_id`,
    [appId],
  );
  return rows.map((r) => ({ ...toMember(r), email: r.email, name: r.name }));
}

/** The user's role in a live app, or null (not a member, or the app is unknown or deleted). */
export async function getMemberRole(db: Pick<SqlDb, 'query'>, appId: string, userId: string): Promise<MemberRole | null> {
  const rows = await db.query<{ role: MemberRole }>(
    `select m.role from app_members m join apps a on a.id = m.app_id
     where m.app_id = $1 and m.user_id = $2 and a.deleted_at is null`,
    [appId, userId],
  );
  return rows[0]?.role ?? null;
}

/** Ids of the live apps the user is a member of, oldest app first. */
export async function listAppIdsOfUser(db: Pick<SqlDb, 'query'>, userId: string): Promise<string[]> {
  const rows = await db.query<{ app_id: string }>(
    `select m.app_id from app_members m join apps a on a.id = m.app_id
     where m.user_id = $1 and a.deleted_at is null order by a.created_at, a.id`,
    [userId],
  );
  return rows.map((r) => r.app_id);
}

/** The row lock serializes membership changes of one app, so two demotions cannot both pass the last-manager check. */
async function lockLiveApp(tx: SqlTx, appId: string): Promise<boolean> {
  const rows = await tx.query('select id from apps where id = $1 and deleted_at is null for update', [appId]);
  return rows.length > 0;
}

async function currentRole(tx: SqlTx, appId: string, userId: string): Promise<MemberRole | null> {
  const rows = await tx.query<{ role: MemberRole }>('select role from app_members where app_id = $1 and user_id = $2', [appId, userId]);
  return rows[0]?.role ?? null;
}

async function refuseLastManager(tx: SqlTx, appId: string, userId: string): Promise<void> {
  const [others] = await tx.query<{ n: number }>(
    `select count(*) as n from app_members where app_id = $1 and role = 'manager' and user_id <> $2`,
    [appId, userId],
  );
  if (!others || others.n === 0) {
    throw new ControlConflictError('last_manager', 'This is the app’s only manager: make someone else manager first.');
  }
}

function toMember(row: MemberRow): Member {
  return { app_id: row.app_id, user_id: row.user_id, role: row.role, created_at: row.created_at.toISOString() };
}
