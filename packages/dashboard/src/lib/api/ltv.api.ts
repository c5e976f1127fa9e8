import { moneyOf } from './analytics.api.ts';
import { listOf, num, numOrNull } from './answers.ts';
import type { Requester } from './client.ts';
import type { MoneyContext } from './types.ts';

/**
 * `GET /api/analytics/:app_id/ltv` (docs/api.md §4, "ltv"): cohort LTV and ROAS D7/D30, money in the
 * answer's `currency` (the app's reporting currency), with the days left out for want of a rate.
 */

export type LtvGrouping = 'media_source' | 'campaign';

export interface LtvCohort {
  cohort: string;
  media_source: string;
  campaign: string | null;
  installs: number;
  /** index N: revenue per install to the end of day N (cumulative); null while day N has not ended */
  ltv: (number | null)[];
}

export interface LtvGroup {
  media_source: string;
  campaign: string | null;
  installs: number;
  cost: number;
  ltv: (number | null)[];
  revenue_d7: number | null;
  cost_d7: number | null;
  roas_d7: number | null;
  revenue_d30: number | null;
  cost_d30: number | null;
  roas_d30: number | null;
}

export interface LtvAnswer extends MoneyContext {
  days: number;
  cohorts: LtvCohort[];
  groups: LtvGroup[];
}

const cells = (value: unknown): (number | null)[] => (Array.isArray(value) ? value.map(numOrNull) : []);
const campaignOf = (raw: Record<string, unknown>) => (raw['campaign'] === undefined ? null : String(raw['campaign']));

export async function getLtv(
  api: Requester,
  appId: string,
  range: { from: string; to: string },
  groupBy: LtvGrouping,
  days: number,
): Promise<LtvAnswer> {
  const answer = await api.request<Record<string, unknown>>('GET', `/api/analytics/${encodeURIComponent(appId)}/ltv`, {
    query: { ...range, group_by: groupBy, days: String(days) },
  });
  return {
    ...moneyOf(answer),
    days: num(answer?.['days']),
    cohorts: listOf<Record<string, unknown>>(answer, 'cohorts').map((c) => ({
      cohort: String(c['cohort']),
      media_source: String(c['media_source']),
      campaign: campaignOf(c),
      installs: num(c['installs']),
      ltv: cells(c['ltv']),
    })),
    groups: listOf<Record<string, unknown>>(answer, 'groups').map((g) => ({
      media_source: String(g['media_source']),
      campaign: campaignOf(g),
      installs: num(g['installs']),
      cost: num(g['cost']),
      ltv: cells(g['ltv']),
      revenue_d7: numOrNull(g['revenue_d7']),
      cost_d7: numOrNull(g['cost_d7']),
      roas_d7: numOrNull(g['roas_d7']),
      revenue_d30: numOrNull(g['revenue_d30']),
      cost_d30: numOrNull(g['cost_d30']),
      roas_d30: numOrNull(g['roas_d30']),
    })),
  };
}
