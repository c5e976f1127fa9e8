import type { AppEvent, EventType, InstallReferrer, Platform, WireSource } from '@unmogrowp/schema';
import { EVENT_PREFIX_COLUMNS, eventAttributionValues, eventPrefixValues, eventValues, type RowEncoder } from './event-rows.ts';
import type { StoredEvent } from './event-store.ts';

/**
 * An event's row for the `events` insert, split where ingest's knowledge ends: the prefix (every
 * column through `source`) is encoded once, when the event log writes the event — the log frame
 * holds it as its text — and the insert appends the attribution columns to that same text
 * instead of encoding the whole row again (docs/benchmarks.md, the ingest profile: the frame's
 * `JSON.stringify` and the row's were two passes over every event).
 *
 * `EVENT_ROW_PREFIX_LAYOUT` names the prefix's columns. A log frame records the layout its rows
 * were written in; change the prefix columns (or their encoding) and bump it, and keep reading
 * the old layout in `eventFromRowPrefix` so frames written before an upgrade still replay.
 */
export const EVENT_ROW_PREFIX_LAYOUT = 1;

/** The prefix as JSON array text; `eventRowLine(prefix, e)` completes it. */
export function encodeEventRowPrefix(e: AppEvent): string {
  return JSON.stringify(eventPrefixValues(e));
}

/** Exactly `JSON.stringify(eventValues(e))`, from the prefix encoded earlier. */
export function eventRowLine(prefix: string, e: StoredEvent): string {
  return `${prefix.slice(0, -1)},${JSON.stringify(eventAttributionValues(e)).slice(1)}`;
}

/** The insert's encoder of event rows: from the prefix where `prefixOf` has one, else whole. */
export function eventRowEncoder(prefixOf?: (e: StoredEvent) => string | undefined): RowEncoder<StoredEvent> {
  if (!prefixOf) return eventValues;
  return (e) => {
    const prefix = prefixOf(e);
    return prefix === undefined ? eventValues(e) : eventRowLine(prefix, e);
  };
}

/**
 * The event a prefix was encoded from, for a log read back after a restart; null when the
 * values are not a prefix of `layout`. Times come back as the whole milliseconds stored, and a
 * revenue that was not finite as 0, as the row holds them. Throws on unparsable JSON inside.
 */
export function eventFromRowPrefix(values: unknown, layout: number): AppEvent | null {
  if (layout !== EVENT_ROW_PREFIX_LAYOUT || !Array.isArray(values) || values.length !== EVENT_PREFIX_COLUMNS) return null;
  const v = values as unknown[];
  // The three numbers are numbers by construction; other values pass as they are, so whatever
  // an event held, it replays into the same row. null is a field the event did not have (JSON
  // writes undefined in an array as null): read back missing.
  if (typeof v[4] !== 'number' || typeof v[5] !== 'number' || typeof v[18] !== 'number') return null;
  const text = v.map((x) => x ?? undefined) as string[];
  const referrer = text[17] ?? '';
  return {
    kind: 'event',
    app_id: text[0]!,
    event_id: text[1]!,
    type: text[2] as EventType,
    name: text[3]!,
    timestamp: v[4] as number,
    received_at: v[5] as number,
    device_id: text[6]!,
    advertising_id: text[7]!,
    platform: text[8] as Platform,
    os_version: text[9]!,
    model: text[10]!,
    app_version: text[11]!,
    locale: text[12]!,
    user_id: text[13]!,
    ip: text[14]!,
    user_agent: text[15]!,
    click_id: text[16]!,
    install_referrer: referrer === '' ? null : (JSON.parse(referrer) as InstallReferrer),
    revenue: v[18] as number,
    currency: text[19]!,
    properties: JSON.parse(text[20] ?? '{}') as Record<string, unknown>,
    source: text[21] as WireSource,
  };
}
