-- Guichet as an OpenID Provider: what oidc-provider stores through its adapter, and the keys it signs with.

-- Every model oidc-provider keeps (Session, AccessToken, AuthorizationCode, RefreshToken, DeviceCode,
-- ClientCredentials, Client, InitialAccessToken, RegistrationAccessToken, Interaction, ReplayDetection,
-- PushedAuthorizationRequest, Grant, BackchannelAuthenticationRequest, PreAuthorizedCode), one row each, keyed by
-- the model's name and its id. The payload is the provider's own JSON, kept whole; the columns beside it copy the few
-- fields the adapter looks rows up by: grant_id (tokens and codes of a grant, revoked together), user_code (device
-- flow), uid (a session found from its interaction). expires_at is null for what never expires (a registered
-- client); a row past it counts as absent and the hourly job deletes it. consumed_at marks a code or token used once:
-- the provider reads it back as the payload's `consumed`. The payload is json, not jsonb: it is never searched inside,
-- and jsonb refuses the \u0000 that a client may put in a request parameter the provider keeps (an interaction's
-- state, say), which would fail the request.
create table oidc_payload (
  model text not null,
  id text not null,
  payload json not null,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (model, id)
);
create index oidc_payload_grant on oidc_payload (grant_id) where grant_id is not null;
create index oidc_payload_user_code on oidc_payload (model, user_code) where user_code is not null;
create index oidc_payload_uid on oidc_payload (model, uid) where uid is not null;
create index oidc_payload_expires on oidc_payload (expires_at) where expires_at is not null;

-- The keys the provider signs ID tokens (and any signed response) with: one active key per algorithm (ES256, and
-- RS256 because OpenID Connect makes it the default that every client may rely on). The private JWK is encrypted
-- (AES-256-GCM with MFA_ENCRYPTION_KEY, bound to its kid), never stored in clear. A rotation retires the active keys:
-- they sign no more but stay in the JWKS until forget_after, once every token they signed has expired; then they go.
create table oidc_signing_key (
  kid text primary key,
  algorithm text not null check (algorithm in ('ES256', 'RS256')),
  private_jwk_ciphertext bytea not null,
  created_at timestamptz not null,
  activated_at timestamptz not null,
  retired_at timestamptz,
  forget_after timestamptz,
  check ((retired_at is null) = (forget_after is null))
);
-- Two servers starting at once on an empty table, or two rotations, cannot leave two active keys of one algorithm.
create unique index oidc_signing_key_one_active on oidc_signing_key (algorithm) where retired_at is null;
