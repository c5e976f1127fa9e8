/**
 * What `claim` answers for one key:
 *  - `claimed`: new; this caller now holds it *pending* and must `commit` it once its write is
 *    durable, or `release` it when the write fails;
 *  - `duplicate`: a durable write of this key was committed earlier (inside the window);
 *  - `pending`: another request holds it and its write has not finished yet. The caller may not
 *    answer "duplicate" on the strength of that write (it may still fail): it waits and asks
 *    again, or answers 503 so the client retries.
 */
export type ClaimState = 'claimed' | 'duplicate' | 'pending';

/**
 * Remembers which `(app, event_id)` keys were accepted, for at least the dedupe window
 * (7 days, see the README). Embedded: memory, warmed from the event store and the log on start.
 * Scale-out: Redis — so the port is async and batch-shaped.
 *
 * A claim has two stages so that a retry racing the first copy's write is never acknowledged
 * before that write is durable: pending (claimed, write running), then committed (durable) or
 * released (failed). An adapter shared by processes must let a pending claim expire by itself
 * (a process killed mid-write never commits nor releases); seconds are enough, a log append is
 * bounded by the ingest request timeout.
 */
export interface DedupeIndex {
  /** For each key, in order; callers pass each key once (a key twice in one call is undefined behaviour). */
  claim(keys: readonly string[], now: number): Promise<ClaimState[]>;
  /** The claimed keys' write is durable: from now on they are duplicates (for the window, from `now`). */
  commit(keys: readonly string[], now: number): Promise<void>;
  /** The claimed keys' write failed: forget the claims, so the client's retry is accepted. */
  release(keys: readonly string[]): Promise<void>;
  /** Marks `keys[i]` as seen at `at[i]` without asking (warming on start); one round trip per call. */
  remember(keys: readonly string[], at: readonly number[]): Promise<void>;
  /** Keys remembered (an estimate for a shared store: see its adapter). */
  size(): Promise<number>;
}
