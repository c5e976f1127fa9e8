import type { IngestItem } from '@unmogrowp/schema';

/**
 * Which partition of the event stream an item travels on. Ingest (to publish) and workers (to
 * own partitions) must agree, so this is the one place that decides it; it is a pure function
 * and must never change for a running deployment (a changed rule would split a device's
 * records across two partitions and break their order).
 *
 * The key is the device id for SDK items (events, identity updates), so one device's records
 * stay in order on one partition. Clicks and impressions carry no device id: they are spread
 * by their click id.
 */
export function partitionOf(appId: string, key: string, partitions: number): number {
  // FNV-1a (32 bit) over app id, a separator and the key: fast, no allocation, stable across
  // Node versions and languages (an operator can recompute it in a shell or another service).
  let h = 0x811c9dc5;
  h = fnv(h, appId);
  h = Math.imul(h, 0x01000193) >>> 0; // a zero byte between the two, so ("ab","c") ≠ ("a","bc")
  h = fnv(h, key);
  return h % partitions;
}

function fnv(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    // UTF-16 code units, low and high byte, so every string hashes without encoding it first.
    const c = s.charCodeAt(i);
    h = Math.imul(h ^ (c & 0xff), 0x01000193) >>> 0;
    h = Math.imul(h ^ (c >>> 8), 0x01000193) >>> 0;
  }
  return h;
}

/** The key `partitionOf` is applied to for one item (device id, or click id for touches). */
export function partitionKey(item: IngestItem): string {
  return item.kind === 'touch' ? item.click_id : item.device_id;
}

export function partitionOfItem(item: IngestItem, partitions: number): number {
  return partitionOf(item.app_id, partitionKey(item), partitions);
}
