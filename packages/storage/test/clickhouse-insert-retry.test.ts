import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseEventStore } from '../src/events/clickhouse-event-store.ts';
import type { EventStore } from '../src/events/event-store.ts';
import { install } from './event-analytics.fixtures.ts';
import { at, makeEvent, newAppId } from './event-store.fixtures.ts';
import { standInEventHarness } from './support/clickhouse-http-harness.ts';

/**
 * The network between a worker and ClickHouse is not ours: here a proxy forwards an insert,
 * lets the server store it, and cuts the connection before the answer reaches the client — the
 * one case the pipeline's `existingIds` check cannot help with (the insert failed for the caller,
 * so it retries the same batch). The retry must not count twice, in the raw tables or the rollups.
 */
describe('ClickHouse over HTTP: a retried insert whose first answer was lost is stored once', () => {
  const harness = standInEventHarness();
  let proxy: Server;
  let proxyUrl: string;
  let store: EventStore;
  let database: string;
  /** Inserts whose answer the proxy drops, counted down. */
  let dropAnswers = 0;
  const dropped: string[] = [];

  beforeAll(async () => {
    const target = new URL(harness.standIn().url);
    proxy = createServer((req, res) => {
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            if (dropAnswers > 0 && /INSERT/.test(decodeURIComponent(req.url ?? ''))) {
              dropAnswers--;
              dropped.push(`${answer.statusCode} ${Buffer.concat(body).toString()}`);
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 500, answer.headers).end(Buffer.concat(body));
          });
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    database = await harness.newLocation();
    store = await openClickHouseEventStore({ url: proxyUrl, database });
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await new Promise((resolve) => proxy?.close(resolve));
  });

  /** What the pipeline does with a failed insert: try the same batch again until it is acknowledged. */
  async function insertWithRetry(insert: () => Promise<void>): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        await insert();
        return attempt;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
  }

  it('counts the events, installs and rollups of a batch once although it reached the server twice', async () => {
    const app = newAppId();
    const day = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-02T00:00:00Z') };
    const events = Array.from({ length: 500 }, (_, i) =>
      makeEvent({ app_id: app, device_id: `d${i % 50}`, revenue: 1, timestamp: at('2024-03-01T10:00:00Z') + i }),
    );
    const installs = [install(app, 'i1', 'd1', '2024-03-01T11:00:00Z', { media_source: 'meta' })];

    dropAnswers = 1;
    expect(await insertWithRetry(() => store.insertEvents(events))).toBe(2);
    dropAnswers = 1;
    expect(await insertWithRetry(() => store.insertInstalls(installs))).toBe(2);
    expect(dropped).toEqual(['200 ', '200 ']);

    const raw = await harness.select(database, 'SELECT count() AS n FROM events WHERE app_id = {app:String}', { app });
    expect(raw).toEqual([{ n: '500' }]);
    // The overview reads the rollups for whole hours: they must not have counted the retry either.
    expect(await store.overview(app, day)).toMatchObject({ total_events: 500, active_users: 50, total_revenue: 500, installs: 1 });
    const rows = await store.attribution(app, day, { groupBy: ['media_source'] });
    expect(rows.find((r) => r.media_source === 'meta')?.installs).toBe(1);
  });

  it('still stores a batch that differs from the lost one by a single row', async () => {
    const app = newAppId();
    const batch = [makeEvent({ app_id: app, event_id: 'a' }), makeEvent({ app_id: app, event_id: 'b' })];
    dropAnswers = 1;
    await expect(store.insertEvents(batch)).rejects.toThrow();
    await store.insertEvents([batch[0] as (typeof batch)[number], makeEvent({ app_id: app, event_id: 'c' })]);
    const o = await store.overview(app, { from: 0, to: at('2100-01-01T00:00:00Z') });
    expect(o.total_events).toBe(4);
  });
});
