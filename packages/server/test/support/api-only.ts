import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@unmogrowp/config';
import { type EventStore, findKey, openControlStore } from '@unmogrowp/storage';
import pino from 'pino';
import { buildApiApp } from '../../src/api-app.ts';
import { AppKeyResolver } from '../../src/keys/app-key-resolver.ts';
import { createMetrics } from '../../src/ops/metrics.ts';
import { loadSigningKeys } from '../../src/security/signing-keys.ts';

/**
 * The API listener alone, over a real control store, driven with `inject()` (no socket, no event
 * store, no pipeline): for behaviour that needs its own configuration and no analytics.
 */
export async function startApiOnly(env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-api-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', VALIDATE_RESPONSES: 'true', ...env });
  const control = await openControlStore({ dataDir: dir, databaseUrl: null });
  const signing = await loadSigningKeys({ dataDir: dir });
  const keys = new AppKeyResolver((presented) => findKey(control, presented));
  const events = new Proxy({} as EventStore, {
    // Not thenable (`then` stays undefined), so nothing mistakes it for a promise.
    get: (_target, prop) => (prop === 'then' ? undefined : () => Promise.reject(new Error('no event store in an API-only test'))),
  });
  const app = await buildApiApp(
    config,
    pino({ level: 'silent' }),
    { metrics: createMetrics(), checks: [] },
    { control, events, keys, signing },
  );
  await app.ready();
  return {
    app,
    control,
    signing,
    close: async () => {
      await app.close();
      await control.close();
    },
  };
}
