import { appVersionAt, PURCHASES, RETARGETING } from './catalog.ts';
import type { Journey } from './plan-acquisition.ts';
import type { PlanBuilder } from './plan-builder.ts';
import { DAY, HOUR, MINUTE, utcDate } from './timeline.ts';

/** Share of honest players who reinstall the app later, and who lapse and are won back by retargeting. */
const REINSTALL_SHARE = 0.04;
const REENGAGE_SHARE = 0.04;

interface Player {
  journey: Journey;
  payer: boolean;
  userId?: string;
  level: number;
}

/**
 * What a player does after installing: sessions (`open`) on the days they come back, levels,
 * a tutorial, purchases if they are a payer. Day-N return follows a power law scaled by the
 * network's quality, which gives the retention curves and ROAS differences between sources.
 * Some players reinstall; some lapse and come back through a retargeting click. `buysAtOnce`
 * makes an honest player a payer who buys in the first session.
 */
export function planLife(b: PlanBuilder, journey: Journey, buysAtOnce = false): void {
  const r = b.random;
  const q = journey.quality;
  const payer = !journey.fraud && (buysAtOnce || r.chance(Math.min(0.2, 0.06 * q)));
  const player: Player = { journey, payer, level: 1, ...(payer ? { userId: b.world.id('player') } : {}) };
  const { ts } = journey;

  if (r.chance(Math.min(0.9, 0.7 * q))) emit(b, player, 'event', ts + r.between(1, 6) * MINUTE, { name: 'tutorial_complete' });
  afterSession(b, player, ts, payer && (buysAtOnce || r.chance(0.3)));
  for (let extra = r.int(0, 2); extra > 0; extra--) session(b, player, ts + r.between(20 * MINUTE, 6 * HOUR));

  const honest = !journey.fraud;
  const lapse = honest && journey.device.advertising_id !== '' && b.end - ts > 9 * DAY && r.chance(REENGAGE_SHARE) ? r.int(1, 3) : Infinity;
  for (let k = 1; ts + k * DAY - 6 * HOUR <= b.end && k < lapse; k++) {
    if (!r.chance(Math.min(0.95, q * 0.42 * k ** -0.55))) continue;
    const day = ts + k * DAY;
    for (let n = 1 + (r.chance(0.5) ? 1 : 0) + (r.chance(0.2) ? 1 : 0); n > 0; n--) session(b, player, day + r.between(-6, 6) * HOUR);
  }
  if (lapse !== Infinity) reengage(b, player, ts + lapse * DAY);
  else if (honest && r.chance(REINSTALL_SHARE)) reinstall(b, player);
}

/** One session: the app opened, maybe a level finished, maybe something bought. */
function session(b: PlanBuilder, p: Player, at: number): void {
  if (at <= p.journey.ts || at > b.end) return;
  emit(b, p, 'open', at);
  afterSession(b, p, at, p.payer && b.random.chance(0.15));
}

function afterSession(b: PlanBuilder, p: Player, at: number, buys: boolean): void {
  const r = b.random;
  if (r.chance(0.6)) emit(b, p, 'event', at + r.between(1, 8) * MINUTE, { name: 'level_complete', properties: { level: p.level++ } });
  if (buys) {
    const item = r.weighted(PURCHASES, (i) => i.weight);
    const bought = emit(b, p, 'event', at + r.between(2, 15) * MINUTE, {
      name: 'purchase',
      revenue: item.price,
      properties: { sku: item.sku, store: p.journey.device.platform === 'ios' ? 'app_store' : 'google_play' },
    });
    if (bought) {
      b.totals.purchases++;
      b.totals.revenue = Math.round((b.totals.revenue + item.price) * 100) / 100;
    }
  }
}

/** The app deleted and installed again on the same phone: a reinstall, keeping its first attribution. */
function reinstall(b: PlanBuilder, p: Player): void {
  const at = p.journey.ts + b.random.between(1, 14) * DAY;
  if (at > b.end - 10 * MINUTE) return;
  if (!emit(b, p, 'install', at)) return;
  b.totals.reinstalls++;
  session(b, p, at + b.random.between(1, 20) * HOUR);
}

/** A lapsed player clicks a retargeting ad (same advertising id) and opens the app again. */
function reengage(b: PlanBuilder, p: Player, lapsedSince: number): void {
  const r = b.random;
  const device = p.journey.device;
  const clickAt = lapsedSince + r.between(2 * DAY, Math.max(2 * DAY, b.end - lapsedSince - 3 * HOUR));
  if (clickAt > b.end - 3 * HOUR) return;
  const link = b.link({ ...RETARGETING, is_retargeting: true });
  b.touch('click', { link }, clickAt, { ip: device.ip, user_agent: device.user_agent, advertising_id: device.advertising_id });
  const openAt = clickAt + r.between(3 * MINUTE, 2 * HOUR);
  session(b, p, openAt);
  b.totals.reengagements++;
  b.claim(utcDate(clickAt), RETARGETING.media_source, RETARGETING.campaign);
  for (let k = 1; openAt + k * DAY <= b.end && k <= 5; k++) {
    if (r.chance(0.5)) session(b, p, openAt + k * DAY + r.between(-3, 3) * HOUR);
  }
}

function emit(
  b: PlanBuilder,
  p: Player,
  type: 'install' | 'open' | 'event',
  at: number,
  extra: { name?: string; revenue?: number; properties?: Record<string, string | number> } = {},
): boolean {
  if (at > b.end) return false;
  const prefix = type === 'install' ? 'rei' : type === 'open' ? 'opn' : 'evt';
  b.event({
    prefix,
    type,
    ts: at,
    device: p.journey.device,
    app_version: appVersionAt((at - b.start) / (b.end - b.start)),
    ...(p.userId ? { user_id: p.userId } : {}),
    ...extra,
  });
  return true;
}
