import { allowedTargets, refusedTargetOf } from '@unmogrowp/pipeline';
import { cancelPendingPostbacks, deletePartner, getPartner, listPartners, type PartnerInput, putPartner } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { NO_CONTENT } from '../answers/answer-schema.ts';
import { PARTNER_ANSWER, PARTNER_SAVED, PARTNERS_LIST } from '../answers/app-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { appParams } from '../body-schemas.ts';
import { partnerParams, partnerPutBody } from './partner-schemas.ts';
import { partnerWarnings } from './partner-warnings.ts';

type PartnerRoute = { Params: { app_id: string; media_source: string } };

const PARTNER_NOT_FOUND = 'No postback is configured for this media source in this app.';

/** `partner:<app_id>/<media_source>`: a partner is known by the pair. */
const partnerResource = (appId: string, mediaSource: string) => auditResource('partner', `${appId}/${mediaSource}`);

/**
 * `/api/apps/:app_id/partners[/:media_source]` (docs/api.md §4): the postback template per media
 * source, managers only (the gate's `canManageApp`). PUT replaces the whole template and warns
 * about `{names}` that are not macros; the list route is an extension the dashboard uses.
 *
 * Postbacks already queued were rendered with the template of their time; once the manager
 * removes or pauses the partner they are stopped too (marked failed with the reason, counted in
 * `cancelled_pending`) rather than sent to a network that is no longer wanted.
 */
export async function partnersRoutes(app: FastifyInstance, deps: ApiDeps) {
  const manage = { policy: 'canManageApp' } as const;
  const allowed = allowedTargets(deps.config.postbackAllowedCidrs);

  app.get<{ Params: { app_id: string } }>(
    '/api/apps/:app_id/partners',
    { config: manage, schema: { params: appParams, response: { 200: PARTNERS_LIST } } },
    async (req) => ({
      partners: await listPartners(deps.control, req.params.app_id),
    }),
  );

  app.get<PartnerRoute>(
    '/api/apps/:app_id/partners/:media_source',
    { config: manage, schema: { params: partnerParams, response: { 200: PARTNER_ANSWER } } },
    async (req) => {
      const partner = await getPartner(deps.control, req.params.app_id, req.params.media_source);
      if (!partner) throw notFound(PARTNER_NOT_FOUND);
      return { partner };
    },
  );

  app.put<PartnerRoute & { Body: PartnerInput }>(
    '/api/apps/:app_id/partners/:media_source',
    { config: manage, schema: { params: partnerParams, body: partnerPutBody, response: { 200: PARTNER_SAVED, 201: PARTNER_SAVED } } },
    async (req, reply) => {
      const { app_id, media_source } = req.params;
      const refusal = typeof req.body.url === 'string' ? await refusedTargetOf(req.body.url, allowed) : null;
      if (refusal) {
        throw badRequest(
          'invalid_partner',
          `This postback target is refused: ${refusal}. An operator can allow a range with POSTBACK_ALLOWED_CIDRS.`,
          {
            field: 'url',
          },
        );
      }
      const saved = await req.audited(
        AUDIT_ACTIONS.partnerUpsert,
        async (db) => {
          const put = await putPartner(db, app_id, media_source, req.body);
          if (!put) return null;
          const cancelled = put.partner.enabled
            ? 0
            : await cancelPendingPostbacks(db, app_id, put.partner.media_source, 'partner disabled');
          return { ...put, cancelled };
        },
        (done) =>
          done && {
            resource: partnerResource(app_id, done.partner.media_source),
            details: {
              created: done.created,
              url: done.partner.url,
              method: done.partner.method,
              events: done.partner.events,
              enabled: done.partner.enabled,
              cancelled_pending: done.cancelled,
            },
          },
      );
      if (!saved) throw notFound();
      const { partner, created, unknown_macros, cancelled } = saved;
      return reply
        .code(created ? 201 : 200)
        .send({ partner, created, unknown_macros, warnings: partnerWarnings(unknown_macros), cancelled_pending: cancelled });
    },
  );

  app.delete<PartnerRoute>(
    '/api/apps/:app_id/partners/:media_source',
    { config: manage, schema: { params: partnerParams, response: { 204: NO_CONTENT } } },
    async (req, reply) => {
      const { app_id, media_source } = req.params;
      const removed = await req.audited(
        AUDIT_ACTIONS.partnerDelete,
        async (db) => {
          const before = await getPartner(db, app_id, media_source);
          if (!before || !(await deletePartner(db, app_id, media_source))) return null;
          return { before, cancelled: await cancelPendingPostbacks(db, app_id, media_source, 'partner removed') };
        },
        // The trail keeps what the template was: it is gone from the store.
        (done) =>
          done && {
            resource: partnerResource(app_id, media_source),
            details: {
              url: done.before.url,
              method: done.before.method,
              events: done.before.events,
              enabled: done.before.enabled,
              cancelled_pending: done.cancelled,
            },
          },
      );
      if (!removed) throw notFound(PARTNER_NOT_FOUND);
      return reply.code(204).send();
    },
  );
}
