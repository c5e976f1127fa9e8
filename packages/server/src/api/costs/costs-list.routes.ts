import type { CostKey, EventStore } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { COSTS_DELETED, COSTS_LIST } from '../answers/app-answers.ts';
import { appParams } from '../body-schemas.ts';

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const source = { type: 'string', minLength: 1, maxLength: 200 };

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: day, to: day, media_source: source },
};

const deleteBody = {
  type: 'object',
  additionalProperties: false,
  required: ['rows'],
  properties: {
    rows: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['date', 'media_source'],
        properties: { date: day, media_source: source, campaign: { type: 'string', maxLength: 200 } },
      },
    },
  },
};

type Params = { app_id: string };

/**
 * What was imported as spend, to check and correct it: `GET /api/apps/:app_id/costs?from&to&media_source`
 * (days inclusive; any member, as the spend is in the attribution table anyway) lists the current
 * value of each (date, media_source, campaign), newest day first; `DELETE` with `{rows: [{date,
 * media_source, campaign}]}` (managers, audited as `costs.delete`) removes them. Editing a value is
 * importing that row again (`POST …/costs`), which replaces it.
 */
export async function costsListRoutes(app: FastifyInstance, deps: { events: EventStore }) {
  app.get<{ Params: Params; Querystring: { from?: string; to?: string; media_source?: string } }>(
    '/api/apps/:app_id/costs',
    { config: { policy: 'canReadApp' }, schema: { params: appParams, querystring: listQuery, response: { 200: COSTS_LIST } } },
    async (req) => {
      const { from, to, media_source } = req.query;
      const rows = await deps.events.listCosts(req.params.app_id, { from, to, media_source });
      return { costs: rows };
    },
  );

  app.delete<{ Params: Params; Body: { rows: { date: string; media_source: string; campaign?: string }[] } }>(
    '/api/apps/:app_id/costs',
    { config: { policy: 'canManageApp' }, schema: { params: appParams, body: deleteBody, response: { 200: COSTS_DELETED } } },
    async (req) => {
      const keys: CostKey[] = req.body.rows.map((r) => ({ date: r.date, media_source: r.media_source, campaign: r.campaign ?? '' }));
      await deps.events.deleteCosts(req.params.app_id, keys);
      await req.audit(AUDIT_ACTIONS.costsDelete, {
        resource: auditResource('app', req.params.app_id),
        details: { rows: keys.slice(0, 20), count: keys.length },
      });
      return { deleted: keys.length };
    },
  );
}
