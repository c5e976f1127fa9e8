import type { Touchpoint } from '@unmogrowp/attribution';
import { canonicalIp, normalizeAdvertisingId, normalizeOsVersion } from '@unmogrowp/attribution';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TouchpointIndex } from '../src/index.ts';

export const T0 = Date.UTC(2026, 4, 1, 0, 0, 0);
const HOUR = 3_600_000;
export const AD = '6D92078A-8246-4BA4-AE5B-76104861E7DC';

let seq = 0;
export function touch(over: Partial<Touchpoint> = {}): Touchpoint {
  seq++;
  return {
    kind: 'click',
    touch_id: `clk_${seq.toString(36).padStart(8, '0')}`,
    app_id: 'app_a',
    link_id: 'lnk_AAAAAAAAAAAA',
    ts: T0 + seq,
    advertising_id: '',
    ip: '198.51.100.7',
    platform: 'ios',
    os_version: '17.4',
    media_source: 'network_a',
    campaign: 'spring',
    ad_set: '',
    ad: '',
    site_id: '',
    network_click_id: '',
    is_retargeting: false,
    click_window_ms: 7 * 24 * HOUR,
    view_window_ms: 24 * HOUR,
    fraud_reason: '',
    ...over,
  };
}

/** What every adapter must give back for a stored touch: as added, the IP in canonical spelling. */
function asStored(t: Touchpoint): Touchpoint {
  return { ...t, ip: canonicalIp(t.ip) };
}

const byId = (a: Touchpoint, b: Touchpoint) => (a.touch_id < b.touch_id ? -1 : a.touch_id > b.touch_id ? 1 : 0);
const sorted = (list: Touchpoint[]) => [...list].sort(byId);

/** One suite for every TouchpointIndex adapter; `create` gives an empty index. */
export function describeTouchpointIndexContract(name: string, create: () => Promise<TouchpointIndex>): void {
  describe(`touchpoint index contract: ${name}`, () => {
    let index: TouchpointIndex;
    beforeEach(async () => {
      index = await create();
    });

    it('finds a click by our click id in its own app only, with every field as added', async () => {
      const click = touch({
        advertising_id: AD,
        ip: '::ffff:203.0.113.9',
        campaign: '春のセール 🚀',
        site_id: 'pub-7',
        network_click_id: 'gclid_'.padEnd(300, 'x'),
        is_retargeting: true,
        click_window_ms: 0,
      });
      expect(await index.add(click)).toBe(true);
      expect(await index.byClickId('app_a', click.touch_id)).toEqual(asStored(click));
      expect((await index.byClickId('app_a', click.touch_id))?.ip).toBe('203.0.113.9');
      expect(await index.byClickId('app_b', click.touch_id)).toBeNull();
      expect(await index.byClickId('app_a', `${click.touch_id}x`)).toBeNull();
      expect(await index.size()).toBe(1);
    });

    it('finds touches by advertising id whatever its case, clicks and impressions, from sinceMs on', async () => {
      const old = touch({ advertising_id: AD, ts: T0 - 2 * HOUR });
      const click = touch({ advertising_id: AD.toLowerCase(), ts: T0 });
      const view = touch({ kind: 'impression', advertising_id: AD, ts: T0 + HOUR });
      const otherApp = touch({ app_id: 'app_b', advertising_id: AD });
      const otherAd = touch({ advertising_id: 'aaaaaaaa-1111-2222-3333-444444444444' });
      for (const t of [old, click, view, otherApp, otherAd]) expect(await index.add(t)).toBe(true);
      expect(sorted(await index.byAdvertisingId('app_a', AD.toLowerCase(), T0))).toEqual(sorted([click, view].map(asStored)));
      expect(sorted(await index.byAdvertisingId('app_a', ` ${AD} `, T0 - 3 * HOUR))).toEqual(sorted([old, click, view].map(asStored)));
      expect(await index.byAdvertisingId('app_a', AD, T0 + HOUR + 1)).toEqual([]);
      expect(await index.byAdvertisingId('app_a', '', 0)).toEqual([]);
      expect(await index.byAdvertisingId('app_a', '00000000-0000-0000-0000-000000000000', 0)).toEqual([]);
      expect(await index.byClickId('app_a', view.touch_id)).toBeNull();
    });

    it('finds clicks by canonical IP, platform and normalised OS version', async () => {
      const a = touch({ ip: '2001:DB8::1', os_version: '17_1' });
      const b = touch({ ip: '2001:db8:0:0:0:0:0:1', os_version: '17.1.0' });
      const otherPlatform = touch({ ip: '2001:db8::1', os_version: '17.1', platform: 'android' });
      const otherOs = touch({ ip: '2001:db8::1', os_version: '17.2' });
      const view = touch({ kind: 'impression', ip: '2001:db8::1', os_version: '17.1', advertising_id: AD });
      const noOs = touch({ ip: '2001:db8::1', os_version: '' });
      for (const t of [a, b, otherPlatform, otherOs, view, noOs]) await index.add(t);
      expect(sorted(await index.byDevice('app_a', '2001:0db8::0001', 'ios', '17.1', 0))).toEqual(sorted([a, b].map(asStored)));
      expect(await index.byDevice('app_a', '2001:db8::1', 'ios', '17.1', b.ts + 1)).toEqual([]);
      expect(await index.byDevice('app_b', '2001:db8::1', 'ios', '17.1', 0)).toEqual([]);
      expect(await index.byDevice('app_a', '2001:db8::1', 'ios', '', 0)).toEqual([]);
      expect(await index.byDevice('app_a', '', 'ios', '17.1', 0)).toEqual([]);
      expect((await index.byDevice('app_a', '2001:db8::1', 'android', '17.1', 0)).map((t) => t.touch_id)).toEqual([otherPlatform.touch_id]);
    });

    it('keeps only touches that can win: no fraud, no impression without an advertising id, each click once', async () => {
      const flooded = touch({ fraud_reason: 'click_flood', advertising_id: AD });
      const blindView = touch({ kind: 'impression', advertising_id: '' });
      const click = touch({ advertising_id: AD });
      expect(await index.add(flooded)).toBe(false);
      expect(await index.add(blindView)).toBe(false);
      expect(await index.add(click)).toBe(true);
      expect(await index.add({ ...click })).toBe(false);
      expect(await index.size()).toBe(1);
      expect(await index.byClickId('app_a', flooded.touch_id)).toBeNull();
      expect(await index.byAdvertisingId('app_a', AD, 0)).toEqual([asStored(click)]);
    });

    it('forgets a person: touches with their advertising id and the clicks that won their installs, in that app only', async () => {
      const theirs = touch({ advertising_id: AD.toLowerCase() });
      const theirImpression = touch({ kind: 'impression', advertising_id: AD });
      const winning = touch({ ip: '192.0.2.44' });
      const elsewhere = touch({ app_id: 'app_b', advertising_id: AD });
      const neighbour = touch({ advertising_id: '00000000-1111-4222-8333-444444444444' });
      for (const t of [theirs, theirImpression, winning, elsewhere, neighbour]) expect(await index.add(t)).toBe(true);
      expect(await index.forget('app_a', { advertisingIds: [AD], touchIds: [winning.touch_id] })).toBe(3);
      expect(await index.byAdvertisingId('app_a', AD, 0)).toEqual([]);
      expect(await index.byClickId('app_a', winning.touch_id)).toBeNull();
      expect(await index.byDevice('app_a', '192.0.2.44', 'ios', '17.4', 0)).toEqual([]);
      expect(await index.byAdvertisingId('app_b', AD, 0)).toHaveLength(1);
      expect(await index.byClickId('app_a', neighbour.touch_id)).toEqual(asStored(neighbour));
      expect(await index.size()).toBe(2);
      expect(await index.forget('app_a', { advertisingIds: [AD], touchIds: [winning.touch_id] })).toBe(0);
    });

    it('evicts everything older than the floor and refuses older touches afterwards', async () => {
      const touches = Array.from({ length: 12 }, (_, i) => touch({ ts: T0 + i * HOUR, advertising_id: AD }));
      for (const t of touches) await index.add(t);
      expect(await index.evictBefore(T0 + 5 * HOUR)).toBe(5);
      expect(await index.evictBefore(T0 + 5 * HOUR)).toBe(0);
      expect(await index.size()).toBe(7);
      expect(await index.byClickId('app_a', touches[4]!.touch_id)).toBeNull();
      expect(await index.byClickId('app_a', touches[5]!.touch_id)).toEqual(asStored(touches[5]!));
      expect((await index.byAdvertisingId('app_a', AD, 0)).length).toBe(7);
      expect((await index.byDevice('app_a', '198.51.100.7', 'ios', '17.4', 0)).length).toBe(7);
      expect(await index.add(touch({ ts: T0 + 5 * HOUR - 1 }))).toBe(false);
      expect(await index.add(touch({ ts: T0 + 5 * HOUR }))).toBe(true);
      expect(await index.evictBefore(T0 + 100 * HOUR)).toBe(8);
      expect(await index.size()).toBe(0);
    });

    it('answers like a list filter over many touches, across evictions', async () => {
      // A deterministic pseudo-random population: few ad ids and IPs, so keys collide and chains grow.
      let state = 42;
      const rand = (n: number) => {
        state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
        return state % n;
      };
      const ads = ['', AD, AD.toLowerCase(), 'bbbbbbbb-1111-2222-3333-444444444444', 'not-a-uuid-Id'];
      const ips = ['198.51.100.1', '::ffff:198.51.100.1', '2001:db8::7', 'unknown', ''];
      const made: Touchpoint[] = [];
      for (let i = 0; i < 3000; i++) {
        const t = touch({
          kind: rand(3) === 0 ? 'impression' : 'click',
          app_id: rand(4) === 0 ? 'app_b' : 'app_a',
          ts: T0 + rand(100) * HOUR,
          advertising_id: ads[rand(ads.length)]!,
          ip: ips[rand(ips.length)]!,
          platform: rand(2) ? 'ios' : 'android',
          os_version: ['17.4', '17_4_0', '14', ''][rand(4)]!,
          link_id: `lnk_${rand(5)}`,
          site_id: rand(2) ? '' : `site_${rand(50)}`,
        });
        made.push(t);
      }
      // Added concurrently (each touch is distinct), so a networked adapter is not timed by round trips.
      const kept = await Promise.all(made.map((t) => index.add(t)));
      const all = made.filter((_, i) => kept[i]);
      let live = all;
      const check = async (since: number) => {
        expect(await index.size()).toBe(live.length);
        const pending: Promise<void>[] = [];
        for (const appId of ['app_a', 'app_b']) {
          for (const ad of ads) {
            const want = live.filter(
              (t) =>
                t.app_id === appId && ad !== '' && normalizeAdvertisingId(t.advertising_id) === normalizeAdvertisingId(ad) && t.ts >= since,
            );
            pending.push(index.byAdvertisingId(appId, ad, since).then((got) => expect(sorted(got)).toEqual(sorted(want.map(asStored)))));
          }
          for (const ip of ips) {
            for (const os of ['17.4', '14']) {
              const want = live.filter(
                (t) =>
                  t.app_id === appId &&
                  t.kind === 'click' &&
                  canonicalIp(t.ip) === canonicalIp(ip) &&
                  canonicalIp(ip) !== '' &&
                  t.platform === 'ios' &&
                  normalizeOsVersion(t.os_version) === os &&
                  t.ts >= since,
              );
              pending.push(
                index.byDevice(appId, ip, 'ios', os, since).then((got) => expect(sorted(got)).toEqual(sorted(want.map(asStored)))),
              );
            }
          }
        }
        for (const t of all.slice(0, 200)) {
          const found = live.includes(t) && t.kind === 'click';
          pending.push(index.byClickId(t.app_id, t.touch_id).then((got) => expect(got).toEqual(found ? asStored(t) : null)));
        }
        await Promise.all(pending);
      };
      await check(0);
      await check(T0 + 50 * HOUR);
      for (const floor of [T0 + 20 * HOUR, T0 + 60 * HOUR, T0 + 61 * HOUR, T0 + 95 * HOUR]) {
        const before = live.length;
        live = live.filter((t) => t.ts >= floor);
        expect(await index.evictBefore(floor)).toBe(before - live.length);
        await check(0);
      }
    });
  });
}
