import type { FastifyRequest } from 'fastify';
import { notFound, unauthorized } from '../http/app-error.ts';
import type { AppKeyResolver } from '../keys/app-key-resolver.ts';

/**
 * Pull API (API.md §4): an analytics route also accepts the app's server key as a Bearer
 * token — read-only, that app only. Another app's key gets the same 404 as an unknown app, so
 * a key cannot be used to learn which app ids exist.
 */
export async function authorizeServerKey(req: FastifyRequest, appId: string, keys: AppKeyResolver): Promise<void> {
  const auth = req.headers.authorization ?? '';
  const [scheme, token] = auth.split(' ', 2);
  if (scheme?.toLowerCase() !== 'bearer' || !token) {
    throw unauthorized('not_authenticated', 'Send `Authorization: Bearer <server key or access token>`.');
  }
  const key = await keys.resolve(token);
  if (!key || key.kind !== 'server') throw unauthorized('invalid_token', 'This token is unknown, expired or revoked.');
  if (key.app_id !== appId) throw notFound('No such app.');
}
