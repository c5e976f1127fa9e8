import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedSkanMessage } from '@unmogrowp/attribution';
import { addMember, putPartner, updateApp } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, seedUser } from './support/api-client.ts';
import { eventually, post, startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

/**
 * Apple's postback copies through the ingest listener, into the SKAN report of the API
 * (docs/skadnetwork.md). Signed with a generated key configured as SKAN_TEST_PUBLIC_KEY;
 * PGlite control store, chDB event store.
 */
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const APPLE_ID = '1477000001';
const SKAN = '/.well-known/skadnetwork/report-attribution/';
const AAK = '/.well-known/appattribution/report-attribution/';

let p: TestPlatform;
let app: TestApp;

/** Conversion-value meanings (revenue in the settings' currency) of the schema tests. */
const SCHEMA_WINDOWS = {
  '0': { fine: { '10': { revenue_min: 1, revenue_max: 3, events: ['purchase'] } }, coarse: { high: { revenue_min: 5 } } },
  '1': { coarse: { medium: { revenue_min: 2, revenue_max: 2 } } },
};

beforeAll(async () => {
  p = await startTestPlatform({
    SKAN_TEST_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    // The network that wants copies is a local HTTP server: loopback postbacks need allowing.
    POSTBACK_ALLOWED_CIDRS: '127.0.0.1/32',
  });
  app = await p.newApp('SKAN app');
  await updateApp(p.control, app.id, { settings: { apple_app_id: APPLE_ID } });
});
afterAll(() => p?.close());

function postback(tx: string, window: number, extra: Record<string, unknown> = {}) {
  const body: Record<string, unknown> = {
    version: '4.0',
    'ad-network-id': 'cstr6suwn9.skadnetwork',
    'source-identifier': '1234',
    'app-id': Number(APPLE_ID),
    'transaction-id': tx,
    redownload: false,
    'source-app-id': 99,
    'fidelity-type': 1,
    'did-win': true,
    'postback-sequence-index': window,
    ...extra,
  };
  const message = signedSkanMessage(body, '4.0') as string;
  body['attribution-signature'] = sign('sha256', Buffer.from(message), privateKey).toString('base64');
  return body;
}

const report = async () => {
  const res = await fetch(`${p.apiUrl}/api/analytics/${app.id}/skan`, { headers: { authorization: `Bearer ${app.serverKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as any;
};

describe('SKAN postbacks', () => {
  it('stores each (transaction, window) once, counts the three windows, null values and unverifiable ones apart', async () => {
    const put = await fetch(`${p.apiUrl}/api/apps/${app.id}/skan/settings`, {
      method: 'GET',
      headers: { authorization: `Bearer ${app.serverKey}` },
    });
    expect(put.status).toBe(401); // settings are for managers, not the pull API key
    // window 0: two installs (one fine 10, one null), a re-download with coarse high; window 1 and 2 coarse.
    const sent = [
      postback('t1', 0, { 'conversion-value': 10 }),
      postback('t2', 0),
      postback('t3', 0, { redownload: true, 'coarse-conversion-value': 'high' }),
      postback('t1', 1, { 'coarse-conversion-value': 'medium' }),
      postback('t1', 2, { 'coarse-conversion-value': 'low' }),
    ];
    for (const body of sent) expect((await post(`${p.ingestUrl}${SKAN}`, body)).body).toEqual({ stored: true, duplicate: false });
    // Apple retries: the same postback again is answered 200 and not counted twice.
    const replay = await post(`${p.ingestUrl}${SKAN}`, sent[0]);
    expect(replay).toMatchObject({ status: 200, body: { stored: false, duplicate: true } });
    // a forged copy (changed did-win) with a real transaction id neither counts nor blocks anything
    const forged = await post(`${p.ingestUrl}${AAK}`, { ...postback('t9', 0), 'did-win': false });
    expect(forged).toMatchObject({ status: 200, body: { stored: false, reason: 'bad_signature' } });
    const unknown = await post(`${p.ingestUrl}${SKAN}`, { ...postback('t8', 0), 'app-id': 42 });
    expect(unknown).toMatchObject({ status: 200, body: { stored: false, reason: 'unknown_app' } });

    const r = await report();
    expect(r.totals).toEqual({ postbacks: 5, installs: 2, redownloads: 1, null_values: 1, estimated_revenue: 0 });
    const byWindow = (w: number) => r.rows.filter((row: any) => row.window === w);
    expect(byWindow(0)).toEqual([
      expect.objectContaining({
        media_source: 'google',
        campaign: '1234',
        installs: 2,
        redownloads: 1,
        fine: 1,
        coarse_only: 1,
        null_values: 1,
      }),
    ]);
    expect(byWindow(1)).toEqual([expect.objectContaining({ installs: 0, postbacks: 1, coarse_only: 1 })]);
    expect(byWindow(2)).toEqual([expect.objectContaining({ installs: 0, postbacks: 1, coarse_only: 1 })]);
    expect(r.distribution[0]).toEqual({ window: 0, fine: { '10': 1 }, coarse: { low: 0, medium: 0, high: 1 }, none: 1 });
    expect(r.unverified).toEqual({ bad_signature: 1 });
  });

  it('gives the values meaning from the schema and the network/campaign mapping the manager saves', async () => {
    const manager = await seedUser(p.control, `m-${Date.now()}@example.com`);
    await addMember(p.control, app.id, manager.id, 'manager');
    const token = await accessTokenFor(p.control, p.signing, manager.id);
    const settings = {
      currency: 'USD',
      windows: SCHEMA_WINDOWS,
      networks: { 'cstr6suwn9.skadnetwork': 'google_ads' },
      campaigns: { google_ads: { '1234': 'Summer' } },
    };
    const saved = await fetch(`${p.apiUrl}/api/apps/${app.id}/skan/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    expect(saved.status).toBe(200);
    const bad = await fetch(`${p.apiUrl}/api/apps/${app.id}/skan/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ windows: { '1': { fine: { '3': {} } } } }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error).toMatchObject({ code: 'invalid_skan_settings', details: { field: 'windows.1.fine' } });
    const r = await report();
    const w0 = r.rows.find((row: any) => row.window === 0);
    expect(w0).toMatchObject({ media_source: 'google_ads', campaign: 'Summer', estimated_revenue: 7 }); // 2 (fine 10) + 5 (coarse high)
    expect(r.totals.estimated_revenue).toBe(9); // + 2 in window 1
  });

  it('divides estimated revenue by spend converted into the schema currency (ROAS like by like)', async () => {
    // The previous test's postbacks for google_ads / Summer: 9 of estimated revenue over the windows.
    const manager = await seedUser(p.control, `m-${Date.now()}@example.com`);
    await addMember(p.control, app.id, manager.id, 'manager');
    const token = await accessTokenFor(p.control, p.signing, manager.id);
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${p.apiUrl}/api/apps/${app.id}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const settings = {
      currency: 'EUR',
      windows: SCHEMA_WINDOWS,
      networks: { 'cstr6suwn9.skadnetwork': 'google_ads' },
      campaigns: { google_ads: { '1234': 'Summer' } },
    };
    expect((await send('PUT', '/skan/settings', settings)).status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await send('POST', '/costs', [{ date: today, media_source: 'google_ads', campaign: 'Summer', cost: 14, currency: 'USD' }])).status,
    ).toBe(200);
    expect((await send('POST', '/fx-rates', [{ date: today, currency: 'USD', to_currency: 'EUR', rate: 0.5 }])).status).toBe(200);
    const r = await report();
    expect(r.currency).toBe('EUR');
    // 14 USD × 0.5 = 7 EUR (not 14 "EUR"); ROAS 9 / 7, to 2 decimals
    const w0 = r.rows.find((row: { window: number }) => row.window === 0);
    expect(w0).toMatchObject({ media_source: 'google_ads', campaign: 'Summer', cost: 7, roas: 1.29 });
  });

  it("forwards a copy to the network's partner when it asks for skan_postback, once", async () => {
    const received: { url: string; body: unknown }[] = [];
    const network = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body: JSON.parse(text) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => network.listen(0, '127.0.0.1', r));
    try {
      const port = (network.address() as AddressInfo).port;
      // the previous test mapped this network id to google_ads and source id 1234 to "Summer"
      await putPartner(p.control, app.id, 'google_ads', {
        url: `http://127.0.0.1:${port}/skan?tx={install_id}&w={event_id}&c={campaign}`,
        events: ['skan_postback'],
      });
      const body = postback('t20', 0, { 'conversion-value': 5 });
      await post(`${p.ingestUrl}${SKAN}`, body);
      await post(`${p.ingestUrl}${SKAN}`, body); // a replay is not forwarded again
      await eventually(async () => expect(received).toHaveLength(1), 10_000);
      expect(received[0]).toEqual({ url: '/skan?tx=t20&w=0&c=Summer', body });
      await new Promise((r) => setTimeout(r, 300));
      expect(received).toHaveLength(1);
    } finally {
      network.close();
    }
  });

  it('answers bad input with a clear 400 or 413, never 500', async () => {
    const cases: [unknown, number][] = [
      ['{"version": "4.0", "app-id"', 400],
      ['[1,2]', 400],
      [JSON.stringify({ ...postback('x', 0), 'app-id': 'abc' }), 400],
      [JSON.stringify({ ...postback('x', 0), 'postback-sequence-index': 'zero' }), 400],
      [JSON.stringify({ version: '4.0', pad: 'x'.repeat(64 * 1024) }), 413],
    ];
    for (const [body, status] of cases) {
      const res = await post(`${p.ingestUrl}${SKAN}`, body as string);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toEqual(expect.any(String));
    }
  });
});
