import { describe, expect, it } from 'vitest';
import type { SystemStatus } from '../src/lib/api/types.ts';
import { bytes, diskHealth, duration, errorHealth, lagHealth, overall, postbackHealth } from '../src/lib/system-health.ts';

const healthy: SystemStatus = {
  role: 'all',
  generated_at: '2026-12-07T03:00:00.000Z',
  ready: true,
  dependencies: [{ name: 'event_store', ok: true, reason: null, checked_at: null }],
  pipeline: { lag_seconds: 0.4, lag_records: 1 },
  ingest: { window_minutes: 60, requests_per_minute: 10, error_ratio: 0, minutes: [] },
  postbacks: { pending: 0, oldest_pending_age_seconds: 0 },
  disk: { path: '/data', free_bytes: 50 * 1024 ** 3, total_bytes: 100 * 1024 ** 3 },
  audit_chain: { ok: true, entries: 10, verified_at: null, first_bad_id: null },
};

describe('system health', () => {
  it('reads thresholds from the SLOs: freshness 5 s, 1% 5xx, an hour-old postback', () => {
    expect([lagHealth(5), lagHealth(6), lagHealth(61)]).toEqual(['ok', 'warn', 'bad']);
    expect([errorHealth(0), errorHealth(0.005), errorHealth(0.02)]).toEqual(['ok', 'warn', 'bad']);
    expect([postbackHealth(60), postbackHealth(700), postbackHealth(3600)]).toEqual(['ok', 'warn', 'bad']);
    expect([diskHealth(50, 100), diskHealth(null, 100), diskHealth(1, 100)]).toEqual(['warn', 'warn', 'bad']);
    expect(diskHealth(50 * 1024 ** 3, 100 * 1024 ** 3)).toBe('ok');
  });

  it('names what is down first, then a broken audit chain, then the worst figure', () => {
    expect(overall(healthy)).toEqual({ health: 'ok', text: 'Everything is healthy' });
    const down = { ...healthy, ready: false, dependencies: [{ name: 'event_store', ok: false, reason: 'x', checked_at: null }] };
    expect(overall(down)).toEqual({ health: 'bad', text: 'Not ready: event_store' });
    expect(overall({ ...healthy, audit_chain: { ...healthy.audit_chain, ok: false } }).health).toBe('bad');
    expect(overall({ ...healthy, pipeline: { lag_seconds: 30, lag_records: 5 } }).health).toBe('warn');
  });

  it('formats bytes and durations for people', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(null)).toBe('—');
    expect(duration(0.25)).toBe('250 ms');
    expect(duration(4.2)).toBe('4.2 s');
    expect(duration(600)).toBe('10 min');
  });
});
