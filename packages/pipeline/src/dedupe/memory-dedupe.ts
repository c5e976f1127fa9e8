import type { DedupeIndex } from './dedupe-index.ts';
import { FingerprintSet, fingerprint } from './fingerprint-set.ts';

const DAY = 86_400_000;

/**
 * Fingerprints in one set per UTC day of first sight; a whole day's set is dropped once it is
 * older than the window, so expiry costs nothing per key. Keeps `windowDays + 1` days, so every
 * key is remembered for at least `windowDays`. About 16–32 bytes per key (see
 * fingerprint-set.ts); the Redis adapter is for more than one process.
 */
export class MemoryDedupeIndex implements DedupeIndex {
  private readonly days = new Map<number, FingerprintSet>();

  constructor(private readonly windowDays: number) {}

  async claim(keys: readonly string[], now: number): Promise<boolean[]> {
    const today = this.bucket(now);
    return keys.map((key) => {
      const [hi, lo] = fingerprint(key);
      return !this.hasOther(today, hi, lo) && today.add(hi, lo);
    });
  }

  async release(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const [hi, lo] = fingerprint(key);
      for (const set of this.days.values()) set.delete(hi, lo);
    }
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
    let n = 0;
    for (const set of this.days.values()) n += set.size;
    return n;
  }

  bytes(): number {
    let n = 0;
    for (const set of this.days.values()) n += set.bytes;
    return n;
  }

  /** In any day but `today` (today's set answers through `add`). */
  private hasOther(today: FingerprintSet, hi: number, lo: number): boolean {
    for (const set of this.days.values()) if (set !== today && set.has(hi, lo)) return true;
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
