import { setTimeout as sleep } from 'node:timers/promises';
import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { OutgoingMessage } from './record-messages.ts';

export interface PubAck {
  stream: string;
  seq: number;
  duplicate?: boolean;
}

export class StreamFullError extends Error {
  override name = 'StreamFullError';
}

interface Waiting {
  message: OutgoingMessage;
  deadline: number;
  attempt: number;
  resolve: (ack: PubAck) => void;
  reject: (err: Error) => void;
}

/** Server answers that say the stream refuses more data until consumers catch up. */
const FULL = /maximum (bytes|messages)|insufficient resources|storage/i;
const SWEEP_MS = 50;

/**
 * JetStream publishes with acks matched on one subscription, instead of one request (own
 * inbox entry, timer and promise chain) per message: measured on the 2-core machine, 8–12 µs
 * of CPU per message against 52–64 µs through `js.publish`, which made the client the
 * bottleneck at ~15 messages per 50-event append (docs/benchmarks.md).
 *
 * A message not acknowledged is sent again with the same Nats-Msg-Id (the stream stores it
 * once) after a "no responders" answer (a stream leader election) or a reconnect (the old
 * connection may have lost it), until its deadline; a refusal by the stream is final.
 */
export class AsyncPublisher {
  private readonly inbox = createInbox();
  private readonly waiting = new Map<string, Waiting>();
  private readonly subscription: Subscription;
  private readonly sweep: NodeJS.Timeout;
  private next = 0;

  constructor(private readonly nc: NatsConnection) {
    this.subscription = nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.answer(msg) });
    this.sweep = setInterval(() => this.expire(), SWEEP_MS);
    this.sweep.unref();
  }

  /** Publishes every message at once; resolves when all are acknowledged. */
  publishAll(messages: readonly OutgoingMessage[], deadline: number): Promise<PubAck[]> {
    return Promise.all(
      messages.map((message) => new Promise<PubAck>((resolve, reject) => this.send({ message, deadline, attempt: 0, resolve, reject }))),
    );
  }

  /** After a reconnect: what the old connection may have lost goes out again (same message ids). */
  resendInFlight(): void {
    const inFlight = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of inFlight) this.send(w);
  }

  close(): void {
    clearInterval(this.sweep);
    this.subscription.unsubscribe();
    for (const w of this.waiting.values()) w.reject(new Error('the event log is closing'));
    this.waiting.clear();
  }

  private send(w: Waiting): void {
    const reply = `${this.inbox}.${this.next++}`;
    const h = headers();
    h.set('Nats-Msg-Id', w.message.msgId);
    try {
      this.nc.publish(w.message.subject, w.message.payload, { reply, headers: h });
    } catch (err) {
      w.reject(new Error(`cannot publish to NATS (${(err as Error).message})`));
      return;
    }
    this.waiting.set(reply, w);
  }

  private answer(msg: Msg): void {
    const w = this.waiting.get(msg.subject);
    if (!w) return; // answered before a resend, or expired
    this.waiting.delete(msg.subject);
    if (msg.headers?.hasError) {
      // 503 no responders: no stream leader right now (election, restart). Try again shortly.
      void this.retry(w, `NATS answered ${msg.headers.code} ${msg.headers.description}`);
      return;
    }
    let body: { stream?: string; seq?: number; duplicate?: boolean; error?: { description?: string; err_code?: number } };
    try {
      body = JSON.parse(new TextDecoder().decode(msg.data));
    } catch {
      w.reject(new Error('NATS JetStream answered with an unreadable ack'));
      return;
    }
    if (body.error) {
      const description = body.error.description ?? 'unknown error';
      w.reject(
        FULL.test(description)
          ? new StreamFullError(`the event stream is full (${description}); workers are behind`)
          : new Error(`NATS JetStream refused the records (${description})`),
      );
      return;
    }
    w.resolve({ stream: body.stream ?? '', seq: body.seq ?? 0, duplicate: body.duplicate ?? false });
  }

  private async retry(w: Waiting, why: string): Promise<void> {
    const wait = Math.min(w.deadline - Date.now(), 25 * 2 ** Math.min(w.attempt++, 5));
    if (wait <= 0) {
      w.reject(new Error(`NATS JetStream did not acknowledge in time (${why})`));
      return;
    }
    await sleep(wait);
    this.send(w);
  }

  private expire(): void {
    const now = Date.now();
    for (const [reply, w] of this.waiting) {
      if (w.deadline > now) continue;
      this.waiting.delete(reply);
      w.reject(new Error('NATS JetStream did not acknowledge in time'));
    }
  }
}
