import type { AppEvent, IdentityUpdate, TouchItem } from '@unmogrowp/schema';
import {
  type EventStore,
  type EventTable,
  hourOf,
  type InsertOptions,
  type InstallRow,
  idKey,
  type RollupHours,
  type StoredEvent,
  type TouchRow,
} from '@unmogrowp/storage';
import { type AttributedBatch, type AttributionDeps, attributeBatch, type DecidedInstall } from '../attribution/attribute-batch.ts';
import type { LogRecord, RecordsHandler } from '../log/event-log.ts';

export interface PipelineDeps {
  store: EventStore;
  attribution: AttributionDeps;
  /** Postbacks for the batch's decisions (an idempotent outbox insert). */
  enqueuePostbacks?: (batch: AttributedBatch) => Promise<void>;
  onStored?: (items: number, ms: number) => void;
  onDecisions?: (installs: readonly DecidedInstall[]) => void;
  /**
   * Scale-out: a record may reach the log twice (an ingest killed after its append, before its
   * answer, and the client's retry), so every row is checked against the store, not only rows of
   * records read back after a restart.
   */
  everyRecordMaybeStored?: boolean;
  /**
   * Runs after attribution, before anything is stored, with the look-up of the batch's rows that
   * are stored already; answers what to leave out and how to name the inserts. The worker fixes
   * its insert plan and commits its device state here, fenced (partition-work.ts). Without it
   * the look-up runs and every insert is named by its content.
   */
  beforeStore?: (lookUpStored: () => Promise<StoredIds>) => Promise<StorePlan>;
  /** The batch's clicks and impressions after attribution (with any fraud reason set), for metrics. */
  onTouches?: (touches: readonly TouchItem[]) => void;
  /**
   * Embedded (the only writer of its store): after a batch holding replayed records, the
   * rollups of the hours its rows fall in are made from the raw rows again. A kill between a
   * raw insert and its views' inserts leaves the two disagreeing, and skipping the rows found
   * stored would leave them so for good (rollup-repair.ts). Not for scale-out workers: another
   * worker's insert landing between an hour's delete and its refill would count twice.
   */
  repairRollupsAfterReplay?: boolean;
}

/** Per table, the ids (`idKey`) of the batch's rows found in the store. */
export type StoredIds = Partial<Record<EventTable, ReadonlySet<string>>>;

export interface StorePlan {
  /** Rows left out of the inserts, per table. */
  stored: StoredIds;
  /** Names every insert of the batch for the store's block deduplication (InsertOptions). */
  dedupeToken?: string;
}

/**
 * The pipeline after the durable log: attribute (in log order), then store every table's rows,
 * then enqueue postbacks. Records read back after a crash or re-delivered after a failed attempt
 * may be stored already, so their rows are checked against the store and only missing ids are
 * written: the log is at-least-once, the store exactly-once. Attribution itself is replay-safe
 * (a device's decision is found, not made again), and the outbox ignores a postback it has.
 */
export function processRecords(deps: PipelineDeps): RecordsHandler {
  return async (records: LogRecord[]) => {
    const started = performance.now();
    const ordered: (AppEvent | TouchItem)[] = [];
    const identities: IdentityUpdate[] = [];
    const replayed = new Set<string>();
    // The events' row prefixes the log wrote: the insert completes them (event-row-prefix.ts).
    const prefixes = new Map<object, string>();
    for (const record of records) {
      const rows = record.rows;
      for (let k = 0; k < record.items.length; k++) {
        const item = record.items[k]!;
        if (item.kind === 'identity') identities.push(item);
        else ordered.push(item);
        const row = rows?.[k];
        if (row !== undefined) prefixes.set(item, row);
        if (record.replayed || deps.everyRecordMaybeStored) replayed.add(idKey(item.app_id, item.event_id));
      }
    }
    const attributed = await attributeBatch(ordered, deps.attribution);
    const events = ordered.filter((i): i is StoredEvent => i.kind === 'event');
    const touches = ordered.filter((i): i is TouchItem => i.kind === 'touch');
    const clicks = touches.filter((t) => t.touch === 'click').map(touchRow);
    const impressions = touches.filter((t) => t.touch === 'impression').map(touchRow);
    const installs = attributed.installs.map(installRow);
    const byEventId = (r: { app_id: string; event_id: string }) => r;
    const byClickId = (r: TouchRow) => ({ app_id: r.app_id, event_id: r.click_id });
    const byInstallId = (r: InstallRow) => ({ app_id: r.app_id, event_id: r.install_id });
    const one = <T>(all: T[], id: (row: T) => { app_id: string; event_id: string }) => (replayed.size ? onePerId(all, id) : all);
    const rows = {
      events: one(events, byEventId),
      identities: one(identities, byEventId),
      clicks: one(clicks, byClickId),
      impressions: one(impressions, byClickId),
      installs: one(installs, byInstallId),
      reengagements: one(attributed.reengagements, byEventId),
    };
    const storedOf = async <T>(table: EventTable, list: T[], id: (row: T) => { app_id: string; event_id: string }) => {
      const maybeStored = list.filter((r) => replayed.has(idKey(id(r).app_id, id(r).event_id)));
      return maybeStored.length === 0 ? new Set<string>() : deps.store.existingIds(table, maybeStored.map(id));
    };
    const lookUpStored = async (): Promise<StoredIds> => {
      if (replayed.size === 0) return {};
      const [e, i, c, m, n, r] = await Promise.all([
        storedOf('events', rows.events, byEventId),
        storedOf('identities', rows.identities, byEventId),
        storedOf('clicks', rows.clicks, byClickId),
        storedOf('impressions', rows.impressions, byClickId),
        storedOf('installs', rows.installs, byInstallId),
        storedOf('reengagements', rows.reengagements, byEventId),
      ]);
      return { events: e, identities: i, clicks: c, impressions: m, installs: n, reengagements: r };
    };
    const plan: StorePlan = deps.beforeStore ? await deps.beforeStore(lookUpStored) : { stored: await lookUpStored() };
    const fresh = <T>(table: EventTable, list: T[], id: (row: T) => { app_id: string; event_id: string }) => {
      const stored = plan.stored[table];
      return stored?.size ? list.filter((r) => !stored.has(idKey(id(r).app_id, id(r).event_id))) : list;
    };
    const e = fresh('events', rows.events, byEventId);
    const i = fresh('identities', rows.identities, byEventId);
    const c = fresh('clicks', rows.clicks, byClickId);
    const m = fresh('impressions', rows.impressions, byClickId);
    const n = fresh('installs', rows.installs, byInstallId);
    const r = fresh('reengagements', rows.reengagements, byEventId);
    const named: [InsertOptions] | [] = plan.dedupeToken === undefined ? [] : [{ dedupeToken: plan.dedupeToken }];
    // Touches and installs first: an event is never visible before the install it inherits from.
    if (c.length) await deps.store.insertClicks(c, ...named);
    if (m.length) await deps.store.insertImpressions(m, ...named);
    if (n.length) await deps.store.insertInstalls(n, ...named);
    if (r.length) await deps.store.insertReengagements(r, ...named);
    const eventOptions = prefixes.size > 0 ? { ...named[0], eventRowPrefix: (event: object) => prefixes.get(event) } : named[0];
    if (e.length) await deps.store.insertEvents(e, eventOptions);
    if (i.length) await deps.store.insertIdentities(i, ...named);
    // Every row of the batch, not only the fresh ones: those found stored are the ones whose views may have missed them.
    if (deps.repairRollupsAfterReplay && records.some((r) => r.replayed)) {
      await deps.store.repairRollups(rollupHoursOf(events, [...clicks, ...impressions], installs));
    }
    await deps.enqueuePostbacks?.(attributed);
    // Replayed decisions go out again for their postbacks; only new rows are new decisions.
    const decidedNow = new Set(n.map((row) => row.install_id));
    deps.onDecisions?.(attributed.installs.filter((i) => decidedNow.has(i.install_id)));
    deps.onTouches?.(touches);
    deps.onStored?.(e.length + i.length + c.length + m.length + n.length, performance.now() - started);
  };
}

/** The rollup hours the rows fall in, per app. */
function rollupHoursOf(events: readonly StoredEvent[], touches: readonly TouchRow[], installs: readonly InstallRow[]): RollupHours[] {
  const byApp = new Map<string, Set<number>>();
  const add = (app: string, ms: number) => {
    const hours = byApp.get(app) ?? new Set<number>();
    hours.add(hourOf(ms));
    byApp.set(app, hours);
  };
  for (const e of events) add(e.app_id, e.timestamp);
  for (const t of touches) add(t.app_id, t.ts);
  for (const i of installs) add(i.app_id, i.installed_at);
  return [...byApp].map(([app_id, hours]) => ({ app_id, hours: [...hours] }));
}

/** The first row of each id: a record delivered twice within one batch is stored once. */
function onePerId<T>(rows: T[], id: (row: T) => { app_id: string; event_id: string }): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = idKey(id(r).app_id, id(r).event_id);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function touchRow(t: TouchItem): TouchRow {
  return {
    app_id: t.app_id,
    click_id: t.click_id,
    link_id: t.link_id,
    ts: t.timestamp,
    media_source: t.media_source,
    campaign: t.campaign,
    ad_set: t.ad_set,
    ad: t.ad,
    site_id: t.site_id,
    ip: t.ip,
    user_agent: t.user_agent,
    advertising_id: t.advertising_id,
    platform: t.platform,
    os_version: t.os_version,
    sub1: t.sub1,
    sub2: t.sub2,
    sub3: t.sub3,
    sub4: t.sub4,
    sub5: t.sub5,
    network_click_id: t.network_click_id,
    is_retargeting: t.is_retargeting,
    params: t.params,
    fraud_reason: t.fraud_reason,
    click_window_ms: t.click_window_ms,
    view_window_ms: t.view_window_ms,
  };
}

function installRow(d: DecidedInstall): InstallRow {
  const { winner: _w, ...a } = d.attribution as typeof d.attribution & { winner?: unknown };
  return {
    ...a,
    app_id: d.app_id,
    install_id: d.install_id,
    event_id: d.event_id,
    device_id: d.device_id,
    advertising_id: d.advertising_id,
    platform: d.platform,
    ip: d.ip,
    installed_at: d.installed_at,
    decided_at: d.decided_at,
  };
}
