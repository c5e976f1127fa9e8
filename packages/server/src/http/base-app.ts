import type { Config } from '@unmogrowp/config';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { Logger } from 'pino';
import { requestIdFrom } from '../ops/log-safety.ts';
import type { Metrics } from '../ops/metrics.ts';
import { instrument } from '../ops/metrics.ts';
import { type OpsDeps, opsRoutes } from '../ops/ops.routes.ts';
import { installAnswerSerializer } from './answer-serializer.ts';
import { installErrorHandling } from './error-handler.ts';
import { installJsonBody } from './json-body.ts';
import { lazyRequestLogger } from './lazy-request-logger.ts';
import { requestLogging } from './request-logging.ts';
import { trackRoutes } from './route-table.ts';

/** What both listeners share: errors in docs/api.md §1 form, JSON bodies, one log line and one metric per request, ops routes. */
export async function buildBaseApp(name: string, config: Config, logger: Logger, ops: OpsDeps & { metrics: Metrics }, bodyLimit: number) {
  const app = Fastify({
    loggerInstance: logger.child({ listener: name }) as FastifyBaseLogger,
    // Every line logged while serving a request carries its id: the caller's x-request-id when sane.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    childLoggerFactory: lazyRequestLogger,
    requestIdHeader: false,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    trustProxy: config.trustProxy,
    bodyLimit,
    // A request must arrive whole within REQUEST_TIMEOUT_MS and an idle connection is closed as
    // long after: a half-sent body must not hold a connection (Node's default is 5 minutes).
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    keepAliveTimeout: 5_000,
    routerOptions: { ignoreTrailingSlash: true },
    // Schemas are contracts, not suggestions: an unknown field is a 400 (never silently dropped,
    // so mass assignment fails loudly) and no value changes type ("true" is not true). Numbers in
    // query strings are therefore declared as strings with a pattern and parsed by the route.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  trackRoutes(app);
  installAnswerSerializer(app, config.validateResponses);
  installErrorHandling(app);
  installJsonBody(app, bodyLimit);
  requestLogging(app);
  instrument(app, ops.metrics, name, name === 'ingest' ? ops.traffic : undefined);
  await app.register(opsRoutes, ops);
  return app;
}
