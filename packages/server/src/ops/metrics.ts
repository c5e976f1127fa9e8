import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Every metric of API.md §5 in one registry per process, served by both listeners. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = {
    registry,
    httpRequests: new Histogram({
      name: 'unmogrowp_http_request_duration_seconds',
      help: 'HTTP request latency by listener, route and status',
      labelNames: ['listener', 'method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    ingestItems: new Counter({
      name: 'unmogrowp_ingest_items_total',
      help: 'Ingested items (events, identities) by outcome: accepted, duplicate, rejected',
      labelNames: ['outcome', 'format'] as const,
      registers: [registry],
    }),
    storeWrite: new Histogram({
      name: 'unmogrowp_store_write_duration_seconds',
      help: 'Event store write latency per pipeline batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    storedItems: new Counter({ name: 'unmogrowp_stored_items_total', help: 'Items written to the event store', registers: [registry] }),
    pipelineErrors: new Counter({
      name: 'unmogrowp_pipeline_errors_total',
      help: 'Failed pipeline batches (retried)',
      registers: [registry],
    }),
    pipelineLagRecords: new Gauge({
      name: 'unmogrowp_pipeline_lag_records',
      help: 'Logged requests not yet stored',
      registers: [registry],
    }),
    pipelineLagBytes: new Gauge({ name: 'unmogrowp_pipeline_lag_bytes', help: 'Logged bytes not yet stored', registers: [registry] }),
    pipelineLagSeconds: new Gauge({
      name: 'unmogrowp_pipeline_lag_seconds',
      help: 'Age of the oldest logged record not yet stored',
      registers: [registry],
    }),
    attributionDecisions: new Counter({
      name: 'unmogrowp_attribution_decisions_total',
      help: 'Install decisions by match type and status',
      labelNames: ['match_type', 'status'] as const,
      registers: [registry],
    }),
    postbackAttempts: new Counter({
      name: 'unmogrowp_postback_attempts_total',
      help: 'Postback delivery attempts by outcome: delivered, retry, failed',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    dedupeKeys: new Gauge({ name: 'unmogrowp_dedupe_keys', help: 'event ids remembered for dedupe', registers: [registry] }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** One histogram sample per request; the route label is the route pattern, so ids do not explode cardinality. */
export function instrument(app: FastifyInstance, metrics: Metrics, listener: string): void {
  // The labelled child per route and status, found by one string instead of prom-client's
  // per-call label validation and sorting (a few % of a click's CPU in bench/clicks).
  type Child = ReturnType<Metrics['httpRequests']['labels']>;
  const children = new Map<string, Child>();
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const key = `${req.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = metrics.httpRequests.labels(listener, req.method, route, String(reply.statusCode));
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
  });
}
