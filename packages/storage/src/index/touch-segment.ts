import { normalizeAdvertisingId, type Platform, type Touchpoint } from '@unmogrowp/attribution';
import { hashKey } from './key-hash.ts';
import { MAX_SLOTS, SlotTable } from './slot-table.ts';
import {
  type DeviceProfile,
  deviceProfileKey,
  deviceProfileOf,
  type LinkProfile,
  linkProfileKey,
  linkProfileOf,
  newProfilePools,
  type ProfilePools,
  SegmentProfiles,
} from './touch-profiles.ts';
import { ByteArena, readAdvertisingId, readIp, readTouchId, readTouchStrings, writeTouchStrings } from './touch-record.ts';

/**
 * Up to `maxSlots` touches in columns (struct of arrays) instead of objects: per touch a Float64
 * time, two profile numbers, an arena offset and two chain links — 28 bytes — plus its strings in
 * the arena and its entries in three hash tables. Same-key touches (one advertising id, one
 * IP+platform+OS) form a chain through `nextAd` / `nextDevice`, newest first; the tables point
 * at each chain's head. Touches are never removed from a segment: the index drops or rebuilds
 * whole segments.
 */
const SEP = '\u0000';

/** Key hashes, computed once per lookup and handed to every segment. */
export function clickKeyHash(appId: string, touchId: string): number {
  return hashKey(appId + SEP + touchId);
}

/** `ad` normalised (normalizeAdvertisingId). */
export function adKeyHash(appId: string, ad: string): number {
  return hashKey(appId + SEP + ad);
}

/** `ip` canonical, `os` normalised. */
export function deviceKeyHash(appId: string, ip: string, platform: string, os: string): number {
  return hashKey(appId + SEP + ip + SEP + platform + SEP + os);
}

export class TouchSegment {
  count = 0;
  minTs = Number.POSITIVE_INFINITY;
  maxTs = Number.NEGATIVE_INFINITY;
  private ts: Float64Array;
  private link: Uint32Array;
  private device: Uint32Array;
  private record: Uint32Array;
  /** slot + 1 of the next (older) touch with the same key; 0 ends the chain */
  private nextAd: Uint32Array;
  private nextDevice: Uint32Array;
  private readonly arena = new ByteArena();
  private readonly links: SegmentProfiles<LinkProfile>;
  private readonly devicesSeen: SegmentProfiles<DeviceProfile>;
  private readonly clicks = new SlotTable();
  private readonly ads = new SlotTable();
  private readonly devices = new SlotTable();

  constructor(
    readonly maxSlots: number,
    initialCapacity = 1024,
    pools: ProfilePools = newProfilePools(),
  ) {
    this.links = new SegmentProfiles(pools.links);
    this.devicesSeen = new SegmentProfiles(pools.devices);
    if (maxSlots < 1 || maxSlots > MAX_SLOTS) throw new RangeError(`a segment holds 1 to ${MAX_SLOTS} touches`);
    const capacity = Math.min(initialCapacity, maxSlots);
    this.ts = new Float64Array(capacity);
    this.link = new Uint32Array(capacity);
    this.device = new Uint32Array(capacity);
    this.record = new Uint32Array(capacity);
    this.nextAd = new Uint32Array(capacity);
    this.nextDevice = new Uint32Array(capacity);
  }

  get full(): boolean {
    return this.count >= this.maxSlots;
  }

  /** Bytes held by columns, arena and tables (profiles aside: they are shared by many touches). */
  get byteLength(): number {
    const columns =
      this.ts.byteLength +
      this.link.byteLength +
      this.device.byteLength +
      this.record.byteLength +
      this.nextAd.byteLength +
      this.nextDevice.byteLength;
    return columns + this.arena.byteLength + this.clicks.byteLength + this.ads.byteLength + this.devices.byteLength;
  }

  /** Gives back the shared profiles; the segment must not be used afterwards. */
  release(): void {
    this.links.release();
    this.devicesSeen.release();
  }

  /** Stores a touch the index decided to keep; false when this click id is already here. */
  add(t: Touchpoint): boolean {
    if (this.full) throw new RangeError('segment is full');
    const isClick = t.kind === 'click';
    const cHash = isClick ? clickKeyHash(t.app_id, t.touch_id) : 0;
    if (isClick && this.clicks.get(cHash, this.isClick(t.app_id, t.touch_id)) >= 0) return false;
    if (this.count === this.ts.length) this.growColumns();

    const slot = this.count++;
    this.ts[slot] = t.ts;
    this.link[slot] = this.links.intern(linkProfileKey(t), () => linkProfileOf(t));
    this.device[slot] = this.devicesSeen.intern(deviceProfileKey(t), () => deviceProfileOf(t));
    this.record[slot] = writeTouchStrings(this.arena, t);
    if (t.ts < this.minTs) this.minTs = t.ts;
    if (t.ts > this.maxTs) this.maxTs = t.ts;

    if (isClick)
      this.clicks.put(
        cHash,
        slot,
        () => false,
        (s) => this.clickHashOf(s),
      );
    const ad = normalizeAdvertisingId(t.advertising_id);
    if (ad !== '') {
      const older = this.ads.put(adKeyHash(t.app_id, ad), slot, this.isAd(t.app_id, ad), (s) => this.adHashOf(s));
      this.nextAd[slot] = older + 1;
    }
    const device = isClick ? this.deviceParts(slot) : null;
    if (device) {
      const older = this.devices.put(deviceKeyHash(t.app_id, ...device), slot, this.isDevice(t.app_id, ...device), (s) =>
        this.deviceHashOf(s),
      );
      this.nextDevice[slot] = older + 1;
    }
    return true;
  }

  tsAt(slot: number): number {
    return this.ts[slot]!;
  }

  touchAt(slot: number): Touchpoint {
    const p = this.links.get(this.link[slot]!);
    const d = this.devicesSeen.get(this.device[slot]!);
    const s = readTouchStrings(this.arena, this.record[slot]!);
    return {
      kind: p.kind,
      touch_id: s.touch_id,
      app_id: p.app_id,
      link_id: p.link_id,
      ts: this.ts[slot]!,
      advertising_id: s.advertising_id,
      ip: s.ip,
      platform: d.platform,
      os_version: d.os_version,
      media_source: p.media_source,
      campaign: p.campaign,
      ad_set: p.ad_set,
      ad: p.ad,
      site_id: p.site_id,
      network_click_id: s.network_click_id,
      is_retargeting: p.is_retargeting,
      click_window_ms: p.click_window_ms,
      view_window_ms: p.view_window_ms,
      fraud_reason: '',
    };
  }

  clickSlot(appId: string, touchId: string, hash: number): number {
    return this.clicks.get(hash, this.isClick(appId, touchId));
  }

  /** Slots with this normalised advertising id, newest first, passed to `visit`. */
  forEachAd(appId: string, normalizedAdId: string, hash: number, visit: (slot: number) => void): void {
    let slot = this.ads.get(hash, this.isAd(appId, normalizedAdId));
    for (; slot >= 0; slot = this.nextAd[slot]! - 1) visit(slot);
  }

  /** Click slots with this canonical IP, platform and normalised OS version, newest first. */
  forEachDevice(appId: string, ip: string, platform: Platform, os: string, hash: number, visit: (slot: number) => void): void {
    let slot = this.devices.get(hash, this.isDevice(appId, ip, platform, os));
    for (; slot >= 0; slot = this.nextDevice[slot]! - 1) visit(slot);
  }

  /** How many touches are older than `ms`. */
  countBefore(ms: number): number {
    if (this.minTs >= ms) return 0;
    if (this.maxTs < ms) return this.count;
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.ts[i]! < ms) n++;
    return n;
  }

  /** A segment that takes no more touches gives back its spare capacity. */
  seal(): void {
    this.ts = this.ts.slice(0, this.count);
    this.link = this.link.slice(0, this.count);
    this.device = this.device.slice(0, this.count);
    this.record = this.record.slice(0, this.count);
    this.nextAd = this.nextAd.slice(0, this.count);
    this.nextDevice = this.nextDevice.slice(0, this.count);
    this.arena.trim();
  }

  private growColumns(): void {
    const capacity = Math.min(this.ts.length * 2, this.maxSlots);
    const grow = <T extends Float64Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.ts = grow(this.ts, (n) => new Float64Array(n));
    this.link = grow(this.link, (n) => new Uint32Array(n));
    this.device = grow(this.device, (n) => new Uint32Array(n));
    this.record = grow(this.record, (n) => new Uint32Array(n));
    this.nextAd = grow(this.nextAd, (n) => new Uint32Array(n));
    this.nextDevice = grow(this.nextDevice, (n) => new Uint32Array(n));
  }

  private appOf(slot: number): string {
    return this.links.get(this.link[slot]!).app_id;
  }

  /** [canonical ip, platform, normalised OS] of a click, or null when the probabilistic key lacks a part. */
  private deviceParts(slot: number): [string, Platform, string] | null {
    const p = this.devicesSeen.get(this.device[slot]!);
    const ip = readIp(this.arena, this.record[slot]!); // canonical already (touch-record.ts)
    return ip !== '' && p.os_normalized !== '' ? [ip, p.platform, p.os_normalized] : null;
  }

  private isClick(appId: string, touchId: string): (slot: number) => boolean {
    return (s) => this.appOf(s) === appId && readTouchId(this.arena, this.record[s]!) === touchId;
  }

  private isAd(appId: string, ad: string): (slot: number) => boolean {
    return (s) => this.appOf(s) === appId && normalizeAdvertisingId(readAdvertisingId(this.arena, this.record[s]!)) === ad;
  }

  private isDevice(appId: string, ip: string, platform: Platform, os: string): (slot: number) => boolean {
    return (s) => {
      const parts = this.deviceParts(s);
      return parts !== null && this.appOf(s) === appId && parts[0] === ip && parts[1] === platform && parts[2] === os;
    };
  }

  private clickHashOf(slot: number): number {
    return clickKeyHash(this.appOf(slot), readTouchId(this.arena, this.record[slot]!));
  }

  private adHashOf(slot: number): number {
    return adKeyHash(this.appOf(slot), normalizeAdvertisingId(readAdvertisingId(this.arena, this.record[slot]!)));
  }

  private deviceHashOf(slot: number): number {
    return deviceKeyHash(this.appOf(slot), ...this.deviceParts(slot)!);
  }
}
