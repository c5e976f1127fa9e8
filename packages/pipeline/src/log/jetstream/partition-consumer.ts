import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { IngestItem } from '@unmogrowp/schema';
import { type BatchPacing, batchIntervalMs, batchPacing } from '../batch-pacing.ts';
import type { LogRecord, RecordsHandler } from '../event-log.ts';
import type { ConsumeOptions, PartitionConsumer } from './jetstream-log.ts';
import { consumerOf, type JetStreamSettings } from './jetstream-options.ts';
import { takeOverPartition } from './jetstream-setup.ts';
import { decodeItems } from './record-messages.ts';

interface Held {
  msg: JsMsg;
  record: LogRecord;
}

interface PartitionState {
  partition: number;
  queue: Held[];
  /** Highest stream sequence handled and acked here: a late re-delivery of it is acked and dropped. */
  done: number;
  /** Highest stream sequence queued: a re-delivery of a queued record is dropped (the queued copy gets acked). */
  queuedMax: number;
  replayUpTo: number;
  messages: ConsumerMessages | null;
}

export interface PartitionConsumerDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  settings: JetStreamSettings;
  pendingOf: (partitions: readonly number[]) => Promise<Map<number, number>>;
}

/**
 * Consumes a set of partitions: one pull subscription per partition feeds a queue per
 * partition; one loop hands prefixes of those queues to the handler (so each partition's
 * records stay in order and handler calls never overlap), then acks what it handled.
 * Held records are kept alive with progress acks, so JetStream re-delivers only what a dead
 * process held.
 */
export class PartitionConsumerLoop implements PartitionConsumer {
  readonly partitions: readonly number[];
  private readonly states: PartitionState[];
  private stopping = false;
  private wake: (() => void) | null = null;
  private readonly stopSignal = new AbortController();
  private readonly loop: Promise<void>;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxBatchItems: number;
  private readonly pacing: BatchPacing;
  private rotate = 0;
  private busy = false;

  constructor(
    private readonly deps: PartitionConsumerDeps,
    partitions: readonly number[],
    private readonly handler: RecordsHandler,
    private readonly options: ConsumeOptions = {},
  ) {
    this.partitions = [...partitions];
    this.states = this.partitions.map((partition) => ({ partition, queue: [], done: 0, queuedMax: 0, replayUpTo: 0, messages: null }));
    this.maxBatchItems = options.maxBatchItems ?? 50_000;
    this.pacing = batchPacing(options);
    this.heartbeat = setInterval(() => this.keepAlive(), Math.max(500, deps.settings.ackWaitMs / 3));
    this.heartbeat.unref();
    this.loop = this.run();
  }

  /** Records held here (received, not yet acked). */
  held(): number {
    let n = 0;
    for (const s of this.states) n += s.queue.length;
    return n;
  }

  /** True while the handler runs or records wait for it. */
  active(): boolean {
    return this.busy || this.held() > 0;
  }

  oldestHeldAt(): number | null {
    let oldest: number | null = null;
    for (const s of this.states) {
      const first = s.queue[0];
      if (first) {
        const at = first.msg.time.getTime();
        oldest = oldest === null ? at : Math.min(oldest, at);
      }
    }
    return oldest;
  }

  async pending(): Promise<number> {
    let n = 0;
    for (const v of (await this.deps.pendingOf(this.partitions)).values()) n += v;
    return n;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    this.wake?.();
    await this.loop;
    clearInterval(this.heartbeat);
    // Held records stay unacked: the next owner of the partition takes them over.
    await Promise.all(this.states.map((s) => s.messages?.close().catch(() => {})));
  }

  private async run(): Promise<void> {
    try {
      await Promise.all(this.states.map((s) => this.subscribe(s)));
    } catch (err) {
      this.options.onError?.(err, 0);
      // Retry the subscription until stopped: NATS may be restarting.
      while (!this.stopping) {
        await sleep(1000, undefined, { signal: this.stopSignal.signal }).catch(() => {});
        if (this.stopping) return;
        try {
          await Promise.all(this.states.filter((s) => !s.messages).map((s) => this.subscribe(s)));
          break;
        } catch (again) {
          this.options.onError?.(again, 0);
        }
      }
    }
    await this.handleLoop();
  }

  private async subscribe(s: PartitionState): Promise<void> {
    if (this.stopping) return;
    const { replayUpTo } = await takeOverPartition(this.deps.jsm, this.deps.settings, s.partition);
    s.replayUpTo = replayUpTo;
    const consumer = await this.deps.js.consumers.get(this.deps.settings.stream, consumerOf(this.deps.settings, s.partition));
    const messages = await consumer.consume({ max_messages: Math.min(this.deps.settings.maxAckPending, 256) });
    s.messages = messages;
    void (async () => {
      try {
        for await (const msg of messages) this.receive(s, msg);
      } catch (err) {
        if (!this.stopping) this.options.onError?.(err, 0);
      }
    })();
  }

  private receive(s: PartitionState, msg: JsMsg): void {
    const seq = msg.seq;
    if (seq <= s.done) {
      quietly(() => msg.ack());
      return;
    }
    if (seq <= s.queuedMax) return;
    let items: IngestItem[];
    try {
      items = decodeItems(msg.data);
    } catch (err) {
      // Not ours (someone published on the subject by hand): it can never be handled.
      quietly(() => msg.term(`undecodable record: ${(err as Error).message}`));
      this.options.onError?.(new Error(`event log: dropped undecodable record ${seq} on partition ${s.partition}`), 0);
      return;
    }
    s.queue.push({ msg, record: { seq, items, replayed: msg.redelivered || seq <= s.replayUpTo } });
    s.queuedMax = seq;
    this.wake?.();
  }

  private async handleLoop(): Promise<void> {
    let lastStart = 0;
    let lastItems = 0;
    let attempt = 0;
    let batch: Held[] = [];
    while (!this.stopping) {
      if (batch.length === 0) {
        if (this.held() === 0) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          continue;
        }
        const wait = lastStart + batchIntervalMs(lastItems, this.pacing) - Date.now();
        if (wait > 0 && this.queuedItems() < this.maxBatchItems) {
          await sleep(wait, undefined, { signal: this.stopSignal.signal }).catch(() => {});
          if (this.stopping) break;
        }
        batch = this.takeBatch();
        lastItems = batch.reduce((n, h) => n + h.record.items.length, 0);
      }
      lastStart = Date.now();
      this.busy = true;
      const queuedMs = lastStart - oldestOf(batch);
      try {
        await this.handler(batch.map((h) => h.record));
      } catch (err) {
        attempt++;
        // Part of the batch may be stored already: mark it so the store step filters what is there.
        for (const h of batch) h.record.replayed = true;
        this.options.onError?.(err, attempt);
        const delay = this.options.retryDelayMs?.(attempt) ?? Math.min(30_000, 100 * 2 ** attempt);
        await sleep(delay, undefined, { signal: this.stopSignal.signal }).catch(() => {});
        continue;
      } finally {
        this.busy = false;
      }
      attempt = 0;
      this.ackBatch(batch);
      this.options.onBatch?.({ items: itemsOf(batch), queuedMs, ms: Date.now() - lastStart });
      batch = [];
    }
  }

  private queuedItems(): number {
    let n = 0;
    for (const s of this.states) for (const h of s.queue) n += h.record.items.length;
    return n;
  }

  /** Prefixes of the partitions' queues, up to maxBatchItems; the first partition rotates so none starves. */
  private takeBatch(): Held[] {
    const batch: Held[] = [];
    let items = 0;
    const n = this.states.length;
    this.rotate = (this.rotate + 1) % n;
    for (let k = 0; k < n; k++) {
      const s = this.states[(this.rotate + k) % n]!;
      for (const h of s.queue) {
        if (batch.length > 0 && items + h.record.items.length > this.maxBatchItems) return batch;
        batch.push(h);
        items += h.record.items.length;
      }
    }
    return batch;
  }

  private ackBatch(batch: Held[]): void {
    const handled = new Set(batch);
    for (const s of this.states) {
      let cut = 0;
      while (cut < s.queue.length && handled.has(s.queue[cut]!)) {
        const h = s.queue[cut]!;
        quietly(() => h.msg.ack());
        s.done = h.record.seq;
        cut++;
      }
      if (cut > 0) s.queue.splice(0, cut);
    }
  }

  private keepAlive(): void {
    for (const s of this.states) for (const h of s.queue) quietly(() => h.msg.working());
  }
}

/** A batch holds prefixes of its partitions' queues in stream order, so the first record of each partition is its oldest. */
function oldestOf(batch: readonly Held[]): number {
  let oldest = Number.POSITIVE_INFINITY;
  let partitionSubject = '';
  for (const h of batch) {
    if (h.msg.subject === partitionSubject) continue;
    partitionSubject = h.msg.subject;
    oldest = Math.min(oldest, h.msg.time.getTime());
  }
  return oldest;
}

function itemsOf(batch: readonly Held[]): number {
  let n = 0;
  for (const h of batch) n += h.record.items.length;
  return n;
}

/**
 * Acks are fire-and-forget: one that cannot be sent (the connection just closed) only means
 * JetStream delivers that record again, marked as a re-delivery, which the store filters.
 */
function quietly(send: () => void): void {
  try {
    send();
  } catch {
    // see above
  }
}
