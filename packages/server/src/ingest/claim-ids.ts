import { type ClaimState, type DedupeIndex, PENDING } from '@unmogrowp/pipeline';

/**
 * How long an id claimed by a write in flight stays reserved: beyond the log's append budget
 * (5 s), so a live write always finishes within it; an ingest killed mid-write blocks a retry
 * of its ids no longer than this.
 */
const PENDING_MS = 15_000;

/** A dedupe index several ingest processes share (Redis): a claim is pending until the log holds the item. */
interface TwoPhaseDedupe extends DedupeIndex {
  claimStates(keys: readonly string[], now: number, value: string, ttlMs: number): Promise<ClaimState[]>;
  commit(keys: readonly string[], now: number): Promise<void>;
}

function isTwoPhase(d: DedupeIndex): d is TwoPhaseDedupe {
  return typeof (d as Partial<TwoPhaseDedupe>).claimStates === 'function' && typeof (d as Partial<TwoPhaseDedupe>).commit === 'function';
}

/**
 * Claims ids for a write. In memory (one process) a claim is final at once: the process that
 * claimed either logs the item or dies and forgets the claim with it. A shared index outlives the
 * ingest that claimed, so there the claim is pending until `confirm` (after the log's ack): an
 * ingest killed between claim and append leaves a pending claim that expires, and the client's
 * retry is then accepted instead of being called a duplicate of an event that was never logged.
 */
export async function claimIds(dedupe: DedupeIndex, keys: readonly string[], now: number): Promise<ClaimState[]> {
  if (!isTwoPhase(dedupe)) return (await dedupe.claim(keys, now)).map((fresh) => (fresh ? 'claimed' : 'duplicate'));
  // An id twice in one request: its first copy is claimed, the others are duplicates of it (as
  // the in-memory index answers), never "pending" behind the request's own claim.
  const first = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) if (!first.has(keys[i]!)) first.set(keys[i]!, i);
  const unique = [...first.keys()];
  const states = await dedupe.claimStates(unique, now, PENDING, PENDING_MS);
  const byKey = new Map(unique.map((k, i) => [k, states[i]!]));
  return keys.map((k, i) => (first.get(k) === i ? byKey.get(k)! : 'duplicate'));
}

/** Makes claims final once the items are durable (a no-op for the in-memory index). */
export async function confirmIds(dedupe: DedupeIndex, keys: readonly string[], now: number): Promise<void> {
  if (isTwoPhase(dedupe) && keys.length > 0) await dedupe.commit(keys, now);
}
