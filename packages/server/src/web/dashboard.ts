import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { cspHeader, DASHBOARD_CONTENT_SECURITY_POLICY } from '../http/security-headers.ts';
import { isAssetPath, isImmutableAsset, isReservedPath, REVALIDATE_CACHE, requestedFile } from './dashboard-paths.ts';

/** `packages/dashboard/build`, where `npm run build -w @unmogrowp/dashboard` writes (run by `npm install`). */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/build', import.meta.url));

export interface DashboardOptions {
  /** The static build: `index.html` and `_app/`. */
  dir: string;
}

const YEAR_MS = 31_536_000_000;

/**
 * The dashboard on the API listener (same origin as `/api`, so the browser needs no CORS): a
 * GET for a file of the build answers it; any other GET outside /api, /health, /ready and
 * /metrics answers `index.html` — the single-page app's router takes it from there
 * (`/apps/x/links` is a client route). Those four prefixes keep their JSON 404s.
 *
 * Whether the build exists is decided once, at start: without it, every dashboard URL answers
 * a short page saying how to build it, and the API works as before.
 */
export async function dashboardRoutes(app: FastifyInstance, options: DashboardOptions) {
  const built = await isFile(path.join(options.dir, 'index.html'));
  // preCompressed: a `.br`/`.gz` beside a file (written by the dashboard build) is sent for a
  // request accepting it, with Content-Encoding and `Vary: accept-encoding`; else the file itself.
  if (built) await app.register(fastifyStatic, { root: options.dir, serve: false, dotfiles: 'deny', index: false, preCompressed: true });
  if (!built) app.log.warn({ dir: options.dir }, 'dashboard build not found; `/` explains how to build it');

  const policy = cspHeader(DASHBOARD_CONTENT_SECURITY_POLICY);
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', policy);
  });

  // No access policy: the files are public (the app shell holds no data; every number comes from /api).
  app.get('/*', async (req, reply) => {
    const pathname = req.url.split('?')[0] ?? '/';
    if (isReservedPath(pathname)) return reply.callNotFound();
    if (!built) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT_PAGE);

    const file = requestedFile(pathname);
    if (file !== null && (await isFile(path.join(options.dir, file)))) return sendBuildFile(reply, file);
    if (isAssetPath(pathname)) return reply.callNotFound();
    return sendBuildFile(reply, 'index.html');
  });
}

function sendBuildFile(reply: FastifyReply, file: string) {
  if (isImmutableAsset(file)) return reply.sendFile(file, { maxAge: YEAR_MS, immutable: true });
  reply.header('cache-control', REVALIDATE_CACHE);
  return reply.sendFile(file, { cacheControl: false });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>UnMoGrowP — dashboard not built</title></head>
<body>
<h1>The dashboard is not built yet</h1>
<p>The API is running (try <a href="/health">/health</a>). To get the dashboard, build it once, restart the server and reload this page:</p>
<pre>npm run build -w @unmogrowp/dashboard</pre>
<p><code>npm install</code> runs this build too.</p>
</body>
</html>
`;
