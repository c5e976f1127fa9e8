import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../src/events/event-store.ts';
import { LTV_RANGE, loadLtv } from './event-ltv.fixtures.ts';
import { LTV_MONEY_RANGE, loadLtvMoney } from './event-ltv-money.fixtures.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, newAppId } from './event-store.fixtures.ts';

/** A cumulative series of `length` cells: each given day's value holds until the next given day. */
function stepped(length: number, from: Record<number, number>): number[] {
  let value = 0;
  return Array.from({ length }, (_, n) => {
    value = from[n] ?? value;
    return value;
  });
}
/** The first `ended` cells of a series, then null for the days not ended yet. */
const until = (values: number[], ended: number) => values.map((v, n) => (n < ended ? v : null));

/**
 * The cohort LTV report of the EventStore port against event-ltv.fixtures.ts, with `now` fixed:
 * every cell is a hand-computed sum (the comments name the rows), and a day that has not ended
 * is null. Same harness as the other analytics contracts, so each adapter runs it.
 */
export function describeLtvContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore cohort LTV contract: ${adapter}`, () => {
    let store: EventStore;
    const app = newAppId();
    const other = newAppId();
    const money = newAppId();
    const later = at('2025-07-01T00:00:00Z');

    beforeAll(async () => {
      store = await harness.open(await harness.newLocation());
      await store.migrate();
      await loadLtv(store, app, other);
      await loadLtvMoney(store, money);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('by media source, every day ended: cumulative revenue per install from the install to the end of day N', async () => {
      const report = await store.ltv(app, LTV_RANGE, { groupBy: ['media_source'], now: later });
      expect(report.cohorts).toEqual([
        // dm1 1 (d0) + 2 (d1) + 4 (d7) + 8 (d30) + 16 (d90), dm2 5 (d1): 1, 8, 12, 20, 36 over 2 installs
        { cohort: '2025-01-10', media_source: 'meta', installs: 2, ltv: stepped(91, { 0: 0.5, 1: 4, 7: 6, 30: 10, 90: 18 }) },
        { cohort: '2025-01-10', media_source: 'organic', installs: 1, ltv: stepped(91, { 0: 0.5 }) }, // do1
        { cohort: '2025-01-11', media_source: 'google', installs: 1, ltv: stepped(91, { 0: 0, 1: 3 }) }, // dg1
        { cohort: '2025-01-11', media_source: 'meta', installs: 1, ltv: stepped(91, { 0: 10, 7: 30 }) }, // dm3
      ]);
      expect(report.groups).toEqual([
        {
          media_source: 'google',
          installs: 1,
          cost: 20, // 5 + 15 (01-09 and 01-12 are outside)
          ltv: stepped(91, { 0: 0, 1: 3 }),
          revenue_d7: 3,
          cost_d7: 20,
          roas_d7: 0.15,
          revenue_d30: 3,
          cost_d30: 20,
          roas_d30: 0.15,
        },
        {
          media_source: 'meta',
          installs: 3,
          cost: 70, // spring 20 + 10, summer 40
          // (A + B) / 3: d0 (1 + 10), d1 (8 + 10), d7 (12 + 30), d30 (20 + 30), d90 (36 + 30)
          ltv: stepped(91, { 0: 3.666667, 1: 6, 7: 14, 30: 16.666667, 90: 22 }),
          revenue_d7: 42,
          cost_d7: 70,
          roas_d7: 0.6,
          revenue_d30: 50,
          cost_d30: 70,
          roas_d30: 0.714286,
        },
        // no spend: ROAS is undefined, not 0
        {
          media_source: 'organic',
          installs: 1,
          cost: 0,
          ltv: stepped(91, { 0: 0.5 }),
          revenue_d7: 0.5,
          cost_d7: 0,
          roas_d7: null,
          revenue_d30: 0.5,
          cost_d30: 0,
          roas_d30: null,
        },
      ]);
    });

    it('by campaign, on 2025-01-18 12:00: days not ended are null; ROAS counts the days whose day N has ended', async () => {
      const now = at('2025-01-18T12:00:00Z');
      const report = await store.ltv(app, LTV_RANGE, { groupBy: ['media_source', 'campaign'], days: 10, now });
      // Cohort 01-10 has ended days 0…7, cohort 01-11 days 0…6.
      expect(report.cohorts).toEqual([
        { cohort: '2025-01-10', media_source: 'meta', campaign: 'spring', installs: 2, ltv: until(stepped(11, { 0: 0.5, 1: 4, 7: 6 }), 8) },
        { cohort: '2025-01-10', media_source: 'organic', campaign: '', installs: 1, ltv: until(stepped(11, { 0: 0.5 }), 8) },
        { cohort: '2025-01-11', media_source: 'google', campaign: 'brand', installs: 1, ltv: until(stepped(11, { 1: 3 }), 7) },
        { cohort: '2025-01-11', media_source: 'meta', campaign: 'summer', installs: 1, ltv: until(stepped(11, { 0: 10 }), 7) },
      ]);
      const nothingAtD30 = { revenue_d30: null, cost_d30: null, roas_d30: null };
      expect(report.groups).toEqual([
        // only 01-10 has reached day 7: no brand install that day, its 5 spent → ROAS 0, not null
        {
          media_source: 'google',
          campaign: 'brand',
          installs: 1,
          cost: 20,
          ltv: until(stepped(11, { 1: 3 }), 7),
          revenue_d7: 0,
          cost_d7: 5,
          roas_d7: 0,
          ...nothingAtD30,
        },
        // 01-10's cohort 12 over 01-10's spend 20; the 10 spent on 01-11 waits for its day 7
        {
          media_source: 'meta',
          campaign: 'spring',
          installs: 2,
          cost: 30,
          ltv: until(stepped(11, { 0: 0.5, 1: 4, 7: 6 }), 8),
          revenue_d7: 12,
          cost_d7: 20,
          roas_d7: 0.6,
          ...nothingAtD30,
        },
        {
          media_source: 'meta',
          campaign: 'summer',
          installs: 1,
          cost: 40,
          ltv: until(stepped(11, { 0: 10 }), 7),
          revenue_d7: 0,
          cost_d7: 0,
          roas_d7: null,
          ...nothingAtD30,
        },
        {
          media_source: 'organic',
          campaign: '',
          installs: 1,
          cost: 0,
          ltv: until(stepped(11, { 0: 0.5 }), 8),
          revenue_d7: 0.5,
          cost_d7: 0,
          roas_d7: null,
          ...nothingAtD30,
        },
      ]);
    });

    it('a range whose days have not reached day 7 has no ROAS yet; an empty range is empty; apps stay apart', async () => {
      // Day 0 of 01-11 ends at 01-12 00:00, exactly `now`: ended. No day of the range has reached day 7.
      const young = await store.ltv(app, LTV_RANGE, { groupBy: ['media_source'], days: 0, now: at('2025-01-12T00:00:00Z') });
      expect(young.cohorts.map((c) => [c.cohort, c.media_source, c.ltv])).toEqual([
        ['2025-01-10', 'meta', [0.5]],
        ['2025-01-10', 'organic', [0.5]],
        ['2025-01-11', 'google', [0]],
        ['2025-01-11', 'meta', [10]],
      ]);
      const lastMsOfDay0 = await store.ltv(app, LTV_RANGE, { groupBy: ['media_source'], days: 0, now: at('2025-01-11T23:59:59.999Z') });
      expect(lastMsOfDay0.cohorts.map((c) => c.ltv[0])).toEqual([0.5, 0.5, null, null]);
      expect(young.groups.map((g) => [g.media_source, g.roas_d7, g.revenue_d7, g.cost_d7])).toEqual([
        ['google', null, null, null],
        ['meta', null, null, null],
        ['organic', null, null, null],
      ]);
      expect(await store.ltv(app, { from: LTV_RANGE.from, to: LTV_RANGE.from }, { groupBy: ['media_source'] })).toEqual({
        cohorts: [],
        groups: [],
        missing_rates: [],
      });
      const theirs = await store.ltv(other, LTV_RANGE, { groupBy: ['media_source'], days: 1, now: later });
      expect(theirs.cohorts).toEqual([{ cohort: '2025-01-10', media_source: 'meta', installs: 1, ltv: [500, 500] }]);
      expect(theirs.groups.map((g) => [g.cost, g.roas_d7])).toEqual([[5000, 0.1]]);
    });

    it('in EUR: each amount converted with the rate of its own day, amounts without one left out and named', async () => {
      const report = await store.ltv(money, LTV_MONEY_RANGE, { groupBy: ['media_source'], days: 7, now: later, currency: 'EUR' });
      // event-ltv-money.fixtures.ts: da1 10 (d0) + 5 (d1) + 12 (d7); da2 7.5 (d0)
      expect(report.cohorts).toEqual([
        { cohort: '2025-03-01', media_source: 'meta', installs: 1, ltv: [10, 15, 15, 15, 15, 15, 15, 27] },
        { cohort: '2025-03-02', media_source: 'google', installs: 1, ltv: [7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5] },
      ]);
      expect(report.groups.map((g) => [g.media_source, g.cost, g.revenue_d7, g.cost_d7, g.roas_d7, g.revenue_d30, g.roas_d30])).toEqual([
        ['google', 50, 7.5, 50, 0.15, 7.5, 0.15], // 40 GBP × 1.25; the 5 USD has no rate
        ['meta', 32, 27, 32, 0.84375, 27, 0.84375], // 20 GBP × 1.1 + 10 EUR
      ]);
      expect(report.missing_rates).toEqual([
        { currency: 'GBP', from: '2025-03-03', to: '2025-03-03' }, // da2's d1 (a GBP→USD rate is no GBP→EUR one)
        { currency: 'USD', from: '2025-03-01', to: '2025-03-01' }, // google's spend
        { currency: 'USD', from: '2025-03-03', to: '2025-03-04' }, // da1's d2 and d3 (no currency code reads as USD)
      ]);
    });

    it('in USD (the default), the same money: USD as it is, every other currency without a rate into USD', async () => {
      const report = await store.ltv(money, LTV_MONEY_RANGE, { groupBy: ['media_source'], days: 3, now: later });
      expect(report.cohorts.map((c) => [c.media_source, c.ltv])).toEqual([
        ['meta', [0, 0, 3, 5]],
        ['google', [0, 18, 18, 18]], // the GBP→USD rate of 03-03 converts da2's 2 GBP that day
      ]);
      expect(report.groups.map((g) => [g.media_source, g.cost])).toEqual([
        ['google', 5],
        ['meta', 0],
      ]);
      expect(report.groups.map((g) => g.ltv[1])).toEqual([18, 0]);
    });

    it('refuses a day past 90 and a grouping outside the list', async () => {
      await expect(store.ltv(app, LTV_RANGE, { groupBy: ['media_source'], days: 91 })).rejects.toThrow(RangeError);
      await expect(store.ltv(app, LTV_RANGE, { groupBy: ['ad_set' as 'campaign'] })).rejects.toThrow(/cannot group/);
    });
  });
}
