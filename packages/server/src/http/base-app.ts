import type { Config } from '@unmogrowp/config';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.ts';
import { instrument } from '../ops/metrics.ts';
import { type OpsDeps, opsRoutes } from '../ops/ops.routes.ts';
import { installErrorHandling } from './error-handler.ts';
import { installJsonBody } from './json-body.ts';
import { requestLogging } from './request-logging.ts';

/** What both listeners share: errors in API.md §1 form, JSON bodies, one log line and one metric per request, ops routes. */
export async function buildBaseApp(name: string, config: Config, logger: Logger, ops: OpsDeps & { metrics: Metrics }, bodyLimit: number) {
  const app = Fastify({
    loggerInstance: logger.child({ listener: name }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit,
    routerOptions: { ignoreTrailingSlash: true },
  });
  installErrorHandling(app);
  installJsonBody(app, bodyLimit);
  requestLogging(app);
  instrument(app, ops.metrics, name);
  await app.register(opsRoutes, ops);
  return app;
}
