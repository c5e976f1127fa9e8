-- Apps and their keys. Later migrations add users, members, links, partners, audit.

create table apps (
  id text primary key,
  name text not null check (length(btrim(name)) between 1 and 200),
  platforms text[] not null check (cardinality(platforms) >= 1 and platforms <@ array['ios', 'android', 'web']::text[]),
  bundle_id text,
  store_url_ios text,
  store_url_android text,
  web_url text,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);

create index apps_created_at_idx on apps (created_at, id) where deleted_at is null;

-- SDK keys ship inside apps and the dashboard shows them again: kept in clear in `secret`.
-- Server keys are secrets: only their SHA-256 (hex) is kept. Both are looked up on every
-- ingest request, hence the unique indexes (NULLs do not collide).
create table app_keys (
  id text primary key,
  app_id text not null references apps (id),
  kind text not null check (kind in ('sdk', 'server')),
  secret text unique,
  secret_hash text unique check (secret_hash ~ '^[0-9a-f]{64}$'),
  prefix text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  check (
    (kind = 'sdk' and secret is not null and secret_hash is null)
    or (kind = 'server' and secret is null and secret_hash is not null)
  )
);

create index app_keys_app_id_idx on app_keys (app_id) where revoked_at is null;
