import { compileCidrs } from '@unmogrowp/attribution';
import {
  type AttributionDeps,
  type DecisionFeed,
  MemoryDeviceRegistry,
  processRecords,
  type RecordsHandler,
  warmAttribution,
} from '@unmogrowp/pipeline';
import { type EventStore, MemoryClickFloodCounter, MemoryTouchpointIndex, type SqlDb } from '@unmogrowp/storage';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.ts';
import type { PipelineTracer } from '../ops/pipeline-tracing.ts';
import { appSettingsCache } from '../roles/app-settings-cache.ts';
import { pipelineDeps } from '../roles/pipeline-deps.ts';
import { startPostbackDelivery } from '../roles/postback-delivery.ts';

const DAY = 86_400_000;
/** Touches older than the longest click window (30 days) can win nothing: forgotten hourly. */
const EVICT_EVERY_MS = 3_600_000;

/**
 * The embedded profile's pipeline: one consumer of the log, in log order, on in-memory
 * attribution state (touchpoint index, click-flood counter, device registry); postbacks
 * delivered by a loop in this process. The memory state starts empty: `warm()` reads it back,
 * and the caller starts consuming the log only after that (startup/warm-behind-listeners.ts).
 * The worker role runs the same steps over partitions and shared state (roles/worker-role.ts).
 */
export async function startAttributionPipeline(opts: {
  control: SqlDb;
  events: EventStore;
  metrics: Metrics;
  logger: Logger;
  onStored: (n: number, ms: number) => void;
  /** Present only when tracing is on. */
  tracer?: PipelineTracer;
  /** told after each batch's installs are stored: wakes SDKs long-polling for their attribution */
  decisions?: DecisionFeed;
  /** BLOCKED_CIDRS: the operator's list, on top of each app's own */
  blockedCidrs?: readonly string[];
  /** POSTBACK_ALLOWED_CIDRS */
  postbackAllowedCidrs?: readonly string[];
}) {
  const { control, events, metrics, logger } = opts;
  const attribution: AttributionDeps = {
    touchpoints: new MemoryTouchpointIndex(),
    devices: new MemoryDeviceRegistry(),
    floods: new MemoryClickFloodCounter(),
    settingsOf: appSettingsCache(control),
    globalBlocked: compileCidrs(opts.blockedCidrs ?? []),
  };
  /** Reads the attribution state back from the store; records must not be handed to `handler` before it resolves. */
  const warm = async () => {
    const started = Date.now();
    const warmed = await warmAttribution(events, {
      touchpoints: attribution.touchpoints,
      devices: attribution.devices,
      floods: attribution.floods,
    });
    logger.info(
      { ...warmed, ms: Date.now() - started },
      'attribution state read back: touches that can still win, installed devices, re-engagements, click-flood counts',
    );
    return warmed;
  };
  const evict = setInterval(() => void attribution.touchpoints.evictBefore(Date.now() - 30 * DAY), EVICT_EVERY_MS).unref();
  const postbacks = startPostbackDelivery(control, metrics, logger, opts.tracer, opts.postbackAllowedCidrs);
  const plain: RecordsHandler = processRecords({
    ...pipelineDeps({
      control,
      events,
      attribution,
      metrics,
      postbacks,
      onStored: opts.onStored,
      tracer: opts.tracer,
      decisions: opts.decisions,
    }),
    // This consumer is the store's only writer, so an hour's rollups can be remade from its raw rows after a replay.
    repairRollupsAfterReplay: true,
  });
  const handler = opts.tracer ? opts.tracer.handler(plain) : plain;
  const stop = () => {
    clearInterval(evict);
    return postbacks.stop();
  };
  return { handler, attribution, warm, stop };
}
