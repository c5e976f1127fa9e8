import type { FastifyInstance } from 'fastify';

/**
 * CORS for the ingest routes only: browser SDKs post from the app's own web origin and the SDK
 * key is public by design, so any origin may send — but never with credentials (no cookies are
 * read here, and `*` forbids them). The API listener stays closed to other origins.
 */
export function ingestCors(app: FastifyInstance, paths: readonly string[]): void {
  // A callback hook: an async one costs a promise and a microtask on every ingest request.
  app.addHook('onRequest', (_req, reply, done) => {
    reply.header('access-control-allow-origin', '*');
    done();
  });
  for (const path of paths) {
    app.options(path, async (req, reply) => {
      const asked = String(req.headers['access-control-request-headers'] ?? '');
      return reply
        .code(204)
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', asked.replace(/[^\w, -]/g, '').slice(0, 512) || 'content-type')
        .header('access-control-max-age', '86400')
        .send();
    });
  }
}
