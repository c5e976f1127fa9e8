import { clickFloodHour, clickFloodKey } from '@unmogrowp/attribution';

/**
 * Clicks per (link, IP) per click-time hour, for the click-flood rule (clickFloodReason of the
 * attribution package). Counting by the hour the click happened in — not the hour it arrived —
 * and each click id once means a click replayed from the log after a crash, or an S2S click
 * sent late or twice, counts once and in the right hour: the limit cannot be slipped past by
 * resending, and a replay gets the verdict it got the first time. Async like every port here,
 * so a Redis counter can take its place.
 */
export interface ClickFloodCounter {
  /**
   * Counts click `clickId` from `ip` on `linkId` in the UTC hour of `ts` and answers its rank
   * among the distinct clicks of that (link, IP, hour): 1 for the first. A click id already
   * counted answers the rank it got then and counts nothing.
   */
  hit(linkId: string, ip: string, clickId: string, ts: number): Promise<number>;
}

export interface MemoryClickFloodCounterOptions {
  /** (link, IP, hour) counters remembered at most; beyond, the oldest hours are forgotten (default 1M) */
  maxKeys?: number;
  /** click ids remembered per counter (default 256); beyond, clicks are counted but not told apart */
  exactUpTo?: number;
  /** click-time hours kept behind the newest one seen (default 24): later S2S clicks still land in their hour */
  keepHours?: number;
}

/** Click ids of one (link, IP, hour) as 32-bit hashes in arrival order: rank = position + 1. */
interface HourCount {
  ids: number[];
  count: number;
}

/**
 * The embedded counter. Memory is bounded twice: hours older than `keepHours` behind the newest
 * click time are dropped whole, and beyond `maxKeys` counters the oldest hours go first. Two
 * click ids of one (link, IP, hour) sharing a 32-bit hash (~n²/2³³ for n ids) count as one.
 */
export class MemoryClickFloodCounter implements ClickFloodCounter {
  private readonly hours = new Map<number, Map<string, HourCount>>();
  private newestHour = Number.NEGATIVE_INFINITY;
  private counters = 0;
  private readonly maxKeys: number;
  private readonly exactUpTo: number;
  private readonly keepHours: number;

  constructor(options: MemoryClickFloodCounterOptions = {}) {
    this.maxKeys = Math.max(2, options.maxKeys ?? 1_000_000);
    this.exactUpTo = Math.max(1, options.exactUpTo ?? 256);
    this.keepHours = Math.max(1, options.keepHours ?? 24);
  }

  async hit(linkId: string, ip: string, clickId: string, ts: number): Promise<number> {
    return this.hitNow(linkId, ip, clickId, ts);
  }

  hitNow(linkId: string, ip: string, clickId: string, ts: number): number {
    const hour = clickFloodHour(ts);
    if (hour > this.newestHour) this.advanceTo(hour);
    let pairs = this.hours.get(hour);
    if (!pairs) {
      pairs = new Map();
      this.hours.set(hour, pairs);
    }
    const key = clickFloodKey(linkId, ip);
    let counted = pairs.get(key);
    if (!counted) {
      counted = { ids: [], count: 0 };
      pairs.set(key, counted);
      this.counters++;
      if (this.counters > this.maxKeys) this.dropOldestExcept(hour);
    }
    const id = hash32(clickId);
    const seen = counted.ids.indexOf(id);
    if (seen >= 0) return seen + 1;
    counted.count++;
    if (counted.ids.length < this.exactUpTo) counted.ids.push(id);
    return counted.count;
  }

  /** Counters remembered. */
  size(): number {
    return this.counters;
  }

  private advanceTo(hour: number): void {
    this.newestHour = hour;
    for (const [h, pairs] of this.hours) {
      if (h < hour - this.keepHours) {
        this.counters -= pairs.size;
        this.hours.delete(h);
      }
    }
  }

  private dropOldestExcept(keep: number): void {
    while (this.counters > this.maxKeys) {
      let oldest = Number.POSITIVE_INFINITY;
      for (const h of this.hours.keys()) if (h !== keep && h < oldest) oldest = h;
      if (oldest === Number.POSITIVE_INFINITY) return; // one hour alone: let it hold what it counts
      this.counters -= this.hours.get(oldest)!.size;
      this.hours.delete(oldest);
    }
  }
}

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
