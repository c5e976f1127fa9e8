import { createHash } from 'node:crypto';
import type { IngestItem } from '@unmogrowp/schema';
import { type JetStreamSettings, subjectOf } from './jetstream-options.ts';
import { partitionOfItem } from './partition.ts';

export interface OutgoingMessage {
  subject: string;
  payload: Buffer;
  msgId: string;
}

/**
 * Splits one append into messages: one per partition (items keep their order), cut further
 * where a message would pass the server's max payload.
 */
export function messagesFor(items: readonly IngestItem[], s: JetStreamSettings, maxPayload: number): OutgoingMessage[] {
  const byPartition = new Map<number, IngestItem[]>();
  for (const item of items) {
    const p = partitionOfItem(item, s.partitions);
    const list = byPartition.get(p);
    if (list) list.push(item);
    else byPartition.set(p, [item]);
  }
  const out: OutgoingMessage[] = [];
  for (const [p, list] of byPartition) encode(subjectOf(s, p), list, maxPayload, out);
  return out;
}

function encode(subject: string, items: IngestItem[], maxPayload: number, out: OutgoingMessage[]): void {
  const payload = Buffer.from(JSON.stringify(items));
  if (payload.length > maxPayload && items.length > 1) {
    const half = items.length >> 1;
    encode(subject, items.slice(0, half), maxPayload, out);
    encode(subject, items.slice(half), maxPayload, out);
    return;
  }
  out.push({ subject, payload, msgId: messageId(items) });
}

/**
 * Derived from the items' ids (unique per app after ingest's dedupe), not random: when a client
 * retries a request whose first publish was stored but not acknowledged in time, the same
 * items give the same id and JetStream stores them once (within the duplicate window).
 */
export function messageId(items: readonly IngestItem[]): string {
  const h = createHash('sha256');
  for (const item of items) h.update(item.app_id).update('\0').update(item.event_id).update('\n');
  return h.digest('base64url').slice(0, 32);
}

/** A message's items; throws when the payload is not ours (someone published on the subject by hand). */
export function decodeItems(data: Uint8Array): IngestItem[] {
  const items: unknown = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  if (!Array.isArray(items)) throw new Error('not an array of items');
  return items as IngestItem[];
}
