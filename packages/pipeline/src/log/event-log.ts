import type { IngestItem } from '@unmogrowp/schema';

/** One accepted request's items, as the log holds them. */
export interface LogRecord {
  seq: number;
  items: IngestItem[];
  /** true when the record was read back from disk after a restart: it may already be stored */
  replayed: boolean;
  /**
   * Per item, the `events` row prefix the log already encoded it as (file log, frame-payload.ts),
   * for the store to complete instead of encoding the row again; absent or undefined: none.
   */
  rows?: readonly (string | undefined)[];
}

export type RecordsHandler = (records: LogRecord[]) => Promise<void>;

/**
 * The durable log between ingest and the pipeline (docs/architecture.md `EventLog`).
 * Embedded: a local write-ahead log with group commit. Scale-out: NATS JetStream.
 */
export interface EventLog {
  /** Resolves once the items are durable: they survive `kill -9` the next instant. */
  append(items: readonly IngestItem[]): Promise<number>;
  /**
   * Starts the single consumer: records not yet consumed (also those from before a restart),
   * then new ones, in order. A record counts as consumed once the handler resolves for it;
   * a handler that throws gets the same records again after a backoff.
   */
  consume(handler: RecordsHandler): void;
  /** Records appended but not yet consumed (the pipeline lag). */
  pending(): { records: number; bytes: number; oldestAppendedAt: number | null };
  /** Non-null when appends cannot be made durable; ingest must answer 503. */
  unavailableReason(): string | null;
  /** Records appended-but-unconsumed right now, for warming the dedupe index on start. */
  unconsumed(): readonly LogRecord[];
  /** Waits until every appended record is consumed, or the timeout; true when drained. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Stops the consumer after its current batch and closes files. Appends fail afterwards. */
  close(): Promise<void>;
}
