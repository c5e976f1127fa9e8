import { AsyncLocalStorage } from 'node:async_hooks';
import type { PostbackAttemptOutcome, RecordsHandler } from '@unmogrowp/pipeline';
import type { EventStore } from '@unmogrowp/storage';
import type { TraceSpan, Tracing } from './tracing.ts';

const STORE_WRITES = ['insertClicks', 'insertImpressions', 'insertInstalls', 'insertEvents', 'insertIdentities'] as const;
/** Traces remembered for postbacks delivered later by this process; oldest forgotten first. */
const REMEMBERED = 10_000;

/**
 * Joins the pipeline's work to the ingest request's trace: a `pipeline` span per trace found in
 * a batch (the log record carries the ingest span's traceparent), a `store` span under it per
 * table write, and a `postback` span for each delivery attempt of what that trace produced.
 * Used only when tracing is on; the plain pipeline is not wrapped.
 */
export class PipelineTracer {
  /** The batch spans of the handler call in progress; per async context, since a worker runs several partitions' batches at once. */
  private readonly current = new AsyncLocalStorage<TraceSpan[]>();
  private readonly byEvent = new Map<string, string>();

  constructor(private readonly tracing: Tracing) {}

  handler(inner: RecordsHandler): RecordsHandler {
    return async (records) => {
      const parents = new Map<string, number>();
      for (const record of records)
        for (const item of record.items) if (item.trace) parents.set(item.trace, (parents.get(item.trace) ?? 0) + 1);
      const spans = [...parents].map(([parent, items]) => ({ parent, span: this.tracing.startSpan('pipeline', parent, { items }) }));
      try {
        await this.current.run(
          spans.map((s) => s.span),
          () => inner(records),
        );
      } catch (err) {
        for (const { span } of spans) span.end(err);
        throw err;
      }
      const spanOf = new Map(spans.map((s) => [s.parent, s.span]));
      for (const record of records) {
        for (const item of record.items) {
          const span = item.trace ? spanOf.get(item.trace) : undefined;
          if (span) this.remember(`${item.app_id}\u0000${item.event_id}`, span.traceparent);
        }
      }
      for (const { span } of spans) span.end();
    };
  }

  /** The store as the pipeline sees it, with a `store` span per write under each batch span. */
  store(inner: EventStore): EventStore {
    const spans = () => this.current.getStore() ?? [];
    return new Proxy(inner, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (!(STORE_WRITES as readonly (string | symbol)[]).includes(prop)) return value.bind(target);
        // Every argument goes through: an insert's options carry its dedupe token.
        return async (rows: readonly unknown[], ...rest: unknown[]) => {
          const children = spans().map((s) =>
            s.child('store', { table: String(prop).replace('insert', '').toLowerCase(), rows: rows.length }),
          );
          try {
            await value.call(target, rows, ...rest);
            for (const c of children) c.end();
          } catch (err) {
            for (const c of children) c.end(err);
            throw err;
          }
        };
      },
    });
  }

  /** A delivery attempt, as a span of the trace whose install or event caused it (when this process saw it). */
  attempt(a: PostbackAttemptOutcome): void {
    const parent = this.byEvent.get(`${a.app_id}\u0000${a.event_id || a.install_id}`);
    if (!parent) return;
    const span = this.tracing.startSpan(
      'postback',
      parent,
      { media_source: a.media_source, event_name: a.event_name, attempt: a.attempt, outcome: a.outcome },
      Date.now() - a.duration_ms,
    );
    span.end(undefined, a.status_code === null ? { error: a.error ?? 'unknown' } : { status_code: a.status_code });
  }

  private remember(key: string, traceparent: string): void {
    this.byEvent.delete(key);
    this.byEvent.set(key, traceparent);
    if (this.byEvent.size > REMEMBERED) this.byEvent.delete(this.byEvent.keys().next().value!);
  }
}
