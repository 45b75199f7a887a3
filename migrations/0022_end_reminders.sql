-- Reminders before an end date other than a procuration's (those have procuration_reminder, 0002), issue #15 § 3.
-- One row per (kind, item, threshold, end date): the hourly job claims it with « on conflict do nothing » in the
-- transaction that queues the mails, so each reminder goes out once across servers and restarts, and an end date
-- moved later is a new key, reminded again. Only an access right has an end date today (access_grant.valid_until):
-- deputies, associations and mandates end when someone ends them (a mandate also with the right it rests on).
create table end_reminder (
  kind text not null check (kind in ('access_grant')),
  item_id bigint not null,
  days_before integer not null check (days_before in (30, 7)),
  end_date date not null,
  sent_at timestamptz not null,
  primary key (kind, item_id, days_before, end_date)
);

-- One reminder email per person per day in Québec, listing all of that day's reminders (held and to renew): the
-- key refuses a second one, so a reminder that falls due later the same day waits for the next day's email.
create table reminder_digest (
  user_id bigint not null references app_user (id),
  day date not null,
  sent_at timestamptz not null,
  reminders integer not null check (reminders > 0),
  primary key (user_id, day)
);

create trigger data_change after insert or update or delete or truncate on end_reminder
  for each statement execute function note_data_change();
create trigger data_change after insert or update or delete or truncate on reminder_digest
  for each statement execute function note_data_change();
