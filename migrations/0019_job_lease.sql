-- Which hour the periodic jobs last ran in, and who runs them now, so that several servers on one database run them
-- once an hour between them (jobs.ts). A server claims the row with one update: it must find the hour not yet run and
-- the lease free or lapsed; PostgreSQL's row lock makes a second server's update wait, then see the row claimed.
create table job_lease (
  name text primary key,
  -- The server holding the lease while it runs the jobs (a random id per process), null when free.
  holder text,
  -- A server killed mid-run never lets go: its lease lapses at this time.
  held_until timestamptz,
  -- The start of the last hour whose run completed.
  last_hour timestamptz
);

insert into job_lease (name) values ('hourly');

create trigger data_change after insert or update or delete or truncate on job_lease
  for each statement execute function note_data_change();
