-- « Revue des accès » (issue #15, section 2): a campaign asks the local manager and deputies of (organization, service)
-- to confirm or remove every current right, deputy and mandate, and the services officer every procuration holder
-- (service_id null). The database holds the invariants: one open campaign per (organization, service) at a time (a
-- partial unique index, so the hourly job on two servers, or the job and a ministry's launch, cannot open two), one
-- line per item in a campaign, and a line decided once (the service's update says « where decision is null »).
create table review_campaign (
  id bigserial primary key,
  organization_id bigint not null references organization (id),
  service_id bigint references online_service (id),
  -- The ministry's service administrator who launched it; null when the 12-month schedule started it.
  launched_by bigint references app_user (id),
  started_at timestamptz not null,
  deadline timestamptz not null,
  -- What the deadline does to a line nobody decided (REVIEW_UNCONFIRMED when the campaign started).
  unconfirmed text not null check (unconfirmed in ('end', 'keep')),
  closed_at timestamptz,
  check (deadline > started_at),
  check (closed_at is null or closed_at >= started_at)
);

create unique index review_campaign_open on review_campaign (organization_id, coalesce(service_id, 0))
  where closed_at is null;
create index review_campaign_history on review_campaign (organization_id, started_at desc);
create index review_campaign_deadline on review_campaign (deadline) where closed_at is null;

-- One line per item reviewed, as it stood when the campaign started. item_id names a row of the table its kind says
-- (access_grant, service_role, mandate, procuration_holder); subject_user_id is whose access it is, who may never
-- decide it. outcome is the deadline's: ended or flagged (kept and marked) for a line nobody decided, gone for one
-- whose item had already ended by other means.
create table review_line (
  id bigserial primary key,
  campaign_id bigint not null references review_campaign (id),
  kind text not null check (kind in ('access_grant', 'deputy', 'mandate', 'procuration_holder')),
  item_id bigint not null,
  subject_user_id bigint not null references app_user (id),
  decision text check (decision in ('confirmed', 'removed')),
  decided_by bigint references app_user (id),
  decided_at timestamptz,
  outcome text check (outcome in ('ended', 'flagged', 'gone')),
  unique (campaign_id, kind, item_id),
  check ((decision is null) = (decided_at is null)),
  check ((decision is null) = (decided_by is null)),
  check (decision is null or outcome is null),
  check (decided_by is null or decided_by <> subject_user_id)
);

create index review_line_subject on review_line (subject_user_id);

-- A campaign's reminders (at the start, halfway, 7 days before the deadline), claimed with « on conflict do nothing »
-- in the transaction that queues their mails: each goes out once across servers and runs.
create table review_reminder (
  campaign_id bigint not null references review_campaign (id),
  stage text not null check (stage in ('start', 'halfway', 'week')),
  sent_at timestamptz not null,
  primary key (campaign_id, stage)
);

create trigger data_change after insert or update or delete or truncate on review_campaign
  for each statement execute function note_data_change();
create trigger data_change after insert or update or delete or truncate on review_line
  for each statement execute function note_data_change();
create trigger data_change after insert or update or delete or truncate on review_reminder
  for each statement execute function note_data_change();
