-- The postback outbox (docs/attribution-rules.md "Postbacks"): every postback is a row before it is sent, so a
-- restart loses nothing pending. Times come from the caller's clock, not now(), so the retry
-- schedule can be tested without waiting.

-- One row per (app, media_source, event_name, install_id, event_id): enqueueing the same
-- install or event again (a retried pipeline batch) is a no-op. event_id is '' for installs.
-- A pending row whose next_attempt_at is in the future is either waiting for its retry or
-- leased by a worker that is sending it (claimDue moves next_attempt_at forward by the lease).
create table postbacks (
  id text primary key,
  app_id text not null references apps (id),
  media_source text not null,
  install_id text not null,
  event_id text not null default '',
  event_name text not null check (length(event_name) between 1 and 200),
  method text not null check (method in ('GET', 'POST')),
  url text not null,
  body jsonb,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null,
  last_status_code integer,
  last_error text,
  created_at timestamptz not null,
  delivered_at timestamptz,
  unique (app_id, media_source, event_name, install_id, event_id)
);

create index postbacks_due_idx on postbacks (status, next_attempt_at);
create index postbacks_app_idx on postbacks (app_id, created_at desc, id desc);
create index postbacks_app_status_idx on postbacks (app_id, status, created_at desc, id desc);

-- Every attempt, for the delivery log. error is 'timeout' or 'network: <detail>' when no HTTP
-- status came back.
create table postback_attempts (
  postback_id text not null references postbacks (id),
  attempt integer not null check (attempt >= 1),
  at timestamptz not null,
  status_code integer,
  error text,
  duration_ms integer not null check (duration_ms >= 0),
  primary key (postback_id, attempt)
);
