import type { Config } from '@unmogrowp/config';
import { MAX_BODY_BYTES } from '@unmogrowp/schema';
import type { ClickLinkCache, SqlDb } from '@unmogrowp/storage';
import type { Logger } from 'pino';
import { clickRoutes } from './clicks/clicks.routes.ts';
import { associationRoutes } from './deep-links/association.routes.ts';
import { type AttributionRouteDeps, attributionRoutes } from './deep-links/attribution.routes.ts';
import { buildBaseApp } from './http/base-app.ts';
import { type IngestRouteDeps, ingestRoutes } from './ingest/ingest.routes.ts';
import { installIngestBody } from './ingest/ingest-body.ts';
import type { OpsDeps } from './ops/ops.routes.ts';
import { skanIngestRoutes } from './skan/skan-ingest.routes.ts';

/** The ingest listener (docs/api.md §2): SDK events in three wire formats, clicks and impressions,
 * Apple postbacks, the SDK's attribution + deferred deep link, and the app association documents. */
export async function buildIngestApp(
  config: Config,
  logger: Logger,
  ops: OpsDeps,
  deps: IngestRouteDeps & AttributionRouteDeps & { links: ClickLinkCache; control: SqlDb },
) {
  const app = await buildBaseApp('ingest', config, logger, ops, MAX_BODY_BYTES);
  installIngestBody(app, MAX_BODY_BYTES);
  await app.register(ingestRoutes, deps);
  await app.register(clickRoutes, deps);
  await app.register(skanIngestRoutes, {
    control: deps.control,
    skanTestPublicKey: config.skanTestPublicKey,
    skanAcceptDevelopmentKeys: config.skanAcceptDevelopmentKeys,
  });
  await app.register(attributionRoutes, deps);
  await app.register(associationRoutes, deps);
  return app;
}
