import type { AttributionDeps } from '../attribution/attribute-batch.ts';
import type { DeviceRegistry } from '../attribution/device-registry.ts';
import type { RecordsHandler } from '../log/event-log.ts';
import type { ConsumeOptions, JetStreamLog, PartitionConsumer } from '../log/jetstream/jetstream-log.ts';
import { type PipelineDeps, processRecords } from '../steps/process-records.ts';
import { BatchDeviceRegistry } from './batch-device-registry.ts';
import { type PartitionAssigner, startPartitionAssigner } from './partition-assigner.ts';
import { type Lease, LeaseLostError, type PartitionLeases } from './partition-leases.ts';

export interface PartitionWorkOptions {
  log: Pick<JetStreamLog, 'partitions' | 'consumePartitions'>;
  leases: PartitionLeases;
  /** The pipeline's dependencies; `attribution.devices` is the shared registry (Redis). */
  pipeline: Omit<PipelineDeps, 'attribution' | 'beforeStore' | 'everyRecordMaybeStored'> & { attribution: AttributionDeps };
  consume?: ConsumeOptions;
  onError?: (err: unknown) => void;
  onOwnershipChange?: (partitions: number[]) => void;
  /** Wraps each partition's handler (tracing); outside the fencing, so a lost lease shows as a failed batch. */
  wrapHandler?: (handler: RecordsHandler) => RecordsHandler;
}

/**
 * The worker role's consumption: the partitions this worker holds a lease on, each through its
 * own durable consumer, each batch through the same pipeline steps as the embedded profile with
 * two additions (docs/scale-out-partitioning.md): device states are written to the shared
 * registry only after the fencing check, and every row is checked against the store.
 */
export function startPartitionWork(options: PartitionWorkOptions): PartitionAssigner {
  const consumers = new Map<number, PartitionConsumer>();
  const report = () => options.onOwnershipChange?.([...consumers.keys()].sort((a, b) => a - b));
  return startPartitionAssigner({
    leases: options.leases,
    partitions: options.log.partitions,
    onError: options.onError,
    onGained: (lease) => {
      const handler = fencedHandler(options, lease);
      const wrapped = options.wrapHandler ? options.wrapHandler(handler) : handler;
      consumers.set(lease.partition, options.log.consumePartitions([lease.partition], wrapped, options.consume));
      report();
    },
    onLost: async (lease) => {
      const consumer = consumers.get(lease.partition);
      consumers.delete(lease.partition);
      report();
      await consumer?.stop();
    },
  });
}

/** One partition's handler under one lease: a fresh batch view of the device registry per call. */
export function fencedHandler(options: Pick<PartitionWorkOptions, 'pipeline' | 'leases'>, lease: Lease): RecordsHandler {
  const shared: DeviceRegistry = options.pipeline.attribution.devices;
  return async (records) => {
    const devices = new BatchDeviceRegistry(shared);
    const handle = processRecords({
      ...options.pipeline,
      attribution: { ...options.pipeline.attribution, devices, touchesIndexedAtIngest: true },
      everyRecordMaybeStored: true,
      beforeStore: async () => {
        if (!(await options.leases.holds(lease))) throw new LeaseLostError(lease.partition);
        await devices.commit();
      },
    });
    await handle(records);
  };
}
