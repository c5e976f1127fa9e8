import type { FastifyInstance } from 'fastify';
import { type AccessDeps, accessControl } from './access-control.ts';
import { isPolicyName, ROUTE_POLICIES } from './route-policies.ts';
import { refuseUnexpectedBody } from './unexpected-body.ts';

/**
 * Installs the access gate in the API scope it is called on (encapsulated: the ops routes
 * outside it stay public). Registering a route without a policy, or an app policy on a URL
 * without `:app_id`, stops start-up: nothing reaches production unguarded.
 */
export function installAccessControl(scope: FastifyInstance, deps: AccessDeps): void {
  scope.decorateRequest('principal', null);
  scope.decorateRequest('account', null);
  scope.decorateRequest('appAccess', null);
  scope.decorateRequest('bearer', null);
  scope.decorateRequest('audit', async () => {
    throw new Error('req.audit is set by the access gate for each request');
  });
  scope.decorateRequest('audited', async () => {
    throw new Error('req.audited is set by the access gate for each request');
  });
  scope.addHook('onRoute', (route) => {
    const policy = route.config?.policy;
    const where = `${route.method} ${route.url}`;
    if (!isPolicyName(policy))
      throw new Error(`${where} declares no access policy: add config: { policy: … } (see api/access/route-policies.ts)`);
    if (ROUTE_POLICIES[policy].scope === 'app' && !route.url.includes(':app_id')) {
      throw new Error(`${where} uses the app policy ${policy} but has no :app_id in its URL`);
    }
  });
  scope.addHook('onRequest', accessControl(deps));
  scope.addHook('preValidation', refuseUnexpectedBody);
  // Answers carry tokens, keys and personal data: no cache may keep them.
  scope.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });
}
