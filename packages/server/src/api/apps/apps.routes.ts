import { validateSettings } from '@unmogrowp/attribution';
import {
  type AppPatch,
  createAppWithManager,
  deleteApp,
  getApp,
  getAppKeys,
  listAppIdsOfUser,
  listApps,
  type NewAppInput,
  updateApp,
} from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import type { ApiDeps } from '../api-deps.ts';
import { appCreateBody, appParams, appPatchBody } from '../body-schemas.ts';

type AppRoute = { Params: { app_id: string } };

/**
 * `/api/apps` and `/api/apps/:app_id` (API.md §4). Who may call what is the gate's job (the
 * policy in each route's config); here only what happens. The creator of an app becomes its
 * manager in the same transaction; the server key is shown in the create answer only.
 */
export async function appsRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get('/api/apps', { config: { policy: 'canListApps' } }, async (req) => {
    const user = req.account!.user;
    // Admins reach every app (API.md §4), so their list is all of them.
    const apps =
      user.role === 'admin' ? await listApps(deps.control) : await listApps(deps.control, await listAppIdsOfUser(deps.control, user.id));
    return { apps };
  });

  app.post<{ Body: NewAppInput }>(
    '/api/apps',
    { config: { policy: 'canCreateApp' }, schema: { body: appCreateBody } },
    async (req, reply) => {
      const created = await createAppWithManager(deps.control, req.account!.user.id, req.body);
      await req.audit(AUDIT_ACTIONS.appCreate, {
        resource: auditResource('app', created.app.id),
        details: { name: created.app.name, platforms: created.app.platforms },
      });
      // The URL apps send to (PUBLIC_INGEST_URL, else the listener): the dashboard's snippets show it as it is.
      return reply
        .code(201)
        .send({ app: created.app, sdk_key: created.sdk_key, server_key: created.server_key, ingest_url: deps.config.publicIngestUrl });
    },
  );

  app.get<AppRoute>('/api/apps/:app_id', { config: { policy: 'canReadApp' }, schema: { params: appParams } }, async (req) => {
    const found = await getApp(deps.control, req.params.app_id);
    if (!found) throw notFound();
    const keys = await getAppKeys(deps.control, found.id);
    // The SDK key ships inside apps anyway; the server key is a secret: only its prefix, to recognise it.
    return {
      app: found,
      sdk_key: keys?.sdk_key ?? null,
      server_key_prefix: keys?.server_key_prefix ?? null,
      role: req.appAccess?.member_role ?? null,
      ingest_url: deps.config.publicIngestUrl,
    };
  });

  app.patch<AppRoute & { Body: AppPatch }>(
    '/api/apps/:app_id',
    { config: { policy: 'canManageApp' }, schema: { params: appParams, body: appPatchBody } },
    async (req) => {
      if (req.body.settings !== undefined) {
        const check = validateSettings(req.body.settings);
        if (!check.ok)
          throw badRequest('invalid_settings', 'Some attribution settings are not valid; see details.', { errors: check.errors });
      }
      const updated = await updateApp(deps.control, req.params.app_id, req.body);
      if (!updated) throw notFound();
      await req.audit(AUDIT_ACTIONS.appUpdate, { resource: auditResource('app', updated.id), details: { fields: Object.keys(req.body) } });
      return { app: updated };
    },
  );

  app.delete<AppRoute>('/api/apps/:app_id', { config: { policy: 'canManageApp' }, schema: { params: appParams } }, async (req, reply) => {
    if (!(await deleteApp(deps.control, req.params.app_id))) throw notFound();
    // Its keys were revoked with it; drop them from this process's cache at once.
    deps.keys.forgetApp(req.params.app_id);
    await req.audit(AUDIT_ACTIONS.appDelete, { resource: auditResource('app', req.params.app_id) });
    return reply.code(204).send();
  });
}
