import { createHash } from 'node:crypto';
import { newId } from './keys.ts';
import type { SqlDb, SqlTx } from './sql-db.ts';
import { clipUntrusted } from './untrusted-text.ts';

/**
 * Refresh tokens are opaque random strings made by the caller; only their SHA-256 is stored
 * (a fast hash fits a high-entropy secret), so a copy of the table signs nobody in.
 */
export interface RefreshTokenIssue {
  /** The token in clear, as the client will present it. Hashed here, never stored. */
  token: string;
  /** Lifetime from now, by the database clock. */
  expires_in_seconds: number;
  ip?: string | null;
  user_agent?: string | null;
}

export interface IssuedRefreshToken {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: string;
}

/**
 * What presenting a refresh token led to. `reused`: the token had already been rotated, so
 * someone holds a copy — the whole family is now revoked and the caller should audit it.
 */
export type RotateOutcome =
  | { status: 'rotated'; user_id: string; family_id: string; token: IssuedRefreshToken }
  | { status: 'reused'; user_id: string; family_id: string }
  | { status: 'revoked' | 'expired'; user_id: string; family_id: string }
  | { status: 'unknown' };

interface TokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  expired: boolean;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Starts a new family (one sign-in) for the user. */
export async function issueRefreshToken(db: Pick<SqlDb, 'query'>, userId: string, issue: RefreshTokenIssue): Promise<IssuedRefreshToken> {
  return insertToken(db, userId, newId('fam'), issue);
}

/**
 * Trades `presented` for `next` in the same family: the old token is marked used in the same
 * transaction, under a row lock, so two concurrent uses of one token cannot both succeed — the
 * second is treated as reuse. Reuse of a used token revokes every token of its family.
 */
export async function rotateRefreshToken(db: SqlDb, presented: string, next: RefreshTokenIssue): Promise<RotateOutcome> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<TokenRow>(
      `select id, user_id, family_id, expires_at, used_at, revoked_at, expires_at <= now() as expired
       from refresh_tokens where token_hash = $1 for update`,
      [hashRefreshToken(presented)],
    );
    const row = rows[0];
    if (!row) return { status: 'unknown' };
    const who = { user_id: row.user_id, family_id: row.family_id };
    if (row.used_at) {
      await revokeFamilyTx(tx, row.family_id);
      return { status: 'reused', ...who };
    }
    if (row.revoked_at) return { status: 'revoked', ...who };
    if (row.expired) return { status: 'expired', ...who };
    await tx.query('update refresh_tokens set used_at = now() where id = $1', [row.id]);
    const token = await insertToken(tx, row.user_id, row.family_id, next);
    return { status: 'rotated', ...who, token };
  });
}

/** Revokes the family of `presented` (one device's sign-out); false when the token is unknown. */
export async function revokeRefreshFamily(db: SqlDb, presented: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ family_id: string }>('select family_id from refresh_tokens where token_hash = $1', [
      hashRefreshToken(presented),
    ]);
    if (!rows[0]) return false;
    await revokeFamilyTx(tx, rows[0].family_id);
    return true;
  });
}

/** Revokes every live refresh token of the user; answers how many. */
export async function revokeAllRefreshTokens(db: Pick<SqlDb, 'query'>, userId: string): Promise<number> {
  return revokeAllRefreshTokensTx(db, userId);
}

/** The same, inside a caller's transaction (disabling a user, logout). */
export async function revokeAllRefreshTokensTx(tx: Pick<SqlTx, 'query'>, userId: string): Promise<number> {
  const rows = await tx.query('update refresh_tokens set revoked_at = now() where user_id = $1 and revoked_at is null returning id', [
    userId,
  ]);
  return rows.length;
}

async function revokeFamilyTx(tx: Pick<SqlTx, 'query'>, familyId: string): Promise<void> {
  await tx.query('update refresh_tokens set revoked_at = now() where family_id = $1 and revoked_at is null', [familyId]);
}

async function insertToken(
  db: Pick<SqlTx, 'query'>,
  userId: string,
  familyId: string,
  issue: RefreshTokenIssue,
): Promise<IssuedRefreshToken> {
  if (!Number.isFinite(issue.expires_in_seconds)) throw new Error('expires_in_seconds must be a finite number');
  const rows = await db.query<{ id: string; expires_at: Date }>(
    `insert into refresh_tokens (id, user_id, family_id, token_hash, expires_at, ip, user_agent)
     values ($1, $2, $3, $4, now() + make_interval(secs => $5), $6, $7) returning id, expires_at`,
    [
      newId('rtk'),
      userId,
      familyId,
      hashRefreshToken(issue.token),
      issue.expires_in_seconds,
      clipUntrusted(issue.ip, 100),
      clipUntrusted(issue.user_agent),
    ],
  );
  const row = rows[0]!;
  return { id: row.id, user_id: userId, family_id: familyId, expires_at: row.expires_at.toISOString() };
}
