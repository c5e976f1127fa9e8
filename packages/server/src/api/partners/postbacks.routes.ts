import { listPostbacks, type PostbackStatus } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.ts';
import { appParams } from '../body-schemas.ts';
import { postbacksQuery } from './partner-schemas.ts';
import { postbackView } from './postback-view.ts';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/**
 * `GET /api/apps/:app_id/postbacks?status&limit` (API.md §4): the delivery log, newest first,
 * each postback with every attempt. Any member reads it (analysts too): it is how a campaign
 * team checks that the network was told, without the right to change the template.
 */
export async function postbacksRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Params: { app_id: string }; Querystring: { status?: PostbackStatus; limit?: string } }>(
    '/api/apps/:app_id/postbacks',
    { config: { policy: 'canReadApp' }, schema: { params: appParams, querystring: postbacksQuery } },
    async (req) => {
      const limit = Math.min(Math.max(Number(req.query.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
      const postbacks = await listPostbacks(deps.control, req.params.app_id, { status: req.query.status, limit });
      // Managers (and admins) wrote the template and see it whole; analysts see it masked.
      const canSeeSecrets = req.appAccess?.member_role === 'manager' || req.account?.user.role === 'admin';
      return { postbacks: postbacks.map((p) => postbackView(p, canSeeSecrets)) };
    },
  );
}
