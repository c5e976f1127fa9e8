import { statfs } from 'node:fs/promises';
import { postbackQueueStats, type SqlDb, verifyAudit } from '@unmogrowp/storage';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.ts';
import { MinuteRing } from './minute-ring.ts';
import { type ReadinessCheck, runCheck } from './ops.routes.ts';
import type { SystemStatus } from './system-status.ts';

export interface OpsSamplerOptions {
  role: string;
  metrics: Metrics;
  logger: Logger;
  checks: ReadinessCheck[];
  dataDir: string;
  /** The control store, where this role has one: postback queue and audit chain. */
  control?: SqlDb;
  /** Gauges read from in-process state (lag, index sizes), refreshed before each sample. */
  refresh?: () => Promise<void> | void;
  /** Readiness, disk and queue every this often (default 15 s). */
  intervalMs?: number;
  /** The audit chain is walked this often (default 10 min; it reads the whole trail). */
  auditEveryMs?: number;
}

export interface OpsSampler {
  /** Ingest listener requests, for the System screen's last hour. */
  traffic: MinuteRing;
  status(): Promise<SystemStatus>;
  /** One sample now (the first one at start; tests). `force` also walks the audit chain, however recently it was walked. */
  sample(options?: { force?: boolean }): Promise<void>;
  stop(): void;
}

/**
 * Periodic look at what a scrape cannot count: readiness of each dependency, free disk, the
 * postback outbox, the audit chain. Sets gauges (so alerts see them) and keeps the latest
 * answers for the System screen. Never throws: a failed probe is a 0 gauge and a log line.
 */
export function startOpsSampler(options: OpsSamplerOptions): OpsSampler {
  const { metrics, logger, control } = options;
  const traffic = new MinuteRing(60);
  const deps = new Map<string, SystemStatus['dependencies'][number]>();
  let disk: SystemStatus['disk'] = { path: options.dataDir, free_bytes: null, total_bytes: null };
  let postbacks: SystemStatus['postbacks'] = { pending: 0, oldest_pending_age_seconds: 0 };
  let audit: SystemStatus['audit_chain'] = { ok: null, entries: null, verified_at: null, first_bad_id: null };
  let lastAuditAt = 0;
  const auditEveryMs = options.auditEveryMs ?? 600_000;
  metrics.roleInfo.labels(options.role).set(1);

  const probeDependencies = async () => {
    let ready = true;
    for (const check of options.checks) {
      const reason = await runCheck(check);
      deps.set(check.name, { name: check.name, ok: !reason, reason, checked_at: new Date().toISOString() });
      metrics.dependencyUp.labels(check.name).set(reason ? 0 : 1);
      if (reason) ready = false;
    }
    metrics.ready.set(ready ? 1 : 0);
  };

  const probeDisk = async () => {
    const fs = await statfs(options.dataDir);
    disk = { path: options.dataDir, free_bytes: fs.bavail * fs.bsize, total_bytes: fs.blocks * fs.bsize };
    metrics.dataDirFree.set(disk.free_bytes ?? 0);
    metrics.dataDirSize.set(disk.total_bytes ?? 0);
  };

  const probePostbacks = async () => {
    if (!control) return;
    const stats = await postbackQueueStats(control, Date.now());
    postbacks = { pending: stats.pending, oldest_pending_age_seconds: stats.oldest_pending_age_seconds };
    metrics.postbackQueueDepth.set(stats.pending);
    metrics.postbackOldestPending.set(stats.oldest_pending_age_seconds);
  };

  let forceAudit = false;
  const probeAudit = async () => {
    if (!control || (!forceAudit && Date.now() - lastAuditAt < auditEveryMs)) return;
    forceAudit = false;
    lastAuditAt = Date.now();
    const result = await verifyAudit(control);
    audit = { ok: result.ok, entries: result.entries, verified_at: new Date().toISOString(), first_bad_id: result.first_bad_id ?? null };
    metrics.auditChainOk.set(result.ok ? 1 : 0);
    metrics.auditChainEntries.set(result.entries);
    metrics.auditChainVerified.set(Math.floor(Date.now() / 1000));
    if (!result.ok) logger.error({ first_bad_id: result.first_bad_id }, 'audit chain verification failed');
  };

  const guarded = (name: string, probe: () => Promise<void> | void) => async () => {
    try {
      await probe();
    } catch (err) {
      logger.warn({ err, probe: name }, 'operations probe failed');
    }
  };
  const probes = [
    guarded('refresh', () => options.refresh?.()),
    guarded('readiness', probeDependencies),
    guarded('disk', probeDisk),
    guarded('postbacks', probePostbacks),
    guarded('audit_chain', probeAudit),
  ];
  let running: Promise<void> | null = null;
  const once = () =>
    (running ??= (async () => {
      for (const probe of probes) await probe();
    })().finally(() => {
      running = null;
    }));
  const sample = async (options: { force?: boolean } = {}) => {
    // A forced sample must not ride on one already under way that skipped the audit chain.
    if (options.force) {
      await running;
      forceAudit = true;
    }
    await once();
  };
  const timer = setInterval(() => void sample(), options.intervalMs ?? 15_000);
  timer.unref();

  const status = async (): Promise<SystemStatus> => {
    await guarded('refresh', () => options.refresh?.())();
    const minutes = traffic.samples();
    const lastHour = minutes.reduce((a, m) => ({ requests: a.requests + m.requests, errors: a.errors + m.errors }), {
      requests: 0,
      errors: 0,
    });
    const lag = {
      lag_seconds: (await metrics.pipelineLagSeconds.get()).values[0]?.value ?? 0,
      lag_records: (await metrics.pipelineLagRecords.get()).values[0]?.value ?? 0,
    };
    const dependencies = [...deps.values()];
    return {
      role: options.role,
      generated_at: new Date().toISOString(),
      ready: dependencies.length > 0 && dependencies.every((d) => d.ok),
      dependencies,
      pipeline: lag,
      ingest: {
        window_minutes: minutes.length,
        requests_per_minute: lastHour.requests / minutes.length,
        error_ratio: lastHour.requests ? lastHour.errors / lastHour.requests : 0,
        minutes,
      },
      postbacks,
      disk,
      audit_chain: audit,
    };
  };

  return { traffic, status, sample, stop: () => clearInterval(timer) };
}
