import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiAnswer, accessTokenFor, call, seedUser } from './support/api-client.ts';
import {
  type LtvDays,
  loadLtvCohorts,
  loadLtvInEuros,
  ltvCosts,
  ltvDays,
  ltvEuroCosts,
  ltvEuroRates,
  todayUtc,
} from './support/ltv-fixture.ts';
import { startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
type Json = any;

/**
 * `GET /api/analytics/:app_id/ltv` through HTTP on support/ltv-fixture.ts (cohorts dated from
 * today, so the server's own clock decides which days have ended), with costs imported through
 * the API. Every number is computed by hand from the fixture's rows.
 */
let p: TestPlatform;
let app: TestApp;
let days: LtvDays;
let token: string;

/** `length` cells: each given day's value holds until the next given day; from `ended` on, null. */
function cells(length: number, from: Record<number, number>, ended = length): (number | null)[] {
  let value: number | null = null;
  return Array.from({ length }, (_, n) => {
    value = from[n] ?? value;
    return n < ended ? value : null;
  });
}

async function get(query: string): Promise<ApiAnswer> {
  return call(p.apiUrl, 'GET', `/api/analytics/${app.id}/ltv?${query}`, { token: app.serverKey });
}

async function ok(query: string): Promise<Json> {
  const res = await get(query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  days = ltvDays(await todayUtc());
  p = await startTestPlatform();
  app = await p.newApp('Cohorts');
  await loadLtvCohorts(p.events, app.id, days);
  const admin = await seedUser(p.control, 'admin@example.com');
  token = await accessTokenFor(p.control, p.signing, admin.id);
  const res = await call(p.apiUrl, 'POST', `/api/apps/${app.id}/costs`, { token, body: ltvCosts(days) });
  expect(res.body).toEqual({ imported: 3 });
});
afterAll(() => p?.close());

describe('cohort LTV', () => {
  it('by campaign: revenue per install to the end of day N, null for days that have not ended', async () => {
    const body = await ok(`${days.query}&group_by=campaign`);
    expect(body.group_by).toEqual(['media_source', 'campaign']);
    expect(body.days).toBe(90);
    // the app's reporting currency is the default, USD, and every amount is in it
    expect([body.currency, body.missing_rates]).toEqual(['USD', []]);
    const a = new Date(days.a).toISOString().slice(0, 10);
    const b = new Date(days.b).toISOString().slice(0, 10);
    expect(body.cohorts).toEqual([
      // A is 40 days old: days 0…39 have ended, day 40 is today. da1 2 (d0) 6 (d7) 10 (d30), da2 4 (d1), over 2
      { cohort: a, media_source: 'google', campaign: 'brand', installs: 1, ltv: cells(91, { 0: 0, 8: 9 }, 40) }, // da3 9 (d8)
      { cohort: a, media_source: 'meta', campaign: 'spring', installs: 2, ltv: cells(91, { 0: 1, 1: 3, 7: 6, 30: 11 }, 40) },
      { cohort: a, media_source: 'organic', campaign: '', installs: 1, ltv: cells(91, { 0: 1 }, 40) }, // do1 1 (d0)
      // B is 3 days old: days 0…2 have ended. db1 3 (d0), 100 (d1)
      { cohort: b, media_source: 'meta', campaign: 'spring', installs: 1, ltv: cells(91, { 0: 3, 1: 103 }, 3) },
    ]);
  });

  it('ROAS D7 and D30 per campaign over the days that reached them; null without cost', async () => {
    const body = await ok(`${days.query}&group_by=campaign&days=7`);
    expect(body.groups).toEqual([
      // no spend imported: ROAS undefined (null), not 0
      {
        media_source: 'google',
        campaign: 'brand',
        installs: 1,
        cost: 0,
        ltv: cells(8, { 0: 0 }),
        revenue_d7: 0,
        cost_d7: 0,
        roas_d7: null,
        revenue_d30: 9,
        cost_d30: 0,
        roas_d30: null,
      },
      // D7: only A has reached day 7 (B is 3 days old): A's 12 over A's 10; B's 50 waits. D30: A's 22 over 10
      {
        media_source: 'meta',
        campaign: 'spring',
        installs: 3,
        cost: 60,
        // d0 (2 + 3) / 3, d1 (6 + 103) / 3 while B counts (days 0…2), then A alone: 6 / 2, 12 / 2
        ltv: [1.666667, 36.333333, 36.333333, 3, 3, 3, 3, 6],
        revenue_d7: 12,
        cost_d7: 10,
        roas_d7: 1.2,
        revenue_d30: 22,
        cost_d30: 10,
        roas_d30: 2.2,
      },
      // spend without installs: ROAS 0, and no LTV to show
      {
        media_source: 'meta',
        campaign: 'summer',
        installs: 0,
        cost: 5,
        ltv: cells(8, {}),
        revenue_d7: 0,
        cost_d7: 5,
        roas_d7: 0,
        revenue_d30: 0,
        cost_d30: 5,
        roas_d30: 0,
      },
      {
        media_source: 'organic',
        campaign: '',
        installs: 1,
        cost: 0,
        ltv: cells(8, { 0: 1 }),
        revenue_d7: 1,
        cost_d7: 0,
        roas_d7: null,
        revenue_d30: 1,
        cost_d30: 0,
        roas_d30: null,
      },
    ]);
    expect(body.cohorts.every((c: Json) => c.ltv.length === 8)).toBe(true);
  });

  it('by media source (the default); the range is echoed', async () => {
    const body = await ok(days.query);
    expect(body.group_by).toEqual(['media_source']);
    expect(body.cohorts.map((c: Json) => [c.media_source, c.installs, c.campaign])).toEqual([
      ['google', 1, undefined],
      ['meta', 2, undefined],
      ['organic', 1, undefined],
      ['meta', 1, undefined],
    ]);
    const meta = body.groups.find((g: Json) => g.media_source === 'meta');
    // spring and summer together: D7 12 over 10 + 5
    expect(meta).toMatchObject({ installs: 3, cost: 65, revenue_d7: 12, cost_d7: 15, roas_d7: 0.8, roas_d30: 1.466667 });
    expect(body.from).toBe(new Date(days.a).toISOString());
  });

  it('refuses a day past 90, an unknown grouping and unknown parameters, naming them', async () => {
    const tooFar = await get(`${days.query}&days=91`);
    expect([tooFar.status, tooFar.body.error.code, tooFar.body.error.details.field]).toEqual([400, 'invalid_days', 'days']);
    expect((await get(`${days.query}&days=7.5`)).body.error.code).toBe('invalid_days');
    const bad = await get(`${days.query}&group_by=ad_set`);
    expect([bad.status, bad.body.error.code, bad.body.error.details.value]).toEqual([400, 'invalid_group_by', 'ad_set']);
    expect((await get(`${days.query}&cohort=week`)).status).toBe(400);
  });
});

describe('cohort LTV in the reporting currency', () => {
  it("converts each amount with its own day's rate into EUR and names what has no rate", async () => {
    const euros = await p.newApp('Cohorts in EUR', { reporting_currency: 'EUR' });
    await loadLtvInEuros(p.events, euros.id, days);
    const costs = await call(p.apiUrl, 'POST', `/api/apps/${euros.id}/costs`, { token, body: ltvEuroCosts(days) });
    expect(costs.body).toEqual({ imported: 1 });
    const rates = await call(p.apiUrl, 'POST', `/api/apps/${euros.id}/fx-rates`, { token, body: ltvEuroRates(days) });
    expect(rates.body).toEqual({ imported: 2, reporting_currency: 'EUR' });

    const res = await call(p.apiUrl, 'GET', `/api/analytics/${euros.id}/ltv?${days.query}&days=3`, { token: euros.serverKey });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const a = (plus: number) => new Date(days.a + plus * 86_400_000).toISOString().slice(0, 10);
    expect(res.body.currency).toBe('EUR');
    // support/ltv-fixture.ts loadLtvInEuros: 10 EUR (d0), 4 GBP × 1.25 (d1); the 3 USD of d2 has no rate
    expect(res.body.cohorts).toEqual([{ cohort: a(0), media_source: 'meta', installs: 1, ltv: [10, 15, 15, 15] }]);
    // 20 GBP × 1.1 of spend; 15 / 22
    expect(res.body.groups).toEqual([
      {
        media_source: 'meta',
        installs: 1,
        cost: 22,
        ltv: [10, 15, 15, 15],
        revenue_d7: 15,
        cost_d7: 22,
        roas_d7: 0.681818,
        revenue_d30: 15,
        cost_d30: 22,
        roas_d30: 0.681818,
      },
    ]);
    expect(res.body.missing_rates).toEqual([{ currency: 'USD', from: a(2), to: a(2) }]);
  });
});
