-- The key that signs access tokens, shared by every API process of one deployment (scale-out).
-- One row per purpose; the first process to start inserts it, every later one reads it.
create table signing_keys (
  purpose text primary key,
  private_key_pem text not null,
  created_at timestamptz not null default now()
);
