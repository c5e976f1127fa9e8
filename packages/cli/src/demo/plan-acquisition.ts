import { appVersionAt, type CampaignSpec, NETWORKS, type NetworkSpec, ORGANIC_SHARE } from './catalog.ts';
import type { PlanBuilder } from './plan-builder.ts';
import type { Device, FraudKind, ReferrerDraft } from './plan-types.ts';
import { type DayVolume, HOUR, MINUTE, momentInDay, utcDate } from './timeline.ts';

const SECOND = 1000;

/** One new player: who, when, from where, and whether a fraud rule should reject the install. */
export interface Journey {
  device: Device;
  ts: number;
  network: NetworkSpec | null;
  quality: number;
  fraud: FraudKind | null;
  /** how far through the period the install is (app version) */
  fraction: number;
}

/**
 * Plans one install on `day`: organic, or won by a network's click or impression. The winning
 * touch is planned before the install (with a CTIT of at least 15 s for honest ones), in the
 * tier the device allows: Play referrer and device id need what Android or a consenting iPhone
 * sends; the rest is matched on IP and OS version within a day (probabilistic).
 */
export function planInstall(b: PlanBuilder, day: DayVolume, forcedFraud?: FraudKind): Journey {
  const r = b.random;
  const ts = Math.max(momentInDay(r, day.start, b.end - 2 * MINUTE), b.start);
  const paid = (forcedFraud !== undefined || !r.chance(ORGANIC_SHARE)) && ts - b.earliestTouch > MINUTE;
  if (!paid) {
    const device = b.deviceFor(r.chance(0.55) ? 'android' : 'ios');
    installEvent(b, device, ts, day.fraction);
    b.totals.organic++;
    b.totals.devices++;
    return { device, ts, network: null, quality: 1.15, fraud: null, fraction: day.fraction };
  }
  const network = forcedFraud ? AFFILIATE : r.weighted(NETWORKS, (n) => n.share * spike(n, day.fraction));
  const campaign = r.weighted(network.campaigns, (c) => c.weight);
  const fraud = forcedFraud ?? (network.fraudulent ? affiliateFraud(b) : r.chance(0.004) ? 'ctit_too_short' : null);
  const platform = fraud === 'click_injection' || r.chance(network.android) ? 'android' : 'ios';
  const device = b.deviceFor(platform, {
    ...(fraud ? { withAdvertisingId: true } : {}),
    ...(fraud === 'blocked_ip' ? { ip: b.world.farmIp() } : {}),
  });
  const origin = { link: b.linkOf(network, campaign), campaign };
  const referrer = fraud ? fraudulentTouch(b, fraud, origin, device, ts) : honestTouch(b, network, origin, device, ts);
  installEvent(b, device, ts, day.fraction, referrer);
  b.claim(utcDate(ts), network.media_source, campaign.campaign);
  if (fraud) b.totals.rejected[fraud]++;
  else b.totals.attributed++;
  b.totals.devices++;
  return { device, ts, network, quality: fraud ? 0.2 : network.quality, fraud, fraction: day.fraction };
}

const AFFILIATE = NETWORKS.find((n) => n.fraudulent)!;

/** A spring sale: Meta's budget doubles in the second third of the month. */
function spike(network: NetworkSpec, fraction: number): number {
  return network.media_source === 'meta_ads' && fraction > 0.33 && fraction < 0.5 ? 2 : 1;
}

/** The affiliate's installs: most are stolen or faked, a quarter are real. */
function affiliateFraud(b: PlanBuilder): FraudKind | null {
  const x = b.random.next();
  return x < 0.3 ? 'ctit_too_short' : x < 0.6 ? 'click_injection' : x < 0.72 ? 'blocked_ip' : null;
}

function installEvent(b: PlanBuilder, device: Device, ts: number, fraction: number, referrer?: ReferrerDraft): void {
  b.event({ prefix: 'ins', type: 'install', ts, device, app_version: appVersionAt(fraction), ...(referrer ? { referrer } : {}) });
}

type Origin = { link: string; campaign: CampaignSpec };

function honestTouch(b: PlanBuilder, network: NetworkSpec, origin: Origin, device: Device, ts: number): ReferrerDraft | undefined {
  const r = b.random;
  const room = ts - b.earliestTouch;
  if (network.view_through > 0 && device.advertising_id && r.chance(network.view_through)) {
    const before = clamp(r.logNormal(3 * HOUR, 0.9), 10 * MINUTE, 20 * HOUR);
    if (before < room) {
      b.touch('impression', origin, ts - before, {
        ip: b.world.ip(),
        user_agent: device.user_agent,
        advertising_id: device.advertising_id,
      });
      return undefined;
    }
  }
  const tier =
    device.platform === 'android'
      ? r.chance(0.55)
        ? 'referrer'
        : device.advertising_id
          ? 'device_id'
          : 'probabilistic'
      : device.advertising_id && r.chance(0.6)
        ? 'device_id'
        : 'probabilistic';
  const ctit = Math.min(clamp(r.logNormal(25 * MINUTE, 1.3), 15 * SECOND, tier === 'probabilistic' ? 20 * HOUR : 6 * 24 * HOUR), room);
  const clickTs = ts - ctit;
  const index = b.touch('click', origin, clickTs, {
    // The probabilistic tier has only the address and the phone to go on.
    ip: tier === 'probabilistic' ? device.ip : b.world.ip(),
    user_agent: device.user_agent,
    advertising_id: tier === 'probabilistic' ? '' : device.advertising_id,
  });
  if (tier !== 'referrer') return undefined;
  const begin = clickTs + ctit * r.between(0.3, 0.9);
  return {
    touch: index,
    utm_source: network.media_source,
    click_ts: Math.floor(clickTs / SECOND),
    install_begin_ts: Math.floor(begin / SECOND),
  };
}

function fraudulentTouch(b: PlanBuilder, fraud: FraudKind, origin: Origin, device: Device, ts: number): ReferrerDraft | undefined {
  const r = b.random;
  const who = { ip: b.world.ip(), user_agent: device.user_agent, advertising_id: device.advertising_id };
  if (fraud === 'ctit_too_short') {
    // Click spamming: a click fired seconds before an install it had nothing to do with.
    b.touch('click', origin, ts - r.between(2, 8) * SECOND, who);
    return undefined;
  }
  if (fraud === 'blocked_ip') {
    // A device farm: clicks and installs from the same data-centre range.
    b.touch('click', origin, ts - Math.min(r.between(1, 30) * MINUTE, ts - b.earliestTouch), { ...who, ip: device.ip });
    // From a blocked range the click itself does not count either.
    b.totals.blocked_clicks++;
    return undefined;
  }
  // Click injection: a click planted while the download was already running.
  const clickTs = ts - r.between(20, 50) * SECOND;
  const index = b.touch('click', origin, clickTs, who);
  const clickSeconds = Math.floor(clickTs / SECOND);
  return { touch: index, utm_source: origin.link.split('/')[0]!, click_ts: clickSeconds, install_begin_ts: clickSeconds - r.int(15, 90) };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
