import type { EventStore } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { COSTS_IMPORTED } from '../answers/app-answers.ts';
import { appParams } from '../body-schemas.ts';
import { costsFromCsv, costsFromJson, MAX_COST_ROWS } from './cost-input.ts';

export interface CostsDeps {
  events: EventStore;
}

/**
 * `POST /api/apps/:app_id/costs` (managers): ad spend for ROAS and eCPI, as a JSON array
 * `[{date, media_source, campaign?, cost, currency}]` or a CSV file (`Content-Type: text/csv`,
 * header `date,media_source,campaign,cost,currency`, campaign column optional). Idempotent per
 * (date, media_source, campaign): importing a file again replaces, never adds. All or nothing
 * (`cost-input.ts` says why). Answers `{imported: n}`; audited as `costs.import`.
 */
export async function costsRoutes(app: FastifyInstance, deps: CostsDeps) {
  // Only this plugin's routes take CSV (everywhere else text/csv stays a 415), within the listener's body limit.
  const bodyLimit = app.initialConfig.bodyLimit;
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit }, (_req, body, done) => done(null, body));

  app.post<{ Params: { app_id: string }; Body: unknown[] | string }>(
    '/api/apps/:app_id/costs',
    {
      config: { policy: 'canManageApp' },
      // Rows are checked one by one in cost-input.ts, so that every bad row is named in one answer.
      schema: {
        params: appParams,
        body: { anyOf: [{ type: 'array', maxItems: MAX_COST_ROWS }, { type: 'string' }] },
        response: { 200: COSTS_IMPORTED },
      },
    },
    async (req) => {
      const format = typeof req.body === 'string' ? 'csv' : 'json';
      const input = typeof req.body === 'string' ? costsFromCsv(req.body) : costsFromJson(req.body);
      if (!input.ok) {
        const first = input.problems[0]!;
        throw badRequest('invalid_costs', `Nothing was imported: ${input.total} problem(s), the first: ${describeProblem(first)}.`, {
          problems: input.problems,
          total: input.total,
        });
      }
      await deps.events.upsertCosts(req.params.app_id, input.rows);
      const days = input.rows.map((r) => r.date).sort();
      await req.audit(AUDIT_ACTIONS.costsImport, {
        resource: auditResource('app', req.params.app_id),
        details: {
          format,
          rows: input.rows.length,
          first_day: days[0],
          last_day: days[days.length - 1],
          media_sources: [...new Set(input.rows.map((r) => r.media_source))].slice(0, 20),
        },
      });
      return { imported: input.rows.length };
    },
  );
}

function describeProblem(p: { index?: number; line?: number; field?: string; problem: string }): string {
  const where = p.line !== undefined ? `line ${p.line}` : p.index !== undefined ? `row at index ${p.index}` : 'the body';
  return `${where}${p.field ? `, \`${p.field}\`` : ''}: ${p.problem}`;
}
