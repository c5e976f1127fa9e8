import type { DedupeIndex, EventLog } from '@unmogrowp/pipeline';
import type { IngestItem, ItemRejection, TouchItem } from '@unmogrowp/schema';
import { idKey } from '@unmogrowp/storage';
import { unavailable } from '../http/app-error.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Tracing } from '../ops/tracing.ts';
import { claimIds, confirmIds } from './claim-ids.ts';

export interface AcceptResult {
  accepted: number;
  duplicates: number;
  rejected: ItemRejection[];
}

export interface AcceptDeps {
  log: EventLog;
  dedupe: DedupeIndex;
  maxLagBytes: number;
  /**
   * Scale-out: clicks and impressions are flood-checked and put into the shared touchpoint index
   * here, before they are logged and acknowledged, so an install acknowledged after them sees
   * them whichever worker decides it (docs/scale-out-partitioning.md). Embedded: absent, the
   * pipeline does it in log order.
   */
  indexTouches?: (touches: TouchItem[]) => Promise<void>;
  metrics?: Pick<Metrics, 'ingestCommit' | 'ingestInstalls'>;
  /** On only with OTEL_EXPORTER_OTLP_ENDPOINT: the accepted items carry this request's trace into the log. */
  tracing?: Tracing;
}

/**
 * Dedupe, then make the new items durable. Resolves only after the log's fsync: that is what
 * makes the 202 a promise. A failed write releases the claimed ids, so the client's retry of
 * the same ids is accepted rather than called a duplicate.
 *
 * Counts are per item the client sent: one PostHog event with `$set` becomes two internal
 * items under the same index, and is still one accepted event.
 */
export async function acceptItems(
  deps: AcceptDeps,
  items: readonly { index: number; item: IngestItem }[],
  rejected: ItemRejection[],
  now: number,
  traceparent?: string,
): Promise<AcceptResult> {
  assertWritable(deps);
  if (items.length === 0) return { accepted: 0, duplicates: 0, rejected };
  const keys = items.map(({ item }) => idKey(item.app_id, item.event_id));
  const states = await claimIds(deps.dedupe, keys, now);
  const fresh = states.map((s) => s === 'claimed');
  if (states.includes('pending')) {
    // Another request with one of these ids is being logged right now (or its ingest died while
    // logging it): whether it is a duplicate is known in a moment, so nothing is taken now.
    await deps.dedupe.release(keys.filter((_, i) => fresh[i]));
    throw unavailable('in_flight', 'Some of these events are being stored by another request right now; retry after the delay given.', 2);
  }
  const toWrite: IngestItem[] = [];
  const claimed: string[] = [];
  const acceptedIndexes = new Set<number>();
  const allIndexes = new Set<number>();
  for (let i = 0; i < items.length; i++) {
    allIndexes.add(items[i]!.index);
    if (!fresh[i]) continue;
    toWrite.push(items[i]!.item);
    claimed.push(keys[i]!);
    acceptedIndexes.add(items[i]!.index);
  }
  if (toWrite.length > 0) {
    const span = deps.tracing?.enabled ? deps.tracing.startSpan('ingest', traceparent, { items: toWrite.length }) : null;
    if (span) for (const item of toWrite) item.trace = span.traceparent;
    try {
      const touches = deps.indexTouches ? toWrite.filter((i): i is TouchItem => i.kind === 'touch') : [];
      if (touches.length > 0) await deps.indexTouches!(touches);
      const started = performance.now();
      await deps.log.append(toWrite);
      deps.metrics?.ingestCommit.observe((performance.now() - started) / 1000);
      countInstalls(deps, toWrite);
      span?.end();
    } catch (err) {
      span?.end(err);
      await deps.dedupe.release(claimed);
      throw unavailable(
        'store_unavailable',
        `Events could not be stored durably (${(err as Error).message}); nothing was accepted, retry later.`,
      );
    }
    // Durable now. Should confirming fail, the pending claims expire and a retry is logged again:
    // the worker stores an id once whatever the log holds, so that costs a re-check, not a double.
    await confirmIds(deps.dedupe, claimed, now).catch(() => {});
  }
  return { accepted: acceptedIndexes.size, duplicates: allIndexes.size - acceptedIndexes.size, rejected };
}

/** Refuse before doing any work when the log cannot write or the pipeline has fallen too far behind. */
export function assertWritable(deps: AcceptDeps): void {
  const reason = deps.log.unavailableReason();
  if (reason) throw unavailable('store_unavailable', `Events cannot be stored right now (${reason}); retry later.`, 30);
  if (deps.log.pending().bytes > deps.maxLagBytes) {
    throw unavailable('overloaded', 'The pipeline is behind and is not accepting more events for now; retry after the delay given.', 5);
  }
}

/** Installs that arrived, so an alert can tell "no installs" from "installs but no decisions". */
function countInstalls(deps: AcceptDeps, items: readonly IngestItem[]): void {
  let installs = 0;
  for (const item of items) if (item.kind === 'event' && item.type === 'install') installs++;
  if (installs > 0) deps.metrics?.ingestInstalls.inc(installs);
}
