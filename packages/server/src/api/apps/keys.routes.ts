import { displayPrefix, rotateKeys } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { APP_KEYS } from '../answers/app-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { appParams } from '../body-schemas.ts';

/**
 * `POST /api/apps/:app_id/keys`: new SDK and server keys; the old pair is revoked in the same
 * transaction and dropped from the key cache, so it is refused on the very next request (ingest
 * and pull API alike). The new server key is in this answer only.
 */
export async function keysRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.post<{ Params: { app_id: string } }>(
    '/api/apps/:app_id/keys',
    { config: { policy: 'canManageApp' }, schema: { params: appParams, response: { 200: APP_KEYS } } },
    async (req) => {
      const keys = await req.audited(
        AUDIT_ACTIONS.keyRotate,
        (db) => rotateKeys(db, req.params.app_id),
        (rotated) =>
          rotated && {
            resource: auditResource('app', req.params.app_id),
            details: { sdk_key_prefix: displayPrefix(rotated.sdk_key), server_key_prefix: displayPrefix(rotated.server_key) },
          },
      );
      if (!keys) throw notFound();
      deps.keys.forgetApp(req.params.app_id);
      return { sdk_key: keys.sdk_key, server_key: keys.server_key, ingest_url: deps.config.publicIngestUrl };
    },
  );
}
