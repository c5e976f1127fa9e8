import { PLATFORMS, type Platform } from '@unmogrowp/schema';

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
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || trimmed.length > MAX_NAME) {
    throw new AppInputError('name', `name must be 1 to ${MAX_NAME} characters.`);
  }
  return trimmed;
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
  if (typeof value !== 'string' || value.length > MAX_BUNDLE_ID) {
    throw new AppInputError('bundle_id', `bundle_id must be a string of at most ${MAX_BUNDLE_ID} characters.`);
  }
  return value.trim() || null;
}

/** Only http(s): these URLs become redirect targets of public click links. */
function normalizeUrl(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  let url: URL | null = null;
  if (typeof value === 'string' && value.length <= MAX_URL) {
    try {
      url = new URL(value);
    } catch {
      url = null;
    }
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new AppInputError(field, `${field} must be an http(s) URL of at most ${MAX_URL} characters.`);
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
