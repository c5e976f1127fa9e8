import { type EventStore, type FxRateKey, getApp, reportingCurrencyOf, type SqlDb } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { appParams } from '../body-schemas.ts';
import { fxRatesFromCsv, fxRatesFromJson, MAX_FX_ROWS } from './fx-rate-input.ts';

export interface FxRatesDeps {
  control: SqlDb;
  events: EventStore;
}

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const currency = { type: 'string', pattern: '^[A-Z]{3}$' };

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: day, to: day, currency, to_currency: currency },
};

const rateRow = {
  type: 'object',
  additionalProperties: false,
  required: ['date', 'currency', 'to_currency', 'rate'],
  properties: { date: { type: 'string' }, currency: { type: 'string' }, to_currency: { type: 'string' }, rate: { type: 'number' } },
};

const deleteBody = {
  type: 'object',
  additionalProperties: false,
  required: ['rows'],
  properties: {
    rows: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['date', 'currency'],
        properties: { date: day, currency, to_currency: currency },
      },
    },
  },
};

const answer = (properties: Record<string, object>) => ({
  200: { type: 'object', additionalProperties: false, required: Object.keys(properties), properties },
});

type Params = { app_id: string };

/**
 * `/api/apps/:app_id/fx-rates` (docs/api.md "Currencies"): the daily exchange rates revenue and
 * spend in other currencies are converted with into the app's reporting currency. `POST`
 * (managers) takes a JSON array `[{date, currency, rate, to_currency?}]` or a CSV file with
 * those columns, all or nothing, idempotent per (date, currency, to_currency); `to_currency`
 * left out is the app's reporting currency. `GET ?from&to&currency&to_currency` (members) lists
 * the current rates, newest day first; `DELETE {rows: [{date, currency, to_currency?}]}`
 * (managers) removes them. Imports and deletions are audited (`fx_rates.import`, `fx_rates.delete`).
 */
export async function fxRatesRoutes(app: FastifyInstance, deps: FxRatesDeps) {
  // This plugin's POST takes CSV as costs do (a text/csv parser is scoped to the plugin that adds it).
  const bodyLimit = app.initialConfig.bodyLimit;
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit }, (_req, body, done) => done(null, body));

  const reportingCurrency = async (appId: string) => {
    const found = await getApp(deps.control, appId);
    if (!found) throw notFound();
    return reportingCurrencyOf(found.settings);
  };

  app.post<{ Params: Params; Body: unknown[] | string }>(
    '/api/apps/:app_id/fx-rates',
    {
      config: { policy: 'canManageApp' },
      // Rows are checked one by one in fx-rate-input.ts, so that every bad row is named in one answer.
      schema: {
        params: appParams,
        body: { anyOf: [{ type: 'array', maxItems: MAX_FX_ROWS }, { type: 'string' }] },
        response: answer({ imported: { type: 'integer' }, reporting_currency: { type: 'string' } }),
      },
    },
    async (req) => {
      const reporting = await reportingCurrency(req.params.app_id);
      const format = typeof req.body === 'string' ? 'csv' : 'json';
      const input = typeof req.body === 'string' ? fxRatesFromCsv(req.body, reporting) : fxRatesFromJson(req.body, reporting);
      if (!input.ok) {
        const first = input.problems[0]!;
        const where =
          first.line !== undefined ? `line ${first.line}` : first.index !== undefined ? `row at index ${first.index}` : 'the body';
        throw badRequest(
          'invalid_fx_rates',
          `Nothing was imported: ${input.total} problem(s), the first: ${where}${first.field ? `, \`${first.field}\`` : ''}: ${first.problem}.`,
          { problems: input.problems, total: input.total },
        );
      }
      await deps.events.upsertFxRates(req.params.app_id, input.rows);
      const days = input.rows.map((r) => r.date).sort();
      await req.audit(AUDIT_ACTIONS.fxRatesImport, {
        resource: auditResource('app', req.params.app_id),
        details: {
          format,
          rows: input.rows.length,
          first_day: days[0],
          last_day: days[days.length - 1],
          currencies: [...new Set(input.rows.map((r) => `${r.currency}→${r.to_currency}`))].slice(0, 20),
        },
      });
      return { imported: input.rows.length, reporting_currency: reporting };
    },
  );

  app.get<{ Params: Params; Querystring: { from?: string; to?: string; currency?: string; to_currency?: string } }>(
    '/api/apps/:app_id/fx-rates',
    {
      config: { policy: 'canReadApp' },
      schema: {
        params: appParams,
        querystring: listQuery,
        response: answer({ reporting_currency: { type: 'string' }, rates: { type: 'array', items: rateRow } }),
      },
    },
    async (req) => {
      const reporting = await reportingCurrency(req.params.app_id);
      const rates = await deps.events.listFxRates(req.params.app_id, req.query);
      return { reporting_currency: reporting, rates };
    },
  );

  app.delete<{ Params: Params; Body: { rows: { date: string; currency: string; to_currency?: string }[] } }>(
    '/api/apps/:app_id/fx-rates',
    {
      config: { policy: 'canManageApp' },
      schema: { params: appParams, body: deleteBody, response: answer({ deleted: { type: 'integer' } }) },
    },
    async (req) => {
      const reporting = await reportingCurrency(req.params.app_id);
      const keys: FxRateKey[] = req.body.rows.map((r) => ({ date: r.date, currency: r.currency, to_currency: r.to_currency ?? reporting }));
      await deps.events.deleteFxRates(req.params.app_id, keys);
      await req.audit(AUDIT_ACTIONS.fxRatesDelete, {
        resource: auditResource('app', req.params.app_id),
        details: { rows: keys.slice(0, 20), count: keys.length },
      });
      return { deleted: keys.length };
    },
  );
}
