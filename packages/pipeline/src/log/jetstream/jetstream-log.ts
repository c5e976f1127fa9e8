import type { EventLog, RecordsHandler } from '../event-log.ts';
import type { JetStreamLogOptions } from './jetstream-options.ts';

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
   * Consumes the given partitions through their durable pull consumers `<prefix>_p<N>`.
   * The caller must be the only consumer of these partitions (worker leases ensure it).
   * Records of one partition reach the handler in order; calls of one handle never overlap
   * (two handles may run at once). A record is acked after the handler resolved for it; a
   * handler that throws gets the same records again (`replayed: true`) after a backoff.
   * Records a previous owner received but never acked (it died) come first, `replayed: true`.
   */
  consumePartitions(partitions: readonly number[], handler: RecordsHandler, options?: ConsumeOptions): PartitionConsumer;
  /** Fresh from the server: per partition, records not yet acked (num_pending + num_ack_pending). */
  pendingByPartition(partitions?: readonly number[]): Promise<Map<number, number>>;
}

export interface ConsumeOptions {
  /** Most items handed to the handler in one call. Default 50 000. */
  maxBatchItems?: number;
  /** Least time between two handler calls while less than a full batch waits. Default 200 ms. */
  minBatchIntervalMs?: number;
  /** Delay before handing records whose handler threw to it again. */
  retryDelayMs?: (attempt: number) => number;
  onError?: (err: unknown, attempt: number) => void;
}

export interface PartitionConsumer {
  readonly partitions: readonly number[];
  /** Records of these partitions not yet acked, fresh from the server. */
  pending(): Promise<number>;
  /** Stops after the current handler call (its records are acked if it succeeds); held records are left for the next owner. */
  stop(): Promise<void>;
}

/** Connects, creates the stream and the partition consumers when missing, and returns the log. */
export async function openJetStreamLog(options: JetStreamLogOptions): Promise<JetStreamLog> {
  void options;
  throw new Error('openJetStreamLog: the implementation lands in the next commit of wip/jetstream');
}
export type { RecordsHandler };
