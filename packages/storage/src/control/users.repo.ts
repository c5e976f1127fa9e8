import { ControlConflictError, isUniqueViolation } from './conflict-error.ts';
import { acceptInvitations, hasInvitation } from './invitations.repo.ts';
import { newId } from './keys.ts';
import { revokeAllRefreshTokensTx } from './refresh-tokens.repo.ts';
import type { SqlDb, SqlTx } from './sql-db.ts';
import { normalizeDisabled, normalizeEmail, normalizeUserName, normalizeUserRole, type UserRole } from './user-input.ts';

/** A user as the API answers it (docs/api.md: `{id, email, name, role, disabled, created_at}`). */
export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  disabled: boolean;
  created_at: string;
}

/** What sign-in and token checks need besides the public fields; never send this to a client. */
export interface UserAccount {
  user: User;
  password_hash: string;
  /** Copied into access tokens; a token carrying an older epoch is refused. */
  session_epoch: number;
}

export interface NewUserInput {
  email: string;
  name: string;
  /** Already an argon2id hash: the store never sees a password. */
  password_hash: string;
}

export interface CreateUserOptions {
  /** Refuse (`registration_closed`) unless this is the very first account — closed-registration bootstrap. */
  onlyIfFirst?: boolean;
  /** A manager's invitation code: lets the account in despite `onlyIfFirst`, and joins the apps it invites to. */
  invitationCode?: string;
}

export interface UserPatch {
  role?: UserRole;
  disabled?: boolean;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  disabled: boolean;
  created_at: Date;
  password_hash: string;
  session_epoch: number;
}

const USER_COLUMNS = 'id, email, name, role, disabled, created_at, password_hash, session_epoch';
/** Serializes account creation and admin changes, so "first user" and "last admin" are decided under one lock. */
const USERS_LOCK_KEY = 7_305_184_962;

/**
 * Creates an account; the first one ever is `admin`, every later one `user`. The count and the
 * insert happen under one advisory lock, so concurrent registrations on an empty store yield
 * exactly one admin. A taken email (any case) is `email_taken`.
 */
export async function createUser(db: SqlDb, input: NewUserInput, options: CreateUserOptions = {}): Promise<User> {
  const email = normalizeEmail(input.email);
  const name = normalizeUserName(input.name);
  try {
    return await db.transaction(async (tx) => {
      await lockUsers(tx);
      const [existing] = await tx.query<{ any_user: boolean; taken: boolean }>(
        'select exists (select 1 from users) as any_user, exists (select 1 from users where lower(email) = lower($1)) as taken',
        [email],
      );
      if (existing?.taken) throw emailTaken();
      const invited = options.invitationCode !== undefined && (await hasInvitation(tx, email, options.invitationCode));
      if (options.invitationCode !== undefined && !invited) {
        throw new ControlConflictError('invalid_invitation', 'This invitation code is not valid for this email.');
      }
      if (options.onlyIfFirst && existing?.any_user && !invited) {
        throw new ControlConflictError('registration_closed', 'Registration is closed: ask an administrator to create the account.');
      }
      const role: UserRole = existing?.any_user ? 'user' : 'admin';
      const rows = await tx.query<UserRow>(
        `insert into users (id, email, name, password_hash, role) values ($1, $2, $3, $4, $5) returning ${USER_COLUMNS}`,
        [newId('usr'), email, name, input.password_hash, role],
      );
      if (invited) await acceptInvitations(tx, email, options.invitationCode!, rows[0]!.id);
      return toUser(rows[0]!);
    });
  } catch (err) {
    // The lock makes this unreachable between our own writers; it still guards direct inserts.
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}

export async function getUser(db: Pick<SqlDb, 'query'>, id: string): Promise<User | null> {
  return (await getAccountById(db, id))?.user ?? null;
}

/** The account for an access-token check: disabled flag, role and session epoch as stored now. */
export async function getAccountById(db: Pick<SqlDb, 'query'>, id: string): Promise<UserAccount | null> {
  const rows = await db.query<UserRow>(`select ${USER_COLUMNS} from users where id = $1`, [id]);
  return rows[0] ? toAccount(rows[0]) : null;
}

/** The account for sign-in; emails match case-insensitively. Malformed input finds nothing. */
export async function findAccountByEmail(db: Pick<SqlDb, 'query'>, email: string): Promise<UserAccount | null> {
  let normalized: string;
  try {
    normalized = normalizeEmail(email);
  } catch {
    return null;
  }
  const rows = await db.query<UserRow>(`select ${USER_COLUMNS} from users where lower(email) = lower($1)`, [normalized]);
  return rows[0] ? toAccount(rows[0]) : null;
}

/** Oldest first; `after` is the last id of the previous page. */
export async function listUsers(db: Pick<SqlDb, 'query'>, options: { limit?: number; after?: string } = {}): Promise<User[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 1000);
  const rows = options.after
    ? await db.query<UserRow>(
        `select ${USER_COLUMNS} from users
         where (created_at, id) > (select created_at, id from users where id = $1)
         order by created_at, id limit $2`,
        [options.after, limit],
      )
    : await db.query<UserRow>(`select ${USER_COLUMNS} from users order by created_at, id limit $1`, [limit]);
  return rows.map(toUser);
}

/**
 * Changes role and/or disabled; null for an unknown id. Disabling ends every session at once
 * (refresh tokens revoked, session epoch bumped) in the same transaction. Refuses (`last_admin`)
 * to leave the store without an enabled admin.
 */
export async function updateUser(db: SqlDb, id: string, patch: UserPatch): Promise<User | null> {
  const role = patch.role === undefined ? undefined : normalizeUserRole(patch.role);
  const disabled = patch.disabled === undefined ? undefined : normalizeDisabled(patch.disabled);
  return db.transaction(async (tx) => {
    await lockUsers(tx);
    const rows = await tx.query<UserRow>(`select ${USER_COLUMNS} from users where id = $1`, [id]);
    const current = rows[0];
    if (!current) return null;
    const nextRole = role ?? current.role;
    const nextDisabled = disabled ?? current.disabled;
    if (current.role === 'admin' && !current.disabled && (nextRole !== 'admin' || nextDisabled)) {
      const [others] = await tx.query<{ n: number }>(`select count(*) as n from users where role = 'admin' and not disabled and id <> $1`, [
        id,
      ]);
      if (!others || others.n === 0) {
        throw new ControlConflictError('last_admin', 'This is the last enabled administrator: make another user admin first.');
      }
    }
    const disabling = nextDisabled && !current.disabled;
    const updated = await tx.query<UserRow>(
      `update users set role = $2, disabled = $3, updated_at = now(),
              session_epoch = session_epoch + (case when $4::boolean then 1 else 0 end)
       where id = $1 returning ${USER_COLUMNS}`,
      [id, nextRole, nextDisabled, disabling],
    );
    if (disabling) await revokeAllRefreshTokensTx(tx, id);
    return toUser(updated[0]!);
  });
}

/**
 * Ends every session of the account (logout): all refresh tokens revoked and the session epoch
 * bumped, so access tokens already issued are refused too. False for an unknown id.
 */
export async function endSessions(db: SqlDb, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query('update users set session_epoch = session_epoch + 1 where id = $1 returning id', [userId]);
    if (rows.length === 0) return false;
    await revokeAllRefreshTokensTx(tx, userId);
    return true;
  });
}

/** Replaces the stored hash, e.g. after sign-in when the hashing parameters were raised. */
export async function setPasswordHash(db: Pick<SqlDb, 'query'>, userId: string, passwordHash: string): Promise<boolean> {
  const rows = await db.query('update users set password_hash = $2, updated_at = now() where id = $1 returning id', [userId, passwordHash]);
  return rows.length > 0;
}

async function lockUsers(tx: SqlTx): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [USERS_LOCK_KEY]);
}

function emailTaken(): ControlConflictError {
  return new ControlConflictError('email_taken', 'An account with this email already exists: sign in instead.');
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    created_at: row.created_at.toISOString(),
  };
}

function toAccount(row: UserRow): UserAccount {
  return { user: toUser(row), password_hash: row.password_hash, session_epoch: row.session_epoch };
}
