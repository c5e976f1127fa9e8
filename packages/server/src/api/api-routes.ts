import type { FastifyInstance } from 'fastify';
import { apiCompression } from '../http/api-compression.ts';
import { skanApiRoutes } from '../skan/skan-api.routes.ts';
import { installAccessControl } from './access/access-plugin.ts';
import { adminAuditRoutes } from './admin/audit.routes.ts';
import { adminSystemRoutes } from './admin/system.routes.ts';
import { adminUsersRoutes } from './admin/users.routes.ts';
import { analyticsRoutes } from './analytics/analytics.routes.ts';
import { linkStatsRoutes } from './analytics/link-stats.routes.ts';
import { ltvRoutes } from './analytics/ltv.routes.ts';
import type { ApiDeps } from './api-deps.ts';
import { appsRoutes } from './apps/apps.routes.ts';
import { keysRoutes } from './apps/keys.routes.ts';
import { membersRoutes } from './apps/members.routes.ts';
import { appSettingsRoutes } from './apps/settings.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { costsRoutes } from './costs/costs.routes.ts';
import { costsListRoutes } from './costs/costs-list.routes.ts';
import { fxRatesRoutes } from './fx-rates/fx-rates.routes.ts';
import { linksRoutes } from './links/links.routes.ts';
import { partnersRoutes } from './partners/partners.routes.ts';
import { postbacksRoutes } from './partners/postbacks.routes.ts';
import { eraseRoutes } from './privacy/erase.routes.ts';
import { openApiRoutes } from './reference/openapi.routes.ts';

/**
 * Everything under `/api`, in one encapsulated scope behind the access gate. A new route
 * plugin is registered here and declares its policy in `config`; start-up refuses it otherwise,
 * and the authorization-matrix test refuses it until it has a row.
 */
export async function apiRoutes(scope: FastifyInstance, deps: ApiDeps) {
  await apiCompression(scope);
  installAccessControl(scope, {
    control: deps.control,
    keys: deps.keys,
    signing: deps.signing,
    registration: deps.config.registration,
    onAudit: deps.ops?.onAudit,
  });
  await scope.register(authRoutes, deps);
  await scope.register(adminUsersRoutes, deps);
  await scope.register(adminAuditRoutes, deps);
  await scope.register(appsRoutes, deps);
  await scope.register(keysRoutes, deps);
  await scope.register(membersRoutes, deps);
  await scope.register(appSettingsRoutes, deps);
  await scope.register(linksRoutes, deps);
  await scope.register(partnersRoutes, deps);
  await scope.register(postbacksRoutes, deps);
  await scope.register(costsRoutes, deps);
  await scope.register(costsListRoutes, deps);
  await scope.register(fxRatesRoutes, deps);
  await scope.register(analyticsRoutes, deps);
  await scope.register(linkStatsRoutes, deps);
  await scope.register(ltvRoutes, deps);
  await scope.register(eraseRoutes, deps);
  await scope.register(skanApiRoutes, deps);
  await scope.register(adminSystemRoutes, deps);
  await scope.register(openApiRoutes);
}
