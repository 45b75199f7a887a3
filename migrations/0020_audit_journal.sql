-- « Journal des accès » (issue #15): each audit event names the online service it happened in and the person it was
-- about (« whom »), so that an organization's journal is filtered by service and a person's history by subject in
-- SQL, a page at a time. No foreign keys: a record must never make the act it records fail.
alter table audit_event add column service_id bigint;
alter table audit_event add column subject_user_id bigint;

-- Events recorded before this version: the same facts, read from where each one kept them. The trigger that keeps
-- the log append-only is set aside for this one statement: it fills the two new columns from each row's own record
-- and changes nothing that was recorded.
alter table audit_event disable trigger audit_event_append_only;
update audit_event set
  service_id = case when jsonb_typeof(details -> 'serviceId') = 'number' then (details ->> 'serviceId')::bigint end,
  subject_user_id = case
    when target_type = 'user' and target_id ~ '^[0-9]{1,18}$' then target_id::bigint
    when jsonb_typeof(details -> 'userId') = 'number' then (details ->> 'userId')::bigint
    when jsonb_typeof(details -> 'agentUserId') = 'number' then (details ->> 'agentUserId')::bigint
    when jsonb_typeof(details -> 'designatedUserId') = 'number' then (details ->> 'designatedUserId')::bigint
  end
where details ?| array['serviceId', 'userId', 'agentUserId', 'designatedUserId'] or target_type = 'user';
alter table audit_event enable trigger audit_event_append_only;

-- Keyset pages, newest first: (at, id) is the cursor. An organization's journal, one service's (a manager's), and a
-- person's history (what they did, what was done to them).
drop index audit_event_organization;
create index audit_event_organization on audit_event (organization_id, at, id);
create index audit_event_organization_service on audit_event (organization_id, service_id, at, id)
  where service_id is not null;
create index audit_event_actor on audit_event (actor_user_id, at, id) where actor_user_id is not null;
create index audit_event_subject on audit_event (subject_user_id, at, id) where subject_user_id is not null;
