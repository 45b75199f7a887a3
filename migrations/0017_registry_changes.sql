-- Which transactions changed what a decision reads, so that a server on PostgreSQL can keep decisions in memory and
-- still never answer across a write (db/snapshot-cache.ts). Each transaction that writes one of these tables notes its
-- id once; a server compares the transactions visible now with those visible in the snapshot its cache was read at.
-- An append of one row per transaction, never an update of a shared row: writers never wait for one another here.
-- The tables are those read by decision_facts, registry_service_facts and decision_api_names; a test checks that every
-- table their bodies name carries the trigger.
create table registry_change (
  xid xid8 primary key,
  at timestamptz not null default now()
);

create function note_registry_change() returns trigger language plpgsql as $$
begin
  insert into registry_change (xid) values (pg_current_xact_id()) on conflict (xid) do nothing;
  return null;
end $$;

create trigger registry_change after insert or update or delete or truncate on app_user
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on organization
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on online_service
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on service_role
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on service_association
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on access_grant
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on procuration
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on procuration_holder
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on procuration_ministry
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on procuration_service
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on application
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on declared_dossier
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on mandate
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on pairwise_subject
  for each statement execute function note_registry_change();
create trigger registry_change after insert or update or delete or truncate on oidc_client
  for each statement execute function note_registry_change();
