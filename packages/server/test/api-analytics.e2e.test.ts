import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, loadNeighbour } from './support/analytics-fixture.ts';
import { type ApiAnswer, accessTokenFor, call, seedUser } from './support/api-client.ts';
import { startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
type Json = any;

/**
 * The analytics routes through HTTP, on the hand-computed fixture of support/analytics-fixture.ts,
 * read with the app's server key (the pull API; members are covered by the authorization
 * matrix). Each expected number names the fixture rows it sums.
 */
let p: TestPlatform;
let app: TestApp;
const RANGE = 'from=2026-06-01&to=2026-06-05';

const COSTS = [
  { date: '2026-06-01', media_source: 'meta', campaign: 'spring', cost: 100, currency: 'USD' },
  { date: '2026-06-02', media_source: 'meta', campaign: 'spring', cost: 50, currency: 'USD' },
  { date: '2026-06-01', media_source: 'google', campaign: 'brand', cost: 40, currency: 'USD' },
  { date: '2026-06-02', media_source: 'meta', campaign: 'summer', cost: 30, currency: 'USD' },
  { date: '2026-06-05', media_source: 'google', campaign: 'brand', cost: 999, currency: 'USD' },
];

async function get(route: string, query = RANGE): Promise<ApiAnswer> {
  return call(p.apiUrl, 'GET', `/api/analytics/${app.id}/${route}?${query}`, { token: app.serverKey });
}

async function ok(route: string, query = RANGE) {
  const res = await get(route, query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.newApp('Fixture app');
  const neighbour = await p.newApp('Neighbour');
  await loadFixture(p.events, app.id);
  await loadNeighbour(p.events, neighbour.id);
  const admin = await seedUser(p.control, 'admin@example.com');
  const token = await accessTokenFor(p.control, p.signing, admin.id);
  // Imported twice: the second import replaces the first, so every total below counts it once.
  for (let i = 0; i < 2; i++) {
    const res = await call(p.apiUrl, 'POST', `/api/apps/${app.id}/costs`, { token, body: COSTS });
    expect(res.body).toEqual({ imported: 5 });
  }
});
afterAll(() => p?.close());

describe('overview', () => {
  it('counts the range only, `to` exclusive', async () => {
    const body = await ok('overview');
    expect(body).toEqual({
      total_events: 8, // every event of 06-01…06-04: d5 buy, d1 open, d2 buy, d3 buy, d6 open, d1 buy, d4 buy, d1 open
      active_users: 6, // d1 d2 d3 d4 d5 d6
      total_revenue: expect.closeTo(39.74, 6), // 1.25 + 5 + 20 + 9.99 + 3.5
      installs: 6, // i1 i2 i3 i4 i5 i6
      organic_installs: 2, // i5 i6
      non_organic_installs: 4,
      rejected_installs: 2, // i7 i8
      reinstalls: 1, // i9
      clicks: 11, // 4 spring + 2 summer + 5 brand
      impressions: 4,
      reengagements: 0,
      reattributions: 0,
      currency: 'USD', // the app's reporting currency (not set: USD); every amount of the fixture is in USD
      missing_rates: [],
      from: '2026-06-01T00:00:00.000Z',
      to: '2026-06-05T00:00:00.000Z',
    });
  });

  it('splits days at UTC midnight: the last ms of 06-01 is in, the first of 06-02 is out', async () => {
    const body = await ok('overview', 'from=2026-06-01&to=2026-06-02');
    expect(body).toMatchObject({ installs: 3, organic_installs: 1, clicks: 7, impressions: 3, rejected_installs: 1 }); // i1 i2 i5; i7
  });

  it('answers zeros for an empty range', async () => {
    const body = await ok('overview', 'from=2026-06-03&to=2026-06-03');
    expect(body).toMatchObject({ total_events: 0, active_users: 0, total_revenue: 0, installs: 0, clicks: 0 });
  });
});

describe('attribution', () => {
  it('by media source: installs, clicks, conversion rate, revenue, cost, ROAS, eCPI', async () => {
    const body = await ok('attribution');
    expect(body.group_by).toEqual(['media_source']);
    expect(body.rows).toEqual([
      // google: i4; clicks 5; revenue d4 3.5; cost 40 (06-05's 999 is outside)
      {
        media_source: 'google',
        clicks: 5,
        impressions: 1,
        installs: 1,
        conversion_rate: 0.2,
        revenue: 3.5,
        cost: 40,
        roas: 0.0875,
        ecpi: 40,
        reengagements: 0,
        reattributions: 0,
      },
      // meta: i1 i2 i3; clicks 4 + 2; revenue 5 + 20 + 9.99; cost 100 + 50 + 30
      {
        media_source: 'meta',
        clicks: 6,
        impressions: 3,
        installs: 3,
        conversion_rate: 0.5,
        revenue: expect.closeTo(34.99, 6),
        cost: 180,
        roas: 0.194389,
        ecpi: 60,
        reengagements: 0,
        reattributions: 0,
      },
      // no clicks, no cost: conversion rate and ROAS are undefined (null); 0 spent on 2 installs is eCPI 0
      {
        media_source: 'organic',
        clicks: 0,
        impressions: 0,
        installs: 2,
        conversion_rate: null,
        revenue: 1.25,
        cost: 0,
        roas: null,
        ecpi: 0,
        reengagements: 0,
        reattributions: 0,
      },
    ]);
  });

  it('totals: paid ratios leave organic installs and revenue out; blended is apart', async () => {
    const body = await ok('attribution');
    expect(body.totals.paid).toEqual({
      clicks: 11, // 5 google + 6 meta
      impressions: 4,
      installs: 4, // i1 i2 i3 i4; the organic i5 i6 are not bought
      conversion_rate: 0.363636, // 4 / 11
      revenue: 38.49, // 3.5 + 34.99
      cost: 220, // 40 + 180
      roas: 0.174955, // 38.49 / 220
      ecpi: 55, // 220 / 4
      reengagements: 0,
      reattributions: 0,
    });
    expect(body.totals.organic).toEqual({
      clicks: 0,
      impressions: 0,
      installs: 2,
      conversion_rate: null,
      revenue: 1.25,
      cost: 0,
      roas: null,
      ecpi: 0,
      reengagements: 0,
      reattributions: 0,
    });
    // blended: 220 / 6 installs and 39.74 / 220 — labelled as such wherever shown
    expect(body.totals.blended).toMatchObject({ installs: 6, revenue: 39.74, cost: 220, ecpi: 36.666667, roas: 0.180636 });
  });

  it('a campaign that spent and won nothing has no eCPI (null), not eCPI 0', async () => {
    const body = await ok('attribution', 'from=2026-06-01&to=2026-06-02&group_by=campaign');
    const brand = body.rows.find((r: Json) => r.campaign === 'brand');
    expect(brand).toMatchObject({ installs: 0, cost: 40, ecpi: null, roas: 0 });
    const none = await ok('attribution', 'from=2026-06-03&to=2026-06-04');
    expect(none.totals.paid).toMatchObject({ clicks: 0, installs: 0, conversion_rate: null, roas: null, ecpi: null });
  });

  it('by media source and campaign', async () => {
    const body = await ok('attribution', `${RANGE}&group_by=media_source,campaign`);
    const row = (source: string, campaign: string) => body.rows.find((r: Json) => r.media_source === source && r.campaign === campaign);
    expect(body.rows).toHaveLength(4);
    expect(row('meta', 'spring')).toMatchObject({ clicks: 4, installs: 2, conversion_rate: 0.5, cost: 150, roas: 0.099933, ecpi: 75 });
    expect(row('meta', 'summer')).toMatchObject({ clicks: 2, installs: 1, revenue: 20, cost: 30, roas: 0.666667, ecpi: 30 });
    expect(row('google', 'brand')).toMatchObject({ clicks: 5, installs: 1, cost: 40 });
    expect(row('organic', '')).toMatchObject({ installs: 2, revenue: 1.25 });
  });

  it('one UTC day: costs of that day only', async () => {
    const body = await ok('attribution', 'from=2026-06-01&to=2026-06-02&group_by=campaign');
    expect(body.rows.map((r: Json) => [r.media_source, r.campaign, r.installs, r.cost])).toEqual([
      ['google', 'brand', 0, 40],
      ['meta', 'spring', 2, 100],
      ['organic', '', 1, 0],
    ]);
  });

  it('refuses an unknown group_by, naming it', async () => {
    const res = await get('attribution', `${RANGE}&group_by=media_source,country`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_group_by', details: { field: 'group_by', value: 'country' } });
    expect(res.body.error.message).toContain('country');
  });
});

describe('timeseries', () => {
  it('one point per UTC day, empty days as 0', async () => {
    const values = async (metric: string) => (await ok('timeseries', `${RANGE}&metric=${metric}&interval=day`)).points;
    expect(await values('installs')).toEqual([
      { t: '2026-06-01T00:00:00.000Z', value: 3 }, // i1 i2 i5
      { t: '2026-06-02T00:00:00.000Z', value: 3 }, // i3 i4 i6
      { t: '2026-06-03T00:00:00.000Z', value: 0 },
      { t: '2026-06-04T00:00:00.000Z', value: 0 }, // i9 is a reinstall
    ]);
    expect((await values('events')).map((pt: Json) => pt.value)).toEqual([2, 5, 0, 1]);
    expect((await values('active_users')).map((pt: Json) => pt.value)).toEqual([2, 5, 0, 1]);
    const revenue = (await values('revenue')).map((pt: Json) => pt.value);
    expect(revenue[0]).toBe(1.25);
    expect(revenue[1]).toBeCloseTo(38.49, 6); // 5 + 20 + 9.99 + 3.5
    expect(revenue.slice(2)).toEqual([0, 0]);
  });

  it('hours around midnight, and a range starting mid-bucket', async () => {
    const hours = await ok('timeseries', 'from=2026-06-01T23:00:00Z&to=2026-06-02T02:00:00Z&metric=installs&interval=hour');
    expect(hours.points.map((pt: Json) => pt.value)).toEqual([1, 1, 0]); // i2 at 23:59:59.999, i3 at 00:00
    const partial = await ok('timeseries', 'from=2026-06-01T12:00:00Z&to=2026-06-03&metric=installs');
    expect(partial.interval).toBe('day');
    expect(partial.points).toEqual([
      { t: '2026-06-01T00:00:00.000Z', value: 1 }, // i2 only: i1 and i5 are before 12:00
      { t: '2026-06-02T00:00:00.000Z', value: 3 },
    ]);
  });

  it('refuses an unknown metric or interval, and an oversized hour series', async () => {
    expect((await get('timeseries', `${RANGE}&metric=sessions`)).body.error).toMatchObject({ code: 'invalid_metric' });
    expect((await get('timeseries', `${RANGE}&metric=events&interval=week`)).body.error).toMatchObject({ code: 'invalid_interval' });
    expect((await get('timeseries', RANGE)).body.error).toMatchObject({ code: 'missing_parameter' });
    const big = await get('timeseries', 'from=2020-01-01&to=2026-01-01&metric=events&interval=hour');
    expect([big.status, big.body.error.code]).toEqual([400, 'range_too_large']);
  });
});

/** 31 day-N counts, 0 but where given */
const days = (counts: Record<number, number>) => Array.from({ length: 31 }, (_, n) => counts[n] ?? 0);

describe('retention', () => {
  it('install-day cohorts with day-N activity', async () => {
    const body = await ok('retention');
    expect(body.cohorts.map((c: Json) => [c.cohort, c.installs, c.days.length])).toEqual([
      ['2026-06-01', 3, 31], // i1 i2 i5 (d1 d2 d5)
      ['2026-06-02', 3, 31], // i3 i4 i6 (d3 d4 d6)
    ]);
    const [first, second] = body.cohorts;
    // 06-01: day 0 d1 d5 · day 1 d1 d2 · day 3 d1 · day 7 d2
    expect(first.days).toEqual(days({ 0: 2, 1: 2, 3: 1, 7: 1 }));
    expect(first.rates[0]).toBe(0.666667);
    // 06-02: day 0 d3 d4 d6 · day 3 d4 (its purchase at 06-05 00:00, after `to`: activity is read 30 days on)
    expect(second.days).toEqual(days({ 0: 3, 3: 1 }));
    expect(second.rates[0]).toBe(1);
  });

  it('by media source', async () => {
    const body = await ok('retention', `${RANGE}&group_by=media_source`);
    expect(body.cohorts.map((c: Json) => [c.cohort, c.media_source, c.installs, c.days[0]])).toEqual([
      ['2026-06-01', 'meta', 2, 1],
      ['2026-06-01', 'organic', 1, 1],
      ['2026-06-02', 'google', 1, 1],
      ['2026-06-02', 'meta', 1, 1],
      ['2026-06-02', 'organic', 1, 1],
    ]);
    expect((await get('retention', `${RANGE}&group_by=campaign`)).status).toBe(400);
  });
});

describe('fraud', () => {
  it('rejected installs and clicks by reason and source', async () => {
    const body = await ok('fraud');
    expect(body).toMatchObject({
      rejected_installs: 2,
      rejected_clicks: 2,
      rejected_impressions: 0,
      installs: [
        { reason: 'click_injection', count: 1 },
        { reason: 'ctit_too_short', count: 1 },
      ],
      clicks: [{ reason: 'click_flood', count: 2 }],
      impressions: [],
      by_media_source: [
        { media_source: 'google', reason: 'ctit_too_short', installs: 1, clicks: 0, impressions: 0 },
        { media_source: 'meta', reason: 'click_flood', installs: 0, clicks: 2, impressions: 0 },
        { media_source: 'meta', reason: 'click_injection', installs: 1, clicks: 0, impressions: 0 },
      ],
    });
  });
});

describe('query checks', () => {
  it('refuses unknown parameters, bad times and reversed ranges', async () => {
    expect((await get('overview', `${RANGE}&foo=1`)).status).toBe(400);
    expect((await get('overview', 'from=yesterday')).body.error.code).toBe('invalid_time');
    expect((await get('overview', 'from=2026-06-05&to=2026-06-01')).body.error.code).toBe('invalid_range');
    expect((await get('overview', 'from=1900-01-01')).body.error.code).toBe('invalid_time');
  });
});

/** One GET with the bytes as they came over the wire (fetch would inflate them). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: Record<string, unknown>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compression', () => {
  const hourly = () => `${p.apiUrl}/api/analytics/${app.id}/timeseries?${RANGE}&metric=events&interval=hour`;
  const auth = () => ({ authorization: `Bearer ${app.serverKey}` });

  it('compresses a large JSON answer for a client accepting br or gzip, and not otherwise', async () => {
    const plain = await rawGet(hourly(), auth());
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(1024);
    const expected = JSON.parse(plain.bytes.toString());
    expect(expected.points).toHaveLength(96);

    const br = await rawGet(hourly(), { ...auth(), 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary)).toContain('accept-encoding');
    expect(br.headers['content-type']).toMatch(/^application\/json/);
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 4);
    expect(JSON.parse(brotliDecompressSync(br.bytes).toString())).toEqual(expected);

    const gz = await rawGet(hourly(), { ...auth(), 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.bytes).toString())).toEqual(expected);
  });

  it('sends a small answer as it is, and the ingest listener never compresses', async () => {
    const small = await rawGet(`${p.apiUrl}/api/analytics/${app.id}/overview?${RANGE}`, { ...auth(), 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.bytes.toString())).toMatchObject({ installs: 6 });
    const health = await rawGet(`${p.ingestUrl}/health`, { 'accept-encoding': 'br, gzip' });
    expect(health.headers['content-encoding']).toBeUndefined();
  });
});
