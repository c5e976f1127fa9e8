import { amount, answer, count, day, flag, instant, instantOrNull, listOf, mapOf, named, oneOf, ratio, text } from './answer-schema.ts';

/**
 * What `/api/analytics/:app_id/*` answers (docs/api.md §4; the storage package README defines
 * each number). Every answer repeats the range it covers.
 */

const range = { from: instant, to: instant };

/** Overview, attribution and timeseries carry money: their answers are in analytics/analytics-responses.ts. */

const partialDays = (description: string) => ({ type: 'array', items: { type: ['number', 'null'] }, description });
export const RETENTION_COHORT = named(
  'RetentionCohort',
  answer(
    {
      cohort: day,
      media_source: text,
      installs: count,
      days: partialDays('devices active on install day + N; null while day N has not ended'),
      rates: partialDays('days[N] / installs; null where days[N] is null or without installs'),
    },
    ['media_source'],
  ),
);
export const RETENTION = named(
  'Retention',
  answer({ group_by: listOf(oneOf(['media_source'])), cohorts: listOf(RETENTION_COHORT), ...range }, ['group_by']),
);

const reasonCount = named('ReasonCount', answer({ reason: text, count }));
export const FRAUD_REPORT = named(
  'FraudReport',
  answer({
    rejected_installs: count,
    rejected_clicks: count,
    rejected_impressions: count,
    installs: listOf(reasonCount),
    clicks: listOf(reasonCount),
    impressions: listOf(reasonCount),
    by_media_source: listOf(answer({ media_source: text, reason: text, installs: count, clicks: count, impressions: count })),
    ...range,
  }),
);

export const LINK_STATS = named(
  'LinkStats',
  answer({ link_id: text, clicks: count, impressions: count, installs: count, conversion_rate: ratio }),
);
export const LINK_STATS_LIST = answer({ links: listOf(LINK_STATS), ...range });

/** docs/api.md §4's installs row (analytics/installs-export.ts writes the same columns as CSV). */
export const INSTALL_ROW = named(
  'InstallRow',
  answer({
    install_id: text,
    device_id: text,
    advertising_id: text,
    installed_at: instant,
    status: oneOf(['attributed', 'organic', 'rejected', 'reinstall']),
    match_type: oneOf(['referrer', 'device_id', 'probabilistic', 'view_through', 'none']),
    media_source: text,
    campaign: text,
    ad_set: text,
    ad: text,
    site_id: text,
    link_id: text,
    click_id: text,
    network_click_id: text,
    touch_at: instantOrNull,
    ctit_seconds: { type: ['number', 'null'] },
    fraud_reason: text,
    is_reattribution: flag,
  }),
);
/** Streamed: a JSON array, or CSV with the same columns (`format=csv`). */
export const INSTALLS_EXPORT = {
  content: {
    'application/json': { schema: listOf(INSTALL_ROW) },
    'text/csv': { schema: { type: 'string', description: 'a header row, then one line per install (RFC 4180)' } },
  },
};

const meaning = named(
  'SkanValueMeaning',
  answer({ revenue_min: amount, revenue_max: amount, events: listOf(text) }, ['revenue_min', 'revenue_max', 'events']),
);
/** docs/skadnetwork.md: the conversion-value schema and the network and campaign mapping. */
export const SKAN_SETTINGS = named(
  'SkanSettings',
  answer({
    currency: text,
    windows: mapOf(
      answer(
        {
          fine: mapOf(meaning),
          coarse: { type: 'object', additionalProperties: false, properties: { low: meaning, medium: meaning, high: meaning } },
        },
        ['fine', 'coarse'],
      ),
    ),
    networks: mapOf(text),
    campaigns: mapOf(mapOf(text)),
  }),
);
export const SKAN_SETTINGS_ANSWER = answer({ settings: SKAN_SETTINGS });

export const SKAN_ROW = named(
  'SkanRow',
  answer({
    media_source: text,
    campaign: { type: ['string', 'null'] },
    window: count,
    postbacks: count,
    installs: count,
    redownloads: count,
    non_winning: count,
    null_values: count,
    coarse_only: count,
    fine: count,
    source_id_digits: mapOf(count),
    estimated_revenue: amount,
    cost: amount,
    roas: amount,
  }),
);
export const SKAN_REPORT = named(
  'SkanReport',
  answer({
    currency: text,
    rows: listOf(SKAN_ROW),
    distribution: listOf(
      answer({ window: count, fine: mapOf(count), coarse: answer({ low: count, medium: count, high: count }), none: count }),
    ),
    totals: answer({ postbacks: count, installs: count, redownloads: count, null_values: count, estimated_revenue: amount }),
    unverified: { ...mapOf(count), description: 'postbacks that could not be verified, by reason' },
    ...range,
  }),
);
