import { type DeliveryOutcome, type DeliveryResult, deliveryOutcome, retrySchedule } from '@unmogrowp/attribution';
import { randomBase62 } from './keys.ts';
import type { PostbackMethod } from './partner-input.ts';
import type { SqlDb } from './sql-db.ts';
import { clipText } from './text-fields.ts';

/**
 * The durable postback outbox (docs/attribution-rules.md): enqueue → claimDue → (send) → recordAttempt. Times are
 * epoch ms from the caller's clock. Delivery is at least once: a worker that dies mid-attempt
 * leaves its lease to expire, and the postback is sent again.
 */
export type PostbackStatus = 'pending' | 'delivered' | 'failed';
export const POSTBACK_STATUSES: readonly PostbackStatus[] = ['pending', 'delivered', 'failed'];

/** A rendered postback, ready to send. event_id is '' for an install postback. */
export interface NewPostback {
  app_id: string;
  media_source: string;
  install_id: string;
  event_id: string;
  /** 'install' or the event's name */
  event_name: string;
  method: PostbackMethod;
  url: string;
  /** the JSON body of a POST; null for GET */
  body: unknown | null;
}

export interface Postback extends NewPostback {
  id: string;
  status: PostbackStatus;
  attempts: number;
  next_attempt_at: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface PostbackAttempt {
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface PostbackLogEntry extends Postback {
  attempts_log: PostbackAttempt[];
}

export interface AttemptInput {
  /** the postback as claimDue returned it (its `attempts` says which attempt this was) */
  postback: Pick<Postback, 'id' | 'attempts'>;
  result: DeliveryResult;
  /** why a 'network' result failed (e.g. 'connect ECONNREFUSED'), for the log */
  detail?: string;
  at: number;
  duration_ms: number;
  /** [0, 1), for the retry jitter */
  random: () => number;
}

export interface AttemptRecorded {
  attempt: number;
  outcome: DeliveryOutcome;
  /** when the next attempt is due; null once delivered or failed */
  next_attempt_at: number | null;
}

const MAX_ERROR = 500;
const COLUMN_NAMES = [
  'id',
  'app_id',
  'media_source',
  'install_id',
  'event_id',
  'event_name',
  'method',
  'url',
  'body',
  'status',
  'attempts',
  'next_attempt_at',
  'last_status_code',
  'last_error',
  'created_at',
  'delivered_at',
];
const COLUMNS = COLUMN_NAMES.join(', ');
const COLUMNS_OF_P = COLUMN_NAMES.map((c) => `p.${c}`).join(', ');

type PostbackRow = Omit<Postback, 'next_attempt_at' | 'created_at' | 'delivered_at'> & {
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
};

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Adds postbacks due at `now`; one already enqueued for the same (app, media_source, event_name,
 * install_id, event_id) is left alone, so a retried pipeline batch never sends twice. Returns how
 * many were new. One statement for the whole batch.
 */
export async function enqueuePostbacks(db: Pick<SqlDb, 'query'>, items: readonly NewPostback[], now: number): Promise<number> {
  if (items.length === 0) return 0;
  const col = <T>(pick: (p: NewPostback) => T) => items.map(pick);
  const rows = await db.query(
    `insert into postbacks (id, app_id, media_source, install_id, event_id, event_name, method, url, body, next_attempt_at, created_at)
     select id, app_id, media_source, install_id, event_id, event_name, method, url, body::jsonb, $10::timestamptz, $10::timestamptz
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       as t(id, app_id, media_source, install_id, event_id, event_name, method, url, body)
     on conflict (app_id, media_source, event_name, install_id, event_id) do nothing
     returning id`,
    [
      col(() => `pbk_${randomBase62(16)}`),
      col((p) => p.app_id),
      col((p) => p.media_source),
      col((p) => p.install_id),
      col((p) => p.event_id),
      col((p) => p.event_name),
      col((p) => p.method),
      col((p) => p.url),
      col((p) => (p.body === null || p.body === undefined ? null : JSON.stringify(p.body))),
      iso(now),
    ],
  );
  return rows.length;
}

/**
 * Takes up to `limit` pending postbacks due at `now` and leases them for `leaseMs` (their
 * next_attempt_at moves to now + leaseMs, so no other worker takes them meanwhile, and they come
 * back by themselves if this worker dies). `for update skip locked` lets two workers on one
 * PostgreSQL claim at once without waiting for or doubling each other; PGlite runs the same SQL.
 */
export async function claimDue(db: Pick<SqlDb, 'query'>, options: { limit: number; now: number; leaseMs: number }): Promise<Postback[]> {
  const { limit, now, leaseMs } = options;
  if (limit <= 0) return [];
  const rows = await db.query<PostbackRow>(
    `update postbacks p set next_attempt_at = $2::timestamptz
     from (
       select id from postbacks
       where status = 'pending' and next_attempt_at <= $1::timestamptz
       order by next_attempt_at, id
       limit $3
       for update skip locked
     ) due
     where p.id = due.id
     returning ${COLUMNS_OF_P}`,
    [iso(now), iso(now + leaseMs), limit],
  );
  return rows.map(toPostback).sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
}

/**
 * Records one attempt's result and decides what follows (deliveryOutcome / retrySchedule of the
 * attribution package): delivered, a retry at `at` + backoff, or failed (not retryable, or the
 * last attempt). Null when the postback moved on meanwhile (its lease expired and another worker
 * recorded this attempt): the late result is dropped rather than logged twice.
 */
export async function recordAttempt(db: SqlDb, input: AttemptInput): Promise<AttemptRecorded | null> {
  const attempt = input.postback.attempts + 1;
  let outcome = deliveryOutcome(input.result);
  const delay = outcome === 'retry' ? retrySchedule(attempt, input.random) : null;
  if (outcome === 'retry' && delay === null) outcome = 'failed';
  const next = delay === null ? null : input.at + delay;
  const statusCode = typeof input.result === 'number' ? input.result : null;
  const error = typeof input.result === 'number' ? null : errorText(input.result, input.detail);
  const status = outcome === 'retry' ? 'pending' : outcome;
  const durationMs = Math.max(0, Math.round(input.duration_ms));

  return db.transaction(async (tx) => {
    const updated = await tx.query(
      `update postbacks set attempts = $3, status = $4::text, next_attempt_at = coalesce($5::timestamptz, next_attempt_at),
         last_status_code = $6, last_error = $7, delivered_at = case when $4::text = 'delivered' then $8::timestamptz else delivered_at end
       where id = $1 and attempts = $2 and status = 'pending' returning id`,
      [input.postback.id, input.postback.attempts, attempt, status, next === null ? null : iso(next), statusCode, error, iso(input.at)],
    );
    if (updated.length === 0) return null;
    await tx.query(
      'insert into postback_attempts (postback_id, attempt, at, status_code, error, duration_ms) values ($1, $2, $3::timestamptz, $4, $5, $6)',
      [input.postback.id, attempt, iso(input.at), statusCode, error, durationMs],
    );
    return { attempt, outcome, next_attempt_at: next };
  });
}

/** Which part of an app's delivery log: by status and by network (media source), a page of it. */
export interface PostbackLogFilter {
  status?: PostbackStatus;
  media_source?: string;
  limit?: number;
  /** rows to skip, newest first (paging) */
  offset?: number;
}

/** The `where` of a log query: the app, then the optional filters, as parameters. */
function logWhere(appId: string, filter: Pick<PostbackLogFilter, 'status' | 'media_source'>): { sql: string; params: unknown[] } {
  const params: unknown[] = [appId];
  const parts = ['app_id = $1'];
  if (filter.status) {
    params.push(filter.status);
    parts.push(`status = $${params.length}`);
  }
  if (filter.media_source) {
    params.push(filter.media_source);
    parts.push(`media_source = $${params.length}`);
  }
  return { sql: parts.join(' and '), params };
}

/** The delivery log of an app: newest first, each with its attempts (oldest first). */
export async function listPostbacks(db: Pick<SqlDb, 'query'>, appId: string, options: PostbackLogFilter = {}): Promise<PostbackLogEntry[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 1000);
  const offset = Math.max(Math.trunc(options.offset ?? 0), 0);
  const where = logWhere(appId, options);
  const n = where.params.length;
  const rows = await db.query<PostbackRow>(
    `select ${COLUMNS} from postbacks where ${where.sql} order by created_at desc, id desc limit $${n + 1} offset $${n + 2}`,
    [...where.params, limit, offset],
  );
  const attempts = await attemptsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...toPostback(r), attempts_log: attempts.get(r.id) ?? [] }));
}

/** How many postbacks of an app are in each status (for one network when given); every status present, 0 included. */
export async function countPostbacksByStatus(
  db: Pick<SqlDb, 'query'>,
  appId: string,
  filter: Pick<PostbackLogFilter, 'media_source'> = {},
): Promise<Record<PostbackStatus, number>> {
  const where = logWhere(appId, filter);
  const rows = await db.query<{ status: PostbackStatus; n: number | string }>(
    `select status, count(*)::int as n from postbacks where ${where.sql} group by status`,
    where.params,
  );
  const counts: Record<PostbackStatus, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** The networks (media sources) that have postbacks in an app's log, for the log's filter. */
export async function postbackMediaSources(db: Pick<SqlDb, 'query'>, appId: string): Promise<string[]> {
  const rows = await db.query<{ media_source: string }>(
    'select distinct media_source from postbacks where app_id = $1 order by media_source',
    [appId],
  );
  return rows.map((r) => r.media_source);
}

/**
 * "Retry now" for a failed postback: pending again and due at `now`, so the next worker pass
 * sends it. Its attempt count stays, so the retry schedule allows one more attempt before it is
 * failed again. Null unless the postback is this app's and failed.
 */
export async function retryFailedPostback(db: Pick<SqlDb, 'query'>, appId: string, id: string, now: number): Promise<Postback | null> {
  const rows = await db.query<PostbackRow>(
    `update postbacks set status = 'pending', next_attempt_at = $3::timestamptz
     where id = $1 and app_id = $2 and status = 'failed' returning ${COLUMNS}`,
    [id, appId, iso(now)],
  );
  return rows[0] ? toPostback(rows[0]) : null;
}

export async function getPostback(db: Pick<SqlDb, 'query'>, id: string): Promise<PostbackLogEntry | null> {
  const rows = await db.query<PostbackRow>(`select ${COLUMNS} from postbacks where id = $1`, [id]);
  if (!rows[0]) return null;
  return { ...toPostback(rows[0]), attempts_log: (await attemptsOf(db, [id])).get(id) ?? [] };
}

/**
 * Stops what is still pending for (app, media_source) — e.g. when its partner is disabled or
 * deleted: marked failed with a reason, never sent. Returns how many.
 */
export async function cancelPendingPostbacks(
  db: Pick<SqlDb, 'query'>,
  appId: string,
  mediaSource: string,
  reason: string,
): Promise<number> {
  const rows = await db.query(
    `update postbacks set status = 'failed', last_error = $3 where app_id = $1 and media_source = $2 and status = 'pending' returning id`,
    [appId, mediaSource, `cancelled: ${clip(reason)}`],
  );
  return rows.length;
}

async function attemptsOf(db: Pick<SqlDb, 'query'>, ids: string[]): Promise<Map<string, PostbackAttempt[]>> {
  const byId = new Map<string, PostbackAttempt[]>();
  if (ids.length === 0) return byId;
  const rows = await db.query<Omit<PostbackAttempt, 'at'> & { postback_id: string; at: Date }>(
    `select postback_id, attempt, at, status_code, error, duration_ms from postback_attempts
     where postback_id = any($1::text[]) order by postback_id, attempt`,
    [ids],
  );
  for (const r of rows) {
    const list = byId.get(r.postback_id) ?? [];
    list.push({ attempt: r.attempt, at: r.at.getTime(), status_code: r.status_code, error: r.error, duration_ms: r.duration_ms });
    byId.set(r.postback_id, list);
  }
  return byId;
}

function errorText(result: 'timeout' | 'network', detail: string | undefined): string {
  return detail ? `${result}: ${clip(detail)}` : result;
}

function clip(text: string): string {
  return clipText(text, MAX_ERROR);
}

function toPostback(row: PostbackRow): Postback {
  return {
    id: row.id,
    app_id: row.app_id,
    media_source: row.media_source,
    install_id: row.install_id,
    event_id: row.event_id,
    event_name: row.event_name,
    method: row.method,
    url: row.url,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at.getTime(),
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: row.created_at.getTime(),
    delivered_at: row.delivered_at ? row.delivered_at.getTime() : null,
  };
}

/** How many postbacks wait for delivery and how long the oldest has waited (operations metrics). */
export async function postbackQueueStats(
  db: Pick<SqlDb, 'query'>,
  now: number,
): Promise<{ pending: number; oldest_pending_age_seconds: number }> {
  const [row] = await db.query<{ pending: number | string; oldest: string | Date | null }>(
    `select count(*)::int as pending, min(created_at) as oldest from postbacks where status = 'pending'`,
  );
  const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
  return {
    pending: Number(row?.pending ?? 0),
    oldest_pending_age_seconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
  };
}
