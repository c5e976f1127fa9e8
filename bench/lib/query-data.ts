/**
 * Synthetic analytics data for bench/queries, generated inside the engine with
 * `INSERT … SELECT … FROM numbers(n)` (no row passes through JS). One app, `DAYS` days from
 * `start`. Device k installs at start + k·span/installs; 1 in 6 devices is organic, the rest
 * spread over five networks × four campaigns × three ad sets; 3 % of installs are rejected,
 * 2 % reinstalls. Events belong to the installed devices in sessions (see GENERATE_EVENTS);
 * a quarter of purchases carry revenue. 2 % of clicks are click_flood.
 */

export interface DataShape {
  app: string;
  start: number;
  days: number;
  installs: number;
  events: number;
  clicks: number;
  impressions: number;
}

const SOURCES = `['meta', 'google', 'tiktok', 'unity', 'applovin']`;
const SPAN = '({days:UInt32} * 86400000)';

/** Source index of device k: 0 organic, 1…5 a network. */
const DEVICE = `
  k % 6 AS s,
  if(s = 0, '', ${SOURCES}[s]) AS src,
  if(s = 0, '', concat('c', toString(intDiv(k, 6) % 4))) AS camp,
  if(s = 0, '', concat('as', toString(intDiv(k, 24) % 3))) AS adset,
  {start:Int64} + intDiv(k * ${SPAN}, {installs:UInt64}) AS install_ms`;

export const GENERATE_INSTALLS = `
INSERT INTO installs (app_id, install_id, event_id, device_id, platform, installed_at, status, match_type,
  media_source, campaign, ad_set, link_id, touch_at, ctit_seconds, fraud_reason, decided_at)
SELECT {app:String}, concat('i', toString(k)), concat('e', toString(k)), concat('d', toString(k)), 'ios',
  fromUnixTimestamp64Milli(install_ms, 'UTC'),
  multiIf(k % 100 < 3, 'rejected', k % 100 < 5, 'reinstall', s = 0, 'organic', 'attributed') AS status,
  if(s = 0, 'none', 'device_id'),
  if(s = 0, 'organic', src), camp, adset, if(s = 0, '', concat('L', toString(s))),
  if(s = 0, NULL, fromUnixTimestamp64Milli(install_ms - 3600000, 'UTC')), if(s = 0, NULL, 3600),
  if(status = 'rejected', 'ctit_too_short', ''), fromUnixTimestamp64Milli(install_ms, 'UTC')
FROM (SELECT number AS k, ${DEVICE} FROM numbers({installs:UInt64}))`;

/**
 * Events n = k + j·installs of device k: j = 0 is its install event; j = 1…9 are three
 * sessions of three events (an open, then two events a minute apart). The first session is
 * on install day, the others 1 day (30 %), 2–7 days (40 %) or 8–29 days (30 %) later, at some
 * hour; times past the span wrap to its start, so every event is inside the month.
 */
export const GENERATE_EVENTS = `
INSERT INTO events (app_id, event_id, type, name, ts, received_at, device_id, platform, revenue, currency, source,
  media_source, campaign, ad_set)
SELECT {app:String}, concat('e', toString(n)),
  multiIf(j = 0, 'install', (j - 1) % 3 = 0, 'open', 'event') AS type,
  if(type = 'event', ['purchase', 'level_up', 'screen'][h % 3 + 1], '') AS name,
  fromUnixTimestamp64Milli(t, 'UTC'), fromUnixTimestamp64Milli(t, 'UTC'), concat('d', toString(k)), 'ios',
  if(name = 'purchase' AND intDiv(h, 3) % 4 = 0, (intDiv(h, 12) % 10000) / 100, 0), 'USD', 'native', src, camp, adset
FROM (
  SELECT number AS n, n % {installs:UInt64} AS k, intDiv(n, {installs:UInt64}) AS j, cityHash64(n) AS h,
    if(j = 0, 0, intDiv(j - 1, 3)) AS session, cityHash64(k, session) AS hs, hs % 100 AS p,
    multiIf(session = 0, 0, p < 30, 1, p < 70, 2 + intDiv(hs, 100) % 6, 8 + intDiv(hs, 1000) % 22) AS day_offset,
    if(session = 0, 120000, intDiv(hs, 7) % 72000000) + ((j + 2) % 3) * 60000 AS in_day,
    ${DEVICE},
    if(j = 0, install_ms,
       {start:Int64} + toInt64(install_ms - {start:Int64} + day_offset * 86400000 + in_day) % ${SPAN}) AS t
  FROM numbers({events:UInt64})
)`;

function touches(table: 'clicks' | 'impressions', fraud: string): string {
  return `
INSERT INTO ${table} (app_id, click_id, link_id, ts, ip, platform, media_source, campaign, ad_set, fraud_reason)
SELECT {app:String}, concat('${table[0]}', toString(n)), concat('L', toString(s)),
  fromUnixTimestamp64Milli({start:Int64} + toInt64(cityHash64(n) % ${SPAN}), 'UTC'),
  concat('10.0.', toString(n % 256), '.', toString(intDiv(n, 256) % 256)), 'ios',
  ${SOURCES}[s], concat('c', toString(intDiv(n, 5) % 4)), concat('as', toString(intDiv(n, 20) % 3)), ${fraud}
FROM (SELECT number AS n, n % 5 + 1 AS s FROM numbers({count:UInt64}))`;
}

export const GENERATE_CLICKS = touches('clicks', `if(n % 50 = 0, 'click_flood', '')`);
export const GENERATE_IMPRESSIONS = touches('impressions', `''`);

/** Spend for every day × network × campaign, as the costs route would import it. */
export function costRows(shape: DataShape): { date: string; media_source: string; campaign: string; cost: number; currency: string }[] {
  const rows = [];
  for (let d = 0; d < shape.days; d++) {
    const date = new Date(shape.start + d * 86_400_000).toISOString().slice(0, 10);
    for (const media_source of ['meta', 'google', 'tiktok', 'unity', 'applovin']) {
      for (let c = 0; c < 4; c++) rows.push({ date, media_source, campaign: `c${c}`, cost: 100 + d + c, currency: 'USD' });
    }
  }
  return rows;
}
