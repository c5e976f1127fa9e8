import type { SystemStatus } from './api/types.ts';

/** How a figure on the System screen reads at a glance. */
export type Health = 'ok' | 'warn' | 'bad';

const GIB = 1024 ** 3;

/** Thresholds follow docs/operations.md (freshness 5 s; alerts at 1% 5xx and an hour-old postback). */
export function lagHealth(seconds: number): Health {
  return seconds <= 5 ? 'ok' : seconds <= 60 ? 'warn' : 'bad';
}

export function errorHealth(ratio: number): Health {
  return ratio < 0.001 ? 'ok' : ratio < 0.01 ? 'warn' : 'bad';
}

export function postbackHealth(oldestPendingSeconds: number): Health {
  return oldestPendingSeconds < 600 ? 'ok' : oldestPendingSeconds < 3600 ? 'warn' : 'bad';
}

export function diskHealth(free: number | null, total: number | null): Health {
  if (free === null || total === null || total === 0) return 'warn';
  const share = free / total;
  return share > 0.2 && free > 5 * GIB ? 'ok' : share > 0.05 ? 'warn' : 'bad';
}

export function bytes(n: number | null): string {
  if (n === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

export function duration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The one-line verdict at the top of the screen. */
export function overall(s: SystemStatus): { health: Health; text: string } {
  if (!s.ready) {
    const down = s.dependencies.filter((d) => !d.ok).map((d) => d.name);
    return { health: 'bad', text: `Not ready: ${down.join(', ') || 'no readiness answer yet'}` };
  }
  if (s.audit_chain.ok === false) return { health: 'bad', text: 'The audit chain does not verify' };
  const worst = [
    lagHealth(s.pipeline.lag_seconds),
    errorHealth(s.ingest.error_ratio),
    postbackHealth(s.postbacks.oldest_pending_age_seconds),
    diskHealth(s.disk.free_bytes, s.disk.total_bytes),
  ];
  if (worst.includes('bad')) return { health: 'bad', text: 'Something needs attention now' };
  if (worst.includes('warn')) return { health: 'warn', text: 'Healthy, with warnings' };
  return { health: 'ok', text: 'Everything is healthy' };
}
