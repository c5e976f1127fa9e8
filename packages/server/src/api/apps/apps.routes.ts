import { mergeSettings, validateSettings } from '@unmogrowp/attribution';
import {
  type AppPatch,
  createAppWithManager,
  deepLinkingOf,
  deleteApp,
  getApp,
  getAppKeys,
  listAppIdsOfUser,
  listApps,
  type NewAppInput,
  updateApp,
  validateDeepLinking,
} from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { NO_CONTENT } from '../answers/answer-schema.ts';
import { APP_ANSWER, APP_CREATED, APP_DETAIL, APPS_LIST } from '../answers/app-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { appCreateBody, appParams, appPatchBody } from '../body-schemas.ts';

type AppRoute = { Params: { app_id: string } };

/**
 * `/api/apps` and `/api/apps/:app_id` (docs/api.md §4). Who may call what is the gate's job (the
 * policy in each route's config); here only what happens. The creator of an app becomes its
 * manager in the same transaction; the server key is shown in the create answer only.
 */
export async function appsRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get('/api/apps', { config: { policy: 'canListApps' }, schema: { response: { 200: APPS_LIST } } }, async (req) => {
    const user = req.account!.user;
    // Admins reach every app (docs/api.md §4), so their list is all of them.
    const apps =
      user.role === 'admin' ? await listApps(deps.control) : await listApps(deps.control, await listAppIdsOfUser(deps.control, user.id));
    return { apps };
  });

  app.post<{ Body: NewAppInput }>(
    '/api/apps',
    { config: { policy: 'canCreateApp' }, schema: { body: appCreateBody, response: { 201: APP_CREATED } } },
    async (req, reply) => {
      const created = await req.audited(
        AUDIT_ACTIONS.appCreate,
        (db) => createAppWithManager(db, req.account!.user.id, req.body),
        (made) => ({ resource: auditResource('app', made.app.id), details: { name: made.app.name, platforms: made.app.platforms } }),
      );
      // The URL apps send to (PUBLIC_INGEST_URL, else the listener): the dashboard's snippets show it as it is.
      return reply
        .code(201)
        .send({ app: created.app, sdk_key: created.sdk_key, server_key: created.server_key, ingest_url: deps.config.publicIngestUrl });
    },
  );

  app.get<AppRoute>(
    '/api/apps/:app_id',
    { config: { policy: 'canReadApp' }, schema: { params: appParams, response: { 200: APP_DETAIL } } },
    async (req) => {
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
    },
  );

  app.patch<AppRoute & { Body: AppPatch }>(
    '/api/apps/:app_id',
    { config: { policy: 'canManageApp' }, schema: { params: appParams, body: appPatchBody, response: { 200: APP_ANSWER } } },
    async (req) => {
      const updated = await req.audited(
        AUDIT_ACTIONS.appUpdate,
        async (db) => {
          if (req.body.settings === undefined) return updateApp(db, req.params.app_id, req.body);
          // Deep merge onto what is stored (a field not sent keeps its value), then validate the
          // whole result; the row lock keeps two PATCHes from merging onto the same old state.
          const [row] = await db.query<{ settings: Record<string, unknown> }>(
            'select settings from apps where id = $1 and deleted_at is null for update',
            [req.params.app_id],
          );
          if (!row) return null;
          // `deep_linking` is not an attribution setting: checked (and normalized) on its own.
          const { deep_linking: sentLinking, ...sent } = req.body.settings as Record<string, unknown>;
          const { deep_linking: storedLinking, ...stored } = row.settings ?? {};
          const merged: Record<string, unknown> = mergeSettings(stored, sent);
          const check = validateSettings(merged);
          if (!check.ok)
            throw badRequest('invalid_settings', 'Some attribution settings are not valid; see details.', { errors: check.errors });
          if (storedLinking !== undefined) merged.deep_linking = storedLinking;
          if (sentLinking !== undefined) {
            const links = validateDeepLinking(sentLinking);
            if (!links.ok)
              throw badRequest('invalid_settings', 'Some deep linking settings are not valid; see details.', { errors: links.errors });
            // A platform not sent keeps its stored value (null clears it), like every other setting.
            const current = deepLinkingOf(row.settings);
            const platforms = Object.keys(sentLinking as object) as (keyof typeof current)[];
            merged.deep_linking = { ...current, ...Object.fromEntries(platforms.map((k) => [k, links.settings[k]])) };
          }
          return updateApp(db, req.params.app_id, { ...req.body, settings: merged }, { replaceSettings: true });
        },
        (app) => (app ? { resource: auditResource('app', app.id), details: { fields: Object.keys(req.body) } } : null),
      );
      if (!updated) throw notFound();
      return { app: updated };
    },
  );

  app.delete<AppRoute>(
    '/api/apps/:app_id',
    { config: { policy: 'canManageApp' }, schema: { params: appParams, response: { 204: NO_CONTENT } } },
    async (req, reply) => {
      const deleted = await req.audited(
        AUDIT_ACTIONS.appDelete,
        (db) => deleteApp(db, req.params.app_id),
        (ok) => (ok ? { resource: auditResource('app', req.params.app_id) } : null),
      );
      if (!deleted) throw notFound();
      // Its keys were revoked with it, its links stopped: drop both from this process's caches at once.
      deps.keys.forgetApp(req.params.app_id);
      deps.onLinkChanged?.();
      return reply.code(204).send();
    },
  );
}
