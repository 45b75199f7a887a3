-- Which transactions changed the reference tables: the catalogue of online services, the organizations and their
-- units and service points, the transfer recipients and their staff, the program forms. They change rarely, so a
-- server on PostgreSQL keeps what the pages read of them across writes to every other table, and drops it only when
-- one of these transactions becomes visible (db/snapshot-cache.ts, the reference scope). Noted like registry_change
-- and data_change (migration 0018): one row per writing transaction, never a shared row.
create table reference_change (
  xid xid8 primary key,
  at timestamptz not null default now()
);

create function note_reference_change() returns trigger language plpgsql as $$
begin
  if current_setting('guichet.note_changes', true) is distinct from 'off' then
    insert into reference_change (xid) values (pg_current_xact_id()) on conflict (xid) do nothing;
  end if;
  return null;
end $$;

do $$
declare
  name text;
begin
  foreach name in array array[
    'online_service', 'organization', 'ministry_unit', 'service_point', 'transfer_recipient',
    'transfer_recipient_staff', 'program_form']
  loop
    execute format(
      'create trigger reference_change after insert or update or delete or truncate on %I '
      'for each statement execute function note_reference_change()', name);
  end loop;
end $$;
