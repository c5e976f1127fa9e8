import { defaultSettings } from '@unmogrowp/attribution';
import type { AppEvent, TouchItem } from '@unmogrowp/schema';
import { MemoryClickFloodCounter, MemoryTouchpointIndex } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { type AttributionDeps, attributeBatch } from '../src/attribution/attribute-batch.ts';
import { MemoryDeviceRegistry } from '../src/attribution/device-registry.ts';

const T0 = Date.UTC(2026, 10, 1, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ADID = 'cdda802e-fb9c-47ad-9866-0794d394c912';

function deps(overrides: Partial<AttributionDeps> = {}): AttributionDeps {
  return {
    touchpoints: new MemoryTouchpointIndex(),
    devices: new MemoryDeviceRegistry(),
    floods: new MemoryClickFloodCounter(),
    settingsOf: async () => defaultSettings(),
    globalBlocked: [],
    now: () => T0,
    ...overrides,
  };
}

let n = 0;
function click(o: Partial<TouchItem> = {}): TouchItem {
  const id = `clk_${++n}`;
  return {
    kind: 'touch',
    touch: 'click',
    app_id: 'app_1',
    event_id: id,
    click_id: id,
    link_id: 'lnk_a',
    timestamp: T0,
    received_at: T0,
    ip: '203.0.113.9',
    user_agent: '',
    advertising_id: '',
    platform: 'android',
    os_version: '14',
    media_source: 'meta_ads',
    campaign: 'spring',
    ad_set: '',
    ad: '',
    site_id: '',
    sub1: '',
    sub2: '',
    sub3: '',
    sub4: '',
    sub5: '',
    network_click_id: 'net-1',
    is_retargeting: false,
    click_window_ms: 7 * DAY,
    view_window_ms: DAY,
    params: {},
    fraud_reason: '',
    ...o,
  };
}

function event(o: Partial<AppEvent> = {}): AppEvent {
  return {
    kind: 'event',
    app_id: 'app_1',
    event_id: `evt_${++n}`,
    type: 'install',
    name: 'install',
    timestamp: T0 + HOUR,
    received_at: T0 + HOUR,
    device_id: 'dev-1',
    advertising_id: '',
    platform: 'android',
    os_version: '14',
    model: '',
    app_version: '',
    locale: '',
    user_id: '',
    ip: '198.51.100.7',
    user_agent: '',
    click_id: '',
    install_referrer: null,
    revenue: 0,
    currency: '',
    properties: {},
    source: 'native',
    ...o,
  };
}

const inherited = (e: AppEvent) => (e as AppEvent & { attribution?: { media_source: string; campaign: string } }).attribution;

describe('attribution step', () => {
  it('attributes an install to the click its Play referrer names, and its events inherit the credit', async () => {
    const d = deps();
    const c = click();
    const install = event({
      install_referrer: { referrer: `click_id%3D${c.click_id}&utm_source=x`, click_ts: null, install_begin_ts: null },
    });
    const purchase = event({ type: 'event', name: 'purchase', timestamp: T0 + 2 * HOUR, revenue: 5, currency: 'EUR' });
    const out = await attributeBatch([c, install, purchase], d);
    expect(out.installs).toHaveLength(1);
    expect(out.installs[0]!.attribution).toMatchObject({
      status: 'attributed',
      match_type: 'referrer',
      media_source: 'meta_ads',
      ctit_seconds: 3600,
    });
    expect(inherited(purchase)).toMatchObject({ media_source: 'meta_ads', campaign: 'spring', link_id: 'lnk_a' });
    expect(out.creditedEvents.map((e) => e.event_name)).toEqual(['purchase']);
  });

  it('matches by advertising id, falls back to organic, and treats a first open as the install', async () => {
    const d = deps();
    const c = click({ advertising_id: ADID, media_source: 'tiktok' });
    const byAdId = event({ device_id: 'a', advertising_id: ADID.toUpperCase() });
    const organicOpen = event({ device_id: 'b', type: 'open', name: 'open', ip: '192.0.2.1' });
    const out = await attributeBatch([c, byAdId, organicOpen], d);
    expect(out.installs.map((i) => [i.device_id, i.attribution.status, i.attribution.match_type, i.attribution.media_source])).toEqual([
      ['a', 'attributed', 'device_id', 'tiktok'],
      ['b', 'organic', 'none', 'organic'],
    ]);
    expect(inherited(organicOpen)).toMatchObject({ media_source: 'organic' });
  });

  it('decides a device once: the same install replayed answers the decision made; a second install is a reinstall', async () => {
    const d = deps();
    const c = click({ advertising_id: ADID });
    const first = event({ advertising_id: ADID });
    const decided = await attributeBatch([c, first], d);
    const replay = await attributeBatch([{ ...first }], d);
    // The row again (the store skips it if it has it), from the registry: not a new decision.
    expect(replay.installs.map(({ decided_at: _, ...row }) => row)).toEqual(decided.installs.map(({ decided_at: _, ...row }) => row));
    expect(await d.devices.size()).toBe(1);
    const again = event({ event_id: 'evt_again', timestamp: T0 + 10 * DAY });
    const out = await attributeBatch([again], d);
    expect(out.installs[0]!.attribution).toMatchObject({ status: 'reinstall', media_source: 'meta_ads' });
    const later = event({ event_id: 'evt_late', timestamp: T0 + 100 * DAY });
    const re = await attributeBatch([later], d);
    expect(re.installs[0]!.attribution).toMatchObject({ status: 'organic', is_reattribution: true });
  });

  it('rejects a click-injected install, and its events carry no network credit', async () => {
    const d = deps();
    const c = click();
    const installBeginTs = Math.floor((T0 - MIN) / 1000);
    const install = event({
      install_referrer: { referrer: `click_id=${c.click_id}`, click_ts: Math.floor(T0 / 1000), install_begin_ts: installBeginTs },
    });
    const purchase = event({ type: 'event', name: 'purchase', timestamp: T0 + 2 * HOUR });
    const out = await attributeBatch([c, install, purchase], d);
    expect(out.installs[0]!.attribution).toMatchObject({ status: 'rejected', fraud_reason: 'click_injection' });
    expect(inherited(purchase)).toBeUndefined();
    expect(out.creditedEvents).toEqual([]);
  });

  it('marks the 51st click from one IP on one link within an hour as click_flood; it cannot win', async () => {
    const d = deps();
    const clicks = Array.from({ length: 51 }, (_, i) => click({ timestamp: T0 + i * 1000, advertising_id: i === 50 ? ADID : '' }));
    await attributeBatch(clicks, d);
    expect(clicks.slice(0, 50).every((c) => c.fraud_reason === '')).toBe(true);
    expect(clicks[50]!.fraud_reason).toBe('click_flood');
    const out = await attributeBatch([event({ advertising_id: ADID, ip: '192.0.2.55' })], d);
    expect(out.installs[0]!.attribution.status).toBe('organic');
  });

  it('re-engages an installed device after a retargeting click; later events are credited to it', async () => {
    const d = deps();
    await attributeBatch([event({ advertising_id: ADID })], d);
    const rt = click({ advertising_id: ADID, media_source: 'criteo', is_retargeting: true, timestamp: T0 + 5 * DAY });
    const open = event({ type: 'open', name: 'open', advertising_id: ADID, timestamp: T0 + 5 * DAY + HOUR });
    const purchase = event({ type: 'event', name: 'purchase', timestamp: T0 + 6 * DAY });
    const out = await attributeBatch([rt, open, purchase], d);
    expect(out.installs).toEqual([]);
    expect(inherited(purchase)).toMatchObject({ media_source: 'criteo' });
    const late = event({ type: 'event', name: 'purchase', timestamp: T0 + 40 * DAY });
    await attributeBatch([late], d);
    expect(inherited(late)).toMatchObject({ media_source: 'organic' });
  });
});
