import path from 'node:path';
import { type Config, isScaleOut } from '@unmogrowp/config';
import {
  type EventLog,
  type FileLogOptions,
  MemoryDecisionFeed,
  MemoryDedupeIndex,
  openFileLog,
  WarmingDedupeIndex,
  warmDedupeFromLog,
} from '@unmogrowp/pipeline';
import {
  createClickLinkCache,
  type EventStore,
  findClickLink,
  findKey,
  lockDataDir,
  openChdbEventStore,
  openControlStore,
  releaseEraseLeases,
  type SqlDb,
  tightenTree,
} from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { startAttributionPipeline } from './attribution/attribution-pipeline.ts';
import { serveBackups } from './backup/backup-socket.ts';
import { pausable } from './backup/pausable-handler.ts';
import { type DailyExportRun, startDailyExports } from './exports/daily-export-job.ts';
import { AppKeyResolver } from './keys/app-key-resolver.ts';
import { createMetrics, type Metrics } from './ops/metrics.ts';
import type { ReadinessCheck } from './ops/ops.routes.ts';
import { startOpsSampler } from './ops/ops-sampler.ts';
import { PipelineTracer } from './ops/pipeline-tracing.ts';
import { countSecurityAction } from './ops/security-counters.ts';
import { startTracing } from './ops/tracing.ts';
import { startEraseJobs } from './privacy/erase-jobs.ts';
import { startRetentionJobs } from './privacy/retention-jobs.ts';
import { buildApiRole } from './roles/api-role.ts';
import { buildIngestRole } from './roles/ingest-role.ts';
import type { SigningKeys } from './security/signing-keys.ts';
import { storedIdsIn } from './startup/stored-ids.ts';
import { type WarmUp, warmBehindListeners } from './startup/warm-behind-listeners.ts';

export interface Platform {
  /** Base URLs as bound (a configured port 0 becomes the OS's choice). */
  ingestUrl: string;
  apiUrl: string;
  ingest: FastifyInstance;
  api: FastifyInstance;
  metrics: Metrics;
  control: SqlDb;
  events: EventStore;
  log: EventLog;
  keys: AppKeyResolver;
  /** The Ed25519 pair that signs access tokens. */
  signing: SigningKeys;
  /** What start-up still reads back behind the open listeners. */
  warmUp: WarmUp;
  /** Scheduled IP minimisation and retention; `runNow` for operators and tests. */
  retention: { runNow(): Promise<void> };
  /** The scheduled raw-data export, when `EXPORT_DIR` is set; `runNow` for operators and tests. */
  dailyExport: { runNow(): Promise<DailyExportRun> } | null;
  /** Takes the operations sample (readiness, disk, queue, audit chain) now instead of at the next interval. */
  opsSample: () => Promise<void>;
  /** Stop accepting, store what was acknowledged (within the budget), close every store. */
  close(budgetMs?: number): Promise<void>;
}

export interface PlatformOverrides {
  /** Tests wrap the event store to make it fail on purpose. */
  wrapEventStore?: (store: EventStore) => EventStore;
  /** Tests open the log's segments through failing file handles (real I/O faults). */
  openLogForAppend?: FileLogOptions['openForAppend'];
}

/**
 * The composition root of the embedded profile (`all` without NATS_URL and REDIS_URL): every
 * port gets its embedded adapter, in `DATA_DIR`, and the roles share one process (the ingest
 * and api roles as in roles/, the pipeline as one consumer in log order). Order matters on
 * start: the ids in the log tail are remembered before the listeners open, so a retry right
 * after a restart is still recognised; what grows with the stored data (attribution state,
 * stored ids) is read behind the open listeners, and the log is consumed only once the
 * attribution state is back (startup/warm-behind-listeners.ts). The scale-out roles:
 * roles/scale-out.ts.
 */
export async function startPlatform(config: Config, logger: Logger, overrides: PlatformOverrides = {}): Promise<Platform> {
  if (isScaleOut(config)) throw new Error('startPlatform runs the embedded profile; the scale-out roles start through startRoles');
  const unlock = await lockDataDir(config.dataDir);
  const metrics = createMetrics();
  const control = await openControlStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const chdb = await openChdbEventStore(path.join(config.dataDir, 'events'));
  await chdb.migrate();
  await tightenTree(config.dataDir);
  const events = overrides.wrapEventStore?.(chdb) ?? chdb;
  // Set while the store refuses the pipeline's writes; /ready reports it (ingest keeps taking
  // events into the log until the lag limit, then answers 503).
  let pipelineFailure: string | null = null;
  const log = await openFileLog({
    dir: path.join(config.dataDir, 'log'),
    onConsumerError: (err, attempt) => {
      metrics.pipelineErrors.inc();
      pipelineFailure = `the pipeline cannot write to the event store (${(err as Error).message})`;
      logger.error({ err, attempt }, 'pipeline batch failed; retrying');
    },
    onRecovery: (notice) => logger.warn({ recovery: notice }, notice.message),
    openForAppend: overrides.openLogForAppend,
  });
  const memoryDedupe = new MemoryDedupeIndex(config.dedupeDays);
  const dedupe = new WarmingDedupeIndex(memoryDedupe, storedIdsIn(events));
  const fromLog = await warmDedupeFromLog(dedupe, log);
  logger.info({ fromLog, pending: log.pending() }, 'ids in the log tail remembered; the store is read behind open listeners');
  const tracing = await startTracing({ endpoint: config.otelEndpoint, serviceName: config.otelServiceName ?? `unmogrowp-${config.role}` });
  if (tracing.enabled) logger.info({ endpoint: config.otelEndpoint }, 'exporting traces over OTLP/HTTP');
  // Wakes SDKs long-polling GET /v1/attribution the moment the pipeline stored their install.
  const decisions = new MemoryDecisionFeed();
  const pipeline = await startAttributionPipeline({
    decisions,
    control,
    events,
    metrics,
    logger,
    blockedCidrs: config.blockedCidrs,
    postbackAllowedCidrs: config.postbackAllowedCidrs,
    ...(tracing.enabled ? { tracer: new PipelineTracer(tracing) } : {}),
    onStored: (n, ms) => {
      pipelineFailure = null;
      metrics.storedItems.inc(n);
      metrics.storeWrite.observe(ms / 1000);
    },
  });
  const links = createClickLinkCache((linkId) => findClickLink(control, linkId));
  const keys = new AppKeyResolver((presented) => findKey(control, presented));
  const checks: ReadinessCheck[] = [
    { name: 'control_store', check: async () => void (await control.query('SELECT 1')) },
    { name: 'event_store', check: () => events.ping() },
    { name: 'event_log', check: async () => log.unavailableReason() },
    { name: 'pipeline', check: async () => pipelineFailure },
  ];
  const beforeScrape = async () => {
    const lag = log.pending();
    metrics.pipelineLagRecords.set(lag.records);
    metrics.pipelineLagBytes.set(lag.bytes);
    metrics.pipelineLagSeconds.set(lag.oldestAppendedAt ? (Date.now() - lag.oldestAppendedAt) / 1000 : 0);
    metrics.dedupeKeys.set(memoryDedupe.count());
    metrics.dedupeBytes.set(memoryDedupe.bytes());
    metrics.touchpointIndexSize.set(await pipeline.attribution.touchpoints.size());
    metrics.deviceRegistrySize.set(await pipeline.attribution.devices.size());
  };
  const sampler = startOpsSampler({ role: config.role, metrics, logger, checks, dataDir: config.dataDir, control, refresh: beforeScrape });
  await sampler.sample();
  const ops = { metrics, checks, beforeScrape, traffic: sampler.traffic };
  const ingest = await buildIngestRole(config, logger, ops, {
    log,
    dedupe,
    keys,
    metrics,
    links,
    tracing,
    control,
    devices: pipeline.attribution.devices,
    decisions,
  });
  // Privacy work (docs/privacy.md): erase requests, and IP minimisation + retention on a schedule.
  // With the embedded control store this process is the only worker: what a stopped one had
  // claimed is taken over at once rather than after its lease.
  if (!config.databaseUrl) await releaseEraseLeases(control);
  const erase = startEraseJobs({
    control,
    events,
    attribution: pipeline.attribution,
    dedupe,
    logger,
    settle: () => log.drain(30_000),
  });
  const retention = startRetentionJobs({ control, events, logger });
  // The scheduled raw-data export (docs/operations.md), when the operator names a directory.
  const dailyExport = config.exportDir
    ? startDailyExports({ control, events, logger, dir: config.exportDir, format: config.exportFormat })
    : null;
  const { app: api, signing } = await buildApiRole(config, logger, ops, {
    events,
    keys,
    control,
    erase,
    onLinkChanged: (id) => links.invalidate(id),
    ops: { onAudit: (action) => countSecurityAction(metrics, action), systemStatus: sampler.status },
  });
  const ingestUrl = await ingest.listen({ host: config.host, port: config.ingestPort });
  const apiUrl = await api.listen({ host: config.host, port: config.apiPort });
  const paused = pausable(pipeline.handler);
  const warmUp = warmBehindListeners({
    dedupe,
    events,
    log,
    pipeline: { warm: pipeline.warm, handler: paused.handler },
    dedupeDays: config.dedupeDays,
    logger,
  });
  metrics.startupWarm.set(0);
  void warmUp.done.then(() => metrics.startupWarm.set(warmUp.phase() === 'running' ? 1 : 0));
  const stopBackups = await serveBackups({ dataDir: config.dataDir, control, events: chdb, pausePipeline: paused.pause }, logger);

  let closing: Promise<void> | null = null;
  const close = (budgetMs = 9_000) =>
    (closing ??= (async () => {
      const deadline = Date.now() + budgetMs;
      warmUp.stop();
      sampler.stop();
      await Promise.all([ingest.close(), api.close(), stopBackups()]);
      const drained = await log.drain(Math.max(0, deadline - Date.now() - 500));
      if (!drained) logger.warn({ pending: log.pending() }, 'shutting down with records still in the log; they are stored on next start');
      await log.close();
      await Promise.all([erase.stop(), retention.stop(), dailyExport?.stop()]);
      await pipeline.stop();
      await tracing.shutdown().catch((err) => logger.warn({ err }, 'traces could not be exported at shutdown'));
      await events.close();
      await control.close();
      await unlock();
    })());
  return {
    ingestUrl,
    apiUrl,
    ingest,
    api,
    metrics,
    control,
    events,
    log,
    keys,
    signing,
    warmUp,
    opsSample: () => sampler.sample({ force: true }),
    retention,
    dailyExport,
    close,
  };
}
