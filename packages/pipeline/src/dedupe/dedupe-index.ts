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
