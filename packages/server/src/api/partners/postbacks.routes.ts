import {
  countPostbacksByStatus,
  getPostback,
  listPostbacks,
  type PostbackStatus,
  postbackMediaSources,
  retryFailedPostback,
} from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { AppError, notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { POSTBACK_LOG, POSTBACK_RETRIED } from '../answers/app-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { appParams } from '../body-schemas.ts';
import { postbackParams, postbacksQuery } from './partner-schemas.ts';
import { postbackView } from './postback-view.ts';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

type LogQuery = { status?: PostbackStatus; media_source?: string; limit?: string; offset?: string };

/**
 * `GET /api/apps/:app_id/postbacks?status&media_source&limit&offset`: the delivery log, newest
 * first, each postback with every attempt, a page of it, with the counts by status (for the chosen
 * network) and the networks present. Any member reads it (analysts too): it is how a campaign
 * team checks that the network was told. "Retry now" of a failed one is a manager's.
 */
export async function postbacksRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Params: { app_id: string }; Querystring: LogQuery }>(
    '/api/apps/:app_id/postbacks',
    { config: { policy: 'canReadApp' }, schema: { params: appParams, querystring: postbacksQuery, response: { 200: POSTBACK_LOG } } },
    async (req) => {
      const limit = Math.min(Math.max(Number(req.query.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
      const offset = Number(req.query.offset ?? 0);
      const { status, media_source } = req.query;
      const appId = req.params.app_id;
      const [postbacks, counts, mediaSources] = await Promise.all([
        listPostbacks(deps.control, appId, { status, media_source, limit, offset }),
        countPostbacksByStatus(deps.control, appId, { media_source }),
        postbackMediaSources(deps.control, appId),
      ]);
      const total = status ? counts[status] : counts.pending + counts.delivered + counts.failed;
      // Managers (and admins) wrote the template and see it whole; analysts see it masked.
      const canSeeSecrets = req.appAccess?.member_role === 'manager' || req.account?.user.role === 'admin';
      return { postbacks: postbacks.map((p) => postbackView(p, canSeeSecrets)), counts, total, limit, offset, media_sources: mediaSources };
    },
  );

  app.post<{ Params: { app_id: string; postback_id: string } }>(
    '/api/apps/:app_id/postbacks/:postback_id/retry',
    { config: { policy: 'canManageApp' }, schema: { params: postbackParams, response: { 200: POSTBACK_RETRIED } } },
    async (req) => {
      const { app_id: appId, postback_id: id } = req.params;
      const retried = await retryFailedPostback(deps.control, appId, id, Date.now());
      if (!retried) {
        const found = await getPostback(deps.control, id);
        if (!found || found.app_id !== appId) throw notFound();
        throw new AppError(409, 'not_failed', `Only a failed postback can be retried; this one is ${found.status}.`);
      }
      await req.audit(AUDIT_ACTIONS.postbackRetry, {
        resource: auditResource('app', appId),
        details: { postback_id: id, media_source: retried.media_source, attempts: retried.attempts },
      });
      const entry = await getPostback(deps.control, id);
      return { postback: entry ? postbackView(entry, true) : null };
    },
  );
}
