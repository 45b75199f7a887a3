-- Access requests and the roles they lead to: one local manager per (organization, service), one agent manager per
-- (service point, service), deputies named by the manager; identification codes that prove a municipality's authority.

-- The secret a municipality receives by mail. Only its hash is kept; re-issuing replaces it.
create table identification_code (
  organization_id bigint primary key references organization (id),
  code_hash text not null,
  issued_at timestamptz not null,
  issued_by bigint references app_user (id)
);

-- Wrong identification codes, to slow down guessing per municipality.
create table identification_code_failure (
  id bigint generated always as identity primary key,
  organization_id bigint not null references organization (id),
  user_id bigint references app_user (id),
  ip text,
  at timestamptz not null
);
create index identification_code_failure_org on identification_code_failure (organization_id, at);

create table access_request (
  id bigint generated always as identity primary key,
  role text not null check (role in ('local_manager', 'agent_manager')),
  -- A replacement names a new person for a role someone already holds.
  replacement boolean not null default false,
  organization_id bigint not null references organization (id),
  service_point_id bigint references service_point (id),
  service_id bigint not null references online_service (id),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  filed_by bigint not null references app_user (id),
  filed_at timestamptz not null,
  -- The person in authority who makes the request (the seed's « demandeur »).
  authority_civility text not null check (authority_civility in ('M.', 'Mme')),
  authority_last_name text not null,
  authority_first_name text not null,
  authority_job_title text not null,
  authority_phone text not null,
  authority_phone_extension text,
  authority_email text not null,
  designated_user_id bigint not null references app_user (id),
  -- The body's details as the form gave them (category, address, region, ridings), kept with the request.
  organization_details jsonb not null default '{}',
  reason text,
  decided_at timestamptz,
  decided_by bigint references app_user (id),
  rejection_reason text,
  check ((role = 'agent_manager') = (service_point_id is not null)),
  check ((status = 'pending') = (decided_at is null))
);
-- At most one pending request per (organization or service point, service).
create unique index access_request_one_pending_org on access_request (organization_id, service_id)
  where status = 'pending' and service_point_id is null;
create unique index access_request_one_pending_point on access_request (service_point_id, service_id)
  where status = 'pending' and service_point_id is not null;
create index access_request_queue on access_request (status, filed_at);

-- Roles in a service. A role ends with a date, never by deletion.
create table service_role (
  id bigint generated always as identity primary key,
  role text not null check (role in ('local_manager', 'deputy', 'agent_manager')),
  organization_id bigint not null references organization (id),
  service_point_id bigint references service_point (id),
  service_id bigint not null references online_service (id),
  user_id bigint not null references app_user (id),
  granted_at timestamptz not null,
  granted_by bigint references app_user (id),
  access_request_id bigint references access_request (id),
  ended_at timestamptz,
  ended_by bigint references app_user (id),
  end_reason text,
  check ((role = 'agent_manager') = (service_point_id is not null))
);
-- The invariants: concurrent approvals cannot make two managers, whatever the code does.
create unique index service_role_one_local_manager on service_role (organization_id, service_id)
  where role = 'local_manager' and ended_at is null;
create unique index service_role_one_agent_manager on service_role (service_point_id, service_id)
  where role = 'agent_manager' and ended_at is null;
create unique index service_role_one_deputy_each on service_role (organization_id, service_id, user_id)
  where role = 'deputy' and ended_at is null;
create index service_role_user on service_role (user_id) where ended_at is null;
