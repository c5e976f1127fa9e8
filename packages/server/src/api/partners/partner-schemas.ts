import { POSTBACK_STATUSES } from '@unmogrowp/storage';

/**
 * Closed JSON Schemas of the partners and postbacks routes (docs/api.md §4). Types and unknown fields
 * are settled here (400 naming the field); the partners repository checks the template itself
 * (http(s), no macro in the host, event names) → 400 `invalid_partner` naming the field.
 */
const id = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' };
/** Networks' ids vary (`googleadwords_int`, `Facebook Ads`): any text; the repository refuses control characters and `organic`. */
const mediaSource = { type: 'string', minLength: 1, maxLength: 100 };

/** The whole template (PUT replaces it): `url` is required; method GET, no extra events and enabled by default. */
export const partnerPutBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    url: { type: 'string', minLength: 1, maxLength: 2048 },
    method: { type: 'string', enum: ['GET', 'POST'] },
    events: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 } },
    enabled: { type: 'boolean' },
  },
  required: ['url'],
};

export const partnerParams = {
  type: 'object',
  additionalProperties: false,
  properties: { app_id: id, media_source: mediaSource },
  required: ['app_id', 'media_source'],
};

export const postbacksQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...POSTBACK_STATUSES] },
    media_source: mediaSource,
    /** Strings (no type coercion, see http/base-app.ts), parsed by the route. */
    limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
    offset: { type: 'string', pattern: '^[0-9]{1,7}$' },
  },
};

export const postbackParams = {
  type: 'object',
  additionalProperties: false,
  properties: { app_id: id, postback_id: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['app_id', 'postback_id'],
};
