import { listAudit } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, call, seedUser } from './support/api-client.ts';
import { loadMoneyFixture, MONEY_COSTS } from './support/money-fixture.ts';
import { startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
type Json = any;

/**
 * Currencies and retargeting wins through HTTP (docs/api.md "Currencies"), on the hand-computed
 * rows of support/money-fixture.ts: the reporting currency setting, exchange rates loaded as JSON
 * and CSV, money converted day by day, a currency without a rate named and never summed, and
 * re-engagements and re-attributions per media source and campaign. Analytics are read with the
 * app's server key (the pull API); rates and settings are changed by an admin.
 */
let p: TestPlatform;
let app: TestApp;
let token: string;
const RANGE = 'from=2026-06-01&to=2026-06-04';

async function analytics(route: string, query = RANGE): Promise<Json> {
  const res = await call(p.apiUrl, 'GET', `/api/analytics/${app.id}/${route}?${query}`, { token: app.serverKey });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

function postRates(body: unknown, contentType = 'application/json') {
  return call(p.apiUrl, 'POST', `/api/apps/${app.id}/fx-rates`, { token, body, headers: { 'content-type': contentType } });
}

function setReportingCurrency(code: unknown) {
  return call(p.apiUrl, 'PATCH', `/api/apps/${app.id}`, { token, body: { settings: { reporting_currency: code } } });
}

const byCampaign = async () => {
  const body = await analytics('attribution', `${RANGE}&group_by=media_source,campaign`);
  const rows = Object.fromEntries(body.rows.map((r: Json) => [`${r.media_source}/${r.campaign}`, r]));
  return { body, rows };
};

beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.newApp('Money app');
  await loadMoneyFixture(p.events, app.id);
  const admin = await seedUser(p.control, 'admin@example.com');
  token = await accessTokenFor(p.control, p.signing, admin.id);
  const res = await call(p.apiUrl, 'POST', `/api/apps/${app.id}/costs`, { token, body: MONEY_COSTS });
  expect(res.body).toEqual({ imported: 3 });
});
afterAll(() => p?.close());

describe('reporting currency setting', () => {
  it('is USD until set, and only an ISO 4217 code in capitals is taken', async () => {
    expect((await analytics('overview')).currency).toBe('USD');
    for (const bad of ['usd', 'EURO', 'XYZ', 12]) {
      const res = await setReportingCurrency(bad);
      expect(res.status, String(bad)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_settings' });
      expect(res.body.error.details.errors).toEqual([expect.objectContaining({ field: 'reporting_currency' })]);
    }
    expect((await setReportingCurrency('USD')).status).toBe(200);
  });
});

describe('before any rate is loaded', () => {
  it('overview: only USD revenue is summed; EUR and JPY are named as missing, not added', async () => {
    const body = await analytics('overview');
    expect(body).toMatchObject({ currency: 'USD', total_revenue: 10 }); // 4 + 6 USD
    expect(body.missing_rates).toEqual([
      { currency: 'EUR', from: '2026-06-01', to: '2026-06-02' },
      { currency: 'JPY', from: '2026-06-03', to: '2026-06-03' },
    ]);
  });

  it('attribution: spend in EUR and GBP is missing too, so those rows show no ROAS rather than a wrong one', async () => {
    const { body, rows } = await byCampaign();
    expect(body.currency).toBe('USD');
    expect(body.missing_rates.map((m: Json) => m.currency)).toEqual(['EUR', 'GBP', 'JPY']);
    expect(rows['meta/spring']).toMatchObject({ revenue: 0, cost: 0, roas: null });
    expect(rows['google/brand']).toMatchObject({ revenue: 4, cost: 30, roas: 0.133333 });
  });
});

describe('exchange rates', () => {
  it('refuses a bad import whole, naming every problem, and stores nothing', async () => {
    const res = await postRates([
      { date: '2026-02-30', currency: 'EURO', rate: 0 },
      { date: '2026-06-01', currency: 'USD', rate: 1 },
      { date: '2026-06-01', currency: 'EUR', rate: 1.25, source: 'ecb' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_fx_rates');
    expect(res.body.error.details.problems).toEqual([
      expect.objectContaining({ index: 0, field: 'date' }),
      expect.objectContaining({ index: 0, field: 'currency' }),
      expect.objectContaining({ index: 0, field: 'rate' }),
      expect.objectContaining({ index: 1, field: 'currency' }), // USD is the reporting currency itself
      expect.objectContaining({ index: 2, field: 'source' }),
    ]);
    const csv = await postRates('date,currency,rate\n2026-06-01,EUR,1.25\n2026-06-01,eur,1.3\n', 'text/csv');
    expect(csv.status).toBe(400);
    expect(csv.body.error.details.problems).toEqual([expect.objectContaining({ line: 3 })]);
    const list = await call(p.apiUrl, 'GET', `/api/apps/${app.id}/fx-rates`, { token });
    expect(list.body).toEqual({ reporting_currency: 'USD', rates: [] });
  });

  it('CSV import: answers the count, lists the rates into the reporting currency, audits', async () => {
    const res = await postRates('date,currency,rate\r\n2026-06-01,EUR,1.25\r\n2026-06-02,eur,1.5\r\n2026-06-03,GBP,2\r\n', 'text/csv');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ imported: 3, reporting_currency: 'USD' });
    const list = await call(p.apiUrl, 'GET', `/api/apps/${app.id}/fx-rates?currency=EUR`, { token });
    expect(list.body.rates).toEqual([
      { date: '2026-06-02', currency: 'EUR', to_currency: 'USD', rate: 1.5 },
      { date: '2026-06-01', currency: 'EUR', to_currency: 'USD', rate: 1.25 },
    ]);
    const [entry] = await listAudit(p.control, { action: 'fx_rates.import', limit: 1 });
    expect(entry).toMatchObject({ resource: `app:${app.id}`, success: true });
    expect(entry!.details).toMatchObject({ format: 'csv', rows: 3, first_day: '2026-06-01', last_day: '2026-06-03' });
  });

  it('overview: revenue converted with each day’s rate; JPY still without a rate is named and left out', async () => {
    const body = await analytics('overview');
    expect(body.total_revenue).toBe(52.5); // 10 EUR × 1.25 + 4 USD + 20 EUR × 1.5 + 6 USD
    expect(body.missing_rates).toEqual([{ currency: 'JPY', from: '2026-06-03', to: '2026-06-03' }]);
  });

  it('attribution: revenue, cost, ROAS and eCPI per campaign in USD; paid totals from the converted sums', async () => {
    const { body, rows } = await byCampaign();
    // 10 × 1.25 + 20 × 1.5; 100 EUR × 1.25; one install
    expect(rows['meta/spring']).toMatchObject({ revenue: 42.5, cost: 125, roas: 0.34, ecpi: 125, installs: 1 });
    expect(rows['google/brand']).toMatchObject({ revenue: 4, cost: 30, roas: 0.133333, ecpi: null });
    // 500 JPY has no rate; 8 GBP × 2
    expect(rows['meta/winback']).toMatchObject({ revenue: 0, cost: 16, roas: 0, ecpi: 16 });
    expect(rows['organic/']).toMatchObject({ revenue: 6, cost: 0 });
    expect(body.totals.paid).toMatchObject({ revenue: 46.5, cost: 171, roas: 0.27193, ecpi: 85.5, installs: 2 });
    expect(body.missing_rates).toEqual([{ currency: 'JPY', from: '2026-06-03', to: '2026-06-03' }]);
  });

  it('timeseries of revenue: per day in USD, with the currency and the missing days', async () => {
    const body = await analytics('timeseries', `${RANGE}&metric=revenue&interval=day`);
    expect(body).toMatchObject({ currency: 'USD', missing_rates: [{ currency: 'JPY', from: '2026-06-03', to: '2026-06-03' }] });
    expect(body.points.map((pt: Json) => pt.value)).toEqual([16.5, 30, 6]); // 12.5 + 4; 30; 6
    const installs = await analytics('timeseries', `${RANGE}&metric=installs&interval=day`);
    expect(installs).not.toHaveProperty('currency');
  });

  it('a deleted rate is missing again', async () => {
    const del = await call(p.apiUrl, 'DELETE', `/api/apps/${app.id}/fx-rates`, {
      token,
      body: { rows: [{ date: '2026-06-03', currency: 'GBP' }] },
    });
    expect(del.body).toEqual({ deleted: 1 });
    const { body, rows } = await byCampaign();
    expect(rows['meta/winback'].cost).toBe(0);
    expect(body.missing_rates.map((m: Json) => m.currency)).toEqual(['GBP', 'JPY']);
    await postRates([{ date: '2026-06-03', currency: 'GBP', rate: 2 }]);
  });

  it('another reporting currency converts with the rates into it, and names what has none', async () => {
    expect((await setReportingCurrency('EUR')).status).toBe(200);
    const before = await analytics('overview');
    expect(before).toMatchObject({ currency: 'EUR', total_revenue: 30 }); // 10 + 20 EUR as they are; the rates above are into USD
    expect(before.missing_rates).toEqual([
      { currency: 'JPY', from: '2026-06-03', to: '2026-06-03' },
      { currency: 'USD', from: '2026-06-01', to: '2026-06-01' },
      { currency: 'USD', from: '2026-06-03', to: '2026-06-03' },
    ]);
    // `to_currency` left out is now EUR
    expect((await postRates([{ date: '2026-06-01', currency: 'USD', rate: 0.5 }])).body).toEqual({
      imported: 1,
      reporting_currency: 'EUR',
    });
    expect((await analytics('overview')).total_revenue).toBe(32); // + 4 USD × 0.5
    expect((await setReportingCurrency('USD')).status).toBe(200);
  });
});

describe('re-engagements and re-attributions', () => {
  it('per media source and campaign in the attribution report, and in its totals', async () => {
    const { body, rows } = await byCampaign();
    // open-1 (stored twice) and open-2; the re-attribution ra, which is also one of the row's installs
    expect(rows['meta/winback']).toMatchObject({ reengagements: 2, reattributions: 1, installs: 1 });
    expect(rows['google/brand']).toMatchObject({ reengagements: 1, reattributions: 0 }); // open-3
    expect(rows['meta/spring']).toMatchObject({ reengagements: 0, reattributions: 0, installs: 1 }); // ib is a new install
    expect(body.totals.paid).toMatchObject({ reengagements: 3, reattributions: 1 });
    expect(body.totals.organic).toMatchObject({ reengagements: 0, reattributions: 0 });
    const bySource = await analytics('attribution');
    expect(bySource.rows.find((r: Json) => r.media_source === 'meta')).toMatchObject({ reengagements: 2, reattributions: 1 });
  });

  it('in the overview: open-4 (after the range) and the reinstall ic do not count', async () => {
    expect(await analytics('overview')).toMatchObject({ reengagements: 3, reattributions: 1, installs: 2, reinstalls: 1 });
    expect(await analytics('overview', 'from=2026-06-03&to=2026-06-06')).toMatchObject({ reengagements: 2, reattributions: 0 }); // open-2, open-4
  });
});
