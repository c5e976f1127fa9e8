import { type AppAttributionSettings, compileCidrs } from '@unmogrowp/attribution';
import {
  type AttributionDeps,
  allowedTargets,
  enqueueAttributedPostbacks,
  MemoryDeviceRegistry,
  partnerLookupFrom,
  processRecords,
  type RecordsHandler,
  startPostbackWorker,
  warmAttribution,
} from '@unmogrowp/pipeline';
import {
  attributionSettingsOf,
  type EventStore,
  getApp,
  MemoryClickFloodCounter,
  MemoryTouchpointIndex,
  type SqlDb,
} from '@unmogrowp/storage';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.ts';
import type { PipelineTracer } from '../ops/pipeline-tracing.ts';

const SETTINGS_TTL_MS = 5_000;
const DAY = 86_400_000;
/** Touches older than the longest click window (30 days) can win nothing: forgotten hourly. */
const EVICT_EVERY_MS = 3_600_000;

/**
 * Wires the attribution half of the pipeline on embedded adapters: the touchpoint index, the
 * click-flood counter and the device registry in memory; postbacks through the control store's
 * outbox, delivered by a worker in this process.
 */
export async function startAttributionPipeline(opts: {
  control: SqlDb;
  events: EventStore;
  metrics: Metrics;
  logger: Logger;
  onStored: (n: number, ms: number) => void;
  /** POSTBACK_ALLOWED_CIDRS */
  postbackAllowedCidrs?: readonly string[];
  /** BLOCKED_CIDRS: the operator's list, on top of each app's own */
  blockedCidrs?: readonly string[];
  /** Present only when tracing is on. */
  tracer?: PipelineTracer;
}) {
  const { control, events, metrics, logger } = opts;
  const settings = new Map<string, { value: Promise<AppAttributionSettings>; expires: number }>();
  const settingsOf = (appId: string) => {
    const hit = settings.get(appId);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = getApp(control, appId).then((app) => attributionSettingsOf(app?.settings));
    settings.set(appId, { value, expires: Date.now() + SETTINGS_TTL_MS });
    return value;
  };
  const attribution: AttributionDeps = {
    touchpoints: new MemoryTouchpointIndex(),
    devices: new MemoryDeviceRegistry(),
    floods: new MemoryClickFloodCounter(),
    settingsOf,
    globalBlocked: compileCidrs(opts.blockedCidrs ?? []),
  };
  const warmed = await warmAttribution(events, attribution.touchpoints, attribution.devices);
  logger.info(warmed, 'attribution state read back: touches that can still win, installed devices');
  const evict = setInterval(() => void attribution.touchpoints.evictBefore(Date.now() - 30 * DAY), EVICT_EVERY_MS).unref();
  const partnerOf = partnerLookupFrom(control);
  const worker = startPostbackWorker({
    db: control,
    allowed: allowedTargets(opts.postbackAllowedCidrs ?? []),
    onAttempt: (a) => {
      metrics.postbackAttempts.labels(a.outcome).inc();
      opts.tracer?.attempt(a);
    },
    onError: (err) => logger.error({ err }, 'postback worker failed; retrying'),
  });
  const plain: RecordsHandler = processRecords({
    store: opts.tracer ? opts.tracer.store(events) : events,
    attribution,
    enqueuePostbacks: async (batch) => {
      const n = await enqueueAttributedPostbacks(
        control,
        { installs: batch.installs, events: batch.creditedEvents },
        { partnerOf, now: Date.now() },
      );
      if (n > 0) worker.wake();
    },
    onDecisions: (installs) => {
      for (const i of installs) {
        metrics.attributionDecisions.labels(i.attribution.match_type, i.attribution.status).inc();
        if (i.attribution.status === 'rejected') metrics.fraudRejections.labels('install', i.attribution.fraud_reason || 'unknown').inc();
      }
    },
    onTouches: (touches) => {
      for (const t of touches) if (t.fraud_reason) metrics.fraudRejections.labels(t.touch, t.fraud_reason).inc();
    },
    onStored: opts.onStored,
  });
  const handler = opts.tracer ? opts.tracer.handler(plain) : plain;
  const stop = () => {
    clearInterval(evict);
    return worker.stop();
  };
  return { handler, attribution, stop };
}
