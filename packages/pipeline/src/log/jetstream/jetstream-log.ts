import { setTimeout as sleep } from 'node:timers/promises';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import type { IngestItem } from '@unmogrowp/schema';
import type { EventLog, LogRecord, RecordsHandler } from '../event-log.ts';
import { LogUnavailableError } from '../file-log.ts';
import { AsyncPublisher } from './async-publisher.ts';
import { consumerOf, type JetStreamLogOptions, type JetStreamSettings, jetStreamSettings, subjectOf } from './jetstream-options.ts';
import { ensureConsumer, ensureStream } from './jetstream-setup.ts';
import { PartitionConsumerLoop } from './partition-consumer.ts';
import { decodeItems, messagesFor } from './record-messages.ts';
import { StreamBacklog } from './stream-backlog.ts';

export type { JetStreamLogOptions } from './jetstream-options.ts';
export { partitionKey, partitionOf, partitionOfItem } from './partition.ts';

/**
 * The scale-out EventLog on NATS JetStream (docs: packages/pipeline/README.md).
 *
 * `append(items)` splits the items by partition (`partitionOfItem`), publishes one message per
 * partition, all in flight at once, and resolves once JetStream acknowledged every one of them.
 * Each message carries a Nats-Msg-Id derived from its items' ids, so a re-publish of the same
 * items inside the duplicate window is stored once. A full stream, a lost connection or an ack
 * slower than `appendTimeoutMs` rejects the append (`LogUnavailableError`) and
 * `unavailableReason()` says why for a moment, so ingest answers 503 + Retry-After.
 *
 * `consume(handler)` consumes every partition (the single-process `all` role);
 * `consumePartitions` the ones a worker owns.
 */
export interface JetStreamLog extends EventLog {
  readonly partitions: number;
  /**
   * This stream's name and creation time: stream sequences restart in a stream created again
   * under the same name, so whatever is named by sequences (insert plans) carries this too.
   */
  readonly identity: string;
  /** `consume` of EventLog, over every partition; options as for `consumePartitions`. */
  consume(handler: RecordsHandler, options?: ConsumeOptions): void;
  /**
   * Consumes the given partitions through their durable pull consumers `<prefix>_p<N>`.
   * The caller must be the only consumer of these partitions (worker leases ensure it).
   * Records of one partition reach the handler in order; calls of one handle never overlap
   * (two handles may run at once). A record is acked after the handler resolved for it; a
   * handler that throws gets the same records again (`replayed: true`) after a backoff.
   * Records a previous owner received but never acked (it died) come first, `replayed: true`.
   */
  consumePartitions(partitions: readonly number[], handler: RecordsHandler, options?: ConsumeOptions): PartitionConsumer;
  /**
   * Records of one partition by stream sequence, read from the stream without consuming them
   * (a worker redoing a former holder's batch, partition-work.ts). `null` for a sequence the
   * stream no longer holds (acknowledged, or past the stream's age).
   */
  readRecords(partition: number, seqs: readonly number[]): Promise<(LogRecord | null)[]>;
  /** Fresh from the server: per partition, records not yet acked (num_pending + num_ack_pending). */
  pendingByPartition(partitions?: readonly number[]): Promise<Map<number, number>>;
  /** Fresh from the server: per partition, its durable consumer's name and its two pending counts (for metrics). */
  consumerStates(partitions?: readonly number[]): Promise<ConsumerState[]>;
  /** `pending()` of EventLog answers from the last refresh (sync callers); this one asks the server now. */
  refreshPending(): Promise<ReturnType<EventLog['pending']>>;
}

export interface ConsumerState {
  partition: number;
  consumer: string;
  /** In the stream, not yet delivered to the consumer. */
  num_pending: number;
  /** Delivered, not yet acknowledged. */
  num_ack_pending: number;
}

export interface ConsumeOptions {
  /** Most items handed to the handler in one call. Default 50 000. */
  maxBatchItems?: number;
  /** Least time between two handler calls while less than a full batch waits, growing to the maximum after large batches (batch-pacing.ts). Defaults 200 ms and 1 s. */
  minBatchIntervalMs?: number;
  maxBatchIntervalMs?: number;
  /** Delay before handing records whose handler threw to it again. */
  retryDelayMs?: (attempt: number) => number;
  onError?: (err: unknown, attempt: number) => void;
  /** After each handled batch: its items, its oldest record's age when the handler started (publish → handler), the handler's time. */
  onBatch?: (batch: HandledBatch) => void;
}

export interface HandledBatch {
  items: number;
  queuedMs: number;
  ms: number;
}

export interface PartitionConsumer {
  readonly partitions: readonly number[];
  /** Records of these partitions not yet acked, fresh from the server. */
  pending(): Promise<number>;
  /** Stops after the current handler call (its records are acked if it succeeds); held records are left for the next owner. */
  stop(): Promise<void>;
}

/** Connects, creates the stream and the partition consumers when missing, and returns the log. */
export async function openJetStreamLog(
  options: JetStreamLogOptions & {
    /** An open connection to use instead of connecting to `servers`; the log then leaves it open on close. */
    connection?: NatsConnection;
  },
): Promise<JetStreamLog> {
  const settings = jetStreamSettings(options);
  const consumeDefaults: ConsumeOptions = {
    maxBatchItems: options.maxBatchItems,
    minBatchIntervalMs: options.minBatchIntervalMs,
    maxBatchIntervalMs: options.maxBatchIntervalMs,
    retryDelayMs: options.retryDelayMs,
    onError: options.onConsumerError,
  };
  if (options.connection) return setUp(options.connection, settings, consumeDefaults, false);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: settings.servers,
      name: settings.name,
      timeout: settings.connectTimeoutMs,
      // Keep trying for ever: a NATS restart or a cluster failover must not end the process.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
  } catch (err) {
    throw new Error(`cannot connect to NATS at ${settings.servers.join(',')} (${(err as Error).message})`);
  }
  return setUp(nc, settings, consumeDefaults, true);
}

async function setUp(nc: NatsConnection, settings: JetStreamSettings, consumeDefaults: ConsumeOptions, ownsConnection: boolean) {
  try {
    const jsm = await jetstreamManager(nc, { timeout: settings.connectTimeoutMs });
    await ensureStream(jsm, settings);
    await Promise.all(Array.from({ length: settings.partitions }, (_, p) => ensureConsumer(jsm, settings, p)));
    const js = jetstream(nc, { timeout: settings.appendTimeoutMs });
    const identity = `${settings.stream}@${(await jsm.streams.info(settings.stream)).created}`;
    const log = new NatsEventLog(nc, jsm, js, settings, consumeDefaults, ownsConnection, identity);
    await log.refreshPending();
    return log;
  } catch (err) {
    if (ownsConnection) await nc.close().catch(() => {});
    throw err instanceof Error && err.message.startsWith('JetStream log:')
      ? err
      : new Error(`NATS at ${settings.servers.join(',')} has no usable JetStream (${(err as Error).message})`);
  }
}

/** How long a refused append keeps `unavailableReason()` set, so ingest refuses early instead of timing out. */
const FAILURE_COOLDOWN_MS = 1_000;

class NatsEventLog implements JetStreamLog {
  readonly partitions: number;
  private disconnected: string | null = null;
  private failure: { reason: string; until: number } | null = null;
  private closing = false;
  private inFlight = 0;
  private readonly consumers = new Set<PartitionConsumerLoop>();
  private readonly owned = new Set<number>();
  private readonly backlog: StreamBacklog;
  private readonly publisher: AsyncPublisher;
  private readonly statusEvents: AsyncIterable<Status>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly settings: JetStreamSettings,
    private readonly consumeDefaults: ConsumeOptions,
    private readonly ownsConnection: boolean,
    readonly identity: string,
  ) {
    this.partitions = settings.partitions;
    this.backlog = new StreamBacklog(jsm, settings);
    this.publisher = new AsyncPublisher(nc);
    this.statusEvents = nc.status();
    void this.watchStatus();
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.statusEvents) {
      if (s.type === 'disconnect') this.disconnected = `lost the connection to NATS (${s.server}); reconnecting`;
      else if (s.type === 'reconnect') {
        this.disconnected = null;
        this.publisher.resendInFlight();
      } else if (s.type === 'close') this.disconnected = 'the connection to NATS is closed';
    }
  }

  async append(items: readonly IngestItem[]): Promise<number> {
    const refused = this.unavailableReason();
    if (refused) throw new LogUnavailableError(refused);
    if (items.length === 0) return 0;
    const messages = messagesFor(items, this.settings, maxPayload(this.nc));
    const full = this.backlog.reserve(messages.reduce((n, m) => n + m.payload.length, 0));
    if (full) {
      this.failure = { reason: full, until: Date.now() + FAILURE_COOLDOWN_MS };
      throw new LogUnavailableError(full);
    }
    this.inFlight++;
    try {
      const acks = await this.publisher.publishAll(messages, Date.now() + this.settings.appendTimeoutMs);
      return acks.reduce((max, a) => Math.max(max, a.seq), 0);
    } catch (err) {
      const reason = (err as Error).message;
      if (!this.closing) this.failure = { reason, until: Date.now() + FAILURE_COOLDOWN_MS };
      throw new LogUnavailableError(reason);
    } finally {
      this.inFlight--;
    }
  }

  consume(handler: RecordsHandler, options?: ConsumeOptions): void {
    this.consumePartitions(
      Array.from({ length: this.partitions }, (_, p) => p),
      handler,
      options,
    );
  }

  consumePartitions(partitions: readonly number[], handler: RecordsHandler, options?: ConsumeOptions): PartitionConsumer {
    if (this.closing) throw new LogUnavailableError('the event log is closing');
    for (const p of partitions) {
      if (!Number.isInteger(p) || p < 0 || p >= this.partitions) throw new RangeError(`no partition ${p} (0 … ${this.partitions - 1})`);
      if (this.owned.has(p)) throw new Error(`partition ${p} is consumed here already`);
    }
    for (const p of partitions) this.owned.add(p);
    const loop = new PartitionConsumerLoop(
      { js: this.js, jsm: this.jsm, settings: this.settings, pendingOf: (ps) => this.pendingByPartition(ps) },
      partitions,
      handler,
      { ...this.consumeDefaults, ...definedOnly(options) },
    );
    this.consumers.add(loop);
    const stop = async () => {
      await loop.stop();
      this.consumers.delete(loop);
      for (const p of partitions) this.owned.delete(p);
    };
    return { partitions: loop.partitions, pending: () => loop.pending(), stop };
  }

  async readRecords(partition: number, seqs: readonly number[]): Promise<(LogRecord | null)[]> {
    const subject = subjectOf(this.settings, partition);
    const read = async (seq: number): Promise<LogRecord | null> => {
      // null when the stream has no such message (the client maps "no message found").
      const stored = await this.jsm.streams.getMessage(this.settings.stream, { seq });
      if (stored === null) return null;
      if (stored.subject !== subject) throw new Error(`event log: record ${seq} is on ${stored.subject}, not partition ${partition}`);
      return { seq, items: decodeItems(stored.data), replayed: true };
    };
    const out: (LogRecord | null)[] = [];
    // A few hundred requests in flight at most: a batch can hold thousands of records.
    for (let i = 0; i < seqs.length; i += 256) out.push(...(await Promise.all(seqs.slice(i, i + 256).map(read))));
    return out;
  }

  async pendingByPartition(partitions?: readonly number[]): Promise<Map<number, number>> {
    const states = await this.consumerStates(partitions);
    return new Map(states.map((s) => [s.partition, s.num_pending + s.num_ack_pending]));
  }

  async consumerStates(partitions?: readonly number[]): Promise<ConsumerState[]> {
    const list = partitions ?? Array.from({ length: this.partitions }, (_, p) => p);
    const infos = await Promise.all(list.map((p) => this.jsm.consumers.info(this.settings.stream, consumerOf(this.settings, p))));
    return list.map((partition, i) => ({
      partition,
      consumer: infos[i]!.name,
      num_pending: infos[i]!.num_pending,
      num_ack_pending: infos[i]!.num_ack_pending,
    }));
  }

  /** The stream's backlog (records not yet acked by any partition), at most ~250 ms old: callers are synchronous. */
  pending() {
    return this.backlog.current();
  }

  refreshPending() {
    return this.backlog.refresh();
  }

  unavailableReason(): string | null {
    if (this.closing) return 'the event log is closing';
    if (this.disconnected) return this.disconnected;
    if (this.failure && Date.now() < this.failure.until) return this.failure.reason;
    return null;
  }

  /** Shared by every ingest process, a scale-out deployment's dedupe state lives in Redis instead. */
  unconsumed(): readonly LogRecord[] {
    return [];
  }

  /** Waits for this process's appends in flight and, when it consumes, until its partitions hold nothing unacked. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.inFlight === 0 && (await this.consumedPartitionsEmpty())) return true;
      await sleep(50);
    }
    return false;
  }

  private async consumedPartitionsEmpty(): Promise<boolean> {
    if (this.consumers.size === 0) return true;
    if ([...this.consumers].some((c) => c.active())) return false;
    try {
      for (const n of (await this.pendingByPartition([...this.owned])).values()) if (n > 0) return false;
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const deadline = Date.now() + this.settings.appendTimeoutMs;
    while (this.inFlight > 0 && Date.now() < deadline) await sleep(10);
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
    (this.statusEvents as { stop?: () => void }).stop?.();
    this.publisher.close();
    if (this.ownsConnection) await this.nc.close().catch(() => {});
  }
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function maxPayload(nc: NatsConnection): number {
  // Leave room for headers (Nats-Msg-Id) and the protocol line.
  return Math.max(1024, (nc.info?.max_payload ?? 1024 * 1024) - 4096);
}

export type { RecordsHandler };
