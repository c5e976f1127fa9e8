import { compileCidrs } from '@unmogrowp/attribution';
import type { Config, Role } from '@unmogrowp/config';
import { type JetStreamLog, RedisDedupeIndex, RedisDeviceRegistry } from '@unmogrowp/pipeline';
import {
  createClickLinkCache,
  type EventStore,
  findClickLink,
  findKey,
  openControlStore,
  RedisClickFloodCounter,
  type RedisHandle,
  RedisTouchpointIndex,
} from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildBaseApp } from '../http/base-app.ts';
import { AppKeyResolver } from '../keys/app-key-resolver.ts';
import { createMetrics } from '../ops/metrics.ts';
import type { ReadinessCheck } from '../ops/ops.routes.ts';
import { startOpsSampler } from '../ops/ops-sampler.ts';
import { PipelineTracer } from '../ops/pipeline-tracing.ts';
import { countSecurityAction } from '../ops/security-counters.ts';
import { startTracing } from '../ops/tracing.ts';
import { RedisKeyRateLimit } from '../security/key-rate-limit.redis.ts';
import { RedisRateLimiter } from '../security/rate-limiter.redis.ts';
import { buildApiRole } from './api-role.ts';
import { appSettingsCache } from './app-settings-cache.ts';
import { buildIngestRole } from './ingest-role.ts';
import { ingestTouches } from './ingest-touches.ts';
import { openEventStoreFor, openRedisFor, openStreamFor } from './scale-out-services.ts';
import { startWorkerRole } from './worker-role.ts';

/** What a started process runs, for the CLI and tests: the listeners' URLs and one way to stop. */
export interface RunningRoles {
  roles: Exclude<Role, 'all'>[];
  ingestUrl?: string;
  apiUrl?: string;
  workerUrl?: string;
  /** Stop accepting, finish the batch in flight, hand partitions back, close every connection. */
  close(budgetMs?: number): Promise<void>;
}

/**
 * The scale-out composition root: the roles ROLE asks for (`all`: every one, in one process),
 * each over the services it needs — ingest: PostgreSQL, Redis, JetStream; worker: PostgreSQL,
 * Redis, JetStream, ClickHouse; api: PostgreSQL, ClickHouse. Each role serves /health, /ready
 * (its own dependencies) and /metrics on its own listener.
 */
export async function startScaleOut(config: Config, logger: Logger): Promise<RunningRoles> {
  const roles: Exclude<Role, 'all'>[] = config.role === 'all' ? ['ingest', 'worker', 'api'] : [config.role];
  const runs = (r: Exclude<Role, 'all'>) => roles.includes(r);
  const cleanup: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const fn of cleanup.reverse()) await fn().catch((err) => logger.warn({ err }, 'closing failed'));
  };
  try {
    const metrics = createMetrics();
    const control = await openControlStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    cleanup.push(() => control.close());
    const controlCheck: ReadinessCheck = { name: 'control_store', check: async () => void (await control.query('SELECT 1')) };
    let redis: RedisHandle | null = null;
    // The api uses Redis only when it is configured: then sign-in and registration limits hold across api processes.
    if (runs('ingest') || runs('worker') || (runs('api') && config.redisUrl)) {
      redis = openRedisFor(config, logger, metrics);
      cleanup.push(() => redis!.close());
    }
    const redisCheck: ReadinessCheck = { name: 'redis', check: () => redis!.ping() };
    let log: JetStreamLog | null = null;
    if (runs('ingest') || runs('worker')) {
      log = await openStreamFor(config, `unmogrowp-${roles.join('-')}-${process.pid}`, metrics);
      cleanup.push(() => log!.close());
    }
    const logCheck: ReadinessCheck = { name: 'event_log', check: async () => log!.unavailableReason() };
    let events: EventStore | null = null;
    if (runs('worker') || runs('api')) {
      events = await openEventStoreFor(config, metrics);
      cleanup.push(() => events!.close());
    }
    const eventsCheck: ReadinessCheck = { name: 'event_store', check: () => events!.ping() };
    const keys = new AppKeyResolver((presented) => findKey(control, presented));
    const links = createClickLinkCache((linkId) => findClickLink(control, linkId));
    // Set once the worker started: its consumer backlog and the attribution state's sizes.
    let workerGauges: (() => Promise<void>) | null = null;
    const beforeScrape = async () => {
      if (!log) return;
      // Fresh, not the last figure: the worker's lag is the stream's backlog (records not yet acked).
      const lag = await log.refreshPending();
      metrics.pipelineLagRecords.set(lag.records);
      metrics.pipelineLagBytes.set(lag.bytes);
      metrics.pipelineLagSeconds.set(lag.oldestAppendedAt ? (Date.now() - lag.oldestAppendedAt) / 1000 : 0);
      // A failed look (NATS or Redis away) keeps the last figures; readiness reports the outage.
      await workerGauges?.().catch((err) => logger.debug({ err }, 'worker gauges not refreshed'));
    };
    const tracing = await startTracing({
      endpoint: config.otelEndpoint,
      serviceName: config.otelServiceName ?? `unmogrowp-${config.role}`,
    });
    cleanup.push(() => tracing.shutdown());
    const allChecks: ReadinessCheck[] = [controlCheck];
    if (redis) allChecks.push(redisCheck);
    if (log) allChecks.push(logCheck);
    if (events) allChecks.push(eventsCheck);
    // One sampler per process (the System screen and the role gauges); its checks are this process's.
    const sampler = startOpsSampler({
      role: config.role,
      metrics,
      logger,
      checks: allChecks,
      dataDir: config.dataDir,
      control,
      refresh: beforeScrape,
    });
    cleanup.push(async () => sampler.stop());
    const listeners: { app: FastifyInstance; port: number; role: string }[] = [];
    const running: RunningRoles = { roles, close: async () => {} };

    if (runs('worker')) {
      const worker = await startWorkerRole(logger, {
        ...(tracing.enabled ? { tracer: new PipelineTracer(tracing) } : {}),
        control,
        events: events!,
        log: log!,
        redis: redis!,
        metrics,
        leaseMs: config.partitionLeaseSeconds * 1000,
        blockedCidrs: config.blockedCidrs,
        postbackAllowedCidrs: config.postbackAllowedCidrs,
      });
      cleanup.push(() => worker.stop());
      // The dedupe ids the ingests keep in Redis, read here so the worker dashboard shows every shared size.
      const dedupeView = new RedisDedupeIndex(redis!, { windowDays: config.dedupeDays });
      workerGauges = async () => {
        await worker.sampleGauges();
        metrics.dedupeKeys.set(await dedupeView.size());
      };
      const checks = [controlCheck, redisCheck, logCheck, eventsCheck, ...worker.checks];
      const app = await buildBaseApp('worker', config, logger, { metrics, checks, beforeScrape }, 1024);
      listeners.push({ app, port: config.workerPort, role: 'worker' });
    }
    if (runs('ingest')) {
      const touchpoints = await RedisTouchpointIndex.open(redis!);
      const touchState = {
        touchpoints,
        floods: new RedisClickFloodCounter(redis!),
        settingsOf: appSettingsCache(control),
        // The operator's BLOCKED_CIDRS hold at ingest too: workers do not judge touches again.
        globalBlocked: compileCidrs(config.blockedCidrs),
      };
      const dedupe = new RedisDedupeIndex(redis!, { windowDays: config.dedupeDays });
      const checks = [controlCheck, redisCheck, logCheck];
      const app = await buildIngestRole(
        config,
        logger,
        { metrics, checks, beforeScrape },
        {
          log: log!,
          dedupe,
          keys,
          links,
          metrics,
          control,
          // Installs are decided by workers into the shared registry; the attribution route reads it.
          devices: new RedisDeviceRegistry(redis!),
          // INGEST_RATE_LIMIT holds for a key across all ingest processes, not per process.
          rateLimit: config.ingestRateLimit > 0 ? new RedisKeyRateLimit(redis!, config.ingestRateLimit) : undefined,
          touches: ingestTouches(touchState),
        },
      );
      listeners.push({ app, port: config.ingestPort, role: 'ingest' });
    }
    if (runs('api')) {
      const shared = redis;
      const checks = shared ? [controlCheck, redisCheck, eventsCheck] : [controlCheck, eventsCheck];
      const { app } = await buildApiRole(
        config,
        logger,
        { metrics, checks },
        {
          control,
          events: events!,
          keys,
          onLinkChanged: (id) => links.invalidate(id),
          // Refused sign-ins and tokens are counted where they are audited; the System screen reads this process's sampler.
          ops: { onAudit: (action) => countSecurityAction(metrics, action), systemStatus: sampler.status },
          ...(shared
            ? {
                windowLimits: (name: string, limit: number, windowSeconds: number) =>
                  new RedisRateLimiter(shared, { name, limit, windowSeconds }),
              }
            : {}),
        },
      );
      listeners.push({ app, port: config.apiPort, role: 'api' });
    }
    for (const l of listeners) {
      const url = await l.app.listen({ host: config.host, port: l.port });
      // Listeners close first: nothing new is accepted while the rest shuts down.
      cleanup.push(() => l.app.close());
      if (l.role === 'ingest') running.ingestUrl = url;
      if (l.role === 'api') running.apiUrl = url;
      if (l.role === 'worker') running.workerUrl = url;
    }
    let closing: Promise<void> | null = null;
    running.close = () => (closing ??= closeAll());
    return running;
  } catch (err) {
    await closeAll();
    throw err;
  }
}
