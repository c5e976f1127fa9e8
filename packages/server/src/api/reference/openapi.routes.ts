import type { FastifyInstance } from 'fastify';
import { openApiDocument } from './openapi-document.ts';

/** The document's `info.version`: raised when an answer or a route changes incompatibly. */
export const OPENAPI_VERSION = '1';
/** Sent as the string it was written to (never through a serializer): the schema only documents it. */
const OPENAPI_ANSWER = { type: 'object', description: 'this document (OpenAPI 3.1)' };

/**
 * `GET /api/openapi.json` (public): the API's reference, generated on first request from the
 * listener's route table, which is complete by then (routes are only added before listening).
 */
export async function openApiRoutes(app: FastifyInstance) {
  let document: string | null = null;
  app.get('/api/openapi.json', { config: { policy: 'public' }, schema: { response: { 200: OPENAPI_ANSWER } } }, async (_req, reply) => {
    document ??= JSON.stringify(openApiDocument(app.routeTable(), OPENAPI_VERSION));
    return reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(document);
  });
}
