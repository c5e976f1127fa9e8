import { LTV_MAX_DAY } from '@unmogrowp/storage';
import { missingRatesSchema } from './analytics-responses.ts';

/**
 * The JSON schemas of `GET /api/analytics/:app_id/ltv` (docs/api.md §4): the closed query and the
 * complete 200 answer, which Fastify also serializes with (a field not listed here never leaves).
 * Money is in `currency`, the app's reporting currency (docs/api.md "Currencies").
 */

const instant = { type: 'string', minLength: 1, maxLength: 40 };

export const LTV_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: instant,
    to: instant,
    group_by: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: '`media_source` (default) or `campaign` (media source and campaign)',
    },
    days: { type: 'string', minLength: 1, maxLength: 10, description: `the last day N listed, 0…${LTV_MAX_DAY} (default ${LTV_MAX_DAY})` },
  },
};

const money = { type: 'number' };
const moneyOrNull = { type: ['number', 'null'] };
const cells = {
  type: 'array',
  items: { type: ['number', 'null'] },
  description: 'index N: revenue per install to the end of day N (cumulative); null while day N has not ended',
};
const source = { type: 'string' };

const cohort = {
  type: 'object',
  additionalProperties: false,
  required: ['cohort', 'media_source', 'installs', 'ltv'],
  properties: {
    cohort: { type: 'string', format: 'date' },
    media_source: source,
    campaign: source,
    installs: { type: 'integer' },
    ltv: cells,
  },
};

const group = {
  type: 'object',
  additionalProperties: false,
  required: ['media_source', 'installs', 'cost', 'ltv', 'revenue_d7', 'cost_d7', 'roas_d7', 'revenue_d30', 'cost_d30', 'roas_d30'],
  properties: {
    media_source: source,
    campaign: source,
    installs: { type: 'integer' },
    cost: money,
    ltv: cells,
    revenue_d7: moneyOrNull,
    cost_d7: moneyOrNull,
    roas_d7: { ...moneyOrNull, description: 'revenue_d7 / cost_d7; null without cost' },
    revenue_d30: moneyOrNull,
    cost_d30: moneyOrNull,
    roas_d30: { ...moneyOrNull, description: 'revenue_d30 / cost_d30; null without cost' },
  },
};

export const LTV_RESPONSE = {
  200: {
    type: 'object',
    additionalProperties: false,
    required: ['group_by', 'days', 'currency', 'missing_rates', 'cohorts', 'groups', 'from', 'to'],
    properties: {
      group_by: { type: 'array', items: { type: 'string', enum: ['media_source', 'campaign'] } },
      days: { type: 'integer', minimum: 0, maximum: LTV_MAX_DAY },
      currency: { type: 'string', description: "the app's reporting currency, which every money figure (ltv, revenue, cost) is in" },
      missing_rates: missingRatesSchema,
      cohorts: { type: 'array', items: cohort },
      groups: { type: 'array', items: group },
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
    },
  },
};
