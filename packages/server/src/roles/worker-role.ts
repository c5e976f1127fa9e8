import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { compileCidrs } from '@unmogrowp/attribution';
import {
  type AttributionDeps,
  InsertPlans,
  type JetStreamLog,
  PartitionLeases,
  RedisDeviceRegistry,
  RedisInstallDecisions,
  startPartitionWork,
} from '@unmogrowp/pipeline';
import { type EventStore, RedisClickFloodCounter, type RedisHandle, RedisTouchpointIndex, type SqlDb } from '@unmogrowp/storage';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.ts';
import type { ReadinessCheck } from '../ops/ops.routes.ts';
import type { PipelineTracer } from '../ops/pipeline-tracing.ts';
import { setPartitionConsumers } from '../ops/scale-out-metrics.ts';
import { appSettingsCache } from './app-settings-cache.ts';
import { pipelineDeps } from './pipeline-deps.ts';
import { startPostbackDelivery } from './postback-delivery.ts';

const DAY = 86_400_000;
const EVICT_EVERY_MS = 3_600_000;

export interface WorkerRolePorts {
  control: SqlDb;
  events: EventStore;
  log: JetStreamLog;
  redis: RedisHandle;
  metrics: Metrics;
  leaseMs: number;
  /** Present only when tracing is on. */
  tracer?: PipelineTracer;
  /** BLOCKED_CIDRS: the operator's list, on top of each app's own */
  blockedCidrs?: readonly string[];
  /** POSTBACK_ALLOWED_CIDRS */
  postbackAllowedCidrs?: readonly string[];
}

/**
 * The worker role: the pipeline after the log, over the partitions this worker holds a lease on
 * (docs/scale-out-partitioning.md), on shared attribution state in Redis, plus the postback
 * delivery loop. Touches were indexed by the ingest that acknowledged them; here they are stored.
 */
export async function startWorkerRole(logger: Logger, ports: WorkerRolePorts) {
  const { control, events, log, redis, metrics } = ports;
  const workerId = `${hostname().replace(/[^A-Za-z0-9_.-]/g, '_')}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const touchpoints = await RedisTouchpointIndex.open(redis);
  const devices = new RedisDeviceRegistry(redis);
  const attribution: AttributionDeps = {
    touchpoints,
    devices,
    // Clicks are counted at ingest; the worker only needs it for a touch logged without that.
    floods: new RedisClickFloodCounter(redis),
    settingsOf: appSettingsCache(control),
    globalBlocked: compileCidrs(ports.blockedCidrs ?? []),
    decisions: new RedisInstallDecisions(redis),
  };
  let pipelineFailure: string | null = null;
  const postbacks = startPostbackDelivery(control, metrics, logger, ports.tracer, ports.postbackAllowedCidrs);
  const deps = pipelineDeps({
    tracer: ports.tracer,
    control,
    events,
    attribution,
    metrics,
    postbacks,
    onStored: (n, ms) => {
      pipelineFailure = null;
      metrics.storedItems.inc(n);
      metrics.storeWrite.observe(ms / 1000);
    },
  });
  const leases = new PartitionLeases(redis, workerId, ports.leaseMs);
  const work = startPartitionWork({
    log,
    leases,
    plans: new InsertPlans(redis, leases),
    pipeline: deps,
    consume: {
      onError: (err, attempt) => {
        metrics.pipelineErrors.inc();
        pipelineFailure = `a pipeline batch failed (${(err as Error).message})`;
        logger.error({ err, attempt }, 'pipeline batch failed; retrying');
      },
      onBatch: ({ items, queuedMs, ms }) => {
        metrics.workerBatchItems.observe(items);
        metrics.workerBatchStage.labels('queued').observe(queuedMs / 1000);
        metrics.workerBatchStage.labels('batch').observe(ms / 1000);
      },
    },
    onStage: (stage, ms) => metrics.workerBatchStage.labels(stage).observe(ms / 1000),
    onError: (err) => logger.warn({ err }, 'partition leases: round failed; retrying'),
    // One event's path ingest → pipeline → store → postback stays one trace in the worker too.
    wrapHandler: ports.tracer ? (handler) => ports.tracer!.handler(handler) : undefined,
    onOwnershipChange: (partitions) => logger.info({ workerId, partitions }, 'partitions held'),
  });
  // Any worker may evict (it is idempotent); each does it hourly.
  const evict = setInterval(() => void touchpoints.evictBefore(Date.now() - 30 * DAY).catch(() => {}), EVICT_EVERY_MS).unref();
  const checks: ReadinessCheck[] = [{ name: 'pipeline', check: async () => pipelineFailure }];
  const owned = () => work.owned().map((l) => l.partition);
  return {
    workerId,
    checks,
    owned,
    /**
     * The worker's gauges, read fresh (before a scrape and by the sampler): its partitions'
     * consumer backlog, and the shared attribution state's sizes (the same figure from every
     * worker: dashboards take the max, not the sum).
     */
    async sampleGauges() {
      const mine = owned();
      setPartitionConsumers(metrics, mine.length > 0 ? await log.consumerStates(mine) : []);
      metrics.touchpointIndexSize.set(await touchpoints.size());
      metrics.deviceRegistrySize.set(await devices.size());
    },
    async stop() {
      clearInterval(evict);
      await work.stop();
      await postbacks.stop();
    },
  };
}
