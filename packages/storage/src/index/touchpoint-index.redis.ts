import { canonicalIp, normalizeAdvertisingId, normalizeOsVersion, type Platform, type Touchpoint } from '@unmogrowp/attribution';
import type { RedisHandle } from '../redis/redis-client.ts';
import { defineScript, type RedisScript } from '../redis/redis-script.ts';
import {
  type LinkProfileFields,
  linkProfileJson,
  PROFILE_ID_BYTES,
  packableTime,
  packTouch,
  parseLinkProfile,
  shortId,
  unpackTouch,
} from './packed-touch.ts';
import { ADD_TOUCH, BY_LIST, BY_REF, EVICT_RECORDS, FORGET_TOUCHES, PRUNE_LISTS, RAISE_FLOOR } from './touchpoint-index.scripts.ts';
import type { TouchpointIndex } from './touchpoint-index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Link profiles are stored once per 30 days of touch time (a touch finds its profile by its own time). */
const PROFILE_PERIOD = 30 * DAY;
/** Shards per eviction script: ~64 touches each, so one call holds Redis for a few milliseconds at most. */
const EVICT_SHARDS = 4;
const SEP = '\u0000';

export interface RedisTouchpointIndexOptions {
  /**
   * Shards per structure (default 16384). Aim for ~64 touches per shard at the live volume
   * (touches of the last 30 days ÷ 64) so shard hashes stay in Redis's compact listpack
   * encoding (≤ 128 entries). Fixed by the first process that opens the prefix.
   */
  shards?: number;
  /** How long a touch can win (default 30 days, the longest click window): keys expire this long after their last write (+ 2 days). */
  retentionMs?: number;
}

/**
 * The TouchpointIndex of the scale-out profile, shared by every worker, under `<prefix>tp:`:
 *   r:<shard>  hash   touch id (8-byte hash of app + our click id) → packed touch (packed-touch.ts),
 *                     in parts of ≤ 64 bytes (touchpoint-index.scripts.ts says why)
 *   x:<shard>  hash   the same for the rare records over 256 bytes
 *   a:<shard>  hash   hash of (app, advertising id) → the touch ids, 8 bytes each (ax: when long)
 *   d:<shard>  hash   hash of (app, IP, platform, OS) → the click ids (dx: when long)
 *   p:<period> hash   link profile id → labels, one per link variant and 30 days of touch time
 *   e:<hour>   bitmap the shards written by touches of that hour of touch time (bit k = shard
 *                     k), eh the hours that have one: eviction visits only those shards
 *   f eviction floor · n touch count · S shard count · J journaling since (0: always)
 * Every add and lookup is one script (one round trip). Erasing an advertising id reads its `a:`
 * list, so it needs no scan. Keys carry TTLs (retention + 2 days after their last write) as a
 * safety net; exact forgetting is `evictBefore`, which the pipeline calls hourly: it visits, in
 * small scripts (records, then lists), only the shards the expiring hours' touches wrote to —
 * at most three per expiring touch, each of ~64 touches — from a bitmap per hour (S/8 bytes an
 * hour, where a per-touch journal would cost ~30 bytes a touch).
 */
export class RedisTouchpointIndex implements TouchpointIndex {
  private readonly base: string;
  private readonly retentionMs: number;
  private readonly add_: RedisScript;
  private readonly byRef: RedisScript;
  private readonly byList: RedisScript;
  private readonly raiseFloor: RedisScript;
  private readonly evictRecords: RedisScript;
  private readonly pruneLists: RedisScript;
  private readonly forgetTouches: RedisScript;
  /** `period:profile` already stored by this process (a profile is sent once a period, not per touch). */
  private readonly sentProfiles = new Set<string>();
  private readonly profileIds = new Map<string, Buffer>();
  private readonly parsedProfiles = new Map<string, LinkProfileFields>();

  private constructor(
    private readonly redis: RedisHandle,
    private readonly shards: number,
    options: RedisTouchpointIndexOptions,
  ) {
    this.base = `${redis.prefix}tp:`;
    this.retentionMs = options.retentionMs ?? 30 * DAY;
    const c = redis.client;
    this.add_ = defineScript(c, 'unmogrowpTouchAdd', ADD_TOUCH);
    this.byRef = defineScript(c, 'unmogrowpTouchByRef', BY_REF);
    this.byList = defineScript(c, 'unmogrowpTouchByList', BY_LIST);
    this.raiseFloor = defineScript(c, 'unmogrowpTouchRaiseFloor', RAISE_FLOOR);
    this.evictRecords = defineScript(c, 'unmogrowpTouchEvictRecords', EVICT_RECORDS);
    this.pruneLists = defineScript(c, 'unmogrowpTouchPruneLists', PRUNE_LISTS);
    this.forgetTouches = defineScript(c, 'unmogrowpTouchForget', FORGET_TOUCHES);
  }

  /** Opens the index under the handle's prefix; the shard count of an existing index wins over `options.shards`. */
  static async open(redis: RedisHandle, options: RedisTouchpointIndexOptions = {}): Promise<RedisTouchpointIndex> {
    const wanted = options.shards ?? 16_384;
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > 2 ** 24) throw new RangeError('shards must be an integer from 1 to 16777216');
    const key = `${redis.prefix}tp:S`;
    await redis.client.set(key, String(wanted), 'NX');
    const stored = Number(await redis.client.get(key));
    // Since when touches are journaled by hour for eviction: 0 for a new index; an index filled
    // by an earlier release is walked in full until its older touches are past the floor.
    const count = Number((await redis.client.get(`${redis.prefix}tp:n`)) ?? 0);
    await redis.client.set(`${redis.prefix}tp:J`, String(count > 0 ? Date.now() : 0), 'NX');
    return new RedisTouchpointIndex(redis, stored, options);
  }

  async add(touch: Touchpoint): Promise<boolean> {
    if (touch.fraud_reason !== '' || !packableTime(touch.ts)) return false;
    const ad = normalizeAdvertisingId(touch.advertising_id);
    if (touch.kind === 'impression' && ad === '') return false;
    const profileJson = linkProfileJson(touch);
    const profileId = this.profileIdOf(profileJson);
    const period = Math.floor(touch.ts / PROFILE_PERIOD);
    const sentKey = `${period}:${profileJson}`;
    let answer = await this.addPacked(touch, ad, profileId, this.sentProfiles.has(sentKey) ? '' : profileJson, period);
    if (answer === -1) answer = await this.addPacked(touch, ad, profileId, profileJson, period);
    // A refused touch wrote no profile: only a kept one proves it is stored.
    if (answer === 1) {
      if (this.sentProfiles.size > 100_000) this.sentProfiles.clear();
      this.sentProfiles.add(sentKey);
    }
    return answer === 1;
  }

  private async addPacked(touch: Touchpoint, ad: string, profileId: Buffer, profileJson: string, period: number): Promise<number> {
    const now = Date.now();
    const answer = await this.add_.run(
      [],
      [
        this.base,
        this.shards,
        touch.ts,
        this.refOf(touch),
        packTouch(touch, profileId),
        ad === '' ? '' : adKey(touch.app_id, ad),
        touch.kind === 'click' ? (deviceKey(touch.app_id, touch.ip, touch.platform, touch.os_version) ?? '') : '',
        profileId,
        profileJson,
        now + this.retentionMs + 2 * DAY,
        Math.max(now, (period + 1) * PROFILE_PERIOD) + this.retentionMs + 2 * DAY,
        period,
      ],
    );
    return Number(answer);
  }

  async byClickId(appId: string, touchId: string): Promise<Touchpoint | null> {
    const found = this.decode(await this.byRef.runBuffer([], [this.base, this.shards, PROFILE_PERIOD, clickRef(appId, touchId)]));
    return found.find((t) => t.kind === 'click' && t.app_id === appId && t.touch_id === touchId) ?? null;
  }

  async byAdvertisingId(appId: string, advertisingId: string, sinceMs: number): Promise<Touchpoint[]> {
    const ad = normalizeAdvertisingId(advertisingId);
    if (ad === '') return [];
    const found = this.decode(
      await this.byList.runBuffer([], [this.base, this.shards, PROFILE_PERIOD, 'a', adKey(appId, ad), Math.floor(sinceMs)]),
    );
    return found.filter((t) => t.app_id === appId && normalizeAdvertisingId(t.advertising_id) === ad);
  }

  async byDevice(appId: string, ip: string, platform: Platform, osVersion: string, sinceMs: number): Promise<Touchpoint[]> {
    const key = deviceKey(appId, ip, platform, osVersion);
    if (key === null) return [];
    const found = this.decode(await this.byList.runBuffer([], [this.base, this.shards, PROFILE_PERIOD, 'd', key, Math.floor(sinceMs)]));
    const [canonical, os] = [canonicalIp(ip), normalizeOsVersion(osVersion)];
    return found.filter(
      (t) =>
        t.kind === 'click' &&
        t.app_id === appId &&
        t.ip === canonical &&
        t.platform === platform &&
        normalizeOsVersion(t.os_version) === os,
    );
  }

  /**
   * Visits only the shards that touches of the hours being forgotten wrote to (the hours'
   * journal bitmaps), so its work follows what expires, not what is kept. EVICT_SHARDS shards
   * per script, so Redis is never held for long; then those shards' lists, so no ref outlives
   * its record. An index filled before the journal existed is walked in full until the floor
   * has passed its last unjournaled touch.
   */
  async evictBefore(ms: number): Promise<number> {
    const floor = Math.floor(ms);
    const old = Number(await this.raiseFloor.run([], [this.base, this.shards, floor]));
    if (floor <= old) return 0;
    const journalSince = Number((await this.redis.client.get(`${this.base}J`)) ?? 0);
    const floorHour = Math.floor(floor / HOUR);
    const hours = (await this.redis.client.zrangebyscore(`${this.base}eh`, '-inf', floorHour)).map(Number);
    const unjournaled = journalSince > 0 && old < journalSince + DAY;
    const shards = unjournaled ? Array.from({ length: this.shards }, (_, s) => s) : await this.journaledShards(hours);
    let forgotten = 0;
    for (let i = 0; i < shards.length; i += EVICT_SHARDS) {
      forgotten += Number(await this.evictRecords.run([], [this.base, this.shards, floor, ...shards.slice(i, i + EVICT_SHARDS)]));
    }
    for (let i = 0; i < shards.length; i += EVICT_SHARDS) {
      await this.pruneLists.run([], [this.base, this.shards, ...shards.slice(i, i + EVICT_SHARDS)]);
    }
    // An hour wholly below the floor can get no new touch (adds under the floor are refused): its journal goes.
    const done = hours.filter((h) => (h + 1) * HOUR <= floor);
    if (done.length > 0) {
      await this.redis.client.del(...done.map((h) => `${this.base}e:${h}`));
      await this.redis.client.zrem(`${this.base}eh`, ...done.map(String));
    }
    return forgotten;
  }

  /** The shards set in any of these hours' journal bitmaps (bit k of the bitmap is shard k). */
  private async journaledShards(hours: readonly number[]): Promise<number[]> {
    const union = new Uint8Array(Math.ceil(this.shards / 8));
    for (const h of hours) {
      const bits = await this.redis.client.getBuffer(`${this.base}e:${h}`);
      if (bits) for (let i = 0; i < Math.min(bits.length, union.length); i++) union[i]! |= bits[i]!;
    }
    const out: number[] = [];
    for (let i = 0; i < union.length; i++) {
      if (union[i] === 0) continue;
      for (let b = 0; b < 8; b++) if (union[i]! & (0x80 >> b) && i * 8 + b < this.shards) out.push(i * 8 + b);
    }
    return out;
  }

  /**
   * Erase (docs/privacy.md): forgets this app's touches with any of these advertising ids
   * (compared normalised) or click ids; answers how many were forgotten. Found through the
   * advertising-id lists and click ids, never by scanning.
   */
  async forget(appId: string, who: { advertisingIds: readonly string[]; touchIds: readonly string[] }): Promise<number> {
    const found = new Map<string, Touchpoint>();
    for (const ad of who.advertisingIds) {
      for (const t of await this.byAdvertisingId(appId, ad, 0)) found.set(this.refOf(t).toString('hex'), t);
    }
    for (const id of who.touchIds) {
      const t = await this.byClickId(appId, id);
      if (t) found.set(this.refOf(t).toString('hex'), t);
    }
    if (found.size === 0) return 0;
    const args: (string | Buffer)[] = [];
    for (const t of found.values()) {
      const ad = normalizeAdvertisingId(t.advertising_id);
      args.push(
        this.refOf(t),
        ad === '' ? '' : adKey(appId, ad),
        t.kind === 'click' ? (deviceKey(appId, t.ip, t.platform, t.os_version) ?? '') : '',
      );
    }
    return Number(await this.forgetTouches.run([], [this.base, this.shards, ...args]));
  }

  async size(): Promise<number> {
    return Math.max(0, Number((await this.redis.client.get(`${this.base}n`)) ?? 0));
  }

  private refOf(t: Touchpoint): Buffer {
    // A click is found by its id; an impression is told apart by id and time (a replay adds it once).
    return t.kind === 'click' ? clickRef(t.app_id, t.touch_id) : shortId(`i${SEP}${t.app_id}${SEP}${t.touch_id}${SEP}${t.ts}`);
  }

  private profileIdOf(json: string): Buffer {
    let id = this.profileIds.get(json);
    if (!id) {
      if (this.profileIds.size > 100_000) this.profileIds.clear();
      id = shortId(json, PROFILE_ID_BYTES);
      this.profileIds.set(json, id);
    }
    return id;
  }

  /** Record/profile pairs into touches; a record whose profile is gone (expired) is skipped. */
  private decode(reply: unknown): Touchpoint[] {
    const flat = reply as Buffer[];
    const out: Touchpoint[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const json = flat[i + 1]!.toString('utf8');
      if (json === '') continue;
      let profile = this.parsedProfiles.get(json);
      if (!profile) {
        if (this.parsedProfiles.size > 100_000) this.parsedProfiles.clear();
        profile = parseLinkProfile(json);
        this.parsedProfiles.set(json, profile);
      }
      out.push(unpackTouch(flat[i]!, profile));
    }
    return out;
  }
}

function clickRef(appId: string, touchId: string): Buffer {
  return shortId(`c${SEP}${appId}${SEP}${touchId}`);
}

function adKey(appId: string, normalizedAd: string): Buffer {
  return shortId(`a${SEP}${appId}${SEP}${normalizedAd}`);
}

/** null when the probabilistic key lacks a part (no IP or no OS version). */
function deviceKey(appId: string, ip: string, platform: Platform, osVersion: string): Buffer | null {
  const canonical = canonicalIp(ip);
  const os = normalizeOsVersion(osVersion);
  if (canonical === '' || os === '') return null;
  return shortId(`d${SEP}${appId}${SEP}${canonical}${SEP}${platform}${SEP}${os}`);
}
