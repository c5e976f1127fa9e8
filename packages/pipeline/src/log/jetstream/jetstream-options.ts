/**
 * Settings of the JetStream event log, with their defaults. Names on the server derive from
 * `prefix`, so two deployments (or two test runs) can share one NATS server:
 *
 * - stream `<prefix>_events`, subjects `<prefix>.events.<partition>` (0 … partitions-1)
 * - one durable pull consumer per partition, `<prefix>_p<partition>`, filtered on its subject
 */
export interface JetStreamLogOptions {
  /** NATS server URL(s), e.g. `nats://127.0.0.1:4222`; several for a cluster (any one is enough to connect). */
  servers: string | string[];
  /** Prefix of the stream, subjects and consumers (`NATS_PREFIX`); letters, digits, `_` and `-`. Default `unmogrowp`. */
  prefix?: string;
  /**
   * Fixed number of partitions (default 16). Changing it for an existing stream would move
   * devices to other partitions; opening with a count different from the stream's is refused.
   */
  partitions?: number;
  /** Stream replicas: 1 on a single server, 3 in a cluster (acks then come from a quorum). Default 1. */
  replicas?: number;
  /**
   * Most bytes the stream holds (records not yet consumed: the stream is a work queue, a
   * consumed record is removed). When full, appends are refused and ingest answers 503 until
   * workers catch up. The stream's own max_bytes is set 10% (at least 8 MiB) higher: a
   * safety margin for several ingest processes (see stream-backlog.ts). The server reserves
   * that much of its JetStream storage (`max_store`) for the stream. Default 8 GiB.
   */
  maxBytes?: number;
  /** Oldest unconsumed record kept, ms: the longest worker outage survived without loss. Default 7 days. */
  maxAgeMs?: number;
  /** Window in which a re-published message (same Nats-Msg-Id) is not stored twice, ms. Default 2 minutes. */
  duplicateWindowMs?: number;
  /** An append not acknowledged within this budget is refused (nothing is half-accepted by the caller). Default 5 s. */
  appendTimeoutMs?: number;
  /** Time a consumer has to ack a record before JetStream re-delivers it (kept alive while in work). Default 30 s. */
  ackWaitMs?: number;
  /** Records delivered but not yet acked, per partition. Default 1000. */
  maxAckPending?: number;
  /** Connection name shown by the server (monitoring). */
  name?: string;
  /** How long to wait for a first connection when opening. Default 5 s. */
  connectTimeoutMs?: number;
  /** Consumer defaults (as in the file log); `consume`/`consumePartitions` options override them. */
  maxBatchItems?: number;
  minBatchIntervalMs?: number;
  maxBatchIntervalMs?: number;
  retryDelayMs?: (attempt: number) => number;
  onConsumerError?: (err: unknown, attempt: number) => void;
}

export interface JetStreamSettings {
  servers: string[];
  prefix: string;
  partitions: number;
  replicas: number;
  maxBytes: number;
  maxAgeMs: number;
  duplicateWindowMs: number;
  appendTimeoutMs: number;
  ackWaitMs: number;
  maxAckPending: number;
  name: string;
  connectTimeoutMs: number;
  stream: string;
}

const DAY = 86_400_000;

export function jetStreamSettings(options: JetStreamLogOptions): JetStreamSettings {
  const servers = (Array.isArray(options.servers) ? options.servers : options.servers.split(',')).map((s) => s.trim()).filter(Boolean);
  if (servers.length === 0) throw new Error('JetStream log: no NATS server URL given');
  const prefix = options.prefix ?? 'unmogrowp';
  if (!/^[A-Za-z0-9_-]{1,48}$/.test(prefix)) {
    throw new Error(`JetStream log: prefix "${prefix}" must be 1-48 letters, digits, "_" or "-"`);
  }
  const settings: JetStreamSettings = {
    servers,
    prefix,
    partitions: options.partitions ?? 16,
    replicas: options.replicas ?? 1,
    maxBytes: options.maxBytes ?? 8 * 1024 ** 3,
    maxAgeMs: options.maxAgeMs ?? 7 * DAY,
    duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
    appendTimeoutMs: options.appendTimeoutMs ?? 5_000,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    maxAckPending: options.maxAckPending ?? 1_000,
    name: options.name ?? 'unmogrowp',
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    stream: `${prefix}_events`,
  };
  positiveInt('partitions', settings.partitions, 1, 1024);
  positiveInt('replicas', settings.replicas, 1, 5);
  positiveInt('maxBytes', settings.maxBytes, 1024, Number.MAX_SAFE_INTEGER);
  positiveInt('maxAgeMs', settings.maxAgeMs, 1000, Number.MAX_SAFE_INTEGER);
  positiveInt('duplicateWindowMs', settings.duplicateWindowMs, 1000, settings.maxAgeMs);
  positiveInt('appendTimeoutMs', settings.appendTimeoutMs, 10, 600_000);
  positiveInt('ackWaitMs', settings.ackWaitMs, 1000, 3_600_000);
  positiveInt('maxAckPending', settings.maxAckPending, 1, 1_000_000);
  return settings;
}

function positiveInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`JetStream log: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

export const subjectOf = (s: JetStreamSettings, partition: number) => `${s.prefix}.events.${partition}`;
export const consumerOf = (s: JetStreamSettings, partition: number) => `${s.prefix}_p${partition}`;
