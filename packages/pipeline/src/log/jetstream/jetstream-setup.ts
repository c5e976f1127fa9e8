import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { consumerOf, type JetStreamSettings, subjectOf } from './jetstream-options.ts';
import { serverMaxBytes } from './stream-backlog.ts';

const nanos = (ms: number) => ms * 1_000_000;
const DESCRIPTION = 'UnMoGrowP event log; partitions=';

export const isNotFound = (err: unknown) =>
  err instanceof JetStreamApiError &&
  (err.code === JetStreamApiCodes.StreamNotFound || err.code === JetStreamApiCodes.ConsumerNotFound || err.status === 404);

/**
 * Creates the stream, or brings an existing one to the configured limits. A work queue: a
 * record is removed once its partition's consumer acked it, so the byte limit bounds the
 * backlog (not the history), and "full" means workers are behind; appends are then refused
 * rather than old unconsumed records dropped (see StreamBacklog for who enforces it).
 */
export async function ensureStream(jsm: JetStreamManager, s: JetStreamSettings): Promise<void> {
  const wanted: Partial<StreamConfig> = {
    description: `${DESCRIPTION}${s.partitions}`,
    max_bytes: serverMaxBytes(s.maxBytes),
    max_age: nanos(s.maxAgeMs),
    duplicate_window: nanos(s.duplicateWindowMs),
    num_replicas: s.replicas,
  };
  let existing: StreamConfig;
  try {
    existing = (await jsm.streams.info(s.stream)).config;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.streams.add({
        ...wanted,
        name: s.stream,
        subjects: [`${s.prefix}.events.*`],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        discard: DiscardPolicy.New,
      });
      return;
    } catch (addErr) {
      // Another process (several ingests starting at once) may have created it meanwhile.
      existing = (await jsm.streams.info(s.stream).catch(() => Promise.reject(addErr))).config;
    }
  }
  const count = existing.description?.startsWith(DESCRIPTION) ? Number(existing.description.slice(DESCRIPTION.length)) : null;
  if (count !== s.partitions) {
    throw new Error(
      `JetStream log: stream ${s.stream} has ${count ?? 'an unknown number of'} partitions, configured ${s.partitions}; ` +
        'the count cannot change for an existing stream (use another prefix for a new one)',
    );
  }
  if (existing.retention !== RetentionPolicy.Workqueue) throw new Error(`JetStream log: stream ${s.stream} exists but is not a work queue`);
  const differs = (Object.keys(wanted) as (keyof StreamConfig)[]).some((k) => existing[k] !== wanted[k]);
  if (differs) await jsm.streams.update(s.stream, { ...existing, ...wanted });
}

function consumerConfig(s: JetStreamSettings, partition: number) {
  return {
    durable_name: consumerOf(s, partition),
    filter_subject: subjectOf(s, partition),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(s.ackWaitMs),
    max_ack_pending: s.maxAckPending,
    // Never give up on a record: a poison record must be seen (and fixed), not silently dropped.
    max_deliver: -1,
  };
}

/** Creates the partition's durable consumer when it does not exist. */
export async function ensureConsumer(jsm: JetStreamManager, s: JetStreamSettings, partition: number): Promise<void> {
  try {
    await jsm.consumers.info(s.stream, consumerOf(s, partition));
  } catch (err) {
    if (!isNotFound(err)) throw err;
    // Idempotent on the server when another process adds the same consumer at the same time.
    await jsm.consumers.add(s.stream, consumerConfig(s, partition));
  }
}

/**
 * Makes the partition's consumer ready for a new owner and says up to which stream sequence
 * records may have been handled already.
 *
 * A previous owner that died left records delivered but unacked. JetStream would re-deliver
 * them only after `ack_wait`, and meanwhile hand newer records of the same partition to the new
 * owner: one device's records out of order. So the consumer is recreated: in a work queue,
 * acked records are gone, and a fresh consumer starts again at the oldest unacked one.
 */
export async function takeOverPartition(jsm: JetStreamManager, s: JetStreamSettings, partition: number): Promise<{ replayUpTo: number }> {
  const name = consumerOf(s, partition);
  let info: Awaited<ReturnType<JetStreamManager['consumers']['info']>>;
  try {
    info = await jsm.consumers.info(s.stream, name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(s.stream, consumerConfig(s, partition));
    return { replayUpTo: 0 };
  }
  const stale =
    info.config.ack_wait !== nanos(s.ackWaitMs) ||
    info.config.max_ack_pending !== s.maxAckPending ||
    info.config.filter_subject !== subjectOf(s, partition);
  if (info.num_ack_pending === 0 && !stale) return { replayUpTo: 0 };
  const replayUpTo = info.num_ack_pending > 0 ? info.delivered.stream_seq : 0;
  await jsm.consumers.delete(s.stream, name).catch((err) => {
    if (!isNotFound(err)) throw err;
  });
  await jsm.consumers.add(s.stream, consumerConfig(s, partition));
  return { replayUpTo };
}
