import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../src/events/event-store.ts';
import { COSTS, EMPTY_RANGE, install, loadMonth, RANGE } from './event-analytics.fixtures.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, newAppId } from './event-store.fixtures.ts';

/**
 * The analytics queries of the EventStore port against a month with known answers
 * (event-analytics.fixtures.ts lists it; the comments below name the rows each number counts).
 * Same harness as the event-store contract, so a ClickHouse-server adapter runs it too.
 * Cohort retention over the same month: event-cohort-retention.contract.ts.
 */
export function describeEventAnalyticsContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore analytics contract: ${adapter}`, () => {
    let store: EventStore;
    const app = newAppId();
    const other = newAppId();

    beforeAll(async () => {
      store = await harness.open(await harness.newLocation());
      await store.migrate();
      await loadMonth(store, app, other);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('overview: every field, installs split by status, fraud-rejected touches left out', async () => {
      expect(await store.overview(app, RANGE)).toEqual({
        total_events: 13, // 6 on 03-01, 5 on 03-02, 2 on 03-03 (the 02-29 and 03-04 ones are outside)
        active_users: 7, // d1 d2 d3 d4 d5 d6 d7
        total_revenue: 39.74, // 1.25 + 9.99 + 5 + 20 + 3.5
        installs: 7, // attributed i1 i2 i3 i4 i11 + organic i5 i6
        organic_installs: 2, // i5 (stored 'organic'), i6 (stored '')
        non_organic_installs: 5, // i1 i2 i3 i4 i11 (a re-attribution is a new attributed install)
        rejected_installs: 2, // i7 i8
        reinstalls: 1, // i9
        clicks: 11, // spring 4 + summer 2 + brand 5; the 2 click_flood ones and the 2 outside do not count
        impressions: 5, // spring 3 + brand 2 (03-03 23:59:59.999 in, 03-04 00:00 out)
        reengagements: 0, // none in this month (event-money.contract.ts counts them)
        reattributions: 1, // i11
      });
    });

    it('overview: `to` is exclusive and UTC days end at 23:59:59.999', async () => {
      const lastMs = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-01T23:59:59.999Z') };
      expect((await store.overview(app, lastMs)).installs).toBe(2); // i1 i5, not i2
      const day = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-02T00:00:00.000Z') };
      expect(await store.overview(app, day)).toMatchObject({ installs: 3, non_organic_installs: 2, rejected_installs: 1 }); // i1 i2 i5; i7
      const nextFirstMs = { from: at('2024-03-02T00:00:00Z'), to: at('2024-03-02T00:00:00.001Z') };
      expect((await store.overview(app, nextFirstMs)).installs).toBe(1); // i3
    });

    it('attribution by media source: installs, clicks, revenue inherited by events, costs, ratios', async () => {
      const rows = await store.attribution(app, RANGE, { groupBy: ['media_source'] });
      expect(rows).toEqual([
        // clicks 5, impressions 2, install i4, revenue of d4 3.5, cost brand 40 + unsplit 10
        {
          media_source: 'google',
          clicks: 5,
          impressions: 2,
          installs: 1,
          conversion_rate: 0.2,
          revenue: 3.5,
          cost: 50,
          roas: 0.07,
          ecpi: 50,
          reengagements: 0,
          reattributions: 0,
        },
        // clicks 4 + 2, installs i1 i2 i3 i11, revenue 9.99 + 5 + 20, cost spring 100 + 60 (re-imported) + summer 30
        {
          media_source: 'meta',
          clicks: 6,
          impressions: 3,
          installs: 4,
          conversion_rate: 0.666667,
          revenue: 34.99,
          cost: 190,
          roas: 0.184158,
          ecpi: 47.5,
          reengagements: 0,
          reattributions: 1, // i11
        },
        // installs i5 i6; revenue of events with no inherited source (d5 1.25)
        {
          media_source: 'organic',
          clicks: 0,
          impressions: 0,
          installs: 2,
          conversion_rate: null,
          revenue: 1.25,
          cost: 0,
          roas: null,
          ecpi: 0,
          reengagements: 0,
          reattributions: 0,
        },
      ]);
      const overview = await store.overview(app, RANGE);
      expect(rows.reduce((s, r) => s + r.installs, 0)).toBe(overview.installs);
      expect(rows.reduce((s, r) => s + r.clicks, 0)).toBe(overview.clicks);
    });

    it('attribution by source and campaign; unsplit spend keeps its own row', async () => {
      const rows = await store.attribution(app, RANGE, { groupBy: ['campaign', 'media_source'] });
      const pick = rows.map(({ media_source, campaign, clicks, installs, revenue, cost }) => ({
        media_source,
        campaign,
        clicks,
        installs,
        revenue,
        cost,
      }));
      expect(pick).toEqual([
        { media_source: 'google', campaign: '', clicks: 0, installs: 0, revenue: 0, cost: 10 },
        { media_source: 'google', campaign: 'brand', clicks: 5, installs: 1, revenue: 3.5, cost: 40 },
        { media_source: 'meta', campaign: 'spring', clicks: 4, installs: 3, revenue: 14.99, cost: 160 },
        { media_source: 'meta', campaign: 'summer', clicks: 2, installs: 1, revenue: 20, cost: 30 },
        { media_source: 'organic', campaign: '', clicks: 0, installs: 2, revenue: 1.25, cost: 0 },
      ]);
      expect(rows[2]).toMatchObject({ conversion_rate: 0.75, roas: 0.093688, ecpi: 53.333333 });
    });

    it('attribution finer than costs: spend lands on the row without that dimension, totals hold', async () => {
      const rows = await store.attribution(app, RANGE, { groupBy: ['media_source', 'campaign', 'ad_set', 'ad', 'site_id'] });
      const spring = rows.filter((r) => r.media_source === 'meta' && r.campaign === 'spring');
      expect(spring.map(({ ad_set, ad, site_id, installs, cost }) => ({ ad_set, ad, site_id, installs, cost }))).toEqual([
        { ad_set: '', ad: '', site_id: '', installs: 0, cost: 160 },
        { ad_set: 'as1', ad: 'a1', site_id: 's1', installs: 3, cost: 0 },
      ]);
      expect(rows.reduce((s, r) => s + r.cost, 0)).toBe(240); // 160 + 30 + 40 + 10
    });

    it('attribution refuses dimensions outside the list, and is empty for an empty range', async () => {
      await expect(store.attribution(app, RANGE, { groupBy: ['media_source; DROP TABLE events' as 'ad'] })).rejects.toThrow(RangeError);
      await expect(store.attribution(app, RANGE, { groupBy: ['device_id' as 'ad'] })).rejects.toThrow(/cannot group by/);
      expect(await store.attribution(app, EMPTY_RANGE, { groupBy: ['media_source', 'campaign'] })).toEqual([]);
      expect(await store.attribution(app, { from: RANGE.from, to: RANGE.from }, { groupBy: [] })).toEqual([]);
    });

    it('costs: re-importing a day, source and campaign replaces it; days overlapping the range count whole', async () => {
      const halfDays = { from: at('2024-03-01T12:00:00Z'), to: at('2024-03-02T12:00:00Z') };
      const rows = await store.attribution(app, halfDays, { groupBy: ['media_source'] });
      expect(rows.map(({ media_source, cost, installs }) => ({ media_source, cost, installs }))).toEqual([
        { media_source: 'google', cost: 50, installs: 0 }, // i4 at 12:00 is at `to`: outside
        { media_source: 'meta', cost: 190, installs: 2 }, // i2 i3
        { media_source: 'organic', cost: 0, installs: 1 }, // i6
      ]);
      const app2 = newAppId();
      const key = { date: '2024-03-05', media_source: 'tiktok', campaign: 'c', currency: 'EUR' };
      await store.upsertCosts(app2, [{ ...key, cost: 7 }]);
      await store.upsertCosts(app2, [{ ...key, cost: 8 }]);
      await store.upsertCosts(app2, [{ ...key, cost: 7 }]); // identical to the first import: must still win
      await store.upsertCosts(app2, [
        { ...key, date: '2024-03-06', cost: 1 },
        { ...key, date: '2024-03-06', cost: 2 },
      ]);
      const march = { from: at('2024-03-01T00:00:00Z'), to: at('2024-04-01T00:00:00Z') };
      // Spend in EUR, reported in EUR: counted as it is (money in other currencies: event-money.contract.ts).
      expect((await store.attribution(app2, march, { groupBy: ['media_source'], currency: 'EUR' }))[0]?.cost).toBe(9);
      await expect(store.upsertCosts(app2, [{ ...COSTS[0]!, date: '2024-02-30' }])).rejects.toThrow(/date/);
    });

    it('costs: lists what was imported (current values, filtered by days and source) and deletes by key', async () => {
      const app3 = newAppId();
      const row = { media_source: 'tiktok', campaign: 'c', currency: 'USD' };
      await store.upsertCosts(app3, [
        { ...row, date: '2024-03-05', cost: 7 },
        { ...row, date: '2024-03-06', cost: 1 },
        { ...row, date: '2024-03-06', media_source: 'meta', cost: 3 },
      ]);
      await store.upsertCosts(app3, [{ ...row, date: '2024-03-05', cost: 8 }]);
      expect(await store.listCosts(app3)).toEqual([
        { ...row, date: '2024-03-06', media_source: 'meta', cost: 3 },
        { ...row, date: '2024-03-06', cost: 1 },
        { ...row, date: '2024-03-05', cost: 8 },
      ]);
      expect(await store.listCosts(app3, { media_source: 'tiktok', from: '2024-03-05', to: '2024-03-05' })).toEqual([
        { ...row, date: '2024-03-05', cost: 8 },
      ]);
      await store.deleteCosts(app3, [{ date: '2024-03-06', media_source: 'tiktok', campaign: 'c' }]);
      expect((await store.listCosts(app3)).map((r) => `${r.date} ${r.media_source}`)).toEqual(['2024-03-06 meta', '2024-03-05 tiktok']);
      const march = { from: at('2024-03-01T00:00:00Z'), to: at('2024-04-01T00:00:00Z') };
      expect((await store.attribution(app3, march, { groupBy: ['media_source'] })).map((r) => r.cost)).toEqual([3, 8]);
      await expect(store.listCosts(app3, { from: '03/05/2024' })).rejects.toThrow(/from/);
    });

    it('timeseries per UTC day: installs, events, revenue, active users, zero-filled', async () => {
      const series = async (metric: 'installs' | 'events' | 'revenue' | 'active_users') =>
        (await store.timeseries(app, RANGE, { metric, interval: 'day' })).map((p) => [p.t, p.value]);
      const days = ['2024-03-01T00:00:00.000Z', '2024-03-02T00:00:00.000Z', '2024-03-03T00:00:00.000Z'];
      expect(await series('installs')).toEqual([
        [days[0], 3], // i1 i2 i5
        [days[1], 3], // i3 i4 i6
        [days[2], 1], // i11 (i9 is a reinstall)
      ]);
      expect(await series('events')).toEqual([
        [days[0], 6],
        [days[1], 5],
        [days[2], 2],
      ]);
      expect(await series('revenue')).toEqual([
        [days[0], 1.25],
        [days[1], 38.49],
        [days[2], 0],
      ]);
      expect(await series('active_users')).toEqual([
        [days[0], 4], // d1 d2 d5 d7
        [days[1], 5], // d1 d2 d3 d4 d6
        [days[2], 2], // d1 d4
      ]);
    });

    it('timeseries per hour from mid-hour: first bucket holds `from`, gaps are 0, `to` exclusive', async () => {
      const range = { from: at('2024-03-01T23:30:00Z'), to: at('2024-03-02T01:00:00Z') };
      expect(await store.timeseries(app, range, { metric: 'installs', interval: 'hour' })).toEqual([
        { t: '2024-03-01T23:00:00.000Z', value: 1 }, // i2
        { t: '2024-03-02T00:00:00.000Z', value: 1 }, // i3
      ]);
      expect(await store.timeseries(app, range, { metric: 'events', interval: 'hour' })).toEqual([
        { t: '2024-03-01T23:00:00.000Z', value: 1 }, // d2's install event; its 01:00 purchase is at `to`
        { t: '2024-03-02T00:00:00.000Z', value: 0 },
      ]);
      expect(await store.timeseries(app, EMPTY_RANGE, { metric: 'revenue', interval: 'day' })).toHaveLength(30);
      expect((await store.timeseries(app, EMPTY_RANGE, { metric: 'revenue', interval: 'day' })).every((p) => p.value === 0)).toBe(true);
      expect(await store.timeseries(app, { from: RANGE.to, to: RANGE.to }, { metric: 'events', interval: 'hour' })).toEqual([]);
      await expect(
        store.timeseries(app, { from: 0, to: at('2024-01-01T00:00:00Z') }, { metric: 'events', interval: 'hour' }),
      ).rejects.toThrow(RangeError);
    });

    it('installs export: API rows in time order, in chunks, organic spelled out, ISO times with ms', async () => {
      const chunks = [];
      for await (const chunk of store.installs(app, RANGE, { chunkRows: 3 })) chunks.push(chunk);
      expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
      const rows = chunks.flat();
      expect(rows.map((r) => r.install_id)).toEqual(['i5', 'i1', 'i7', 'i2', 'i3', 'i6', 'i8', 'i4', 'i9', 'i11']);
      expect(rows[1]).toEqual({
        install_id: 'i1',
        device_id: 'd1',
        advertising_id: 'AAAA-1',
        installed_at: '2024-03-01T10:00:00.000Z',
        status: 'attributed',
        match_type: 'device_id',
        media_source: 'meta',
        campaign: 'spring',
        ad_set: 'as1',
        ad: 'a1',
        site_id: 's1',
        link_id: 'L-spring',
        click_id: 'c1',
        network_click_id: 'net-1',
        touch_at: '2024-03-01T09:00:00.000Z',
        ctit_seconds: 3600,
        fraud_reason: '',
        is_reattribution: false,
      });
      const byId = new Map(rows.map((r) => [r.install_id, r]));
      expect(byId.get('i6')).toMatchObject({
        media_source: 'organic',
        status: 'organic',
        match_type: 'none',
        touch_at: null,
        ctit_seconds: null,
      });
      expect(byId.get('i2')?.installed_at).toBe('2024-03-01T23:59:59.999Z');
      expect(byId.get('i7')).toMatchObject({ status: 'rejected', fraud_reason: 'ctit_too_short', ctit_seconds: 4, media_source: 'google' });
      expect(byId.get('i11')?.is_reattribution).toBe(true);
      const none = [];
      for await (const chunk of store.installs(app, EMPTY_RANGE)) none.push(chunk);
      expect(none).toEqual([]);
    });

    it('installs export pages through installs sharing one millisecond, each once', async () => {
      const app3 = newAppId();
      const ids = ['x7', 'x1', 'x5', 'x3', 'x2', 'x6', 'x4'];
      await store.insertInstalls(ids.map((id) => install(app3, id, `dev-${id}`, '2024-03-01T12:00:00.000Z', {})));
      const seen: string[] = [];
      for await (const chunk of store.installs(app3, RANGE, { chunkRows: 2 })) seen.push(...chunk.map((r) => r.install_id));
      expect(seen).toEqual([...ids].sort());
      // Sparse over a year: pages walk growing time windows and still fill their chunks.
      const year = ['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.001Z', '2024-03-15T12:00:00Z', '2024-12-31T23:59:59.999Z'];
      await store.insertInstalls(year.map((iso, n) => install(app3, `y${n}`, `dev-y${n}`, iso, {})));
      const chunks: string[][] = [];
      const wholeYear = { from: at('2024-01-01T00:00:00Z'), to: at('2025-01-01T00:00:00Z') };
      for await (const chunk of store.installs(app3, wholeYear, { chunkRows: 3 })) chunks.push(chunk.map((r) => r.install_id));
      expect(chunks).toEqual([
        ['y0', 'y1', 'x1'],
        ['x2', 'x3', 'x4'],
        ['x5', 'x6', 'x7'],
        ['y2', 'y3'],
      ]);
    });

    it('fraud: rejected installs and clicks by reason and by media source', async () => {
      expect(await store.fraud(app, RANGE)).toEqual({
        rejected_installs: 2,
        rejected_clicks: 2,
        rejected_impressions: 0,
        installs_by_reason: [
          { reason: 'click_injection', count: 1 }, // i8
          { reason: 'ctit_too_short', count: 1 }, // i7
        ],
        clicks_by_reason: [{ reason: 'click_flood', count: 2 }],
        impressions_by_reason: [],
        by_media_source: [
          { media_source: 'google', reason: 'ctit_too_short', installs: 1, clicks: 0, impressions: 0 },
          { media_source: 'meta', reason: 'click_flood', installs: 0, clicks: 2, impressions: 0 },
          { media_source: 'meta', reason: 'click_injection', installs: 1, clicks: 0, impressions: 0 },
        ],
      });
      const empty = await store.fraud(app, EMPTY_RANGE);
      expect(empty).toMatchObject({
        rejected_installs: 0,
        rejected_clicks: 0,
        installs_by_reason: [],
        clicks_by_reason: [],
        by_media_source: [],
      });
    });

    it('link stats: valid clicks, impressions and attributed installs per link, exact; conversion null without clicks', async () => {
      expect(await store.linkStats(app, RANGE)).toEqual([
        // clicks 3 on 03-01 + 2 on 03-02 (02-29 and 03-04 outside); impressions 03-01 and 03-03 23:59:59.999; install i4 (i7 rejected, i10 outside)
        { link_id: 'L-brand', clicks: 5, impressions: 2, installs: 1, conversion_rate: 0.2 },
        // 4 clicks (the 2 click_flood ones do not count); installs i1 i2 i11 (i8 rejected, i9 a reinstall)
        { link_id: 'L-spring', clicks: 4, impressions: 3, installs: 3, conversion_rate: 0.75 },
        { link_id: 'L-summer', clicks: 2, impressions: 0, installs: 1, conversion_rate: 0.5 }, // i3
      ]);
      expect(await store.linkStats(app, EMPTY_RANGE)).toEqual([]);
    });

    it('keeps apps apart in every query', async () => {
      const o = await store.overview(other, RANGE);
      expect(o).toMatchObject({ installs: 3, clicks: 3, impressions: 2, total_events: 4 });
      const rows = await store.attribution(other, RANGE, { groupBy: ['media_source'] });
      expect(rows).toEqual([expect.objectContaining({ media_source: 'meta', installs: 3, cost: 5000, revenue: 34.99 })]);
      expect((await store.retention(other, RANGE, { now: at('2024-03-02T00:00:00Z') })).map((c) => c.installs)).toEqual([2, 1]);
    });
  });
}
