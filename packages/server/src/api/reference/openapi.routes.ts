import type { FastifyInstance } from 'fastify';
import { openApiDocument } from './openapi-document.ts';

const VERSION = '1';

/**
 * `GET /api/openapi.json` (public): the API's reference, generated on first request from the
 * listener's route table, which is complete by then (routes are only added before listening).
 */
export async function openApiRoutes(app: FastifyInstance) {
  let document: string | null = null;
  app.get('/api/openapi.json', { config: { policy: 'public' } }, async (_req, reply) => {
    document ??= JSON.stringify(openApiDocument(app.routeTable(), VERSION));
    return reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(document);
  });
}
