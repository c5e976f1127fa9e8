import type { Config } from '@unmogrowp/config';
import type { Logger } from 'pino';
import type { ApiDeps } from '../api/api-deps.ts';
import { buildApiApp } from '../api-app.ts';
import type { OpsDeps } from '../ops/ops.routes.ts';
import { loadSigningKeys } from '../security/signing-keys.ts';

/**
 * The api role: the API and dashboard listener over the control store and the event store's
 * analytics. Its signing key comes from JWT_PRIVATE_KEY, else from a shared PostgreSQL, else
 * from DATA_DIR, so several api processes on one PostgreSQL accept each other's tokens.
 */
export async function buildApiRole(config: Config, logger: Logger, ops: OpsDeps, ports: Omit<ApiDeps, 'config' | 'signing'>) {
  const signing = await loadSigningKeys({ privateKeyPem: config.jwtPrivateKey, dataDir: config.dataDir, control: ports.control });
  logger.info({ source: signing.source }, 'access-token signing key loaded');
  const app = await buildApiApp(config, logger, ops, { ...ports, signing });
  return { app, signing };
}
