import type { ClaimState, DedupeIndex } from './dedupe-index.ts';
import { FingerprintSet, fingerprint } from './fingerprint-set.ts';

const DAY = 86_400_000;

/**
 * Committed keys as fingerprints in one set per UTC day of commit; a whole day's set is dropped
 * once it is older than the window, so expiry costs nothing per key. Keeps `windowDays + 1`
 * days, so every key is remembered for at least `windowDays`. About 16–32 bytes per key (see
 * fingerprint-set.ts); the Redis adapter is for more than one process.
 *
 * Pending claims (writes in flight) are a small map of their own: they live for one log append.
 */
export class MemoryDedupeIndex implements DedupeIndex {
  private readonly days = new Map<number, FingerprintSet>();
  /** Claimed keys whose write is in flight, with their fingerprint: commit does not hash them again. */
  private readonly pending = new Map<string, readonly [number, number]>();

  constructor(private readonly windowDays: number) {}

  async claim(keys: readonly string[], now: number): Promise<ClaimState[]> {
    this.bucket(now); // drops days that left the window
    return keys.map((key) => {
      if (this.pending.has(key)) return 'pending';
      const print = fingerprint(key);
      if (this.isCommitted(print[0], print[1])) return 'duplicate';
      this.pending.set(key, print);
      return 'claimed';
    });
  }

  async commit(keys: readonly string[], now: number): Promise<void> {
    const today = this.bucket(now);
    for (const key of keys) {
      const [hi, lo] = this.pending.get(key) ?? fingerprint(key);
      this.pending.delete(key);
      today.add(hi, lo);
    }
  }

  async release(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.pending.delete(key);
  }

  async remember(keys: readonly string[], at: readonly number[]): Promise<void> {
    for (let i = 0; i < keys.length; i++) {
      const [hi, lo] = fingerprint(keys[i]!);
      this.bucket(at[i]!).add(hi, lo);
    }
  }

  async size(): Promise<number> {
    return this.count();
  }

  count(): number {
    let n = this.pending.size;
    for (const set of this.days.values()) n += set.size;
    return n;
  }

  bytes(): number {
    let n = 0;
    for (const set of this.days.values()) n += set.bytes;
    return n;
  }

  private isCommitted(hi: number, lo: number): boolean {
    for (const set of this.days.values()) if (set.has(hi, lo)) return true;
    return false;
  }

  private bucket(at: number): FingerprintSet {
    const day = Math.floor(at / DAY);
    let set = this.days.get(day);
    if (!set) {
      set = new FingerprintSet();
      this.days.set(day, set);
      for (const d of this.days.keys()) if (d < day - this.windowDays) this.days.delete(d);
    }
    return set;
  }
}
