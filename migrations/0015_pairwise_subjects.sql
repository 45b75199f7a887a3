-- The pairwise subjects Guichet has handed to each ministry (« identifiant par ministère »), remembered so that the
-- decision API can tell who a subject is. A subject is an HMAC of the ministry and the person (provider.ts): it
-- cannot be turned back into the person, and trying every person would cost a hash each. The provider writes a row
-- each time it names a person to a ministry's service (ID token, userinfo, back-channel logout), and the registry's
-- listing through the API for each person it names, so every subject a ministry can know is here, found by its key.
--
-- A subject handed out before this migration is learned at the person's next sign-in to that ministry's services.
create table pairwise_subject (
  ministry_id bigint not null references organization (id),
  sub text not null check (length(sub) between 1 and 255),
  user_id bigint not null references app_user (id),
  -- When the ministry first received it.
  issued_at timestamptz not null,
  primary key (ministry_id, sub)
);

-- The registry as the API pages it, by a cursor on the grant's id: each page is one range of this index.
create index access_grant_registry_page on access_grant (organization_id, service_id, id) where ended_at is null;

-- The decision API's first read of a request, as a function so that each connection plans it once (as decision_facts
-- of 0014: planning cost several times the execution on the embedded engine). The client, if enabled, and its
-- ministry; the services named, by code; the subjects named, within that ministry only; the organizations named that
-- exist. No row when the client is unknown or disabled.
create function decision_api_names(
  p_client_id text,
  p_codes text[],
  p_subjects text[],
  p_organization_ids bigint[]
) returns table (ministry_id bigint, services jsonb, subjects jsonb, organization_ids jsonb)
language plpgsql stable
set plan_cache_mode = force_generic_plan
set jit = off
as $$
#variable_conflict use_column
begin
  return query
  select c.ministry_id,
    (select coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'id', s.id, 'ministryId', s.ministry_id)), '[]')
      from online_service s where s.code = any(p_codes)),
    (select coalesce(jsonb_agg(jsonb_build_object('sub', p.sub, 'userId', p.user_id)), '[]')
      from pairwise_subject p where p.ministry_id = c.ministry_id and p.sub = any(p_subjects)),
    (select coalesce(jsonb_agg(o.id), '[]') from organization o where o.id = any(p_organization_ids))
  from oidc_client c
  where c.client_id = p_client_id and c.disabled_at is null;
end;
$$;
