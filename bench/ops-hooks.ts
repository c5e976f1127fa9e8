/**
 * bench/ops-hooks: the per-request work the operations code adds to the ingest path with
 * tracing off, measured in isolation (a loaded machine makes end-to-end A/B runs unreadable; see
 * docs/benchmarks.md): request id check, client-address prefix for the log line, the traffic
 * ring, the durable-commit histogram, counting installs in a batch, the tracing-off check.
 * Prints one JSON line: nanoseconds per request for a single event and for a 100-event batch.
 */
import type { IngestItem } from '@unmogrowp/schema';
import { logSafeIp, requestIdFrom } from '../packages/server/src/ops/log-safety.ts';
import { createMetrics } from '../packages/server/src/ops/metrics.ts';
import { MinuteRing } from '../packages/server/src/ops/minute-ring.ts';
import { NO_TRACING, type Tracing } from '../packages/server/src/ops/tracing.ts';

const N = Number(process.env.N ?? 300_000);
const metrics = createMetrics();
const ring = new MinuteRing(60);
const tracing: Tracing = NO_TRACING;
const event = { kind: 'event', type: 'event', app_id: 'app_1', event_id: 'e' } as unknown as IngestItem;
const single = [event];
const batch = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? ({ ...event, type: 'install' } as IngestItem) : event));

function perRequest(items: IngestItem[], i: number): number {
  const id = requestIdFrom(i % 2 ? 'ops-abc-123' : undefined);
  const ip = logSafeIp('203.0.113.7');
  ring.record(202);
  const span = tracing.enabled ? tracing.startSpan('ingest') : null;
  const started = performance.now();
  metrics.ingestCommit.observe((performance.now() - started) / 1000);
  let installs = 0;
  for (const item of items) if (item.kind === 'event' && item.type === 'install') installs++;
  if (installs > 0) metrics.ingestInstalls.inc(installs);
  span?.end();
  return id.length + (ip?.length ?? 0);
}

function time(items: IngestItem[]): number {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += perRequest(items, i); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink += perRequest(items, i);
  const ns = Number(process.hrtime.bigint() - t0) / N;
  if (sink === 42) console.error('');
  return Math.round(ns);
}

const singleNs = time(single);
const batchNs = time(batch);
console.log(
  JSON.stringify({
    bench: 'ops-hooks',
    tracing: 'off',
    requests: N,
    single_event_ns_per_request: singleNs,
    batch_100_ns_per_request: batchNs,
    // Against the measured end-to-end cost of a request (docs/benchmarks.md, quiet machine):
    // single events 4,790 req/s → ~209 µs each; 500-event batches ~79 req/s → ~12.6 ms each.
    single_share_of_request: Number((singleNs / 209_000).toFixed(4)),
  }),
);
