import type { EventStore } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { LINK_STATS_LIST } from '../answers/analytics-answers.ts';
import { appParams } from '../body-schemas.ts';
import { ANALYTICS_QUERIES, analyticsRange } from './analytics-query.ts';

type LinkStatsRoute = { Params: { app_id: string }; Querystring: { from?: string; to?: string } };

/**
 * `GET /api/analytics/:app_id/links?from&to`: each tracking link's valid clicks, impressions,
 * attributed installs and conversion (installs / clicks; null without clicks) over the range,
 * exact from the raw tables. Who may read it is the analytics routes' rule (`canReadAnalytics`,
 * the server key included). Links without traffic are absent; the links list shows them as 0.
 */
export async function linkStatsRoutes(app: FastifyInstance, deps: { events: EventStore }) {
  app.get<LinkStatsRoute>(
    '/api/analytics/:app_id/links',
    {
      config: { policy: 'canReadAnalytics' },
      schema: { params: appParams, querystring: ANALYTICS_QUERIES.range, response: { 200: LINK_STATS_LIST } },
    },
    async (req) => {
      const range = analyticsRange(req.query);
      const links = await deps.events.linkStats(req.params.app_id, range);
      return { links, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
    },
  );
}
