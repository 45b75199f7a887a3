-- File transfers (seed 004): drafts holding staged files, transfers recorded with their files in one transaction,
-- confirmation numbers from a sequence, and the ministry staff assigned to receive each recipient's files.

-- Ten digits, never reused: a number taken by a transaction that rolled back stays taken.
create sequence file_transfer_confirmation
  as bigint
  start with 1000025868
  minvalue 1000000000
  maxvalue 9999999999
  no cycle;

-- A sender's files staged for one recipient: already stored and checked, but not a transfer yet.
create table file_transfer_draft (
  id bigint generated always as identity primary key,
  user_id bigint not null references app_user (id),
  organization_id bigint not null references organization (id),
  recipient_id bigint not null references transfer_recipient (id),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  unique (user_id, recipient_id)
);
create index file_transfer_draft_expiry on file_transfer_draft (expires_at);

create table file_transfer_draft_file (
  id bigint generated always as identity primary key,
  draft_id bigint not null references file_transfer_draft (id) on delete cascade,
  name text not null check (length(name) between 1 and 255),
  size_bytes bigint not null check (size_bytes > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content_type text not null,
  storage_key text not null unique,
  added_at timestamptz not null,
  unique (draft_id, name)
);

create table file_transfer (
  id bigint generated always as identity primary key,
  confirmation_number bigint not null unique default nextval('file_transfer_confirmation'),
  organization_id bigint not null references organization (id),
  recipient_id bigint not null references transfer_recipient (id),
  sender_user_id bigint not null references app_user (id),
  sent_at timestamptz not null,
  -- The sender ticked the certification box; a transfer without it is never recorded.
  certified boolean not null check (certified)
);
create index file_transfer_organization on file_transfer (organization_id, sent_at);
create index file_transfer_recipient on file_transfer (recipient_id, sent_at);

create table file_transfer_file (
  id bigint generated always as identity primary key,
  transfer_id bigint not null references file_transfer (id),
  position integer not null,
  name text not null check (length(name) between 1 and 255),
  size_bytes bigint not null check (size_bytes > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content_type text not null,
  storage_key text not null unique,
  unique (transfer_id, position)
);

-- The ministry users who receive a recipient's transfers (its inbox) and may download the files.
create table transfer_recipient_staff (
  recipient_id bigint not null references transfer_recipient (id),
  user_id bigint not null references app_user (id),
  assigned_at timestamptz not null,
  primary key (recipient_id, user_id)
);
create index transfer_recipient_staff_user on transfer_recipient_staff (user_id);
