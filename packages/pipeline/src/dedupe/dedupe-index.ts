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
 * (API.md §2: 7 days). Embedded: memory, warmed from the event store and the log on start.
 * Scale-out: Redis `SET NX` with a TTL — so the port is async and batch-shaped.
 */
export interface DedupeIndex {
  /** For each key: true if it was new (and is now claimed), false if already seen. */
  claim(keys: readonly string[], now: number): Promise<boolean[]>;
  /** Forgets keys whose claim did not end in a durable write (so a retry is not called a duplicate). */
  release(keys: readonly string[]): Promise<void>;
  /** Marks `keys[i]` as seen at `at[i]` without asking (warming on start); one round trip per call. */
  remember(keys: readonly string[], at: readonly number[]): Promise<void>;
  /** Keys remembered (an estimate for a shared store: see its adapter). */
  size(): Promise<number>;
}
