import { canonicalIp, normalizeAdvertisingId, normalizeOsVersion, type Platform, type Touchpoint } from '@unmogrowp/attribution';
import { MAX_SLOTS } from './slot-table.ts';
import { newProfilePools, type ProfilePools } from './touch-profiles.ts';
import { adKeyHash, clickKeyHash, deviceKeyHash, TouchSegment } from './touch-segment.ts';
import type { TouchpointIndex } from './touchpoint-index.ts';

export interface MemoryTouchpointIndexOptions {
  /** touches per segment (default 1M); smaller in tests to exercise sealing and eviction */
  segmentSize?: number;
}

export interface TouchpointIndexStats {
  touches: number;
  segments: number;
  link_profiles: number;
  device_profiles: number;
  /** typed arrays, arenas and hash tables (off the V8 heap) */
  bytes: number;
}

/**
 * The embedded TouchpointIndex: touches in segments of up to 1M (TouchSegment), the last one
 * taking new touches. Eviction raises a floor (older touches are invisible at once), drops
 * segments wholly below it, and rebuilds a segment once more than half of it is below, so memory
 * stays within about twice what is live. Lookups visit every segment: 10M touches are ~10 probes.
 */
export class MemoryTouchpointIndex implements TouchpointIndex {
  private segments: TouchSegment[];
  private floor = Number.NEGATIVE_INFINITY;
  /** touches below the floor still held by segments not yet dropped or rebuilt */
  private hidden = 0;
  private readonly segmentSize: number;
  private readonly pools: ProfilePools = newProfilePools();

  constructor(options: MemoryTouchpointIndexOptions = {}) {
    this.segmentSize = Math.min(options.segmentSize ?? 1 << 20, MAX_SLOTS);
    this.segments = [this.newSegment()];
  }

  async add(touch: Touchpoint): Promise<boolean> {
    return this.addNow(touch);
  }

  /** `add` without the promise, for bulk loading (rebuild from the event store). */
  addNow(touch: Touchpoint): boolean {
    if (!isKept(touch) || touch.ts < this.floor) return false;
    if (touch.kind === 'click' && this.findClick(touch.app_id, touch.touch_id)) return false;
    let active = this.segments[this.segments.length - 1]!;
    if (active.full) {
      active.seal();
      active = this.newSegment();
      this.segments.push(active);
    }
    return active.add(touch);
  }

  async byClickId(appId: string, touchId: string): Promise<Touchpoint | null> {
    const found = this.findClick(appId, touchId);
    return found ? found.segment.touchAt(found.slot) : null;
  }

  async byAdvertisingId(appId: string, advertisingId: string, sinceMs: number): Promise<Touchpoint[]> {
    const ad = normalizeAdvertisingId(advertisingId);
    const out: Touchpoint[] = [];
    if (ad === '') return out;
    const since = Math.max(sinceMs, this.floor);
    const hash = adKeyHash(appId, ad);
    for (const segment of this.segments) {
      if (segment.maxTs < since) continue;
      segment.forEachAd(appId, ad, hash, (slot) => {
        if (segment.tsAt(slot) >= since) out.push(segment.touchAt(slot));
      });
    }
    return out;
  }

  async byDevice(appId: string, ip: string, platform: Platform, osVersion: string, sinceMs: number): Promise<Touchpoint[]> {
    const canonical = canonicalIp(ip);
    const os = normalizeOsVersion(osVersion);
    const out: Touchpoint[] = [];
    if (canonical === '' || os === '') return out;
    const since = Math.max(sinceMs, this.floor);
    const hash = deviceKeyHash(appId, canonical, platform, os);
    for (const segment of this.segments) {
      if (segment.maxTs < since) continue;
      segment.forEachDevice(appId, canonical, platform, os, hash, (slot) => {
        if (segment.tsAt(slot) >= since) out.push(segment.touchAt(slot));
      });
    }
    return out;
  }

  async evictBefore(ms: number): Promise<number> {
    if (ms <= this.floor) return 0;
    const before = this.liveCount();
    this.floor = ms;
    const kept: TouchSegment[] = [];
    this.hidden = 0;
    for (const [i, segment] of this.segments.entries()) {
      const isActive = i === this.segments.length - 1;
      const dead = segment.countBefore(ms);
      if (dead === segment.count && !isActive) {
        segment.release();
        continue;
      }
      if (dead > 0 && dead * 2 >= segment.count) {
        kept.push(this.rebuilt(segment, isActive));
      } else {
        this.hidden += dead;
        kept.push(segment);
      }
    }
    this.segments = kept;
    return before - this.liveCount();
  }

  async forget(appId: string, who: { advertisingIds: readonly string[]; touchIds: readonly string[] }): Promise<number> {
    let forgotten = 0;
    const last = this.segments.length - 1;
    this.segments = this.segments.map((segment, i) => {
      const slots = new Set<number>();
      for (const raw of who.advertisingIds) {
        const ad = normalizeAdvertisingId(raw);
        if (ad !== '') segment.forEachAd(appId, ad, adKeyHash(appId, ad), (slot) => slots.add(slot));
      }
      for (const id of who.touchIds) {
        const slot = segment.clickSlot(appId, id, clickKeyHash(appId, id));
        if (slot >= 0) slots.add(slot);
      }
      if (slots.size === 0) return segment;
      // Segments are append-only: the person's touches leave by copying the segment without them.
      const fresh = this.newSegment(Math.max(segment.count - slots.size, 1));
      for (let slot = 0; slot < segment.count; slot++) {
        if (segment.tsAt(slot) < this.floor) continue;
        if (slots.has(slot)) forgotten++;
        else fresh.add(segment.touchAt(slot));
      }
      segment.release();
      if (i !== last) fresh.seal();
      return fresh;
    });
    this.hidden = this.segments.reduce((n, s) => n + s.countBefore(this.floor), 0);
    return forgotten;
  }

  async size(): Promise<number> {
    return this.liveCount();
  }

  stats(): TouchpointIndexStats {
    return {
      touches: this.liveCount(),
      segments: this.segments.length,
      link_profiles: this.pools.links.size,
      device_profiles: this.pools.devices.size,
      bytes: this.segments.reduce((n, s) => n + s.byteLength, 0),
    };
  }

  private liveCount(): number {
    return this.segments.reduce((n, s) => n + s.count, 0) - this.hidden;
  }

  private findClick(appId: string, touchId: string): { segment: TouchSegment; slot: number } | null {
    const hash = clickKeyHash(appId, touchId);
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i]!;
      if (segment.maxTs < this.floor) continue;
      const slot = segment.clickSlot(appId, touchId, hash);
      if (slot >= 0) return segment.tsAt(slot) >= this.floor ? { segment, slot } : null;
    }
    return null;
  }

  /** A copy of the segment's touches at or above the floor, in their order (so chains stay newest first). */
  private rebuilt(segment: TouchSegment, stillActive: boolean): TouchSegment {
    const fresh = this.newSegment(Math.max(segment.count - segment.countBefore(this.floor), 1));
    for (let slot = 0; slot < segment.count; slot++) {
      if (segment.tsAt(slot) >= this.floor) fresh.add(segment.touchAt(slot));
    }
    segment.release();
    if (!stillActive) fresh.seal();
    return fresh;
  }

  private newSegment(initialCapacity?: number): TouchSegment {
    return new TouchSegment(this.segmentSize, initialCapacity, this.pools);
  }
}

/** Only what can win an install is kept (see TouchpointIndex). */
function isKept(touch: Touchpoint): boolean {
  if (touch.fraud_reason !== '') return false;
  return touch.kind === 'click' || normalizeAdvertisingId(touch.advertising_id) !== '';
}
