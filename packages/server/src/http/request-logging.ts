import type { FastifyInstance } from 'fastify';
import { logSafeIp } from '../ops/log-safety.ts';

/**
 * One JSON line per request (docs/operations.md "Logs"), written when the answer is sent, with the
 * request id (req.log carries it) echoed to the caller. The path is logged without its query
 * string (public click URLs carry advertising ids, some clients put keys there) and the client
 * address as its network only.
 */
export function requestLogging(app: FastifyInstance): void {
  const log = app.log as { isLevelEnabled?(level: string): boolean };
  // Callback hooks, not async ones: every request runs them, and an async hook costs a promise
  // and a microtask each (docs/benchmarks.md, the single-event and click profiles).
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    // At LOG_LEVEL=warn the line is dropped anyway: skip building it (the route options getter
    // makes an object, the address is masked by a regex) on the ingest and click paths.
    // (No route sets a logLevel of its own, so the listener's level is the request's.)
    if (log.isLevelEnabled && !log.isLevelEnabled('info')) return done();
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
    done();
  });
}
