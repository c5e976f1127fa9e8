import { parseCidr } from './cidr.ts';

/**
 * Per-app attribution settings. Defaults follow AppsFlyer/Adjust: 7-day click window,
 * 24-hour view-through, probabilistic at most 24 hours, 90-day re-attribution, 30-day re-engagement.
 */
export interface FraudSettings {
  ctit_enabled: boolean;
  ctit_min_seconds: number;
  click_injection_enabled: boolean;
  click_flood_enabled: boolean;
  click_flood_max_per_hour: number;
  /** governs both the app's list and the operator's global list */
  blocked_ip_enabled: boolean;
  blocked_cidrs: string[];
}

export interface AppAttributionSettings {
  click_window_hours: number;
  view_window_hours: number;
  probabilistic_enabled: boolean;
  probabilistic_window_hours: number;
  reattribution_window_days: number;
  reengagement_window_days: number;
  /** Events, touches and installs older than this are dropped from every store (docs/privacy.md). */
  retention_days: number;
  fraud: FraudSettings;
}

/** Inclusive integer ranges; link settings (click_window_hours, view_window_hours) reuse the same limits. */
export const SETTING_LIMITS = {
  click_window_hours: { min: 1, max: 720 },
  view_window_hours: { min: 1, max: 168 },
  probabilistic_window_hours: { min: 1, max: 24 },
  reattribution_window_days: { min: 1, max: 730 },
  reengagement_window_days: { min: 1, max: 90 },
  // At least the longest click window (30 days), so retention never removes a touch that could still win.
  retention_days: { min: 31, max: 3650 },
  ctit_min_seconds: { min: 0, max: 3600 },
  click_flood_max_per_hour: { min: 1, max: 1_000_000 },
  blocked_cidrs: { maxEntries: 10_000 },
} as const;

export function defaultSettings(): AppAttributionSettings {
  return {
    click_window_hours: 168,
    view_window_hours: 24,
    probabilistic_enabled: true,
    probabilistic_window_hours: 24,
    reattribution_window_days: 90,
    reengagement_window_days: 30,
    retention_days: 400,
    fraud: {
      ctit_enabled: true,
      ctit_min_seconds: 10,
      click_injection_enabled: true,
      click_flood_enabled: true,
      click_flood_max_per_hour: 50,
      blocked_ip_enabled: true,
      blocked_cidrs: [],
    },
  };
}

export interface SettingsError {
  /** dotted path, e.g. 'fraud.ctit_min_seconds' */
  field: string;
  message: string;
}

export type SettingsValidation = { ok: true; settings: AppAttributionSettings } | { ok: false; errors: SettingsError[] };

type RangeKey = Exclude<keyof typeof SETTING_LIMITS, 'blocked_cidrs'>;
const TOP_INTEGERS = [
  'click_window_hours',
  'view_window_hours',
  'probabilistic_window_hours',
  'reattribution_window_days',
  'reengagement_window_days',
  'retention_days',
] as const;
const TOP_BOOLEANS = ['probabilistic_enabled'] as const;
const FRAUD_INTEGERS = ['ctit_min_seconds', 'click_flood_max_per_hour'] as const;
const FRAUD_BOOLEANS = ['ctit_enabled', 'click_injection_enabled', 'click_flood_enabled', 'blocked_ip_enabled'] as const;

/** Every active ISO-4217 code (ICU's list); a build without it falls back to the shape check. */
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [],
);

/** An ISO-4217 code as written in capitals ("USD"), known to ICU when its list is available. */
export function isCurrencyCode(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) return false;
  return KNOWN_CURRENCIES.size === 0 || KNOWN_CURRENCIES.has(value);
}

/** The reporting currency when an app has not chosen one. */
export const DEFAULT_REPORTING_CURRENCY = 'USD';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkInteger(value: unknown, key: RangeKey, field: string, errors: SettingsError[]): number | undefined {
  const { min, max } = SETTING_LIMITS[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    errors.push({ field, message: `must be a whole number from ${min} to ${max}` });
    return undefined;
  }
  return value;
}

function checkBoolean(value: unknown, field: string, errors: SettingsError[]): boolean | undefined {
  if (typeof value !== 'boolean') {
    errors.push({ field, message: 'must be true or false' });
    return undefined;
  }
  return value;
}

function checkCidrs(value: unknown, errors: SettingsError[]): string[] | undefined {
  const field = 'fraud.blocked_cidrs';
  if (!Array.isArray(value)) {
    errors.push({ field, message: 'must be a list of CIDR ranges such as "203.0.113.0/24" or "2001:db8::/32"' });
    return undefined;
  }
  if (value.length > SETTING_LIMITS.blocked_cidrs.maxEntries) {
    errors.push({ field, message: `must hold at most ${SETTING_LIMITS.blocked_cidrs.maxEntries} ranges` });
    return undefined;
  }
  const out: string[] = [];
  value.forEach((entry, i) => {
    if (typeof entry !== 'string' || parseCidr(entry) === null) {
      errors.push({ field: `${field}[${i}]`, message: `"${String(entry)}" is not an IPv4/IPv6 address or CIDR range` });
    } else {
      out.push(entry.trim());
    }
  });
  return out;
}

function unknownKeys(input: Record<string, unknown>, known: readonly string[], prefix: string, errors: SettingsError[]): void {
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) errors.push({ field: prefix + key, message: 'is not a setting' });
  }
}

/**
 * Validates a partial update (an API body) and merges it onto `base`. Unknown keys are errors so a
 * typo is not silently ignored. Every problem is reported, not only the first.
 */
export function validateSettings(partial: unknown, base: AppAttributionSettings = defaultSettings()): SettingsValidation {
  const errors: SettingsError[] = [];
  if (!isRecord(partial)) return { ok: false, errors: [{ field: '', message: 'settings must be a JSON object' }] };
  const next: AppAttributionSettings = { ...base, fraud: { ...base.fraud, blocked_cidrs: [...base.fraud.blocked_cidrs] } };

  unknownKeys(partial, [...TOP_INTEGERS, ...TOP_BOOLEANS, 'fraud', 'apple_app_id', 'reporting_currency'], '', errors);
  // The currency the app's money is reported in (docs/api.md, "Currencies"); not an attribution rule, stored beside them.
  const reporting = partial['reporting_currency'];
  if (reporting !== undefined && !isCurrencyCode(reporting)) {
    errors.push({ field: 'reporting_currency', message: 'must be an ISO-4217 currency code in capitals, e.g. "USD" or "EUR"' });
  }
  // The App Store id Apple's postbacks carry (docs/skadnetwork.md); not an attribution rule, stored beside them.
  const appleAppId = partial['apple_app_id'];
  if (appleAppId !== undefined && appleAppId !== null && (typeof appleAppId !== 'string' || !/^[1-9]\d{0,19}$/.test(appleAppId))) {
    errors.push({ field: 'apple_app_id', message: 'must be the App Store id as a string of digits, e.g. "525463029"' });
  }
  for (const key of TOP_INTEGERS) {
    if (partial[key] === undefined) continue;
    const v = checkInteger(partial[key], key, key, errors);
    if (v !== undefined) next[key] = v;
  }
  for (const key of TOP_BOOLEANS) {
    if (partial[key] === undefined) continue;
    const v = checkBoolean(partial[key], key, errors);
    if (v !== undefined) next[key] = v;
  }

  const fraud = partial['fraud'];
  if (fraud !== undefined) {
    if (!isRecord(fraud)) {
      errors.push({ field: 'fraud', message: 'must be a JSON object' });
    } else {
      unknownKeys(fraud, [...FRAUD_INTEGERS, ...FRAUD_BOOLEANS, 'blocked_cidrs'], 'fraud.', errors);
      for (const key of FRAUD_INTEGERS) {
        if (fraud[key] === undefined) continue;
        const v = checkInteger(fraud[key], key, `fraud.${key}`, errors);
        if (v !== undefined) next.fraud[key] = v;
      }
      for (const key of FRAUD_BOOLEANS) {
        if (fraud[key] === undefined) continue;
        const v = checkBoolean(fraud[key], `fraud.${key}`, errors);
        if (v !== undefined) next.fraud[key] = v;
      }
      if (fraud['blocked_cidrs'] !== undefined) {
        const v = checkCidrs(fraud['blocked_cidrs'], errors);
        if (v !== undefined) next.fraud.blocked_cidrs = v;
      }
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: next };
}

/**
 * A PATCH body's settings merged onto the stored ones, object by object (a field not sent keeps
 * its stored value; `{fraud: {ctit_min_seconds: 5}}` keeps the block list). Lists and scalars
 * are replaced whole. Validate the result, not the patch.
 */
export function mergeSettings(stored: unknown, patch: unknown): Record<string, unknown> {
  const base = isRecord(stored) ? stored : {};
  if (!isRecord(patch)) return { ...base };
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__') continue;
    out[key] = isRecord(value) && isRecord(base[key]) ? mergeSettings(base[key], value) : value;
  }
  return out;
}
