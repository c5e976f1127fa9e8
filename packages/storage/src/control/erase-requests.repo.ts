import { newId } from './keys.ts';
import type { SqlDb } from './sql-db.ts';

/** Who is to be forgotten: exactly one identifier (docs/privacy.md). */
export type EraseKind = 'device_id' | 'advertising_id' | 'user_id';
export const ERASE_KINDS: readonly EraseKind[] = ['device_id', 'advertising_id', 'user_id'];
export type EraseStatus = 'pending' | 'running' | 'done' | 'failed';

/** The API's view: the identifier itself is not echoed back (it is blanked once done). */
export interface EraseRequest {
  request_id: string;
  app_id: string;
  kind: EraseKind;
  status: EraseStatus;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  attempts: number;
  counts: Record<string, number>;
  last_error: string | null;
}

/** A claimed request, with the identifier the job needs and what earlier attempts found. */
export interface ClaimedErase extends EraseRequest {
  value: string;
  person: Record<string, string[]> | null;
}

interface Row {
  id: string;
  app_id: string;
  kind: EraseKind;
  value: string;
  status: EraseStatus;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  attempts: number;
  counts: Record<string, number>;
  last_error: string | null;
  person?: Record<string, string[]> | null;
}

const COLUMNS = 'id, app_id, kind, value, status, requested_at, started_at, finished_at, attempts, counts, last_error';
/** After this many failed attempts a request is `failed` (an operator looks at last_error). */
export const ERASE_MAX_ATTEMPTS = 10;

export async function createEraseRequest(
  db: Pick<SqlDb, 'query'>,
  input: { app_id: string; kind: EraseKind; value: string; requested_by: string | null },
): Promise<EraseRequest> {
  const rows = await db.query<Row>(
    `insert into erase_requests (id, app_id, kind, value, requested_by) values ($1, $2, $3, $4, $5) returning ${COLUMNS}`,
    [newId('era'), input.app_id, input.kind, input.value, input.requested_by],
  );
  return toRequest(rows[0]!);
}

export async function getEraseRequest(db: Pick<SqlDb, 'query'>, appId: string, id: string): Promise<EraseRequest | null> {
  const rows = await db.query<Row>(`select ${COLUMNS} from erase_requests where app_id = $1 and id = $2`, [appId, id]);
  return rows[0] ? toRequest(rows[0]) : null;
}

/**
 * Takes the oldest open request whose lease is free (pending, or running under a lease that
 * ran out: its process died mid-way) and leases it for `leaseMs`. Any number of processes may
 * call this on one PostgreSQL database; each request is worked on by one at a time.
 */
export async function claimEraseRequest(db: SqlDb, leaseMs: number): Promise<ClaimedErase | null> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<Row>(
      `select ${COLUMNS} from erase_requests
       where status in ('pending', 'running') and (lease_until is null or lease_until < now())
       order by requested_at, id limit 1 for update skip locked`,
    );
    const row = rows[0];
    if (!row) return null;
    const [claimed] = await tx.query<Row>(
      `update erase_requests set status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()),
         lease_until = now() + ($2::bigint * interval '1 millisecond')
       where id = $1 returning ${COLUMNS}, person`,
      [row.id, leaseMs],
    );
    return { ...toRequest(claimed!), value: claimed!.value, person: claimed!.person ?? null };
  });
}

/**
 * Embedded profile only (one process owns the control store): leases left by a process that
 * stopped or crashed mid-way are released at start, so its requests are finished at once.
 */
export async function releaseEraseLeases(db: Pick<SqlDb, 'query'>): Promise<number> {
  const rows = await db.query(`update erase_requests set lease_until = null where status in ('pending', 'running') returning id`);
  return rows.length;
}

/** Keeps what was found for the person before the first row is deleted (see the migration). */
export async function saveErasePerson(db: Pick<SqlDb, 'query'>, id: string, person: Record<string, string[]>): Promise<void> {
  await db.query('update erase_requests set person = $2::jsonb where id = $1', [id, JSON.stringify(person)]);
}

/** Counts so far (attempts add up: an interrupted one already deleted what it counted). */
export async function saveEraseCounts(db: Pick<SqlDb, 'query'>, id: string, counts: Record<string, number>): Promise<void> {
  await db.query('update erase_requests set counts = $2::jsonb where id = $1', [id, JSON.stringify(counts)]);
}

/** Done: the counts stay as proof, the identifiers go. */
export async function finishEraseRequest(db: Pick<SqlDb, 'query'>, id: string, counts: Record<string, number>): Promise<void> {
  await db.query(
    `update erase_requests set status = 'done', finished_at = now(), lease_until = null, value = '', person = null, counts = $2::jsonb, last_error = null
     where id = $1`,
    [id, JSON.stringify(counts)],
  );
}

/** A failed attempt: back to pending for the next try, or failed for good after ERASE_MAX_ATTEMPTS. */
export async function failEraseAttempt(db: Pick<SqlDb, 'query'>, id: string, error: string, retryInMs: number): Promise<void> {
  await db.query(
    `update erase_requests set
       status = case when attempts >= $3 then 'failed' else 'pending' end,
       finished_at = case when attempts >= $3 then now() else null end,
       lease_until = now() + ($4::bigint * interval '1 millisecond'),
       last_error = $2
     where id = $1`,
    [id, error.replaceAll('\u0000', '').slice(0, 1000), ERASE_MAX_ATTEMPTS, retryInMs],
  );
}

/** The outbox forgets the person's postbacks, pending or sent (their URLs carry the person's ids). */
export async function erasePostbacks(db: SqlDb, appId: string, installIds: readonly string[]): Promise<number> {
  if (installIds.length === 0) return 0;
  return db.transaction(async (tx) => {
    await tx.query(
      `delete from postback_attempts where postback_id in (select id from postbacks where app_id = $1 and install_id = any($2::text[]))`,
      [appId, [...installIds]],
    );
    const rows = await tx.query('delete from postbacks where app_id = $1 and install_id = any($2::text[]) returning id', [
      appId,
      [...installIds],
    ]);
    return rows.length;
  });
}

/** Retention in the outbox: postbacks created before `cutoff` (and their attempts) go. */
export async function dropPostbacksBefore(db: SqlDb, appId: string, cutoff: Date): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('delete from postback_attempts where postback_id in (select id from postbacks where app_id = $1 and created_at < $2)', [
      appId,
      cutoff,
    ]);
    const rows = await tx.query('delete from postbacks where app_id = $1 and created_at < $2 returning id', [appId, cutoff]);
    return rows.length;
  });
}

function toRequest(row: Row): EraseRequest {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    request_id: row.id,
    app_id: row.app_id,
    kind: row.kind,
    status: row.status,
    requested_at: row.requested_at.toISOString(),
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    attempts: row.attempts,
    counts: row.counts,
    last_error: row.last_error,
  };
}
