import {
  type AttributionDeps,
  type DecisionFeed,
  enqueueAttributedPostbacks,
  type PipelineDeps,
  type PostbackWorker,
  partnerLookupFrom,
} from '@unmogrowp/pipeline';
import type { EventStore, SqlDb } from '@unmogrowp/storage';
import type { Metrics } from '../ops/metrics.ts';
import type { PipelineTracer } from '../ops/pipeline-tracing.ts';

/**
 * What the pipeline after the log needs, the same in the embedded consumer and in every worker:
 * the event store, the attribution state, the outbox (postbacks enqueued for the batch's
 * decisions, then the local delivery loop woken) and the metrics.
 */
export function pipelineDeps(opts: {
  control: SqlDb;
  events: EventStore;
  attribution: AttributionDeps;
  metrics: Metrics;
  postbacks: PostbackWorker;
  onStored: (n: number, ms: number) => void;
  /** Present only when tracing is on. */
  tracer?: PipelineTracer;
  /** In-process waiters for a device's decision (the embedded profile's attribution long-poll). */
  decisions?: DecisionFeed;
}): PipelineDeps & { attribution: AttributionDeps } {
  const { control, metrics, postbacks } = opts;
  const partnerOf = partnerLookupFrom(control);
  return {
    store: opts.tracer ? opts.tracer.store(opts.events) : opts.events,
    attribution: opts.attribution,
    enqueuePostbacks: async (batch) => {
      const n = await enqueueAttributedPostbacks(
        control,
        { installs: batch.installs, events: batch.creditedEvents },
        { partnerOf, now: Date.now() },
      );
      if (n > 0) postbacks.wake();
    },
    onDecisions: (installs) => {
      for (const i of installs) {
        metrics.attributionDecisions.labels(i.attribution.match_type, i.attribution.status).inc();
        if (i.attribution.status === 'rejected') metrics.fraudRejections.labels('install', i.attribution.fraud_reason || 'unknown').inc();
      }
      if (installs.length > 0) opts.decisions?.publish(installs);
    },
    onTouches: (touches) => {
      for (const t of touches) if (t.fraud_reason) metrics.fraudRejections.labels(t.touch, t.fraud_reason).inc();
    },
    onStored: opts.onStored,
  };
}
