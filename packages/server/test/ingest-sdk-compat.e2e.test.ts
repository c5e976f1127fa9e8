import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithChromium, launchChromium } from './support/chromium.ts';
import { eventually, overview, startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

// Ingest bodies exactly as real SDKs send them: JSON under
// any label, gzip by header or by PostHog's query flag, PostHog's form-encoded base64, and a
// browser SDK posting from another origin (preflight included). Each variant is a raw request.
let p: TestPlatform;
let app: TestApp;
let seq = 0;

beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.newApp('SDK compat');
});
afterAll(async () => {
  await p?.close();
});

const basic = () => `Basic ${Buffer.from(`${app.sdkKey}:`).toString('base64')}`;
const segmentBatch = () => ({
  batch: [
    {
      type: 'track',
      event: 'Order Completed',
      messageId: `seg-${process.pid}-${++seq}`,
      anonymousId: `anon-${seq}`,
      timestamp: new Date().toISOString(),
      context: { device: { type: 'android' }, os: { version: '14' } },
      properties: { revenue: 3 },
    },
  ],
  sentAt: new Date().toISOString(),
});
const posthogBatch = () => ({
  api_key: app.sdkKey,
  batch: [
    {
      event: '$pageview',
      uuid: `0190a000-0000-7000-8000-${String(++seq).padStart(12, '0')}`,
      distinct_id: `ph-${seq}`,
      timestamp: new Date().toISOString(),
      properties: { $os: 'Android', $lib: 'web' },
    },
  ],
});

async function send(path: string, body: Buffer | string, headers: Record<string, string>) {
  const res = await fetch(`${p.ingestUrl}${path}`, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

describe('ingest reads what SDKs send', () => {
  it('takes gzip JSON labelled application/x-www-form-urlencoded (a Segment-compatible mobile SDK)', async () => {
    const answer = await send('/v1/batch', gzipSync(JSON.stringify(segmentBatch())), {
      'content-type': 'application/x-www-form-urlencoded',
      'content-encoding': 'gzip',
      authorization: basic(),
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ accepted: 1, rejected: [] });
  });

  it('takes JSON labelled text/plain with the write key in the body (analytics.js), and JSON with no Content-Type', async () => {
    const textPlain = await send('/v1/batch', JSON.stringify({ ...segmentBatch(), writeKey: app.sdkKey }), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(textPlain).toMatchObject({ status: 202, body: { accepted: 1 } });
    const res = await fetch(`${p.ingestUrl}/v1/batch`, {
      method: 'POST',
      headers: { authorization: basic() },
      body: new Blob([JSON.stringify(segmentBatch())]),
    });
    expect(res.status).toBe(202);
  });

  it('takes posthog-js bodies: ?compression=gzip-js gzip bytes, and form-encoded data=<base64 JSON>', async () => {
    const gz = await send(`/e/?compression=gzip-js&ip=1&_=${Date.now()}&ver=1.160.0`, gzipSync(JSON.stringify(posthogBatch())), {
      'content-type': 'text/plain',
    });
    expect(gz).toMatchObject({ status: 202, body: { accepted: 1 } });
    const base64 = Buffer.from(JSON.stringify(posthogBatch())).toString('base64');
    const form = await send('/batch/', `data=${encodeURIComponent(base64)}&compression=base64`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form).toMatchObject({ status: 202, body: { accepted: 1 } });
  });

  it('answers 400 only for a body none of these decode', async () => {
    for (const [body, headers] of [
      ['data=%%%not-base64', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['hello world', { 'content-type': 'text/plain' }],
      [Buffer.from([0x1f, 0x8b, 0x00, 0x01]), { 'content-type': 'application/octet-stream' }],
    ] as const) {
      const answer = await send('/v1/batch', body as Buffer | string, { ...headers, authorization: basic() });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: expect.stringMatching(/^malformed_/) } });
    }
  });

  it('counts every accepted event', async () => {
    await eventually(async () => expect((await overview(p, app)).body.total_events).toBe(5), 10_000);
  });
});

describe('CORS on ingest routes only', () => {
  it('answers a preflight and the post from any origin, without credentials', async () => {
    const preflight = await fetch(`${p.ingestUrl}/v1/batch`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const posted = await send('/capture/', JSON.stringify(posthogBatch()), {
      origin: 'https://shop.example',
      'content-type': 'text/plain',
    });
    expect(posted.headers.get('access-control-allow-origin')).toBe('*');
    // Errors carry it too, or the SDK could not read them.
    const refused = await send('/v1/batch', JSON.stringify(segmentBatch()), { origin: 'https://shop.example' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('keeps the API listener and the click routes closed to other origins', async () => {
    const api = await fetch(`${p.apiUrl}/api/auth/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
    });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
    const clicks = await fetch(`${p.ingestUrl}/v1/clicks`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(clicks.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describeWithChromium('a browser SDK on another origin', () => {
  let browser: Browser;
  let site: Server;
  let siteUrl: string;

  beforeAll(async () => {
    // The app's own web site: a page that posts like posthog-js (sendBeacon, text/plain gzip) and
    // like analytics.js (fetch with JSON and Basic auth, which needs a preflight).
    site = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title><p>shop</p>');
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    site?.close();
  });

  it('sends events that are stored, and reads the answers (so it does not resend)', async () => {
    const before = (await overview(p, app)).body.total_events as number;
    const page = await browser.newPage();
    await page.goto(siteUrl);
    const result = await page.evaluate(
      async ({ ingest, key, auth }) => {
        const now = new Date().toISOString();
        const segment = await fetch(`${ingest}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body: JSON.stringify({
            batch: [{ type: 'page', name: 'Home', messageId: `br-${Date.now()}`, anonymousId: 'browser-1', timestamp: now }],
          }),
        });
        const segmentBody = await segment.json();
        const capture = await fetch(`${ingest}/e/?ver=1.160.0`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ api_key: key, event: '$pageview', uuid: crypto.randomUUID(), distinct_id: 'browser-2', timestamp: now }),
        });
        // No DOM types in this project's type-check: the page's navigator, typed for this one call.
        const { navigator } = globalThis as unknown as { navigator: { sendBeacon(url: string, data: Blob): boolean } };
        const beacon = navigator.sendBeacon(
          `${ingest}/batch/`,
          new Blob([JSON.stringify({ api_key: key, batch: [{ event: 'left', uuid: crypto.randomUUID(), distinct_id: 'browser-3' }] })], {
            type: 'text/plain',
          }),
        );
        return { segment: segment.status, segmentBody, capture: capture.status, beacon };
      },
      { ingest: p.ingestUrl, key: app.sdkKey, auth: basic() },
    );
    expect(result).toMatchObject({ segment: 202, segmentBody: { accepted: 1 }, capture: 202, beacon: true });
    await eventually(async () => expect((await overview(p, app)).body.total_events).toBe(before + 3), 10_000);
    await page.close();
  });
});
