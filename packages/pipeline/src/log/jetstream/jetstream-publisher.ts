import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { JetStreamApiError, type JetStreamClient, type PubAck } from '@nats-io/jetstream';
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

export class StreamFullError extends Error {
  override name = 'StreamFullError';
}

/** Server answers that say the stream refuses more data until consumers catch up. */
const isFull = (err: JetStreamApiError) => /maximum (bytes|messages)|insufficient resources|storage/i.test(err.message);

/**
 * Publishes every message at once and resolves when all are acknowledged. A message whose ack
 * does not come (timeout, no responders during a leader election, a reconnect) is published
 * again with the same Nats-Msg-Id until `deadline`; the server's duplicate window makes that
 * safe. A refusal by the stream itself is final.
 */
export async function publishAll(js: JetStreamClient, messages: readonly OutgoingMessage[], deadline: number): Promise<PubAck[]> {
  return Promise.all(messages.map((m) => publishOne(js, m, deadline)));
}

async function publishOne(js: JetStreamClient, m: OutgoingMessage, deadline: number): Promise<PubAck> {
  for (let attempt = 0; ; attempt++) {
    const timeout = deadline - Date.now();
    if (timeout <= 0) throw new Error('NATS JetStream did not acknowledge in time');
    try {
      return await js.publish(m.subject, m.payload, { msgID: m.msgId, timeout });
    } catch (err) {
      if (err instanceof JetStreamApiError) {
        if (isFull(err)) throw new StreamFullError(`the event stream is full (${err.message}); workers are behind`);
        throw new Error(`NATS JetStream refused the records (${err.message})`);
      }
      if (err instanceof Error && (err.name === 'ClosedConnectionError' || err.name === 'DrainingConnectionError')) {
        throw new Error('the connection to NATS is closed');
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`NATS JetStream did not acknowledge in time (${(err as Error).message})`);
      await sleep(Math.min(left, 25 * 2 ** Math.min(attempt, 5)));
    }
  }
}
