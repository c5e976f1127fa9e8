import { itemNotObject, runItems } from './batch-runner.ts';
import { assertBatchSize, bodyListMissing, bodyListWrongType, bodyNotObject } from './body-error.ts';
import { DEFAULT_CURRENCY, normalizeAdvertisingId, readCurrency, readIp } from './device-values.ts';
import type { ApiErrorBody } from './errors.ts';
import type { AppEvent, EventType, InstallReferrer, Platform } from './event.ts';
import { correctedTime, readBodyTimestamp } from './event-time.ts';
import { FieldReader, isObject, type JsonObject } from './field-reader.ts';
import { MAX_EVENT_ID_LENGTH, MAX_EVENT_NAME_LENGTH } from './limits.ts';
import type { NormalizeContext, NormalizedItem, NormalizeResult } from './normalize-types.ts';

const NO_FIELDS: JsonObject = Object.freeze({}) as JsonObject;

/** `POST /v1/events`: the body is one native event (index 0). */
export function normalizeNative(body: unknown, ctx: NormalizeContext): NormalizeResult {
  if (!isObject(body)) throw bodyNotObject(body, 'one event object');
  return normalizeNativeList([body], undefined, ctx);
}

/** `POST /v1/events/batch`: `{events: [...], sent_at?}`; a batch `sent_at` applies to events without their own. */
export function normalizeNativeBatch(body: unknown, ctx: NormalizeContext): NormalizeResult {
  if (!isObject(body)) throw bodyNotObject(body, 'an object like {"events": [...]}');
  const events = body.events;
  if (events === undefined || events === null) throw bodyListMissing('events', '{"events": [...]}');
  if (!Array.isArray(events)) throw bodyListWrongType('events', events);
  assertBatchSize(events);
  return normalizeNativeList(events, readBodyTimestamp(body.sent_at, 'sent_at'), ctx);
}

function normalizeNativeList(list: readonly unknown[], batchSentAt: number | undefined, ctx: NormalizeContext): NormalizeResult {
  const result: NormalizeResult = { items: [], rejected: [] };
  const reader = new FieldReader();
  const sentAt = batchSentAt ?? ctx.sent_at;
  runItems(list, (raw, index) => mapNativeEvent(raw, index, reader, sentAt, ctx, result.items), result.rejected);
  return result;
}

function mapNativeEvent(
  raw: unknown,
  index: number,
  r: FieldReader,
  batchSentAt: number | undefined,
  ctx: NormalizeContext,
  out: NormalizedItem[],
): ApiErrorBody | undefined {
  if (!isObject(raw)) return itemNotObject(raw);
  r.reset();
  const eventId = r.requiredString(raw.event_id, 'event_id', 'send a unique id per event (a UUID); retries reuse it', MAX_EVENT_ID_LENGTH);
  const type = readType(r, raw.type);
  const name =
    type === 'event'
      ? r.requiredString(raw.name, 'name', 'events of type "event" need a name, e.g. "purchase"', MAX_EVENT_NAME_LENGTH)
      : type;
  const deviceTs = r.requiredTimestamp(raw.timestamp, 'timestamp');
  const itemSentAt = r.optionalTimestamp(raw.sent_at, 'sent_at');
  const device = readDevice(r, raw.device);
  const deviceId = r.requiredString(device.id, 'device.id', 'send the app-instance id (IDFV, Android ID or an SDK-generated UUID)');
  const platform = readPlatform(r, device.platform);
  const advertisingId = normalizeAdvertisingId(r.optionalString(device.advertising_id, 'device.advertising_id'));
  const osVersion = r.optionalString(device.os_version, 'device.os_version');
  const model = r.optionalString(device.model, 'device.model');
  const appVersion = r.optionalString(device.app_version, 'device.app_version');
  const locale = r.optionalString(device.locale, 'device.locale');
  const userId = r.optionalString(raw.user_id, 'user_id');
  // Only a server key may speak for the client's address; an SDK's own claim is ignored.
  const ip = ctx.trusted && raw.ip !== undefined && raw.ip !== null ? readIp(r, raw.ip, 'ip') : ctx.ip;
  const userAgent = r.optionalString(raw.user_agent, 'user_agent') || ctx.user_agent;
  const installReferrer = readInstallReferrer(r, raw.install_referrer);
  const clickId = r.optionalString(raw.click_id, 'click_id');
  const revenue = r.optionalNumber(raw.revenue, 'revenue', false);
  const currency = readCurrency(r, raw.currency, 'currency');
  const properties = r.optionalObject(raw.properties, 'properties');
  if (r.error !== undefined || deviceTs === undefined) return r.error;
  const timestamp = correctedTime(r, deviceTs, itemSentAt ?? batchSentAt, ctx.received_at, 'timestamp');
  if (r.error !== undefined) return r.error;

  const event: AppEvent = {
    kind: 'event',
    app_id: ctx.app_id,
    event_id: eventId,
    type: type as EventType,
    name,
    timestamp,
    received_at: ctx.received_at,
    device_id: deviceId,
    advertising_id: advertisingId,
    platform: platform as Platform,
    os_version: osVersion,
    model,
    app_version: appVersion,
    locale,
    user_id: userId,
    ip,
    user_agent: userAgent,
    click_id: clickId,
    install_referrer: installReferrer,
    revenue: revenue ?? 0,
    currency: currency === '' && revenue !== undefined ? DEFAULT_CURRENCY : currency,
    properties: properties ?? {},
    source: 'native',
  };
  out.push({ index, item: event });
  return undefined;
}

function readType(r: FieldReader, value: unknown): EventType | '' {
  const type = r.requiredString(value, 'type', 'one of "install", "open" or "event"');
  if (type === 'install' || type === 'open' || type === 'event' || type === '') return type;
  r.fail('invalid_value', `\`type\` must be "install", "open" or "event", not "${type.slice(0, 40)}".`, {
    field: 'type',
    allowed: ['install', 'open', 'event'],
  });
  return '';
}

function readDevice(r: FieldReader, value: unknown): JsonObject {
  if (value === undefined || value === null) {
    r.missing('device', 'send {"id": ..., "platform": "ios" | "android" | "web"}');
    return NO_FIELDS;
  }
  return r.optionalObject(value, 'device') ?? NO_FIELDS;
}

function readPlatform(r: FieldReader, value: unknown): Platform | '' {
  const raw = r.requiredString(value, 'device.platform', 'one of "ios", "android" or "web"');
  if (raw === '') return '';
  const platform = raw.toLowerCase();
  if (platform === 'ios' || platform === 'android' || platform === 'web') return platform;
  r.fail('invalid_value', `\`device.platform\` must be "ios", "android" or "web", not "${raw.slice(0, 40)}".`, {
    field: 'device.platform',
    allowed: ['ios', 'android', 'web'],
  });
  return '';
}

/** Epoch seconds beyond year 5000 are milliseconds sent by mistake. */
const MILLISECONDS_LOOKALIKE = 1e11;

/** Google Play Install Referrer; its timestamps are seconds, kept as sent. */
function readInstallReferrer(r: FieldReader, value: unknown): InstallReferrer | null {
  const ref = r.optionalObject(value, 'install_referrer');
  if (ref === undefined) return null;
  return {
    referrer: r.optionalString(ref.referrer, 'install_referrer.referrer'),
    click_ts: readSeconds(r, ref.click_ts, 'install_referrer.click_ts'),
    install_begin_ts: readSeconds(r, ref.install_begin_ts, 'install_referrer.install_begin_ts'),
  };
}

function readSeconds(r: FieldReader, value: unknown, field: string): number | null {
  const seconds = r.optionalNumber(value, field, false);
  if (seconds === undefined) return null;
  if (seconds >= 0 && seconds < MILLISECONDS_LOOKALIKE) return seconds;
  r.fail('invalid_value', `\`${field}\` must be epoch seconds (zero or more)${seconds > 0 ? '; this looks like milliseconds' : ''}.`, {
    field,
  });
  return null;
}
