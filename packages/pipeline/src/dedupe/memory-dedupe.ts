import type { DedupeIndex } from './dedupe-index.ts';

const DAY = 86_400_000;

/**
 * Keys in one Set per UTC day of first sight; a whole day's Set is dropped once it is older
 * than the window, so expiry costs nothing per key. Keeps `windowDays + 1` days, so every key
 * is remembered for at least `windowDays`. Memory: roughly 100 bytes per key (V8 string + Set
 * slot), i.e. ~1 GB per 10M keys — see docs/benchmarks.md; the Redis adapter is for more.
 */
export class MemoryDedupeIndex implements DedupeIndex {
  private readonly days = new Map<number, Set<string>>();

  constructor(private readonly windowDays: number) {}

  async claim(keys: readonly string[], now: number): Promise<boolean[]> {
    const today = this.bucket(now);
    return keys.map((key) => {
      if (this.has(key)) return false;
      today.add(key);
      return true;
    });
  }

  async release(keys: readonly string[]): Promise<void> {
    for (const key of keys) for (const set of this.days.values()) set.delete(key);
  }

  remember(key: string, at: number): void {
    this.bucket(at).add(key);
  }

  size(): number {
    let n = 0;
    for (const set of this.days.values()) n += set.size;
    return n;
  }

  private has(key: string): boolean {
    for (const set of this.days.values()) if (set.has(key)) return true;
    return false;
  }

  private bucket(at: number): Set<string> {
    const day = Math.floor(at / DAY);
    let set = this.days.get(day);
    if (!set) {
      set = new Set();
      this.days.set(day, set);
      for (const d of this.days.keys()) if (d < day - this.windowDays) this.days.delete(d);
    }
    return set;
  }
}
