import { exportColumns } from '@unmogrowp/storage';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/api/costs/csv-records.ts';
import { at, install, loadFixture, loadNeighbour } from './support/analytics-fixture.ts';
import { accessTokenFor, call, seedApp, seedUser } from './support/api-client.ts';
import { startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
type Json = any;

/**
 * `GET /api/analytics/:app_id/export`: one table's raw rows as Parquet, CSV or NDJSON, read back
 * by readers that are not the engine (hyparquet, the costs import's RFC 4180 parser, JSON.parse)
 * and compared with the installs route, which serves the same rows through its own code path.
 */
let p: TestPlatform;
let app: TestApp;
let hostile: TestApp;
let tokens: { analyst: string; outsider: string };
const RANGE = 'from=2026-06-01&to=2026-06-05';

async function get(target: TestApp, path: string, token = target.serverKey, headers: Record<string, string> = {}) {
  const res = await fetch(`${p.apiUrl}/api/analytics/${target.id}/${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const exportOf = (target: TestApp, query: string, token?: string) => get(target, `export?${query}`, token);

function arrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function parquetRows(bytes: Buffer): Promise<Json[]> {
  const rows = (await parquetReadObjects({ file: arrayBuffer(bytes) })) as Json[];
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
}

const csvRecords = (bytes: Buffer) => parseCsv(bytes.toString('utf8')).map((r) => r.fields);

/** Within a UTC day the export comes in storage order, the installs route in time order: compare sets by id. */
const byId = (rows: Json[]) => [...rows].sort((a, b) => String(a.install_id).localeCompare(String(b.install_id)));
/** The same for CSV records: the header first, then the records by their first cell (install_id). */
const sortedRecords = ([header, ...rows]: string[][]) => [header, ...rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))];

beforeAll(async () => {
  p = await startTestPlatform();
  await seedUser(p.control, 'admin@example.com'); // the first account is the administrator
  const manager = await seedUser(p.control, 'manager@example.com');
  const analyst = await seedUser(p.control, 'analyst@example.com');
  const outsider = await seedUser(p.control, 'outsider@example.com');
  const seeded = await seedApp(p.control, manager.id, [{ user: analyst.id, role: 'analyst' }], 'Export app');
  app = seeded;
  tokens = {
    analyst: await accessTokenFor(p.control, p.signing, analyst.id),
    outsider: await accessTokenFor(p.control, p.signing, outsider.id),
  };
  hostile = await p.newApp('Hostile names');
  await loadFixture(p.events, app.id);
  await loadNeighbour(p.events, hostile.id);
  await p.events.insertInstalls([
    install(hostile.id, 'h1', '+31 device', '2026-06-01T10:00:00Z', {
      media_source: 'evilnet',
      campaign: '=HYPERLINK("http://evil.example","click")',
      ad_set: 'summer, sale',
      ad: 'say "hi"',
      site_id: '-2+3',
      network_click_id: '@SUM(A1)',
      advertising_id: 'line one\nline two',
      touch_at: at('2026-06-01T09:59:00Z'),
      ctit_seconds: 60,
    }),
  ]);
});
afterAll(() => p?.close());

describe('raw data export', () => {
  it('Parquet (the default) read back by hyparquet equals the installs route, with the server key', async () => {
    const res = await exportOf(app, `table=installs&${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="installs-${app.id}-2026-06-01-2026-06-05.parquet"`);
    expect(res.bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    const route = JSON.parse((await get(app, `installs?${RANGE}`)).bytes.toString('utf8'));
    expect(route).toHaveLength(9);
    expect(byId(await parquetRows(res.bytes))).toEqual(byId(route));
  });

  it('NDJSON equals the installs route row for row', async () => {
    const res = await exportOf(app, `table=installs&format=ndjson&${RANGE}`);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const rows = res.bytes
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l));
    expect(byId(rows)).toEqual(byId(JSON.parse((await get(app, `installs?${RANGE}`)).bytes.toString('utf8'))));
  });

  it('CSV equals the installs route CSV cell for cell, formula guard included', async () => {
    for (const [target, range] of [
      [app, RANGE],
      [hostile, 'from=2026-06-01&to=2026-06-02'],
    ] as const) {
      const res = await exportOf(target, `table=installs&format=csv&${range}`);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="installs-.*\.csv"$/);
      expect(sortedRecords(csvRecords(res.bytes))).toEqual(
        sortedRecords(csvRecords((await get(target, `installs?format=csv&${range}`)).bytes)),
      );
    }
    const [, row] = csvRecords((await exportOf(hostile, 'table=installs&format=csv&from=2026-06-01&to=2026-06-02')).bytes);
    expect(row).toEqual(expect.arrayContaining([`'=HYPERLINK("http://evil.example","click")`, "'+31 device", "'@SUM(A1)", "'-2+3"]));
    // The same cell in Parquet is the data as stored.
    const [parquet] = await parquetRows((await exportOf(hostile, 'table=installs&from=2026-06-01&to=2026-06-02')).bytes);
    expect(parquet.campaign).toBe('=HYPERLINK("http://evil.example","click")');
  });

  it('events, clicks and impressions: their documented columns, only this app, only the range', async () => {
    const expected = { events: 8, clicks: 13, impressions: 4 }; // loadFixture's rows inside [06-01, 06-05)
    for (const table of ['events', 'clicks', 'impressions'] as const) {
      for (const format of ['parquet', 'csv', 'ndjson'] as const) {
        const res = await exportOf(app, `table=${table}&format=${format}&${RANGE}`);
        expect(res.status).toBe(200);
        if (format === 'parquet') {
          const rows = await parquetRows(res.bytes);
          expect(rows).toHaveLength(expected[table]);
          expect(Object.keys(rows[0])).toEqual(exportColumns(table));
        } else if (format === 'csv') {
          const [header, ...rows] = csvRecords(res.bytes);
          expect(header).toEqual(exportColumns(table));
          expect(rows).toHaveLength(expected[table]);
        } else {
          expect(res.bytes.toString('utf8').trim().split('\n')).toHaveLength(expected[table]);
        }
      }
    }
    // The neighbour's rows at the same times are its own.
    const neighbour = await parquetRows((await exportOf(hostile, `table=clicks&${RANGE}`)).bytes);
    expect(neighbour).toHaveLength(2);
  });

  it('an analyst member reads it; a non-member and another app key get 404', async () => {
    expect((await exportOf(app, `table=events&${RANGE}`, tokens.analyst)).status).toBe(200);
    const outsider = await exportOf(app, `table=events&${RANGE}`, tokens.outsider);
    expect(outsider.status).toBe(404);
    expect(JSON.parse(outsider.bytes.toString('utf8')).error.code).toBeTypeOf('string');
    expect((await exportOf(app, `table=events&${RANGE}`, hostile.serverKey)).status).toBe(404);
  });

  it('bad table, format or range: 400 in the error format, naming what to change', async () => {
    const cases: [string, string, Json][] = [
      [RANGE, 'missing_parameter', { field: 'table' }],
      [`table=identities&${RANGE}`, 'invalid_table', { field: 'table', value: 'identities' }],
      [`table=events&format=xlsx&${RANGE}`, 'invalid_format', { field: 'format', value: 'xlsx' }],
      ['table=events&from=2026-06-05&to=2026-06-01', 'invalid_range', {}],
      ['table=events&from=yesterday', 'invalid_time', { field: 'from' }],
      ['table=events&from=1900-01-01&to=2026-01-01', 'invalid_time', { field: 'from' }],
      [`table=events&${RANGE}&limit=5`, 'invalid_request', {}],
    ];
    for (const [query, code, details] of cases) {
      const res = await call(p.apiUrl, 'GET', `/api/analytics/${app.id}/export?${query}`, { token: app.serverKey });
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatchObject({ code, details });
      expect(res.body.error.message, query).toBeTypeOf('string');
    }
  });

  it('Parquet is never compressed again; CSV and NDJSON are, when the client asks', async () => {
    const ask = { 'accept-encoding': 'br, gzip' };
    const parquet = await get(app, `export?table=events&${RANGE}`, app.serverKey, ask);
    expect(parquet.headers.get('content-encoding')).toBeNull();
    expect(Number(parquetMetadata(arrayBuffer(parquet.bytes)).num_rows)).toBe(8);
    const bulky = `export?table=clicks&format=ndjson&from=2026-05-01&to=2026-07-01`;
    expect((await get(app, bulky, app.serverKey, ask)).headers.get('content-encoding')).toMatch(/^(br|gzip)$/);
  });

  it('the OpenAPI document lists the route with its file types and the server key', async () => {
    const doc = (await call(p.apiUrl, 'GET', '/api/openapi.json')).body;
    const op = doc.paths['/api/analytics/{app_id}/export'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/vnd.apache.parquet', 'text/csv', 'application/x-ndjson']);
    expect(op.security).toEqual([{ accessToken: [] }, { serverKey: [] }]);
    expect(op.parameters.map((x: Json) => x.name)).toEqual(['app_id', 'table', 'format', 'from', 'to']);
  });
});
