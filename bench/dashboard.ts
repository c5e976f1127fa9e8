/**
 * bench/dashboard: what the dashboard's first page costs on the wire. Serves the real build
 * (packages/dashboard/build) the way the API listener does, then fetches index.html and every
 * script it loads before anything runs (`<script src>` and module preloads), once per
 * Accept-Encoding a browser might send, counting the body bytes as transferred. Prints one
 * JSON line. Build first: `npm run build -w @unmogrowp/dashboard`.
 *
 *   node --import tsx bench/dashboard.ts
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { DEFAULT_DASHBOARD_DIR, dashboardRoutes } from '../packages/server/src/web/dashboard.ts';
import { eagerScripts } from '../packages/server/test/support/initial-js.ts';

function get(url: string, encoding: string): Promise<{ bytes: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ bytes: Buffer.concat(parts), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const app = Fastify({ logger: false });
await app.register(dashboardRoutes, { dir: DEFAULT_DASHBOARD_DIR });
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
try {
  const scripts = eagerScripts((await get(`${base}/`, '')).bytes.toString());
  if (scripts.length === 0) throw new Error('the dashboard is not built: npm run build -w @unmogrowp/dashboard');
  const results: Record<string, { html_bytes: number; js_bytes: number; encodings: string[]; cache_control: string }> = {};
  for (const [name, encoding] of [
    ['identity', ''],
    ['gzip', 'gzip, deflate'],
    ['br', 'gzip, deflate, br, zstd'],
  ] as const) {
    const html = await get(`${base}/`, encoding);
    let js = 0;
    const encodings = new Set<string>();
    let cache = '';
    for (const s of scripts) {
      const res = await get(new URL(s, base).href, encoding);
      js += res.bytes.length;
      encodings.add(String(res.headers['content-encoding'] ?? 'identity'));
      cache = String(res.headers['cache-control']);
    }
    results[name] = { html_bytes: html.bytes.length, js_bytes: js, encodings: [...encodings], cache_control: cache };
  }
  console.log(JSON.stringify({ bench: 'dashboard', scripts: scripts.length, initial: results, goal_js_bytes: 60 * 1024 }));
} finally {
  await app.close();
}
