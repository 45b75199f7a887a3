-- Declared dossiers (« dossiers déclarés »): an online service that keeps its dossiers on its own servers declares
-- them to Guichet (its own id, the organization the dossier belongs to, a title), so that a local manager can mandate
-- an agent on one exactly as on Guichet's own applications, and so that a decision can name one; and the decision
-- API's one statement.

create table declared_dossier (
  id bigint generated always as identity primary key,
  service_id bigint not null references online_service (id),
  -- The service's own id for the dossier; a declaration names it again to change the title or to reopen it.
  external_id text not null check (length(external_id) between 1 and 200),
  -- A dossier belongs to one organization for good: declaring it again for another is refused.
  organization_id bigint not null references organization (id),
  title text not null check (length(title) between 1 and 200),
  declared_at timestamptz not null,
  -- Closing keeps the row (decisions and the audit log still name it) and ends its mandates.
  closed_at timestamptz,
  unique (service_id, external_id)
);
create index declared_dossier_registry on declared_dossier (organization_id, service_id);

-- A mandate names one dossier: an application or a declared dossier. One table rather than a second one: a mandate
-- is one thing whichever service keeps the dossier (an agent of a firm on one dossier of a client), so « Gestion des
-- mandats », the ending of mandates by id and the audit log's « mandate » targets serve both kinds, and mandate ids
-- stay one series. The check says exactly one of the two is set.
alter table mandate alter column application_id drop not null;
alter table mandate add column declared_dossier_id bigint references declared_dossier (id);
alter table mandate add constraint mandate_one_dossier
  check ((application_id is null) <> (declared_dossier_id is null));
-- One current mandate per agent on a declared dossier, as mandate_current says for applications.
create unique index mandate_current_declared on mandate (declared_dossier_id, agent_user_id)
  where ended_at is null;
-- A closed dossier ends its mandates with a reason of its own.
alter table mandate drop constraint mandate_end_reason_check;
alter table mandate add constraint mandate_end_reason_check
  check (end_reason in ('ended', 'dissociated', 'right_ended', 'dossier_closed'));

-- Without the agent's right in the registry of (organization, service), their mandates there end: the application
-- code ends those on applications when it revokes a right, marks one expired or dissociates an agent (all three end
-- the grant row); this trigger does the same for declared dossiers on that very update, in the same transaction, so
-- that no path that ends a right can leave a mandate on a declared dossier alive to come back with a later right.
create function end_declared_mandates_of_grant() returns trigger language plpgsql as $$
begin
  update mandate m
    set ended_at = new.ended_at,
        ended_by = new.ended_by,
        end_reason = case when new.end_reason = 'dissociated' then 'dissociated' else 'right_ended' end
    from declared_dossier d
    where m.declared_dossier_id = d.id and m.ended_at is null and m.agent_user_id = new.user_id
      and d.organization_id = new.organization_id and d.service_id = new.service_id;
  return null;
end;
$$;

create trigger access_grant_ends_declared_mandates
  after update of ended_at on access_grant
  for each row when (old.ended_at is null and new.ended_at is not null)
  execute function end_declared_mandates_of_grant();

-- The decision API's reads: a whole batch of questions in one statement, as a function so that each connection plans
-- it once (as registry_service_facts, whose planning cost several times its execution on the embedded engine).
--
-- For each distinct (person, organization, service), read once: the person as the policy's actor (organization_id is
-- theirs; the organization asked about is the caller's to remember), whether the organization and the service exist,
-- the registry's own facts (registry_service_facts itself, so a decision weighs exactly what every registry page
-- weighs), and the details of the rows behind those facts for the chain: the roles' dates, the current grant (by the
-- unique index of current grants; whether it still counts is the facts' to say), its granter and association, and the
-- person's procurations valid today for the service's ministry (which of them covers is the policy's to say). For
-- each question, the dossier it names (an application by its number, or a declared dossier by the service's own id):
-- its organization and service, and the person's current mandate on it. Rows come back in the order of the arrays.
create function decision_facts(
  p_user_ids bigint[],
  p_organization_ids bigint[],
  p_service_ids bigint[],
  p_application_numbers bigint[],
  p_external_ids text[],
  p_today date
) returns table (
  n bigint,
  user_id bigint,
  user_code text,
  first_name text,
  last_name text,
  organization_id bigint,
  organization_kind text,
  organization_name text,
  is_services_officer boolean,
  is_service_admin boolean,
  ministry_unit_id bigint,
  disabled boolean,
  organization_known boolean,
  service_code text,
  service_name text,
  ministry_id bigint,
  roles text[],
  agent_manager_point bigint,
  access_right text,
  association_id bigint,
  procuration_ministry boolean,
  procuration_service boolean,
  local_manager_since timestamptz,
  deputy_since timestamptz,
  right_since timestamptz,
  right_until date,
  granted_by_code text,
  granted_by_name text,
  service_point_id bigint,
  associated_at timestamptz,
  procurations jsonb,
  dossier_id bigint,
  dossier_organization_id bigint,
  dossier_service_id bigint,
  mandate_since timestamptz
) language plpgsql stable
-- PL/pgSQL would otherwise plan the statement anew on each call (arrays make every custom plan look cheaper than the
-- generic one): measured on the embedded engine, 5.3 ms a call against 0.9 ms with the one plan kept. Every lookup
-- of that plan is an equality on an indexed column, whatever the values. The generic plan's estimates (a hundred
-- questions an array) are over PostgreSQL's JIT threshold, whose compilation alone took 50 ms a call on the server
-- for a plan that runs in a tenth of a millisecond: no JIT here.
set plan_cache_mode = force_generic_plan
set jit = off
as $$
#variable_conflict use_column
begin
  return query
  with asked as (
    select * from unnest(p_user_ids, p_organization_ids, p_service_ids, p_application_numbers, p_external_ids)
      with ordinality as k(user_id, organization_id, service_id, application_number, external_id, n)
  ), triple as materialized (
    select t.user_id, t.organization_id, t.service_id,
      u.id as subject_id, u.user_code, u.first_name, u.last_name, uo.id as subject_organization_id, uo.kind,
      uo.name as organization_name,
      u.is_services_officer, u.is_service_admin, u.ministry_unit_id, u.disabled_at is not null as disabled,
      exists (select 1 from organization o where o.id = t.organization_id) as organization_known,
      s.code, s.name as service_name, s.ministry_id,
      f.roles, f.agent_manager_point, f.access_right, f.association_id, f.procuration_ministry, f.procuration_service,
      r.local_manager_since, r.deputy_since,
      g.granted_at, g.valid_until, by_user.user_code as by_code, by_user.first_name || ' ' || by_user.last_name as by_name,
      a.service_point_id, a.associated_at,
      coalesce(p.procurations, '[]'::jsonb) as procurations
    from (select distinct user_id, organization_id, service_id from asked) t
    left join app_user u on u.id = t.user_id
    left join organization uo on uo.id = u.organization_id
    left join online_service s on s.id = t.service_id
    left join lateral registry_service_facts(
      t.user_id, uo.id, t.organization_id, t.service_id, s.ministry_id, null, p_today) f on true
    left join lateral (
      select min(sr.granted_at) filter (where sr.role = 'local_manager') as local_manager_since,
          min(sr.granted_at) filter (where sr.role = 'deputy') as deputy_since
        from service_role sr
        where sr.user_id = t.user_id and sr.organization_id = t.organization_id and sr.service_id = t.service_id
          and sr.ended_at is null and sr.role in ('local_manager', 'deputy')) r on true
    left join access_grant g on g.organization_id = t.organization_id and g.service_id = t.service_id
      and g.user_id = t.user_id and g.ended_at is null
    left join app_user by_user on by_user.id = g.granted_by
    left join service_association a on a.id = g.association_id
    left join lateral (
      select jsonb_agg(jsonb_build_object(
          'id', pr.id, 'until', pr.end_date, 'restricted', pm.restricted,
          'serviceIds', (select coalesce(jsonb_agg(ps.service_id), '[]'::jsonb) from procuration_service ps
            where ps.procuration_id = pr.id and ps.ministry_id = pm.ministry_id))) as procurations
        from procuration_holder h
        join procuration pr on pr.id = h.procuration_id
        join procuration_ministry pm on pm.procuration_id = pr.id and pm.ministry_id = s.ministry_id
        where f.procuration_ministry and h.user_id = t.user_id and h.ended_at is null
          and pr.organization_id = uo.id and pr.ended_at is null
          and pr.start_date <= p_today and pr.end_date >= p_today) p on true
  )
  select q.n, x.subject_id, x.user_code, x.first_name, x.last_name, x.subject_organization_id, x.kind,
      x.organization_name,
      x.is_services_officer, x.is_service_admin, x.ministry_unit_id, x.disabled, x.organization_known, x.code,
      x.service_name, x.ministry_id, x.roles, x.agent_manager_point, x.access_right, x.association_id,
      x.procuration_ministry, x.procuration_service, x.local_manager_since, x.deputy_since, x.granted_at,
      x.valid_until, x.by_code, x.by_name, x.service_point_id, x.associated_at, x.procurations,
      d.id, d.organization_id, d.service_id, d.mandate_since
    from asked q
    join triple x on x.user_id = q.user_id and x.organization_id = q.organization_id and x.service_id = q.service_id
    left join lateral (
      select ap.id, ap.organization_id, ap.service_id,
          (select m.assigned_at from mandate m
            where m.application_id = ap.id and m.agent_user_id = q.user_id and m.ended_at is null) as mandate_since
        from application ap where ap.number = q.application_number
      union all
      select dd.id, dd.organization_id, dd.service_id,
          (select m.assigned_at from mandate m
            where m.declared_dossier_id = dd.id and m.agent_user_id = q.user_id and m.ended_at is null)
        from declared_dossier dd where dd.service_id = q.service_id and dd.external_id = q.external_id) d on true
    order by q.n;
end;
$$;
