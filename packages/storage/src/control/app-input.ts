import { PLATFORMS, type Platform } from '@unmogrowp/schema';
import { httpUrl, plainText } from './text-fields.ts';

/** Input the repository refuses, naming the field; the API maps it to 400 `invalid_app`. */
export class AppInputError extends Error {
  readonly code = 'invalid_app';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppInputError';
  }
}

export interface NewAppInput {
  name: string;
  platforms: Platform[];
  bundle_id?: string | null;
  store_url_ios?: string | null;
  store_url_android?: string | null;
  web_url?: string | null;
}

export interface AppPatch extends Partial<NewAppInput> {
  /** Merged into the stored settings key by key (a shallow merge, like a PATCH body). */
  settings?: Record<string, unknown>;
}

export interface AppColumns {
  name: string;
  platforms: Platform[];
  bundle_id: string | null;
  store_url_ios: string | null;
  store_url_android: string | null;
  web_url: string | null;
}

const URL_FIELDS = ['store_url_ios', 'store_url_android', 'web_url'] as const;
const MAX_NAME = 200;
const MAX_BUNDLE_ID = 255;
const MAX_URL = 2048;

export function normalizeNewApp(input: NewAppInput): AppColumns {
  return {
    name: normalizeName(input.name),
    platforms: normalizePlatforms(input.platforms),
    bundle_id: normalizeBundleId(input.bundle_id),
    store_url_ios: normalizeUrl('store_url_ios', input.store_url_ios),
    store_url_android: normalizeUrl('store_url_android', input.store_url_android),
    web_url: normalizeUrl('web_url', input.web_url),
  };
}

/** Only the fields present (not undefined) in `patch`; null clears an optional field. */
export function normalizeAppPatch(patch: AppPatch): Partial<AppColumns> & { settings?: Record<string, unknown> } {
  const out: Partial<AppColumns> & { settings?: Record<string, unknown> } = {};
  if (patch.name !== undefined) out.name = normalizeName(patch.name);
  if (patch.platforms !== undefined) out.platforms = normalizePlatforms(patch.platforms);
  if (patch.bundle_id !== undefined) out.bundle_id = normalizeBundleId(patch.bundle_id);
  for (const field of URL_FIELDS) {
    if (patch[field] !== undefined) out[field] = normalizeUrl(field, patch[field]);
  }
  if (patch.settings !== undefined) {
    if (typeof patch.settings !== 'object' || patch.settings === null || Array.isArray(patch.settings)) {
      throw new AppInputError('settings', 'settings must be a JSON object.');
    }
    checkAppleAppId(patch.settings.apple_app_id);
    out.settings = patch.settings;
  }
  return out;
}

function normalizeName(name: unknown): string {
  const text = plainText(name, 1, MAX_NAME);
  if (text === null) throw new AppInputError('name', `name must be 1 to ${MAX_NAME} characters without control characters.`);
  return text;
}

/** Deduplicated, in the canonical order, so equal sets compare equal. */
function normalizePlatforms(platforms: unknown): Platform[] {
  const list = Array.isArray(platforms) ? platforms : [];
  const unknown = list.filter((p) => !PLATFORMS.includes(p as Platform));
  if (list.length === 0 || unknown.length > 0) {
    throw new AppInputError('platforms', `platforms must be a non-empty list of ${PLATFORMS.join(', ')}.`);
  }
  return PLATFORMS.filter((p) => list.includes(p));
}

function normalizeBundleId(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'string' && value.trim() === '' ? '' : plainText(value, 1, MAX_BUNDLE_ID);
  if (text === null) {
    throw new AppInputError('bundle_id', `bundle_id must be a string of at most ${MAX_BUNDLE_ID} characters without control characters.`);
  }
  return text || null;
}

/**
 * Only http(s), without `user:password@` (phishing-shaped as a redirect: these URLs become the
 * 302 targets of public click links) and without control characters.
 */
function normalizeUrl(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (httpUrl(value, MAX_URL) === null || /\p{Cc}/u.test(value as string)) {
    throw new AppInputError(field, `${field} must be an http(s) URL of at most ${MAX_URL} characters, without user:password@.`);
  }
  return value as string;
}

/** The App Store id Apple's postbacks carry as `app-id` (docs/skadnetwork.md); null clears it. */
function checkAppleAppId(value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !/^[1-9]\d{0,19}$/.test(value)) {
    throw new AppInputError(
      'settings.apple_app_id',
      'settings.apple_app_id must be the App Store id as a string of digits, e.g. "525463029".',
    );
  }
}
