import type { components, paths } from './openapi.d.ts';

/**
 * The API's shapes as the dashboard reads them. Every one comes from the server's OpenAPI
 * document (`openapi.d.ts`, generated from the routes' own schemas by
 * `npm run api-types -w @unmogrowp/dashboard`; docs/api.md "Types for clients"): nothing here
 * restates a server shape. What is written here is only what the dashboard adds or loosens for
 * its own views, said so at each.
 */
type Schemas = components['schemas'];
/** The JSON body a route takes. */
type RequestBody<P extends keyof paths, M extends 'post' | 'put' | 'patch'> =
  NonNullable<paths[P][M] extends { requestBody?: infer B } ? B : never> extends { content: { 'application/json': infer J } } ? J : never;

export type User = Schemas['User'];
export type GlobalRole = User['role'];
/** A sign-in, a refresh or a password change. */
export type TokenAnswer = Schemas['Session'];

export type Platform = Schemas['App']['platforms'][number];
export type MemberRole = Schemas['Member']['role'];
export type DeepLinkingSettings = Schemas['DeepLinkingSettings'];

/**
 * An app as the screens keep it: the API's app with what `GET /api/apps/:app_id` says beside it
 * (the caller's role, the SDK key, the ingest URL) folded in, absent where the answer was a list.
 */
export type App = Schemas['App'] & { role?: MemberRole | null; sdk_key?: string; ingest_url?: string };
export type NewApp = RequestBody<'/api/apps', 'post'>;
/** `PATCH /api/apps/:app_id`: null clears an optional URL; `settings` is merged deeply into the stored ones. */
export type AppPatch = RequestBody<'/api/apps/{app_id}', 'patch'>;
/** `POST /api/apps/:app_id/keys`: the server key is shown here once and never again; no ingest URL from an older server. */
export type AppKeys = Omit<Schemas['AppKeys'], 'ingest_url'> & { ingest_url?: string };

export type Member = Schemas['Member'];

export type LinkPlatform = keyof Schemas['Link']['destinations'];
/** What a link is created with (`POST …/links`); a patch is a part of it. */
export type LinkFields = RequestBody<'/api/apps/{app_id}/links', 'post'>;
export type DeepLink = Schemas['DeepLink'];
export type Link = Schemas['Link'];
/** A link with the URLs to place in ads; the dashboard shows null where an answer had none. */
export type LinkView = Omit<Schemas['LinkView'], 'click_url' | 'impression_url'> & {
  click_url: string | null;
  impression_url: string | null;
};

export type Partner = Schemas['Partner'];
export type PostbackAttempt = Schemas['PostbackAttempt'];
export type Postback = Schemas['Postback'];
export type PostbackStatus = Postback['status'];

export type Overview = Schemas['Overview'];
/** A currency's days (inclusive) without an exchange rate into the reporting currency: not in any total. */
export type MissingRate = Schemas['MissingRate'];
/** Money figures of an answer: the currency they are in, and what could not be converted. */
export type MoneyContext = Pick<Overview, 'currency' | 'missing_rates'>;

export const GROUP_BY_FIELDS = [
  'media_source',
  'campaign',
  'ad_set',
  'ad',
  'site_id',
] as const satisfies readonly (keyof Schemas['AttributionRow'])[];
export type GroupByField = (typeof GROUP_BY_FIELDS)[number];

/** A row of the attribution table: the API's figures, with the dimensions it was grouped by (none on a totals line). */
export type AttributionRow = Omit<Schemas['AttributionRow'], GroupByField> & Partial<Record<GroupByField, string | null>>;

export type TimeseriesMetric = Schemas['Timeseries']['metric'];
export type Interval = Schemas['Timeseries']['interval'];
export type TimePoint = Schemas['TimePoint'];

export type AuditEntry = Schemas['AuditEntry'];
/** `GET /api/admin/audit/verify`, with "no bad entry" as null. */
export type AuditVerify = Pick<Schemas['AuditVerification'], 'ok' | 'entries'> & { first_bad_id: string | null };

/** The audit screen's filter: the route's query, with `limit` as a number. */
export type AuditFilter = Omit<NonNullable<paths['/api/admin/audit']['get']['parameters']['query']>, 'limit' | 'before_id'> & {
  limit?: number;
};

/** GET /api/admin/system (admins). */
export type SystemStatus = Schemas['SystemStatus'];
