import { buildSkanReport, normalizeSkanSettings, type SkanSettings, SkanSettingsError } from '@unmogrowp/attribution';
import { getSkanSettings, putSkanSettings, skanGroups, unverifiedSkanCounts } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { analyticsRange } from '../api/analytics/analytics-query.ts';
import { SKAN_REPORT, SKAN_SETTINGS_ANSWER } from '../api/answers/analytics-answers.ts';
import type { ApiDeps } from '../api/api-deps.ts';
import { appParams } from '../api/body-schemas.ts';
import { badRequest, notFound } from '../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../security/audit-actions.ts';

type AppRoute = { Params: { app_id: string } };

/** Closed at the top; the nested maps are checked field by field by normalizeSkanSettings. */
const settingsBody = {
  type: 'object',
  additionalProperties: false,
  properties: { currency: { type: 'string' }, windows: { type: 'object' }, networks: { type: 'object' }, campaigns: { type: 'object' } },
} as const;

/**
 * SKAN report and settings (docs/skadnetwork.md):
 * - `GET /api/analytics/:app_id/skan?from&to` (members, and the app's server key): installs,
 *   re-downloads, conversion value distribution, estimated revenue and ROAS by network, campaign
 *   and postback window; unverifiable postbacks counted apart by reason.
 * - `GET/PUT /api/apps/:app_id/skan/settings` (managers): conversion-value schema, network and
 *   campaign mapping, replaced whole by PUT.
 */
export async function skanApiRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<AppRoute & { Querystring: { from?: string; to?: string } }>(
    '/api/analytics/:app_id/skan',
    {
      config: { policy: 'canReadAnalytics' },
      schema: {
        params: appParams,
        querystring: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } },
        response: { 200: SKAN_REPORT },
      },
    },
    async (req) => {
      const range = analyticsRange(req.query);
      const from = new Date(range.from);
      const to = new Date(range.to);
      const appId = req.params.app_id;
      const settings = await getSkanSettings(deps.control, appId);
      // Spend in the schema's currency, the one its estimated revenue is in, so ROAS divides like by like.
      const [groups, unverified, costs] = await Promise.all([
        skanGroups(deps.control, appId, from, to),
        unverifiedSkanCounts(deps.control, appId, from, to),
        deps.events.attribution(appId, range, { groupBy: ['media_source', 'campaign'], currency: settings.currency }),
      ]);
      const report = buildSkanReport(groups, settings, costs);
      return { ...report, unverified, from: from.toISOString(), to: to.toISOString() };
    },
  );

  const manage = { policy: 'canManageApp' } as const;
  app.get<AppRoute>(
    '/api/apps/:app_id/skan/settings',
    { config: manage, schema: { params: appParams, response: { 200: SKAN_SETTINGS_ANSWER } } },
    async (req) => ({
      settings: await getSkanSettings(deps.control, req.params.app_id),
    }),
  );

  app.put<AppRoute & { Body: unknown }>(
    '/api/apps/:app_id/skan/settings',
    { config: manage, schema: { params: appParams, body: settingsBody, response: { 200: SKAN_SETTINGS_ANSWER } } },
    async (req) => {
      let settings: SkanSettings;
      try {
        settings = normalizeSkanSettings(req.body);
      } catch (err) {
        if (err instanceof SkanSettingsError) throw badRequest('invalid_skan_settings', err.message, { field: err.field });
        throw err;
      }
      if (!(await putSkanSettings(deps.control, req.params.app_id, settings))) throw notFound();
      await req.audit(AUDIT_ACTIONS.skanSettingsUpdate, {
        resource: auditResource('app', req.params.app_id),
        details: { networks: Object.keys(settings.networks).length },
      });
      return { settings };
    },
  );
}
