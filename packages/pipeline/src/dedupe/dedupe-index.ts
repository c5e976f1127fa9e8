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
  /** Marks a key as seen at `at` without asking (warming on start). */
  remember(key: string, at: number): void;
  size(): number;
}
