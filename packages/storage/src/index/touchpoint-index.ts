import type { Platform, Touchpoint } from '@unmogrowp/attribution';

/**
 * Recent clicks and impressions, found the three ways the tiers of docs/attribution-rules.md need: by our click
 * id (referrer / deep link), by advertising id (device-id click and view-through), and by
 * (IP, platform, OS version) (probabilistic). Embedded: memory, rebuilt from the event store on
 * start; scale-out: Redis with TTLs — hence async answers and nothing an in-process-only store
 * could answer cheaply (no scans, no ordering promises).
 *
 * What the index keeps is what can win an install:
 *  - a touch with a `fraud_reason` is not kept (it never counts);
 *  - an impression without a usable advertising id is not kept (view-through needs one);
 *  - byClickId and byDevice find clicks only (referrer and probabilistic matching are for clicks).
 * Lookups return touches as added, except `ip` in its canonical spelling (canonicalIp) and
 * `advertising_id` possibly lower-/upper-cased as a whole — the engine compares both normalised.
 * Windows are the engine's job: `sinceMs` only bounds how far back a lookup reaches.
 */
export interface TouchpointIndex {
  /** Keeps the touch; false when it is not kept (see above), older than the eviction floor, or a click already kept. */
  add(touch: Touchpoint): Promise<boolean>;
  /** The click with our click id `touchId` in this app. */
  byClickId(appId: string, touchId: string): Promise<Touchpoint | null>;
  /** Clicks and impressions of this advertising id (compared normalised) at or after `sinceMs`, in no particular order. */
  byAdvertisingId(appId: string, advertisingId: string, sinceMs: number): Promise<Touchpoint[]>;
  /** Clicks from this IP (canonical), platform and OS version (normalised) at or after `sinceMs`, in no particular order. */
  byDevice(appId: string, ip: string, platform: Platform, osVersion: string, sinceMs: number): Promise<Touchpoint[]>;
  /** Forgets every touch older than `ms` (ts < ms) and refuses such touches from now on; returns how many were forgotten. */
  evictBefore(ms: number): Promise<number>;
  /**
   * Erase (docs/privacy.md): forgets this app's touches with any of these advertising ids
   * (compared normalised) or touch ids; returns how many were forgotten.
   */
  forget(appId: string, who: { advertisingIds: readonly string[]; touchIds: readonly string[] }): Promise<number>;
  /** Touches kept. */
  size(): Promise<number>;
}
