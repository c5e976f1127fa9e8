import { EMPTY_SKAN_SETTINGS, type SkanPostback, type SkanSettings } from '@unmogrowp/attribution';
import type { SqlDb } from './sql-db.ts';

type Db = Pick<SqlDb, 'query'>;

/** The live app whose `apple_app_id` setting is this App Store id; null when none. */
export async function findAppByAppleId(db: Db, appleAppId: string): Promise<string | null> {
  const rows = await db.query<{ id: string }>(
    `select id from apps where deleted_at is null and settings->>'apple_app_id' = $1 order by created_at, created_seq limit 1`,
    [appleAppId],
  );
  return rows[0]?.id ?? null;
}

/** Stores a verified postback; false when this (transaction id, window) was stored before (a replay). */
export async function insertSkanPostback(
  db: Db,
  appId: string,
  p: SkanPostback,
  signer: string,
  raw: unknown,
  receivedAt: Date,
): Promise<boolean> {
  const rows = await db.query(
    `insert into skan_postbacks (app_id, transaction_id, postback_sequence_index, kind, version, signer, ad_network_id,
       source_identifier, source_app_id, source_domain, redownload, fidelity_type, did_win, conversion_value,
       coarse_conversion_value, conversion_type, country_code, received_at, raw)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19::jsonb)
     on conflict (app_id, transaction_id, postback_sequence_index) do nothing
     returning transaction_id`,
    [
      appId,
      p.transaction_id,
      p.postback_sequence_index,
      p.kind,
      p.version,
      signer,
      p.ad_network_id.toLowerCase(),
      p.source_identifier,
      p.source_app_id,
      p.source_domain,
      p.redownload,
      p.fidelity_type,
      p.did_win,
      p.conversion_value,
      p.coarse_conversion_value,
      p.conversion_type,
      p.country_code,
      receivedAt,
      JSON.stringify(raw),
    ],
  );
  return rows.length > 0;
}

export async function insertUnverifiedSkanPostback(
  db: Db,
  appId: string | null,
  reason: string,
  raw: unknown,
  receivedAt: Date,
): Promise<void> {
  await db.query('insert into skan_unverified_postbacks (app_id, reason, received_at, raw) values ($1, $2, $3, $4::jsonb)', [
    appId,
    reason.slice(0, 200),
    receivedAt,
    JSON.stringify(raw),
  ]);
}

/** One group of identical postbacks, counted: the report builder gives them meaning. */
export interface SkanGroup {
  ad_network_id: string;
  source_identifier: string | null;
  window: number;
  redownload: boolean | null;
  did_win: boolean | null;
  conversion_value: number | null;
  coarse_conversion_value: 'low' | 'medium' | 'high' | null;
  count: number;
}

export async function skanGroups(db: Db, appId: string, from: Date, to: Date): Promise<SkanGroup[]> {
  const rows = await db.query<Omit<SkanGroup, 'count'> & { count: string | number }>(
    `select ad_network_id, source_identifier, postback_sequence_index as window, redownload, did_win, conversion_value,
            coarse_conversion_value, count(*) as count
       from skan_postbacks where app_id = $1 and received_at >= $2 and received_at < $3
      group by 1, 2, 3, 4, 5, 6, 7`,
    [appId, from, to],
  );
  return rows.map((r) => ({ ...r, window: Number(r.window), count: Number(r.count) }));
}

export async function unverifiedSkanCounts(db: Db, appId: string, from: Date, to: Date): Promise<Record<string, number>> {
  const rows = await db.query<{ reason: string; count: string | number }>(
    `select reason, count(*) as count from skan_unverified_postbacks where app_id = $1 and received_at >= $2 and received_at < $3 group by reason`,
    [appId, from, to],
  );
  return Object.fromEntries(rows.map((r) => [r.reason, Number(r.count)]));
}

export async function getSkanSettings(db: Db, appId: string): Promise<SkanSettings> {
  const rows = await db.query<{ settings: SkanSettings }>('select settings from skan_settings where app_id = $1', [appId]);
  return rows[0]?.settings ?? EMPTY_SKAN_SETTINGS;
}

/** Replaces the app's SKAN settings (already normalized); false when the app is unknown or deleted. */
export async function putSkanSettings(db: Db, appId: string, settings: SkanSettings): Promise<boolean> {
  const rows = await db.query(
    `insert into skan_settings (app_id, settings)
     select a.id, $2::jsonb from apps a where a.id = $1 and a.deleted_at is null
     on conflict (app_id) do update set settings = excluded.settings, updated_at = now()
     returning app_id`,
    [appId, JSON.stringify(settings)],
  );
  return rows.length > 0;
}
