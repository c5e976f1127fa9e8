import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Analytics } from '@segment/analytics-node';
import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBodyKey, type NormalizeResult, normalizePosthog, normalizeSegment } from '../src/index.ts';
import { context } from './helpers.ts';

/** What the real client libraries put on the wire, captured by a local HTTP server. */
interface Captured {
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  received_at: number;
}

const captured: Captured[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const sent = Buffer.concat(chunks);
    const raw = req.headers['content-encoding'] === 'gzip' ? gunzipSync(sent) : sent;
    captured.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(raw.toString('utf8')), received_at: Date.now() });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":1}');
  });
});

let host = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function requestTo(path: string): Captured {
  const found = captured.find((c) => c.url === path);
  if (!found) throw new Error(`no request to ${path}; saw ${captured.map((c) => c.url).join(', ')}`);
  return found;
}

function normalizedAround(result: NormalizeResult, receivedAt: number) {
  for (const { item } of result.items) {
    expect(item.received_at).toBe(receivedAt);
    expect(Math.abs(item.timestamp - receivedAt)).toBeLessThan(5_000);
  }
  return result.items.map(({ index, item }) => ({
    index,
    kind: item.kind,
    name: item.kind === 'event' ? `${item.type}:${item.name}` : item.action,
    device_id: item.device_id,
    user_id: item.user_id,
  }));
}

describe('@segment/analytics-node payloads', () => {
  beforeAll(async () => {
    const analytics = new Analytics({ writeKey: 'seg_write_key', host, flushAt: 50, maxRetries: 0 });
    analytics.track({ anonymousId: 'anon-1', event: 'Order Completed', properties: { revenue: 9.99, currency: 'eur' } });
    analytics.track({ anonymousId: 'anon-1', event: 'Application Installed', properties: { version: '1.0' } });
    analytics.screen({ userId: 'user-1', name: 'Home' });
    analytics.page({ anonymousId: 'anon-1', name: 'Pricing', category: 'Docs' });
    analytics.identify({ userId: 'user-1', traits: { email: 'ann@example.com' } });
    analytics.alias({ userId: 'user-1', previousId: 'anon-1' });
    analytics.group({ userId: 'user-1', groupId: 'acme', traits: { plan: 'pro' } });
    await analytics.closeAndFlush({ timeout: 5_000 });
  });

  it('posts one /v1/batch with Basic auth whose user is the write key', () => {
    const request = requestTo('/v1/batch');
    const basic = Buffer.from(String(request.headers.authorization).replace(/^Basic /, ''), 'base64').toString('utf8');
    expect(basic).toBe('seg_write_key:');
    expect(extractBodyKey(request.body)).toBe('seg_write_key');
  });

  it('normalizes every message of the batch', () => {
    const request = requestTo('/v1/batch');
    const result = normalizeSegment(request.body, context({ received_at: request.received_at }), 'batch');
    expect(result.rejected).toEqual([]);
    expect(normalizedAround(result, request.received_at)).toEqual([
      { index: 0, kind: 'event', name: 'event:Order Completed', device_id: 'anon-1', user_id: '' },
      { index: 1, kind: 'event', name: 'install:install', device_id: 'anon-1', user_id: '' },
      { index: 2, kind: 'event', name: 'event:screen', device_id: 'user-1', user_id: 'user-1' },
      { index: 3, kind: 'event', name: 'event:page', device_id: 'anon-1', user_id: '' },
      { index: 4, kind: 'identity', name: 'identify', device_id: 'user-1', user_id: 'user-1' },
      { index: 5, kind: 'identity', name: 'alias', device_id: 'user-1', user_id: 'user-1' },
      { index: 6, kind: 'identity', name: 'group', device_id: 'user-1', user_id: 'user-1' },
    ]);
    const [purchase, , screen, page, identify, alias, group] = result.items.map((i) => i.item);
    expect(purchase).toMatchObject({ revenue: 9.99, currency: 'EUR', platform: 'web', source: 'segment' });
    expect(purchase?.event_id).toMatch(/^node-next-\d+-[0-9a-f-]{36}$/);
    expect(screen).toMatchObject({ properties: { name: 'Home' } });
    expect(page).toMatchObject({ properties: { name: 'Pricing', category: 'Docs' } });
    expect(identify).toMatchObject({ traits: { email: 'ann@example.com' } });
    expect(alias).toMatchObject({ previous_id: 'anon-1' });
    expect(group).toMatchObject({ previous_id: 'acme', traits: { plan: 'pro' } });
  });
});

describe('posthog-node payloads', () => {
  beforeAll(async () => {
    const posthog = new PostHog('phc_project_key', { host, flushAt: 50, flushInterval: 0, fetchRetryCount: 0 });
    posthog.capture({ distinctId: 'user-1', event: 'purchase', properties: { revenue: 5, currency: 'usd', $set: { plan: 'pro' } } });
    posthog.capture({ distinctId: 'device-2', event: 'Application Installed' });
    posthog.capture({ distinctId: 'device-2', event: '$screen', properties: { $screen_name: 'Cart' } });
    posthog.identify({ distinctId: 'user-1', properties: { email: 'ann@example.com' } });
    posthog.alias({ distinctId: 'user-1', alias: 'anon-1' });
    posthog.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { seats: 5 } });
    await posthog.shutdown(5_000);
  });

  it('posts gzip JSON to /batch/ with api_key and sent_at in the body', () => {
    const request = requestTo('/batch/');
    expect(request.headers['content-encoding']).toBe('gzip');
    expect(extractBodyKey(request.body)).toBe('phc_project_key');
    expect(request.body).toMatchObject({ api_key: 'phc_project_key', sent_at: expect.any(String), batch: expect.any(Array) });
  });

  it('normalizes every event, splitting off the $set update', () => {
    const request = requestTo('/batch/');
    const result = normalizePosthog(request.body, context({ received_at: request.received_at }));
    expect(result.rejected).toEqual([]);
    expect(normalizedAround(result, request.received_at)).toEqual([
      { index: 0, kind: 'event', name: 'event:purchase', device_id: 'user-1', user_id: '' },
      { index: 0, kind: 'identity', name: 'set', device_id: 'user-1', user_id: '' },
      { index: 1, kind: 'event', name: 'install:install', device_id: 'device-2', user_id: '' },
      { index: 2, kind: 'event', name: 'event:screen', device_id: 'device-2', user_id: '' },
      { index: 3, kind: 'identity', name: 'identify', device_id: 'user-1', user_id: 'user-1' },
      { index: 4, kind: 'identity', name: 'alias', device_id: 'user-1', user_id: 'user-1' },
      { index: 5, kind: 'identity', name: 'group', device_id: '$company_acme', user_id: '' },
    ]);
    const items = result.items.map((i) => i.item);
    expect(items[0]).toMatchObject({ revenue: 5, currency: 'USD', platform: 'web', source: 'posthog' });
    expect(items[0]?.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(items[1]).toMatchObject({ event_id: `${items[0]?.event_id}:set`, traits: { plan: 'pro' } });
    expect(items[3]).toMatchObject({ properties: expect.objectContaining({ name: 'Cart' }) });
    expect(items[4]).toMatchObject({ traits: { email: 'ann@example.com' } });
    expect(items[5]).toMatchObject({ previous_id: 'anon-1' });
    expect(items[6]).toMatchObject({ previous_id: 'acme', traits: { $group_type: 'company', seats: 5 } });
  });
});
