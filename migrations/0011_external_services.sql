-- External online services: a ministry's online service that runs on its own servers and signs people in through
-- Guichet, as a client of Guichet's OpenID Provider (issue #13).

-- Where an external service lives; null for the services whose pages are Guichet's own. https only, except
-- http://localhost and http://127.0.0.1 with a port, for development. The application checks the rest (a host, no
-- user name, no fragment); the database holds the scheme, so no row ever sends a person to plain http elsewhere.
alter table online_service add column external_url text
  check (external_url ~* '^(https://[^/?#]|http://(localhost|127\.0\.0\.1):[0-9]+([/?]|$))');

-- The target of the composite foreign key below: a client names its service and the ministry that owns it together.
alter table online_service add constraint online_service_id_ministry unique (id, ministry_id);

-- An OpenID client: one per external service, owned by the service's ministry (the composite foreign key makes the
-- two ministries one). client_id is random and public. Redirect, post-logout and back-channel logout URIs are exact
-- strings, compared as such by the provider: no wildcard, no fragment (checked by the application, which says why).
--
-- Authentication at the token endpoint: private_key_jwt (the service signs an assertion with a key published at
-- jwks_uri; Guichet holds no secret of it), or client_secret_basic. The secret is 256 random bits, shown once and
-- kept as its SHA-256: a slow hash (argon2id) protects a secret a person chose, which can be guessed; 256 random bits
-- cannot be, hashed fast or slow, and a fast hash keeps the token endpoint from spending a core per request.
-- secret_rotated_at is when the current secret was issued (at registration, rotation, or a change to a secret).
--
-- min_assurance: what the service needs of a sign-in, the password alone or a second factor too. disabled_at: the
-- provider no longer knows the client (every request of it is refused), until it is enabled again.
create table oidc_client (
  id bigint generated always as identity primary key,
  client_id text not null unique check (client_id ~ '^[A-Za-z0-9_-]{16,64}$'),
  online_service_id bigint not null unique,
  ministry_id bigint not null references organization (id),
  name text not null check (char_length(name) between 1 and 200),
  redirect_uris text[] not null
    check (cardinality(redirect_uris) between 1 and 10 and array_position(redirect_uris, null) is null),
  post_logout_redirect_uris text[] not null default '{}'
    check (cardinality(post_logout_redirect_uris) <= 10 and array_position(post_logout_redirect_uris, null) is null),
  backchannel_logout_uri text,
  auth_method text not null check (auth_method in ('private_key_jwt', 'client_secret_basic')),
  jwks_uri text,
  secret_hash bytea check (octet_length(secret_hash) = 32),
  min_assurance text not null check (min_assurance in ('password', 'mfa')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  disabled_at timestamptz,
  secret_rotated_at timestamptz,
  foreign key (online_service_id, ministry_id) references online_service (id, ministry_id),
  check (
    (auth_method = 'private_key_jwt' and jwks_uri is not null and secret_hash is null)
    or (auth_method = 'client_secret_basic' and secret_hash is not null and jwks_uri is null
        and secret_rotated_at is not null)
  )
);
create index oidc_client_ministry on oidc_client (ministry_id);
