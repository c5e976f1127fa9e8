import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/api/costs/csv-records.ts';
import { at, install, loadFixture } from './support/analytics-fixture.ts';
import { answerProblem } from './support/answer-check.ts';
import { call } from './support/api-client.ts';
import { startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
type Json = any;

/** `GET /api/analytics/:app_id/installs`: the raw export, streamed as one JSON array or as CSV. */
let p: TestPlatform;
let app: TestApp;
let hostile: TestApp;
let bulk: TestApp;
const RANGE = 'from=2026-06-01&to=2026-06-05';
const BULK = 5_003; // more than the store's 5 000-row chunk: the stream joins two chunks

const COLUMNS = [
  'install_id',
  'device_id',
  'advertising_id',
  'installed_at',
  'status',
  'match_type',
  'media_source',
  'campaign',
  'ad_set',
  'ad',
  'site_id',
  'link_id',
  'click_id',
  'network_click_id',
  'touch_at',
  'ctit_seconds',
  'fraud_reason',
  'is_reattribution',
];

async function download(target: TestApp, query: string) {
  const res = await fetch(`${p.apiUrl}/api/analytics/${target.id}/installs?${query}`, {
    headers: { authorization: `Bearer ${target.serverKey}` },
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.newApp('Export app');
  hostile = await p.newApp('Hostile names');
  bulk = await p.newApp('Bulk');
  await loadFixture(p.events, app.id);
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
  const start = at('2026-06-01T00:00:00Z');
  await p.events.insertInstalls(
    Array.from({ length: BULK }, (_, i) =>
      install(bulk.id, `b${String(i).padStart(5, '0')}`, `dev-${i}`, new Date(start + i * 1000).toISOString()),
    ),
  );
});
afterAll(() => p?.close());

describe('installs export', () => {
  it('JSON: one array of docs/api.md rows, ordered by time, `to` exclusive', async () => {
    const res = await download(app, RANGE);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const rows = JSON.parse(res.text);
    // i10 (06-05 00:00) is outside; i7 i8 (rejected) and i9 (reinstall) are installs rows too.
    expect(rows.map((r: Json) => r.install_id)).toEqual(['i5', 'i1', 'i7', 'i2', 'i3', 'i6', 'i8', 'i4', 'i9']);
    expect(rows[1]).toEqual({
      install_id: 'i1',
      device_id: 'd1',
      advertising_id: 'AAAA-1',
      installed_at: '2026-06-01T10:00:00.000Z',
      status: 'attributed',
      match_type: 'device_id',
      media_source: 'meta',
      campaign: 'spring',
      ad_set: 'as1',
      ad: 'a1',
      site_id: 's1',
      link_id: 'L-spring',
      click_id: 'c-i1',
      network_click_id: 'net-1',
      touch_at: '2026-06-01T09:00:00.000Z',
      ctit_seconds: 3600,
      fraud_reason: '',
      is_reattribution: false,
    });
    // An organic install stored with '' reads back as `organic`.
    expect(rows.find((r: Json) => r.install_id === 'i6')).toMatchObject({ media_source: 'organic', touch_at: null, ctit_seconds: null });
  });

  it('JSON and CSV are what the route declares (a streamed answer is not checked as it is sent)', async () => {
    const route = p.api.routeTable().find((r) => r.method === 'GET' && r.url === '/api/analytics/:app_id/installs')!;
    for (const format of ['json', 'csv']) {
      const res = await download(hostile, `${RANGE}&format=${format}`);
      const body = format === 'json' ? JSON.parse(res.text) : res.text;
      expect(format === 'json' ? body.length : 1).toBeGreaterThan(0);
      expect(answerProblem(route, res.status, body, res.headers.get('content-type'))).toBeNull();
    }
  });

  it('JSON is the default; an empty range is an empty array', async () => {
    expect(JSON.parse((await download(app, 'from=2026-06-03&to=2026-06-04')).text)).toEqual([]);
    expect((await download(app, 'from=2026-06-01&to=2026-06-01&format=json')).text.trim()).toBe('[]');
  });

  it('CSV: a header row, one CRLF line per install, as an attachment', async () => {
    const res = await download(app, `${RANGE}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="installs-${app.id}-2026-06-01-2026-06-05.csv"`);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(COLUMNS.join(','));
    expect(lines.at(-1)).toBe(''); // the last record ends in CRLF too
    expect(lines).toHaveLength(1 + 9 + 1);
    expect(lines[2]).toBe(
      'i1,d1,AAAA-1,2026-06-01T10:00:00.000Z,attributed,device_id,meta,spring,as1,a1,s1,L-spring,c-i1,net-1,2026-06-01T09:00:00.000Z,3600,,false',
    );
    // Absent touch time and CTIT are empty cells.
    expect(lines[1]).toBe('i5,d5,,2026-06-01T05:00:00.000Z,organic,none,organic,,,,,,,,,,,false');
  });

  it('CSV quotes per RFC 4180 and defuses spreadsheet formulas', async () => {
    const res = await download(hostile, 'from=2026-06-01&to=2026-06-02&format=csv');
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(res.text).toContain('"summer, sale"');
    expect(res.text).toContain('"say ""hi"""');
    const [header, row] = parseCsv(res.text);
    expect(header!.fields).toEqual(COLUMNS);
    const cell = Object.fromEntries(COLUMNS.map((c, i) => [c, row!.fields[i]]));
    expect(cell).toMatchObject({
      device_id: "'+31 device",
      advertising_id: 'line one\nline two',
      campaign: `'=HYPERLINK("http://evil.example","click")`,
      ad_set: 'summer, sale',
      ad: 'say "hi"',
      site_id: "'-2+3",
      network_click_id: "'@SUM(A1)",
      ctit_seconds: '60',
    });
    // The JSON export is the data as stored, untouched.
    const [json] = JSON.parse((await download(hostile, 'from=2026-06-01&to=2026-06-02')).text);
    expect(json.campaign).toBe('=HYPERLINK("http://evil.example","click")');
  });

  it('streams exports larger than one store chunk, in order, in both formats', async () => {
    const query = 'from=2026-06-01&to=2026-06-02';
    const rows = JSON.parse((await download(bulk, query)).text);
    expect(rows).toHaveLength(BULK);
    expect(rows.map((r: Json) => r.install_id)).toEqual(Array.from({ length: BULK }, (_, i) => `b${String(i).padStart(5, '0')}`));
    const csv = (await download(bulk, `${query}&format=csv`)).text;
    expect(parseCsv(csv)).toHaveLength(1 + BULK);
  });

  it('refuses an unknown format; another app key sees nothing', async () => {
    const res = await download(app, `${RANGE}&format=xml`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'invalid_format', details: { value: 'xml' } });
    const other = await call(p.apiUrl, 'GET', `/api/analytics/${app.id}/installs?${RANGE}`, { token: bulk.serverKey });
    expect(other.status).toBe(404);
  });
});
