import { NETWORKS, RETARGETING } from './catalog.ts';
import type { PlanBuilder } from './plan-builder.ts';
import type { CostDraft } from './plan-types.ts';

/** What a won-back player costs on the retargeting campaign, USD. */
const REENGAGEMENT_COST = 1.5;

/**
 * The networks' invoices: per UTC day and campaign, every install the network claims (the
 * affiliate bills its fraudulent ones too, which is what the fraud report is for) at its CPI,
 * give or take a tenth. One row per (date, media_source, campaign), as the import requires.
 */
export function planCosts(b: PlanBuilder): CostDraft[] {
  const rows: CostDraft[] = [];
  for (const [key, installs] of b.claimed) {
    const [date, mediaSource, campaign] = JSON.parse(key) as [string, string, string];
    const unit =
      campaign === RETARGETING.campaign && mediaSource === RETARGETING.media_source
        ? REENGAGEMENT_COST
        : (NETWORKS.find((n) => n.media_source === mediaSource)?.cpi ?? 0);
    const cost = Math.round(installs * unit * b.random.between(0.9, 1.1) * 100) / 100;
    rows.push({ date, media_source: mediaSource, campaign, cost });
  }
  rows.sort((x, y) => x.date.localeCompare(y.date) || x.media_source.localeCompare(y.media_source) || x.campaign.localeCompare(y.campaign));
  b.totals.cost = Math.round(rows.reduce((sum, r) => sum + r.cost, 0) * 100) / 100;
  return rows;
}
