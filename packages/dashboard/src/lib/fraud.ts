import { num } from './api/answers.ts';

/**
 * docs/api.md: `fraud` answers "rejected installs and clicks by reason" without fixing the shape. The
 * expected one is `{installs: [{reason, count}], clicks: [{reason, count}]}`; records
 * (`{installs: {ctit_too_short: 3}}`), `rejected_*` names, combined rows
 * (`{reasons: [{reason, installs, clicks}]}`) and per-source rows (`by_media_source`) are read too.
 */
export interface ReasonCount {
  reason: string;
  count: number;
}

export interface SourceFraud {
  media_source: string;
  reason: string;
  installs: number;
  clicks: number;
}

export interface FraudSummary {
  installs: ReasonCount[];
  clicks: ReasonCount[];
  bySource: SourceFraud[];
}

export const REASON_TEXT: Record<string, string> = {
  ctit_too_short: 'Install came less than 10 seconds after the click (click spamming or bots).',
  click_injection: 'The click was reported after the install had already begun (click injection).',
  click_flood: 'More than 50 clicks from one IP on one link within an hour (click flooding).',
  blocked_ip: 'The device came from an IP range on the block list.',
};

type Raw = Record<string, unknown>;

const COUNT_KEYS = ['count', 'value', 'total', 'n'];

function reasonCounts(value: unknown, countKey: string): ReasonCount[] {
  let list: ReasonCount[] = [];
  if (Array.isArray(value)) {
    list = value
      .filter((x): x is Raw => typeof x === 'object' && x !== null)
      .map((o) => ({
        reason: String(o['reason'] ?? o['fraud_reason'] ?? 'unknown'),
        count: num([countKey, ...COUNT_KEYS].map((k) => o[k]).find((v) => v !== undefined)),
      }));
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Raw;
    const nested = o['by_reason'] ?? o['reasons'];
    if (nested !== undefined) return reasonCounts(nested, countKey);
    list = Object.entries(o)
      .filter(([k]) => k !== 'total')
      .map(([reason, count]) => ({ reason, count: num(count) }));
  }
  return merge(list);
}

/** One row per reason, largest first. */
function merge(list: ReasonCount[]): ReasonCount[] {
  const byReason = new Map<string, number>();
  for (const { reason, count } of list) byReason.set(reason, (byReason.get(reason) ?? 0) + count);
  return [...byReason.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}

export function normalizeFraud(answer: unknown): FraudSummary {
  const o = (typeof answer === 'object' && answer !== null ? answer : {}) as Raw;
  const combined = o['reasons'] ?? o['rows'];
  let installs = reasonCounts(o['installs'] ?? o['rejected_installs'], 'installs');
  let clicks = reasonCounts(o['clicks'] ?? o['rejected_clicks'], 'clicks');
  if (Array.isArray(combined)) {
    installs = merge([...installs, ...reasonCounts(combined, 'installs').filter((r) => r.count > 0)]);
    clicks = merge([...clicks, ...reasonCounts(combined, 'clicks').filter((r) => r.count > 0)]);
  }
  const sourceRows = o['by_media_source'] ?? o['by_source'] ?? o['sources'];
  const bySource = Array.isArray(sourceRows)
    ? sourceRows
        .filter((x): x is Raw => typeof x === 'object' && x !== null)
        .map((r) => ({
          media_source: String(r['media_source'] ?? 'unknown'),
          reason: String(r['reason'] ?? r['fraud_reason'] ?? 'all'),
          installs: num(r['installs']),
          clicks: num(r['clicks']),
        }))
    : [];
  return { installs, clicks, bySource };
}

export function totalOf(list: readonly ReasonCount[]): number {
  return list.reduce((sum, r) => sum + r.count, 0);
}
