import { createHash } from 'node:crypto';
import { canonicalJson, toPlainJson } from './canonical-json.ts';
import type { SqlDb, SqlTx } from './sql-db.ts';
import { cleanText, clipUntrusted } from './untrusted-text.ts';

/** What a caller records; the store adds id, time and the chain. */
export interface AuditInput {
  user_id?: string | null;
  action: string;
  /** What was acted on, e.g. `app:app_…`, `user:usr_…`. */
  resource?: string | null;
  success: boolean;
  ip?: string | null;
  user_agent?: string | null;
  details?: Record<string, unknown>;
}

/** An entry as the API answers it (docs/api.md §4); `id` is a string like every API id. */
export interface AuditEntry {
  id: string;
  at: string;
  user_id: string | null;
  action: string;
  resource: string | null;
  success: boolean;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface AuditFilter {
  /** Inclusive. */
  from?: Date | string;
  /** Exclusive. */
  to?: Date | string;
  user_id?: string;
  action?: string;
  /** Default 100, at most 1000. */
  limit?: number;
  /** Paging, newest first: only entries with a smaller id. */
  before_id?: string;
}

export interface AuditVerification {
  ok: boolean;
  /** How many entries were checked (all of them). */
  entries: number;
  /** The first entry whose hash or link to its predecessor does not hold. */
  first_bad_id?: string;
  first_bad_reason?: 'hash_mismatch' | 'broken_link';
  /** The newest hash: written down elsewhere, it also reveals entries cut from the end later. */
  last_hash?: string;
}

interface AuditRow extends Omit<AuditEntry, 'id' | 'at'> {
  id: number | string;
  at: Date;
}

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK_KEY = 7_305_184_963;
const MAX_DETAILS_CHARS = 16_384;
const PAGE = 1000;
const COLUMNS = 'id, at, user_id, action, resource, success, ip, user_agent, details, prev_hash, hash';

/** `sha256(prev_hash ‖ canonical JSON of the entry without its hashes)`, hex. */
export function auditEntryHash(prevHash: string, entry: Omit<AuditEntry, 'prev_hash' | 'hash'>): string {
  const body = canonicalJson({
    id: entry.id,
    at: entry.at,
    user_id: entry.user_id,
    action: entry.action,
    resource: entry.resource,
    success: entry.success,
    ip: entry.ip,
    user_agent: entry.user_agent,
    details: entry.details,
  });
  return createHash('sha256')
    .update(prevHash + body, 'utf8')
    .digest('hex');
}

/** Appends one entry in its own transaction. */
export async function appendAudit(db: SqlDb, input: AuditInput): Promise<AuditEntry> {
  return db.transaction((tx) => appendAuditTx(tx, input));
}

/**
 * Appends inside a caller's transaction, so the entry commits or rolls back with the change it
 * records. The advisory lock, held to commit, makes concurrent appends (any process) form one
 * chain: each reads the head, takes the next id and inserts before the next may start.
 */
export async function appendAuditTx(tx: SqlTx, input: AuditInput): Promise<AuditEntry> {
  await tx.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  const [head] = await tx.query<{ hash: string }>('select hash from audit_log order by id desc limit 1');
  const [next] = await tx.query<{ id: number | string; at: Date }>(
    `select nextval(pg_get_serial_sequence('audit_log', 'id')) as id, date_trunc('milliseconds', clock_timestamp()) as at`,
  );
  const prev_hash = head?.hash ?? GENESIS_HASH;
  const entry = { id: String(next!.id), at: next!.at.toISOString(), ...normalizeInput(input) };
  const hash = auditEntryHash(prev_hash, entry);
  await tx.query(`insert into audit_log (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
    entry.id,
    entry.at,
    entry.user_id,
    entry.action,
    entry.resource,
    entry.success,
    entry.ip,
    entry.user_agent,
    JSON.stringify(entry.details),
    prev_hash,
    hash,
  ]);
  return { ...entry, prev_hash, hash };
}

/** Newest first. Filters combine with AND. */
export async function listAudit(db: Pick<SqlDb, 'query'>, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.from !== undefined) add('at >= ?::timestamptz', toIso(filter.from, 'from'));
  if (filter.to !== undefined) add('at < ?::timestamptz', toIso(filter.to, 'to'));
  if (filter.user_id !== undefined) add('user_id = ?', filter.user_id);
  if (filter.action !== undefined) add('action = ?', filter.action);
  if (filter.before_id !== undefined) add('id < ?::bigint', toBigintText(filter.before_id));
  params.push(Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000));
  const rows = await db.query<AuditRow>(
    `select ${COLUMNS} from audit_log ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit $${params.length}`,
    params,
  );
  return rows.map(toEntry);
}

/** Walks the whole chain oldest first, a page at a time, and names the first entry that does not hold. */
export async function verifyAudit(db: Pick<SqlDb, 'query'>): Promise<AuditVerification> {
  let expectedPrev = GENESIS_HASH;
  let entries = 0;
  let afterId = '0';
  let bad: Pick<AuditVerification, 'first_bad_id' | 'first_bad_reason'> = {};
  for (;;) {
    const rows = await db.query<AuditRow>(`select ${COLUMNS} from audit_log where id > $1::bigint order by id limit $2`, [afterId, PAGE]);
    for (const row of rows) {
      const entry = toEntry(row);
      entries++;
      if (!bad.first_bad_id) {
        if (entry.prev_hash !== expectedPrev) bad = { first_bad_id: entry.id, first_bad_reason: 'broken_link' };
        else if (entry.hash !== safeEntryHash(entry)) bad = { first_bad_id: entry.id, first_bad_reason: 'hash_mismatch' };
      }
      // Chain on the stored hash: one bad row is reported, the rows after it are judged on their own.
      expectedPrev = entry.hash;
      afterId = entry.id;
    }
    if (rows.length < PAGE) break;
  }
  return { ok: !bad.first_bad_id, entries, ...bad, ...(entries > 0 ? { last_hash: expectedPrev } : {}) };
}

/**
 * The hash a stored row should have, or null when the row cannot even be hashed — an edited
 * `details` holding a number JSON cannot represent (`1e400` reads back as Infinity) is a bad
 * row to name, not a reason for the whole check to fail.
 */
function safeEntryHash(entry: AuditEntry): string | null {
  try {
    return auditEntryHash(entry.prev_hash, entry);
  } catch {
    return null;
  }
}

function normalizeInput(input: AuditInput): Omit<AuditEntry, 'id' | 'at' | 'prev_hash' | 'hash'> {
  return {
    user_id: clipUntrusted(input.user_id, 100),
    action: clipUntrusted(input.action, 100) ?? '',
    resource: clipUntrusted(input.resource, 300),
    success: input.success === true,
    ip: clipUntrusted(input.ip, 100),
    user_agent: clipUntrusted(input.user_agent, 512),
    details: normalizeDetails(input.details),
  };
}

/** Storable and stable through jsonb; an oversized object is replaced by a note rather than losing the entry. */
function normalizeDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  const plain = toPlainJson(details ?? {}, cleanText);
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) return { value: plain };
  const size = JSON.stringify(plain).length;
  return size > MAX_DETAILS_CHARS ? { truncated: true, size } : (plain as Record<string, unknown>);
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    user_id: row.user_id,
    action: row.action,
    resource: row.resource,
    success: row.success,
    ip: row.ip,
    user_agent: row.user_agent,
    details: row.details,
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

function toIso(value: Date | string, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${field} must be a date or timestamp`);
  return date.toISOString();
}

function toBigintText(value: string): string {
  if (!/^\d{1,19}$/.test(value)) throw new RangeError('before_id must be an audit entry id');
  return value;
}
