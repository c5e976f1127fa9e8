import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openClickHouseEventStore } from '../src/events/clickhouse-event-store.ts';
import { makeEvent, newAppId } from './event-store.fixtures.ts';
import { standInEventHarness } from './support/clickhouse-http-harness.ts';

/** Opening the ClickHouse adapter: what a wrong CLICKHOUSE_URL tells the operator, and the database it prepares. */
describe('openClickHouseEventStore', () => {
  const harness = standInEventHarness();

  it('refuses a URL that is not http(s) or a database name that is not an identifier, in a sentence', async () => {
    await expect(openClickHouseEventStore({ url: 'ftp://h:21' })).rejects.toThrow(
      'ClickHouse URL must start with http:// or https://, got ftp://',
    );
    await expect(openClickHouseEventStore({ url: 'not a url' })).rejects.toThrow('ClickHouse URL is not a URL: "not a url"');
    await expect(openClickHouseEventStore({ url: 'http://127.0.0.1:8123/events-db' })).rejects.toThrow(
      'ClickHouse database name "events-db" must be letters, digits and _',
    );
    await expect(openClickHouseEventStore({ url: 'http://127.0.0.1:8123', database: 'x;DROP' })).rejects.toThrow(/must be letters/);
  });

  it('names the server, without its password, when nothing answers there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const err = (await openClickHouseEventStore({ url: `http://writer:s3cret@127.0.0.1:${port}` }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(new RegExp(`^Cannot reach ClickHouse at http://127\\.0\\.0\\.1:${port} \\(user writer\\): `));
    expect(err.message).not.toContain('s3cret');
  });

  it('takes the database from the URL path, creates it when missing, and stores there', async () => {
    const database = await harness.newLocation();
    const store = await openClickHouseEventStore({ url: `${harness.standIn().url}/${database}` });
    try {
      await store.migrate();
      const app = newAppId();
      await store.insertEvents([makeEvent({ app_id: app })]);
      const rows = await harness.select(database, 'SELECT count() AS n FROM events WHERE app_id = {app:String}', { app });
      expect(rows).toEqual([{ n: '1' }]);
      await store.ping();
    } finally {
      await store.close();
    }
  });
});
