import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@unmogrowp/config';
import { type EventStore, findKey, openControlStore } from '@unmogrowp/storage';
import pino from 'pino';
import type { ApiDeps } from '../../src/api/api-deps.ts';
import { buildApiApp } from '../../src/api-app.ts';
import { AppKeyResolver } from '../../src/keys/app-key-resolver.ts';
import { createMetrics } from '../../src/ops/metrics.ts';
import { loadSigningKeys } from '../../src/security/signing-keys.ts';

/**
 * The API listener alone on a real socket (port 0), over a real control store and without the
 * event store or pipeline: for the configuration routes (links, partners, the postback log),
 * with the hooks the composition root would connect (`onLinkChanged`) given by the test.
 */
export async function startApiListener(env: Record<string, string> = {}, hooks: Pick<ApiDeps, 'onLinkChanged'> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-api-listener-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', VALIDATE_RESPONSES: 'true', ...env });
  const control = await openControlStore({ dataDir: dir, databaseUrl: null });
  const signing = await loadSigningKeys({ dataDir: dir });
  const keys = new AppKeyResolver((presented) => findKey(control, presented));
  const events = new Proxy({} as EventStore, {
    // Not thenable (`then` stays undefined), so nothing mistakes it for a promise.
    get: (_target, prop) => (prop === 'then' ? undefined : () => Promise.reject(new Error('no event store in this test'))),
  });
  const app = await buildApiApp(
    config,
    pino({ level: 'silent' }),
    { metrics: createMetrics(), checks: [] },
    {
      control,
      events,
      keys,
      signing,
      ...hooks,
    },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    config,
    control,
    signing,
    close: async () => {
      await app.close();
      await control.close();
    },
  };
}
