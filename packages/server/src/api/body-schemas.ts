import { PLATFORMS } from '@unmogrowp/schema';

/**
 * JSON Schemas of every API body and query (OWASP API3, ASVS V2.2): closed objects
 * (`additionalProperties: false` → 400 naming the field, never silently dropped), bounded
 * strings, enums for roles. What a caller may not set — `role` at registration, `id`,
 * `created_at`, `session_epoch` — is simply not in any schema. The stores normalize and check
 * values further (email shape, URL schemes).
 */
const closed = <P extends Record<string, object>>(properties: P, required: (keyof P & string)[] = [], extra: object = {}) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
  ...extra,
});

const email = { type: 'string', minLength: 3, maxLength: 254 };
/** Long enough for any passphrase the policy allows; longer input is refused before hashing. */
const password = { type: 'string', minLength: 1, maxLength: 1024 };
const name = { type: 'string', minLength: 1, maxLength: 200 };
const optionalText = (maxLength: number) => ({ type: ['string', 'null'], maxLength });
const id = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' };
/** Query numbers stay strings (no type coercion, see http/base-app.ts) and are parsed by the route. */
const digits = (max: number) => ({ type: 'string', pattern: `^[0-9]{1,${max}}$` });
/** No control characters (NUL would reach PostgreSQL, which refuses it). */
const PRINTABLE = '^[^\\x00-\\x1f\\x7f]*$';
const instant = { type: 'string', minLength: 1, maxLength: 40, pattern: PRINTABLE };

export const registerBody = closed({ email, password, name, invitation: { type: 'string', minLength: 1, maxLength: 100 } }, [
  'email',
  'password',
]);
export const loginBody = closed({ email, password }, ['email', 'password']);
export const refreshBody = closed({ refresh_token: { type: 'string', minLength: 1, maxLength: 200 } }, ['refresh_token']);
export const passwordChangeBody = closed({ current_password: password, new_password: password }, ['current_password', 'new_password']);

export const userPatchBody = closed({ role: { type: 'string', enum: ['admin', 'user'] }, disabled: { type: 'boolean' } }, [], {
  minProperties: 1,
});

const appFields = {
  name,
  platforms: { type: 'array', minItems: 1, maxItems: PLATFORMS.length, uniqueItems: true, items: { type: 'string', enum: [...PLATFORMS] } },
  bundle_id: optionalText(255),
  store_url_ios: optionalText(2048),
  store_url_android: optionalText(2048),
  web_url: optionalText(2048),
};
export const appCreateBody = closed(appFields, ['name', 'platforms']);
/** `settings`: the app's attribution settings, checked key by key by `@unmogrowp/attribution`. */
export const appPatchBody = closed({ ...appFields, settings: { type: 'object' } }, [], { minProperties: 1 });

const memberRole = { type: 'string', enum: ['manager', 'analyst'] };
export const memberAddBody = closed({ email, role: memberRole }, ['email', 'role']);
export const memberPatchBody = closed({ role: memberRole }, ['role']);

export const appParams = closed({ app_id: id }, ['app_id']);
export const memberParams = closed({ app_id: id, user_id: id }, ['app_id', 'user_id']);
export const userParams = closed({ id }, ['id']);

export const usersQuery = closed({ limit: digits(4), after: id });
export const auditQuery = closed({
  from: instant,
  to: instant,
  user_id: { type: 'string', minLength: 1, maxLength: 100, pattern: PRINTABLE },
  action: { type: 'string', minLength: 1, maxLength: 100, pattern: PRINTABLE },
  limit: digits(4),
  before_id: digits(19),
});
