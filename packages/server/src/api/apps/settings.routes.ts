import { defaultSettings, SETTING_LIMITS } from '@unmogrowp/attribution';
import { attributionSettingsOf, getApp } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../http/app-error.ts';
import type { ApiDeps } from '../api-deps.ts';
import { appParams } from '../body-schemas.ts';
import { settingsAnswerSchema } from './settings-answer.schema.ts';

type AppRoute = { Params: { app_id: string } };

/** `SETTING_LIMITS` in the API's spelling (snake_case keys, docs/api.md conventions). */
function limitsAnswer() {
  const { blocked_cidrs, ...ranges } = SETTING_LIMITS;
  return { ...ranges, blocked_cidrs: { max_entries: blocked_cidrs.maxEntries } };
}

/**
 * `GET /api/apps/:app_id/settings` (docs/api.md §4): the attribution settings the engine applies
 * to this app (what is stored, defaults for what is not), the defaults themselves and the limits a
 * change must respect. One source for every screen that shows them: the numbers are the
 * attribution package's, never restated. Changes go through `PATCH /api/apps/:app_id`.
 */
export async function appSettingsRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<AppRoute>(
    '/api/apps/:app_id/settings',
    { config: { policy: 'canReadApp' }, schema: { params: appParams, response: { 200: settingsAnswerSchema } } },
    async (req) => {
      const found = await getApp(deps.control, req.params.app_id);
      if (!found) throw notFound();
      return { settings: attributionSettingsOf(found.settings), defaults: defaultSettings(), limits: limitsAnswer() };
    },
  );
}
