import { type CampaignSpec, NETWORKS, RETARGETING } from './catalog.ts';
import type { PlanBuilder } from './plan-builder.ts';
import { type DayVolume, MINUTE, momentInDay, utcDate } from './timeline.ts';

/** The click-flood rule's default: clicks beyond this many per IP, link and hour do not count (docs/attribution-rules.md). */
export const FLOOD_THRESHOLD = 50;
const FLOOD_CLICKS = 120;
const HOUR = 60 * MINUTE;

/**
 * The clicks and impressions that lead nowhere — most of them, in real campaigns: each network
 * sends `clicks_per_install` clicks (and `impressions_per_click` impressions per click) for every
 * install it claims on a day, from strangers who never install.
 */
export function planNoise(b: PlanBuilder, volumes: readonly DayVolume[]): void {
  const sent = countTouches(b);
  for (const network of NETWORKS) {
    for (const campaign of network.campaigns) {
      const link = b.linkOf(network, campaign);
      for (const day of volumes) {
        const date = utcDate(day.start);
        const claimed = b.claimed.get(JSON.stringify([date, network.media_source, campaign.campaign])) ?? 0;
        const clicks = Math.round(claimed * network.clicks_per_install);
        const impressions = Math.round(clicks * network.impressions_per_click);
        strangers(b, 'click', link, campaign, day, clicks - (sent.get(`click ${link} ${date}`) ?? 0), network.android);
        strangers(b, 'impression', link, campaign, day, impressions - (sent.get(`impression ${link} ${date}`) ?? 0), network.android);
      }
    }
  }
  // Retargeting reaches more lapsed players than come back.
  const retargeting = b.links.find((l) => l.is_retargeting && l.media_source === RETARGETING.media_source);
  if (!retargeting) return;
  for (const day of volumes) {
    const back = b.claimed.get(JSON.stringify([utcDate(day.start), RETARGETING.media_source, RETARGETING.campaign])) ?? 0;
    strangers(b, 'click', retargeting.key, undefined, day, back * 2, 0.5);
  }
}

/**
 * Click floods from the affiliate: `FLOOD_CLICKS` clicks from one address on one link within
 * 40 minutes of one clock hour (the rule counts per hour of click time), about one flood every
 * six days (at least one). All but the first `FLOOD_THRESHOLD` are rejected as `click_flood`.
 */
export function planFloods(b: PlanBuilder, volumes: readonly DayVolume[]): void {
  const affiliate = NETWORKS.find((n) => n.fraudulent);
  if (!affiliate) return;
  const campaign = affiliate.campaigns[0]!;
  const link = b.linkOf(affiliate, campaign);
  const span = 40 * MINUTE;
  const floods = Math.max(1, Math.round(volumes.length / 6));
  for (let f = 0; f < floods; f++) {
    const day = b.random.pick(volumes);
    const moment = Math.max(momentInDay(b.random, day.start, b.end - span - MINUTE), b.earliestTouch);
    const hour = Math.floor(moment / HOUR) * HOUR;
    let from = hour + ((moment - hour) % (HOUR - span - MINUTE));
    if (from < b.earliestTouch) from += HOUR;
    if (from + span > b.end) continue;
    const ip = b.world.floodIp(f);
    const { user_agent } = b.world.stranger(affiliate.android);
    for (let i = 0; i < FLOOD_CLICKS; i++) {
      const advertising_id = b.random.chance(0.5) ? b.random.uuid() : '';
      b.touch('click', { link, campaign }, from + (span * i) / FLOOD_CLICKS, { ip, user_agent, advertising_id }, true);
    }
    b.totals.flood_clicks += FLOOD_CLICKS - FLOOD_THRESHOLD;
  }
}

function strangers(
  b: PlanBuilder,
  kind: 'click' | 'impression',
  link: string,
  campaign: CampaignSpec | undefined,
  day: DayVolume,
  count: number,
  androidShare: number,
): void {
  for (let i = 0; i < count; i++) {
    const ts = momentInDay(b.random, day.start, b.end);
    if (ts < b.earliestTouch) continue;
    b.touch(kind, { link, ...(campaign ? { campaign } : {}) }, ts, b.world.stranger(androidShare));
  }
}

function countTouches(b: PlanBuilder): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of b.touches) {
    const key = `${t.kind} ${t.link} ${utcDate(t.ts)}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}
