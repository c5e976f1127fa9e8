import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../src/events/event-store.ts';
import { EMPTY_RANGE, install, loadMonth, RANGE } from './event-analytics.fixtures.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, makeEvent, newAppId } from './event-store.fixtures.ts';

/**
 * Install-day cohorts and their day-N activity (`retention`), against the month of
 * event-analytics.fixtures.ts (the comments name the devices each number counts) and a cohort
 * of its own whose 31 days span three months.
 */
export function describeCohortRetentionContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore cohort retention contract: ${adapter}`, () => {
    let store: EventStore;
    const app = newAppId();

    beforeAll(async () => {
      store = await harness.open(await harness.newLocation());
      await store.migrate();
      await loadMonth(store, app, newAppId());
    });
    afterAll(async () => {
      await store?.close();
    });

    it('retention: install-day cohorts, day N = an open or event on install day + N, up to day 30', async () => {
      const cohorts = await store.retention(app, RANGE, { now: at('2024-05-01T00:00:00Z') });
      const zeros = (n: number) => Array<number>(n).fill(0);
      expect(cohorts.map((c) => ({ cohort: c.cohort, installs: c.installs, days: c.days }))).toEqual([
        // d1: open 03-01, buy 03-02, open 03-03; d2: only its install event on 03-01, buys 03-02; d5: buys 03-01, opens 03-31 (day 30) and 04-01 (day 31: not listed)
        { cohort: '2024-03-01', installs: 3, days: [2, 2, 1, ...zeros(27), 1] },
        // d3 d4 d6 all active on 03-02; d4 again 03-03 and 03-04 (after `to`: still read)
        { cohort: '2024-03-02', installs: 3, days: [3, 1, 1, ...zeros(28)] },
        { cohort: '2024-03-03', installs: 1, days: zeros(31) }, // d11, never seen; i9 (reinstall) is no cohort
      ]);
      expect(cohorts[0]?.rates.slice(0, 3)).toEqual([0.666667, 0.666667, 0.333333]);
      expect(cohorts[1]?.rates[0]).toBe(1);
    });

    it('retention by media source, listing only days that have begun, the one under way as null', async () => {
      const cohorts = await store.retention(app, RANGE, { groupBy: 'media_source', now: at('2024-03-05T12:00:00Z') });
      expect(cohorts.map(({ cohort, media_source, installs, days }) => ({ cohort, media_source, installs, days }))).toEqual([
        { cohort: '2024-03-01', media_source: 'meta', installs: 2, days: [1, 2, 1, 0, null] }, // d1 d2
        { cohort: '2024-03-01', media_source: 'organic', installs: 1, days: [1, 0, 0, 0, null] }, // d5
        { cohort: '2024-03-02', media_source: 'google', installs: 1, days: [1, 1, 1, null] }, // d4
        { cohort: '2024-03-02', media_source: 'meta', installs: 1, days: [1, 0, 0, null] }, // d3
        { cohort: '2024-03-02', media_source: 'organic', installs: 1, days: [1, 0, 0, null] }, // d6
        { cohort: '2024-03-03', media_source: 'meta', installs: 1, days: [0, 0, null] }, // d11
      ]);
      expect(await store.retention(app, EMPTY_RANGE)).toEqual([]);
    });

    it('retention days N across three months: before the install is no day, day 30 the last, two installs of one device both count', async () => {
      // Installed 2024-01-31: days 0…30 fall in January, February (leap) and March rows of device_months.
      const cohortApp = newAppId();
      const open = (device: string, iso: string) =>
        makeEvent({ app_id: cohortApp, device_id: device, timestamp: at(iso), type: 'open', name: '' });
      await store.insertInstalls([
        install(cohortApp, 'j1', 'e1', '2024-01-31T23:00:00Z', { media_source: 'meta' }),
        install(cohortApp, 'j2', 'e2', '2024-01-31T01:00:00Z', { status: 'organic', match_type: 'none' }),
        install(cohortApp, 'j3', 'e2', '2024-01-31T02:00:00Z', { media_source: 'meta' }), // e2 again, another source
      ]);
      await store.insertEvents([
        open('e1', '2024-01-30T12:00:00Z'), // the day before: no day N
        open('e1', '2024-01-31T23:30:00Z'), // day 0
        open('e1', '2024-02-01T00:00:00Z'), // day 1, next month's row
        open('e1', '2024-02-29T23:59:59.999Z'), // day 29
        open('e2', '2024-03-01T00:00:00Z'), // day 30, a third month's row
        open('e1', '2024-03-02T00:00:00Z'), // day 31: past the last day
        open('e1', '2024-03-05T00:00:00Z'), // day 34: neither a day N nor a day of another cohort
      ]);
      const now = at('2024-06-01T00:00:00Z');
      const days = (set: Record<number, number>) => Array.from({ length: 31 }, (_, n) => set[n] ?? 0);
      // The whole day, and a range whose last install (j1, 23:00) is in its raw edge after the whole hours.
      for (const range of [
        { from: at('2024-01-31T00:00:00Z'), to: at('2024-02-01T00:00:00Z') },
        { from: at('2024-01-31T00:59:00Z'), to: at('2024-01-31T23:00:00.001Z') },
      ]) {
        const all = await store.retention(cohortApp, range, { now });
        expect(all.map(({ cohort, installs, days }) => ({ cohort, installs, days }))).toEqual([
          { cohort: '2024-01-31', installs: 3, days: days({ 0: 1, 1: 1, 29: 1, 30: 2 }) }, // j2 and j3 each count e2's day 30
        ]);
        const bySource = await store.retention(cohortApp, range, { groupBy: 'media_source', now });
        expect(bySource.map(({ media_source, installs, days }) => ({ media_source, installs, days }))).toEqual([
          { media_source: 'meta', installs: 2, days: days({ 0: 1, 1: 1, 29: 1, 30: 1 }) },
          { media_source: 'organic', installs: 1, days: days({ 30: 1 }) },
        ]);
      }
    });
  });
}
