import { loadConfig } from '@unmogrowp/config';
import pino from 'pino';
import { buildApiApp } from '../../api-app.ts';
import { createMetrics } from '../../ops/metrics.ts';
import type { ApiDeps } from '../api-deps.ts';
import { OPENAPI_VERSION } from './openapi.routes.ts';
import { openApiDocument } from './openapi-document.ts';

/** Dependencies that are never called: building the listener only registers routes. */
const inert = new Proxy(
  {},
  {
    // Not thenable (`then` stays undefined), so nothing mistakes it for a promise.
    get: (_target, prop) =>
      prop === 'then'
        ? undefined
        : () => {
            throw new Error('The route table is being read; nothing is served.');
          },
  },
);

/**
 * The OpenAPI document `GET /api/openapi.json` serves, without a running server: the API listener
 * is built with inert dependencies and the default configuration (no store opened, no port
 * listened on), its route table read, and the listener closed. The dashboard's type generator
 * (packages/dashboard/build-tools/api-types.ts) starts from here.
 */
export async function routeTableDocument(): Promise<Record<string, unknown>> {
  const deps = { control: inert, events: inert, keys: inert, signing: inert } as unknown as Omit<ApiDeps, 'config'>;
  const app = await buildApiApp(
    loadConfig({ LOG_LEVEL: 'silent' }),
    pino({ level: 'silent' }),
    { metrics: createMetrics(), checks: [] },
    deps,
    {
      dashboardDir: '/nonexistent/dashboard-build',
    },
  );
  try {
    await app.ready();
    return openApiDocument(app.routeTable(), OPENAPI_VERSION);
  } finally {
    await app.close();
  }
}
