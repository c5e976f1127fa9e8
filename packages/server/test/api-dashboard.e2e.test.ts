import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { loadConfig } from '@unmogrowp/config';
import { type EventStore, findKey, openControlStore, type SqlDb } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiApp } from '../src/api-app.ts';
import { AppKeyResolver } from '../src/keys/app-key-resolver.ts';
import { createMetrics } from '../src/ops/metrics.ts';
import { loadSigningKeys } from '../src/security/signing-keys.ts';
import { DEFAULT_DASHBOARD_DIR } from '../src/web/dashboard.ts';

/**
 * The dashboard on the API listener, over a stand-in build (so the test does not depend on
 * `npm run build` having run): files, the single-page fallback, caching, the CSP, and the API's
 * own 404s untouched. Driven with inject(); no event store.
 */
const INDEX = '<!doctype html><html><body><div id="svelte" style="display: contents">shell</div></body></html>';
const SCRIPT = 'console.log("start")';
/** The dashboard build writes these beside each file (packages/dashboard/build-tools/precompress.ts). */
const BIG_SCRIPT = `${'export const words = ["attribution", "install", "campaign"];\n'.repeat(40)}`;
const BIG = '_app/immutable/chunks/Big.Cd34.js';

let root: string;
let control: SqlDb;
let built: FastifyInstance;
let unbuilt: FastifyInstance;

async function apiApp(dashboardDir: string) {
  const config = loadConfig({ DATA_DIR: root, LOG_LEVEL: 'silent' });
  const signing = await loadSigningKeys({ dataDir: root });
  const keys = new AppKeyResolver((presented) => findKey(control, presented));
  const events = {} as EventStore;
  const app = await buildApiApp(
    config,
    pino({ level: 'silent' }),
    { metrics: createMetrics(), checks: [] },
    { control, events, keys, signing },
    { dashboardDir },
  );
  await app.ready();
  return app;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'unmogrowp-web-'));
  const build = path.join(root, 'build');
  await mkdir(path.join(build, '_app/immutable/entry'), { recursive: true });
  await writeFile(path.join(build, 'index.html'), INDEX);
  await writeFile(path.join(build, '_app/immutable/entry/start.Ab12.js'), SCRIPT);
  await writeFile(path.join(build, '_app/version.json'), '{"version":"1"}');
  await mkdir(path.join(build, '_app/immutable/chunks'), { recursive: true });
  await writeFile(path.join(build, BIG), BIG_SCRIPT);
  await writeFile(path.join(build, `${BIG}.br`), brotliCompressSync(BIG_SCRIPT));
  await writeFile(path.join(build, `${BIG}.gz`), gzipSync(BIG_SCRIPT));
  await writeFile(path.join(build, 'index.html.br'), brotliCompressSync(INDEX));
  await writeFile(path.join(build, '.env'), 'SECRET=in-build');
  await writeFile(path.join(root, 'secret.txt'), 'SECRET=outside');
  control = await openControlStore({ dataDir: root, databaseUrl: null });
  built = await apiApp(build);
  unbuilt = await apiApp(path.join(root, 'no-such-build'));
});
afterAll(async () => {
  await built?.close();
  await unbuilt?.close();
  await control?.close();
});

const get = (app: FastifyInstance, url: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') => app.inject({ method, url });

describe('dashboard on the API listener', () => {
  it('serves index.html at / with the security headers and no caching', async () => {
    const res = await get(built, '/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers client routes with the app shell (SPA fallback)', async () => {
    for (const url of ['/apps/xyz', '/apps/xyz/links?tab=1', '/login', '/healthz', '/apifoo']) {
      const res = await get(built, url);
      expect([url, res.statusCode, res.body]).toEqual([url, 200, INDEX]);
    }
  });

  it('serves hashed assets with a cache-forever header, other files revalidated', async () => {
    const asset = await get(built, '/_app/immutable/entry/start.Ab12.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe(SCRIPT);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const version = await get(built, '/_app/version.json');
    expect([version.statusCode, version.headers['cache-control']]).toEqual([200, 'no-cache']);
    expect((await get(built, '/_app/immutable/entry/start.Ab12.js', 'HEAD')).statusCode).toBe(200);
  });

  it('sends the precompressed file the request accepts, with its encoding, type and immutable caching', async () => {
    const url = `/${BIG}`;
    const br = await built.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(br.headers.vary)).toContain('accept-encoding');
    expect(br.rawPayload.length).toBeLessThan(BIG_SCRIPT.length / 4);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(BIG_SCRIPT);

    const gz = await built.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(BIG_SCRIPT);

    for (const headers of [{}, { 'accept-encoding': 'identity' }]) {
      const plain = await built.inject({ url, headers });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toBe(BIG_SCRIPT);
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('sends the app shell precompressed too, still revalidated, and the original where no compressed copy exists', async () => {
    const shell = await built.inject({ url: '/apps/xyz', headers: { 'accept-encoding': 'br' } });
    expect(shell.headers['content-encoding']).toBe('br');
    expect(shell.headers['content-type']).toMatch(/^text\/html/);
    expect(shell.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(shell.rawPayload).toString()).toBe(INDEX);
    const small = await built.inject({ url: '/_app/immutable/entry/start.Ab12.js', headers: { 'accept-encoding': 'br' } });
    expect([small.statusCode, small.headers['content-encoding'], small.body]).toEqual([200, undefined, SCRIPT]);
  });

  it('answers 404 for a missing asset instead of the shell', async () => {
    const res = await get(built, '/_app/immutable/entry/start.OLD.js');
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('shell');
  });

  it('never serves dotfiles or anything outside the build', async () => {
    for (const url of ['/.env', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/_app/..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt']) {
      const res = await get(built, url);
      expect(res.body, url).not.toContain('SECRET');
    }
  });

  it('leaves /api, /health, /ready and /metrics to the API, with JSON 404s and the strict CSP', async () => {
    for (const url of ['/api/nope', '/api', '/health/x', '/metrics/x']) {
      const res = await get(built, url);
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 404, 'not_found']);
    }
    expect((await get(built, '/health')).json()).toMatchObject({ status: 'ok' });
    const api = await get(built, '/api/auth/me');
    expect(api.statusCode).toBe(401);
    expect(String(api.headers['content-security-policy'])).toContain("style-src 'self';");
    expect(api.headers['cache-control']).toBe('no-store');
    expect((await get(built, '/', 'POST')).statusCode).toBe(404);
  });

  it('without a build, / says how to build it and the API still works', async () => {
    const res = await get(unbuilt, '/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build -w @unmogrowp/dashboard');
    expect((await get(unbuilt, '/apps/x')).body).toContain('npm run build');
    expect((await get(unbuilt, '/api/nope')).statusCode).toBe(404);
    expect((await get(unbuilt, '/health')).statusCode).toBe(200);
  });

  it('looks for the build in packages/dashboard/build by default', () => {
    expect(DEFAULT_DASHBOARD_DIR.split(path.sep).slice(-3)).toEqual(['packages', 'dashboard', 'build']);
  });
});
