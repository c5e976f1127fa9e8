import type { CostRow, InstallRow } from '../src/events/analytics-types.ts';
import type { EventAttribution, EventStore, StoredEvent } from '../src/events/event-store.ts';
import type { FxRateRow } from '../src/events/fx-rate-rows.ts';
import type { ReengagementRow } from '../src/events/restart-state.ts';
import { install } from './event-analytics.fixtures.ts';
import { at, makeEvent } from './event-store.fixtures.ts';

/**
 * Three days of money in four currencies, rates for some of them, re-engagements and a
 * re-attribution, with answers worked out by hand in event-money.contract.ts. The range starts
 * and ends inside an hour, so the raw edges and the hourly rollups both carry revenue.
 *
 * Revenue (events):              Spend (costs):                 Rates into USD:
 *   05-01 09:45 meta/spring 10 EUR  05-01 meta/spring 100 EUR      EUR 05-01 1.25, 05-02 1.5
 *   05-01 12:00 google/brand 5 USD  05-02 google/brand 30 USD      GBP 05-03 2
 *   05-02 10:00 meta/spring 20 EUR  05-03 meta/spring 7 CHF        (none for JPY, CHF)
 *   05-02 00:30 google/brand 1000 JPY                            Rates into EUR:
 *   05-03 08:00 google/brand 500 JPY                               USD 05-01 0.5
 *   05-03 23:30 organic 4 GBP
 *   05-04 10:00 meta/spring 99 EUR (outside)
 */

export const MONEY_RANGE = { from: at('2024-05-01T09:30:00Z'), to: at('2024-05-03T23:45:00Z') };

const SPRING = { media_source: 'meta', campaign: 'spring', ad_set: '', ad: '', site_id: '', link_id: 'L-spring' };
const WINBACK = { media_source: 'meta', campaign: 'winback', ad_set: '', ad: '', site_id: '', link_id: 'L-winback' };
const BRAND = { media_source: 'google', campaign: 'brand', ad_set: '', ad: '', site_id: '', link_id: 'L-brand' };
const NONE = { media_source: '', campaign: '', ad_set: '', ad: '', site_id: '', link_id: '' };

function sale(app: string, iso: string, credit: EventAttribution, revenue: number, currency: string): StoredEvent {
  return { ...makeEvent({ app_id: app, device_id: `dev-${iso}`, timestamp: at(iso), revenue, currency }), attribution: credit };
}

export function moneyEvents(app: string): StoredEvent[] {
  return [
    sale(app, '2024-05-01T09:45:00Z', SPRING, 10, 'EUR'),
    sale(app, '2024-05-01T12:00:00Z', BRAND, 5, 'USD'),
    sale(app, '2024-05-02T10:00:00Z', SPRING, 20, 'EUR'),
    sale(app, '2024-05-02T00:30:00Z', BRAND, 1000, 'JPY'),
    sale(app, '2024-05-03T08:00:00Z', BRAND, 500, 'JPY'),
    sale(app, '2024-05-03T23:30:00Z', NONE, 4, 'GBP'),
    sale(app, '2024-05-04T10:00:00Z', SPRING, 99, 'EUR'),
  ];
}

export const MONEY_COSTS: CostRow[] = [
  { date: '2024-05-01', media_source: 'meta', campaign: 'spring', cost: 100, currency: 'EUR' },
  { date: '2024-05-02', media_source: 'google', campaign: 'brand', cost: 30, currency: 'USD' },
  { date: '2024-05-03', media_source: 'meta', campaign: 'spring', cost: 7, currency: 'CHF' },
];

export const MONEY_RATES: FxRateRow[] = [
  { date: '2024-05-01', currency: 'EUR', to_currency: 'USD', rate: 1.25 },
  { date: '2024-05-02', currency: 'EUR', to_currency: 'USD', rate: 1.5 },
  { date: '2024-05-03', currency: 'GBP', to_currency: 'USD', rate: 2 },
  { date: '2024-05-01', currency: 'USD', to_currency: 'EUR', rate: 0.5 },
];

function reengagement(app: string, eventId: string, iso: string, credit: EventAttribution): ReengagementRow {
  return {
    app_id: app,
    device_id: `dev-${eventId}`,
    event_id: eventId,
    at: at(iso),
    touch_at: at(iso) - 60_000,
    ...credit,
    click_id: '',
    network_click_id: '',
  };
}

/** 3 in range (open-1 stored twice, as a replayed open can be), one after it. */
export function moneyReengagements(app: string): ReengagementRow[] {
  return [
    reengagement(app, 'open-1', '2024-05-02T10:00:00Z', WINBACK),
    reengagement(app, 'open-1', '2024-05-02T10:00:00Z', WINBACK),
    reengagement(app, 'open-2', '2024-05-03T10:00:00Z', WINBACK),
    reengagement(app, 'open-3', '2024-05-01T11:00:00Z', BRAND),
    reengagement(app, 'open-4', '2024-05-04T10:00:00Z', WINBACK),
  ];
}

/** One re-attribution (winback), one new install (spring), one reinstall (not an install). */
export function moneyInstalls(app: string): InstallRow[] {
  return [
    install(app, 'ra', 'dev-ra', '2024-05-02T12:00:00Z', { ...WINBACK, is_reattribution: true }),
    install(app, 'ib', 'dev-ib', '2024-05-01T12:00:00Z', { ...SPRING }),
    install(app, 'ic', 'dev-ra', '2024-05-03T12:00:00Z', { ...WINBACK, status: 'reinstall' }),
  ];
}

export async function loadMoney(store: EventStore, app: string): Promise<void> {
  await store.insertEvents(moneyEvents(app));
  await store.upsertCosts(app, MONEY_COSTS);
  await store.upsertFxRates(app, MONEY_RATES);
  await store.insertReengagements(moneyReengagements(app));
  await store.insertInstalls(moneyInstalls(app));
}
