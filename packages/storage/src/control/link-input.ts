import { SETTING_LIMITS } from '@unmogrowp/attribution';
import { type DeepLink, DeepLinkInputError, normalizeDeepLink } from './deep-link-input.ts';
import { httpUrl, MAX_MEDIA_SOURCE, mediaSource, plainText } from './text-fields.ts';

/** Input the links repository refuses, naming the field; the API maps it to 400 `invalid_link`. */
export class LinkInputError extends Error {
  readonly code = 'invalid_link';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'LinkInputError';
  }
}

export type LinkPlatform = 'ios' | 'android' | 'web';
export const LINK_PLATFORMS: readonly LinkPlatform[] = ['ios', 'android', 'web'];
/** Per platform an http(s) URL; an absent platform falls back to the app's store URL / web URL (the click route decides). */
export type LinkDestinations = Partial<Record<LinkPlatform, string>>;

export interface NewLinkInput {
  name: string;
  media_source: string;
  campaign: string;
  ad_set?: string | null;
  ad?: string | null;
  site_id?: string | null;
  destinations?: Partial<Record<LinkPlatform, string | null>> | null;
  /** null or absent: the app's setting */
  click_window_hours?: number | null;
  view_window_hours?: number | null;
  is_retargeting?: boolean;
  enabled?: boolean;
  /** What the app receives after the install or with an open; null clears it (a patch replaces it whole). */
  deep_link?: Partial<DeepLink> | null;
}

/** Fields present are set; null clears an optional field. `destinations` merges per platform (null removes one). */
export type LinkPatch = Partial<NewLinkInput>;

export interface LinkColumns {
  name: string;
  media_source: string;
  campaign: string;
  ad_set: string | null;
  ad: string | null;
  site_id: string | null;
  destinations: LinkDestinations;
  click_window_hours: number | null;
  view_window_hours: number | null;
  is_retargeting: boolean;
  enabled: boolean;
  deep_link: DeepLink | null;
}

/** For a patch: destinations as a merge (null = remove that platform). */
export type LinkPatchColumns = Partial<Omit<LinkColumns, 'destinations'>> & {
  destinations?: Partial<Record<LinkPlatform, string | null>>;
};

const MAX_NAME = 200;
const MAX_LABEL = 200;
const OPTIONAL_LABELS = ['ad_set', 'ad', 'site_id'] as const;
const WINDOWS = ['click_window_hours', 'view_window_hours'] as const;

export function normalizeNewLink(input: NewLinkInput): LinkColumns {
  if (typeof input !== 'object' || input === null) throw new LinkInputError('', 'A link must be a JSON object.');
  return {
    name: required('name', input.name, MAX_NAME),
    media_source: normalizeMediaSource(input.media_source),
    campaign: required('campaign', input.campaign, MAX_LABEL),
    ad_set: optionalLabel('ad_set', input.ad_set),
    ad: optionalLabel('ad', input.ad),
    site_id: optionalLabel('site_id', input.site_id),
    destinations: withoutNulls(normalizeDestinations(input.destinations)),
    click_window_hours: normalizeWindow('click_window_hours', input.click_window_hours),
    view_window_hours: normalizeWindow('view_window_hours', input.view_window_hours),
    is_retargeting: input.is_retargeting === undefined ? false : flag('is_retargeting', input.is_retargeting),
    enabled: input.enabled === undefined ? true : flag('enabled', input.enabled),
    deep_link: deepLink(input.deep_link),
  };
}

export function normalizeLinkPatch(patch: LinkPatch): LinkPatchColumns {
  if (typeof patch !== 'object' || patch === null) throw new LinkInputError('', 'A link change must be a JSON object.');
  const out: LinkPatchColumns = {};
  if (patch.name !== undefined) out.name = required('name', patch.name, MAX_NAME);
  if (patch.media_source !== undefined) out.media_source = normalizeMediaSource(patch.media_source);
  if (patch.campaign !== undefined) out.campaign = required('campaign', patch.campaign, MAX_LABEL);
  for (const field of OPTIONAL_LABELS) if (patch[field] !== undefined) out[field] = optionalLabel(field, patch[field]);
  if (patch.destinations !== undefined) out.destinations = normalizeDestinations(patch.destinations);
  for (const field of WINDOWS) if (patch[field] !== undefined) out[field] = normalizeWindow(field, patch[field]);
  if (patch.is_retargeting !== undefined) out.is_retargeting = flag('is_retargeting', patch.is_retargeting);
  if (patch.enabled !== undefined) out.enabled = flag('enabled', patch.enabled);
  if (patch.deep_link !== undefined) out.deep_link = deepLink(patch.deep_link);
  return out;
}

function deepLink(value: unknown): DeepLink | null {
  try {
    return normalizeDeepLink(value);
  } catch (err) {
    if (err instanceof DeepLinkInputError) throw new LinkInputError(err.field, err.message);
    throw err;
  }
}

function required(field: string, value: unknown, max: number): string {
  const text = plainText(value, 1, max);
  if (text === null) throw new LinkInputError(field, `${field} must be 1 to ${max} characters without control characters.`);
  return text;
}

function optionalLabel(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = plainText(value, 0, MAX_LABEL);
  if (text === null) throw new LinkInputError(field, `${field} must be at most ${MAX_LABEL} characters without control characters.`);
  return text === '' ? null : text;
}

function normalizeMediaSource(value: unknown): string {
  const text = mediaSource(value);
  if (text === null) {
    throw new LinkInputError(
      'media_source',
      `media_source must be 1 to ${MAX_MEDIA_SOURCE} characters without control characters, and not "organic".`,
    );
  }
  return text;
}

function normalizeDestinations(value: unknown): Partial<Record<LinkPlatform, string | null>> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new LinkInputError(
      'destinations',
      'destinations must be an object like {"ios": "https://…", "android": "https://…", "web": "https://…"}.',
    );
  }
  const out: Partial<Record<LinkPlatform, string | null>> = {};
  for (const [key, url] of Object.entries(value)) {
    if (!LINK_PLATFORMS.includes(key as LinkPlatform)) {
      throw new LinkInputError(`destinations.${key}`, `destinations may only name ${LINK_PLATFORMS.join(', ')}.`);
    }
    if (url === null || url === '') {
      out[key as LinkPlatform] = null;
    } else if (httpUrl(url) === null) {
      throw new LinkInputError(
        `destinations.${key}`,
        `destinations.${key} must be an http(s) URL of at most 2048 characters, without user:password@.`,
      );
    } else {
      out[key as LinkPlatform] = url as string;
    }
  }
  return out;
}

function withoutNulls(destinations: Partial<Record<LinkPlatform, string | null>>): LinkDestinations {
  const out: LinkDestinations = {};
  for (const p of LINK_PLATFORMS) {
    const url = destinations[p];
    if (url) out[p] = url;
  }
  return out;
}

function normalizeWindow(field: (typeof WINDOWS)[number], value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const { min, max } = SETTING_LIMITS[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new LinkInputError(field, `${field} must be a whole number from ${min} to ${max}, or null for the app's setting.`);
  }
  return value;
}

function flag(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new LinkInputError(field, `${field} must be true or false.`);
  return value;
}
