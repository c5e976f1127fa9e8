import { normalizeOsVersion, type Platform, type Touchpoint } from '@unmogrowp/attribution';

/**
 * What many touches share, kept once per distinct value; a touch stores only a number. Two kinds,
 * so they do not multiply: a link profile (the link's labels and windows as stamped on the touch,
 * per-click overrides of ad_set/ad/site_id included) and a device profile (platform and OS
 * version). One pool per index holds each profile once, however many segments use it; a
 * segment numbers the profiles it uses and gives them back when it is dropped.
 */
export interface LinkProfile {
  kind: Touchpoint['kind'];
  app_id: string;
  link_id: string;
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  is_retargeting: boolean;
  click_window_ms: number;
  view_window_ms: number;
}

export interface DeviceProfile {
  platform: Platform;
  os_version: string;
  /** normalizeOsVersion(os_version), the probabilistic key's part */
  os_normalized: string;
}

const SEP = '\u0001';

export function linkProfileKey(t: Touchpoint): string {
  return `${t.kind}${SEP}${t.app_id}${SEP}${t.link_id}${SEP}${t.media_source}${SEP}${t.campaign}${SEP}${t.ad_set}${SEP}${t.ad}${SEP}${t.site_id}${SEP}${t.is_retargeting}${SEP}${t.click_window_ms}${SEP}${t.view_window_ms}`;
}

export function linkProfileOf(t: Touchpoint): LinkProfile {
  return {
    kind: t.kind,
    app_id: t.app_id,
    link_id: t.link_id,
    media_source: t.media_source,
    campaign: t.campaign,
    ad_set: t.ad_set,
    ad: t.ad,
    site_id: t.site_id,
    is_retargeting: t.is_retargeting,
    click_window_ms: t.click_window_ms,
    view_window_ms: t.view_window_ms,
  };
}

export function deviceProfileKey(t: Touchpoint): string {
  return t.platform + SEP + t.os_version;
}

export function deviceProfileOf(t: Touchpoint): DeviceProfile {
  return { platform: t.platform, os_version: t.os_version, os_normalized: normalizeOsVersion(t.os_version) };
}

/** Profiles by key, each counted by the segments that use it and forgotten when none does. */
export class ProfilePool<T> {
  private readonly entries = new Map<string, { key: string; value: T; users: number }>();

  get size(): number {
    return this.entries.size;
  }

  acquire(key: string, make: () => T): { key: string; value: T } {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, value: make(), users: 0 };
      this.entries.set(key, entry);
    }
    entry.users++;
    return entry;
  }

  release(key: string): void {
    const entry = this.entries.get(key);
    if (entry && --entry.users === 0) this.entries.delete(key);
  }
}

/** One segment's numbering of the pool's profiles it uses. */
export class SegmentProfiles<T> {
  private readonly ids = new Map<string, number>();
  private readonly values: T[] = [];

  constructor(private readonly pool: ProfilePool<T>) {}

  get size(): number {
    return this.values.length;
  }

  intern(key: string, make: () => T): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    // The pool's key string, so the segment's map does not hold a second copy of it.
    const shared = this.pool.acquire(key, make);
    this.values.push(shared.value);
    this.ids.set(shared.key, this.values.length - 1);
    return this.values.length - 1;
  }

  get(id: number): T {
    return this.values[id]!;
  }

  /** The segment is gone: its profiles are no longer used by it. */
  release(): void {
    for (const key of this.ids.keys()) this.pool.release(key);
    this.ids.clear();
    this.values.length = 0;
  }
}

export interface ProfilePools {
  links: ProfilePool<LinkProfile>;
  devices: ProfilePool<DeviceProfile>;
}

export function newProfilePools(): ProfilePools {
  return { links: new ProfilePool(), devices: new ProfilePool() };
}
