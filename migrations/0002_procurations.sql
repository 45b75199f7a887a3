-- Procurations: an organization lets employees act for it with chosen ministries, for all tasks or some, until a date.

create table procuration (
  id bigint generated always as identity primary key,
  organization_id bigint not null references organization (id),
  name text not null check (length(name) between 1 and 200),
  start_date date not null,
  end_date date not null,
  created_by bigint not null references app_user (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- Ending a procuration early moves its end date; ended_at records that it was ended, not merely expired.
  ended_at timestamptz,
  ended_by bigint references app_user (id),
  check (end_date >= start_date)
);
create index procuration_organization on procuration (organization_id, end_date);

-- The ministries a procuration covers: all their tasks (restricted = false) or only the services listed below.
create table procuration_ministry (
  procuration_id bigint not null references procuration (id),
  ministry_id bigint not null references organization (id),
  restricted boolean not null,
  primary key (procuration_id, ministry_id)
);

create table procuration_service (
  procuration_id bigint not null,
  ministry_id bigint not null,
  service_id bigint not null references online_service (id),
  primary key (procuration_id, ministry_id, service_id),
  foreign key (procuration_id, ministry_id) references procuration_ministry (procuration_id, ministry_id)
);

-- Who holds a procuration. A holder is removed by ending the row, never by deleting it.
create table procuration_holder (
  id bigint generated always as identity primary key,
  procuration_id bigint not null references procuration (id),
  user_id bigint not null references app_user (id),
  assigned_at timestamptz not null,
  assigned_by bigint not null references app_user (id),
  ended_at timestamptz,
  ended_by bigint references app_user (id)
);
-- A user holds a given procuration at most once at a time.
create unique index procuration_holder_current on procuration_holder (procuration_id, user_id) where ended_at is null;
create index procuration_holder_user on procuration_holder (user_id) where ended_at is null;

-- Reminders before a procuration ends: one row per (procuration, end date, threshold), so each is sent exactly once.
create table procuration_reminder (
  procuration_id bigint not null references procuration (id),
  end_date date not null,
  days_before integer not null check (days_before in (30, 7)),
  sent_at timestamptz not null,
  primary key (procuration_id, end_date, days_before)
);
