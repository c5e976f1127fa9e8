-- Tracking links and postback partners (docs/api.md §4). Both belong to an app; the API layer writes
-- every change to audit_log. Window limits are checked by the repository against the
-- attribution package's SETTING_LIMITS; the checks here only refuse what can never be right.

-- A link's id is public: it is placed in ad URLs (/c/:id, /i/:id). campaign … site_id are
-- stamped on every click; ad_set, ad and site_id may be overridden per click by query parameters.
-- destinations holds only the platforms that have one: {"ios": "https://…", "android": …, "web": …}.
-- A null window means "the app's setting".
create table links (
  id text primary key check (id ~ '^lnk_[0-9A-Za-z]+$'),
  app_id text not null references apps (id),
  name text not null check (length(btrim(name)) between 1 and 200),
  media_source text not null check (length(media_source) between 1 and 100),
  campaign text not null check (length(campaign) between 1 and 200),
  ad_set text check (length(ad_set) <= 200),
  ad text check (length(ad) <= 200),
  site_id text check (length(site_id) <= 200),
  destinations jsonb not null default '{}'::jsonb check (jsonb_typeof(destinations) = 'object'),
  click_window_hours integer check (click_window_hours > 0),
  view_window_hours integer check (view_window_hours > 0),
  is_retargeting boolean not null default false,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);

create index links_app_idx on links (app_id, created_at, id) where deleted_at is null;

-- One postback template per (app, media_source): installs are always sent, plus the events
-- named in `events`. The URL keeps its {macro} placeholders; rendering happens per postback.
create table partners (
  app_id text not null references apps (id),
  media_source text not null check (length(media_source) between 1 and 100),
  url text not null check (length(url) between 1 and 2048),
  method text not null check (method in ('GET', 'POST')),
  events text[] not null default '{}',
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (app_id, media_source)
);
