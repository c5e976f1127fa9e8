import type { DeepLink, Link, LinkFields, LinkPlatform } from './api/types.ts';

/** The link editor's fields as the form holds them: text everywhere, empty meaning "not set". */
export interface LinkForm {
  name: string;
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  ios: string;
  android: string;
  web: string;
  click_window_hours: string;
  view_window_hours: string;
  is_retargeting: boolean;
  enabled: boolean;
  deep_value: string;
  deep_sub1: string;
  deep_sub2: string;
  deep_sub3: string;
  deep_sub4: string;
  deep_sub5: string;
  deep_path: string;
}

/** Form key → deep link field (docs/deep-links.md). */
export const DEEP_LINK_KEYS = {
  deep_value: 'value',
  deep_sub1: 'sub1',
  deep_sub2: 'sub2',
  deep_sub3: 'sub3',
  deep_sub4: 'sub4',
  deep_sub5: 'sub5',
  deep_path: 'path',
} as const satisfies Record<string, keyof DeepLink>;
type DeepKey = keyof typeof DEEP_LINK_KEYS;
const DEEP_KEYS = Object.keys(DEEP_LINK_KEYS) as DeepKey[];

/** docs/attribution-rules.md: click window 1 hour … 30 days, view-through 1 … 168 hours. */
export const WINDOW_LIMITS = {
  click_window_hours: { min: 1, max: 720 },
  view_window_hours: { min: 1, max: 168 },
} as const;

const PLATFORMS: LinkPlatform[] = ['ios', 'android', 'web'];

export function emptyLinkForm(): LinkForm {
  return {
    name: '',
    media_source: '',
    campaign: '',
    ad_set: '',
    ad: '',
    site_id: '',
    ios: '',
    android: '',
    web: '',
    click_window_hours: '',
    view_window_hours: '',
    is_retargeting: false,
    enabled: true,
    deep_value: '',
    deep_sub1: '',
    deep_sub2: '',
    deep_sub3: '',
    deep_sub4: '',
    deep_sub5: '',
    deep_path: '',
  };
}

export function formFromLink(link: Link): LinkForm {
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    name: link.name,
    media_source: link.media_source,
    campaign: link.campaign,
    ad_set: text(link.ad_set),
    ad: text(link.ad),
    site_id: text(link.site_id),
    ios: text(link.destinations?.ios),
    android: text(link.destinations?.android),
    web: text(link.destinations?.web),
    click_window_hours: text(link.click_window_hours),
    view_window_hours: text(link.view_window_hours),
    is_retargeting: link.is_retargeting ?? false,
    enabled: link.enabled,
    deep_value: text(link.deep_link?.value),
    deep_sub1: text(link.deep_link?.sub1),
    deep_sub2: text(link.deep_link?.sub2),
    deep_sub3: text(link.deep_link?.sub3),
    deep_sub4: text(link.deep_link?.sub4),
    deep_sub5: text(link.deep_link?.sub5),
    deep_path: text(link.deep_link?.path),
  };
}

/** Field → sentence for what the API would refuse anyway; checked here so the form can point at it. */
export function checkLinkForm(form: LinkForm): Partial<Record<keyof LinkForm, string>> {
  const problems: Partial<Record<keyof LinkForm, string>> = {};
  if (form.name.trim() === '') problems.name = 'Give the link a name.';
  if (form.media_source.trim() === '') problems.media_source = 'Name the ad network (media source), e.g. facebook_ads.';
  else if (form.media_source.trim().toLowerCase() === 'organic')
    problems.media_source = '“organic” is reserved for installs without an ad.';
  if (form.campaign.trim() === '') problems.campaign = 'Name the campaign.';
  for (const p of PLATFORMS) {
    const url = form[p].trim();
    if (url !== '' && !/^https?:\/\/[^\s/]+/i.test(url)) problems[p] = 'Use an http(s) URL.';
  }
  for (const field of ['click_window_hours', 'view_window_hours'] as const) {
    const raw = form[field].trim();
    if (raw === '') continue;
    const n = Number(raw);
    const { min, max } = WINDOW_LIMITS[field];
    if (!Number.isInteger(n) || n < min || n > max)
      problems[field] = `A whole number of hours from ${min} to ${max}, or empty for the app's default.`;
  }
  const path = form.deep_path.trim();
  if (
    path !== '' &&
    (/\s/.test(path) ||
      !(/^\/(?![/\\])/.test(path) || /^[a-z][a-z0-9+.-]{1,31}:\/\//i.test(path)) ||
      /^(https?|javascript|data|file):/i.test(path))
  )
    problems.deep_path = 'A path inside the app (/offers/spring) or your app\u2019s own scheme (myapp://offers/spring); not http(s).';
  for (const key of DEEP_KEYS) if (key !== 'deep_path' && form[key].trim().length > 500) problems[key] = 'At most 500 characters.';
  return problems;
}

/** The form's deep link, or null when every field is empty. */
function deepLinkOf(form: LinkForm): DeepLink | null {
  const out: Partial<DeepLink> = {};
  for (const key of DEEP_KEYS) out[DEEP_LINK_KEYS[key]] = orNull(form[key]);
  return Object.values(out).every((v) => v === null) ? null : (out as DeepLink);
}

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
const hoursOrNull = (v: string) => (v.trim() === '' ? null : Number(v.trim()));

/** The body of `POST …/links`: only what is set. */
export function createBody(form: LinkForm): LinkFields {
  const body: LinkFields = {
    name: form.name.trim(),
    media_source: form.media_source.trim(),
    campaign: form.campaign.trim(),
    is_retargeting: form.is_retargeting,
    enabled: form.enabled,
  };
  for (const f of ['ad_set', 'ad', 'site_id'] as const) if (orNull(form[f]) !== null) body[f] = orNull(form[f]);
  const destinations: Partial<Record<LinkPlatform, string>> = {};
  for (const p of PLATFORMS) if (form[p].trim() !== '') destinations[p] = form[p].trim();
  if (Object.keys(destinations).length > 0) body.destinations = destinations;
  for (const f of ['click_window_hours', 'view_window_hours'] as const) if (hoursOrNull(form[f]) !== null) body[f] = hoursOrNull(form[f]);
  const deepLink = deepLinkOf(form);
  if (deepLink) body.deep_link = deepLink;
  return body;
}

/** The body of `PATCH …/links/:id`: only what changed; null clears an optional field or a destination. */
export function patchBody(before: LinkForm, after: LinkForm): Partial<LinkFields> {
  const patch: Partial<LinkFields> = {};
  for (const f of ['name', 'media_source', 'campaign'] as const) if (after[f].trim() !== before[f].trim()) patch[f] = after[f].trim();
  for (const f of ['ad_set', 'ad', 'site_id'] as const) if (after[f].trim() !== before[f].trim()) patch[f] = orNull(after[f]);
  for (const f of ['click_window_hours', 'view_window_hours'] as const)
    if (after[f].trim() !== before[f].trim()) patch[f] = hoursOrNull(after[f]);
  const destinations: Partial<Record<LinkPlatform, string | null>> = {};
  for (const p of PLATFORMS) if (after[p].trim() !== before[p].trim()) destinations[p] = orNull(after[p]);
  if (Object.keys(destinations).length > 0) patch.destinations = destinations;
  if (after.is_retargeting !== before.is_retargeting) patch.is_retargeting = after.is_retargeting;
  if (after.enabled !== before.enabled) patch.enabled = after.enabled;
  // The API replaces the deep link whole: any change sends all of it (null when emptied).
  if (DEEP_KEYS.some((k) => after[k].trim() !== before[k].trim())) patch.deep_link = deepLinkOf(after);
  return patch;
}
