import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type EventStoreTransport, jsonLines, openChdbTransport } from '@unmogrowp/storage';
import { readSegment } from '../../../pipeline/src/log/segment-reader.ts';

/**
 * After the chaos run's last server is gone: where is each acknowledged id? A count that comes
 * out short says nothing about the cause; this names the ids and the place each one stopped:
 *  - `absent_from_log`: acknowledged, but no log segment holds it (the 202 promised a write that
 *    never reached the disk);
 *  - `in_log_not_consumed`: in the log after the checkpoint (the pipeline had not caught up when
 *    the checks ran: the check, not the store, was early);
 *  - `consumed_not_stored`: in the log at or before the checkpoint, yet no raw row (lost
 *    between the log and the store);
 *  - `stored_with_fraud_reason`: the raw row is there but a fraud rule refused it (the overview
 *    counts valid clicks only).
 * The overview reads rollups for whole hours, so the audit also compares every hour's rollup
 * with the raw rows of that hour: a stored row missing from (or counted twice in) a rollup
 * shows up there.
 */
export type MissingWhere = 'absent_from_log' | 'in_log_not_consumed' | 'consumed_not_stored' | 'stored_with_fraud_reason';

export interface MissingId {
  kind: 'event' | 'click';
  id: string;
  where: MissingWhere;
  /** the log record's seq, when the log holds the id */
  seq?: number;
  fraud_reason?: string;
}

export interface HourDifference {
  hour: string;
  raw_events: number;
  rollup_events: number;
  raw_clicks: number;
  rollup_clicks: number;
}

export interface ChaosAudit {
  /** `first_seq` > 1: older segments were consumed and removed, so an id absent from the log may have been in them. */
  log: { checkpoint: number; first_seq: number; last_seq: number; records: number; segments: string[] };
  raw: { events: number; clicks: number; valid_clicks: number; events_stored_twice: number; clicks_stored_twice: number };
  rollups: { events: number; clicks: number };
  missing: MissingId[];
  rollup_hours_differing: HourDifference[];
}

export interface AckedIds {
  events: ReadonlySet<string>;
  clicks: ReadonlySet<string>;
}

/** Reads `dataDir` (no server may hold it): the log's segments and checkpoint, and the chDB tables of `appId`. */
export async function auditChaosDataDir(dataDir: string, appId: string, acked: AckedIds): Promise<ChaosAudit> {
  const log = await readLog(path.join(dataDir, 'log'));
  const transport = await openChdbTransport(path.join(dataDir, 'events'));
  try {
    const rows = <T>(sql: string) => transport.query(sql, { app: appId }, 'JSONEachRow').then((t) => jsonLines<T>(t));
    const events = await rows<{ id: string; n: string }>(
      `SELECT event_id AS id, count() AS n FROM events WHERE app_id = {app:String} GROUP BY id`,
    );
    const clicks = await rows<{ id: string; n: string; fraud: string }>(
      `SELECT click_id AS id, count() AS n, any(fraud_reason) AS fraud FROM clicks WHERE app_id = {app:String} GROUP BY id`,
    );
    const storedEvents = new Set(events.map((r) => r.id));
    const fraudOf = new Map(clicks.map((r) => [r.id, r.fraud]));
    const missing: MissingId[] = [];
    const place = (kind: MissingId['kind'], id: string): MissingId => {
      const seq = log.seqOf.get(id);
      if (seq === undefined) return { kind, id, where: 'absent_from_log' };
      return { kind, id, seq, where: seq > log.checkpoint ? 'in_log_not_consumed' : 'consumed_not_stored' };
    };
    for (const id of acked.events) if (!storedEvents.has(id)) missing.push(place('event', id));
    for (const id of acked.clicks) {
      const fraud = fraudOf.get(id);
      if (fraud === undefined) missing.push(place('click', id));
      else if (fraud !== '') missing.push({ kind: 'click', id, where: 'stored_with_fraud_reason', fraud_reason: fraud });
    }
    const differing = await hoursDiffering(transport, appId);
    const sum = (list: { n: string }[]) => list.reduce((s, r) => s + Number(r.n), 0);
    return {
      log: { checkpoint: log.checkpoint, first_seq: log.firstSeq, last_seq: log.lastSeq, records: log.records, segments: log.segments },
      raw: {
        events: sum(events),
        clicks: sum(clicks),
        valid_clicks: sum(clicks.filter((r) => r.fraud === '')),
        events_stored_twice: events.filter((r) => Number(r.n) > 1).length,
        clicks_stored_twice: clicks.filter((r) => Number(r.n) > 1).length,
      },
      rollups: differing.totals,
      missing,
      rollup_hours_differing: differing.hours,
    };
  } finally {
    await transport.close();
  }
}

/** Failures the audit found, one line each (empty when every acknowledged id is stored and every rollup hour equals its raw rows). */
export function auditFailures(audit: ChaosAudit): string[] {
  const f: string[] = [];
  const byWhere = new Map<string, MissingId[]>();
  for (const m of audit.missing) byWhere.set(`${m.kind} ${m.where}`, [...(byWhere.get(`${m.kind} ${m.where}`) ?? []), m]);
  for (const [key, list] of byWhere) {
    const shown = list
      .slice(0, 20)
      .map((m) => `${m.id}${m.seq !== undefined ? `@${m.seq}` : ''}${m.fraud_reason ? `(${m.fraud_reason})` : ''}`);
    f.push(`acknowledged ${key}: ${list.length} [${shown.join(', ')}${list.length > 20 ? ', …' : ''}]`);
  }
  if (audit.raw.events_stored_twice > 0) f.push(`raw: ${audit.raw.events_stored_twice} event ids stored twice`);
  if (audit.raw.clicks_stored_twice > 0) f.push(`raw: ${audit.raw.clicks_stored_twice} click ids stored twice`);
  for (const h of audit.rollup_hours_differing) {
    f.push(
      `rollup hour ${h.hour} differs from its raw rows: events ${h.rollup_events} rolled up vs ${h.raw_events} stored, valid clicks ${h.rollup_clicks} vs ${h.raw_clicks}`,
    );
  }
  return f;
}

async function hoursDiffering(transport: EventStoreTransport, appId: string) {
  const q = async (sql: string) =>
    new Map(
      jsonLines<{ h: string; e: string; c: string }>(await transport.query(sql, { app: appId }, 'JSONEachRow')).map((r) => [
        r.h,
        { e: Number(r.e), c: Number(r.c) },
      ]),
    );
  const rollup = await q(
    `SELECT toString(hour) AS h, sum(events) AS e, sum(clicks) AS c FROM traffic_hourly WHERE app_id = {app:String} GROUP BY h`,
  );
  const raw = await q(`
    SELECT h, sum(e) AS e, sum(c) AS c FROM (
      SELECT toString(toStartOfHour(ts)) AS h, count() AS e, 0 AS c FROM events WHERE app_id = {app:String} GROUP BY h
      UNION ALL
      SELECT toString(toStartOfHour(ts)) AS h, 0 AS e, count() AS c FROM clicks WHERE app_id = {app:String} AND fraud_reason = '' GROUP BY h
    ) GROUP BY h`);
  const hours: HourDifference[] = [];
  const totals = { events: 0, clicks: 0 };
  for (const h of new Set([...rollup.keys(), ...raw.keys()])) {
    const r = rollup.get(h) ?? { e: 0, c: 0 };
    const s = raw.get(h) ?? { e: 0, c: 0 };
    totals.events += r.e;
    totals.clicks += r.c;
    if (r.e !== s.e || r.c !== s.c) hours.push({ hour: h, raw_events: s.e, rollup_events: r.e, raw_clicks: s.c, rollup_clicks: r.c });
  }
  return { hours, totals };
}

/** Every id in every segment (read only: nothing is cut or quarantined), and the checkpoint. */
async function readLog(dir: string) {
  const seqOf = new Map<string, number>();
  let checkpoint = 0;
  try {
    checkpoint = Number(JSON.parse(await readFile(path.join(dir, 'checkpoint'), 'utf8')).seq);
  } catch {}
  const segments = (await readdir(dir)).filter((f) => f.endsWith('.seg')).sort();
  let lastSeq = 0;
  let firstSeq = 0;
  let records = 0;
  for (const file of segments) {
    for (const frame of readSegment(await readFile(path.join(dir, file))).frames) {
      records++;
      if (firstSeq === 0) firstSeq = frame.seq;
      lastSeq = Math.max(lastSeq, frame.seq);
      for (const item of frame.items) if (!seqOf.has(item.event_id)) seqOf.set(item.event_id, frame.seq);
    }
  }
  return { seqOf, checkpoint, firstSeq, lastSeq, records, segments };
}
