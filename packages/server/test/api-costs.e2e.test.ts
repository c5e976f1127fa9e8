import { listAudit } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, call, seedApp, seedUser } from './support/api-client.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
type Json = any;

/**
 * `POST /api/apps/:app_id/costs`: JSON and CSV imports, idempotent per (date, media_source,
 * campaign), all or nothing, audited; read back through the attribution report's `cost`.
 */
let p: TestPlatform;
let token: string;
let analyst: string;

const RANGE = 'from=2026-06-01&to=2026-06-08';

let managerId: string;
let analystId: string;
const newApp = () => seedApp(p.control, managerId, [{ user: analystId, role: 'analyst' }], 'Costs app');

function post(appId: string, body: unknown, contentType = 'application/json', as = token) {
  return call(p.apiUrl, 'POST', `/api/apps/${appId}/costs`, { token: as, body, headers: { 'content-type': contentType } });
}

/** cost per source/campaign over the range, from the attribution report */
async function costs(appId: string, serverKey: string): Promise<Record<string, number>> {
  const res = await call(p.apiUrl, 'GET', `/api/analytics/${appId}/attribution?${RANGE}&group_by=campaign`, { token: serverKey });
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.rows.map((r: Json) => [`${r.media_source}/${r.campaign}`, r.cost]));
}

beforeAll(async () => {
  p = await startTestPlatform();
  await seedUser(p.control, 'admin@example.com');
  const manager = await seedUser(p.control, 'manager@example.com');
  const analystUser = await seedUser(p.control, 'analyst@example.com');
  managerId = manager.id;
  analystId = analystUser.id;
  token = await accessTokenFor(p.control, p.signing, manager.id);
  analyst = await accessTokenFor(p.control, p.signing, analystUser.id);
});
afterAll(() => p?.close());

const ROWS = [
  { date: '2026-06-01', media_source: 'meta', campaign: 'spring', cost: 100, currency: 'USD' },
  { date: '2026-06-02', media_source: 'meta', campaign: 'spring', cost: 50.5, currency: 'usd' },
  { date: '2026-06-01', media_source: 'google', cost: 40, currency: 'USD' },
];

describe('costs import', () => {
  it('JSON: imports, answers the count, audits, and a second import changes nothing', async () => {
    const app = await newApp();
    expect((await post(app.id, ROWS)).body).toEqual({ imported: 3 });
    const once = await costs(app.id, app.serverKey);
    expect(once).toEqual({ 'google/': 40, 'meta/spring': 150.5 });
    expect((await post(app.id, ROWS)).body).toEqual({ imported: 3 });
    expect(await costs(app.id, app.serverKey)).toEqual(once);

    const [entry] = await listAudit(p.control, { action: 'costs.import', limit: 1 });
    expect(entry).toMatchObject({ resource: `app:${app.id}`, success: true });
    expect(entry!.details).toMatchObject({ format: 'json', rows: 3, first_day: '2026-06-01', last_day: '2026-06-02' });
  });

  it('a later import replaces the value of the same day, source and campaign', async () => {
    const app = await newApp();
    await post(app.id, ROWS);
    await post(app.id, [{ date: '2026-06-02', media_source: 'meta', campaign: 'spring', cost: 10, currency: 'USD' }]);
    expect(await costs(app.id, app.serverKey)).toEqual({ 'google/': 40, 'meta/spring': 110 });
  });

  it('CSV: header, quoted fields, CRLF, a BOM, the campaign column optional', async () => {
    const app = await newApp();
    const csv =
      '\uFEFFdate,media_source,campaign,cost,currency\r\n2026-06-01,meta,"spring, sale",12.50,USD\r\n2026-06-02, meta ,"spring, sale",7,USD\r\n';
    expect((await post(app.id, csv, 'text/csv; charset=utf-8')).body).toEqual({ imported: 2 });
    expect((await post(app.id, 'Date,Media_Source,Cost,Currency\n2026-06-03,tiktok,5,USD\n', 'text/csv')).body).toEqual({ imported: 1 });
    expect(await costs(app.id, app.serverKey)).toEqual({ 'meta/spring, sale': 19.5, 'tiktok/': 5 });
  });

  it('a bad CSV row is a 400 naming its line and field, and nothing of the file is stored', async () => {
    const app = await newApp();
    const csv =
      'date,media_source,campaign,cost,currency\n2026-06-01,meta,spring,10,USD\n2026-06-02,meta,spring,$12,USD\n2026-13-01,google,,1,USD\n';
    const res = await post(app.id, csv, 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_costs');
    expect(res.body.error.message).toContain('line 3');
    expect(res.body.error.details.problems).toEqual([
      { line: 3, field: 'cost', problem: expect.stringContaining('number') },
      { line: 4, field: 'date', problem: expect.stringContaining('YYYY-MM-DD') },
    ]);
    expect(await costs(app.id, app.serverKey)).toEqual({});
  });

  it('JSON problems name each row by index, every field at once', async () => {
    const app = await newApp();
    const res = await post(app.id, [ROWS[0], { date: '2026-06-01', media_source: '', cost: '5', currency: 'dollars', extra: 1 }, ROWS[0]]);
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems.map((x: Json) => [x.index, x.field])).toEqual([
      [1, 'extra'],
      [1, 'media_source'],
      [1, 'cost'],
      [1, 'currency'],
      [2, undefined], // repeats index 0's day, source and campaign
    ]);
    expect(res.body.error.details.problems[4].problem).toContain('index 0');
  });

  it('refuses a CSV with unknown or missing columns, an empty file, and other content types', async () => {
    const app = await newApp();
    const header = await post(app.id, 'date,source,cost,currency\n2026-06-01,meta,1,USD\n', 'text/csv');
    expect(header.body.error.details.problems.map((x: Json) => x.field)).toEqual(['source', 'media_source']);
    expect((await post(app.id, '', 'text/csv')).status).toBe(400);
    expect((await post(app.id, [], 'application/json')).status).toBe(400);
    expect((await post(app.id, { rows: ROWS })).status).toBe(400);
    expect((await post(app.id, '<costs/>', 'application/xml')).status).toBe(415);
    // Only the costs route reads CSV.
    const elsewhere = await call(p.apiUrl, 'POST', '/api/apps', { token, body: 'name\nx\n', headers: { 'content-type': 'text/csv' } });
    expect(elsewhere.status).toBe(415);
  });

  it('keeps to the body limit and to managers', async () => {
    const app = await newApp();
    const big = `date,media_source,cost,currency\n${'2026-06-01,meta,1,USD\n'.repeat(60_000)}`;
    expect((await post(app.id, big, 'text/csv')).status).toBe(413);
    expect((await post(app.id, ROWS, 'application/json', analyst)).status).toBe(403);
    expect(await costs(app.id, app.serverKey)).toEqual({});
  });
});

describe('costs list and delete', () => {
  const list = (appId: string, query = '', as = token) => call(p.apiUrl, 'GET', `/api/apps/${appId}/costs${query}`, { token: as });
  const remove = (appId: string, rows: unknown, as = token) =>
    call(p.apiUrl, 'DELETE', `/api/apps/${appId}/costs`, { token: as, body: { rows } });

  it('lists what was imported, filtered by source and days, for any member', async () => {
    const app = await newApp();
    await post(app.id, ROWS);
    const all = await list(app.id, '', analyst);
    expect(all.status).toBe(200);
    expect(all.body.costs).toEqual([
      { date: '2026-06-02', media_source: 'meta', campaign: 'spring', cost: 50.5, currency: 'USD' },
      { date: '2026-06-01', media_source: 'google', campaign: '', cost: 40, currency: 'USD' },
      { date: '2026-06-01', media_source: 'meta', campaign: 'spring', cost: 100, currency: 'USD' },
    ]);
    expect((await list(app.id, '?media_source=meta&from=2026-06-02&to=2026-06-30')).body.costs).toEqual([all.body.costs[0]]);
    for (const query of ['?from=June', '?to=2026-6-1', '?colour=red']) expect((await list(app.id, query)).status, query).toBe(400);
  });

  it('deletes by key for managers, audited, and the attribution report loses that spend', async () => {
    const app = await newApp();
    await post(app.id, ROWS);
    expect((await remove(app.id, [{ date: '2026-06-01', media_source: 'meta', campaign: 'spring' }], analyst)).status).toBe(403);
    const res = await remove(app.id, [{ date: '2026-06-01', media_source: 'meta', campaign: 'spring' }]);
    expect(res.body).toEqual({ deleted: 1 });
    expect(await costs(app.id, app.serverKey)).toEqual({ 'google/': 40, 'meta/spring': 50.5 });
    const audit = (await listAudit(p.control, { limit: 1000 })).filter(
      (e) => e.action === 'costs.delete' && e.resource === `app:${app.id}`,
    );
    expect(audit).toHaveLength(1);
    expect((await remove(app.id, [])).status).toBe(400);
    expect((await remove(app.id, [{ date: 'yesterday', media_source: 'meta' }])).status).toBe(400);
  });
});
