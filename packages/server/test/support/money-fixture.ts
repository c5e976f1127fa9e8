import type { EventStore, ReengagementRow } from '@unmogrowp/storage';
import { at, event, install } from './analytics-fixture.ts';

/**
 * Money in three currencies and a retargeting campaign's wins, with answers worked out by hand in
 * api-currency.e2e.test.ts. The range under test is [06-01, 06-04) 2026, UTC.
 *
 * Revenue (purchase events):                  Spend (imported by the test through the API):
 *   06-01 10:00 meta/spring    10 EUR            06-01 meta/spring   100 EUR
 *   06-01 12:00 google/brand    4 USD            06-02 google/brand   30 USD
 *   06-02 10:00 meta/spring    20 EUR            06-03 meta/winback    8 GBP
 *   06-03 09:00 meta/winback  500 JPY
 *   06-03 18:00 organic         6 USD
 *   06-04 10:00 meta/spring    99 EUR (outside)
 * Re-engagements: meta/winback open-1 06-02 (stored twice: a replayed open), open-2 06-03;
 *   google/brand open-3 06-01; meta/winback open-4 06-05 (outside).
 * Installs: ra meta/winback re-attribution 06-02; ib meta/spring 06-01; ic meta/winback reinstall 06-03.
 */

const SPRING = { media_source: 'meta', campaign: 'spring', ad_set: '', ad: '', site_id: '', link_id: 'L-spring' };
const WINBACK = { media_source: 'meta', campaign: 'winback', ad_set: '', ad: '', site_id: '', link_id: 'L-winback' };
const BRAND = { media_source: 'google', campaign: 'brand', ad_set: '', ad: '', site_id: '', link_id: '' };
const NONE = { media_source: '', campaign: '', ad_set: '', ad: '', site_id: '', link_id: '' };

export const MONEY_COSTS = [
  { date: '2026-06-01', media_source: 'meta', campaign: 'spring', cost: 100, currency: 'EUR' },
  { date: '2026-06-02', media_source: 'google', campaign: 'brand', cost: 30, currency: 'USD' },
  { date: '2026-06-03', media_source: 'meta', campaign: 'winback', cost: 8, currency: 'GBP' },
];

function reengagement(app: string, eventId: string, iso: string, credit: typeof WINBACK): ReengagementRow {
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

export async function loadMoneyFixture(store: EventStore, app: string): Promise<void> {
  const buy = (revenue: number, currency: string) => ({ revenue, currency });
  await store.insertEvents([
    event(app, 'm1', '2026-06-01T10:00:00Z', SPRING, buy(10, 'EUR')),
    event(app, 'm2', '2026-06-01T12:00:00Z', BRAND, buy(4, 'USD')),
    event(app, 'm1', '2026-06-02T10:00:00Z', SPRING, buy(20, 'EUR')),
    event(app, 'm3', '2026-06-03T09:00:00Z', WINBACK, buy(500, 'JPY')),
    event(app, 'm4', '2026-06-03T18:00:00Z', NONE, buy(6, 'USD')),
    event(app, 'm1', '2026-06-04T10:00:00Z', SPRING, buy(99, 'EUR')),
  ]);
  await store.insertReengagements([
    reengagement(app, 'open-1', '2026-06-02T08:00:00Z', WINBACK),
    reengagement(app, 'open-1', '2026-06-02T08:00:00Z', WINBACK),
    reengagement(app, 'open-2', '2026-06-03T08:00:00Z', WINBACK),
    reengagement(app, 'open-3', '2026-06-01T08:00:00Z', BRAND),
    reengagement(app, 'open-4', '2026-06-05T08:00:00Z', WINBACK),
  ]);
  await store.insertInstalls([
    install(app, 'ra', 'dev-ra', '2026-06-02T12:00:00Z', { ...WINBACK, is_reattribution: true }),
    install(app, 'ib', 'dev-ib', '2026-06-01T12:00:00Z', { ...SPRING }),
    install(app, 'ic', 'dev-ra', '2026-06-03T12:00:00Z', { ...WINBACK, status: 'reinstall' }),
  ]);
}
