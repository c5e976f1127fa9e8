import { isIP } from 'node:net';
import type { Platform } from './event.ts';
import type { FieldReader } from './field-reader.ts';

const ALL_ZERO_AD_ID = /^0{8}-?0{4}-?0{4}-?0{4}-?0{12}$/;

/**
 * IDFA / GAID as stored and matched: trimmed and lower-cased (both are hex UUIDs; clients and ad
 * networks disagree on case), and '' for the all-zero id a device reports when tracking is off.
 */
export function normalizeAdvertisingId(raw: string): string {
  const id = raw.trim();
  if (id === '' || ALL_ZERO_AD_ID.test(id)) return '';
  return id.toLowerCase();
}

const ISO_4217_SHAPE = /^[A-Z]{3}$/;
/** The ICU list holds every active ISO-4217 code; an empty list (small-icu builds) falls back to the shape check. */
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [],
);

/** Upper-cased ISO-4217 code, or '' after recording `invalid_value`. */
export function readCurrency(r: FieldReader, value: unknown, field: string): string {
  const raw = r.optionalString(value, field);
  if (raw === '') return '';
  if (KNOWN_CURRENCIES.has(raw)) return raw;
  const code = raw.trim().toUpperCase();
  if (KNOWN_CURRENCIES.size === 0 ? ISO_4217_SHAPE.test(code) : KNOWN_CURRENCIES.has(code)) return code;
  r.fail('invalid_value', `\`${field}\` must be an ISO-4217 currency code such as "USD" or "EUR".`, { field });
  return '';
}

/** Revenue without a currency is taken as US dollars, as AppsFlyer and most ad networks assume. */
export const DEFAULT_CURRENCY = 'USD';

/** A client IP, only read from trusted (server-key) callers. */
export function readIp(r: FieldReader, value: unknown, field: string): string {
  const raw = r.optionalString(value, field);
  if (raw === '' || isIP(raw) !== 0) return raw;
  r.fail('invalid_value', `\`${field}\` must be an IPv4 or IPv6 address.`, { field });
  return '';
}

/**
 * Names SDKs use for an OS or device family (Segment `context.device.type`, `context.os.name`,
 * PostHog `$os`, `$os_name`), case-insensitively. `undefined` when it names none of ours.
 */
export function platformFromName(value: unknown): Platform | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim().toLowerCase();
  switch (name) {
    case 'ios':
    case 'ipados':
    case 'iphone':
    case 'iphone os':
    case 'ipad':
    case 'ipod':
      return 'ios';
    case 'android':
      return 'android';
    case 'web':
    case 'browser':
      return 'web';
  }
  if (name.startsWith('android')) return 'android';
  if (name.startsWith('iphone') || name.startsWith('ipad') || name.startsWith('ios ')) return 'ios';
  return undefined;
}

const IOS_USER_AGENT = /\b(?:iPhone|iPad|iPod)\b/;
const ANDROID_USER_AGENT = /\bAndroid\b/;

/** Last-resort hint from a User-Agent; `undefined` when it says nothing mobile. */
export function platformFromUserAgent(userAgent: string): Platform | undefined {
  if (userAgent === '') return undefined;
  if (IOS_USER_AGENT.test(userAgent)) return 'ios';
  if (ANDROID_USER_AGENT.test(userAgent)) return 'android';
  return undefined;
}
