import type { CampaignSpec, NetworkSpec } from './catalog.ts';
import type { Device, LinkSpec, PlannedEvent, PlannedTouch, PlanTotals } from './plan-types.ts';
import type { Random } from './random.ts';
import { MAX_TOUCH_AGE, MINUTE } from './timeline.ts';
import { World } from './world.ts';

/** Where a touch came from, for the optional fields a network reports with it. */
export interface TouchOrigin {
  link: string;
  campaign?: CampaignSpec;
}

/**
 * The planner's shared state: the world it draws people from, what has been planned so far,
 * and the totals it intends. The plan-* modules add to it; plan.ts hands out the result.
 */
export class PlanBuilder {
  readonly world: World;
  readonly links: LinkSpec[] = [];
  readonly touches: PlannedTouch[] = [];
  readonly events: PlannedEvent[] = [];
  /** claimed installs per day, source and campaign (what networks bill) */
  readonly claimed = new Map<string, number>();
  /** the oldest a server-to-server touch may be, with slack for the time the demo takes to send it */
  readonly earliestTouch: number;
  readonly totals: PlanTotals = {
    devices: 0,
    organic: 0,
    attributed: 0,
    rejected: { ctit_too_short: 0, click_injection: 0, blocked_ip: 0 },
    reinstalls: 0,
    reengagements: 0,
    purchases: 0,
    revenue: 0,
    clicks: 0,
    flood_clicks: 0,
    blocked_clicks: 0,
    impressions: 0,
    events: 0,
    cost: 0,
  };

  constructor(
    readonly random: Random,
    readonly start: number,
    readonly end: number,
  ) {
    this.world = new World(random);
    this.earliestTouch = end - MAX_TOUCH_AGE + 30 * MINUTE;
  }

  link(spec: Omit<LinkSpec, 'key' | 'name'> & { label: string }): string {
    const key = `${spec.media_source}/${spec.campaign}`;
    if (!this.links.some((l) => l.key === key)) {
      this.links.push({
        key,
        name: `${spec.label} · ${spec.campaign}`,
        media_source: spec.media_source,
        campaign: spec.campaign,
        is_retargeting: spec.is_retargeting,
      });
    }
    return key;
  }

  linkOf(network: NetworkSpec, campaign: CampaignSpec): string {
    return this.link({ media_source: network.media_source, campaign: campaign.campaign, label: network.label, is_retargeting: false });
  }

  /** Adds a touch reported server to server; answers its index (a referrer refers to it). */
  touch(
    kind: PlannedTouch['kind'],
    origin: TouchOrigin,
    ts: number,
    who: { ip: string; user_agent: string; advertising_id: string },
    burst = false,
  ): number {
    const c = origin.campaign;
    const pickOr = (items: readonly string[] | undefined) => (items && items.length > 0 ? this.random.pick(items) : '');
    this.touches.push({
      kind,
      link: origin.link,
      ts: Math.round(ts),
      ip: who.ip,
      user_agent: who.user_agent,
      advertising_id: who.advertising_id,
      network_click_id: this.world.id(kind === 'click' ? 'nclk' : 'nimp'),
      ad_set: pickOr(c?.ad_sets),
      ad: pickOr(c?.ads),
      site_id: pickOr(c?.site_ids),
      ...(burst ? { burst } : {}),
    });
    if (kind === 'click') this.totals.clicks++;
    else this.totals.impressions++;
    return this.touches.length - 1;
  }

  event(draft: Omit<PlannedEvent, 'event_id'> & { prefix: string }): PlannedEvent {
    const { prefix, ...rest } = draft;
    const event: PlannedEvent = { event_id: this.world.id(prefix), ...rest, ts: Math.round(rest.ts) };
    this.events.push(event);
    this.totals.events++;
    return event;
  }

  claim(day: string, mediaSource: string, campaign: string): void {
    const key = JSON.stringify([day, mediaSource, campaign]);
    this.claimed.set(key, (this.claimed.get(key) ?? 0) + 1);
  }

  deviceFor(platform: Device['platform'], options?: { withAdvertisingId?: boolean; ip?: string }): Device {
    return this.world.device(platform, options);
  }
}
