-- Privacy (docs/privacy.md): erase requests are rows before any work starts, so a restart in the
-- middle finishes them; invitations let a manager add a member before the account exists (for
-- closed registration, where nobody can register first).

-- status: pending (waiting or to be retried), running (claimed until lease_until), done, failed.
-- kind/value say who is to be forgotten; value is the identifier itself, needed to do the work.
-- person holds every identifier found for them before anything is deleted, so an attempt cut
-- short after deleting rows still knows what the rows said. Both are blanked once the request is
-- done (the counts remain as the proof).
create table erase_requests (
  id text primary key,
  app_id text not null references apps (id),
  kind text not null check (kind in ('device_id', 'advertising_id', 'user_id')),
  value text not null,
  status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed')),
  requested_by text references users (id),
  requested_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  lease_until timestamptz,
  attempts integer not null default 0,
  person jsonb,
  counts jsonb not null default '{}'::jsonb,
  last_error text
);

create index erase_requests_open_idx on erase_requests (status, requested_at) where status in ('pending', 'running');
create index erase_requests_app_idx on erase_requests (app_id, requested_at desc);

-- code_hash: SHA-256 of the one-time code the manager passes on; registering with the email
-- alone is not enough (anyone could register a colleague's address first and take the seat).
create table app_invitations (
  app_id text not null references apps (id),
  email text not null check (length(email) between 3 and 254),
  role text not null check (role in ('manager', 'analyst')),
  code_hash text not null check (code_hash ~ '^[0-9a-f]{64}$'),
  invited_by text references users (id),
  created_at timestamptz not null default now(),
  primary key (app_id, email)
);

create index app_invitations_email_idx on app_invitations (lower(email));
