import { NETWORKS, RETARGETING } from './catalog.ts';
import { planInstall } from './plan-acquisition.ts';
import { planLife } from './plan-behaviour.ts';
import { PlanBuilder } from './plan-builder.ts';
import { planCosts } from './plan-costs.ts';
import { planLive } from './plan-live.ts';
import { planFloods, planNoise } from './plan-noise.ts';
import type { DemoPlan, FraudKind } from './plan-types.ts';
import { createRandom } from './random.ts';
import { dailyVolumes, periodStart } from './timeline.ts';
import { FARM_CIDR } from './world.ts';

const FRAUD_KINDS: readonly FraudKind[] = ['ctit_too_short', 'click_injection', 'blocked_ip'];

export interface PlanOptions {
  seed: string;
  /** UTC days, the anchor's day included (1…30) */
  days: number;
  /** installs per day, on average */
  scale: number;
  /** the end of the planned period (epoch ms): the demo app's creation, so a re-run plans the same month */
  anchor: number;
}

/**
 * The whole demo month, pure and deterministic: the same options give the same plan, ids
 * included, which is what makes a re-run a no-op (the server drops events and touches whose
 * ids it already has).
 */
export function planDemo(options: PlanOptions): DemoPlan {
  const random = createRandom(`unmogrowp-demo:${options.seed}`);
  const start = periodStart(options.anchor, options.days);
  const b = new PlanBuilder(random, start, options.anchor);
  // Every campaign has its link, even one no install happens to use.
  for (const network of NETWORKS) for (const campaign of network.campaigns) b.linkOf(network, campaign);
  b.link({ ...RETARGETING, is_retargeting: true });

  const volumes = dailyVolumes(random, start, options.anchor, options.scale);
  for (const day of volumes) {
    for (let i = 0; i < day.installs; i++) planLife(b, planInstall(b, day));
  }
  // However small the scale, the fraud report shows each kind of fraud at least once.
  for (const kind of FRAUD_KINDS) {
    if (b.totals.rejected[kind] === 0) planLife(b, planInstall(b, random.pick(volumes), kind));
  }
  // Nor is revenue ever missing: a small plan whose players happened not to buy (which hung on
  // the hour it ran at) gets one who does. Tries are bounded: a fraud install cannot buy.
  for (let tries = 0; b.totals.purchases === 0 && tries < 20; tries++) planLife(b, planInstall(b, random.pick(volumes)), true);
  planNoise(b, volumes);
  planFloods(b, volumes);
  const live = planLive(b, options.scale);
  const costs = planCosts(b);
  // Stable sort: a device's install is planned before what follows it at the same instant.
  const events = [...b.events].sort((x, y) => x.ts - y.ts);
  return {
    start,
    end: options.anchor,
    links: b.links,
    touches: b.touches,
    events,
    live,
    costs,
    blocked_cidrs: [FARM_CIDR],
    totals: b.totals,
  };
}
