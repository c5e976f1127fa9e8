import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from './app-error.ts';

const hasNul = (v: unknown): boolean => (typeof v === 'string' ? v.includes('\u0000') : Array.isArray(v) ? v.some(hasNul) : false);

/**
 * A NUL character (`%00`) in a path segment or query value can name nothing we store, and
 * PostgreSQL refuses it in text parameters with an error that would surface as a 500 (found by
 * routes.property.e2e.test.ts). Refused up front: 404 for a path (no such resource), 400 for a
 * query value. On request, before the access gate of the API scope looks up the app an
 * `:app_id` names (a preValidation hook ran after it: `POST /api/apps/%00/keys` was a 500).
 */
export function refuseNulInUrl(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (Object.values((req.params ?? {}) as Record<string, unknown>).some(hasNul)) throw notFound();
    if (Object.values((req.query ?? {}) as Record<string, unknown>).some(hasNul)) {
      throw badRequest('invalid_query', 'A query parameter contains a NUL character (%00); remove it.');
    }
  });
}
