import type { IngestItem } from '@unmogrowp/schema';
import { EVENT_ROW_PREFIX_LAYOUT, encodeEventRowPrefix, eventFromRowPrefix } from '@unmogrowp/storage';

/**
 * A log frame's payload (what follows its length and CRC), in one of two formats, both read:
 *
 * - v1, written until the third ingest-CPU round of 2026-12-07: `{"s":<seq>,"i":[<items>]}`;
 * - v2, written now: a header line `#2 {"s":<seq>,"r":<row layout>}`, then one line per item.
 *   An event (without a trace) is its `events` row prefix, a JSON array in the layout the header
 *   names (`event-row-prefix.ts` of @unmogrowp/storage); any other item is its JSON object.
 *   The store's insert appends the attribution columns to that same text, so an event is
 *   encoded once between the request and the store, not twice (docs/benchmarks.md).
 *
 * JSON text holds no raw newline, so the lines split safely.
 */
export interface FramePayload {
  seq: number;
  items: IngestItem[];
  /** Per item, its row prefix as the frame holds it; undefined for items written as JSON. */
  rows: (string | undefined)[];
}

const V2 = '#2 ';

export function encodeFramePayload(seq: number, items: readonly IngestItem[]): { text: string; rows: (string | undefined)[] } {
  const lines = new Array<string>(items.length + 1);
  const rows = new Array<string | undefined>(items.length);
  lines[0] = `${V2}{"s":${seq},"r":${EVENT_ROW_PREFIX_LAYOUT}}`;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    // A trace is not a column: an event carrying one keeps its JSON, and so its trace on replay.
    if (item.kind === 'event' && item.trace === undefined) {
      const row = encodeEventRowPrefix(item);
      rows[i] = row;
      lines[i + 1] = row;
    } else {
      lines[i + 1] = JSON.stringify(item);
    }
  }
  return { text: lines.join('\n'), rows };
}

/** The payload's record, or null when it is not one (a frame that passed its CRC but is not ours). Throws on bad JSON. */
export function decodeFramePayload(text: string): FramePayload | null {
  if (text.startsWith('{')) {
    const { s, i } = JSON.parse(text) as { s: number; i: IngestItem[] };
    return Number.isSafeInteger(s) && Array.isArray(i) ? { seq: s, items: i, rows: [] } : null;
  }
  if (!text.startsWith(V2)) return null;
  const lines = text.split('\n');
  const { s, r } = JSON.parse(lines[0]!.slice(V2.length)) as { s: number; r: number };
  if (!Number.isSafeInteger(s)) return null;
  const items: IngestItem[] = [];
  const rows: (string | undefined)[] = [];
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.startsWith('[')) {
      const event = eventFromRowPrefix(JSON.parse(line), r);
      if (!event) return null;
      items.push(event);
      rows.push(line);
    } else if (line.startsWith('{')) {
      items.push(JSON.parse(line) as IngestItem);
      rows.push(undefined);
    } else {
      return null;
    }
  }
  return { seq: s, items, rows };
}
