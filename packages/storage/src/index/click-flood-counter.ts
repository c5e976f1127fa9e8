import { CLICK_FLOOD_WINDOW_MS, canonicalIp, clickFloodKey, countInTrailingHour } from '@unmogrowp/attribution';

/**
 * Clicks per (link, IP) in the trailing hour, for the click-flood rule (clickFloodReason of the
 * attribution package). Async like every port here, so a Redis counter can take its place.
 */
export interface ClickFloodCounter {
  /** Counts this click; answers how many clicks from `ip` on `linkId` fall in (ts − 1 h, ts], this one included. */
  hit(linkId: string, ip: string, ts: number): Promise<number>;
  /** Erase (docs/privacy.md): forgets the counts of these IPs on every link; returns how many (link, IP) pairs went. */
  forgetIps(ips: readonly string[]): Promise<number>;
}

export interface MemoryClickFloodCounterOptions {
  /** (link, IP) pairs remembered at most; beyond, the least recently clicked are forgotten (default 1M) */
  maxKeys?: number;
  /** clicks per pair counted exactly (default 256); above, per minute */
  exactUpTo?: number;
}

const MINUTE_MS = 60_000;
const WINDOW_MINUTES = CLICK_FLOOD_WINDOW_MS / MINUTE_MS;

/** Above `exactUpTo` clicks: counts per minute in a ring, so a flooding pair costs a fixed ~1 KB. */
class MinuteRing {
  private readonly minutes = new Float64Array(WINDOW_MINUTES).fill(Number.NEGATIVE_INFINITY);
  private readonly counts = new Uint32Array(WINDOW_MINUTES);

  constructor(times: readonly number[]) {
    for (const t of times) this.add(t);
  }

  add(ts: number): void {
    const minute = Math.floor(ts / MINUTE_MS);
    const i = minute % WINDOW_MINUTES;
    if (this.minutes[i] === minute) this.counts[i]!++;
    else if (this.minutes[i]! < minute) {
      this.minutes[i] = minute;
      this.counts[i] = 1;
    }
    // else: older than what the ring holds for that minute; it no longer counts anyway.
  }

  /** Clicks in the 60 whole minutes ending with ts's minute. */
  count(ts: number): number {
    const minute = Math.floor(ts / MINUTE_MS);
    let n = 0;
    for (let i = 0; i < WINDOW_MINUTES; i++) {
      const m = this.minutes[i]!;
      if (m <= minute && m > minute - WINDOW_MINUTES) n += this.counts[i]!;
    }
    return n;
  }
}

type PairClicks = number[] | MinuteRing;

/**
 * The embedded counter. Exact up to `exactUpTo` clicks per pair in the hour (the rule's default
 * threshold is 50); above, minute-granular. Memory is bounded twice: pairs sit in two generations
 * (a generation lasts an hour of click time, or until it holds maxKeys / 2 pairs), and a pair
 * not clicked during a whole generation is dropped with the older one. A pair dropped early
 * because of maxKeys counts from zero again.
 */
export class MemoryClickFloodCounter implements ClickFloodCounter {
  private current = new Map<string, PairClicks>();
  private previous = new Map<string, PairClicks>();
  private generationStart = Number.NEGATIVE_INFINITY;
  private readonly maxKeys: number;
  private readonly exactUpTo: number;

  constructor(options: MemoryClickFloodCounterOptions = {}) {
    this.maxKeys = Math.max(2, options.maxKeys ?? 1_000_000);
    this.exactUpTo = Math.max(1, options.exactUpTo ?? 256);
  }

  async hit(linkId: string, ip: string, ts: number): Promise<number> {
    return this.hitNow(linkId, ip, ts);
  }

  hitNow(linkId: string, ip: string, ts: number): number {
    this.rotateIfDue(ts);
    const key = clickFloodKey(linkId, ip);
    let clicks = this.current.get(key);
    if (clicks === undefined) {
      clicks = this.previous.get(key) ?? [];
      this.previous.delete(key);
      this.current.set(key, clicks);
    }
    if (clicks instanceof MinuteRing) {
      clicks.add(ts);
      return clicks.count(ts);
    }
    const { count } = countInTrailingHour(clicks, ts);
    insertSorted(clicks, ts);
    // Times more than an hour before the newest can never count again.
    const cutoff = clicks[clicks.length - 1]! - CLICK_FLOOD_WINDOW_MS;
    let stale = 0;
    while (stale < clicks.length && clicks[stale]! <= cutoff) stale++;
    if (stale > 0) clicks.splice(0, stale);
    if (clicks.length > this.exactUpTo) this.current.set(key, new MinuteRing(clicks));
    return count;
  }

  async forgetIps(ips: readonly string[]): Promise<number> {
    const suffixes = ips.map((ip) => `|${canonicalIp(ip)}`).filter((s) => s !== '|');
    let n = 0;
    for (const map of [this.current, this.previous]) {
      for (const key of [...map.keys()]) {
        if (suffixes.some((s) => key.endsWith(s)) && map.delete(key)) n++;
      }
    }
    return n;
  }

  /** Pairs remembered. */
  size(): number {
    return this.current.size + this.previous.size;
  }

  private rotateIfDue(ts: number): void {
    if (ts - this.generationStart < CLICK_FLOOD_WINDOW_MS && this.current.size < this.maxKeys / 2) return;
    this.previous = this.current;
    this.current = new Map();
    this.generationStart = Math.max(ts, this.generationStart);
  }
}

function insertSorted(times: number[], ts: number): void {
  let i = times.length;
  while (i > 0 && times[i - 1]! > ts) i--;
  times.splice(i, 0, ts);
}
