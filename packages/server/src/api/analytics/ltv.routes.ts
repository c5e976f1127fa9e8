import {
  type EventStore,
  getApp,
  LTV_DIMENSIONS,
  LTV_MAX_DAY,
  type LtvDimension,
  reportingCurrencyOf,
  type SqlDb,
} from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../../http/app-error.ts';
import { appParams } from '../body-schemas.ts';
import { analyticsRange } from './analytics-query.ts';
import { LTV_QUERY, LTV_RESPONSE } from './ltv-schema.ts';

type LtvRoute = { Params: { app_id: string }; Querystring: { from?: string; to?: string; group_by?: string; days?: string } };

/** `group_by=media_source` (default) or `campaign`, also as the list `media_source,campaign`: campaigns are per source. */
export function parseLtvGroupBy(value: string | undefined): LtvDimension[] {
  const requested = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of requested) {
    if (!(LTV_DIMENSIONS as readonly string[]).includes(name)) {
      throw badRequest('invalid_group_by', `\`group_by\` cannot be ${JSON.stringify(name)}; use media_source or campaign.`, {
        field: 'group_by',
        value: name,
        allowed: LTV_DIMENSIONS,
      });
    }
  }
  return requested.includes('campaign') ? ['media_source', 'campaign'] : ['media_source'];
}

/** `days`: the last day N listed, a whole number 0…90; default 90. */
export function parseLtvDays(value: string | undefined): number {
  if (value === undefined) return LTV_MAX_DAY;
  const days = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!(days >= 0 && days <= LTV_MAX_DAY)) {
    throw badRequest('invalid_days', `\`days\` must be a whole number from 0 to ${LTV_MAX_DAY}, not ${JSON.stringify(value)}.`, {
      field: 'days',
      value,
      min: 0,
      max: LTV_MAX_DAY,
    });
  }
  return days;
}

/**
 * `GET /api/analytics/:app_id/ltv?from&to&group_by&days`: cohort LTV and ROAS D7/D30 (docs/api.md
 * §4; the numbers are the store's, defined in its README). Who may read it is the analytics
 * routes' rule (`canReadAnalytics`, the server key included). Money is in the app's reporting
 * currency (`currency`), converted like the other analytics routes' (docs/api.md "Currencies");
 * `missing_rates` names what had no rate and was left out.
 */
export async function ltvRoutes(app: FastifyInstance, deps: { control: SqlDb; events: EventStore }) {
  app.get<LtvRoute>(
    '/api/analytics/:app_id/ltv',
    { config: { policy: 'canReadAnalytics' }, schema: { params: appParams, querystring: LTV_QUERY, response: LTV_RESPONSE } },
    async (req) => {
      const range = analyticsRange(req.query);
      const groupBy = parseLtvGroupBy(req.query.group_by);
      const days = parseLtvDays(req.query.days);
      const found = await getApp(deps.control, req.params.app_id);
      if (!found) throw notFound();
      const currency = reportingCurrencyOf(found.settings);
      const report = await deps.events.ltv(req.params.app_id, range, { groupBy, days, currency });
      return {
        group_by: groupBy,
        days,
        currency,
        ...report,
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
      };
    },
  );
}
