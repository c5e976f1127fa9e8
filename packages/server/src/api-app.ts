import type { Config } from '@unmogrowp/config';
import type { Logger } from 'pino';
import type { ApiDeps } from './api/api-deps.ts';
import { apiRoutes } from './api/api-routes.ts';
import { buildBaseApp } from './http/base-app.ts';
import { refuseNulInUrl } from './http/nul-guard.ts';
import { securityHeaders } from './http/security-headers.ts';
import type { OpsDeps } from './ops/ops.routes.ts';
import { DEFAULT_DASHBOARD_DIR, dashboardRoutes } from './web/dashboard.ts';

const API_BODY_BYTES = 1024 * 1024;

export interface ApiAppOptions {
  /** The dashboard's static build (default `packages/dashboard/build`). */
  dashboardDir?: string;
}

/**
 * The API listener (docs/api.md §4): security headers and CORS for every answer, then the `/api`
 * scope behind the access gate, and the dashboard at `/` (every other GET).
 */
export async function buildApiApp(
  config: Config,
  logger: Logger,
  ops: OpsDeps,
  deps: Omit<ApiDeps, 'config'>,
  options: ApiAppOptions = {},
) {
  const app = await buildBaseApp('api', config, logger, ops, API_BODY_BYTES);
  await securityHeaders(app, { corsOrigins: config.corsOrigins });
  refuseNulInUrl(app);
  await app.register(apiRoutes, { ...deps, config });
  await app.register(dashboardRoutes, { dir: options.dashboardDir ?? DEFAULT_DASHBOARD_DIR });
  return app;
}
