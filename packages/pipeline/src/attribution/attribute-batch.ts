import {
  type AppAttributionSettings,
  type Attribution,
  activeAttribution,
  type CidrSet,
  clickFloodReason,
  decideInstall,
  decideReengagement,
  type Install,
  installClickIds,
  isBlockedIp,
  isUsableAdvertisingId,
  type Touchpoint,
} from '@unmogrowp/attribution';
import type { AppEvent, TouchItem } from '@unmogrowp/schema';
import type { ClickFloodCounter, ReengagementRow, TouchpointIndex } from '@unmogrowp/storage';
import type { EventForPostback, InstallForPostback } from '../postbacks/postback-enqueuer.ts';
import type { DeviceRegistry, DeviceState } from './device-registry.ts';
import { touchpointOf } from './touch-to-touchpoint.ts';

const DAY = 86_400_000;
/** How far back a lookup reaches: the longest window a link may set (30 days). */
const MAX_CLICK_LOOKBACK_MS = 30 * DAY;
const PROBABILISTIC_LOOKBACK_MS = DAY;

export interface AttributionDeps {
  touchpoints: TouchpointIndex;
  devices: DeviceRegistry;
  floods: ClickFloodCounter;
  settingsOf: (appId: string) => Promise<AppAttributionSettings>;
  globalBlocked: CidrSet | readonly string[];
  now?: () => number;
  /**
   * Scale-out: touches were judged (fraud rules) before they were logged and indexed after the
   * stream's ack, before the 202, by the ingest that acknowledged them (judgeTouch, then the
   * index). Here they are indexed again, which changes nothing when ingest did it and makes a
   * touch logged but not indexed (its ingest died between the ack and the index) visible once
   * it is stored. Embedded: judged and indexed here, in log order.
   */
  touchesIndexedAtIngest?: boolean;
  /**
   * Scale-out: the one decision per install, shared by every worker (first writer wins). A
   * former owner of the partition that still runs gets the decision already made, not its own.
   */
  decisions?: InstallDecisions;
}

/** Settles an install's decision once: answers the decision already made for it, else stores and answers `proposed`. */
export interface InstallDecisions {
  settle(proposed: DecidedInstall): Promise<DecidedInstall>;
}

/** One installs row (docs/api.md §4) with what produced it. */
export interface DecidedInstall extends InstallForPostback {
  event_id: string;
  platform: string;
  ip: string;
  decided_at: number;
}

export interface AttributedBatch {
  installs: DecidedInstall[];
  /** re-engagement decisions, stored so a restart rebuilds them */
  reengagements: ReengagementRow[];
  /** events that carry a network's credit, for event postbacks */
  creditedEvents: EventForPostback[];
}

/**
 * The attribution step (docs/architecture.md: after the durable log, before the store), in log
 * order: a click is in the index before an install logged after it is decided.
 *  - clicks: the click-flood rule; kept touches go into the touchpoint index;
 *  - the first install (or first open) of a device: decideInstall, one installs row;
 *  - a later install: reinstall or re-attribution (decideInstall with the prior install);
 *  - a later open: re-engagement after a retargeting click;
 *  - every event: the credit it inherits, written onto the event.
 * A device is decided once: an install replayed from the log (same event_id) finds its own
 * decision in the registry, changes nothing and answers that decision's row again.
 */
export async function attributeBatch(items: readonly (AppEvent | TouchItem)[], deps: AttributionDeps): Promise<AttributedBatch> {
  const out: AttributedBatch = { installs: [], reengagements: [], creditedEvents: [] };
  for (const item of items) {
    if (item.kind !== 'touch') await attributeEvent(item, deps, out);
    else if (deps.touchesIndexedAtIngest) await deps.touchpoints.add(touchpointOf(item));
    else await indexTouch(item, deps);
  }
  return out;
}

/**
 * The fraud rules of a touch (sets `fraud_reason`), then the touch into the index. Runs in log
 * order in the embedded pipeline; the scale-out ingest runs the two halves apart (judgeTouch
 * before it logs the touch, the index after the stream's ack).
 */
export async function indexTouch(
  touch: TouchItem,
  deps: Pick<AttributionDeps, 'floods' | 'touchpoints' | 'settingsOf'> & { globalBlocked?: AttributionDeps['globalBlocked'] },
): Promise<void> {
  await judgeTouch(touch, deps);
  await deps.touchpoints.add(touchpointOf(touch));
}

/**
 * The fraud rules of a touch, which set `fraud_reason` (it travels with the touch into the log
 * and the clicks table): a click or impression from a blocked range (the app's list or the
 * operator's BLOCKED_CIDRS) does not count and can win nothing (`blocked_ip`); a kept click then
 * meets the flood rule (a shared counter, so every ingest process counts the same clicks).
 */
export async function judgeTouch(
  touch: TouchItem,
  deps: Pick<AttributionDeps, 'floods' | 'settingsOf'> & { globalBlocked?: AttributionDeps['globalBlocked'] },
): Promise<void> {
  if (!touch.fraud_reason) {
    const settings = await deps.settingsOf(touch.app_id);
    if (settings.fraud.blocked_ip_enabled && isBlockedIp(touch.ip, settings.fraud.blocked_cidrs, deps.globalBlocked ?? [])) {
      touch.fraud_reason = 'blocked_ip';
    } else if (touch.touch === 'click') {
      const clicks = await deps.floods.hit(touch.link_id, touch.ip, touch.click_id, touch.timestamp);
      touch.fraud_reason = clickFloodReason(clicks, settings);
    }
  }
}

async function attributeEvent(event: AppEvent & { attribution?: unknown }, deps: AttributionDeps, out: AttributedBatch): Promise<void> {
  const settings = await deps.settingsOf(event.app_id);
  let state = await deps.devices.get(event.app_id, event.device_id);
  const madeThisInstall = state?.install_id === event.event_id;
  const isInstallish = event.type === 'install' || (event.type === 'open' && (!state || madeThisInstall));
  if (isInstallish && !madeThisInstall) {
    state = await decideAndRecordInstall(event, state, settings, deps, out);
  } else if (isInstallish && state) {
    // This install was decided already (a record delivered again): its row comes from that
    // decision, so a row lost between the decision and the store is written now (the store
    // skips it when it has it).
    out.installs.push(installOf(event, state.installed_at, state.attribution, deps));
  } else if (event.type === 'open' && state) {
    state = await reengage(event, state, settings, deps, out);
  }
  if (!state || state.attribution.status === 'rejected') return;
  const { credit } = activeAttribution(event.timestamp, state.attribution, state.reengagements, settings);
  (event as { attribution?: unknown }).attribution = {
    media_source: credit.media_source,
    campaign: credit.campaign,
    ad_set: credit.ad_set,
    ad: credit.ad,
    site_id: credit.site_id,
    link_id: credit.link_id,
  };
  if (event.type === 'event' && credit.media_source !== 'organic') {
    out.creditedEvents.push({
      app_id: event.app_id,
      install_id: state.install_id,
      device_id: event.device_id,
      advertising_id: event.advertising_id,
      event_id: event.event_id,
      event_name: event.name,
      ts: event.timestamp,
      revenue: event.revenue || null,
      currency: event.currency,
      attribution: {
        ...credit,
        status: state.attribution.status,
        match_type: state.attribution.match_type,
        ctit_seconds: state.attribution.ctit_seconds,
      },
    });
  }
}

async function decideAndRecordInstall(
  event: AppEvent,
  prior: DeviceState | null,
  settings: AppAttributionSettings,
  deps: AttributionDeps,
  out: AttributedBatch,
): Promise<DeviceState> {
  const install: Install = {
    app_id: event.app_id,
    device_id: event.device_id,
    advertising_id: event.advertising_id,
    ts: event.timestamp,
    ip: event.ip,
    platform: event.platform,
    os_version: event.os_version,
    install_referrer: event.install_referrer,
    click_id: event.click_id,
  };
  const candidates = await candidatesFor(install, deps);
  const { winner: _winner, ...decision } = decideInstall(
    install,
    candidates,
    prior && { installed_at: prior.installed_at, attribution: prior.attribution },
    settings,
    deps.globalBlocked,
  );
  const proposed = installOf(event, event.timestamp, decision, deps);
  const decided = deps.decisions ? await deps.decisions.settle(proposed) : proposed;
  const attribution: Attribution = decided.attribution;
  out.installs.push(decided);
  // A reinstall keeps the device's original install (and its window); anything else starts anew.
  const state: DeviceState =
    prior && attribution.status === 'reinstall'
      ? { ...prior, reinstalled_at: event.timestamp }
      : { install_id: event.event_id, installed_at: event.timestamp, attribution, reengagements: [] };
  await deps.devices.set(event.app_id, event.device_id, state);
  return state;
}

function installOf(event: AppEvent, installedAt: number, attribution: Attribution, deps: AttributionDeps): DecidedInstall {
  return {
    app_id: event.app_id,
    install_id: event.event_id,
    event_id: event.event_id,
    device_id: event.device_id,
    advertising_id: event.advertising_id,
    platform: event.platform,
    ip: event.ip,
    installed_at: installedAt,
    decided_at: deps.now?.() ?? Date.now(),
    attribution,
  };
}

async function reengage(
  event: AppEvent,
  state: DeviceState,
  settings: AppAttributionSettings,
  deps: AttributionDeps,
  out: AttributedBatch,
): Promise<DeviceState> {
  const candidates: Touchpoint[] = [];
  if (event.click_id) {
    const t = await deps.touchpoints.byClickId(event.app_id, event.click_id);
    if (t) candidates.push(t);
  }
  if (isUsableAdvertisingId(event.advertising_id)) {
    candidates.push(
      ...(await deps.touchpoints.byAdvertisingId(event.app_id, event.advertising_id, event.timestamp - MAX_CLICK_LOOKBACK_MS)),
    );
  }
  const last = state.reengagements.at(-1);
  const decision = decideReengagement(
    {
      app_id: event.app_id,
      device_id: event.device_id,
      advertising_id: event.advertising_id,
      ts: event.timestamp,
      click_id: event.click_id,
    },
    candidates,
    { installed_at: state.installed_at, last_reengagement_touch_at: last ? (last.touch_at ?? null) : null },
    settings,
  );
  if (!decision.reengaged || !decision.credit) return state;
  const windowMs = settings.reengagement_window_days * DAY;
  const live = state.reengagements.filter((r) => event.timestamp - r.at <= windowMs);
  const next: DeviceState = {
    ...state,
    reengagements: [...live, { at: event.timestamp, credit: decision.credit, touch_at: decision.touch_at }],
  };
  await deps.devices.set(event.app_id, event.device_id, next);
  const { media_source, campaign, ad_set, ad, site_id, link_id, click_id, network_click_id } = decision.credit;
  out.reengagements.push({
    app_id: event.app_id,
    device_id: event.device_id,
    event_id: event.event_id,
    at: event.timestamp,
    touch_at: decision.touch_at,
    media_source,
    campaign,
    ad_set,
    ad,
    site_id,
    link_id,
    click_id,
    network_click_id,
  });
  return next;
}

async function candidatesFor(install: Install, deps: AttributionDeps): Promise<Touchpoint[]> {
  const found: Touchpoint[] = [];
  for (const id of installClickIds(install)) {
    const t = await deps.touchpoints.byClickId(install.app_id, id);
    if (t) found.push(t);
  }
  if (isUsableAdvertisingId(install.advertising_id)) {
    found.push(...(await deps.touchpoints.byAdvertisingId(install.app_id, install.advertising_id, install.ts - MAX_CLICK_LOOKBACK_MS)));
  }
  if (install.ip && install.os_version) {
    found.push(
      ...(await deps.touchpoints.byDevice(
        install.app_id,
        install.ip,
        install.platform,
        install.os_version,
        install.ts - PROBABILISTIC_LOOKBACK_MS,
      )),
    );
  }
  return found;
}
