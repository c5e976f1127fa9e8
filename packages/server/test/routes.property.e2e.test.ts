import { gzipSync } from 'node:zlib';
import { createLink } from '@unmogrowp/storage';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, seedApp, seedUser } from './support/api-client.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

/**
 * Property-based, through HTTP (Fastify inject, the whole route stack with its hooks and error
 * handler): random bodies, headers and query strings on every ingest and API route. Whatever
 * arrives, the answer is never a 500 (a 503 only with Retry-After) and the process stays up.
 * Runs are bounded; fast-check prints the seed and the smallest failing request.
 */
const RUNS = 250;

let p: TestPlatform;
let app: { id: string; sdkKey: string; serverKey: string };
let linkId: string;
let token: string;

beforeAll(async () => {
  p = await startTestPlatform();
  await p.warmUp.done;
  const user = await seedUser(p.control, `fuzz-${process.pid}@example.com`);
  app = await seedApp(p.control, user.id);
  token = await accessTokenFor(p.control, p.signing, user.id);
  linkId = (await createLink(p.control, app.id, { name: 'L', media_source: 'net', campaign: 'c' }))!.id;
}, 60_000);
afterAll(() => p?.close());

const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '%', '%zz', '\u0000', '../../etc/passwd', '1e309', '-1', 'null', '[]', '{}', '2025-13-45', 'x'.repeat(300)),
);
const json = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3 }).map((v) => (v === undefined ? null : v)),
);

function payload() {
  return fc.oneof(
    json.map((v) => ({ kind: 'json', bytes: Buffer.from(JSON.stringify(v) ?? 'null') })),
    junkString.map((s) => ({ kind: 'text', bytes: Buffer.from(s) })),
    fc.uint8Array({ maxLength: 200 }).map((a) => ({ kind: 'bytes', bytes: Buffer.from(a) })),
    json.map((v) => ({ kind: 'gzip', bytes: gzipSync(Buffer.from(JSON.stringify(v) ?? 'null')) })),
  );
}

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'garbage',
);
const contentEncoding = fc.constantFrom(undefined, undefined, 'gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'nonsense');

function query(names: readonly string[]) {
  return fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...names), junkString),
        fc.oneof(junkString, fc.constantFrom('2025-01-01', 'day', 'hour', 'csv', 'json', 'media_source,campaign', '0', '9999999')),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
}

function checkAnswer(res: { statusCode: number; headers: Record<string, unknown> }, what: string) {
  expect(res.statusCode, what).not.toBe(500);
  expect(res.statusCode, what).toBeLessThan(600);
  if (res.statusCode === 503) expect(res.headers['retry-after'], `${what}: 503 without Retry-After`).toBeDefined();
}

describe('ingest routes take anything without a 500', () => {
  it('random bodies, headers and query strings', async () => {
    const routes = [
      'POST /v1/events',
      'POST /v1/events/batch',
      ...['batch', 'track', 'screen', 'page', 'identify', 'alias', 'group'].map((r) => `POST /v1/${r}`),
      ...['/batch/', '/capture/', '/e/', '/i/v0/e/'].map((r) => `POST ${r}`),
      'POST /v1/clicks',
      'POST /v1/impressions',
      'GET /c/LINK',
      'GET /i/LINK',
      'GET /v1/attribution/DEVICE',
      'POST /.well-known/skadnetwork/report-attribution/',
      'OPTIONS /v1/events',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        payload(),
        contentType,
        contentEncoding,
        fc.constantFrom('sdk-basic', 'sdk-header', 'server-bearer', 'random', 'none'),
        junkString,
        query(['api_key', 'compression', 'ver', 'idfa', 'click_id', 'format', 'wait', 'sub1', 'ip', 'data']),
        async (route, body, type, encoding, auth, junk, qs) => {
          const [method, path] = route.split(' ') as [string, string];
          const url = `${path.replace('LINK', linkId).replace('DEVICE', encodeURIComponent(junk) || 'd')}${qs ? `?${qs}` : ''}`;
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (encoding) headers['content-encoding'] = encoding;
          if (auth === 'sdk-basic') headers.authorization = `Basic ${Buffer.from(`${app.sdkKey}:`).toString('base64')}`;
          if (auth === 'sdk-header') headers['x-api-key'] = app.sdkKey;
          if (auth === 'server-bearer') headers.authorization = `Bearer ${app.serverKey}`;
          if (auth === 'random') headers.authorization = junk.replace(/[^\x20-\x7e]/g, '');
          headers['x-forwarded-for'] = junk.replace(/[^\x20-\x7e]/g, '');
          headers['user-agent'] = junk.replace(/[^\x20-\x7e]/g, '');
          const res = await p.ingest.inject({
            method: method as 'GET',
            url,
            headers,
            payload: method === 'GET' || method === 'OPTIONS' ? undefined : body.bytes,
          });
          checkAnswer(res, `${method} ${url} (${body.kind}, ${type}, ${encoding}, ${auth})`);
        },
      ),
      { numRuns: RUNS },
    );
    expect((await p.ingest.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  }, 120_000);
});

describe('API routes take anything without a 500', () => {
  it('random paths, methods, bodies and query strings, signed in or not', async () => {
    const paths = [
      '/api/auth/register',
      '/api/auth/login',
      '/api/auth/refresh',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/admin/users',
      '/api/admin/users/ID',
      '/api/admin/audit',
      '/api/admin/audit/verify',
      '/api/apps',
      '/api/apps/APP',
      '/api/apps/APP/keys',
      '/api/apps/APP/members',
      '/api/apps/APP/members/ID',
      '/api/apps/APP/links',
      '/api/apps/APP/links/ID',
      '/api/apps/APP/partners/ID',
      '/api/apps/APP/postbacks',
      '/api/apps/APP/costs',
      '/api/apps/APP/privacy/erase',
      '/api/apps/APP/privacy/erase/ID',
      ...['overview', 'attribution', 'timeseries', 'retention', 'ltv', 'installs', 'fraud'].map((r) => `/api/analytics/APP/${r}`),
      '/metrics',
      '/ready',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.constantFrom(...paths),
        fc.constantFrom('app', 'junk'),
        junkString,
        payload(),
        contentType,
        fc.constantFrom('user', 'server', 'random', 'none'),
        query(['from', 'to', 'group_by', 'metric', 'interval', 'format', 'status', 'limit', 'user_id', 'action', 'days']),
        async (method, template, appChoice, junk, body, type, auth, qs) => {
          const id = encodeURIComponent(junk) || 'x';
          const path = template.replace('APP', appChoice === 'app' ? app.id : id).replace('ID', id);
          const url = `${path}${qs ? `?${qs}` : ''}`;
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (auth === 'user') headers.authorization = `Bearer ${token}`;
          if (auth === 'server') headers.authorization = `Bearer ${app.serverKey}`;
          if (auth === 'random') headers.authorization = `Bearer ${junk.replace(/[^\x20-\x7e]/g, '')}`;
          const res = await p.api.inject({
            method: method as 'GET',
            url,
            headers,
            payload: method === 'GET' || method === 'DELETE' ? undefined : body.bytes,
          });
          checkAnswer(res, `${method} ${url} (${body.kind}, ${type}, ${auth})`);
        },
      ),
      // Guarded routes would otherwise rate-limit the rest of the run; destructive calls are fine: each run is independent.
      { numRuns: RUNS },
    );
    expect((await p.api.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  }, 120_000);
});
