import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

type Registers = Registry[];

/** Why a click or impression was not recorded; a closed set, so it can be a label. */
export type TouchRefusal = 'unknown_link' | 'link_disabled' | 'invalid_key' | 'invalid_input' | 'unavailable';

/** The ingest path: durable commits, touches, installs that arrived, fraud. */
export function ingestMetrics(registers: Registers) {
  return {
    ingestCommit: new Histogram({
      name: 'unmogrowp_ingest_commit_duration_seconds',
      help: 'Time from handing accepted items to the durable log until it confirmed them (the wait before a 202)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    touches: new Counter({
      name: 'unmogrowp_touches_total',
      help: 'Clicks and impressions by outcome (recorded, duplicate, refused) and refusal reason (none when not refused)',
      labelNames: ['touch', 'outcome', 'reason'] as const,
      registers,
    }),
    ingestInstalls: new Counter({
      name: 'unmogrowp_ingest_installs_total',
      help: 'Install events accepted by ingest (the input of attribution decisions)',
      registers,
    }),
    fraudRejections: new Counter({
      name: 'unmogrowp_fraud_rejections_total',
      help: 'Installs and clicks rejected by a fraud rule, by kind (install, click) and reason',
      labelNames: ['kind', 'reason'] as const,
      registers,
    }),
    touchpointIndexSize: new Gauge({
      name: 'unmogrowp_touchpoint_index_entries',
      help: 'Clicks and impressions held in the touchpoint index',
      registers,
    }),
    deviceRegistrySize: new Gauge({
      name: 'unmogrowp_device_registry_devices',
      help: 'Installed devices held in the device registry',
      registers,
    }),
    postbackQueueDepth: new Gauge({
      name: 'unmogrowp_postback_queue_depth',
      help: 'Postbacks waiting for delivery (pending in the outbox)',
      registers,
    }),
    postbackOldestPending: new Gauge({
      name: 'unmogrowp_postback_oldest_pending_age_seconds',
      help: 'Age of the oldest postback still pending (0 when none)',
      registers,
    }),
    analyticsQuery: new Histogram({
      name: 'unmogrowp_analytics_query_duration_seconds',
      help: 'Analytics API latency by route template and status',
      labelNames: ['route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}

/** Sign-in failures and refusals, counted from the audit trail's actions (one hook). */
export function securityMetrics(registers: Registers) {
  return {
    loginFailures: new Counter({
      name: 'unmogrowp_login_failures_total',
      help: 'Failed sign-ins by reason: bad_credentials, rate_limited',
      labelNames: ['reason'] as const,
      registers,
    }),
    tokenRefusals: new Counter({
      name: 'unmogrowp_token_refusals_total',
      help: 'Refused tokens by kind: access, refresh, refresh_reuse',
      labelNames: ['kind'] as const,
      registers,
    }),
    authorizationRefusals: new Counter({
      name: 'unmogrowp_authorization_refusals_total',
      help: 'Authenticated requests refused for lack of a right',
      registers,
    }),
  };
}

/** What a periodic look at the process and its dependencies finds. */
export function healthMetrics(registers: Registers) {
  return {
    ready: new Gauge({ name: 'unmogrowp_ready', help: '1 when every dependency answered the last readiness check, else 0', registers }),
    dependencyUp: new Gauge({
      name: 'unmogrowp_dependency_up',
      help: '1 when the dependency answered the last readiness check, else 0',
      labelNames: ['dependency'] as const,
      registers,
    }),
    auditChainOk: new Gauge({
      name: 'unmogrowp_audit_chain_ok',
      help: '1 when the last verification of the audit hash chain held, 0 when it found a bad entry',
      registers,
    }),
    auditChainEntries: new Gauge({
      name: 'unmogrowp_audit_chain_entries',
      help: 'Entries walked by the last audit chain verification',
      registers,
    }),
    auditChainVerified: new Gauge({
      name: 'unmogrowp_audit_chain_last_verify_timestamp_seconds',
      help: 'When the audit chain was last verified (Unix time)',
      registers,
    }),
    dataDirFree: new Gauge({
      name: 'unmogrowp_data_dir_free_bytes',
      help: "Bytes available to this process on DATA_DIR's filesystem",
      registers,
    }),
    dataDirSize: new Gauge({ name: 'unmogrowp_data_dir_size_bytes', help: "Total bytes of DATA_DIR's filesystem", registers }),
    roleInfo: new Gauge({
      name: 'unmogrowp_role_info',
      help: 'Always 1; the role label says which role this process runs (all, ingest, worker, api)',
      labelNames: ['role'] as const,
      registers,
    }),
  };
}
