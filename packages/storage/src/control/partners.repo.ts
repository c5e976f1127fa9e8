import { normalizePartner, type PartnerColumns, type PartnerInput, templateWarnings } from './partner-input.ts';
import type { SqlDb } from './sql-db.ts';

/** A postback partner as the API answers it. */
export interface Partner extends PartnerColumns {
  app_id: string;
  created_at: string;
  updated_at: string;
}

export interface PutPartnerResult {
  partner: Partner;
  /** false when an existing template was replaced */
  created: boolean;
  /** `{names}` in the URL that are not macros (left as written when rendering) */
  unknown_macros: string[];
}

interface PartnerRow extends Omit<Partner, 'created_at' | 'updated_at'> {
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'app_id, media_source, url, method, events, enabled, created_at, updated_at';

/** Creates or replaces the template of (app, media_source); null when the app is unknown or deleted. */
export async function putPartner(
  db: Pick<SqlDb, 'query'>,
  appId: string,
  mediaSource: string,
  input: PartnerInput,
): Promise<PutPartnerResult | null> {
  const c = normalizePartner(mediaSource, input);
  // xmax = 0 only on a freshly inserted row version: tells a create from a replace in one statement.
  const rows = await db.query<PartnerRow & { inserted: boolean }>(
    `insert into partners (app_id, media_source, url, method, events, enabled)
     select a.id, $2, $3, $4, $5::text[], $6 from apps a where a.id = $1 and a.deleted_at is null
     on conflict (app_id, media_source) do update
       set url = excluded.url, method = excluded.method, events = excluded.events, enabled = excluded.enabled, updated_at = now()
     returning ${COLUMNS}, (xmax = 0) as inserted`,
    [appId, c.media_source, c.url, c.method, c.events, c.enabled],
  );
  const row = rows[0];
  if (!row) return null;
  return { partner: toPartner(row), created: row.inserted, unknown_macros: templateWarnings(c.url) };
}

export async function getPartner(db: Pick<SqlDb, 'query'>, appId: string, mediaSource: string): Promise<Partner | null> {
  const rows = await db.query<PartnerRow>(`select ${COLUMNS} from partners where app_id = $1 and media_source = $2`, [appId, mediaSource]);
  return rows[0] ? toPartner(rows[0]) : null;
}

/** The app's partners by media source. */
export async function listPartners(db: Pick<SqlDb, 'query'>, appId: string): Promise<Partner[]> {
  const rows = await db.query<PartnerRow>(`select ${COLUMNS} from partners where app_id = $1 order by media_source`, [appId]);
  return rows.map(toPartner);
}

/**
 * Removes the template; postbacks already in the outbox are not touched (see
 * cancelPendingPostbacks to stop them too). The audit trail keeps what it was.
 */
export async function deletePartner(db: Pick<SqlDb, 'query'>, appId: string, mediaSource: string): Promise<boolean> {
  const rows = await db.query('delete from partners where app_id = $1 and media_source = $2 returning app_id', [appId, mediaSource]);
  return rows.length > 0;
}

function toPartner(row: PartnerRow): Partner {
  return {
    app_id: row.app_id,
    media_source: row.media_source,
    url: row.url,
    method: row.method,
    events: row.events,
    enabled: row.enabled,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
