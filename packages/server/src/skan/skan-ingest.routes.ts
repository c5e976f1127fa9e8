import type { KeyObject } from 'node:crypto';
import { PostbackShapeError, parsePublicKey, readPostback } from '@unmogrowp/attribution';
import { findAppByAppleId, insertSkanPostback, insertUnverifiedSkanPostback, type SqlDb } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../http/app-error.ts';
import { forwardSkanCopy } from './skan-forward.ts';

export interface SkanIngestDeps {
  control: SqlDb;
  skanTestPublicKey: string | null;
  skanAcceptDevelopmentKeys: boolean;
}

/** Apple's postbacks are a few hundred bytes; anything far larger is not one. */
const SKAN_BODY_LIMIT = 16 * 1024;
const PATHS = ['/.well-known/skadnetwork/report-attribution/', '/.well-known/appattribution/report-attribution/'];

/**
 * The copy endpoints Apple posts SKAdNetwork and AdAttributionKit postbacks to (docs/skadnetwork.md).
 * Public: Apple sends no key; the app is the one whose `apple_app_id` setting is the postback's
 * App Store id. Verified postbacks are stored once per (transaction id, window); the others are
 * kept apart with the reason. Apple retries anything but 200 for days, so every readable postback
 * is answered 200 — also an unverifiable one, which retrying would not fix. Only a body that is
 * not a postback at all gets 400.
 */
export async function skanIngestRoutes(app: FastifyInstance, deps: SkanIngestDeps) {
  const testKeys: KeyObject[] = deps.skanTestPublicKey ? [parsePublicKey(deps.skanTestPublicKey)] : [];
  for (const url of PATHS) {
    app.post(url, { bodyLimit: SKAN_BODY_LIMIT }, async (req, reply) => {
      const receivedAt = new Date();
      let read: ReturnType<typeof readPostback>;
      try {
        read = readPostback(req.body, { testKeys, acceptDevelopmentKeys: deps.skanAcceptDevelopmentKeys });
      } catch (err) {
        if (err instanceof PostbackShapeError) throw badRequest('invalid_postback', err.message, { field: err.field });
        throw err;
      }
      const { postback, verification } = read;
      const appId = await findAppByAppleId(deps.control, postback.app_id);
      if (!appId) {
        await insertUnverifiedSkanPostback(deps.control, null, `unknown_app: ${postback.app_id}`, req.body, receivedAt);
        return reply.code(200).send({ stored: false, reason: 'unknown_app' });
      }
      if (!verification.verified) {
        await insertUnverifiedSkanPostback(deps.control, appId, verification.reason, req.body, receivedAt);
        req.log.warn({ app_id: appId, reason: verification.reason }, 'unverifiable Apple postback kept apart');
        return reply.code(200).send({ stored: false, reason: verification.reason });
      }
      const stored = await insertSkanPostback(deps.control, appId, postback, verification.signer, req.body, receivedAt);
      if (stored) await forwardSkanCopy(deps.control, appId, postback, req.body, receivedAt.getTime());
      return reply.code(200).send({ stored, duplicate: !stored });
    });
  }
}
