-- Apple's postback copies (SKAdNetwork / AdAttributionKit), docs/skadnetwork.md. They live in the
-- control store rather than the event store: there is one per install and window (a few a day per
-- thousand installs, not an event stream), each must be stored exactly once at the moment Apple
-- sends it (a primary key gives that in one statement, ClickHouse only merges duplicates
-- eventually), and the report aggregates them with one GROUP BY.

-- Verified postbacks, once per (transaction id, window). Media source and campaign are not
-- stored: they are resolved when reporting, so a mapping edited later applies to old postbacks.
create table skan_postbacks (
  app_id text not null references apps (id),
  transaction_id text not null,
  postback_sequence_index smallint not null check (postback_sequence_index between 0 and 2),
  kind text not null check (kind in ('skan', 'aak')),
  version text not null,
  signer text not null,
  ad_network_id text not null,
  source_identifier text,
  source_app_id text,
  source_domain text,
  redownload boolean,
  fidelity_type smallint,
  did_win boolean,
  conversion_value smallint check (conversion_value between 0 and 63),
  coarse_conversion_value text check (coarse_conversion_value in ('low', 'medium', 'high')),
  conversion_type text not null,
  country_code text,
  received_at timestamptz not null,
  raw jsonb not null,
  primary key (app_id, transaction_id, postback_sequence_index)
);
create index skan_postbacks_app_time_idx on skan_postbacks (app_id, received_at);

-- Postbacks that could not be verified or matched to an app: kept with the reason for
-- inspection, never counted. app_id is null when no app has the postback's App Store id.
create table skan_unverified_postbacks (
  id bigint generated always as identity primary key,
  app_id text references apps (id),
  reason text not null,
  received_at timestamptz not null,
  raw jsonb not null
);
create index skan_unverified_app_time_idx on skan_unverified_postbacks (app_id, received_at);

-- Per app: the conversion-value schema, network and campaign mapping (normalizeSkanSettings).
create table skan_settings (
  app_id text primary key references apps (id),
  settings jsonb not null,
  updated_at timestamptz not null default now()
);
