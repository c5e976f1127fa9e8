import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstallExportRow } from '../src/events/analytics-types.ts';
import type { EventStore } from '../src/events/event-store.ts';
import { type ExportFormat, type ExportOptions, type ExportTable, exportColumns } from '../src/events/table-export.ts';
import { clicks, events, impressions, install, loadMonth, RANGE } from './event-analytics.fixtures.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, makeEvent, newAppId } from './event-store.fixtures.ts';

/** csv-cells.ts's rule, as the server passes it. */
const FORMULA_GUARD = '^[=+\\-@\\t\\r]';

type Row = Record<string, unknown>;

/**
 * The raw-data export of the EventStore port (table-export.ts) against the analytics month:
 * each format read back by an independent reader (hyparquet for Parquet, a plain RFC 4180 parser,
 * JSON.parse per line) and compared with the installs rows the installs route serves.
 */
export function describeEventExportContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore export contract: ${adapter}`, () => {
    let store: EventStore;
    const app = newAppId();
    const other = newAppId();
    const hostile = newAppId();

    async function download(table: ExportTable, options: ExportOptions, range = RANGE, appId = app): Promise<Buffer> {
      const parts: Uint8Array[] = [];
      for await (const chunk of await store.exportTable(appId, table, range, options)) parts.push(chunk);
      return Buffer.concat(parts);
    }

    /** The export of `table` read back as objects, whatever the format. */
    async function rowsOf(table: ExportTable, format: ExportFormat, range = RANGE, appId = app): Promise<Row[]> {
      return readBackAsync(await download(table, { format, csvFormulaGuard: FORMULA_GUARD }, range, appId), format);
    }

    beforeAll(async () => {
      store = await harness.open(await harness.newLocation());
      await store.migrate();
      await loadMonth(store, app, other);
      await store.insertInstalls([
        install(hostile, 'h1', '+31 device', '2024-03-01T10:00:00Z', {
          media_source: 'evilnet',
          campaign: '=HYPERLINK("http://evil.example","x")',
          ad_set: 'summer, sale',
          ad: 'say "hi"',
          network_click_id: '@SUM(A1)',
          advertising_id: 'line one\nline two',
          ctit_seconds: -3,
        }),
      ]);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('installs: every format holds the installs rows (what the installs route serves), days in order', async () => {
      const expected: InstallExportRow[] = [];
      for await (const chunk of store.installs(app, RANGE)) expected.push(...chunk);
      expect(expected).toHaveLength(10); // i1…i9, i11; i10 is at `to`
      const parquet = (await rowsOf('installs', 'parquet')).map(isoTimes);
      expect(byId(parquet, 'install_id')).toEqual(byId(expected, 'install_id'));
      expect(byId(await rowsOf('installs', 'ndjson'), 'install_id')).toEqual(byId(expected, 'install_id'));
      expect(byId(await rowsOf('installs', 'csv'), 'install_id')).toEqual(byId(expected.map(csvCells), 'install_id'));
      const days = parquet.map((r) => String(r['installed_at']).slice(0, 10));
      expect(days).toEqual([...days].sort());
    });

    it('Parquet: typed columns (UTC timestamps, booleans, nullable integers) named as documented', async () => {
      const bytes = await download('installs', { format: 'parquet' });
      const schema = parquetSchema(parquetMetadata(toArrayBuffer(bytes)));
      const columns = Object.fromEntries(schema.children.map((c) => [c.element.name, c.element]));
      expect(Object.keys(columns)).toEqual(exportColumns('installs'));
      expect(columns['installed_at']?.logical_type).toMatchObject({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
      expect(columns['is_reattribution']?.type).toBe('BOOLEAN');
      expect(columns['ctit_seconds']?.repetition_type).toBe('OPTIONAL');
      expect(columns['campaign']?.logical_type?.type).toBe('STRING');
    });

    it('events, clicks and impressions: the documented columns, the range, never another app', async () => {
      for (const format of ['parquet', 'csv', 'ndjson'] as const) {
        const ev = await rowsOf('events', format);
        expect(Object.keys(ev[0] ?? {})).toEqual(exportColumns('events'));
        expect(ev.map((r) => stamp(r['timestamp'])).sort((a, b) => a - b)).toEqual(
          events(app)
            .filter((e) => e.timestamp >= RANGE.from && e.timestamp < RANGE.to)
            .map((e) => e.timestamp)
            .sort((a, b) => a - b),
        );
        const d5 = ev.find((r) => r['device_id'] === 'd5' && Number(r['revenue']) === 1.25);
        expect(d5).toMatchObject({
          media_source: 'organic',
          currency: 'USD',
          properties: '{"screen":"checkout","items":2,"sku":"SKU-123"}',
        });

        const cl = await rowsOf('clicks', format);
        expect(Object.keys(cl[0] ?? {})).toEqual(exportColumns('clicks'));
        const inRange = (t: { ts: number }) => t.ts >= RANGE.from && t.ts < RANGE.to;
        // Flood-rejected clicks are raw rows too: the export is the table, not a report.
        expect(cl.map((r) => stamp(r['timestamp'])).sort((a, b) => a - b)).toEqual(
          clicks(app)
            .filter(inRange)
            .map((t) => t.ts)
            .sort((a, b) => a - b),
        );
        expect(cl.filter((r) => r['fraud_reason'] === 'click_flood')).toHaveLength(2);

        const im = await rowsOf('impressions', format);
        expect(Object.keys(im[0] ?? {})).toEqual(exportColumns('impressions'));
        expect(im).toHaveLength(impressions(app).filter(inRange).length);
        for (const rows of [ev, cl, im]) {
          for (const row of rows) expect(row).not.toHaveProperty('ip');
        }
      }
      // `other` holds rows in the same days: only its own come back.
      expect(await rowsOf('installs', 'ndjson', RANGE, other)).toHaveLength(3);
    });

    it('CSV: RFC 4180 with the formula guard on text cells; NDJSON and Parquet carry the data untouched', async () => {
      const range = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-02T00:00:00Z') };
      const [csv] = await rowsOf('installs', 'csv', range, hostile);
      expect(csv).toMatchObject({
        device_id: "'+31 device",
        campaign: `'=HYPERLINK("http://evil.example","x")`,
        ad_set: 'summer, sale',
        ad: 'say "hi"',
        network_click_id: "'@SUM(A1)",
        advertising_id: 'line one\nline two',
        ctit_seconds: '-3', // a number, not text: left alone
      });
      // The engine quotes every text cell, header names included (RFC 4180 allows it); records end in CRLF.
      const text = (await download('installs', { format: 'csv', csvFormulaGuard: FORMULA_GUARD }, range, hostile)).toString('utf8');
      expect(parseCsv(text)[0]).toEqual(exportColumns('installs'));
      expect(text.endsWith('\r\n')).toBe(true);
      const [json] = await rowsOf('installs', 'ndjson', range, hostile);
      const [parquet] = await rowsOf('installs', 'parquet', range, hostile);
      for (const row of [json, parquet])
        expect(row).toMatchObject({ device_id: '+31 device', campaign: '=HYPERLINK("http://evil.example","x")' });
      // Without a guard asked for, CSV cells are the data too.
      const [plain] = readBack(await download('installs', { format: 'csv' }, range, hostile), 'csv');
      expect(plain?.['campaign']).toBe('=HYPERLINK("http://evil.example","x")');
    });

    it('rows read in several blocks (one part per insert) still make one file with one header', async () => {
      const many = newAppId();
      for (let i = 0; i < 5; i++) await store.insertClicks(clicks(many).slice(0, 6));
      const csv = parseCsv((await download('clicks', { format: 'csv' }, RANGE, many)).toString('utf8'));
      expect(csv[0]).toEqual(exportColumns('clicks'));
      expect(csv.slice(1).filter((r) => r[0] === 'click_id')).toEqual([]);
      expect(csv).toHaveLength(1 + 30);
      expect(await rowsOf('clicks', 'parquet', RANGE, many)).toHaveLength(30);
      expect(await rowsOf('clicks', 'ndjson', RANGE, many)).toHaveLength(30);
    });

    it('an empty range is a valid file with the columns and no rows', async () => {
      const empty = { from: at('2024-06-01T00:00:00Z'), to: at('2024-06-02T00:00:00Z') };
      const parquet = await download('clicks', { format: 'parquet' }, empty);
      const meta = parquetMetadata(toArrayBuffer(parquet));
      expect(Number(meta.num_rows)).toBe(0);
      expect(parquetSchema(meta).children.map((c) => c.element.name)).toEqual(exportColumns('clicks'));
      const csv = (await download('clicks', { format: 'csv' }, empty)).toString('utf8');
      expect(parseCsv(csv)).toEqual([exportColumns('clicks')]);
      expect(csv.endsWith('\r\n')).toBe(true);
      expect((await download('clicks', { format: 'ndjson' }, empty)).length).toBe(0);
    });

    it('an erased person is not exported', async () => {
      const erased = newAppId();
      const day = '2024-03-01T';
      await store.insertEvents(
        ['keep', 'gone'].map((who) =>
          makeEvent({ app_id: erased, device_id: `d-${who}`, user_id: `u-${who}`, advertising_id: '', timestamp: at(`${day}10:00:00Z`) }),
        ),
      );
      await store.insertInstalls(['keep', 'gone'].map((who) => install(erased, `i-${who}`, `d-${who}`, `${day}09:00:00Z`, {})));
      const devices = async (table: ExportTable, format: ExportFormat) =>
        (await rowsOf(table, format, RANGE, erased)).map((r) => r['device_id']).sort();
      expect(await devices('events', 'ndjson')).toEqual(['d-gone', 'd-keep']);
      await store.erasePerson(erased, await store.findPerson(erased, { device_id: 'd-gone' }));
      for (const table of ['events', 'installs'] as const) {
        for (const format of ['parquet', 'csv', 'ndjson'] as const) expect(await devices(table, format)).toEqual(['d-keep']);
      }
    });

    it('a cancelled export frees the engine: other queries and exports go on', async () => {
      const stream = await store.exportTable(app, 'events', RANGE, { format: 'ndjson' });
      stream.cancel();
      stream.cancel();
      expect((await store.overview(app, RANGE)).installs).toBe(7);
      const reader = (await store.exportTable(app, 'clicks', RANGE, { format: 'csv' }))[Symbol.asyncIterator]();
      expect((await reader.next()).done).toBe(false);
      await reader.return?.(undefined);
      expect(await rowsOf('installs', 'ndjson')).toHaveLength(10);
    });

    it('refuses an unknown table or format before asking the engine', async () => {
      await expect(store.exportTable(app, 'identities' as ExportTable, RANGE, { format: 'csv' })).rejects.toThrow(/cannot export table/);
      await expect(store.exportTable(app, 'events', RANGE, { format: 'xlsx' as ExportFormat })).rejects.toThrow(/cannot export as/);
    });
  });
}

/** Reads an export back with a reader that is not the engine. */
export async function readBackAsync(bytes: Buffer, format: ExportFormat): Promise<Row[]> {
  if (format === 'parquet') return (await parquetReadObjects({ file: toArrayBuffer(bytes) })) as Row[];
  return readBack(bytes, format);
}

function readBack(bytes: Buffer, format: ExportFormat): Row[] {
  if (format === 'parquet') throw new Error('use readBackAsync for Parquet');
  const text = bytes.toString('utf8');
  if (format === 'ndjson') {
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Row);
  }
  const [header, ...records] = parseCsv(text);
  return records.map((fields) => Object.fromEntries((header ?? []).map((name, i) => [name, fields[i]])));
}

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks; records end in CRLF. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Parquet timestamps come back as Dates: as ISO text they compare with the JSON rows. */
function isoTimes(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}

/** Rows sorted by an id column: within a day the export's order is the storage order, not the route's. */
function byId<T extends object>(rows: T[], id: keyof T & string): T[] {
  return [...rows].sort((a, b) => String(a[id]).localeCompare(String(b[id])));
}

/** A time cell of any format as epoch ms. */
function stamp(value: unknown): number {
  return value instanceof Date ? value.getTime() : Date.parse(String(value));
}

/** An installs row as the CSV cells the parser reads back (null is an empty cell). */
function csvCells(row: InstallExportRow): Row {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
