import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { healthMetrics, ingestMetrics, securityMetrics } from './domain-metrics.ts';
import type { MinuteRing } from './minute-ring.ts';
import { scaleOutMetrics } from './scale-out-metrics.ts';

/**
 * Every metric of docs/operations.md in one registry per process, served by each listener of
 * that process. Label values come from closed sets (outcome, reason, route template, listener),
 * never from app ids, user ids or raw paths, so the series count stays bounded.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics = {
    registry,
    httpRequests: new Histogram({
      name: 'unmogrowp_http_request_duration_seconds',
      help: 'HTTP request latency by listener, route and status',
      labelNames: ['listener', 'method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
    ingestItems: new Counter({
      name: 'unmogrowp_ingest_items_total',
      help: 'Ingested items (events, identities) by outcome: accepted, duplicate, rejected',
      labelNames: ['outcome', 'format'] as const,
      registers,
    }),
    storeWrite: new Histogram({
      name: 'unmogrowp_store_write_duration_seconds',
      help: 'Event store write latency per pipeline batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    storedItems: new Counter({ name: 'unmogrowp_stored_items_total', help: 'Items written to the event store', registers }),
    pipelineErrors: new Counter({
      name: 'unmogrowp_pipeline_errors_total',
      help: 'Failed pipeline batches (retried)',
      registers,
    }),
    pipelineLagRecords: new Gauge({
      name: 'unmogrowp_pipeline_lag_records',
      help: 'Logged requests not yet stored',
      registers,
    }),
    pipelineLagBytes: new Gauge({ name: 'unmogrowp_pipeline_lag_bytes', help: 'Logged bytes not yet stored', registers }),
    pipelineLagSeconds: new Gauge({
      name: 'unmogrowp_pipeline_lag_seconds',
      help: 'Age of the oldest logged record not yet stored',
      registers,
    }),
    attributionDecisions: new Counter({
      name: 'unmogrowp_attribution_decisions_total',
      help: 'Install decisions by match type and status',
      labelNames: ['match_type', 'status'] as const,
      registers,
    }),
    postbackAttempts: new Counter({
      name: 'unmogrowp_postback_attempts_total',
      help: 'Postback delivery attempts by outcome: delivered, retry, failed, stale',
      labelNames: ['outcome'] as const,
      registers,
    }),
    dedupeKeys: new Gauge({ name: 'unmogrowp_dedupe_keys', help: 'event ids remembered for dedupe', registers }),
    // The embedded index holds every id of DEDUPE_DAYS in memory, so its bytes grow with the
    // event rate by design; RSS minus this is what must stay flat (bench/soak.ts).
    dedupeBytes: new Gauge({ name: 'unmogrowp_dedupe_bytes', help: 'bytes of the in-memory dedupe index (embedded profile)', registers }),
    // A restart answers within seconds while the stored state is still read back behind the
    // listeners (startup/warm-behind-listeners.ts); until then decisions and dedupe lean on the store.
    startupWarm: new Gauge({
      name: 'unmogrowp_startup_warm',
      help: '1 once start-up has read the stored attribution state and dedupe ids back, 0 while it still does',
      registers,
    }),
    ...ingestMetrics(registers),
    ...securityMetrics(registers),
    ...healthMetrics(registers),
    ...scaleOutMetrics(registers),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

const ANALYTICS_PREFIX = '/api/analytics/';

/**
 * One histogram sample per request; the route label is the route pattern (`/c/:link_id`), so ids
 * do not explode cardinality, and an unmatched path is `unmatched`, never the raw path.
 */
export function instrument(app: FastifyInstance, metrics: Metrics, listener: string, traffic?: MinuteRing): void {
  // The labelled child per route and status, found by one string instead of prom-client's
  // per-call label validation and sorting (a few % of a click's CPU in bench/clicks).
  type Child = ReturnType<Metrics['httpRequests']['labels']>;
  const children = new Map<string, Child>();
  // A callback hook: an async one costs a promise and a microtask on every request.
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    const key = `${req.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = metrics.httpRequests.labels(listener, req.method, route, String(reply.statusCode));
      children.set(key, child);
    }
    child.observe(seconds);
    traffic?.record(reply.statusCode);
    if (route.startsWith(ANALYTICS_PREFIX)) metrics.analyticsQuery.labels(route, String(reply.statusCode)).observe(seconds);
    done();
  });
}
