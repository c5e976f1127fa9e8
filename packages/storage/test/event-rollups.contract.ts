import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstallRow } from '../src/events/analytics-types.ts';
import type { EventStore, StoredEvent } from '../src/events/event-store.ts';
import { install } from './event-analytics.fixtures.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, makeEvent, newAppId } from './event-store.fixtures.ts';

/**
 * The rollups must never change an answer. Events at random times over three days across a
 * month end (02-28, 02-29, 03-01 of 2024) are the ground truth: for ranges cut at arbitrary
 * milliseconds, whole hours, whole days of one month and of two, every answer is recomputed
 * here from the list itself and compared.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = at('2024-02-28T00:00:00Z');

/** A small deterministic PRNG, so a failure replays. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function describeEventRollupsContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore rollups contract: ${adapter}`, () => {
    let store: EventStore;
    const app = newAppId();
    const random = rng(42);
    const truth: StoredEvent[] = Array.from({ length: 600 }, (_, i) => ({
      ...makeEvent({
        app_id: app,
        device_id: `d${Math.floor(random() * 40)}`,
        timestamp: START + Math.floor(random() * 3 * DAY),
        type: random() < 0.3 ? 'open' : 'event',
        revenue: random() < 0.2 ? Math.round(random() * 10_000) / 100 : 0,
      }),
      event_id: `e${i}`,
    }));

    // New installs of half the devices at random times (some twice, every third a re-attribution when
    // attributed), plus rejected ones that are no cohort.
    const installRows: InstallRow[] = Array.from({ length: 30 }, (_, i) =>
      install(app, `i${i}`, `d${i % 20}`, new Date(START - 2 * DAY + Math.floor(random() * 4 * DAY)).toISOString(), {
        status: i % 7 === 6 ? 'rejected' : random() < 0.4 ? 'organic' : 'attributed',
        media_source: random() < 0.5 ? 'meta' : 'google',
        is_reattribution: i % 3 === 0,
      }),
    );
    // Re-attributions in the partial hours of the ragged range below, and just outside it.
    const RAGGED: [number, number] = [START + 12_345_678, START + 3 * DAY - 7_654_321];
    for (const [n, ms] of [RAGGED[0] + 60_000, RAGGED[1] - 60_000, RAGGED[0] - 1, RAGGED[1]].entries()) {
      installRows.push(
        install(app, `edge${n}`, `d${40 + n}`, new Date(ms).toISOString(), { media_source: 'meta', is_reattribution: true }),
      );
    }

    beforeAll(async () => {
      store = await harness.open(await harness.newLocation());
      await store.migrate();
      // Several batches, as the pipeline writes them; installs in between, some before their events, some after.
      const perBatch = Math.ceil(installRows.length / Math.ceil(truth.length / 150));
      for (let i = 0; i < truth.length; i += 150) {
        await store.insertEvents(truth.slice(i, i + 150));
        await store.insertInstalls(installRows.slice((i / 150) * perBatch, (i / 150 + 1) * perBatch));
      }
    });
    afterAll(async () => {
      await store?.close();
    });

    const inRange = (from: number, to: number) => truth.filter((e) => e.timestamp >= from && e.timestamp < to);
    const ranges: [string, number, number][] = [
      ['all three days, two months', START, START + 3 * DAY],
      ['whole days of one month', START, START + 2 * DAY],
      ['one whole day of the next month', START + 2 * DAY, START + 3 * DAY],
      ['whole hours only', START + 5 * HOUR, START + 9 * HOUR],
      ['inside one hour', START + 5 * HOUR + 17, START + 5 * HOUR + 1_800_000],
      ['ms edges around whole days', START + DAY - 1, START + 2 * DAY + 1],
      ['hour edges around a whole day', START + 22 * HOUR, START + 2 * DAY + 2 * HOUR],
      ['ragged', ...RAGGED],
      ['three calendar months, ragged', START - 40 * DAY + 1234, START + 3 * DAY - 5678],
    ];
    for (let i = 0; i < 6; i++) {
      const a = START + Math.floor(random() * 3 * DAY);
      const b = START + Math.floor(random() * 3 * DAY);
      ranges.push([`random ${i}`, Math.min(a, b), Math.max(a, b) + 1]);
    }

    it.each(ranges)('overview over %s equals the raw truth', async (_name, from, to) => {
      const rows = inRange(from, to);
      const o = await store.overview(app, { from, to });
      expect(o.total_events).toBe(rows.length);
      expect(o.active_users).toBe(new Set(rows.map((e) => e.device_id)).size);
      expect(o.total_revenue).toBeCloseTo(
        rows.reduce((s, e) => s + e.revenue, 0),
        6,
      );
      const installed = installRows.filter((i) => i.installed_at >= from && i.installed_at < to);
      const count = (keep: (i: InstallRow) => boolean) => installed.filter(keep).length;
      expect(o).toMatchObject({
        installs: count((i) => i.status === 'attributed' || i.status === 'organic'),
        non_organic_installs: count((i) => i.status === 'attributed'),
        rejected_installs: count((i) => i.status === 'rejected'),
        reattributions: count((i) => i.status === 'attributed' && i.is_reattribution),
      });
    });

    it.each(ranges)('attribution by media source over %s equals the raw truth in installs and re-attributions', async (_name, from, to) => {
      const expected = new Map<string, { installs: number; reattributions: number }>();
      for (const i of installRows) {
        if (i.installed_at < from || i.installed_at >= to || (i.status !== 'attributed' && i.status !== 'organic')) continue;
        const source = i.status === 'organic' || i.media_source === '' ? 'organic' : i.media_source;
        const e = expected.get(source) ?? { installs: 0, reattributions: 0 };
        e.installs++;
        if (i.status === 'attributed' && i.is_reattribution) e.reattributions++;
        expected.set(source, e);
      }
      const rows = await store.attribution(app, { from, to }, { groupBy: ['media_source'] });
      const actual = new Map(
        rows
          .filter((r) => r.installs > 0 || r.reattributions > 0)
          .map((r) => [r.media_source, { installs: r.installs, reattributions: r.reattributions }] as const),
      );
      expect(actual).toEqual(expected);
    });

    it.each(ranges)('timeseries over %s equal the raw truth, per hour and per day', async (_name, from, to) => {
      for (const interval of ['hour', 'day'] as const) {
        const size = interval === 'hour' ? HOUR : DAY;
        for (const metric of ['events', 'active_users', 'revenue'] as const) {
          const points = await store.timeseries(app, { from, to }, { metric, interval });
          const expected = points.map(({ t }) => {
            const start = Date.parse(t);
            const rows = inRange(Math.max(from, start), Math.min(to, start + size));
            if (metric === 'events') return rows.length;
            if (metric === 'active_users') return new Set(rows.map((e) => e.device_id)).size;
            return Math.round(rows.reduce((s, e) => s + e.revenue, 0) * 1e6) / 1e6;
          });
          expect(points.map((p) => p.value)).toEqual(expected);
          expect(points.length).toBe(Math.ceil((to - Math.floor(from / size) * size) / size));
        }
      }
    });

    it.each(ranges)('retention over %s equals the raw truth, all and by source', async (_name, from, to) => {
      const dayOf = (ms: number) => Math.floor(ms / DAY);
      const engaged = truth.filter((e) => e.type === 'open' || e.type === 'event');
      for (const bySource of [false, true]) {
        const cohorts = new Map<string, { installs: number; days: Map<number, number> }>();
        for (const i of installRows) {
          if (i.installed_at < from || i.installed_at >= to || (i.status !== 'attributed' && i.status !== 'organic')) continue;
          const source = i.status === 'organic' || i.media_source === '' ? 'organic' : i.media_source;
          const key = `${new Date(dayOf(i.installed_at) * DAY).toISOString().slice(0, 10)}|${bySource ? source : ''}`;
          const c = cohorts.get(key) ?? { installs: 0, days: new Map<number, number>() };
          c.installs++;
          const active = new Set(engaged.filter((e) => e.device_id === i.device_id).map((e) => dayOf(e.timestamp) - dayOf(i.installed_at)));
          for (const n of active) if (n >= 0 && n <= 30) c.days.set(n, (c.days.get(n) ?? 0) + 1);
          cohorts.set(key, c);
        }
        const got = await store.retention(
          app,
          { from, to },
          { now: START + 60 * DAY, ...(bySource ? { groupBy: 'media_source' as const } : {}) },
        );
        const actual = new Map(
          got.map((c) => [
            `${c.cohort}|${bySource ? c.media_source : ''}`,
            { installs: c.installs, days: new Map(c.days.map((users, n) => [n, users] as [number, number]).filter(([, u]) => u > 0)) },
          ]),
        );
        expect(actual).toEqual(cohorts);
      }
    });

    it('counts two different batches that roll up to identical rows twice, a retried batch once', async () => {
      const other = newAppId();
      const one = (id: string) => [makeEvent({ app_id: other, event_id: id, device_id: 'same', timestamp: START + HOUR })];
      await store.insertEvents(one('x'));
      await store.insertEvents(one('y'));
      const retried = one('z');
      await store.insertEvents(retried);
      await store.insertEvents(retried);
      const rows = [install(other, 'i1', 'a', '2024-02-28T01:00:00Z', { media_source: 'm' })];
      await store.insertInstalls(rows);
      await store.insertInstalls(rows);
      const o = await store.overview(other, { from: START, to: START + DAY });
      expect(o).toMatchObject({ total_events: 3, active_users: 1, installs: 1 });
    });

    it('answers times outside the rollup window (before 1970, from 2100) from the raw rows', async () => {
      const other = newAppId();
      await store.insertEvents([
        makeEvent({ app_id: other, device_id: 'old', timestamp: at('1969-12-31T23:59:59.999Z'), revenue: 1 }),
        makeEvent({ app_id: other, device_id: 'new', timestamp: at('2120-06-01T12:00:00Z'), revenue: 2 }),
        makeEvent({ app_id: other, device_id: 'now', timestamp: at('2024-03-01T12:00:00Z'), revenue: 4 }),
      ]);
      const all = await store.overview(other, { from: at('1960-01-01T00:00:00Z'), to: at('2200-01-01T00:00:00Z') });
      expect(all).toMatchObject({ total_events: 3, active_users: 3, total_revenue: 7 });
      const late = await store.overview(other, { from: at('2100-01-01T00:00:00Z'), to: at('2200-01-01T00:00:00Z') });
      expect(late).toMatchObject({ total_events: 1, total_revenue: 2 });
    });
  });
}
