-- The registry of access rights (« Registre des droits d'accès »): firm staff associated to a service by their
-- service point's agent manager, and the rights a local manager or deputy grants in their organization's registry.
-- Nothing is deleted: an association or a grant ends with a date, and the audit log keeps who did what.

-- A firm's employee whom the agent manager of their service point has associated with a service.
create table service_association (
  id bigint generated always as identity primary key,
  service_point_id bigint not null references service_point (id),
  service_id bigint not null references online_service (id),
  user_id bigint not null references app_user (id),
  associated_at timestamptz not null,
  associated_by bigint not null references app_user (id),
  ended_at timestamptz,
  ended_by bigint references app_user (id),
  end_reason text check (end_reason in ('dissociated', 'disabled'))
);
-- A person is associated with a service once at a time, whatever the service point.
create unique index service_association_current on service_association (service_id, user_id) where ended_at is null;
create index service_association_point on service_association (service_point_id, service_id) where ended_at is null;

-- A right in the registry of (organization, service). The organization's own staff hold requester rights; an
-- agent right names the association that makes the agent eligible, so dissociating ends it.
create table access_grant (
  id bigint generated always as identity primary key,
  organization_id bigint not null references organization (id),
  service_id bigint not null references online_service (id),
  user_id bigint not null references app_user (id),
  access_right text not null check (access_right in ('requester.write', 'requester.read', 'agent.write', 'agent.read')),
  association_id bigint references service_association (id),
  granted_at timestamptz not null,
  granted_by bigint not null references app_user (id),
  -- The last day the right holds (America/Montreal); after it, the right ends by itself.
  valid_until date,
  changed_at timestamptz,
  changed_by bigint references app_user (id),
  ended_at timestamptz,
  ended_by bigint references app_user (id),
  end_reason text check (end_reason in ('revoked', 'dissociated', 'expired')),
  check ((access_right in ('agent.write', 'agent.read')) = (association_id is not null)),
  check ((ended_at is null) = (end_reason is null))
);
-- One current right per person in a registry: changing it changes that row, never adds a second.
create unique index access_grant_current on access_grant (organization_id, service_id, user_id) where ended_at is null;
create index access_grant_user on access_grant (user_id, service_id) where ended_at is null;
create index access_grant_association on access_grant (association_id) where ended_at is null;
create index access_grant_expiring on access_grant (valid_until) where ended_at is null and valid_until is not null;
create index access_grant_registry on access_grant (organization_id, service_id, granted_at);
