// SQL for « no service left without a manager » (issue #15, section 5): which local managers and agent managers cannot
// act, since when, and the alerts claimed once per (role, cause). One statement answers it at any instant.
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Day, DB, ManagerGapCause, ManagerRole, OrganizationKind } from "../../db/schema.js";

/** « removed »: the scope's last manager's role ended and nobody holds it; « none »: the scope never had one. */
export type GapCause = ManagerGapCause | "none";

export type GapRow = {
  role_id: number | null;
  role: ManagerRole;
  organization_id: number;
  organization_name: string;
  organization_kind: OrganizationKind;
  geo_code: string | null;
  neq: string | null;
  service_point_id: number | null;
  service_point_name: string | null;
  service_id: number;
  service_code: string;
  service_name: string;
  service_name_en: string | null;
  ministry_id: number;
  user_id: number | null;
  manager_first_name: string | null;
  manager_last_name: string | null;
  cause: GapCause;
  since: Date | null;
  days: number | null;
  has_rights: boolean;
};

/** Which scopes to look at: the organizations an act touched, or a ministry's services (or one of them). */
type Within = { organizationIds?: readonly number[]; ministryId?: number; serviceId?: number };

/**
 * Every manager role that cannot act now, and every scope with current rights whose manager cannot act or is gone.
 * A scope is (organization, service) for a local manager, its rights the current grants; (service point, service) for
 * an agent manager, its rights the current associations. Able means: the account is enabled and the person holds today
 * a procuration of the organization covering the service's ministry, and the service when restricted — or is the
 * organization's services officer, who holds every procuration (the enterprise rule, organization.actWithMinistry).
 * « since » is when the manager stopped being able: the role's end, the account's disabling, or the moment the last
 * procuration that named the ministry stopped holding (its holder removed, ended, or its last day past; for one still
 * valid but no longer covering the service, its last change); never before the role began.
 */
function gapRows(now: Date, today: Day, within: Within): RawBuilder<GapRow> {
  const of = (organization: string, service: string) => {
    const org = sql.ref(organization);
    const svc = sql.ref(service);
    return sql`${
      within.organizationIds === undefined ? sql`true` : sql`${org} in (${sql.join(within.organizationIds)})`
    } and ${
      within.ministryId === undefined
        ? sql`true`
        : sql`${svc} in (select id from online_service where ministry_id = ${within.ministryId})`
    } and ${within.serviceId === undefined ? sql`true` : sql`${svc} = ${within.serviceId}`}`;
  };
  return sql<GapRow>`
    with scopes as (
      select 'local_manager'::text as role, g.organization_id, null::bigint as service_point_id, g.service_id,
        min(g.granted_at) as rights_since
      from access_grant g
      left join service_association a on a.id = g.association_id
      where g.ended_at is null and (g.valid_until is null or g.valid_until >= ${today}::date)
        and (g.association_id is null or a.ended_at is null) and ${of("g.organization_id", "g.service_id")}
      group by g.organization_id, g.service_id
      union all
      select 'agent_manager'::text, p.organization_id, a.service_point_id, a.service_id, min(a.associated_at)
      from service_association a
      join service_point p on p.id = a.service_point_id
      where a.ended_at is null and ${of("p.organization_id", "a.service_id")}
      group by p.organization_id, a.service_point_id, a.service_id
    ),
    roles as (
      select r.id, r.role, r.organization_id, r.service_point_id, r.service_id, r.user_id, r.granted_at, r.ended_at
      from service_role r
      where r.ended_at is null and r.role in ('local_manager', 'agent_manager')
        and ${of("r.organization_id", "r.service_id")}
      union all
      select last.id, sc.role, sc.organization_id, sc.service_point_id, sc.service_id, last.user_id, last.granted_at,
        coalesce(last.ended_at, sc.rights_since)
      from scopes sc
      left join lateral (
        select r.id, r.user_id, r.granted_at, r.ended_at from service_role r
        where r.role = sc.role and r.service_id = sc.service_id and r.organization_id = sc.organization_id
          and r.service_point_id is not distinct from sc.service_point_id
        order by r.granted_at desc, r.id desc limit 1
      ) last on true
      where last.id is null or last.ended_at is not null
    ),
    states as (
      select ro.*, s.ministry_id, u.disabled_at,
        exists (select 1 from scopes sc
          where sc.role = ro.role and sc.organization_id = ro.organization_id and sc.service_id = ro.service_id
            and sc.service_point_id is not distinct from ro.service_point_id) as has_rights,
        (u.is_services_officer and u.organization_id = ro.organization_id) or exists (
          select 1 from procuration_holder h
          join procuration p on p.id = h.procuration_id
          join procuration_ministry pm on pm.procuration_id = p.id and pm.ministry_id = s.ministry_id
          where h.user_id = ro.user_id and h.ended_at is null and p.organization_id = ro.organization_id
            and p.ended_at is null and p.start_date <= ${today}::date and p.end_date >= ${today}::date
            and (not pm.restricted or exists (select 1 from procuration_service ps
              where ps.procuration_id = p.id and ps.ministry_id = pm.ministry_id and ps.service_id = ro.service_id))
        ) as covered,
        (select max(case
            when h.ended_at is null and p.ended_at is null and p.end_date >= ${today}::date then p.updated_at
            else least(coalesce(h.ended_at, 'infinity'), coalesce(p.ended_at, 'infinity'),
              (p.end_date + 1)::timestamp at time zone 'America/Montreal')
          end)
          from procuration_holder h
          join procuration p on p.id = h.procuration_id
          join procuration_ministry pm on pm.procuration_id = p.id and pm.ministry_id = s.ministry_id
          where h.user_id = ro.user_id and p.organization_id = ro.organization_id
            and p.start_date <= ${today}::date) as procuration_lost_at
      from roles ro
      join online_service s on s.id = ro.service_id
      left join app_user u on u.id = ro.user_id
    ),
    gaps as (
      select st.*,
        case
          when st.id is null then 'none'
          when st.ended_at is not null then 'removed'
          when st.disabled_at is not null then 'disabled'
          when not st.covered then 'no_procuration'
        end as cause
      from states st
    ),
    dated as (
      select g.*,
        case g.cause
          when 'none' then g.ended_at
          when 'removed' then g.ended_at
          when 'disabled' then greatest(g.granted_at, g.disabled_at)
          else greatest(g.granted_at, coalesce(g.procuration_lost_at, g.granted_at))
        end as since
      from gaps g
      where g.cause is not null
    )
    select d.id as role_id, d.role, d.organization_id, o.name as organization_name, o.kind as organization_kind,
      o.geo_code, o.neq, d.service_point_id, sp.name as service_point_name, d.service_id, s.code as service_code,
      s.name as service_name, s.name_en as service_name_en, d.ministry_id, d.user_id,
      u.first_name as manager_first_name, u.last_name as manager_last_name, d.cause, d.since,
      (${today}::date - (d.since at time zone 'America/Montreal')::date) as days, d.has_rights
    from dated d
    join organization o on o.id = d.organization_id
    join online_service s on s.id = d.service_id
    left join service_point sp on sp.id = d.service_point_id
    left join app_user u on u.id = d.user_id
    where d.since is null or d.since <= ${now}`;
}

/**
 * The alerts still to send: a current manager who cannot act, or a removed one whose scope still has rights and
 * nobody in the role; none already claimed. userIds narrows to the people an act just changed (the act's own
 * transaction sends theirs at once; the hourly job finds the rest, expired procurations among them).
 */
export async function listUnsentAlerts(
  db: Kysely<DB>,
  now: Date,
  today: Day,
  userIds: readonly number[] | null,
): Promise<GapRow[]> {
  if (userIds !== null && userIds.length === 0) return [];
  const only = userIds === null ? sql`true` : sql`g.user_id in (${sql.join(userIds)})`;
  const within: Within = {};
  if (userIds !== null) {
    const people = await db
      .selectFrom("app_user")
      .select("organization_id")
      .where("id", "in", userIds)
      .execute();
    within.organizationIds = [...new Set(people.map((p) => p.organization_id))];
    if (within.organizationIds.length === 0) return [];
  }
  const result = await sql<GapRow>`
    select g.* from (${gapRows(now, today, within)}) g
    where g.role_id is not null and g.cause <> 'none' and (g.cause <> 'removed' or g.has_rights) and ${only}
      and not exists (select 1 from manager_alert m where m.service_role_id = g.role_id and m.cause = g.cause)
    order by g.role_id`.execute(db);
  return result.rows.map(normalize);
}

/** The scopes of a ministry's services with current rights and no manager able to act, the longest first. */
export async function listGapsOfMinistry(
  db: Kysely<DB>,
  now: Date,
  today: Day,
  ministryId: number,
  serviceId: number | null,
): Promise<GapRow[]> {
  const within: Within = serviceId === null ? { ministryId } : { ministryId, serviceId };
  const result = await sql<GapRow>`
    select g.* from (${gapRows(now, today, within)}) g
    where g.has_rights and g.ministry_id = ${ministryId}
    order by g.since asc nulls first, g.organization_name, g.service_code, g.service_point_name nulls first`.execute(
    db,
  );
  return result.rows.map(normalize);
}

/** PostgreSQL returns bigint columns as strings on the pg driver; ids and day counts are numbers here. */
function normalize(row: GapRow): GapRow {
  const id = (value: number | string | null) => (value === null ? null : Number(value));
  return {
    ...row,
    role_id: id(row.role_id),
    organization_id: Number(row.organization_id),
    service_point_id: id(row.service_point_id),
    service_id: Number(row.service_id),
    ministry_id: Number(row.ministry_id),
    user_id: id(row.user_id),
    days: id(row.days),
  };
}

/** Claims one alert; false when another transaction (another server, an earlier act) already sent it. */
export async function claimAlert(
  db: Kysely<DB>,
  alert: {
    roleId: number;
    cause: ManagerGapCause;
    organizationId: number;
    serviceId: number;
    userId: number;
  },
  now: Date,
): Promise<boolean> {
  const row = await db
    .insertInto("manager_alert")
    .values({
      service_role_id: alert.roleId,
      cause: alert.cause,
      organization_id: alert.organizationId,
      service_id: alert.serviceId,
      user_id: alert.userId,
      sent_at: now,
    })
    .onConflict((oc) => oc.columns(["service_role_id", "cause"]).doNothing())
    .returning("service_role_id")
    .executeTakeFirst();
  return row !== undefined;
}

export type AlertRecipient = { email: string; first_name: string; last_name: string; locale: "fr" | "en" };

/**
 * Who is told: the organization's services officers, the scope's deputies (a local manager's only), and the owning
 * ministry's service administrators; enabled accounts, never the manager concerned.
 */
export async function listAlertRecipients(
  db: Kysely<DB>,
  scope: { organizationId: number; serviceId: number; role: ManagerRole; ministryId: number; userId: number },
): Promise<{ organization: AlertRecipient[]; ministry: AlertRecipient[] }> {
  const columns = ["app_user.email", "app_user.first_name", "app_user.last_name", "app_user.locale"] as const;
  const officers = db
    .selectFrom("app_user")
    .select(columns)
    .where("app_user.organization_id", "=", scope.organizationId)
    .where("app_user.is_services_officer", "=", true)
    .where("app_user.disabled_at", "is", null)
    .where("app_user.id", "<>", scope.userId);
  const organization =
    scope.role === "local_manager"
      ? officers.union(
          db
            .selectFrom("service_role")
            .innerJoin("app_user", "app_user.id", "service_role.user_id")
            .select(columns)
            .where("service_role.role", "=", "deputy")
            .where("service_role.organization_id", "=", scope.organizationId)
            .where("service_role.service_id", "=", scope.serviceId)
            .where("service_role.ended_at", "is", null)
            .where("app_user.disabled_at", "is", null)
            .where("app_user.id", "<>", scope.userId),
        )
      : officers;
  const ministry = db
    .selectFrom("app_user")
    .select(columns)
    .where("organization_id", "=", scope.ministryId)
    .where("is_service_admin", "=", true)
    .where("disabled_at", "is", null);
  return { organization: await organization.execute(), ministry: await ministry.execute() };
}

/** An organization's managers in one service who cannot act now (a removed one while rights remain). */
export async function listGapsOfOrganization(
  db: Kysely<DB>,
  now: Date,
  today: Day,
  organizationId: number,
  serviceId: number,
): Promise<GapRow[]> {
  const result = await sql<GapRow>`
    select g.* from (${gapRows(now, today, { organizationIds: [organizationId], serviceId })}) g
    where g.organization_id = ${organizationId} and g.role_id is not null and g.cause <> 'none'
      and (g.cause <> 'removed' or g.has_rights)
    order by g.role, g.service_point_name nulls first`.execute(db);
  return result.rows.map(normalize);
}
