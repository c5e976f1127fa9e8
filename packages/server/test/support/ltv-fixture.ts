import type { EventStore, StoredEvent } from '@unmogrowp/storage';
import { makeEvent } from '../../../storage/test/event-store.fixtures.ts';
import { install } from './analytics-fixture.ts';

/**
 * Cohorts dated from today (UTC), so that some of their days have ended and some have not, with
 * answers computed by hand (api-ltv.e2e.test.ts and the LTV browser test state each sum). T is
 * today's midnight; A = T − 40 days, B = T − 3 days; the range under test is [A, T − 2 days),
 * so its days are A … B.
 *
 * Installs: a1 da1, a2 da2 meta/spring A 10:00, 11:00 · a3 da3 google/brand A 12:00 ·
 *   o1 do1 organic A 01:00 · b1 db1 meta/spring B 01:00.
 * Revenue (day N): da1 2 (d0), 6 (d7), 10 (d30) · da2 4 (d1) · da3 9 (d8) · do1 1 (d0) ·
 *   db1 3 (d0), 100 (d1).
 * Costs (LTV_COSTS, imported through the API): meta/spring 10 on A and 50 on B; meta/summer 5 on
 *   A + 1 (spend without installs); nothing for google/brand (its ROAS is null, not 0).
 */

const DAY = 86_400_000;

/** Today's UTC midnight; waits past midnight when it is near, so the days under test cannot change mid-test. */
export async function todayUtc(): Promise<number> {
  const untilMidnight = DAY - (Date.now() % DAY);
  if (untilMidnight < 180_000) await new Promise((r) => setTimeout(r, untilMidnight + 1000));
  return Math.floor(Date.now() / DAY) * DAY;
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface LtvDays {
  /** cohort A's day, T − 40 */
  a: number;
  /** cohort B's day, T − 3 */
  b: number;
  /** the range's query string: [A, T − 2 days) */
  query: string;
}

export function ltvDays(today: number): LtvDays {
  const a = today - 40 * DAY;
  const b = today - 3 * DAY;
  return { a, b, query: `from=${dayOf(a)}&to=${dayOf(today - 2 * DAY)}` };
}

const SPRING = { media_source: 'meta', campaign: 'spring', ad_set: '', ad: '', site_id: '', link_id: '' };
const BRAND = { ...SPRING, media_source: 'google', campaign: 'brand' };
const NONE = { ...SPRING, media_source: '', campaign: '' };
const H = 3_600_000;

function buy(app: string, device: string, ts: number, revenue: number, credit = SPRING, currency = 'USD'): StoredEvent {
  return { ...makeEvent({ app_id: app, device_id: device, timestamp: ts, revenue, currency }), attribution: credit };
}

export function ltvCosts({ a, b }: LtvDays) {
  return [
    { date: dayOf(a), media_source: 'meta', campaign: 'spring', cost: 10, currency: 'USD' },
    { date: dayOf(b), media_source: 'meta', campaign: 'spring', cost: 50, currency: 'USD' },
    { date: dayOf(a + DAY), media_source: 'meta', campaign: 'summer', cost: 5, currency: 'USD' },
  ];
}

export async function loadLtvCohorts(store: EventStore, app: string, { a, b }: LtvDays): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString();
  await store.insertInstalls([
    install(app, 'a1', 'da1', iso(a + 10 * H), SPRING),
    install(app, 'a2', 'da2', iso(a + 11 * H), SPRING),
    install(app, 'a3', 'da3', iso(a + 12 * H), BRAND),
    install(app, 'o1', 'do1', iso(a + 1 * H), { status: 'organic', match_type: 'none', media_source: 'organic' }),
    install(app, 'b1', 'db1', iso(b + 1 * H), SPRING),
  ]);
  await store.insertEvents([
    buy(app, 'da1', a + 12 * H, 2),
    buy(app, 'da1', a + 7 * DAY + H, 6),
    buy(app, 'da1', a + 30 * DAY + 5 * H, 10),
    buy(app, 'da2', a + DAY, 4),
    buy(app, 'da3', a + 8 * DAY, 9, BRAND),
    buy(app, 'do1', a + 2 * H, 1, NONE),
    buy(app, 'db1', b + 2 * H, 3),
    buy(app, 'db1', b + DAY + H, 100),
  ]);
}

/**
 * One cohort on day A for an app reporting in EUR (api-ltv.e2e.test.ts): install e1 (device de1,
 * meta/spring, A 10:00); revenue 10 EUR on A (d0), 4 GBP on A + 1 (d1), 3 USD on A + 2 (d2, no
 * rate); spend 20 GBP on A; rates GBP→EUR 1.1 on A and 1.25 on A + 1.
 */
export async function loadLtvInEuros(store: EventStore, app: string, { a }: LtvDays): Promise<void> {
  await store.insertInstalls([install(app, 'e1', 'de1', new Date(a + 10 * H).toISOString(), SPRING)]);
  await store.insertEvents([
    buy(app, 'de1', a + 12 * H, 10, SPRING, 'EUR'),
    buy(app, 'de1', a + DAY + H, 4, SPRING, 'GBP'),
    buy(app, 'de1', a + 2 * DAY + H, 3, SPRING, 'USD'),
  ]);
}

export const ltvEuroCosts = ({ a }: LtvDays) => [{ date: dayOf(a), media_source: 'meta', campaign: 'spring', cost: 20, currency: 'GBP' }];

export const ltvEuroRates = ({ a }: LtvDays) => [
  { date: dayOf(a), currency: 'GBP', rate: 1.1 },
  { date: dayOf(a + DAY), currency: 'GBP', rate: 1.25 },
];
