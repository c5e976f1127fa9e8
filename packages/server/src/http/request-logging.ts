import type { FastifyInstance } from 'fastify';
import { logSafeIp } from '../ops/log-safety.ts';

/**
 * One JSON line per request (docs/operations.md "Logs"), written when the answer is sent, with the
 * request id (req.log carries it) echoed to the caller. The path is logged without its query
 * string (public click URLs carry advertising ids, some clients put keys there) and the client
 * address as its network only.
 */
export function requestLogging(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    const query = req.url.indexOf('?');
    req.log.info(
      {
        method: req.method,
        path: query < 0 ? req.url : req.url.slice(0, query),
        route: req.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ip: logSafeIp(req.ip),
      },
      'request',
    );
  });
}
