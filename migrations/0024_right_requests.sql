-- « Demander un accès » (issue #15, section 1): a person asks the local manager and deputies of (organization,
-- service) for a right; an agent may name one of the client's applications, on which the approval also mandates them.
-- An approval is a grant made by the approving manager (grant_id); a refusal keeps its reason. A request left open
-- past expires_at counts as expired from that moment (read by date), whether or not the hourly job marked it.
create table right_request (
  id bigint generated always as identity primary key,
  user_id bigint not null references app_user (id),
  organization_id bigint not null references organization (id),
  service_id bigint not null references online_service (id),
  access_right text not null
    check (access_right in ('requester.write', 'requester.read', 'agent.write', 'agent.read')),
  -- The dossier an agent names: one of the organization's applications in the service.
  application_id bigint references application (id),
  message text not null default '' check (length(message) <= 1000),
  status text not null default 'open' check (status in ('open', 'approved', 'refused', 'expired')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  decided_at timestamptz,
  decided_by bigint references app_user (id),
  refusal_reason text check (length(refusal_reason) between 1 and 1000),
  grant_id bigint references access_grant (id),
  check ((status = 'open') = (decided_at is null)),
  check (status <> 'refused' or refusal_reason is not null),
  check (status <> 'approved' or (grant_id is not null and decided_by is not null)),
  check (application_id is null or access_right in ('agent.write', 'agent.read')),
  check (expires_at > created_at)
);

-- One open request per (person, organization, service, right): two submissions at once write one row.
create unique index right_request_open on right_request (user_id, organization_id, service_id, access_right)
  where status = 'open';
-- The queue of the managers of (organization, service), and the hourly job's search for requests past their date.
create index right_request_registry on right_request (organization_id, service_id, created_at) where status = 'open';
create index right_request_expiry on right_request (expires_at) where status = 'open';
create index right_request_user on right_request (user_id, created_at);

create trigger data_change after insert or update or delete or truncate on right_request
  for each statement execute function note_data_change();
