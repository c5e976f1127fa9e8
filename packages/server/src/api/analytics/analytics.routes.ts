import { type EventStore, getApp, reportingCurrencyOf, type SqlDb, type TimeRange } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../http/app-error.ts';
import { FRAUD_REPORT, INSTALLS_EXPORT, RETENTION } from '../answers/analytics-answers.ts';
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
import { attributionResponse, overviewResponse, timeseriesResponse } from './analytics-responses.ts';
import { attributionTotals } from './attribution-totals.ts';
import { ENCODERS, installsStream } from './installs-export.ts';

export interface AnalyticsDeps {
  control: SqlDb;
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
 * Money is in the app's reporting currency (`currency` in the answer), converted with the rates
 * the operator loaded; `missing_rates` names what could not be converted and was left out.
 */
export async function analyticsRoutes(app: FastifyInstance, deps: AnalyticsDeps) {
  const read = { policy: 'canReadAnalytics' } as const;
  const schema = (querystring: object, response?: object) => ({ params: appParams, querystring, ...(response ? { response } : {}) });
  const reportingCurrency = async (appId: string) => {
    const found = await getApp(deps.control, appId);
    if (!found) throw notFound();
    return reportingCurrencyOf(found.settings);
  };

  app.get<Req<object>>(
    '/api/analytics/:app_id/overview',
    { config: read, schema: schema(ANALYTICS_QUERIES.range, overviewResponse) },
    async (req) => {
      const range = analyticsRange(req.query);
      const currency = await reportingCurrency(req.params.app_id);
      // One statement for both: the reader runs one at a time, so two would queue behind each other.
      const { overview, missing_rates } = await deps.events.overviewWithMissingRates(req.params.app_id, range, { currency });
      return { ...overview, currency, missing_rates, ...echo(range) };
    },
  );

  app.get<Req<{ group_by?: string }>>(
    '/api/analytics/:app_id/attribution',
    { config: read, schema: schema(ANALYTICS_QUERIES.attribution, attributionResponse) },
    async (req) => {
      const range = analyticsRange(req.query);
      const groupBy = parseGroupBy(req.query.group_by);
      const currency = await reportingCurrency(req.params.app_id);
      const [rows, missing] = await Promise.all([
        deps.events.attribution(req.params.app_id, range, { groupBy, currency }),
        deps.events.missingRates(req.params.app_id, range, { currency, costs: true }),
      ]);
      return { group_by: groupBy, currency, missing_rates: missing, rows, totals: attributionTotals(rows), ...echo(range) };
    },
  );

  app.get<Req<{ metric?: string; interval?: string }>>(
    '/api/analytics/:app_id/timeseries',
    { config: read, schema: schema(ANALYTICS_QUERIES.timeseries, timeseriesResponse) },
    async (req) => {
      const range = analyticsRange(req.query);
      const metric = parseMetric(req.query.metric);
      const interval = parseInterval(req.query.interval, range);
      if (metric !== 'revenue') {
        const points = await deps.events.timeseries(req.params.app_id, range, { metric, interval });
        return { metric, interval, points, ...echo(range) };
      }
      // Revenue is money: in the reporting currency, with what could not be converted named.
      const currency = await reportingCurrency(req.params.app_id);
      const [points, missing] = await Promise.all([
        deps.events.timeseries(req.params.app_id, range, { metric, interval, currency }),
        deps.events.missingRates(req.params.app_id, range, { currency }),
      ]);
      return { metric, interval, currency, missing_rates: missing, points, ...echo(range) };
    },
  );

  app.get<Req<{ group_by?: string }>>(
    '/api/analytics/:app_id/retention',
    { config: read, schema: schema(ANALYTICS_QUERIES.retention, { 200: RETENTION }) },
    async (req) => {
      const range = analyticsRange(req.query);
      const groupBy = parseRetentionGroupBy(req.query.group_by);
      const cohorts = await deps.events.retention(req.params.app_id, range, groupBy ? { groupBy } : {});
      return { ...(groupBy ? { group_by: [groupBy] } : {}), cohorts, ...echo(range) };
    },
  );

  app.get<Req<object>>(
    '/api/analytics/:app_id/fraud',
    { config: read, schema: schema(ANALYTICS_QUERIES.range, { 200: FRAUD_REPORT }) },
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
    { config: read, schema: schema(ANALYTICS_QUERIES.installs, { 200: INSTALLS_EXPORT }) },
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
