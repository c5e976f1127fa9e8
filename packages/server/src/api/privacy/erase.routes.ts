import { createEraseRequest, type EraseKind, getEraseRequest } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { ERASE_ACCEPTED, ERASE_REQUEST } from '../answers/app-answers.ts';
import type { ApiDeps } from '../api-deps.ts';

/** One identifier, printable, as SDKs send them (IDFV/GAID/UUIDs, customer user ids). */
const identifier = { type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\x00-\\x1f\\x7f]+$' };
const eraseBody = {
  type: 'object',
  additionalProperties: false,
  properties: { device_id: identifier, advertising_id: identifier, user_id: identifier },
  minProperties: 1,
  maxProperties: 1,
};
const id = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' };
const eraseParams = {
  type: 'object',
  additionalProperties: false,
  properties: { app_id: id, request_id: id },
  required: ['app_id', 'request_id'],
};
const appParams = { type: 'object', additionalProperties: false, properties: { app_id: id }, required: ['app_id'] };

type EraseBody = Partial<Record<EraseKind, string>>;

/**
 * `POST /api/apps/:app_id/privacy/erase` and `GET …/erase/:request_id` (docs/privacy.md). The
 * request is a row (and its audit entry) in one transaction before anything is deleted; the
 * erase worker does the work and finishes it after a restart. Managers ask; any member may
 * follow progress. The answer never repeats the identifier.
 */
export async function eraseRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.post<{ Params: { app_id: string }; Body: EraseBody }>(
    '/api/apps/:app_id/privacy/erase',
    { config: { policy: 'canManageApp' }, schema: { params: appParams, body: eraseBody, response: { 202: ERASE_ACCEPTED } } },
    async (req, reply) => {
      const [kind, value] = Object.entries(req.body)[0] as [EraseKind, string];
      const request = await req.audited(
        AUDIT_ACTIONS.eraseRequest,
        (db) => createEraseRequest(db, { app_id: req.params.app_id, kind, value, requested_by: req.account?.user.id ?? null }),
        (created) => ({ resource: auditResource('app', req.params.app_id), details: { erase_request_id: created.request_id, kind } }),
      );
      deps.erase?.wake();
      return reply.code(202).send({ request_id: request.request_id, status: request.status, requested_at: request.requested_at });
    },
  );

  app.get<{ Params: { app_id: string; request_id: string } }>(
    '/api/apps/:app_id/privacy/erase/:request_id',
    { config: { policy: 'canReadApp' }, schema: { params: eraseParams, response: { 200: ERASE_REQUEST } } },
    async (req) => {
      const found = await getEraseRequest(deps.control, req.params.app_id, req.params.request_id);
      if (!found) throw notFound('No erase request with this id in this app.');
      const { app_id: _app, ...view } = found;
      return view;
    },
  );
}
