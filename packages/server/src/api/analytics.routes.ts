import type { EventStore } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import type { AppKeyResolver } from '../keys/app-key-resolver.ts';
import { authorizeServerKey } from './pull-auth.ts';
import { parseTimeRange } from './time-range.ts';

export interface AnalyticsDeps {
  events: EventStore;
  keys: AppKeyResolver;
}

interface AppParams {
  app_id: string;
}

export async function analyticsRoutes(app: FastifyInstance, deps: AnalyticsDeps) {
  app.get<{ Params: AppParams; Querystring: { from?: string; to?: string } }>('/api/analytics/:app_id/overview', async (req) => {
    await authorizeServerKey(req, req.params.app_id, deps.keys);
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
  });
}
