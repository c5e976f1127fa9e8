import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type ClickHouseClient, ClickHouseError, ClickHouseLogLevel, createClient as newClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevClickHouse, startDevClickHouse } from '../src/events/dev-clickhouse/index.ts';

/**
 * The stand-in speaks what the official client and a ClickHouse server speak: these tests use
 * the real `@clickhouse/client` and raw HTTP, and check the wire (status, headers, bodies).
 */
/** The client logs every failed request; these tests fail requests on purpose. */
const createClient: typeof newClient = (config) => newClient({ ...config, log: { level: ClickHouseLogLevel.OFF } });

describe('dev-clickhouse: the ClickHouse HTTP interface over chDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unmogrowp-dev-clickhouse-'));
  let standIn: DevClickHouse;
  let client: ClickHouseClient;
  const database = `unmogrowp_test_${process.pid}`;

  beforeAll(async () => {
    standIn = await startDevClickHouse({ dataDir: dir, port: 0 });
    const admin = createClient({ url: standIn.url });
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await admin.close();
    client = createClient({ url: standIn.url, database, clickhouse_settings: { output_format_json_quote_64bit_integers: 1 } });
    await client.command({ query: "CREATE TABLE t (id String, n UInt64, at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY id" });
  });
  afterAll(async () => {
    await client?.close();
    await standIn?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = async (query: string, query_params: Record<string, unknown> = {}, c = client) =>
    (await c.query({ query, query_params, format: 'JSONEachRow' })).json<Record<string, unknown>>();

  it('answers GET /ping with Ok.', async () => {
    const res = await fetch(`${standIn.url}/ping`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Ok.\n');
    expect((await client.ping()).success).toBe(true);
  });

  it('tells, per kind of statement, how long it waited for a session and how long it ran (GET /stand-in/timings; ?reset=1 starts over)', async () => {
    await fetch(`${standIn.url}/stand-in/timings?reset=1`);
    await client.query({ query: 'SELECT 1 FROM system.one', format: 'JSONEachRow' }).then((r) => r.text());
    const timings = (await (await fetch(`${standIn.url}/stand-in/timings?reset=1`)).json()) as Record<
      string,
      { count: number; wait_ms: { p50: number }; exec_ms: { max: number } }
    >;
    expect(timings['query:system.one']?.count).toBe(1);
    expect(timings['query:system.one']?.exec_ms.max).toBeGreaterThanOrEqual(0);
    expect(await (await fetch(`${standIn.url}/stand-in/timings`)).json()).toEqual({});
  });

  it('binds every {name:Type} parameter the client sends exactly as a server would', async () => {
    const tricky = ["q'uote", 'back\\slash', 'tab\there', 'nl\nx', 'cr\rx', '\\\'"', 'emoji 🚀 ключ', "x'); DROP TABLE t; --", ''];
    const [row] = await rows(
      `SELECT {s:String} AS s, {arr:Array(String)} AS arr, {big:Int64} AS big, {none:Nullable(String)} AS none,
              {nums:Array(Int64)} AS nums, {m:Map(String, String)} AS m, {f:Float64} AS f`,
      {
        s: tricky.join('|'),
        arr: tricky,
        big: '9007199254740993',
        none: null,
        nums: [1, -2, 3],
        m: { "k'1": 'v\\1', k2: 'v\t2' },
        f: 0.1,
      },
    );
    expect(row).toEqual({
      s: tricky.join('|'),
      arr: tricky,
      big: '9007199254740993',
      none: null,
      nums: ['1', '-2', '3'],
      m: { "k'1": 'v\\1', k2: 'v\t2' },
      f: 0.1,
    });
  });

  it('answers an error as a server does: 500, Code: N. DB::Exception, X-ClickHouse-Exception-Code', async () => {
    const res = await fetch(`${standIn.url}/?database=${database}`, { method: 'POST', body: 'SELECT * FROM missing_table' });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('60');
    expect(await res.text()).toMatch(/^Code: 60\. DB::Exception: .*\(UNKNOWN_TABLE\) \(version /s);
    const err = await client.query({ query: 'SELECT * FROM missing_table' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClickHouseError);
    expect(err).toMatchObject({ code: '60', type: 'UNKNOWN_TABLE' });
  });

  it('refuses bad requests with a ClickHouse error instead of failing: empty, unknown database, unknown format, GET that writes', async () => {
    const empty = await fetch(`${standIn.url}/`, { method: 'POST', body: '' });
    expect(empty.status).toBe(400);
    expect(empty.headers.get('x-clickhouse-exception-code')).toBe('62');
    const unknownDb = createClient({ url: standIn.url, database: 'no_such_db' });
    await expect(unknownDb.query({ query: 'SELECT 1' })).rejects.toMatchObject({ code: '81' });
    await unknownDb.close();
    const format = await fetch(`${standIn.url}/?query=${encodeURIComponent('INSERT INTO t FORMAT RowBinary')}&database=${database}`, {
      method: 'POST',
      body: 'x',
    });
    expect(format.status).toBe(400);
    expect(await format.text()).toMatch(/^Code: 73\. DB::Exception: The stand-in cannot insert FORMAT RowBinary/);
    const get = await fetch(`${standIn.url}/?query=${encodeURIComponent('DROP TABLE t')}&database=${database}`);
    expect(get.status).toBe(400);
    expect(get.headers.get('x-clickhouse-exception-code')).toBe('164');
    expect(await rows('SELECT count() AS n FROM t')).toEqual([{ n: '0' }]);
    const badGzip = await fetch(`${standIn.url}/`, { method: 'POST', body: 'not gzip', headers: { 'Content-Encoding': 'gzip' } });
    expect(badGzip.status).toBe(400);
  });

  it('inserts rows sent as ?query=INSERT … FORMAT JSONEachRow with the rows as the body, and sums them up in X-ClickHouse-Summary', async () => {
    await client.insert({
      table: 't',
      values: [
        { id: 'a', n: 1, at: 1_700_000_000_123 },
        { id: 'b', n: 2, at: 1_700_000_000_456 },
      ],
      format: 'JSONEachRow',
    });
    const res = await fetch(
      `${standIn.url}/?database=${database}&query=${encodeURIComponent('INSERT INTO t (id, n) FORMAT JSONCompactEachRow')}`,
      {
        method: 'POST',
        body: '["c", 3]\n',
      },
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.headers.get('x-clickhouse-summary') ?? '{}')).toMatchObject({ written_rows: '1' });
    expect(await rows('SELECT id, n, toUnixTimestamp64Milli(at) AS ms FROM t ORDER BY id')).toEqual([
      { id: 'a', n: '1', ms: '1700000000123' },
      { id: 'b', n: '2', ms: '1700000000456' },
      { id: 'c', n: '3', ms: '0' },
    ]);
  });

  it('runs a bound statement that changes rows on the writer (a lightweight DELETE with a {name:Type} parameter)', async () => {
    await client.insert({
      table: 't',
      values: [
        { id: "del'me", n: 9, at: 0 },
        { id: 'keep', n: 9, at: 0 },
      ],
      format: 'JSONEachRow',
    });
    await client.command({ query: 'DELETE FROM t WHERE id = {id:String}', query_params: { id: "del'me" } });
    expect(await rows('SELECT id FROM t WHERE n = 9 ORDER BY id')).toEqual([{ id: 'keep' }]);
  });

  it('takes settings per request, never keeping one for the next request', async () => {
    const read = `SELECT getSetting('max_block_size') AS v`;
    const [before] = await rows(read);
    const withSetting = await (
      await client.query({ query: read, format: 'JSONEachRow', clickhouse_settings: { max_block_size: '1234' } })
    ).json<{ v: unknown }>();
    expect(Number(withSetting[0]?.v)).toBe(1234);
    expect(Number(before?.['v'])).not.toBe(1234);
    for (let i = 0; i < 3; i++) expect(await rows(read)).toEqual([before]);
    await client.command({ query: 'SET max_block_size = 1234' });
    expect(await rows(read)).toEqual([before]);
    await expect(client.query({ query: 'SELECT 1', clickhouse_settings: { no_such_setting: 1 } as never })).rejects.toMatchObject({
      code: '115',
    });
  });

  it('gzips answers when the client asks, and reads gzipped request bodies', async () => {
    const gz = createClient({ url: standIn.url, database, compression: { request: true, response: true } });
    await gz.insert({ table: 't', values: [{ id: 'gz', n: 7, at: 0 }], format: 'JSONEachRow' });
    expect(await rows("SELECT n FROM t WHERE id = 'gz'", {}, gz)).toEqual([{ n: 7 }]);
    await gz.close();
    const res = await fetch(`${standIn.url}/?enable_http_compression=1`, {
      method: 'POST',
      body: gzipSync('SELECT 40 + 2'),
      headers: { 'Content-Encoding': 'gzip', 'Accept-Encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    // fetch decompresses on its own; the bytes were gzip on the wire.
    expect(await res.text()).toBe('42\n');
    const raw = await new Promise<Buffer>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          `${standIn.url}/?enable_http_compression=1`,
          { method: 'POST', headers: { 'Accept-Encoding': 'gzip' } },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
          },
        );
        req.on('error', reject).end('SELECT 1');
      }, reject);
    });
    expect(gunzipSync(raw).toString()).toBe('1\n');
  });

  it('keeps answering short queries while a long answer streams to a slow reader', async () => {
    const long = await client.query({ query: 'SELECT number FROM numbers(3000000)', format: 'JSONEachRow' });
    const stream = long.stream();
    const first = await stream[Symbol.asyncIterator]().next();
    expect(first.done).toBe(false);
    // The long answer is paused mid-way; another reader session answers meanwhile.
    const started = Date.now();
    expect(await rows('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(Date.now() - started).toBeLessThan(5000);
    long.close();
  });
});
