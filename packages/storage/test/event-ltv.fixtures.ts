import type { CostRow, InstallRow } from '../src/events/analytics-types.ts';
import type { EventStore, StoredEvent } from '../src/events/event-store.ts';
import { install } from './event-analytics.fixtures.ts';
import { at, makeEvent } from './event-store.fixtures.ts';

/**
 * Cohort LTV with answers computed by hand (event-ltv.contract.ts names the rows behind each).
 * Range [2025-01-10, 2025-01-12): cohorts A = 01-10 and B = 01-11 (UTC).
 *
 * New installs: m1 meta/spring 01-10 08:00 (dm1) · m2 meta/spring 01-10 20:00 (dm2) ·
 *   o1 organic 01-10 12:00 (do1) · m3 meta/summer 01-11 00:00:00.000 (dm3) · g1 google/brand 01-11 10:00 (dg1).
 * Not cohorts of the range: x1 rejected (dx) · a reinstall of dm1 01-15 (its revenue stays with m1) ·
 *   a re-attribution of dm2 to google/brand 01-16 (from then on dm2 earns for it) · m9 at `to` (dm9).
 * Revenue (day N after the install day):
 *   dm1: 100 before its install (not counted) · 1 d0 · 2 d1 (01-11 23:59:59.999) · 4 d7 (after the reinstall) ·
 *        8 d30 (02-09 00:00) · 16 d90 (04-10) · 32 d91 (past day 90: not counted)
 *   dm2: 5 d1 · 50 on 01-16 (the re-attribution's) · dm3: 10 d0 (at its install's very ms) · 20 d7 (01-18)
 *   dg1: 3 d1 · do1: 0.5 d0 · dx: 7 (rejected, no cohort) · dm9: 9 (cohort outside)
 * Costs in range: meta/spring 20 (01-10) + 10 (01-11, a day without spring installs) · meta/summer 40 (01-11) ·
 *   google/brand 5 (01-10) + 15 (01-11). Outside: meta/spring 1000 (01-12), google/brand 999 (01-09).
 */

export const LTV_RANGE = { from: at('2025-01-10T00:00:00Z'), to: at('2025-01-12T00:00:00Z') };

const SPRING = { media_source: 'meta', campaign: 'spring', ad_set: '', ad: '', site_id: '', link_id: '' };
const SUMMER = { ...SPRING, campaign: 'summer' };
const BRAND = { ...SPRING, media_source: 'google', campaign: 'brand' };
const NONE = { ...SPRING, media_source: '', campaign: '' };

function ltvInstalls(app: string): InstallRow[] {
  return [
    install(app, 'm1', 'dm1', '2025-01-10T08:00:00Z', SPRING),
    install(app, 'm2', 'dm2', '2025-01-10T20:00:00Z', SPRING),
    install(app, 'o1', 'do1', '2025-01-10T12:00:00Z', { status: 'organic', match_type: 'none', media_source: 'organic' }),
    install(app, 'm3', 'dm3', '2025-01-11T00:00:00.000Z', SUMMER),
    install(app, 'g1', 'dg1', '2025-01-11T10:00:00Z', BRAND),
    install(app, 'x1', 'dx', '2025-01-10T09:00:00Z', { ...SPRING, status: 'rejected', fraud_reason: 'ctit_too_short' }),
    install(app, 'r1', 'dm1', '2025-01-15T00:00:00Z', { ...SPRING, status: 'reinstall' }),
    install(app, 'g2', 'dm2', '2025-01-16T00:00:00Z', { ...BRAND, is_reattribution: true }),
    install(app, 'm9', 'dm9', '2025-01-12T00:00:00.000Z', SPRING),
  ];
}

function buy(app: string, device: string, iso: string, revenue: number, credit = SPRING): StoredEvent {
  return { ...makeEvent({ app_id: app, device_id: device, timestamp: at(iso), revenue, currency: 'USD' }), attribution: credit };
}

function ltvEvents(app: string): StoredEvent[] {
  return [
    buy(app, 'dm1', '2025-01-10T07:00:00Z', 100),
    buy(app, 'dm1', '2025-01-10T09:00:00Z', 1),
    buy(app, 'dm1', '2025-01-11T23:59:59.999Z', 2),
    buy(app, 'dm1', '2025-01-17T10:00:00Z', 4),
    buy(app, 'dm1', '2025-02-09T00:00:00.000Z', 8),
    buy(app, 'dm1', '2025-04-10T12:00:00Z', 16),
    buy(app, 'dm1', '2025-04-11T00:00:00.000Z', 32),
    { ...makeEvent({ app_id: app, device_id: 'dm1', timestamp: at('2025-01-12T10:00:00Z'), type: 'open', name: '', revenue: 0 }) },
    buy(app, 'dm2', '2025-01-11T01:00:00Z', 5),
    buy(app, 'dm2', '2025-01-16T12:00:00Z', 50, BRAND),
    buy(app, 'dm3', '2025-01-11T00:00:00.000Z', 10, SUMMER),
    buy(app, 'dm3', '2025-01-18T23:00:00Z', 20, SUMMER),
    buy(app, 'dg1', '2025-01-12T05:00:00Z', 3, BRAND),
    buy(app, 'do1', '2025-01-10T13:00:00Z', 0.5, NONE),
    buy(app, 'dx', '2025-01-10T10:00:00Z', 7),
    buy(app, 'dm9', '2025-01-12T01:00:00Z', 9),
  ];
}

const COST = (date: string, media_source: string, campaign: string, cost: number): CostRow => ({
  date,
  media_source,
  campaign,
  cost,
  currency: 'USD',
});

export const LTV_COSTS: CostRow[] = [
  COST('2025-01-10', 'meta', 'spring', 20),
  COST('2025-01-11', 'meta', 'spring', 10),
  COST('2025-01-11', 'meta', 'summer', 40),
  COST('2025-01-10', 'google', 'brand', 5),
  COST('2025-01-11', 'google', 'brand', 15),
  COST('2025-01-12', 'meta', 'spring', 1000),
  COST('2025-01-09', 'google', 'brand', 999),
];

/** The cohorts into `app`; into `other`, dm1 installing with revenue and spend that must never show in `app`. */
export async function loadLtv(store: EventStore, app: string, other: string): Promise<void> {
  await store.insertInstalls(ltvInstalls(app));
  await store.insertEvents(ltvEvents(app));
  await store.upsertCosts(app, LTV_COSTS);
  await store.insertInstalls([install(other, 'm1', 'dm1', '2025-01-10T08:00:00Z', SPRING)]);
  await store.insertEvents([buy(other, 'dm1', '2025-01-10T09:00:00Z', 500)]);
  await store.upsertCosts(other, [COST('2025-01-10', 'meta', 'spring', 5000)]);
}
