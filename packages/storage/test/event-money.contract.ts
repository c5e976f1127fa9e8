import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../src/events/event-store.ts';
import { loadMoney, MONEY_RANGE } from './event-money.fixtures.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, newAppId } from './event-store.fixtures.ts';

/**
 * Money in a reporting currency and re-engagement counts, against every adapter: the rows are
 * event-money.fixtures.ts, every number below is worked out by hand from them.
 */
export function describeEventMoneyContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore money and re-engagement contract: ${adapter}`, () => {
    let store: EventStore;
    const app = newAppId();

    beforeAll(async () => {
      store = await harness.open(await harness.newLocation());
      await store.migrate();
      await loadMoney(store, app);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('overview: revenue converted into USD day by day; JPY without a rate is left out; re-engagements and re-attributions', async () => {
      expect(await store.overview(app, MONEY_RANGE, { currency: 'USD' })).toMatchObject({
        total_revenue: 55.5, // 10 EUR × 1.25 + 20 EUR × 1.5 + 5 USD + 4 GBP × 2; 1500 JPY have no rate
        reengagements: 3, // open-1 (stored twice), open-2, open-3; open-4 is after the range
        reattributions: 1, // ra; ib is a new install, ic a reinstall
        installs: 2, // ra and ib
      });
      expect(await store.missingRates(app, MONEY_RANGE, { currency: 'USD' })).toEqual([
        { currency: 'JPY', from: '2024-05-02', to: '2024-05-03' },
      ]);
    });

    it('attribution: revenue and cost converted per row, the rows without a rate left out, counts per campaign', async () => {
      const rows = await store.attribution(app, MONEY_RANGE, { groupBy: ['media_source', 'campaign'], currency: 'USD' });
      const pick = ({ media_source, campaign, revenue, cost, roas, installs, reengagements, reattributions }: (typeof rows)[number]) => ({
        key: `${media_source}/${campaign}`,
        revenue,
        cost,
        roas,
        installs,
        reengagements,
        reattributions,
      });
      expect(rows.map(pick)).toEqual([
        // 5 USD (JPY left out); 30 USD spend; open-3
        { key: 'google/brand', revenue: 5, cost: 30, roas: 0.166667, installs: 0, reengagements: 1, reattributions: 0 },
        // 12.5 + 30; 100 EUR × 1.25 (7 CHF has no rate); ib
        { key: 'meta/spring', revenue: 42.5, cost: 125, roas: 0.34, installs: 1, reengagements: 0, reattributions: 0 },
        // open-1 once, open-2; ra
        { key: 'meta/winback', revenue: 0, cost: 0, roas: null, installs: 1, reengagements: 2, reattributions: 1 },
        // 4 GBP × 2
        { key: 'organic/', revenue: 8, cost: 0, roas: null, installs: 0, reengagements: 0, reattributions: 0 },
      ]);
      expect(await store.missingRates(app, MONEY_RANGE, { currency: 'USD', costs: true })).toEqual([
        { currency: 'CHF', from: '2024-05-03', to: '2024-05-03' },
        { currency: 'JPY', from: '2024-05-02', to: '2024-05-03' },
      ]);
    });

    it('timeseries of revenue per day in USD', async () => {
      const points = await store.timeseries(app, MONEY_RANGE, { metric: 'revenue', interval: 'day', currency: 'USD' });
      expect(points.map((p) => p.value)).toEqual([17.5, 30, 8]); // 12.5 + 5; 30 (JPY left out); 8
    });

    it('another reporting currency takes the rates into it: EUR', async () => {
      // 10 + 20 EUR as they are, 5 USD × 0.5; GBP and JPY have no rate into EUR
      expect((await store.overview(app, MONEY_RANGE, { currency: 'EUR' })).total_revenue).toBe(32.5);
      expect(await store.missingRates(app, MONEY_RANGE, { currency: 'EUR', costs: true })).toEqual([
        { currency: 'CHF', from: '2024-05-03', to: '2024-05-03' },
        { currency: 'GBP', from: '2024-05-03', to: '2024-05-03' },
        { currency: 'JPY', from: '2024-05-02', to: '2024-05-03' },
        { currency: 'USD', from: '2024-05-02', to: '2024-05-02' }, // the 30 USD of spend on 05-02
      ]);
    });

    it('a rate loaded later converts what was left out; a re-import replaces it; a deleted one is missing again', async () => {
      const later = newAppId();
      await loadMoney(store, later);
      await store.upsertFxRates(later, [{ date: '2024-05-02', currency: 'JPY', to_currency: 'USD', rate: 0.0078125 }]);
      expect((await store.overview(later, MONEY_RANGE)).total_revenue).toBe(63.3125); // 55.5 + 1000 × 0.0078125
      await store.upsertFxRates(later, [{ date: '2024-05-02', currency: 'JPY', to_currency: 'USD', rate: 0.015625 }]);
      expect((await store.overview(later, MONEY_RANGE)).total_revenue).toBe(71.125); // 55.5 + 1000 × 0.015625
      expect(await store.listFxRates(later, { currency: 'JPY' })).toEqual([
        { date: '2024-05-02', currency: 'JPY', to_currency: 'USD', rate: 0.015625 },
      ]);
      await store.deleteFxRates(later, [{ date: '2024-05-02', currency: 'JPY', to_currency: 'USD' }]);
      expect((await store.overview(later, MONEY_RANGE)).total_revenue).toBe(55.5);
      expect(await store.missingRates(later, MONEY_RANGE)).toEqual([{ currency: 'JPY', from: '2024-05-02', to: '2024-05-03' }]);
    });

    it('the overview with its missing rates, in one statement, answers what overview and missingRates answer apart', async () => {
      const ranges = [
        MONEY_RANGE,
        { from: MONEY_RANGE.from, to: at('2024-05-02T00:00:00Z') }, // EUR and USD only: nothing missing in USD
        { from: at('2024-05-02T00:00:00Z'), to: at('2024-05-03T00:00:00Z') }, // whole day: rollups only
        { from: at('2024-05-02T00:29:59.999Z'), to: at('2024-05-02T00:30:00.001Z') }, // one raw JPY row
      ];
      for (const range of ranges) {
        for (const currency of ['USD', 'EUR', 'JPY']) {
          const together = await store.overviewWithMissingRates(app, range, { currency });
          expect(together, `${currency} ${JSON.stringify(range)}`).toEqual({
            overview: await store.overview(app, range, { currency }),
            missing_rates: await store.missingRates(app, range, { currency }),
          });
        }
      }
      // Not vacuous: some of these ranges have missing rates and some have none.
      expect((await store.overviewWithMissingRates(app, MONEY_RANGE, { currency: 'EUR' })).missing_rates).toEqual([
        { currency: 'GBP', from: '2024-05-03', to: '2024-05-03' },
        { currency: 'JPY', from: '2024-05-02', to: '2024-05-03' },
      ]);
      expect((await store.overviewWithMissingRates(app, ranges[1] as typeof MONEY_RANGE)).missing_rates).toEqual([]);
    });

    it('refuses a malformed currency code before asking the engine', async () => {
      await expect(store.overview(app, MONEY_RANGE, { currency: "US'" })).rejects.toThrow(RangeError);
    });
  });
}
