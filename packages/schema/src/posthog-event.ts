import { itemNotObject } from './batch-runner.ts';
import {
  DEFAULT_CURRENCY,
  normalizeAdvertisingId,
  platformFromName,
  platformFromUserAgent,
  readCurrency,
  readIp,
} from './device-values.ts';
import type { ApiErrorBody } from './errors.ts';
import type { AppEvent, EventType, Platform } from './event.ts';
import { correctedTime } from './event-time.ts';
import { type FieldReader, isObject, type JsonObject } from './field-reader.ts';
import { MAX_EVENT_ID_LENGTH, MAX_EVENT_NAME_LENGTH } from './limits.ts';
import type { NormalizeContext, NormalizedItem } from './normalize-types.ts';
import { identifiedUser, type PosthogCommon, posthogIdentity, setUpdate } from './posthog-identity.ts';

export interface PosthogEnv {
  reader: FieldReader;
  ctx: NormalizeContext;
  /** body `sent_at` (or the context's) */
  sentAt: number | undefined;
  out: NormalizedItem[];
}

const NO_FIELDS: JsonObject = Object.freeze({}) as JsonObject;

/** PostHog mobile SDKs capture lifecycle events under Segment's names. */
const EVENT_TYPES: Readonly<Record<string, EventType>> = { 'Application Installed': 'install', 'Application Opened': 'open' };
const EVENT_NAMES: Readonly<Record<string, string>> = {
  'Application Installed': 'install',
  'Application Opened': 'open',
  $screen: 'screen',
  $pageview: 'page',
};

export function mapPosthogEvent(raw: unknown, index: number, env: PosthogEnv): ApiErrorBody | undefined {
  if (!isObject(raw)) return itemNotObject(raw);
  const r = env.reader;
  r.reset();
  const event = r.requiredString(raw.event, 'event', 'name the event, e.g. "$pageview" or "purchase"', MAX_EVENT_NAME_LENGTH);
  const eventId = r.requiredString(
    raw.uuid,
    'uuid',
    'it makes retries idempotent; PostHog SDKs send one per event, direct calls must add a UUID',
    MAX_EVENT_ID_LENGTH,
  );
  const props = r.optionalObject(raw.properties, 'properties');
  const p = props ?? NO_FIELDS;
  // posthog-js puts distinct_id inside properties; server libraries put it at the top.
  const distinctId = r.optionalId(raw.distinct_id ?? p.distinct_id, 'distinct_id');
  if (distinctId === '') r.missing('distinct_id', 'send the id PostHog knows this user or device by');
  const timestamp = readTime(r, raw, p, env);
  const set = raw.$set !== undefined ? r.optionalObject(raw.$set, '$set') : r.optionalObject(p.$set, 'properties.$set');
  if (r.error !== undefined) return r.error;

  const common: PosthogCommon = { props: p, event, eventId, distinctId, timestamp, set };
  const identity = posthogIdentity(r, common, env.ctx);
  if (r.error !== undefined) return r.error;
  if (identity !== undefined) {
    env.out.push({ index, item: identity });
    return undefined;
  }
  const appEvent = posthogAppEvent(r, common, props, env.ctx);
  if (r.error !== undefined) return r.error;
  env.out.push({ index, item: appEvent });
  // `$set` on an ordinary event also updates the person.
  if (set !== undefined && hasKeys(set)) {
    env.out.push({ index, item: setUpdate(common, env.ctx, appEvent.device_id, appEvent.user_id) });
  }
  return undefined;
}

function posthogAppEvent(r: FieldReader, c: PosthogCommon, props: JsonObject | undefined, ctx: NormalizeContext): AppEvent {
  const p = c.props;
  const deviceId = r.optionalId(p.$device_id, 'properties.$device_id') || c.distinctId;
  const userAgent = r.optionalString(p.$raw_user_agent, 'properties.$raw_user_agent') || ctx.user_agent;
  const revenue = r.optionalNumber(p.revenue, 'properties.revenue', true);
  const currency = readCurrency(r, p.currency, 'properties.currency');
  const referrer = r.optionalString(p.install_referrer, 'properties.install_referrer');
  let properties = props ?? {};
  const screenName = c.event === '$screen' ? r.optionalString(p.$screen_name, 'properties.$screen_name') : '';
  if (screenName !== '') properties = { ...properties, name: screenName };
  return {
    kind: 'event',
    app_id: ctx.app_id,
    event_id: c.eventId,
    type: EVENT_TYPES[c.event] ?? 'event',
    name: EVENT_NAMES[c.event] ?? c.event,
    timestamp: c.timestamp,
    received_at: ctx.received_at,
    device_id: deviceId,
    advertising_id: normalizeAdvertisingId(r.optionalString(p.advertising_id, 'properties.advertising_id')),
    platform: posthogPlatform(p, userAgent),
    os_version: r.optionalId(p.$os_version, 'properties.$os_version'),
    model: r.optionalString(p.$device_model, 'properties.$device_model'),
    app_version: r.optionalId(p.$app_version, 'properties.$app_version'),
    locale: r.optionalString(
      p.$locale ?? p.$browser_language,
      p.$locale === undefined ? 'properties.$browser_language' : 'properties.$locale',
    ),
    user_id: identifiedUser(p, c.distinctId, deviceId),
    ip: ctx.trusted && p.$ip !== undefined && p.$ip !== null ? readIp(r, p.$ip, 'properties.$ip') : ctx.ip,
    user_agent: userAgent,
    click_id: r.optionalString(p.click_id, 'properties.click_id'),
    install_referrer: referrer === '' ? null : { referrer, click_ts: null, install_begin_ts: null },
    revenue: revenue ?? 0,
    currency: currency === '' && revenue !== undefined ? DEFAULT_CURRENCY : currency,
    properties,
    source: 'posthog',
  };
}

/**
 * Device time is `timestamp`, skew-corrected with `sent_at` unless the event asks otherwise
 * (`$ignore_sent_at`, historical imports); else `offset` ms before receipt; else receipt time,
 * as PostHog itself does.
 */
function readTime(r: FieldReader, raw: JsonObject, p: JsonObject, env: PosthogEnv): number {
  const received = env.ctx.received_at;
  const deviceTs = r.optionalTimestamp(raw.timestamp, 'timestamp');
  if (deviceTs !== undefined) {
    const sentAt = p.$ignore_sent_at === true ? undefined : (r.optionalTimestamp(raw.sent_at, 'sent_at') ?? env.sentAt);
    return correctedTime(r, deviceTs, sentAt, received, 'timestamp');
  }
  const offset = r.optionalNumber(raw.offset, 'offset', false);
  return offset === undefined || r.error !== undefined ? received : correctedTime(r, received - offset, undefined, received, 'offset');
}

/** `$lib` names the SDK; posthog-js (`web`) is web even on a phone, since the app is a web app. */
function posthogPlatform(p: JsonObject, userAgent: string): Platform {
  switch (p.$lib) {
    case 'web':
      return 'web';
    case 'posthog-ios':
      return 'ios';
    case 'posthog-android':
      return 'android';
  }
  return (
    platformFromName(p.$os) ?? platformFromName(p.$os_name) ?? platformFromName(p.$device_type) ?? platformFromUserAgent(userAgent) ?? 'web'
  );
}

function hasKeys(o: JsonObject): boolean {
  for (const _ in o) return true;
  return false;
}
