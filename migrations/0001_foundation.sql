-- Foundation: organizations, users, sessions, sign-in throttling, audit log, mail outbox, catalogue.

create table organization (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('municipality', 'body', 'firm', 'ministry')),
  name text not null check (length(name) between 1 and 200),
  acronym text,
  geo_code text unique check (geo_code ~ '^[0-9]{5}$'),
  neq text unique check (neq ~ '^[0-9]{10}$'),
  body_category text,
  civic_number text,
  street text,
  city text,
  postal_code text,
  region text,
  provincial_riding text,
  federal_riding text,
  phone text,
  email text,
  created_at timestamptz not null default now(),
  check (kind <> 'municipality' or geo_code is not null),
  check (kind not in ('body', 'firm') or neq is not null)
);

create table ministry_unit (
  id bigint generated always as identity primary key,
  organization_id bigint not null references organization (id),
  code text not null,
  name text not null,
  unique (organization_id, code)
);

create table service_point (
  id bigint generated always as identity primary key,
  organization_id bigint not null references organization (id),
  name text not null,
  civic_number text,
  street text,
  city text,
  postal_code text,
  created_at timestamptz not null default now(),
  unique (organization_id, name)
);

create table app_user (
  id bigint generated always as identity primary key,
  organization_id bigint not null references organization (id),
  user_code text not null unique check (user_code ~ '^[A-Z0-9]{7}$'),
  civility text check (civility in ('M.', 'Mme')),
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  job_title text,
  phone text,
  phone_extension text,
  email text not null check (length(email) between 3 and 254),
  password_hash text,
  is_services_officer boolean not null default false,
  ministry_unit_id bigint references ministry_unit (id),
  is_service_admin boolean not null default false,
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (not is_service_admin or ministry_unit_id is not null)
);
create index app_user_organization on app_user (organization_id, last_name, first_name);

create table session (
  token_hash bytea primary key,
  user_id bigint not null references app_user (id),
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ip text
);
create index session_by_user on session (user_id);

-- A one-time link: account activation or password reset. Only the hash of the token is kept.
create table account_token (
  token_hash bytea primary key,
  user_id bigint not null references app_user (id),
  purpose text not null check (purpose in ('activation', 'reset')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index account_token_user on account_token (user_id);

-- Failed sign-ins, to slow down guessing per account and per client address.
create table sign_in_failure (
  id bigint generated always as identity primary key,
  user_code text not null,
  ip text not null,
  device_known boolean not null default false,
  at timestamptz not null
);
create index sign_in_failure_code on sign_in_failure (user_code, at);
create index sign_in_failure_ip on sign_in_failure (ip, at);

-- A browser that once signed in successfully for a user keeps its own allowance of attempts,
-- so that someone guessing elsewhere cannot keep the real user out.
create table known_device (
  token_hash bytea primary key,
  user_id bigint not null references app_user (id),
  created_at timestamptz not null,
  last_used_at timestamptz not null
);
create index known_device_user on known_device (user_id);

create table audit_event (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  actor_user_id bigint references app_user (id),
  actor_code text,
  action text not null,
  outcome text not null check (outcome in ('success', 'failure', 'denied')),
  reason text,
  organization_id bigint references organization (id),
  target_type text,
  target_id text,
  ip text,
  details jsonb not null default '{}'
);
create index audit_event_at on audit_event (at);
create index audit_event_organization on audit_event (organization_id, at);

-- The audit log is append-only: history is never rewritten.
create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_event is append-only';
end;
$$;
create trigger audit_event_append_only before update or delete on audit_event
  for each row execute function audit_event_is_append_only();

create table mail_outbox (
  id bigint generated always as identity primary key,
  created_at timestamptz not null,
  to_address text not null,
  subject text not null,
  text_body text not null,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  locked_until timestamptz,
  sent_at timestamptz,
  failed_at timestamptz,
  last_error text
);
create index mail_outbox_due on mail_outbox (next_attempt_at) where sent_at is null and failed_at is null;

create table online_service (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  category text not null check (category in ('infrastructures', 'other')),
  ministry_id bigint not null references organization (id),
  ministry_unit_id bigint references ministry_unit (id),
  description text,
  sort_order integer not null default 0
);

create table transfer_recipient (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  ministry_id bigint not null references organization (id),
  ministry_unit_id bigint not null references ministry_unit (id),
  instructions text not null default '',
  allowed_extensions text[] not null default '{pdf}',
  max_file_bytes bigint not null default 104857600 check (max_file_bytes > 0),
  name_rule text not null default 'none' check (name_rule in ('none', 'geo_code_prefix')),
  sort_order integer not null default 0
);

-- A form carries a one-time key: the same form sent twice (double click, two tabs, a retry) writes once.
create table form_submission (
  key text primary key check (length(key) between 20 and 100),
  user_id bigint not null references app_user (id),
  created_at timestamptz not null,
  result text not null default ''
);
