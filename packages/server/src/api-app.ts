import type { Config } from '@unmogrowp/config';
import type { Logger } from 'pino';
import type { ApiDeps } from './api/api-deps.ts';
import { apiRoutes } from './api/api-routes.ts';
import { buildBaseApp } from './http/base-app.ts';
import { securityHeaders } from './http/security-headers.ts';
import type { OpsDeps } from './ops/ops.routes.ts';

const API_BODY_BYTES = 1024 * 1024;

/** The API listener (API.md §4): security headers and CORS for every answer, then the `/api` scope behind the access gate. */
export async function buildApiApp(config: Config, logger: Logger, ops: OpsDeps, deps: Omit<ApiDeps, 'config'>) {
  const app = await buildBaseApp('api', config, logger, ops, API_BODY_BYTES);
  await securityHeaders(app, { corsOrigins: config.corsOrigins });
  await app.register(apiRoutes, { ...deps, config });
  return app;
}
