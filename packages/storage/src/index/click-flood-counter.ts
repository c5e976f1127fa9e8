import { CLICK_FLOOD_WINDOW_MS, canonicalIp, clickFloodKey } from '@unmogrowp/attribution';

/**
 * Clicks per (link, IP) and hour of click time (UTC), for the click-flood rule
 * (clickFloodReason of the attribution package): each click id counts once, so a click replayed
 * from the log, or arriving late, out of order, or at another worker, neither counts twice nor
 * slips past the limit. Async like every port here, so a Redis counter can take its place.
 */
export interface ClickFloodCounter {
  /**
   * Counts click `clickId` from `ip` on `linkId` in the UTC hour of `ts`; answers its place among
   * that hour's distinct clicks from this IP on this link (1 for the first). A click seen
   * before answers the place it got then and counts nothing.
   */
  hit(linkId: string, ip: string, clickId: string, ts: number): Promise<number>;
  /** Erase (docs/privacy.md): forgets the counts of these IPs on every link; returns how many counters went. */
  forgetIps(ips: readonly string[]): Promise<number>;
}

export interface MemoryClickFloodCounterOptions {
  /** (link, IP, hour) counters kept at most; beyond, the oldest hour is forgotten first (default 1M) */
  maxKeys?: number;
  /** hours of click time kept behind the newest one seen (default 6); a click older than that counts from zero */
  keepHours?: number;
  /** click ids kept per counter (default 10,000); beyond, clicks count without their ids (a replay of one counts again) */
  exactUpTo?: number;
}

interface PairHour {
  ids: Map<string, number>;
  /** clicks counted beyond exactUpTo */
  over: number;
}

/** The embedded counter: one map of click ids per (link, IP, hour), grouped by hour so old hours drop whole. */
export class MemoryClickFloodCounter implements ClickFloodCounter {
  private readonly hours = new Map<number, Map<string, PairHour>>();
  private newestHour = Number.NEGATIVE_INFINITY;
  private keys = 0;
  private readonly maxKeys: number;
  private readonly keepHours: number;
  private readonly exactUpTo: number;

  constructor(options: MemoryClickFloodCounterOptions = {}) {
    this.maxKeys = Math.max(1, options.maxKeys ?? 1_000_000);
    this.keepHours = Math.max(1, options.keepHours ?? 6);
    this.exactUpTo = Math.max(1, options.exactUpTo ?? 10_000);
  }

  async hit(linkId: string, ip: string, clickId: string, ts: number): Promise<number> {
    return this.hitNow(linkId, ip, clickId, ts);
  }

  hitNow(linkId: string, ip: string, clickId: string, ts: number): number {
    const hour = Math.floor(ts / CLICK_FLOOD_WINDOW_MS);
    if (hour > this.newestHour) {
      this.newestHour = hour;
      for (const h of this.hours.keys()) if (h < hour - this.keepHours) this.dropHour(h);
    }
    let pairs = this.hours.get(hour);
    if (!pairs) {
      pairs = new Map();
      this.hours.set(hour, pairs);
    }
    const key = clickFloodKey(linkId, ip);
    let pair = pairs.get(key);
    if (!pair) {
      pair = { ids: new Map(), over: 0 };
      pairs.set(key, pair);
      if (++this.keys > this.maxKeys) this.dropHour(Math.min(...this.hours.keys()));
    }
    const known = pair.ids.get(clickId);
    if (known !== undefined) return known;
    if (pair.over === 0 && pair.ids.size < this.exactUpTo) {
      pair.ids.set(clickId, pair.ids.size + 1);
      return pair.ids.size;
    }
    return this.exactUpTo + ++pair.over;
  }

  async forgetIps(ips: readonly string[]): Promise<number> {
    const suffixes = ips.map((ip) => `|${canonicalIp(ip)}`).filter((s) => s !== '|');
    let n = 0;
    for (const pairs of this.hours.values()) {
      for (const key of [...pairs.keys()]) {
        if (suffixes.some((s) => key.endsWith(s)) && pairs.delete(key)) n++;
      }
    }
    this.keys -= n;
    return n;
  }

  /** Counters kept. */
  size(): number {
    return this.keys;
  }

  private dropHour(hour: number): void {
    this.keys -= this.hours.get(hour)?.size ?? 0;
    this.hours.delete(hour);
  }
}
