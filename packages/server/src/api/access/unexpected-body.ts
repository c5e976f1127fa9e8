import type { FastifyRequest } from 'fastify';
import { badRequest } from '../../http/app-error.ts';

/**
 * A route without a body schema takes no body: anything but nothing (or `{}`) is a 400, so no
 * field can slip into a handler unchecked (OWASP API3). Routes that take a body declare a closed
 * schema (`body-schemas.ts`).
 */
export async function refuseUnexpectedBody(req: FastifyRequest): Promise<void> {
  if (req.routeOptions.schema?.body !== undefined || req.body === undefined || req.body === null) return;
  const empty = typeof req.body === 'object' && !Array.isArray(req.body) && Object.keys(req.body).length === 0;
  if (!empty) throw badRequest('unexpected_body', 'This route takes no request body; send none (or {}).');
}
