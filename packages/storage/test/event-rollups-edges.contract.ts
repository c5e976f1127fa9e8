import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, StoredEvent } from '../src/events/event-store.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, makeEvent, newAppId } from './event-store.fixtures.ts';

/**
 * Active users at the edges of a range, known answers. Ranges that start and end inside a
 * day are answered from the month rows' hours for the whole hours of the partial days and
 * from the raw rows for the partial hours (active-users-sql.ts); a device must count when it
 * was active there and only then. Each range gets its own app with one device per spot near
 * its edges and one per pair of spots (so every combination of "active at the start" and
 * "active at the end", inside and outside the range, is a device), and the overview of the
 * range and of its neighbours a millisecond away is checked against the list itself.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const dayStart = (ms: number) => Math.floor(ms / DAY) * DAY;

/** Times near the edges of [from, to): inside and outside it, in partial hours, whole hours of partial days, whole days. */
function spots(from: number, to: number): Record<string, number> {
  return {
    before_from_same_hour: from - 15 * MINUTE,
    just_before_from: from - 1,
    at_from: from,
    raw_start: from + 15 * MINUTE,
    whole_hour_first_day: from + 50 * MINUTE,
    first_day_before_range: dayStart(from) + 3 * HOUR,
    last_whole_hour: Math.floor(to / HOUR) * HOUR - 1,
    last_ms: to - 1,
    at_to: to,
    last_day_after_range: dayStart(to - 1) + 22 * HOUR,
    whole_day: dayStart(from) + 2 * DAY + 12 * HOUR,
    day_before: dayStart(from) - DAY + 12 * HOUR,
  };
}

/** One device per spot and one per pair of spots, an event at each of its spots. */
function edgeEvents(app: string, from: number, to: number): StoredEvent[] {
  const entries = Object.entries(spots(from, to));
  const devices: [string, number[]][] = entries.map(([name, t]) => [name, [t]]);
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [a, ta] = entries[i] as [string, number];
      const [b, tb] = entries[j] as [string, number];
      devices.push([`${a}+${b}`, [ta, tb]]);
    }
  }
  let n = 0;
  return devices.flatMap(([device, times]) =>
    times.map((timestamp) => ({
      ...makeEvent({ app_id: app, device_id: device, timestamp, type: n % 2 === 0 ? 'open' : 'event' }),
      event_id: `edge-${n++}`,
    })),
  );
}

export function describeEventRollupsEdgesContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore active users at range edges: ${adapter}`, () => {
    let store: EventStore;
    // [name, from, to]: each range gets its own app and devices placed around its edges.
    const ranges: [string, number, number][] = [
      ['partial hours at both ends, one month', at('2024-03-05T10:30:00.000Z'), at('2024-03-09T13:15:00.000Z')],
      ['partial hours at both ends, across a month end', at('2024-02-27T10:30:00.000Z'), at('2024-03-02T13:15:00.000Z')],
      ['whole hours only, across a month end, no whole day', at('2024-02-29T05:00:00.000Z'), at('2024-03-01T20:00:00.000Z')],
      ['partial hours, two adjacent days across a month end', at('2024-01-31T07:45:12.345Z'), at('2024-02-01T16:20:54.321Z')],
      ['less than an hour across a month end', at('2024-03-31T23:59:59.000Z'), at('2024-04-01T00:00:01.000Z')],
      ['one day inside one hour of it', at('2024-03-20T23:10:00.000Z'), at('2024-03-21T00:50:00.000Z')],
      // Aligned ranges take shorter SQL (no raw edges, day bits alone); their ±1 ms neighbours do not.
      ['whole days only, one month', at('2024-03-05T00:00:00.000Z'), at('2024-03-09T00:00:00.000Z')],
      ['whole days only, across a month end', at('2024-02-26T00:00:00.000Z'), at('2024-03-04T00:00:00.000Z')],
      ['whole days only, over three months', at('2024-01-30T00:00:00.000Z'), at('2024-04-02T00:00:00.000Z')],
      ['whole hours at both ends with whole days between', at('2024-03-05T10:00:00.000Z'), at('2024-03-09T13:00:00.000Z')],
    ];
    const fixtures = ranges.map(([name, from, to]) => {
      const app = newAppId();
      return { name, from, to, app, events: edgeEvents(app, from, to) };
    });

    beforeAll(async () => {
      store = await harness.open(await harness.newLocation());
      await store.migrate();
      // Two batches per app, so the month rows are merged from several parts at query time (FINAL).
      for (const f of fixtures) {
        const half = Math.floor(f.events.length / 2);
        await store.insertEvents(f.events.slice(0, half));
        await store.insertEvents(f.events.slice(half));
      }
    });
    afterAll(async () => {
      await store?.close();
    });

    it.each(fixtures.map((f) => [f.name, f] as const))('active users over %s and its neighbours equal the list', async (_name, f) => {
      for (const [from, to] of [
        [f.from, f.to],
        [f.from - 1, f.to],
        [f.from + 1, f.to + 1],
        [f.from, f.to - 1],
      ] as const) {
        const rows = f.events.filter((e) => e.timestamp >= from && e.timestamp < to);
        const o = await store.overview(f.app, { from, to });
        expect({
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          events: o.total_events,
          users: o.active_users,
        }).toEqual({
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          events: rows.length,
          users: new Set(rows.map((e) => e.device_id)).size,
        });
      }
    });
  });
}
