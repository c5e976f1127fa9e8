import type { FastifyInstance } from 'fastify';

/** One route as registered: what the authorization matrix test iterates over. */
export interface RouteEntry {
  method: string;
  url: string;
  /** The route's declared access policy (API routes), undefined for ops routes. */
  policy?: string;
  /** The JSON schemas the route validates with (params, querystring, body), as declared: the OpenAPI document is built from them. */
  schema?: RouteSchema;
}

export interface RouteSchema {
  params?: unknown;
  querystring?: unknown;
  body?: unknown;
  response?: unknown;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route this listener answers, in registration order (HEAD twins of GET routes left out). */
    routeTable(): readonly RouteEntry[];
  }
}

/**
 * Records each route as it is added, so tests can be generated from the real route table: a
 * route nobody wrote an expectation for fails the suite instead of shipping untested. Must be
 * installed before any route is registered.
 */
export function trackRoutes(app: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const policy = (route.config as { policy?: string } | undefined)?.policy;
    for (const method of methods) {
      // Fastify adds a HEAD twin for each GET that runs the GET's hooks and handler: the GET's row covers it.
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        ...(policy ? { policy } : {}),
        ...(route.schema ? { schema: route.schema as RouteSchema } : {}),
      });
    }
  });
  app.decorate('routeTable', () => routes);
}
