import type { Config } from '@unmogrowp/config';
import { type DecisionFeed, type DedupeIndex, type DeviceRegistry, type EventLog, MemoryDecisionFeed } from '@unmogrowp/pipeline';
import type { ClickLinkCache, SqlDb } from '@unmogrowp/storage';
import type { Logger } from 'pino';
import { SeenDevices } from '../deep-links/seen-devices.ts';
import type { AcceptDeps } from '../ingest/accept-items.ts';
import { buildIngestApp } from '../ingest-app.ts';
import type { AppKeyResolver } from '../keys/app-key-resolver.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { OpsDeps } from '../ops/ops.routes.ts';
import { type IngestRateLimit, KeyRateLimit } from '../security/key-rate-limit.ts';

export interface IngestRolePorts {
  log: EventLog;
  dedupe: DedupeIndex;
  keys: AppKeyResolver;
  links: ClickLinkCache;
  metrics: Metrics;
  /** Apple's postback copies (docs/skadnetwork.md) are stored in the control store. */
  control: SqlDb;
  /** Scale-out: one bucket per key shared by every ingest (Redis); default a bucket in this process. */
  rateLimit?: IngestRateLimit;
  tracing?: AcceptDeps['tracing'];
  /** Where `GET /v1/attribution/:device_id` reads installs decided (the pipeline's device registry: memory or Redis). */
  devices: DeviceRegistry;
  /** Wakes attribution long-polls; without one (scale-out, decisions made by workers) they re-read the registry every second. */
  decisions?: DecisionFeed;
  /** Scale-out only: touches judged before they are logged, indexed in shared state before they are acknowledged. */
  touches?: AcceptDeps['touches'];
}

/**
 * The ingest role: the ingest listener over the log it acknowledges into and the dedupe index
 * it claims ids in. The same in both profiles; only the adapters differ (file log and memory in
 * the embedded profile; JetStream and Redis scale-out, where touches are also indexed here).
 */
export function buildIngestRole(config: Config, logger: Logger, ops: OpsDeps, ports: IngestRolePorts) {
  return buildIngestApp(config, logger, ops, {
    ...ports,
    decisions: ports.decisions ?? new MemoryDecisionFeed(),
    seen: new SeenDevices(),
    maxLagBytes: config.maxPipelineLagBytes,
    rateLimit: config.ingestRateLimit > 0 ? (ports.rateLimit ?? new KeyRateLimit(config.ingestRateLimit)) : undefined,
  });
}
