import type { MinuteSample } from './minute-ring.ts';

/** The admin System screen's answer (GET /api/admin/system): health at a glance, no Grafana needed. */
export interface SystemStatus {
  role: string;
  generated_at: string;
  ready: boolean;
  dependencies: { name: string; ok: boolean; reason: string | null; checked_at: string | null }[];
  pipeline: { lag_seconds: number; lag_records: number };
  ingest: { window_minutes: number; requests_per_minute: number; error_ratio: number; minutes: MinuteSample[] };
  postbacks: { pending: number; oldest_pending_age_seconds: number };
  disk: { path: string; free_bytes: number | null; total_bytes: number | null };
  audit_chain: { ok: boolean | null; entries: number | null; verified_at: string | null; first_bad_id: string | null };
}
