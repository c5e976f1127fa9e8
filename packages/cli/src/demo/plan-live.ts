import { appVersionAt, NETWORKS } from './catalog.ts';
import type { PlanBuilder } from './plan-builder.ts';
import type { LiveClick } from './plan-types.ts';

/**
 * Clicks through the public tracking URL (`GET /c/:link_id`) as they happen, a tenth of the
 * daily scale (6 to 30): half of the Android ones install 12–16 s later through the Play
 * referrer the redirect carries; two impressions go through `GET /i/:link_id`.
 */
export function planLive(b: PlanBuilder, scale: number): LiveClick[] {
  const r = b.random;
  const honest = NETWORKS.filter((n) => !n.fraudulent);
  const count = Math.min(30, Math.max(6, Math.round(scale / 10)));
  const out: LiveClick[] = [];
  for (let i = 0; i < count; i++) {
    const network = r.pick(honest);
    const campaign = r.weighted(network.campaigns, (c) => c.weight);
    const link = b.linkOf(network, campaign);
    const site_id = campaign.site_ids.length > 0 ? r.pick(campaign.site_ids) : '';
    const network_click_id = b.world.id('nlive');
    // The first always installs, so that even the smallest demo shows the referrer path end to end.
    if (i === 0 || (i % 2 === 0 && r.chance(network.android))) {
      const device = b.deviceFor('android');
      const install = { event_id: b.world.id('liv'), device, ctit_ms: r.int(12, 16) * 1000, app_version: appVersionAt(1) };
      out.push({ link, touch: 'click', ip: device.ip, user_agent: device.user_agent, network_click_id, site_id, install });
      b.totals.devices++;
      b.totals.attributed++;
      b.totals.events++;
    } else {
      out.push({ link, touch: 'click', ...b.world.stranger(network.android), network_click_id, site_id });
    }
    b.totals.clicks++;
  }
  const display = NETWORKS.filter((n) => n.impressions_per_click > 0);
  for (let i = 0; i < 2 && display.length > 0; i++) {
    const network = r.pick(display);
    const campaign = network.campaigns[0]!;
    const site_id = campaign.site_ids.length > 0 ? r.pick(campaign.site_ids) : '';
    out.push({
      link: b.linkOf(network, campaign),
      touch: 'impression',
      ...b.world.stranger(network.android),
      network_click_id: b.world.id('nlive'),
      site_id,
    });
    b.totals.impressions++;
  }
  return out;
}
