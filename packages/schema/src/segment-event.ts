import {
  DEFAULT_CURRENCY,
  normalizeAdvertisingId,
  platformFromName,
  platformFromUserAgent,
  readCurrency,
  readIp,
} from './device-values.ts';
import type { AppEvent, EventType, InstallReferrer, Platform } from './event.ts';
import { type FieldReader, isObject, type JsonObject } from './field-reader.ts';
import { MAX_EVENT_NAME_LENGTH } from './limits.ts';
import type { NormalizeContext } from './normalize-types.ts';
import type { SegmentCommon } from './segment-message.ts';

const NO_FIELDS: JsonObject = Object.freeze({}) as JsonObject;

/** Segment's mobile lifecycle events (Segment spec "Mobile") are our install and open. */
const LIFECYCLE: Readonly<Record<string, EventType>> = { 'Application Installed': 'install', 'Application Opened': 'open' };

/** track / screen / page → AppEvent, reading device facts from `context`. */
export function segmentEvent(
  r: FieldReader,
  type: 'track' | 'screen' | 'page',
  c: SegmentCommon,
  device: JsonObject,
  ctx: NormalizeContext,
): AppEvent {
  const { raw, context } = c;
  let properties = r.optionalObject(raw.properties, 'properties') ?? {};
  let eventType: EventType = 'event';
  let name: string = type;
  if (type === 'track') {
    name = r.requiredString(raw.event, 'event', 'track calls name the event, e.g. "Order Completed"', MAX_EVENT_NAME_LENGTH);
    const lifecycle = LIFECYCLE[name];
    if (lifecycle !== undefined) {
      eventType = lifecycle;
      name = lifecycle;
    }
  } else {
    // The screen or page name stays queryable under properties.name.
    const title = r.optionalString(raw.name, 'name');
    if (title !== '') properties = { ...properties, name: title };
  }

  const os = r.optionalObject(context.os, 'context.os') ?? NO_FIELDS;
  const app = r.optionalObject(context.app, 'context.app') ?? NO_FIELDS;
  const userAgent = r.optionalString(context.userAgent, 'context.userAgent') || ctx.user_agent;
  // Revenue per Segment's e-commerce spec: `revenue`, else the order `total`.
  const revenueField = properties.revenue !== undefined && properties.revenue !== null ? 'revenue' : 'total';
  const revenue = r.optionalNumber(properties[revenueField], `properties.${revenueField}`, true);
  const currency = readCurrency(r, properties.currency, 'properties.currency');
  const advertisingId = r.optionalString(device.advertisingId, 'context.device.advertisingId');

  return {
    kind: 'event',
    app_id: ctx.app_id,
    event_id: c.eventId,
    type: eventType,
    name,
    timestamp: c.timestamp,
    received_at: ctx.received_at,
    device_id: c.deviceId,
    // A user who limited ad tracking keeps that choice even if an id was still sent.
    advertising_id: device.adTrackingEnabled === false ? '' : normalizeAdvertisingId(advertisingId),
    platform: segmentPlatform(device, os, context, userAgent),
    os_version: r.optionalId(os.version, 'context.os.version'),
    model: r.optionalString(device.model, 'context.device.model'),
    app_version: r.optionalId(app.version, 'context.app.version'),
    locale: r.optionalString(context.locale, 'context.locale'),
    user_id: c.userId,
    ip: ctx.trusted && context.ip !== undefined && context.ip !== null ? readIp(r, context.ip, 'context.ip') : ctx.ip,
    user_agent: userAgent,
    click_id: r.optionalString(properties.click_id, 'properties.click_id'),
    install_referrer: segmentReferrer(context.referrer),
    revenue: revenue ?? 0,
    currency: currency === '' && revenue !== undefined ? DEFAULT_CURRENCY : currency,
    properties,
    source: 'segment',
  };
}

/**
 * Mobile libraries send `context.device.type` ("ios", "android"); else the OS name; analytics.js
 * sends neither and is web; else the User-Agent; else web (server libraries send no device facts).
 */
function segmentPlatform(device: JsonObject, os: JsonObject, context: JsonObject, userAgent: string): Platform {
  const library = isObject(context.library) ? context.library.name : undefined;
  return (
    platformFromName(device.type) ??
    platformFromName(os.name) ??
    (library === 'analytics.js' || library === 'analytics-next' ? 'web' : undefined) ??
    platformFromUserAgent(userAgent) ??
    'web'
  );
}

/** `context.referrer` ({type, name, url, link} or a string) is where a click id may ride in. */
function segmentReferrer(value: unknown): InstallReferrer | null {
  let referrer = '';
  if (typeof value === 'string') referrer = value;
  else if (isObject(value)) {
    const candidate = value.url ?? value.link;
    if (typeof candidate === 'string') referrer = candidate;
  }
  return referrer === '' ? null : { referrer, click_ts: null, install_begin_ts: null };
}
