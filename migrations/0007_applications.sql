-- Financial-aid applications (« demandes d'aide financière ») and the mandates that let an agent work on one.
-- A program's form is data; an application keeps every saved state as a version; a mandate ends with a date.

-- The form of the program behind an online service: sections and fields with their types and rules (JSON).
-- Adding a program is adding a row; a new definition is a new version, and an application records the one it used.
create table program_form (
  id bigint generated always as identity primary key,
  service_id bigint not null references online_service (id),
  version integer not null check (version > 0),
  definition jsonb not null,
  created_at timestamptz not null,
  unique (service_id, version)
);

-- Application numbers and transmission numbers come from sequences and are never reused.
create sequence application_number_seq start with 100001 minvalue 100001 no cycle;
create sequence application_transmission_seq start with 2000000001 minvalue 2000000001 maxvalue 9999999999 no cycle;

create table application (
  id bigint generated always as identity primary key,
  number bigint not null unique default nextval('application_number_seq'),
  organization_id bigint not null references organization (id),
  service_id bigint not null references online_service (id),
  form_id bigint not null references program_form (id),
  status text not null default 'draft' check (status in ('draft', 'transmitted')),
  title text not null check (length(title) between 1 and 200),
  data jsonb not null default '{}',
  -- Bumped by every save: a save names the revision it started from, so a stale save is refused, never merged.
  revision integer not null default 1 check (revision > 0),
  created_at timestamptz not null,
  created_by bigint not null references app_user (id),
  updated_at timestamptz not null,
  updated_by bigint not null references app_user (id),
  transmitted_at timestamptz,
  transmitted_by bigint references app_user (id),
  transmission_number bigint unique,
  -- A new version of a transmitted application is a new draft that points at it.
  previous_id bigint references application (id),
  check ((status = 'transmitted') = (transmitted_at is not null and transmission_number is not null))
);
create index application_registry on application (organization_id, service_id, updated_at);
create unique index application_one_next_version on application (previous_id) where previous_id is not null;

-- Every saved state of an application, never changed afterwards.
create table application_version (
  application_id bigint not null references application (id),
  revision integer not null,
  status text not null check (status in ('draft', 'transmitted')),
  title text not null,
  data jsonb not null,
  saved_at timestamptz not null,
  saved_by bigint not null references app_user (id),
  primary key (application_id, revision)
);

-- PDF attachments, stored like transferred files; removing one ends it, the version history keeps its trace.
create table application_attachment (
  id bigint generated always as identity primary key,
  application_id bigint not null references application (id),
  field text not null,
  name text not null,
  size_bytes bigint not null check (size_bytes > 0),
  sha256 bytea not null,
  storage_key text not null unique,
  uploaded_at timestamptz not null,
  uploaded_by bigint not null references app_user (id),
  removed_at timestamptz,
  removed_by bigint references app_user (id)
);
create index application_attachment_current on application_attachment (application_id) where removed_at is null;

-- An agent assigned to one application of a client (« Gestion des mandats »).
create table mandate (
  id bigint generated always as identity primary key,
  application_id bigint not null references application (id),
  agent_user_id bigint not null references app_user (id),
  assigned_at timestamptz not null,
  assigned_by bigint not null references app_user (id),
  ended_at timestamptz,
  ended_by bigint references app_user (id),
  end_reason text check (end_reason in ('ended', 'dissociated', 'right_ended')),
  check ((ended_at is null) = (end_reason is null))
);
create unique index mandate_current on mandate (application_id, agent_user_id) where ended_at is null;
create index mandate_agent on mandate (agent_user_id) where ended_at is null;
