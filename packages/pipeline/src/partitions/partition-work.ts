import type { EventTable } from '@unmogrowp/storage';
import type { AttributionDeps } from '../attribution/attribute-batch.ts';
import type { DeviceRegistry } from '../attribution/device-registry.ts';
import type { LogRecord, RecordsHandler } from '../log/event-log.ts';
import type { ConsumeOptions, JetStreamLog, PartitionConsumer } from '../log/jetstream/jetstream-log.ts';
import { type PipelineDeps, processRecords, type StoredIds } from '../steps/process-records.ts';
import { BatchDeviceRegistry } from './batch-device-registry.ts';
import { type StageObserver, timed, timedInserts } from './batch-stages.ts';
import { coalescedLookups } from './coalesced-lookups.ts';
import { type InsertPlan, type InsertPlans, insertPlanId, insertPlanToken } from './insert-plans.redis.ts';
import { type PartitionAssigner, startPartitionAssigner } from './partition-assigner.ts';
import { type Lease, LeaseLostError, type PartitionLeases } from './partition-leases.ts';

export interface PartitionWorkOptions {
  log: Pick<JetStreamLog, 'partitions' | 'consumePartitions' | 'readRecords' | 'identity'>;
  leases: PartitionLeases;
  /** Where each partition's batch in progress is planned before its inserts (insert-plans.redis.ts). */
  plans: InsertPlans;
  /** The pipeline's dependencies; `attribution.devices` is the shared registry (Redis). */
  pipeline: Omit<PipelineDeps, 'attribution' | 'beforeStore' | 'everyRecordMaybeStored'> & { attribution: AttributionDeps };
  consume?: ConsumeOptions;
  onError?: (err: unknown) => void;
  onOwnershipChange?: (partitions: number[]) => void;
  /** Wraps each partition's handler (tracing); outside the fencing, so a lost lease shows as a failed batch. */
  wrapHandler?: (handler: RecordsHandler) => RecordsHandler;
  /** Each batch's stages, timed (batch-stages.ts); for the worker's metrics. */
  onStage?: StageObserver;
}

/**
 * The worker role's consumption: the partitions this worker holds a lease on, each through its
 * own durable consumer, each batch through the same pipeline steps as the embedded profile with
 * additions (docs/scale-out-partitioning.md): device states are written to the shared registry
 * only after the fencing check, every row is checked against the store, and each batch's inserts
 * follow an insert plan fixed under the lease, so a former holder's late insert counts once.
 */
export function startPartitionWork(given: PartitionWorkOptions): PartitionAssigner {
  // One store look-up per table at a time for all the partitions held here (coalesced-lookups.ts).
  const options = { ...given, pipeline: { ...given.pipeline, store: coalescedLookups(given.pipeline.store) } };
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

/** What one partition's handler needs besides the pipeline. */
export interface FencedHandlerOptions extends Pick<PartitionWorkOptions, 'pipeline' | 'leases' | 'plans' | 'onStage'> {
  log: Pick<JetStreamLog, 'readRecords' | 'identity'>;
  /**
   * Runs between the fencing check (the insert plan fixed under the lease) and the first insert.
   * For tests only: a worker paused right here is the case insert plans exist for.
   */
  afterFence?: (lease: Lease) => Promise<void>;
}

/**
 * One partition's handler under one lease. A batch left unfinished by this partition's former
 * holder (its insert plan is still pending) is redone first, exactly as planned: the same
 * records, the same rows left out, the same dedupe token, so its inserts and any late ones of
 * the former holder count once. Then the rest of the records, each batch under a new plan.
 */
export function fencedHandler(options: FencedHandlerOptions, lease: Lease): RecordsHandler {
  return async (records) => {
    const pending = await options.plans.pending(lease.partition);
    const planned = pending ? await recordsOf(pending, records, options.log) : null;
    if (pending && planned) {
      await runPlanned(options, lease, planned, pending);
      const done = new Set(pending.seqs);
      const rest = records.filter((r) => !done.has(r.seq));
      if (rest.length > 0) await runPlanned(options, lease, rest, null);
      return;
    }
    if (pending) {
      // A record of it is gone from the stream: acknowledged, so its batch finished (or past the
      // stream's age). Nothing is left to redo; the store check below covers what landed.
      await options.plans.settle(lease, pending.id);
    }
    await runPlanned(options, lease, records, null);
  };
}

/** The plan's records in its order, from this batch or read from the stream; null when the stream lost one. */
async function recordsOf(plan: InsertPlan, records: readonly LogRecord[], log: FencedHandlerOptions['log']): Promise<LogRecord[] | null> {
  const here = new Map(records.map((r) => [r.seq, r]));
  const missing = plan.seqs.filter((seq) => !here.has(seq));
  const read = missing.length > 0 ? await log.readRecords(plan.partition, missing) : [];
  for (const record of read) {
    if (record === null) return null;
    here.set(record.seq, record);
  }
  return plan.seqs.map((seq) => ({ ...here.get(seq)!, replayed: true }));
}

/** One batch through the pipeline under `pending` (a plan redone; `records` are its records) or a new plan fixed under the lease. */
async function runPlanned(options: FencedHandlerOptions, lease: Lease, records: LogRecord[], pending: InsertPlan | null): Promise<void> {
  const observe = options.onStage;
  const shared: DeviceRegistry = options.pipeline.attribution.devices;
  const devices = new BatchDeviceRegistry(shared);
  const seqs = records.map((r) => r.seq);
  const id = insertPlanId(options.log.identity, lease.partition, seqs);
  const enqueuePostbacks = options.pipeline.enqueuePostbacks;
  let attributing = 0;
  const handle = processRecords({
    ...options.pipeline,
    store: timedInserts(options.pipeline.store, observe),
    enqueuePostbacks: enqueuePostbacks && ((batch) => timed(observe, 'postbacks', () => enqueuePostbacks(batch))),
    attribution: { ...options.pipeline.attribution, devices, touchesIndexedAtIngest: true },
    everyRecordMaybeStored: true,
    beforeStore: async (lookUpStored) => {
      observe?.('attribute', performance.now() - attributing);
      // A batch tried before (a retry here, or the former holder's) keeps its plan: the same rows
      // under the same token. Only a new batch looks up what is stored.
      const plan: InsertPlan = pending ?? {
        partition: lease.partition,
        id,
        seqs,
        stored: toLists(await timed(observe, 'store_check', lookUpStored)),
      };
      await timed(observe, 'plan_fix', async () => {
        const fixed = await options.plans.fix(lease, plan);
        if (fixed === 'lost') throw new LeaseLostError(lease.partition);
        if (fixed === 'blocked')
          throw new Error(`partition ${lease.partition}: an earlier batch's insert plan is pending; it is redone first`);
        await devices.commit();
      });
      await options.afterFence?.(lease);
      return { stored: toSets(plan.stored), dedupeToken: insertPlanToken(plan) };
    },
  });
  await timed(observe, 'prefetch', () => devices.prefetch(eventDevicesOf(records)));
  attributing = performance.now();
  await handle(records);
  if (!(await timed(observe, 'settle', () => options.plans.settle(lease, id)))) throw new LeaseLostError(lease.partition);
}

/** The devices whose events the batch attributes (identities and touches do not read the registry). */
function* eventDevicesOf(records: readonly LogRecord[]): Iterable<{ app_id: string; device_id: string }> {
  for (const record of records) for (const item of record.items) if (item.kind === 'event') yield item;
}

function toLists(stored: StoredIds): InsertPlan['stored'] {
  const out: InsertPlan['stored'] = {};
  for (const [table, ids] of Object.entries(stored) as [EventTable, ReadonlySet<string>][]) if (ids.size > 0) out[table] = [...ids];
  return out;
}

function toSets(stored: InsertPlan['stored']): StoredIds {
  const out: Partial<Record<EventTable, ReadonlySet<string>>> = {};
  for (const [table, ids] of Object.entries(stored) as [EventTable, string[]][]) out[table] = new Set(ids);
  return out;
}
