import type { CostRow } from '../src/events/analytics-types.ts';
import type { EventStore, StoredEvent } from '../src/events/event-store.ts';
import type { FxRateRow } from '../src/events/fx-rate-rows.ts';
import { install } from './event-analytics.fixtures.ts';
import { at, makeEvent } from './event-store.fixtures.ts';

/**
 * Cohort LTV in a reporting currency of EUR, with answers worked out by hand in
 * event-ltv.contract.ts. Range [2025-03-01, 2025-03-03): cohorts 03-01 (meta/spring, device da1)
 * and 03-02 (google/brand, device da2), one install each.
 *
 * Revenue (day N after install → EUR):         Spend (→ EUR):
 *   da1 03-01 d0 10 EUR      → 10 (as it is)        03-01 meta/spring 20 GBP × 1.1  → 22
 *   da1 03-02 d1 4 GBP       → 4 × 1.25 = 5         03-02 meta/spring 10 EUR        → 10
 *   da1 03-03 d2 3 USD       → no rate: left out    03-02 google/brand 40 GBP × 1.25 → 50
 *   da1 03-04 d3 2 (no code) → USD, no rate         03-01 google/brand 5 USD        → no rate: left out
 *   da1 03-08 d7 8 GBP       → 8 × 1.5 = 12 (a day past `to`: its rate must be read too)
 *   da2 03-02 d0 6 GBP       → 6 × 1.25 = 7.5
 *   da2 03-03 d1 2 GBP       → no GBP→EUR rate that day (only GBP→USD): left out
 * Rates into EUR: GBP 03-01 1.1, 03-02 1.25, 03-08 1.5. Into USD: GBP 03-03 9 (another target, unused).
 */

export const LTV_MONEY_RANGE = { from: at('2025-03-01T00:00:00Z'), to: at('2025-03-03T00:00:00Z') };

const SPRING = { media_source: 'meta', campaign: 'spring', ad_set: '', ad: '', site_id: '', link_id: '' };
const BRAND = { ...SPRING, media_source: 'google', campaign: 'brand' };

function buy(app: string, device: string, iso: string, revenue: number, currency: string, credit = SPRING): StoredEvent {
  return { ...makeEvent({ app_id: app, device_id: device, timestamp: at(iso), revenue, currency }), attribution: credit };
}

const COSTS: CostRow[] = [
  { date: '2025-03-01', media_source: 'meta', campaign: 'spring', cost: 20, currency: 'GBP' },
  { date: '2025-03-02', media_source: 'meta', campaign: 'spring', cost: 10, currency: 'EUR' },
  { date: '2025-03-02', media_source: 'google', campaign: 'brand', cost: 40, currency: 'GBP' },
  { date: '2025-03-01', media_source: 'google', campaign: 'brand', cost: 5, currency: 'USD' },
];

const RATES: FxRateRow[] = [
  { date: '2025-03-01', currency: 'GBP', to_currency: 'EUR', rate: 1.1 },
  { date: '2025-03-02', currency: 'GBP', to_currency: 'EUR', rate: 1.25 },
  { date: '2025-03-08', currency: 'GBP', to_currency: 'EUR', rate: 1.5 },
  { date: '2025-03-03', currency: 'GBP', to_currency: 'USD', rate: 9 },
];

export async function loadLtvMoney(store: EventStore, app: string): Promise<void> {
  await store.insertInstalls([
    install(app, 'a1', 'da1', '2025-03-01T10:00:00Z', SPRING),
    install(app, 'a2', 'da2', '2025-03-02T10:00:00Z', BRAND),
  ]);
  await store.insertEvents([
    buy(app, 'da1', '2025-03-01T11:00:00Z', 10, 'EUR'),
    buy(app, 'da1', '2025-03-02T11:00:00Z', 4, 'GBP'),
    buy(app, 'da1', '2025-03-03T11:00:00Z', 3, 'USD'),
    buy(app, 'da1', '2025-03-04T11:00:00Z', 2, ''),
    buy(app, 'da1', '2025-03-08T11:00:00Z', 8, 'GBP'),
    buy(app, 'da2', '2025-03-02T11:00:00Z', 6, 'GBP', BRAND),
    buy(app, 'da2', '2025-03-03T11:00:00Z', 2, 'GBP', BRAND),
  ]);
  await store.upsertCosts(app, COSTS);
  await store.upsertFxRates(app, RATES);
}
