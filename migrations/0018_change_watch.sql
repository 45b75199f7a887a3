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

-- The embedded engine is written by one process that keeps its own exact cache: it turns the noting off for its
-- session (guichet.note_changes = off, database.ts). Everyone else notes, a person at psql included.
create function note_registry_change() returns trigger language plpgsql as $$
begin
  if current_setting('guichet.note_changes', true) is distinct from 'off' then
    insert into registry_change (xid) values (pg_current_xact_id()) on conflict (xid) do nothing;
  end if;
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

-- The same for the pages' hot reads on PostgreSQL (the session behind a cookie, a person's services, their
-- applications): every table but those that are only written, or read only outside the cache, notes its writers in
-- data_change. A table made later gets the trigger in its own migration; a test checks that every table but these
-- carries it.
create table data_change (
  xid xid8 primary key,
  at timestamptz not null default now()
);

create function note_data_change() returns trigger language plpgsql as $$
begin
  if current_setting('guichet.note_changes', true) is distinct from 'off' then
    insert into data_change (xid) values (pg_current_xact_id()) on conflict (xid) do nothing;
  end if;
  return null;
end $$;

do $$
declare
  name text;
begin
  for name in
    select c.relname from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
        and c.relname not in (
          'audit_event', 'registry_change', 'data_change', 'mail_outbox', 'backchannel_outbox', 'oidc_payload',
          'sign_in_failure', 'identification_code_failure', 'pending_sign_in', 'webauthn_challenge',
          'step_up_request', 'schema_migration')
  loop
    execute format(
      'create trigger data_change after insert or update or delete or truncate on %I '
      'for each statement execute function note_data_change()', name);
  end loop;
end $$;
