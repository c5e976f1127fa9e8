import { CURRENCY } from './catalog.ts';
import type { PlannedEvent, PlannedTouch } from './plan-types.ts';

/** The batch route's limits (docs/api.md §2): 1000 events, a 500 KB body; the demo stays under both. */
const MAX_BATCH_EVENTS = 1000;
const MAX_BATCH_BYTES = 450_000;

/**
 * A planned event as the native API takes it. No `sent_at`: the device clock is taken as it is,
 * so an event planned three weeks ago lands three weeks ago. `ip` is honoured because the demo
 * sends with the server key. A referrer whose click the server did not record is left out
 * (the install then falls to a lower tier).
 */
export function nativeEvent(e: PlannedEvent, clickIds: ReadonlyMap<number, string>): Record<string, unknown> {
  const d = e.device;
  const out: Record<string, unknown> = {
    event_id: e.event_id,
    type: e.type,
    timestamp: new Date(e.ts).toISOString(),
    device: {
      id: d.id,
      platform: d.platform,
      os_version: d.os_version,
      model: d.model,
      app_version: e.app_version,
      locale: d.locale,
      ...(d.advertising_id ? { advertising_id: d.advertising_id } : {}),
    },
    ip: d.ip,
  };
  if (e.name) out.name = e.name;
  if (e.user_id) out.user_id = e.user_id;
  if (e.revenue !== undefined) {
    out.revenue = e.revenue;
    out.currency = CURRENCY;
  }
  if (e.properties) out.properties = e.properties;
  const clickId = e.referrer ? clickIds.get(e.referrer.touch) : undefined;
  if (e.referrer && clickId) {
    out.install_referrer = {
      referrer: `click_id=${clickId}&utm_source=${e.referrer.utm_source}`,
      click_ts: e.referrer.click_ts,
      install_begin_ts: e.referrer.install_begin_ts,
    };
  }
  return out;
}

/**
 * Events split into `count` streams by device, each in its original order: what one device
 * does stays in one stream, so streams can be sent side by side without an install arriving
 * after the events that follow it.
 */
export function eventStreams<T extends { device: { id: string } }>(events: readonly T[], count: number): T[][] {
  const streams: T[][] = Array.from({ length: count }, () => []);
  for (const e of events) streams[hashOf(e.device.id) % count]!.push(e);
  return streams;
}

function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Bodies for `POST /v1/events/batch`, in order, each within the route's limits. */
export function packBatches(events: readonly Record<string, unknown>[]): string[] {
  const bodies: string[] = [];
  let current: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length > 0) bodies.push(`{"events":[${current.join(',')}]}`);
    current = [];
    bytes = 0;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    if (current.length >= MAX_BATCH_EVENTS || bytes + json.length + 1 > MAX_BATCH_BYTES) flush();
    current.push(json);
    bytes += json.length + 1;
  }
  flush();
  return bodies;
}

/** A touch as `POST /v1/clicks` / `/v1/impressions` take it. */
export function touchBody(t: PlannedTouch, linkId: string): Record<string, string> {
  const body: Record<string, string> = {
    link_id: linkId,
    click_id: t.network_click_id,
    timestamp: new Date(t.ts).toISOString(),
    ip: t.ip,
    user_agent: t.user_agent,
  };
  if (t.advertising_id) body.advertising_id = t.advertising_id;
  if (t.ad_set) body.ad_set = t.ad_set;
  if (t.ad) body.ad = t.ad;
  if (t.site_id) body.site_id = t.site_id;
  return body;
}
