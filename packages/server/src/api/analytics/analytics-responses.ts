import { named } from '../answers/answer-schema.ts';

/**
 * The 200 answers of the analytics routes that carry money (docs/api.md §4 and "Currencies"),
 * as JSON Schemas (api/answers/answer-schema.ts says how a route declares its answer; the shapes
 * the dashboard reads are `named`, so its generated types call them so).
 */

const count = { type: 'integer' };
const money = { type: 'number' };
const ratio = { type: ['number', 'null'] };
const text = { type: 'string' };

const closed = (properties: Record<string, object>, optional: readonly string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});

/** Days of one currency with money in range and no rate into the reporting currency: left out of the totals. */
export const missingRatesSchema = {
  type: 'array',
  description: 'Currencies and days (inclusive) whose amounts have no rate into `currency`; they are not in any total.',
  items: named('MissingRate', closed({ currency: text, from: text, to: text })),
};

const echo = { from: text, to: text };

export const overviewResponse = {
  200: named(
    'Overview',
    closed({
      total_events: count,
      active_users: count,
      total_revenue: money,
      installs: count,
      organic_installs: count,
      non_organic_installs: count,
      rejected_installs: count,
      reinstalls: count,
      clicks: count,
      impressions: count,
      reengagements: count,
      reattributions: count,
      currency: text,
      missing_rates: missingRatesSchema,
      ...echo,
    }),
  ),
};

const measures = {
  clicks: count,
  impressions: count,
  installs: count,
  conversion_rate: ratio,
  revenue: money,
  cost: money,
  roas: ratio,
  ecpi: ratio,
  reengagements: count,
  reattributions: count,
};

const DIMENSIONS = ['media_source', 'campaign', 'ad_set', 'ad', 'site_id'] as const;
const attributionRow = named(
  'AttributionRow',
  closed(
    { ...Object.fromEntries(DIMENSIONS.map((d) => [d, text])), ...measures },
    DIMENSIONS.filter((d) => d !== 'media_source'),
  ),
);
const total = named('AttributionTotal', closed(measures));

export const attributionResponse = {
  200: named(
    'AttributionReport',
    closed({
      group_by: { type: 'array', items: { type: 'string', enum: [...DIMENSIONS] } },
      currency: text,
      missing_rates: missingRatesSchema,
      rows: { type: 'array', items: attributionRow },
      totals: closed({ paid: total, organic: total, blended: total }),
      ...echo,
    }),
  ),
};

export const timeseriesResponse = {
  200: named(
    'Timeseries',
    closed(
      {
        metric: { type: 'string', enum: ['installs', 'events', 'revenue', 'active_users'] },
        interval: { type: 'string', enum: ['day', 'hour'] },
        currency: text,
        missing_rates: missingRatesSchema,
        points: { type: 'array', items: named('TimePoint', closed({ t: text, value: { type: 'number' } })) },
        ...echo,
      },
      ['currency', 'missing_rates'],
    ),
  ),
};
