import { randomUUID } from 'node:crypto';
import type { EventAttribution, EventStore, InstallRow, StoredEvent, TouchRow } from '@unmogrowp/storage';

/**
 * Four days of one app with answers computed by hand (api-analytics.e2e.test.ts states each
 * sum and names the rows in it). The range under test is [06-01, 06-05) 2026, UTC; rows at
 * 05-31T23:59:59.999 and 06-05T00:00:00.000 sit just outside it.
 *
 * Installs (device d<n>):
 *   i5 organic ('organic')    06-01 05:00            d5
 *   i1 meta/spring            06-01 10:00            d1
 *   i7 google/brand rejected  06-01 11:00  ctit_too_short   d7
 *   i2 meta/spring            06-01 23:59:59.999     d2   (last ms of the day)
 *   i3 meta/summer            06-02 00:00:00.000     d3   (first ms of the next)
 *   i6 organic ('' stored)    06-02 06:00            d6
 *   i8 meta/spring rejected   06-02 11:00  click_injection  d8
 *   i4 google/brand           06-02 12:00            d4
 *   i9 meta/spring reinstall  06-04 08:00            d1
 *   i10 google/brand          06-05 00:00:00.000     d10  (outside: `to` is exclusive)
 * Clicks counted: meta/spring 4 (06-01), meta/summer 2 (06-02), google/brand 5 (3 on 06-01,
 *   2 on 06-02); plus 2 meta/spring click_flood, and google/brand at both outside instants.
 * Impressions counted: meta/spring 3, google/brand 1; plus google/brand at 06-05 00:00.
 * Events (revenue):
 *   d5 open 05-31 23:59:59.999 (outside) · d5 purchase 1.25 06-01 06:00 (organic)
 *   d1 open 06-01 10:00:05 · d2 purchase 5 06-02 01:00 · d3 purchase 20 06-02 02:00 (summer)
 *   d6 open 06-02 07:00 (organic) · d1 purchase 9.99 06-02 10:00 · d4 purchase 3.5 06-02 13:00
 *   d1 open 06-04 09:00 · d4 purchase 100 06-05 00:00 (outside) · d2 open 06-08 12:00 (outside)
 */

export const at = (iso: string) => Date.parse(iso);

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

export function install(app: string, id: string, device: string, iso: string, over: Partial<InstallRow> = {}): InstallRow {
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

export function event(app: string, device: string, iso: string, credit: Credit, over: Partial<StoredEvent> = {}): StoredEvent {
  const ts = at(iso);
  const attribution: EventAttribution = credit;
  return {
    kind: 'event',
    app_id: app,
    event_id: randomUUID(),
    type: 'event',
    name: 'purchase',
    timestamp: ts,
    received_at: ts + 500,
    device_id: device,
    advertising_id: '',
    platform: 'ios',
    os_version: '17.4',
    model: '',
    app_version: '1.0',
    locale: 'en_US',
    user_id: '',
    ip: '203.0.113.9',
    user_agent: 'Test/1.0',
    click_id: '',
    install_referrer: null,
    revenue: 0,
    currency: '',
    properties: {},
    source: 'native',
    ...over,
    attribution,
  };
}

const open = { type: 'open', name: 'open' } as const;
const buy = (revenue: number) => ({ revenue, currency: 'USD' });

export async function loadFixture(store: EventStore, app: string): Promise<void> {
  const organic = { status: 'organic', match_type: 'none' } as const;
  await store.insertInstalls([
    install(app, 'i5', 'd5', '2026-06-01T05:00:00Z', { ...organic, media_source: 'organic' }),
    install(app, 'i1', 'd1', '2026-06-01T10:00:00Z', {
      ...SPRING,
      advertising_id: 'AAAA-1',
      click_id: 'c-i1',
      network_click_id: 'net-1',
      touch_at: at('2026-06-01T09:00:00Z'),
      ctit_seconds: 3600,
    }),
    install(app, 'i7', 'd7', '2026-06-01T11:00:00Z', { ...BRAND, status: 'rejected', fraud_reason: 'ctit_too_short', ctit_seconds: 4 }),
    install(app, 'i2', 'd2', '2026-06-01T23:59:59.999Z', { ...SPRING, match_type: 'referrer' }),
    install(app, 'i3', 'd3', '2026-06-02T00:00:00.000Z', { ...SUMMER }),
    install(app, 'i6', 'd6', '2026-06-02T06:00:00Z', { ...organic }),
    install(app, 'i8', 'd8', '2026-06-02T11:00:00Z', { ...SPRING, status: 'rejected', fraud_reason: 'click_injection' }),
    install(app, 'i4', 'd4', '2026-06-02T12:00:00Z', { ...BRAND, match_type: 'probabilistic' }),
    install(app, 'i9', 'd1', '2026-06-04T08:00:00Z', { ...SPRING, status: 'reinstall', is_reattribution: true }),
    install(app, 'i10', 'd10', '2026-06-05T00:00:00.000Z', { ...BRAND }),
  ]);
  await store.insertClicks([
    ...['08:00', '08:01', '08:02', '08:03'].map((t) => touch(app, SPRING, `2026-06-01T${t}:00Z`)),
    touch(app, SPRING, '2026-06-01T08:10:00Z', 'click_flood'),
    touch(app, SPRING, '2026-06-01T08:11:00Z', 'click_flood'),
    touch(app, SUMMER, '2026-06-02T01:00:00Z'),
    touch(app, SUMMER, '2026-06-02T01:05:00Z'),
    ...['09:00', '09:01', '09:02'].map((t) => touch(app, BRAND, `2026-06-01T${t}:00Z`)),
    touch(app, BRAND, '2026-06-02T09:00:00Z'),
    touch(app, BRAND, '2026-06-02T09:01:00Z'),
    touch(app, BRAND, '2026-05-31T23:59:59.999Z'),
    touch(app, BRAND, '2026-06-05T00:00:00.000Z'),
  ]);
  await store.insertImpressions([
    touch(app, SPRING, '2026-06-01T07:00:00Z'),
    touch(app, SPRING, '2026-06-01T07:01:00Z'),
    touch(app, SPRING, '2026-06-02T07:00:00Z'),
    touch(app, BRAND, '2026-06-01T07:00:00Z'),
    touch(app, BRAND, '2026-06-05T00:00:00.000Z'),
  ]);
  await store.insertEvents([
    event(app, 'd5', '2026-05-31T23:59:59.999Z', NONE, open),
    event(app, 'd5', '2026-06-01T06:00:00Z', NONE, buy(1.25)),
    event(app, 'd1', '2026-06-01T10:00:05Z', SPRING, open),
    event(app, 'd2', '2026-06-02T01:00:00Z', SPRING, buy(5)),
    event(app, 'd3', '2026-06-02T02:00:00Z', SUMMER, buy(20)),
    event(app, 'd6', '2026-06-02T07:00:00Z', NONE, open),
    event(app, 'd1', '2026-06-02T10:00:00Z', SPRING, buy(9.99)),
    event(app, 'd4', '2026-06-02T13:00:00Z', BRAND, buy(3.5)),
    event(app, 'd1', '2026-06-04T09:00:00Z', SPRING, open),
    event(app, 'd4', '2026-06-05T00:00:00.000Z', BRAND, buy(100)),
    event(app, 'd2', '2026-06-08T12:00:00Z', SPRING, open),
  ]);
}

/** Another app's rows at the same times: none of it may show in the first app's answers. */
export async function loadNeighbour(store: EventStore, app: string): Promise<void> {
  await store.insertInstalls([install(app, 'x1', 'd1', '2026-06-01T10:00:00Z', { ...SPRING })]);
  await store.insertClicks([touch(app, SPRING, '2026-06-01T08:00:00Z'), touch(app, SPRING, '2026-06-01T08:00:01Z', 'click_flood')]);
  await store.insertEvents([event(app, 'd1', '2026-06-01T10:00:05Z', SPRING, buy(500))]);
  await store.upsertCosts(app, [{ date: '2026-06-01', media_source: 'meta', campaign: 'spring', cost: 5000, currency: 'USD' }]);
}
