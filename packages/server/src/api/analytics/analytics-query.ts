import {
  ATTRIBUTION_DIMENSIONS,
  type AttributionDimension,
  type TimeRange,
  type TimeseriesInterval,
  type TimeseriesMetric,
} from '@unmogrowp/storage';
import { badRequest } from '../../http/app-error.ts';
import { parseTimeRange } from '../time-range.ts';

/**
 * The query parameters of `/api/analytics/:app_id/*`, checked before the store is asked
 * (pure). Each refusal is a 400 naming the parameter, the value and what is allowed, so a BI
 * script's author can fix the URL from the answer alone.
 */

/** The times every store table can hold (DateTime64 and the rollups): outside, the answer would be wrong, not empty. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Well under the store's own ceiling: a chart never needs more, and an hours-over-years typo is refused here. */
export const MAX_TIMESERIES_POINTS = 10_000;

export const TIMESERIES_METRICS: readonly TimeseriesMetric[] = ['installs', 'events', 'revenue', 'active_users'];
export const TIMESERIES_INTERVALS: readonly TimeseriesInterval[] = ['day', 'hour'];
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `from`/`to` as docs/api.md §4 says (UTC, `to` exclusive, last 30 days by default), inside what the store holds. */
export function analyticsRange(query: { from?: unknown; to?: unknown }, now = Date.now()): TimeRange {
  const range = parseTimeRange(query, now);
  for (const [field, ms] of [
    ['from', range.from],
    ['to', range.to],
  ] as const) {
    if (ms < EARLIEST || ms > LATEST) {
      throw badRequest('invalid_time', `\`${field}\` must lie between 1970-01-01 and 2100-01-01 (UTC).`, {
        field,
        value: new Date(ms).toISOString(),
      });
    }
  }
  return range;
}

/** `group_by=media_source,campaign`: known dimensions only; media_source is always one (the store's rule). */
export function parseGroupBy(value: string | undefined): AttributionDimension[] {
  const requested = splitList(value);
  for (const name of requested) {
    if (!(ATTRIBUTION_DIMENSIONS as readonly string[]).includes(name)) {
      throw unknownValue('group_by', name, ATTRIBUTION_DIMENSIONS);
    }
  }
  return ATTRIBUTION_DIMENSIONS.filter((d) => d === 'media_source' || requested.includes(d));
}

export function parseMetric(value: string | undefined): TimeseriesMetric {
  if (value === undefined) {
    throw badRequest('missing_parameter', `Say which series to draw: \`metric\` is one of ${TIMESERIES_METRICS.join(', ')}.`, {
      field: 'metric',
      allowed: TIMESERIES_METRICS,
    });
  }
  return oneOf('metric', value, TIMESERIES_METRICS);
}

/** Default `day`. Refuses a range with more points than MAX_TIMESERIES_POINTS. */
export function parseInterval(value: string | undefined, range: TimeRange): TimeseriesInterval {
  const interval = value === undefined ? 'day' : oneOf('interval', value, TIMESERIES_INTERVALS);
  const size = interval === 'day' ? DAY : HOUR;
  const points = Math.ceil((range.to - Math.floor(range.from / size) * size) / size);
  if (points > MAX_TIMESERIES_POINTS) {
    throw badRequest(
      'range_too_large',
      `A ${interval} series over this range has ${points} points; at most ${MAX_TIMESERIES_POINTS}. Shorten the range or use interval=day.`,
      { points, max: MAX_TIMESERIES_POINTS },
    );
  }
  return interval;
}

/** Retention cohorts split by `media_source`, or not split. */
export function parseRetentionGroupBy(value: string | undefined): 'media_source' | undefined {
  const requested = splitList(value);
  for (const name of requested) if (name !== 'media_source') throw unknownValue('group_by', name, ['media_source']);
  return requested.length > 0 ? 'media_source' : undefined;
}

export function parseExportFormat(value: string | undefined): ExportFormat {
  return value === undefined ? 'json' : oneOf('format', value, EXPORT_FORMATS);
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw unknownValue(field, value, allowed);
  return value as T;
}

function unknownValue(field: string, value: string, allowed: readonly string[]) {
  return badRequest(`invalid_${field}`, `\`${field}\` cannot be ${JSON.stringify(value)}; use ${allowed.join(', ')}.`, {
    field,
    value,
    allowed,
  });
}

const instant = { type: 'string', minLength: 1, maxLength: 40 };
const choice = { type: 'string', minLength: 1, maxLength: 200 };
const closedQuery = (properties: Record<string, object>) => ({ type: 'object', additionalProperties: false, properties });

/** Closed query schemas (an unknown parameter is a 400 naming it, like every API query). */
export const ANALYTICS_QUERIES = {
  range: closedQuery({ from: instant, to: instant }),
  attribution: closedQuery({ from: instant, to: instant, group_by: choice }),
  timeseries: closedQuery({ from: instant, to: instant, metric: choice, interval: choice }),
  retention: closedQuery({ from: instant, to: instant, group_by: choice }),
  installs: closedQuery({ from: instant, to: instant, format: choice }),
};
