import type { Config } from '@unmogrowp/config';
import type { Logger } from 'pino';
import { type AnalyticsDeps, analyticsRoutes } from './api/analytics.routes.ts';
import { buildBaseApp } from './http/base-app.ts';
import type { OpsDeps } from './ops/ops.routes.ts';

const API_BODY_BYTES = 1024 * 1024;

/** The API listener (API.md §4): analytics now; auth, apps, links and the dashboard come next. */
export async function buildApiApp(config: Config, logger: Logger, ops: OpsDeps, deps: AnalyticsDeps) {
  const app = await buildBaseApp('api', config, logger, ops, API_BODY_BYTES);
  await app.register(analyticsRoutes, deps);
  return app;
}
