import { gzipSync } from 'node:zlib';
import { rotateKeys } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, nativeEvent, overview, post, startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

let p: TestPlatform;
let app: TestApp;
const DAY = 86_400_000;

beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.newApp();
});
afterAll(() => p?.close());

const send = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  post(`${p.ingestUrl}${path}`, body, { 'x-api-key': app.sdkKey, ...headers });

describe('native ingest', () => {
  it('accepts one event with 202 and shows it in the overview', async () => {
    // nativeEvent's revenue is in EUR: the app reports in EUR, so it counts without a rate.
    const fresh = await p.newApp('fresh', { reporting_currency: 'EUR' });
    const e = nativeEvent({ revenue: 4.25, device: { id: 'solo', platform: 'android' } });
    const res = await post(`${p.ingestUrl}/v1/events`, e, { 'x-api-key': fresh.sdkKey });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    await eventually(async () => {
      const o = await overview(p, fresh);
      expect(o.body).toMatchObject({ total_events: 1, active_users: 1, total_revenue: 4.25, installs: 0, clicks: 0 });
    });
  });

  it('authenticates with Basic auth, X-Api-Key, and api_key in the body', async () => {
    const basic = `Basic ${Buffer.from(`${app.sdkKey}:`).toString('base64')}`;
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { authorization: basic })).status).toBe(202);
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': app.sdkKey })).status).toBe(202);
    expect((await post(`${p.ingestUrl}/v1/events`, { ...nativeEvent(), api_key: app.sdkKey })).status).toBe(202);
  });

  it('stores an event_id once however often it is retried, also inside one batch', async () => {
    const e = nativeEvent();
    expect((await send('/v1/events', e)).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await send('/v1/events', e)).body).toMatchObject({ accepted: 0, duplicates: 1 });
    const other = nativeEvent();
    const res = await send('/v1/events/batch', { events: [e, other, other] });
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 2, rejected: [] });
  });

  it('keeps the same event_id apart for two apps', async () => {
    const second = await p.newApp('second');
    const e = nativeEvent();
    expect((await send('/v1/events', e)).body.accepted).toBe(1);
    expect((await post(`${p.ingestUrl}/v1/events`, e, { 'x-api-key': second.sdkKey })).body.accepted).toBe(1);
  });

  it('accepts gzip bodies', async () => {
    const res = await send('/v1/events/batch', gzipSync(JSON.stringify({ events: [nativeEvent(), nativeEvent()] })), {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(2);
  });

  it('round-trips unicode and emoji in names and properties', async () => {
    const fresh = await p.newApp('unicode ✓ 應用');
    const e = nativeEvent({ name: 'покупка 🎉', properties: { note: '𝓤𝓷𝓲𝓬𝓸𝓭𝓮 \u0000 "quotes" \\ back' }, revenue: 1 });
    const res = await post(`${p.ingestUrl}/v1/events`, e, { 'x-api-key': fresh.sdkKey });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    await eventually(async () => expect((await overview(p, fresh)).body.total_events).toBe(1));
  });
});

describe('bad input (docs/api.md §1)', () => {
  it('malformed JSON → 400 malformed_json', async () => {
    const res = await send('/v1/events', '{"event_id": "x", "type": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
    expect(res.body.error.message).toMatch(/JSON/);
  });

  it('any content type is read as JSON; a form that holds no JSON is a 400 (ingest never answers 415)', async () => {
    const res = await send('/v1/events', 'event_id=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('body over 500 KB → 413, also when it only grows that big after gunzip', async () => {
    const big = JSON.stringify({ events: [{ ...nativeEvent(), properties: { pad: 'x'.repeat(520 * 1024) } }] });
    const res = await send('/v1/events/batch', big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('body_too_large');
    const bomb = await send('/v1/events/batch', gzipSync(big), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
  });

  it('event over 32 KB is rejected by itself; the valid rest of the batch is stored', async () => {
    const huge = nativeEvent({ properties: { pad: 'é'.repeat(17 * 1024) } }); // 34 KB in UTF-8, 17k characters
    const res = await send('/v1/events/batch', { events: [nativeEvent(), huge, nativeEvent()] });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([{ index: 1, error: expect.objectContaining({ code: 'event_too_large' }) }]);
  });

  it('missing required fields and wrong types are rejected per item with the field named', async () => {
    const { event_id: _, ...noId } = nativeEvent();
    const cases = [
      noId,
      nativeEvent({ type: 'bogus' }),
      nativeEvent({ timestamp: 12 }),
      nativeEvent({ device: { platform: 'ios' } }),
      nativeEvent({ revenue: 'ten' }),
      nativeEvent({ properties: 'not an object' }),
      nativeEvent({ type: 'event', name: undefined }),
    ];
    const res = await send('/v1/events/batch', { events: [nativeEvent(), ...cases] });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r: any) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const r of res.body.rejected) {
      expect(r.error.code).toMatch(/^(missing_field|invalid_type|invalid_value|unsupported_type|invalid_timestamp)$/);
      expect(r.error.message.length).toBeGreaterThan(10);
    }
    expect(res.body.rejected[0].error).toMatchObject({ code: 'missing_field', details: { field: 'event_id' } });
  });

  it('a single invalid event is answered 202 with its rejection (nothing accepted)', async () => {
    const res = await send('/v1/events', nativeEvent({ type: 'bogus' }));
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected).toHaveLength(1);
  });

  it('unknown key and missing key → 401; a revoked key → 401 at once', async () => {
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': 'sdk_nope' })).body.error.code).toBe('invalid_api_key');
    const missing = await post(`${p.ingestUrl}/v1/events`, nativeEvent());
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('missing_api_key');
    const victim = await p.newApp('rotated');
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': victim.sdkKey })).status).toBe(202);
    const fresh = await rotateKeys(p.control, victim.id);
    p.keys.forgetApp(victim.id);
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': victim.sdkKey })).status).toBe(401);
    expect((await post(`${p.ingestUrl}/v1/events`, nativeEvent(), { 'x-api-key': fresh!.sdk_key })).status).toBe(202);
  });

  it('timestamps far in the future or the past are rejected; skew is corrected with sent_at', async () => {
    const now = Date.now();
    const future = nativeEvent({ timestamp: new Date(now + 3 * DAY).toISOString() });
    const past = nativeEvent({ timestamp: new Date(now - 400 * DAY).toISOString() });
    // The device clock runs 3 days ahead, but sent_at says so: accepted and corrected.
    const skewed = nativeEvent({
      timestamp: new Date(now + 3 * DAY - 60_000).toISOString(),
      sent_at: new Date(now + 3 * DAY).toISOString(),
    });
    const res = await send('/v1/events/batch', { events: [future, past, skewed] });
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((r: any) => [r.index, r.error.code])).toEqual([
      [0, 'timestamp_out_of_range'],
      [1, 'timestamp_out_of_range'],
    ]);
  });

  it('1001 events → 400 batch_too_large; 1000 are accepted', async () => {
    const many = Array.from({ length: 1001 }, () => nativeEvent({ properties: {} }));
    const res = await send('/v1/events/batch', { events: many });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('batch_too_large');
    const ok = await send('/v1/events/batch', { events: many.slice(0, 1000) });
    expect(ok.status).toBe(202);
    expect(ok.body.accepted).toBe(1000);
  });

  it('a body that is not an object → 400, never 500', async () => {
    for (const body of ['[]', '"text"', 'null', '42', '{"events": "nope"}']) {
      const res = await send('/v1/events/batch', body);
      expect(res.status, body).toBe(400);
      expect(res.body.error.code, body).toMatch(/^[a-z_]+$/);
    }
  });

  it('unknown routes answer 404 in the error format', async () => {
    const res = await send('/v1/nope', {});
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('pull API', () => {
  it('answers only the app of the server key; an SDK key or another app gets refused', async () => {
    const other = await p.newApp('other');
    const res = await fetch(`${p.apiUrl}/api/analytics/${app.id}/overview`, { headers: { authorization: `Bearer ${other.serverKey}` } });
    expect(res.status).toBe(404);
    const sdk = await fetch(`${p.apiUrl}/api/analytics/${app.id}/overview`, { headers: { authorization: `Bearer ${app.sdkKey}` } });
    expect(sdk.status).toBe(401);
    const none = await fetch(`${p.apiUrl}/api/analytics/${app.id}/overview`);
    expect(none.status).toBe(401);
  });

  it('validates from/to and treats `to` as exclusive', async () => {
    const bad = await overview(p, app, '?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_time');
    const empty = await overview(p, app, '?from=2020-01-01&to=2020-01-02');
    expect(empty.body).toMatchObject({ total_events: 0, active_users: 0, total_revenue: 0 });
  });
});
