/**
 * The cohort LTV report (docs/api.md §4, the package README "Analytics"): revenue per install by
 * install-day cohort and day N, by media source or by media source and campaign, with ROAS at
 * day 7 and day 30 per group. Money is in the app's reporting currency, each amount converted
 * with its own UTC day's rate; amounts without a rate are left out and named in `missing_rates`
 * (docs/api.md, "Currencies").
 */

import type { MissingRate } from './analytics-types.ts';
import type { MoneyOptions } from './event-store.ts';

export const LTV_DIMENSIONS = ['media_source', 'campaign'] as const;
export type LtvDimension = (typeof LTV_DIMENSIONS)[number];

/** The last day N the report can list: day 90 after install. */
export const LTV_MAX_DAY = 90;
/** ROAS is given at these days after install. */
export const ROAS_DAYS = [7, 30] as const;

export interface LtvOptions extends MoneyOptions {
  /** `['media_source']` or `['media_source', 'campaign']` (campaign names are per source). */
  groupBy: readonly LtvDimension[];
  /** The last day N listed, 0…LTV_MAX_DAY (default LTV_MAX_DAY): arrays have `days + 1` cells. */
  days?: number;
  /** Cells whose day has not ended by `now` are null (default: the clock). */
  now?: number;
}

/** One install-day cohort of one group. */
export interface LtvCohort {
  /** install day, 'YYYY-MM-DD' (UTC) */
  cohort: string;
  media_source: string;
  /** present when grouped by campaign */
  campaign?: string;
  /** new installs of that day and group */
  installs: number;
  /**
   * ltv[N]: revenue of the cohort's devices from each install up to the end of UTC day
   * cohort + N (cumulative), divided by `installs`, 6 decimals; null while that day has not ended.
   */
  ltv: (number | null)[];
}

/** One group (media source, or media source and campaign) over every cohort of the range. */
export interface LtvGroup {
  media_source: string;
  campaign?: string;
  installs: number;
  /** spend of the days the range overlaps */
  cost: number;
  /** ltv[N] over the cohorts whose day N has ended (their revenue / their installs); null when none has */
  ltv: (number | null)[];
  /** revenue to day 7 of the cohorts of the days whose day 7 has ended; null when no day of the range has */
  revenue_d7: number | null;
  /** spend of those same days */
  cost_d7: number | null;
  /** revenue_d7 / cost_d7; null without cost (or before any day 7 has ended) */
  roas_d7: number | null;
  revenue_d30: number | null;
  cost_d30: number | null;
  roas_d30: number | null;
}

export interface LtvReport {
  /** cohorts ordered by day, then media source, then campaign */
  cohorts: LtvCohort[];
  /** groups with installs or spend in the range, ordered by media source, then campaign */
  groups: LtvGroup[];
  /** revenue and spend the figures leave out for want of a rate into the reporting currency */
  missing_rates: MissingRate[];
}
