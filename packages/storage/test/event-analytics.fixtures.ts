import type { CostRow, InstallRow, TouchRow } from '../src/events/analytics-types.ts';
import type { EventAttribution, EventStore, StoredEvent } from '../src/events/event-store.ts';
import { at, makeEvent } from './event-store.fixtures.ts';

/**
 * A small month with known answers for the analytics contract. Every expected number in the
 * contract is derived by hand from this list; the comments there name the rows it counts.
 *
 * Sources: meta/spring (ad_set as1), meta/summer (as2), google/brand, organic.
 * Installs (device = d<n>):
 *   i1 meta/spring   attributed 03-01 10:00            d1
 *   i2 meta/spring   attributed 03-01 23:59:59.999     d2   (last ms of the day)
 *   i3 meta/summer   attributed 03-02 00:00:00.000     d3   (first ms of the next)
 *   i4 google/brand  attributed 03-02 12:00            d4
 *   i5 organic       organic    03-01 05:00            d5   (media_source 'organic')
 *   i6 organic       organic    03-02 06:00            d6   (media_source '' as stored)
 *   i7 google/brand  rejected   03-01 11:00 ctit_too_short   d7
 *   i8 meta/spring   rejected   03-02 11:00 click_injection  d8
 *   i9 meta/spring   reinstall  03-03 08:00            d1
 *   i11 meta/spring  attributed 03-03 09:00 re-attribution   d11
 *   i10 google/brand attributed 03-04 00:00:00.000     d10  (`to` of the main range: outside)
 */

export const RANGE = { from: at('2024-03-01T00:00:00.000Z'), to: at('2024-03-04T00:00:00.000Z') };
/** A month after loadMonth's, with no rows of it. */
export const EMPTY_RANGE = { from: at('2024-06-01T00:00:00Z'), to: at('2024-07-01T00:00:00Z') };

const SPRING = { media_source: 'meta', campaign: 'spring', ad_set: 'as1', ad: 'a1', site_id: 's1', link_id: 'L-spring' };
const SUMMER = { media_source: 'meta', campaign: 'summer', ad_set: 'as2', ad: 'a2', site_id: 's2', link_id: 'L-summer' };
const BRAND = { media_source: 'google', campaign: 'brand', ad_set: '', ad: '', site_id: '', link_id: 'L-brand' };
const NONE = { media_source: '', campaign: '', ad_set: '', ad: '', site_id: '', link_id: '' };
type Credit = typeof SPRING;

let seq = 0;
function touch(app: string, credit: Credit, iso: string, fraud_reason = ''): TouchRow {
  const { link_id, ...rest } = credit;
  return { app_id: app, click_id: `c${++seq}`, link_id, ts: at(iso), ip: '203.0.113.9', platform: 'ios', ...rest, fraud_reason };
}

export function clicks(app: string): TouchRow[] {
  return [
    ...['08:00', '08:01', '08:02', '08:03'].map((t) => touch(app, SPRING, `2024-03-01T${t}:00Z`)),
    touch(app, SPRING, '2024-03-01T08:10:00Z', 'click_flood'),
    touch(app, SPRING, '2024-03-01T08:11:00Z', 'click_flood'),
    touch(app, SUMMER, '2024-03-02T01:00:00Z'),
    touch(app, SUMMER, '2024-03-02T01:05:00Z'),
    ...['09:00', '09:01', '09:02'].map((t) => touch(app, BRAND, `2024-03-01T${t}:00Z`)),
    touch(app, BRAND, '2024-03-02T09:00:00Z'),
    touch(app, BRAND, '2024-03-02T09:01:00Z'),
    touch(app, BRAND, '2024-02-29T23:59:59.999Z'),
    touch(app, BRAND, '2024-03-04T00:00:00.000Z'),
  ];
}

export function impressions(app: string): TouchRow[] {
  return [
    touch(app, SPRING, '2024-03-01T07:00:00Z'),
    touch(app, SPRING, '2024-03-01T07:01:00Z'),
    touch(app, SPRING, '2024-03-02T07:00:00Z'),
    touch(app, BRAND, '2024-03-01T07:00:00Z'),
    touch(app, BRAND, '2024-03-03T23:59:59.999Z'),
    touch(app, BRAND, '2024-03-04T00:00:00.000Z'),
  ];
}

export function install(app: string, id: string, device: string, iso: string, over: Partial<InstallRow>): InstallRow {
  return {
    app_id: app,
    install_id: id,
    device_id: device,
    advertising_id: '',
    platform: 'ios',
    ip: '203.0.113.9',
    installed_at: at(iso),
    status: 'attributed',
    match_type: 'device_id',
    ...NONE,
    click_id: '',
    network_click_id: '',
    touch_at: null,
    ctit_seconds: null,
    fraud_reason: '',
    is_reattribution: false,
    ...over,
  };
}

export function installs(app: string): InstallRow[] {
  const organic = { status: 'organic', match_type: 'none' } as const;
  return [
    install(app, 'i1', 'd1', '2024-03-01T10:00:00Z', {
      ...SPRING,
      advertising_id: 'AAAA-1',
      click_id: 'c1',
      network_click_id: 'net-1',
      touch_at: at('2024-03-01T09:00:00Z'),
      ctit_seconds: 3600,
    }),
    install(app, 'i2', 'd2', '2024-03-01T23:59:59.999Z', { ...SPRING, match_type: 'referrer' }),
    install(app, 'i3', 'd3', '2024-03-02T00:00:00.000Z', { ...SUMMER }),
    install(app, 'i4', 'd4', '2024-03-02T12:00:00Z', { ...BRAND, match_type: 'probabilistic' }),
    install(app, 'i5', 'd5', '2024-03-01T05:00:00Z', { ...organic, media_source: 'organic' }),
    install(app, 'i6', 'd6', '2024-03-02T06:00:00Z', { ...organic }),
    install(app, 'i7', 'd7', '2024-03-01T11:00:00Z', { ...BRAND, status: 'rejected', fraud_reason: 'ctit_too_short', ctit_seconds: 4 }),
    install(app, 'i8', 'd8', '2024-03-02T11:00:00Z', {
      ...SPRING,
      status: 'rejected',
      match_type: 'referrer',
      fraud_reason: 'click_injection',
    }),
    install(app, 'i9', 'd1', '2024-03-03T08:00:00Z', { ...SPRING, status: 'reinstall' }),
    install(app, 'i11', 'd11', '2024-03-03T09:00:00Z', { ...SPRING, is_reattribution: true }),
    install(app, 'i10', 'd10', '2024-03-04T00:00:00.000Z', { ...BRAND }),
  ];
}

function ev(app: string, device: string, iso: string, credit: Credit, over: Partial<StoredEvent> = {}): StoredEvent {
  const attribution: EventAttribution = credit;
  return { ...makeEvent({ app_id: app, device_id: device, timestamp: at(iso), type: 'event', name: 'purchase', ...over }), attribution };
}

const open = { type: 'open', name: '' } as const;
const installEvent = { type: 'install', name: '' } as const;

export function events(app: string): StoredEvent[] {
  return [
    ev(app, 'd5', '2024-02-29T23:59:59.999Z', NONE, open),
    // 03-01
    ev(app, 'd1', '2024-03-01T10:00:00Z', SPRING, installEvent),
    ev(app, 'd1', '2024-03-01T10:00:05Z', SPRING, open),
    ev(app, 'd5', '2024-03-01T05:00:00Z', NONE, installEvent),
    ev(app, 'd5', '2024-03-01T06:00:00Z', NONE, { revenue: 1.25, currency: 'USD' }),
    ev(app, 'd7', '2024-03-01T12:00:00Z', NONE),
    ev(app, 'd2', '2024-03-01T23:59:59.999Z', SPRING, installEvent),
    // 03-02
    ev(app, 'd1', '2024-03-02T10:00:00Z', SPRING, { revenue: 9.99, currency: 'USD' }),
    ev(app, 'd2', '2024-03-02T01:00:00Z', SPRING, { revenue: 5, currency: 'USD' }),
    ev(app, 'd3', '2024-03-02T02:00:00Z', SUMMER, { revenue: 20, currency: 'USD' }),
    ev(app, 'd4', '2024-03-02T13:00:00Z', BRAND, { revenue: 3.5, currency: 'USD' }),
    ev(app, 'd6', '2024-03-02T07:00:00Z', NONE, open),
    // 03-03
    ev(app, 'd1', '2024-03-03T09:00:00Z', SPRING, open),
    ev(app, 'd4', '2024-03-03T00:00:00.000Z', BRAND, open),
    // after `to`: outside every range total, inside retention (read up to 30 days on)
    ev(app, 'd4', '2024-03-04T00:00:00.000Z', BRAND, { revenue: 100, currency: 'USD' }),
    ev(app, 'd5', '2024-03-31T23:59:59.999Z', NONE, open),
    ev(app, 'd5', '2024-04-01T00:00:00.000Z', NONE, open),
  ];
}

/** The first import; the contract imports it twice, then `COSTS_REIMPORT`. */
export const COSTS: CostRow[] = [
  { date: '2024-03-01', media_source: 'meta', campaign: 'spring', cost: 100, currency: 'USD' },
  { date: '2024-03-02', media_source: 'meta', campaign: 'spring', cost: 50, currency: 'USD' },
  { date: '2024-03-01', media_source: 'google', campaign: 'brand', cost: 40, currency: 'USD' },
  { date: '2024-03-02', media_source: 'meta', campaign: 'summer', cost: 30, currency: 'USD' },
  { date: '2024-03-04', media_source: 'google', campaign: 'brand', cost: 999, currency: 'USD' },
];

/** Replaces meta/spring of 03-02 (50 → 60) and adds google spend not split by campaign. */
export const COSTS_REIMPORT: CostRow[] = [
  { date: '2024-03-02', media_source: 'meta', campaign: 'spring', cost: 60, currency: 'USD' },
  { date: '2024-03-01', media_source: 'google', cost: 10, currency: 'USD' },
];

/** Loads the month into `app`, and a little of the same into `other` (which must never show). */
export async function loadMonth(store: EventStore, app: string, other: string): Promise<void> {
  await store.insertClicks(clicks(app));
  await store.insertImpressions(impressions(app));
  await store.insertInstalls(installs(app));
  await store.insertEvents(events(app));
  await store.upsertCosts(app, COSTS);
  await store.upsertCosts(app, COSTS);
  await store.upsertCosts(app, COSTS_REIMPORT);

  await store.insertClicks(clicks(other).slice(0, 3));
  await store.insertImpressions(impressions(other).slice(0, 2));
  await store.insertInstalls(installs(other).slice(0, 3));
  await store.insertEvents(events(other).slice(6, 10));
  await store.upsertCosts(other, [{ date: '2024-03-01', media_source: 'meta', campaign: 'spring', cost: 5000, currency: 'USD' }]);
}
