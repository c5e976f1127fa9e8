import type { EventStore } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { parseTimeRange } from './time-range.ts';

export interface AnalyticsDeps {
  events: EventStore;
}

interface AppParams {
  app_id: string;
}

/**
 * `/api/analytics/:app_id…`: any member of the app, an admin, or the app's own server key as
 * `Authorization: Bearer` (the pull API, read-only) — the gate's `canReadAnalytics`. Another
 * app's key gets the same 404 as an unknown app, so a key does not reveal which app ids exist.
 */
export async function analyticsRoutes(app: FastifyInstance, deps: AnalyticsDeps) {
  const read = { policy: 'canReadAnalytics' } as const;
  app.get<{ Params: AppParams; Querystring: { from?: string; to?: string } }>(
    '/api/analytics/:app_id/overview',
    { config: read },
    async (req) => {
      const range = parseTimeRange(req.query);
      const overview = await deps.events.overview(req.params.app_id, range);
      // Install and click fields come from the attribution pipeline (a later issue); zero until then.
      return {
        ...overview,
        installs: 0,
        organic_installs: 0,
        non_organic_installs: 0,
        rejected_installs: 0,
        reinstalls: 0,
        clicks: 0,
        impressions: 0,
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
      };
    },
  );
}
