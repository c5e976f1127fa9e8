import { type DeepLinkingApp, listDeepLinkingApps, type SqlDb } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { appSiteAssociation, assetLinks } from './association-documents.ts';

/** Apple's CDN and Android's verifier fetch these rarely; a settings change shows within this time. */
const CACHE_MS = 5_000;

/**
 * `GET /.well-known/apple-app-site-association` and `GET /.well-known/assetlinks.json` on the
 * click domain: public, JSON, never a redirect (both verifiers refuse one).
 */
export async function associationRoutes(app: FastifyInstance, deps: { control: Pick<SqlDb, 'query'> }) {
  let cached: { apps: Promise<DeepLinkingApp[]>; until: number } | null = null;
  const apps = () => {
    if (!cached || cached.until < Date.now()) {
      const loading = listDeepLinkingApps(deps.control);
      cached = { apps: loading, until: Date.now() + CACHE_MS };
      loading.catch(() => (cached = null));
    }
    return cached.apps;
  };
  app.get('/.well-known/apple-app-site-association', async (_req, reply) =>
    reply
      .type('application/json')
      .header('cache-control', 'public, max-age=300')
      .send(appSiteAssociation(await apps())),
  );
  app.get('/.well-known/assetlinks.json', async (_req, reply) =>
    reply
      .type('application/json')
      .header('cache-control', 'public, max-age=300')
      .send(assetLinks(await apps())),
  );
}
