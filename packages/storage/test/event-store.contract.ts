import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStore, idKey, type StoredId } from '../src/events/event-store.ts';
import { install } from './event-analytics.fixtures.ts';
import { at, makeEvent, makeIdentity, newAppId } from './event-store.fixtures.ts';

/**
 * What every EventStore adapter must do. Run it with a harness per adapter (chDB in a temp
 * directory; the ClickHouse client over HTTP to the stand-in, or to CLICKHOUSE_TEST_URL). Tests
 * share one store and stay apart by using a fresh app id each.
 */
export interface EventStoreHarness {
  /** A new, empty place for data: a directory (chDB) or a database (server). */
  newLocation(): Promise<string>;
  open(location: string): Promise<EventStore>;
  /** Read-only SQL with `{name:Type}` parameters against that location, one object per row. */
  select(location: string, sql: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  /** A statement that answers no rows (DDL, INSERT … SELECT) against that location: to lay out data as an older release left it. */
  exec(location: string, sql: string): Promise<void>;
}

export function describeEventStoreContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let location: string;
    let store: EventStore;

    beforeAll(async () => {
      location = await harness.newLocation();
      store = await harness.open(location);
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('migrates again without error or loss', async () => {
      const app = newAppId();
      await store.insertEvents([makeEvent({ app_id: app })]);
      await store.migrate();
      await store.migrate();
      const o = await store.overview(app, { from: at('2024-01-01T00:00:00Z'), to: at('2025-01-01T00:00:00Z') });
      expect(o.total_events).toBe(1);
    });

    it('answers the overview: revenue sums, distinct devices, UTC day edges, `to` exclusive', async () => {
      const app = newAppId();
      await store.insertEvents([
        makeEvent({ app_id: app, device_id: 'd1', timestamp: at('2024-03-01T00:00:00.000Z'), revenue: 9.99, currency: 'USD' }),
        makeEvent({ app_id: app, device_id: 'd1', timestamp: at('2024-03-01T12:00:00.000Z'), revenue: 0.01, currency: 'USD' }),
        makeEvent({ app_id: app, device_id: 'd2', timestamp: at('2024-03-01T23:59:59.999Z'), revenue: 4.5, currency: 'USD' }),
        makeEvent({ app_id: app, device_id: 'd3', timestamp: at('2024-03-02T00:00:00.000Z'), revenue: 100 }),
        makeEvent({ app_id: app, device_id: 'd4', timestamp: at('2024-02-29T23:59:59.999Z'), revenue: 7 }),
        makeEvent({ app_id: newAppId(), device_id: 'd1', timestamp: at('2024-03-01T06:00:00.000Z'), revenue: 1000 }),
      ]);

      const day = await store.overview(app, { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-02T00:00:00Z') });
      expect(day).toMatchObject({ total_events: 3, active_users: 2, total_revenue: 14.5 });

      const wider = await store.overview(app, { from: at('2024-02-29T23:59:59.999Z'), to: at('2024-03-02T00:00:00.001Z') });
      expect(wider).toMatchObject({ total_events: 5, active_users: 4, total_revenue: 121.5 });

      const lastMs = await store.overview(app, { from: at('2024-03-01T23:59:59.999Z'), to: at('2024-03-02T00:00:00.000Z') });
      expect(lastMs).toMatchObject({ total_events: 1, active_users: 1, total_revenue: 4.5 });
    });

    it('gives zeros as numbers for an empty range, an unknown app and a reversed range', async () => {
      const app = newAppId();
      await store.insertEvents([makeEvent({ app_id: app, timestamp: at('2024-03-01T10:00:00Z'), revenue: 3 })]);
      const zero = {
        total_events: 0,
        active_users: 0,
        total_revenue: 0,
        installs: 0,
        organic_installs: 0,
        non_organic_installs: 0,
        rejected_installs: 0,
        reinstalls: 0,
        clicks: 0,
        impressions: 0,
        reengagements: 0,
        reattributions: 0,
      };
      expect(await store.overview(app, { from: at('2024-04-01T00:00:00Z'), to: at('2024-05-01T00:00:00Z') })).toEqual(zero);
      expect(await store.overview(newAppId(), { from: 0, to: at('2030-01-01T00:00:00Z') })).toEqual(zero);
      expect(await store.overview(app, { from: at('2024-03-02T00:00:00Z'), to: at('2024-03-01T00:00:00Z') })).toEqual(zero);
      const some = await store.overview(app, { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-02T00:00:00Z') });
      for (const value of Object.values(some)) expect(typeof value).toBe('number');
      expect(some).toMatchObject({ total_events: 1, active_users: 1, total_revenue: 3 });
    });

    it('round-trips unicode and emoji in names, ids and properties', async () => {
      const app = newAppId();
      const properties = { emoji: '🚀🎉', ключ: 'значение', quote: 'a"b\\c\'d', nested: { 名前: ['😀', 1, null, true] } };
      const e = makeEvent({ app_id: app, event_id: 'id-🧪-ü', name: '購入 🎉', user_id: 'ユーザー', properties });
      await store.insertEvents([e]);
      const rows = await harness.select(location, 'SELECT event_id, name, user_id, properties FROM events WHERE app_id = {app:String}', {
        app,
      });
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row?.['event_id']).toBe(e.event_id);
      expect(row?.['name']).toBe('購入 🎉');
      expect(row?.['user_id']).toBe('ユーザー');
      expect(JSON.parse(String(row?.['properties']))).toEqual(properties);
      expect(await store.existingIds('events', [{ app_id: app, event_id: 'id-🧪-ü' }])).toEqual(new Set([idKey(app, 'id-🧪-ü')]));
    });

    it('stores the attribution an event inherits, and identities with their traits', async () => {
      const app = newAppId();
      const attribution = { media_source: 'meta', campaign: 'spring', ad_set: 'as1', ad: 'ad9', site_id: 's7', link_id: 'L1' };
      await store.insertEvents([makeEvent({ app_id: app, event_id: 'a' }), { ...makeEvent({ app_id: app, event_id: 'b' }), attribution }]);
      await store.insertIdentities([makeIdentity({ app_id: app, action: 'alias', previous_id: 'old', traits: { plan: 'pro ✨' } })]);
      const events = await harness.select(
        location,
        'SELECT event_id, media_source, campaign, ad_set, ad, site_id, link_id FROM events WHERE app_id = {app:String} ORDER BY event_id',
        { app },
      );
      expect(events).toEqual([
        { event_id: 'a', media_source: '', campaign: '', ad_set: '', ad: '', site_id: '', link_id: '' },
        { event_id: 'b', ...attribution },
      ]);
      const ids = await harness.select(location, 'SELECT action, previous_id, traits FROM identities WHERE app_id = {app:String}', { app });
      expect(ids.map((r) => ({ ...r, traits: JSON.parse(String(r['traits'])) }))).toEqual([
        { action: 'alias', previous_id: 'old', traits: { plan: 'pro ✨' } },
      ]);
    });

    it('finds exactly the stored ids, per table and app, whatever characters they hold', async () => {
      const app = newAppId();
      const other = newAppId();
      const tricky = ["q'uote", 'dq"uote', 'back\\slash', 'both\\\'"', 'tab\there', 'nl\nx', "x'); DROP TABLE events; --"];
      await store.insertEvents(tricky.map((event_id) => makeEvent({ app_id: app, event_id })));
      await store.insertIdentities([makeIdentity({ app_id: app, event_id: 'ident-1' })]);
      await store.insertEvents([makeEvent({ app_id: other, event_id: 'only-other' })]);

      const unknown = Array.from({ length: 12_000 }, (_, i) => ({ app_id: app, event_id: `missing-${i}` }));
      const asked = [...unknown, ...tricky.map((event_id) => ({ app_id: app, event_id })), { app_id: app, event_id: 'only-other' }];
      asked.push({ app_id: app, event_id: 'ident-1' }, { app_id: other, event_id: 'only-other' }, { app_id: other, event_id: "q'uote" });

      const found = await store.existingIds('events', asked);
      expect(found).toEqual(new Set([...tricky.map((id) => idKey(app, id)), idKey(other, 'only-other')]));
      expect(await store.existingIds('identities', asked)).toEqual(new Set([idKey(app, 'ident-1')]));
      expect(await store.existingIds('events', [])).toEqual(new Set());
    });

    it("finds stored click, impression and install ids by each table's own id", async () => {
      const app = newAppId();
      const touch = { app_id: app, link_id: 'L', ts: at('2024-03-01T10:00:00Z'), media_source: 'm' };
      await store.insertClicks([{ ...touch, click_id: 'c1' }]);
      await store.insertImpressions([{ ...touch, click_id: 'v1' }]);
      await store.insertInstalls([install(app, 'i1', 'd1', '2024-03-01T11:00:00Z', {})]);
      const asked = ['c1', 'v1', 'i1', 'nope'].map((event_id) => ({ app_id: app, event_id }));
      expect(await store.existingIds('clicks', asked)).toEqual(new Set([idKey(app, 'c1')]));
      expect(await store.existingIds('impressions', asked)).toEqual(new Set([idKey(app, 'v1')]));
      expect(await store.existingIds('installs', asked)).toEqual(new Set([idKey(app, 'i1')]));
      expect(await store.existingIds('installs', [{ app_id: newAppId(), event_id: 'i1' }])).toEqual(new Set());
    });

    it('lists the ids received since a time, events and identities alike', async () => {
      const app = newAppId();
      const since = Date.now() - 60_000;
      await store.insertEvents([
        makeEvent({ app_id: app, event_id: 'old', received_at: since - 1 }),
        makeEvent({ app_id: app, event_id: 'edge', received_at: since }),
        makeEvent({ app_id: app, event_id: 'new', received_at: since + 5_000 }),
      ]);
      await store.insertIdentities([makeIdentity({ app_id: app, event_id: 'ident', received_at: since + 10 })]);

      const seen: StoredId[] = [];
      for await (const chunk of store.recentIds(since)) {
        expect(Array.isArray(chunk)).toBe(true);
        seen.push(...chunk.filter((s) => s.app_id === app));
      }
      seen.sort((a, b) => a.received_at - b.received_at);
      expect(seen).toEqual([
        { app_id: app, event_id: 'edge', received_at: since },
        { app_id: app, event_id: 'ident', received_at: since + 10 },
        { app_id: app, event_id: 'new', received_at: since + 5_000 },
      ]);
    });

    it('lists the clicks and impressions that may have been received since a time, remembered until the latest they could have been', async () => {
      const app = newAppId();
      const now = Date.now();
      const since = now - 8 * 86_400_000;
      const DELAY = 30 * 86_400_000; // how late the ingest routes let a network report a touch
      const touch = { app_id: app, link_id: 'L', media_source: 'm' };
      await store.insertClicks([
        { ...touch, click_id: 'late-report', ts: since - DELAY + 60_000 },
        { ...touch, click_id: 'too-old', ts: since - DELAY - 60_000 },
        { ...touch, click_id: 'recent', ts: now - 60_000 },
      ]);
      await store.insertImpressions([{ ...touch, click_id: 'view', ts: now - 120_000 }]);
      const seen = new Map<string, number>();
      for await (const chunk of store.recentIds(since)) for (const s of chunk) if (s.app_id === app) seen.set(s.event_id, s.received_at);
      expect([...seen.keys()].sort()).toEqual(['late-report', 'recent', 'view']);
      expect(seen.get('late-report')).toBe(since + 60_000);
      // Not after now: a touch is never remembered as received in the future.
      expect(seen.get('recent')).toBeGreaterThanOrEqual(now);
      expect(seen.get('recent')).toBeLessThanOrEqual(Date.now() + 1_000);
    });

    it('keeps answering after a recentIds scan is left early', async () => {
      const app = newAppId();
      await store.insertEvents(Array.from({ length: 30 }, () => makeEvent({ app_id: app, received_at: Date.now() })));
      for await (const chunk of store.recentIds(0)) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
      const o = await store.overview(app, { from: 0, to: at('2100-01-01T00:00:00Z') });
      expect(o.total_events).toBe(30);
    });

    it('runs inserts and queries at the same time without failing or tearing a batch', async () => {
      const app = newAppId();
      const range = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-02T00:00:00Z') };
      const batch = Array.from({ length: 20_000 }, (_, i) => makeEvent({ app_id: app, device_id: `d${i % 100}`, revenue: 1 }));
      const insert = store.insertEvents(batch);
      const reads = Array.from({ length: 8 }, () => store.overview(app, range));
      const ids = store.existingIds('events', [{ app_id: app, event_id: batch[0]?.event_id ?? '' }]);
      const [, ...overviews] = await Promise.all([insert, ...reads, ids, store.ping()]);
      for (const o of overviews.slice(0, reads.length)) {
        expect([0, 20_000]).toContain((o as { total_events: number }).total_events);
      }
      expect(await store.overview(app, range)).toMatchObject({ total_events: 20_000, active_users: 100, total_revenue: 20_000 });
    });

    it('stores a retried identical batch once', async () => {
      const app = newAppId();
      const batch = [makeEvent({ app_id: app }), makeEvent({ app_id: app })];
      await store.insertEvents(batch);
      await store.insertEvents(batch);
      const o = await store.overview(app, { from: 0, to: at('2100-01-01T00:00:00Z') });
      expect(o.total_events).toBe(2);
    });

    it('drops a later insert named by the same token whatever its rows, in the rollups too; the token is per table', async () => {
      const app = newAppId();
      const token = `plan-${app}`;
      const first = [makeEvent({ app_id: app }), makeEvent({ app_id: app })];
      await store.insertEvents(first, { dedupeToken: token });
      // A late insert of the same plan by a former partition holder: other bytes, same token.
      await store.insertEvents([...first, makeEvent({ app_id: app })], { dedupeToken: token });
      // The same token on another table names another insert.
      await store.insertInstalls([install(app, 'i1', 'a', '2024-03-01T10:00:00Z', { media_source: 'm' })], { dedupeToken: token });
      await store.insertInstalls([install(app, 'i1', 'a', '2024-03-01T10:00:00Z', { media_source: 'm' })], { dedupeToken: token });
      // Another token is another insert, even for identical rows.
      await store.insertEvents([makeEvent({ app_id: app, event_id: `other-${app}` })], { dedupeToken: `${token}-2` });
      const o = await store.overview(app, { from: 0, to: at('2100-01-01T00:00:00Z') });
      expect(o).toMatchObject({ total_events: 3, installs: 1 });
      const raw = await harness.select(location, 'SELECT count() AS n FROM events WHERE app_id = {app:String}', { app });
      expect(Number(raw[0]?.['n'])).toBe(3);
    });

    it('does not fail a batch on odd values: fractional ms, NaN revenue, lone surrogates, far months', async () => {
      const app = newAppId();
      const months = Array.from({ length: 120 }, (_, i) =>
        makeEvent({ app_id: app, timestamp: Date.UTC(2010 + Math.floor(i / 12), i % 12, 15) }),
      );
      await store.insertEvents([
        ...months,
        makeEvent({ app_id: app, timestamp: at('2024-03-01T10:00:00Z') + 0.6, revenue: Number.NaN, name: 'bad \ud800 name' }),
      ]);
      const o = await store.overview(app, { from: 0, to: at('2100-01-01T00:00:00Z') });
      expect(o).toMatchObject({ total_events: 121, active_users: 1, total_revenue: 0 });
    });

    it('closes while a recentIds scan is paused, ending the scan instead of hanging', async () => {
      const app = newAppId();
      await store.insertEvents(Array.from({ length: 25_000 }, () => makeEvent({ app_id: app })));
      const scan = store.recentIds(0)[Symbol.asyncIterator]();
      const first = await scan.next();
      expect(first.done).toBe(false);
      await store.close();
      const rest = await scan.next().then(
        (r) => (r.done ? 'ended' : 'more'),
        () => 'failed',
      );
      expect(['ended', 'failed']).toContain(rest);
      store = await harness.open(location);
      expect(await store.existingIds('events', [{ app_id: app, event_id: 'nope' }])).toEqual(new Set());
    });

    it('keeps its data across close and reopen of the same location', async () => {
      const app = newAppId();
      await store.insertEvents([makeEvent({ app_id: app, revenue: 2.25, event_id: 'persist-1' })]);
      await store.insertIdentities([makeIdentity({ app_id: app, event_id: 'persist-2' })]);
      await store.close();
      await expect(store.ping()).rejects.toThrow(/closed/);
      await expect(store.insertEvents([makeEvent()])).rejects.toThrow(/closed/);

      store = await harness.open(location);
      await store.migrate();
      await store.ping();
      const o = await store.overview(app, { from: 0, to: at('2100-01-01T00:00:00Z') });
      expect(o).toMatchObject({ total_events: 1, active_users: 1, total_revenue: 2.25 });
      expect(await store.existingIds('identities', [{ app_id: app, event_id: 'persist-2' }])).toEqual(new Set([idKey(app, 'persist-2')]));
    });
  });
}
