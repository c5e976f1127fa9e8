import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The external stores a scale-out process talks to; a closed set, so it can be a label. */
export type ExternalStore = 'redis' | 'clickhouse' | 'postgres' | 'nats';

/**
 * Metrics of the scale-out roles. Defined in every process so dashboards and alerts have one
 * vocabulary; in the embedded profile they stay at zero (no JetStream consumer, no Redis).
 * The adapters report through `counted` and `setConsumerPending` below (see docs/operations.md).
 */
export function scaleOutMetrics(registers: Registry[]) {
  return {
    jetstreamPending: new Gauge({
      name: 'unmogrowp_jetstream_consumer_pending_messages',
      help: "Messages in the stream not yet delivered to this worker's durable consumer",
      labelNames: ['consumer'] as const,
      registers,
    }),
    jetstreamAckPending: new Gauge({
      name: 'unmogrowp_jetstream_consumer_ack_pending_messages',
      help: "Messages delivered to this worker's durable consumer and not yet acknowledged",
      labelNames: ['consumer'] as const,
      registers,
    }),
    workerBatchStage: new Histogram({
      name: 'unmogrowp_worker_batch_stage_seconds',
      help: "A worker's partition batches by stage: queued (oldest record's age at the batch's start), batch (the whole handler), prefetch, attribute, store_check, plan_fix, insert_<table>, postbacks, settle",
      labelNames: ['stage'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    workerBatchItems: new Histogram({
      name: 'unmogrowp_worker_batch_items',
      help: 'Items per partition batch a worker handled',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 50_000],
      registers,
    }),
    storeErrors: new Counter({
      name: 'unmogrowp_store_errors_total',
      help: 'Failed operations against an external store (redis, clickhouse, postgres, nats) by operation kind (read, write, connect)',
      labelNames: ['store', 'op'] as const,
      registers,
    }),
  };
}

type ScaleOutMetrics = ReturnType<typeof scaleOutMetrics>;

/**
 * Runs one operation against an external store and counts it in `unmogrowp_store_errors_total`
 * when it fails (the error is rethrown unchanged). For adapters: `counted(m, 'redis', 'write', () => …)`.
 */
export async function counted<T>(
  metrics: Pick<ScaleOutMetrics, 'storeErrors'>,
  store: ExternalStore,
  op: 'read' | 'write' | 'connect',
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    metrics.storeErrors.labels(store, op).inc();
    throw err;
  }
}

/** Sets the JetStream consumer gauges from what the consumer info reports (call it before a scrape). */
export function setConsumerPending(
  metrics: Pick<ScaleOutMetrics, 'jetstreamPending' | 'jetstreamAckPending'>,
  consumer: string,
  info: { num_pending: number; num_ack_pending: number },
): void {
  metrics.jetstreamPending.labels(consumer).set(info.num_pending);
  metrics.jetstreamAckPending.labels(consumer).set(info.num_ack_pending);
}

/**
 * Sets the consumer gauges to exactly the partitions this worker consumes now: the series of a
 * partition handed to another worker disappear here, so a sum over workers counts each once.
 */
export function setPartitionConsumers(
  metrics: Pick<ScaleOutMetrics, 'jetstreamPending' | 'jetstreamAckPending'>,
  states: readonly { consumer: string; num_pending: number; num_ack_pending: number }[],
): void {
  metrics.jetstreamPending.reset();
  metrics.jetstreamAckPending.reset();
  for (const s of states) setConsumerPending(metrics, s.consumer, s);
}
