import { setTimeout as sleep } from 'node:timers/promises';
import type { ClaimState, DedupeIndex, EventLog } from '@unmogrowp/pipeline';
import type { IngestItem, ItemRejection, TouchItem } from '@unmogrowp/schema';
import { idKey } from '@unmogrowp/storage';
import { unavailable } from '../http/app-error.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Tracing } from '../ops/tracing.ts';

export interface AcceptResult {
  accepted: number;
  duplicates: number;
  rejected: ItemRejection[];
}

export interface AcceptDeps {
  log: EventLog;
  dedupe: DedupeIndex;
  maxLagBytes: number;
  /** How long a retry waits for another request's write of the same id to finish (default 2 s). */
  pendingWaitMs?: number;
  /**
   * Scale-out: clicks and impressions are judged (fraud rules, flood counter) before they are
   * logged, and put into the shared touchpoint index after the stream acknowledged them and
   * before the 202, so an install acknowledged after them sees them whichever worker decides it,
   * and a touch whose publish failed is never seen (docs/scale-out-partitioning.md). Embedded:
   * absent, the pipeline does both in log order.
   */
  touches?: {
    judge: (touches: TouchItem[]) => Promise<void>;
    index: (touches: TouchItem[]) => Promise<void>;
  };
  metrics?: Pick<Metrics, 'ingestCommit' | 'ingestInstalls'>;
  /** On only with OTEL_EXPORTER_OTLP_ENDPOINT: the accepted items carry this request's trace into the log. */
  tracing?: Tracing;
}

const PENDING_POLL_MS = 5;

/**
 * Dedupe, then make the new items durable. Resolves only after the log's fsync: that is what
 * makes the 202 a promise. Claims are pending while the write runs: committed once it is
 * durable, released when it fails (so the client's retry of the same ids is accepted, not
 * called a duplicate). A retry that finds its id pending waits for that write's outcome; if it
 * does not come in time the retry is answered 503 — never "duplicate" on the strength of a
 * write that may still fail.
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
  // The same id twice in one request: the later copies are duplicates of the first. One set
  // and flat arrays, not a map, three sets and a keys array: this runs for every event (the
  // "accept glue" of the batch profile in docs/benchmarks.md).
  const seen = new Set<string>();
  const unique: string[] = [];
  const uniqueAt = new Int32Array(items.length); // the item's position in `unique`, -1 for a later copy
  for (let i = 0; i < items.length; i++) {
    const { item } = items[i]!;
    const key = idKey(item.app_id, item.event_id);
    if (seen.has(key)) {
      uniqueAt[i] = -1;
      continue;
    }
    uniqueAt[i] = unique.length;
    seen.add(key);
    unique.push(key);
  }
  const states = await claimWaitingForPending(deps, unique, now);
  const claimed = unique.filter((_, i) => states[i] === 'claimed');
  const toWrite: IngestItem[] = [];
  const written = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    if (uniqueAt[i]! < 0 || states[uniqueAt[i]!] !== 'claimed') continue;
    toWrite.push(items[i]!.item);
    written[i] = 1;
  }
  if (toWrite.length > 0) {
    const span = deps.tracing?.enabled ? deps.tracing.startSpan('ingest', traceparent, { items: toWrite.length }) : null;
    if (span) for (const item of toWrite) item.trace = span.traceparent;
    let logged = false;
    try {
      const touches = deps.touches ? toWrite.filter((i): i is TouchItem => i.kind === 'touch') : [];
      if (touches.length > 0) await deps.touches!.judge(touches);
      const started = performance.now();
      await deps.log.append(toWrite);
      logged = true;
      deps.metrics?.ingestCommit.observe((performance.now() - started) / 1000);
      // Only now, when the touches will be stored, may attribution see them. Should indexing fail,
      // the client gets 503 and retries (the stream stores the re-publish once, the worker the
      // rows once), and the worker indexes what it stores in any case.
      if (touches.length > 0) await deps.touches!.index(touches);
      countInstalls(deps, toWrite);
      span?.end();
    } catch (err) {
      span?.end(err);
      await deps.dedupe.release(claimed);
      const why = (err as Error).message;
      throw unavailable(
        'store_unavailable',
        logged
          ? `Events were logged but could not be made visible to attribution (${why}); retry later, the retry is stored once.`
          : `Events could not be stored durably (${why}); nothing was accepted, retry later.`,
        retryAfterFor(deps),
      );
    }
    // Durable now. Should committing fail (a shared index unreachable), the pending claims expire
    // and a later copy is logged again: the worker stores an id once whatever the log holds, so
    // that costs a re-check, not a double, and the client still gets its 202 for a durable write.
    await deps.dedupe.commit(claimed, now).catch(() => {});
  }
  const { all, accepted } = countByIndex(items, written);
  return { accepted, duplicates: all - accepted, rejected };
}

/**
 * Client items (distinct `index`) in all, and those with at least one item written. Normalizers
 * emit an item's parts next to each other, so a change of index is a new client item; should
 * the order ever differ, sets count the same thing.
 */
function countByIndex(items: readonly { index: number }[], written: Uint8Array): { all: number; accepted: number } {
  let all = 0;
  let accepted = 0;
  let last = Number.NaN;
  let lastCounted = false;
  for (let i = 0; i < items.length; i++) {
    const index = items[i]!.index;
    if (index < last) return countByIndexWithSets(items, written);
    if (index !== last) {
      all++;
      last = index;
      lastCounted = false;
    }
    if (written[i] && !lastCounted) {
      accepted++;
      lastCounted = true;
    }
  }
  return { all, accepted };
}

function countByIndexWithSets(items: readonly { index: number }[], written: Uint8Array): { all: number; accepted: number } {
  const all = new Set<number>();
  const accepted = new Set<number>();
  for (let i = 0; i < items.length; i++) {
    all.add(items[i]!.index);
    if (written[i]) accepted.add(items[i]!.index);
  }
  return { all: all.size, accepted: accepted.size };
}

/**
 * Claims `keys`; keys another request is still writing are asked again until that write
 * commits (duplicate) or fails (then ours to claim). Past the wait, our own claims are released
 * and the whole request is refused with 503: nothing of it was acknowledged, the client retries.
 */
async function claimWaitingForPending(deps: AcceptDeps, keys: readonly string[], now: number): Promise<ClaimState[]> {
  const states = await deps.dedupe.claim(keys, now);
  const deadline = Date.now() + (deps.pendingWaitMs ?? 2_000);
  for (;;) {
    const waiting = states.flatMap((s, i) => (s === 'pending' ? [i] : []));
    if (waiting.length === 0) return states;
    if (Date.now() >= deadline) {
      await deps.dedupe.release(keys.filter((_, i) => states[i] === 'claimed'));
      throw unavailable(
        'write_in_progress',
        'Another request with the same event ids is still being stored; nothing was accepted, retry after the delay given.',
        1,
      );
    }
    await sleep(PENDING_POLL_MS);
    const again = await deps.dedupe.claim(
      waiting.map((i) => keys[i]!),
      now,
    );
    waiting.forEach((i, j) => {
      states[i] = again[j]!;
    });
  }
}

/** Refuse before doing any work when the log cannot write or the pipeline has fallen too far behind. */
export function assertWritable(deps: AcceptDeps): void {
  const reason = deps.log.unavailableReason();
  if (reason) throw unavailable('store_unavailable', `Events cannot be stored right now (${reason}); retry later.`, 30);
  if (deps.log.pending().bytes > deps.maxLagBytes) {
    throw unavailable('overloaded', 'The pipeline is behind and is not accepting more events for now; retry after the delay given.', 5);
  }
}

function retryAfterFor(deps: AcceptDeps): number {
  return deps.log.unavailableReason() ? 30 : 5;
}

/** Installs that arrived, so an alert can tell "no installs" from "installs but no decisions". */
function countInstalls(deps: AcceptDeps, items: readonly IngestItem[]): void {
  let installs = 0;
  for (const item of items) if (item.kind === 'event' && item.type === 'install') installs++;
  if (installs > 0) deps.metrics?.ingestInstalls.inc(installs);
}
