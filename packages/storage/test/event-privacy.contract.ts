import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TouchRow } from '../src/events/analytics-types.ts';
import type { EventStore } from '../src/events/event-store.ts';
import { ROLLUPS } from '../src/events/rollups.ts';
import { install } from './event-analytics.fixtures.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, makeEvent, makeIdentity, newAppId } from './event-store.fixtures.ts';

// Erase, retention and IP minimisation, for every event-store adapter: the person's rows leave
// every table, every analytics answer (rollups included) stops counting them, neighbours stay whole.
const DAY = 86_400_000;
const RANGE = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-03T00:00:00Z') };
const ADID = '11111111-2222-4333-8444-555555555555';

const touch = (app: string, id: string, iso: string, over: Partial<TouchRow> = {}): TouchRow => ({
  app_id: app,
  click_id: id,
  link_id: 'L1',
  ts: at(iso),
  ip: '198.51.100.23',
  platform: 'ios',
  media_source: 'meta',
  campaign: 'spring',
  ad_set: '',
  ad: '',
  site_id: '',
  fraud_reason: '',
  ...over,
});

export function describeEventPrivacyContract(adapter: string, harness: EventStoreHarness): void {
  let store: EventStore;
  let dir: string;

  beforeAll(async () => {
    dir = await harness.newLocation();
    store = await harness.open(dir);
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
  });

  async function seed(app: string) {
    const ev = (device: string, iso: string, over = {}) =>
      makeEvent({ app_id: app, device_id: device, advertising_id: '', user_id: '', timestamp: at(iso), revenue: 2, ...over });
    await store.insertEvents([
      ev('victim', '2024-03-01T10:05:00Z', { advertising_id: ADID, user_id: 'u-victim' }),
      ev('victim', '2024-03-02T11:00:00Z', { type: 'open' }),
      ev('other', '2024-03-01T10:10:00Z'),
      ev('other', '2024-03-02T11:30:00Z'),
    ]);
    await store.insertIdentities([
      makeIdentity({ app_id: app, device_id: 'victim', user_id: 'u-victim', timestamp: at('2024-03-01T10:06:00Z') }),
    ]);
    await store.insertClicks([
      touch(app, 'c-victim', '2024-03-01T09:00:00Z', { advertising_id: ADID }),
      touch(app, 'c-referrer', '2024-03-01T09:30:00Z'),
      touch(app, 'c-other', '2024-03-01T09:40:00Z'),
      touch(app, 'c-victim-flood', '2024-03-01T09:10:00Z', { advertising_id: ADID, fraud_reason: 'click_flood' }),
    ]);
    await store.insertImpressions([touch(app, 'i-victim', '2024-03-01T08:00:00Z', { advertising_id: ADID })]);
    await store.insertInstalls([
      install(app, 'ins-victim', 'victim', '2024-03-01T10:00:00Z', {
        media_source: 'meta',
        campaign: 'spring',
        advertising_id: ADID,
        click_id: 'c-referrer',
        match_type: 'referrer',
      }),
      install(app, 'ins-other', 'other', '2024-03-01T10:01:00Z', { media_source: 'meta', campaign: 'spring' }),
    ]);
  }

  describe(`erasing a person from the event store: ${adapter}`, () => {
    it('finds the person by user id and deletes them from every table and rollup, neighbours untouched', async () => {
      const app = newAppId();
      await seed(app);
      const before = await store.overview(app, RANGE);
      expect(before).toMatchObject({ total_events: 4, active_users: 2, installs: 2, clicks: 3, impressions: 1 });
      expect(await store.fraud(app, RANGE)).toMatchObject({ rejected_clicks: 1 });

      const person = await store.findPerson(app, { user_id: 'u-victim' });
      expect(person).toMatchObject({
        device_ids: ['victim'],
        advertising_ids: [ADID],
        install_ids: ['ins-victim'],
        touch_ids: ['c-referrer'],
      });
      expect(person.event_ids).toHaveLength(3);
      expect(person.click_ips).toEqual(['198.51.100.23']);

      const counts = await store.erasePerson(app, person);
      expect(counts).toEqual({ events: 2, identities: 1, installs: 1, clicks: 3, impressions: 1 });

      expect(await store.overview(app, RANGE)).toMatchObject({ total_events: 2, active_users: 1, installs: 1, clicks: 1, impressions: 0 });
      // The whole range is whole hours: fraud_hourly must have forgotten the flagged click.
      expect(await store.fraud(app, RANGE)).toMatchObject({ rejected_clicks: 0 });
      // Whole days are read from the rollups: they must have forgotten too.
      const wholeDays = await store.timeseries(app, RANGE, { metric: 'active_users', interval: 'day' });
      expect(wholeDays.map((p) => p.value)).toEqual([1, 1]);
      const revenue = await store.timeseries(app, RANGE, { metric: 'revenue', interval: 'day' });
      expect(revenue.map((p) => p.value)).toEqual([2, 2]);
      const rows = await store.attribution(app, RANGE, { groupBy: ['media_source'] });
      expect(rows.find((r) => r.media_source === 'meta')).toMatchObject({ clicks: 1, installs: 1 });
      const exported: string[] = [];
      for await (const chunk of store.installs(app, RANGE)) exported.push(...chunk.map((r) => r.device_id));
      expect(exported).toEqual(['other']);
      const left = await harness.select(dir, 'SELECT count() AS n FROM events WHERE device_id = {d:String}', { d: 'victim' });
      expect(Number(left[0]!.n)).toBe(0);

      // Again (a restart in the middle): nothing more to delete, the answers stay.
      expect(await store.erasePerson(app, person)).toEqual({ events: 0, identities: 0, installs: 0, clicks: 0, impressions: 0 });
      expect(await store.overview(app, RANGE)).toMatchObject({ total_events: 2, active_users: 1 });
    });

    it('finds a person by advertising id through their installs and events', async () => {
      const app = newAppId();
      await seed(app);
      const person = await store.findPerson(app, { advertising_id: ADID });
      expect(person.device_ids).toEqual(['victim']);
      expect(person.user_ids).toEqual(['u-victim']);
    });
  });

  describe(`retention and IP minimisation: ${adapter}`, () => {
    it('drops rows older than the cutoff from raw tables and rollups', async () => {
      const app = newAppId();
      await seed(app);
      const counts = await store.dropOlderThan(app, at('2024-03-02T05:00:00Z'));
      expect(counts).toEqual({ events: 2, identities: 1, installs: 2, clicks: 4, impressions: 1 });
      expect(await store.fraud(app, RANGE)).toMatchObject({ rejected_clicks: 0 });
      const o = await store.overview(app, RANGE);
      expect(o).toMatchObject({ total_events: 2, installs: 0, clicks: 0 });
      const days = await store.timeseries(app, RANGE, { metric: 'events', interval: 'day' });
      expect(days.map((p) => p.value)).toEqual([0, 2]);
    });

    it('clears every rollup of ROLLUPS: its hours before the cutoff day, its months before the cutoff month', async () => {
      const app = newAppId();
      await seed(app);
      // A February event: device_months has a month before the cutoff's to drop too.
      await store.insertEvents([makeEvent({ app_id: app, device_id: 'old', timestamp: at('2024-02-10T10:00:00Z'), revenue: 1 })]);
      const cutoff = { c: at('2024-03-02T00:00:00Z') };
      const end = {
        hour: "fromUnixTimestamp64Milli({c:Int64}, 'UTC')",
        month: "toStartOfMonth(fromUnixTimestamp64Milli({c:Int64}, 'UTC'))",
      };
      const rowsBefore = async () => {
        const counts: Record<string, number> = {};
        for (const { table, bucket } of ROLLUPS) {
          const sql = `SELECT count() AS n FROM ${table} WHERE app_id = {a:String} AND ${bucket} < ${end[bucket]}`;
          counts[table] = Number((await harness.select(dir, sql, { a: app, ...cutoff }))[0]?.['n']);
        }
        return counts;
      };
      const seeded = await rowsBefore();
      for (const { table } of ROLLUPS) expect(seeded[table], `${table} is seeded before the cutoff`).toBeGreaterThan(0);
      await store.dropOlderThan(app, at('2024-03-02T05:00:00Z'));
      expect(await rowsBefore()).toEqual(Object.fromEntries(ROLLUPS.map((r) => [r.table, 0])));
      // The cutoff's own month stays.
      const march = await harness.select(dir, "SELECT count() AS n FROM device_months WHERE app_id = {a:String} AND month = '2024-03-01'", {
        a: app,
      });
      expect(Number(march[0]?.['n'])).toBeGreaterThan(0);
    });

    it('cuts stored IPs to /24 and /48 once no rule needs them, and leaves recent ones whole', async () => {
      const app = newAppId();
      const now = Date.now();
      await store.insertClicks([
        touch(app, 'old4', new Date(now - 2 * DAY).toISOString(), { ip: '203.0.113.77' }),
        touch(app, 'old6', new Date(now - 2 * DAY).toISOString(), { ip: '2001:db8:1234:5678::9' }),
        touch(app, 'new4', new Date(now - 60_000).toISOString(), { ip: '203.0.113.78' }),
      ]);
      await store.insertEvents([makeEvent({ app_id: app, timestamp: now - 3 * DAY, received_at: now - 3 * DAY, ip: '192.0.2.200' })]);
      await store.minimiseIps(now);
      const clicks = await harness.select(dir, 'SELECT click_id, ip FROM clicks WHERE app_id = {a:String} ORDER BY click_id', { a: app });
      expect(clicks).toEqual([
        { click_id: 'new4', ip: '203.0.113.78' },
        { click_id: 'old4', ip: '203.0.113.0' },
        { click_id: 'old6', ip: '2001:db8:1234::' },
      ]);
      const events = await harness.select(dir, 'SELECT ip FROM events WHERE app_id = {a:String}', { a: app });
      expect(events).toEqual([{ ip: '192.0.2.0' }]);
    });
  });
}
