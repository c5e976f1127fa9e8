import type { EventStore, TimeRange } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { ATTRIBUTION_REPORT, FRAUD_REPORT, INSTALLS_EXPORT, OVERVIEW, RETENTION, TIMESERIES } from '../answers/analytics-answers.ts';
import { appParams } from '../body-schemas.ts';
import {
  ANALYTICS_QUERIES,
  analyticsRange,
  parseExportFormat,
  parseGroupBy,
  parseInterval,
  parseMetric,
  parseRetentionGroupBy,
} from './analytics-query.ts';
import { attributionTotals } from './attribution-totals.ts';
import { ENCODERS, installsStream } from './installs-export.ts';

export interface AnalyticsDeps {
  events: EventStore;
}

interface Range {
  from?: string;
  to?: string;
}
interface Req<Q> {
  Params: { app_id: string };
  Querystring: Range & Q;
}

/**
 * `/api/analytics/:app_id/*` (docs/api.md §4): any member of the app, an admin, or the app's own
 * server key as `Authorization: Bearer` (the pull API, read-only) — the gate's
 * `canReadAnalytics`. Another app's key gets the same 404 as an unknown app. The numbers are the
 * store's (its README defines each); the routes check the query, call the port and shape the
 * answer. Every answer repeats the range it covers, so a caller relying on the defaults knows it.
 */
export async function analyticsRoutes(app: FastifyInstance, deps: AnalyticsDeps) {
  const read = { policy: 'canReadAnalytics' } as const;
  const schema = (querystring: object, answer: object) => ({ params: appParams, querystring, response: { 200: answer } });

  app.get<Req<object>>(
    '/api/analytics/:app_id/overview',
    { config: read, schema: schema(ANALYTICS_QUERIES.range, OVERVIEW) },
    async (req) => {
      const range = analyticsRange(req.query);
      return { ...(await deps.events.overview(req.params.app_id, range)), ...echo(range) };
    },
  );

  app.get<Req<{ group_by?: string }>>(
    '/api/analytics/:app_id/attribution',
    { config: read, schema: schema(ANALYTICS_QUERIES.attribution, ATTRIBUTION_REPORT) },
    async (req) => {
      const range = analyticsRange(req.query);
      const groupBy = parseGroupBy(req.query.group_by);
      const rows = await deps.events.attribution(req.params.app_id, range, { groupBy });
      return { group_by: groupBy, rows, totals: attributionTotals(rows), ...echo(range) };
    },
  );

  app.get<Req<{ metric?: string; interval?: string }>>(
    '/api/analytics/:app_id/timeseries',
    { config: read, schema: schema(ANALYTICS_QUERIES.timeseries, TIMESERIES) },
    async (req) => {
      const range = analyticsRange(req.query);
      const metric = parseMetric(req.query.metric);
      const interval = parseInterval(req.query.interval, range);
      const points = await deps.events.timeseries(req.params.app_id, range, { metric, interval });
      return { metric, interval, points, ...echo(range) };
    },
  );

  app.get<Req<{ group_by?: string }>>(
    '/api/analytics/:app_id/retention',
    { config: read, schema: schema(ANALYTICS_QUERIES.retention, RETENTION) },
    async (req) => {
      const range = analyticsRange(req.query);
      const groupBy = parseRetentionGroupBy(req.query.group_by);
      const cohorts = await deps.events.retention(req.params.app_id, range, groupBy ? { groupBy } : {});
      return { ...(groupBy ? { group_by: [groupBy] } : {}), cohorts, ...echo(range) };
    },
  );

  app.get<Req<object>>(
    '/api/analytics/:app_id/fraud',
    { config: read, schema: schema(ANALYTICS_QUERIES.range, FRAUD_REPORT) },
    async (req) => {
      const range = analyticsRange(req.query);
      const report = await deps.events.fraud(req.params.app_id, range);
      // Lists named after what they count, as the dashboard reads them; totals beside them.
      return {
        rejected_installs: report.rejected_installs,
        rejected_clicks: report.rejected_clicks,
        rejected_impressions: report.rejected_impressions,
        installs: report.installs_by_reason,
        clicks: report.clicks_by_reason,
        impressions: report.impressions_by_reason,
        by_media_source: report.by_media_source,
        ...echo(range),
      };
    },
  );

  app.get<Req<{ format?: string }>>(
    '/api/analytics/:app_id/installs',
    { config: read, schema: { params: appParams, querystring: ANALYTICS_QUERIES.installs, response: { 200: INSTALLS_EXPORT } } },
    async (req, reply) => {
      const range = analyticsRange(req.query);
      const format = parseExportFormat(req.query.format);
      const body = await installsStream(deps.events.installs(req.params.app_id, range), format);
      const name = `installs-${req.params.app_id}-${day(range.from)}-${day(range.to)}.${format}`;
      return reply.type(ENCODERS[format].contentType).header('content-disposition', `attachment; filename="${name}"`).send(body);
    },
  );
}

function echo(range: TimeRange): { from: string; to: string } {
  return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
