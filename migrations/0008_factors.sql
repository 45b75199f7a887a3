-- Second factors: an authenticator app (TOTP) and single-use recovery codes; the second step of a sign-in; how a
-- session was opened (amr) and when its person last proved a second factor.

-- An authenticator app. The secret is encrypted (AES-256-GCM, MFA_ENCRYPTION_KEY, bound to the user); it counts once
-- its first code is confirmed. last_step is the last time step accepted: a code of that step or an earlier one is
-- refused, so a code works once.
create table totp_factor (
  id bigint generated always as identity primary key,
  user_id bigint not null references app_user (id),
  secret_ciphertext bytea not null,
  created_at timestamptz not null,
  confirmed_at timestamptz,
  last_step bigint,
  last_used_at timestamptz,
  removed_at timestamptz
);
create unique index totp_factor_one_active on totp_factor (user_id)
  where removed_at is null and confirmed_at is not null;
create unique index totp_factor_one_pending on totp_factor (user_id)
  where removed_at is null and confirmed_at is null;

-- Recovery codes: ten at a time, each used once; a new set voids the old. Only a hash is kept (the codes are random,
-- 80 bits each, so a fast hash is enough).
create table recovery_code (
  id bigint generated always as identity primary key,
  user_id bigint not null references app_user (id),
  code_hash bytea not null,
  created_at timestamptz not null,
  used_at timestamptz,
  voided_at timestamptz,
  unique (user_id, code_hash)
);

-- A sign-in whose password was right and whose second factor is awaited. It is no session: it opens nothing.
create table pending_sign_in (
  token_hash bytea primary key,
  user_id bigint not null references app_user (id),
  device_token_hash bytea not null,
  return_to text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index pending_sign_in_user on pending_sign_in (user_id);

-- How the person signed in (RFC 8176 method names: pwd, otp) and when they last proved a second factor.
alter table session add column amr text[] not null default '{pwd}';
alter table session add column factor_at timestamptz;

-- Whoever holds a role that needs a second factor and has none gets a grace period, counted from the first sign-in
-- that found it so; each session keeps the deadline, after which the person can only add a factor.
alter table app_user add column factor_grace_started_at timestamptz;
alter table session add column factor_deadline timestamptz;

-- A sensitive act asked with a second factor older than the step-up window: the form is kept here while the person
-- proves the factor again, then sent once.
create table step_up_request (
  token_hash bytea primary key,
  session_token_hash bytea not null,
  user_id bigint not null references app_user (id),
  act text not null,
  url text not null,
  body jsonb not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index step_up_request_user on step_up_request (user_id);
