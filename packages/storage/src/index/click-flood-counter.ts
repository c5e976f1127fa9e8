import { canonicalIp } from '@unmogrowp/attribution';

/** What the click-flood rule needs of a click. */
export interface FloodClick {
  app_id: string;
  link_id: string;
  ip: string;
  /** our click id: a click is counted once however often it is replayed */
  touch_id: string;
  ts: number;
}

/**
 * Clicks per (app, link, IP) and hour of click time (UTC), for the click-flood rule
 * (clickFloodReason of the attribution package): each click id counts once, so a click replayed
 * from the log, or arriving late, out of order, or at another worker, neither counts twice nor
 * slips past the limit. Async like every port here, so a Redis counter can take its place.
 */
export interface ClickFloodCounter {
  /**
   * Counts this click in its hour; answers its place among that hour's distinct clicks from
   * this IP on this link (1 for the first). A click seen before answers the place it got then.
   */
  hit(click: FloodClick): Promise<number>;
}

export const FLOOD_HOUR_MS = 3_600_000;

/** Beyond this many clicks of one pair in one hour, ids are no longer kept: later clicks just count. */
export const DEFAULT_FLOOD_EXACT_UP_TO = 10_000;

/** The counter's key: the IP canonical, so '::ffff:1.2.3.4' and '1.2.3.4' share one. */
export function floodKey(click: FloodClick): string {
  return `${click.app_id}\u0000${click.link_id}\u0000${canonicalIp(click.ip)}\u0000${Math.floor(click.ts / FLOOD_HOUR_MS)}`;
}

export interface MemoryClickFloodCounterOptions {
  /** (app, link, IP, hour) counters kept at most; beyond, the oldest hour is forgotten first (default 1M) */
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

/** The embedded counter: one map of click ids per (app, link, IP, hour), grouped by hour so old hours drop whole. */
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
    this.exactUpTo = Math.max(1, options.exactUpTo ?? DEFAULT_FLOOD_EXACT_UP_TO);
  }

  async hit(click: FloodClick): Promise<number> {
    return this.hitNow(click);
  }

  hitNow(click: FloodClick): number {
    const hour = Math.floor(click.ts / FLOOD_HOUR_MS);
    if (hour > this.newestHour) {
      this.newestHour = hour;
      for (const h of this.hours.keys()) if (h < hour - this.keepHours) this.dropHour(h);
    }
    let pairs = this.hours.get(hour);
    if (!pairs) {
      pairs = new Map();
      this.hours.set(hour, pairs);
    }
    const key = floodKey(click);
    let pair = pairs.get(key);
    if (!pair) {
      pair = { ids: new Map(), over: 0 };
      pairs.set(key, pair);
      if (++this.keys > this.maxKeys) this.dropHour(Math.min(...this.hours.keys()));
    }
    const known = pair.ids.get(click.touch_id);
    if (known !== undefined) return known;
    if (pair.over === 0 && pair.ids.size < this.exactUpTo) {
      pair.ids.set(click.touch_id, pair.ids.size + 1);
      return pair.ids.size;
    }
    return this.exactUpTo + ++pair.over;
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
