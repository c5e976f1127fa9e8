/**
 * Closed JSON Schemas of the links routes (docs/api.md §4). They settle types and unknown fields (400
 * naming the field); the links repository checks the values themselves — trimmed lengths,
 * control characters, http(s) destinations, window ranges from the attribution settings — and
 * its refusals become 400 `invalid_link` naming the field (http/store-errors.ts).
 */
const id = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' };
const label = (maxLength: number) => ({ type: 'string', maxLength });
const optionalLabel = { type: ['string', 'null'], maxLength: 200 };
const destination = { type: ['string', 'null'], maxLength: 2048 };
const deepLinkText = { type: ['string', 'null'], maxLength: 500 };
/** null: the app's setting; the range is the repository's (SETTING_LIMITS). */
const windowHours = { type: ['integer', 'null'] };

const linkFields = {
  name: label(200),
  media_source: label(100),
  campaign: label(200),
  ad_set: optionalLabel,
  ad: optionalLabel,
  site_id: optionalLabel,
  destinations: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: { ios: destination, android: destination, web: destination },
  },
  click_window_hours: windowHours,
  view_window_hours: windowHours,
  is_retargeting: { type: 'boolean' },
  /** checked field by field by the repository (docs/deep-links.md); null removes the deep link */
  deep_link: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: {
      value: deepLinkText,
      sub1: deepLinkText,
      sub2: deepLinkText,
      sub3: deepLinkText,
      sub4: deepLinkText,
      sub5: deepLinkText,
      path: { type: ['string', 'null'], maxLength: 2048 },
    },
  },
};

export const linkCreateBody = {
  type: 'object',
  additionalProperties: false,
  properties: { ...linkFields, enabled: { type: 'boolean' } },
  required: ['name', 'media_source', 'campaign'],
};

/** Any subset, at least one field; `{enabled}` alone enables or disables the link. */
export const linkPatchBody = {
  type: 'object',
  additionalProperties: false,
  properties: { ...linkFields, enabled: { type: 'boolean' } },
  minProperties: 1,
};

export const linkParams = {
  type: 'object',
  additionalProperties: false,
  properties: { app_id: id, link_id: id },
  required: ['app_id', 'link_id'],
};
