import { PLATFORMS } from '@unmogrowp/schema';
import {
  amount,
  answer,
  anyJson,
  count,
  day,
  flag,
  instant,
  instantOrNull,
  listOf,
  mapOf,
  named,
  oneOf,
  orNull,
  text,
  textOrNull,
} from './answer-schema.ts';

/** What the app configuration routes answer (api/apps, api/links, api/partners, api/costs, api/privacy). */

const memberRole = oneOf(['manager', 'analyst']);

/** docs/deep-links.md: what the click domain's association documents are built from. */
export const DEEP_LINKING_SETTINGS = named(
  'DeepLinkingSettings',
  answer({
    ios: orNull(answer({ team_id: text, bundle_id: text })),
    android: orNull(answer({ package_name: text, sha256_cert_fingerprints: listOf(text) })),
  }),
);

/** storage `App`. `settings` holds the attribution settings (checked by @unmogrowp/attribution) and `deep_linking`. */
export const APP = named(
  'App',
  answer({
    id: text,
    name: text,
    platforms: listOf(oneOf(PLATFORMS)),
    bundle_id: textOrNull,
    store_url_ios: textOrNull,
    store_url_android: textOrNull,
    web_url: textOrNull,
    settings: {
      type: 'object',
      properties: { deep_linking: DEEP_LINKING_SETTINGS },
      additionalProperties: true,
      description: "the app's settings; keys not listed are attribution settings",
    },
    created_at: instant,
  }),
);

const ingestUrl = { type: 'string', description: 'where apps send events (PUBLIC_INGEST_URL, else the ingest listener)' };

export const APPS_LIST = answer({ apps: listOf(APP) });
export const APP_ANSWER = answer({ app: APP });
/** `GET /api/apps/:app_id`: the app, the SDK key, the server key's prefix only, and the caller's role. */
export const APP_DETAIL = named(
  'AppDetail',
  answer({
    app: APP,
    sdk_key: textOrNull,
    server_key_prefix: textOrNull,
    role: {
      type: ['string', 'null'],
      enum: ['manager', 'analyst', null],
      description: "the caller's role in the app; null for an admin who is not a member",
    },
    ingest_url: ingestUrl,
  }),
);
/** New keys: the server key is in this answer only. */
export const APP_KEYS = named('AppKeys', answer({ sdk_key: text, server_key: text, ingest_url: ingestUrl }));
export const APP_CREATED = named('AppCreated', answer({ app: APP, sdk_key: text, server_key: text, ingest_url: ingestUrl }));

const memberFields = { app_id: text, user_id: text, role: memberRole, created_at: instant };
export const MEMBER = named('Member', answer({ ...memberFields, email: text, name: text }));
export const INVITATION = named('Invitation', answer({ app_id: text, email: text, role: memberRole, created_at: instant }));
export const MEMBERS_LIST = answer({ members: listOf(MEMBER), invitations: listOf(INVITATION) });
export const MEMBER_ADDED = answer({ member: MEMBER });
export const MEMBER_INVITED = answer({
  invitation: INVITATION,
  invitation_code: { type: 'string', description: 'one-time code to register with; shown here only' },
});
export const MEMBER_CHANGED = answer({ member: answer(memberFields) });

/** docs/deep-links.md: what the app receives after the install or with an open. */
export const DEEP_LINK = named(
  'DeepLink',
  answer({ value: textOrNull, sub1: textOrNull, sub2: textOrNull, sub3: textOrNull, sub4: textOrNull, sub5: textOrNull, path: textOrNull }),
);

export const LINK = named(
  'Link',
  answer({
    id: text,
    app_id: text,
    name: text,
    media_source: text,
    campaign: text,
    ad_set: textOrNull,
    ad: textOrNull,
    site_id: textOrNull,
    destinations: {
      type: 'object',
      additionalProperties: false,
      properties: { ios: text, android: text, web: text },
      description: 'per platform; an absent one falls back to the app',
    },
    click_window_hours: { type: ['integer', 'null'], description: "null: the app's setting" },
    view_window_hours: { type: ['integer', 'null'], description: "null: the app's setting" },
    is_retargeting: flag,
    enabled: flag,
    deep_link: orNull(DEEP_LINK),
    created_at: instant,
    updated_at: instant,
  }),
);

/** links/link-view.ts: a link with the URLs to place in ads (on the ingest host). */
export const LINK_VIEW = named('LinkView', answer({ link: LINK, click_url: text, impression_url: text }));
export const LINKS_LIST = answer({ links: listOf(LINK_VIEW) });

export const PARTNER = named(
  'Partner',
  answer({
    app_id: text,
    media_source: text,
    url: text,
    method: oneOf(['GET', 'POST']),
    events: listOf(text),
    enabled: flag,
    created_at: instant,
    updated_at: instant,
  }),
);
export const PARTNERS_LIST = answer({ partners: listOf(PARTNER) });
export const PARTNER_ANSWER = answer({ partner: PARTNER });
export const PARTNER_SAVED = named(
  'PartnerSaved',
  answer({
    partner: PARTNER,
    created: flag,
    unknown_macros: listOf(text),
    warnings: listOf(text),
    cancelled_pending: { type: 'integer', minimum: 0, description: 'queued postbacks stopped because the partner was disabled' },
  }),
);

const postbackStatus = oneOf(['pending', 'delivered', 'failed']);

export const POSTBACK_ATTEMPT = named(
  'PostbackAttempt',
  answer({ attempt: count, at: instant, status_code: { type: ['integer', 'null'] }, error: textOrNull, duration_ms: amount }),
);

/** partners/postback-view.ts: one row of the delivery log. */
export const POSTBACK = named(
  'Postback',
  answer({
    id: text,
    media_source: text,
    event_name: text,
    install_id: text,
    event_id: textOrNull,
    method: oneOf(['GET', 'POST']),
    url: { type: 'string', description: "masked for analysts (the network's tokens)" },
    body: { ...anyJson, description: 'the JSON body of a POST; null for GET' },
    status: postbackStatus,
    attempts: count,
    last_status_code: { type: ['integer', 'null'] },
    last_error: textOrNull,
    created_at: instant,
    next_attempt_at: instantOrNull,
    delivered_at: instantOrNull,
    attempts_log: listOf(POSTBACK_ATTEMPT),
  }),
);

export const POSTBACK_LOG = named(
  'PostbackLog',
  answer({
    postbacks: listOf(POSTBACK),
    counts: answer({ pending: count, delivered: count, failed: count }),
    total: count,
    limit: count,
    offset: count,
    media_sources: listOf(text),
  }),
);
export const POSTBACK_RETRIED = answer({ postback: orNull(POSTBACK) });

/** One imported (date, media_source, campaign) of ad spend, its current value. */
export const COST = named('Cost', answer({ date: day, media_source: text, campaign: text, cost: amount, currency: text }));
export const COSTS_LIST = answer({ costs: listOf(COST) });
export const COSTS_IMPORTED = answer({ imported: count });
export const COSTS_DELETED = answer({ deleted: count });

const eraseStatus = oneOf(['pending', 'running', 'done', 'failed']);
export const ERASE_ACCEPTED = answer({ request_id: text, status: eraseStatus, requested_at: instant });
/** docs/privacy.md: an erase request's progress (the identifier itself is never repeated). */
export const ERASE_REQUEST = named(
  'EraseRequest',
  answer({
    request_id: text,
    kind: oneOf(['device_id', 'advertising_id', 'user_id']),
    status: eraseStatus,
    requested_at: instant,
    started_at: instantOrNull,
    finished_at: instantOrNull,
    attempts: count,
    counts: mapOf(count),
    last_error: textOrNull,
  }),
);
