-- Federation: each session of the OpenID Provider belongs to the Guichet session it was opened in, so that when the
-- Guichet session ends (sign-out, idle, disabled account, password or factor reset) its provider sessions end with
-- it and every relying service holding one is told (back-channel logout).
alter table oidc_payload add column guichet_session bytea;
create index oidc_payload_guichet_session on oidc_payload (guichet_session) where guichet_session is not null;
