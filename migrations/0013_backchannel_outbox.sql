-- Back-channel logout: when a Guichet session ends, each relying service that holds one of its provider sessions is
-- told, through the outbox beside the mail: one row per (service, provider session), written in the transaction that
-- ends the session, delivered by the same worker with the same lease, back-off and last attempt as an email. A row
-- keeps only whom to tell of what (the client, the person, the sid): the logout token is signed afresh at each
-- attempt, since it lives two minutes, and is never stored.
create table backchannel_outbox (
  id bigint generated always as identity primary key,
  created_at timestamptz not null,
  client_id text not null,
  account_id text not null,
  sid text not null,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  locked_until timestamptz,
  sent_at timestamptz,
  failed_at timestamptz,
  last_error text
);
create index backchannel_outbox_due on backchannel_outbox (next_attempt_at) where sent_at is null and failed_at is null;

-- Every provider session of a person, found at once when all of that person's Guichet sessions end (account disabled,
-- password or factors reset), whichever Guichet session each was opened in.
create index oidc_payload_session_account on oidc_payload ((payload ->> 'accountId')) where model = 'Session';
