-- « No service left without a manager » (issue #15, section 5): an alert that a local manager or agent manager can no
-- longer act (account disabled, no valid procuration covering the service, role removed) is claimed here, in the
-- transaction that queues its mails, once per (role, cause): two servers, or the hourly job after the act that already
-- alerted, find the row taken and send nothing. The role names the organization, service point, service and person.
create table manager_alert (
  service_role_id bigint not null references service_role (id),
  cause text not null check (cause in ('disabled', 'no_procuration', 'removed')),
  organization_id bigint not null references organization (id),
  service_id bigint not null references online_service (id),
  user_id bigint not null references app_user (id),
  sent_at timestamptz not null,
  primary key (service_role_id, cause)
);

create trigger data_change after insert or update or delete or truncate on manager_alert
  for each statement execute function note_data_change();
