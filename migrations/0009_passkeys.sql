-- Passkeys (WebAuthn): the public keys of a person's authenticators, and the single-use challenges of a ceremony.

-- A passkey. credential_id is the authenticator's id, base64url (unique across every account, removed ones too: an
-- authenticator's key never changes owner). sign_count is the last signature counter seen: a later signature whose
-- counter does not increase (when either is non-zero) points to a cloned authenticator and is refused. device_type
-- and backed_up say whether the key is bound to one device or synced (the session's amr, hwk or swk, follows it).
create table passkey (
  id bigint generated always as identity primary key,
  user_id bigint not null references app_user (id),
  credential_id text not null unique,
  public_key bytea not null,
  sign_count bigint not null default 0,
  transports text[] not null default '{}',
  name text not null check (char_length(name) between 1 and 60),
  device_type text not null check (device_type in ('singleDevice', 'multiDevice')),
  backed_up boolean not null,
  created_at timestamptz not null,
  last_used_at timestamptz,
  removed_at timestamptz
);
create index passkey_user on passkey (user_id) where removed_at is null;

-- A challenge handed to the browser for one ceremony: registering a passkey (bound to a session), the second step of
-- a sign-in (bound to its pending sign-in), a sign-in from the first page (bound to nothing: whoever answers it is
-- found from the credential), or a step-up (bound to a session). It is taken once (used_at), within a few minutes.
create table webauthn_challenge (
  id bigint generated always as identity primary key,
  challenge text not null unique,
  purpose text not null check (purpose in ('register', 'secondStep', 'discover', 'stepUp')),
  user_id bigint references app_user (id),
  binding_hash bytea,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index webauthn_challenge_expires on webauthn_challenge (expires_at);
