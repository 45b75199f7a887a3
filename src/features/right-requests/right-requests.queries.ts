// The SQL of « Demander un accès »: requests for a right (right_request, migration 0024), the people who can give what
// a refusal lacks, and the queue of the local manager and deputies, filtered in SQL by their roles.
import { type Kysely, sql } from "kysely";
import type { AccessRight, Day, DB, OrganizationKind, RightRequestStatus } from "../../db/schema.js";
import type { FactsRow } from "../registry/registry.queries.js";

/** A person as a page or a mail names them. */
export type NamedPerson = { name: string; user_code: string; email: string; locale: "fr" | "en" };

/** The organizations a person may choose in the form: their own and, for a firm's staff, its possible clients. */
export async function listRequestOrganizations(
  db: Kysely<DB>,
  actor: { organizationId: number; firm: boolean },
) {
  return db
    .selectFrom("organization")
    .select(["id", "name", "kind"])
    .where((eb) =>
      eb.or([
        eb("id", "=", actor.organizationId),
        ...(actor.firm ? [eb("kind", "in", ["municipality", "body"] as const)] : []),
      ]),
    )
    .orderBy("name")
    .orderBy("id")
    .execute();
}

export async function findOrganization(db: Kysely<DB>, id: number) {
  return db.selectFrom("organization").select(["id", "name", "kind"]).where("id", "=", id).executeTakeFirst();
}

/** An application of (organization, service) by its number, as a request may name it. */
export async function findApplicationOf(
  db: Kysely<DB>,
  key: { number: number; organizationId: number; serviceId: number },
) {
  return db
    .selectFrom("application")
    .select(["id", "number", "title"])
    .where("number", "=", key.number)
    .where("organization_id", "=", key.organizationId)
    .where("service_id", "=", key.serviceId)
    .executeTakeFirst();
}

export type RequestKey = { userId: number; organizationId: number; serviceId: number; right: AccessRight };

/**
 * Marks the person's open request for this right past its date as expired (it already counts as such): the partial
 * unique index then lets the new one in. Run in the filing transaction.
 */
export async function expireOverdue(db: Kysely<DB>, key: RequestKey, now: Date): Promise<number[]> {
  const rows = await db
    .updateTable("right_request")
    .set((eb) => ({ status: "expired", decided_at: eb.ref("expires_at") }))
    .where("user_id", "=", key.userId)
    .where("organization_id", "=", key.organizationId)
    .where("service_id", "=", key.serviceId)
    .where("access_right", "=", key.right)
    .where("status", "=", "open")
    .where("expires_at", "<=", now)
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}

export async function insertRequest(
  db: Kysely<DB>,
  input: RequestKey & { applicationId: number | null; message: string; now: Date; expiresAt: Date },
): Promise<number> {
  const row = await db
    .insertInto("right_request")
    .values({
      user_id: input.userId,
      organization_id: input.organizationId,
      service_id: input.serviceId,
      access_right: input.right,
      application_id: input.applicationId,
      message: input.message,
      created_at: input.now,
      expires_at: input.expiresAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The person's open request for this right that is still within its date, if any. */
export async function findOpenRequest(db: Kysely<DB>, key: RequestKey, now: Date) {
  return db
    .selectFrom("right_request")
    .select(["id", "created_at"])
    .where("user_id", "=", key.userId)
    .where("organization_id", "=", key.organizationId)
    .where("service_id", "=", key.serviceId)
    .where("access_right", "=", key.right)
    .where("status", "=", "open")
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/** The status a request has now: an open one past its date has expired, marked or not. */
function statusNow(now: Date) {
  return sql<RightRequestStatus>`(case when r.status = 'open' and r.expires_at <= ${now} then 'expired'
    else r.status end)`;
}

export type RequestRow = {
  id: number;
  user_id: number;
  organization_id: number;
  organization_name: string;
  service_id: number;
  service_code: string;
  service_name: string;
  service_name_en: string | null;
  ministry_id: number;
  access_right: AccessRight;
  application_number: number | null;
  application_title: string | null;
  message: string;
  status: RightRequestStatus;
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
  decider_name: string | null;
  refusal_reason: string | null;
  person_name: string;
  person_code: string;
  person_organization: string;
  /** Whether the person is associated with the service (what an agent's request waits for). */
  associated: boolean;
};

function requestSelect(now: Date) {
  return sql`r.id, r.user_id, r.organization_id, o.name as organization_name, r.service_id,
    s.code as service_code, s.name as service_name, s.name_en as service_name_en, s.ministry_id,
    r.access_right, a.number as application_number, a.title as application_title, r.message,
    ${statusNow(now)} as status, r.created_at, r.expires_at, r.decided_at,
    case when d.id is null then null else d.first_name || ' ' || d.last_name end as decider_name, r.refusal_reason,
    u.first_name || ' ' || u.last_name as person_name, u.user_code as person_code, uo.name as person_organization,
    exists (select 1 from service_association sa where sa.user_id = r.user_id and sa.service_id = r.service_id
      and sa.ended_at is null) as associated`;
}

const REQUEST_FROM = sql`right_request r
  join organization o on o.id = r.organization_id
  join online_service s on s.id = r.service_id
  join app_user u on u.id = r.user_id
  join organization uo on uo.id = u.organization_id
  left join application a on a.id = r.application_id
  left join app_user d on d.id = r.decided_by`;

/** « Mes demandes d'accès »: the person's own requests, newest first. */
export async function listOwnRequests(db: Kysely<DB>, userId: number, now: Date) {
  const result = await sql<RequestRow>`
    select ${requestSelect(now)} from ${REQUEST_FROM}
    where r.user_id = ${userId}
    order by r.created_at desc, r.id desc limit 200
  `.execute(db);
  return result.rows;
}

/** A received request, with the actor's own facts in its registry under names of their own (the row has a right too). */
export type ReceivedRow = RequestRow & { facts: FactsRow };

/**
 * « Demandes d'accès reçues »: requests for the registries of (organization, service) where the actor is local manager
 * or deputy (SQL keeps only those), each with the actor's facts there (registry_service_facts, migration 0006) for
 * the policy's last word, and whether an agent asking is associated with the service. Open ones first, then the
 * decided of the last 90 days. With requestId, that request only.
 */
export async function listReceived(
  db: Kysely<DB>,
  input: { userId: number; organizationId: number; now: Date; today: Day; requestId?: number },
) {
  const { userId, organizationId, now, today } = input;
  const result = await sql<ReceivedRow>`
    select ${requestSelect(now)}, to_json(f) as facts
    from ${REQUEST_FROM}
    cross join lateral registry_service_facts(${userId}, ${organizationId}, r.organization_id, r.service_id,
      s.ministry_id, null::bigint, ${today}::date) f
    where r.organization_id = ${organizationId}
      and exists (select 1 from service_role sr where sr.user_id = ${userId}
        and sr.organization_id = r.organization_id and sr.service_id = r.service_id and sr.ended_at is null
        and sr.role in ('local_manager', 'deputy'))
      and (r.status = 'open' or r.decided_at > ${new Date(now.getTime() - 90 * 86_400_000)})
      ${input.requestId === undefined ? sql`` : sql`and r.id = ${input.requestId}`}
    order by (${statusNow(now)} = 'open') desc, r.created_at desc, r.id desc limit 200
  `.execute(db);
  return result.rows;
}

/** One request, whoever's, with what its approval needs of the person. */
export async function findRequest(db: Kysely<DB>, requestId: number, now: Date) {
  const result = await sql<
    RequestRow & {
      application_id: number | null;
      person_email: string;
      person_locale: "fr" | "en";
      person_first_name: string;
      person_last_name: string;
      person_organization_id: number;
    }
  >`
    select ${requestSelect(now)}, r.application_id, u.email as person_email, u.locale as person_locale,
      u.first_name as person_first_name, u.last_name as person_last_name, u.organization_id as person_organization_id
    from ${REQUEST_FROM}
    where r.id = ${requestId}
  `.execute(db);
  return result.rows[0];
}

/** Closes an open request within its date; false when it was decided, or expired, in between. */
export async function decideRequest(
  db: Kysely<DB>,
  requestId: number,
  decision: {
    status: "approved" | "refused";
    by: number;
    at: Date;
    reason: string | null;
    grantId: number | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("right_request")
    .set({
      status: decision.status,
      decided_by: decision.by,
      decided_at: decision.at,
      refusal_reason: decision.reason,
      grant_id: decision.grantId,
    })
    .where("id", "=", requestId)
    .where("status", "=", "open")
    .where("expires_at", ">", decision.at)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The hourly job: open requests past their date, marked expired, with what their mail and audit need. */
export async function expireRequests(db: Kysely<DB>, now: Date, limit: number) {
  const result = await sql<
    Pick<
      RequestRow,
      | "id"
      | "user_id"
      | "organization_id"
      | "organization_name"
      | "service_id"
      | "service_code"
      | "service_name"
      | "service_name_en"
      | "access_right"
    > & {
      first_name: string;
      last_name: string;
      email: string;
      locale: "fr" | "en";
    }
  >`
    with due as (
      select id from right_request where status = 'open' and expires_at <= ${now}
      order by expires_at, id limit ${limit} for update skip locked
    ), marked as (
      update right_request r set status = 'expired', decided_at = r.expires_at
      from due where r.id = due.id returning r.*
    )
    select m.id, m.user_id, m.organization_id, o.name as organization_name, m.service_id, s.code as service_code,
      s.name as service_name, s.name_en as service_name_en, m.access_right, u.first_name, u.last_name, u.email,
      u.locale
    from marked m join organization o on o.id = m.organization_id join online_service s on s.id = m.service_id
      join app_user u on u.id = m.user_id
  `.execute(db);
  return result.rows;
}

export type RefusalFactsRow = FactsRow & {
  organization_name: string;
  organization_kind: OrganizationKind;
  user_disabled: boolean;
  mandated: boolean;
  officers: NamedPerson[];
  managers: (NamedPerson & { role: "local_manager" | "deputy" })[];
  agent_managers: (NamedPerson & { point: string })[];
  open_requests: { right: AccessRight; created_at: string }[];
};

/**
 * What a refusal page says is missing and who can give it, in one statement: the actor's facts in (O,S), whether
 * they hold a mandate on the dossier, their organization's services officers, the local manager and deputies of
 * (O,S), their firm's agent managers in S, and the requests they already have open there.
 */
export async function findRefusalFacts(
  db: Kysely<DB>,
  input: {
    userId: number;
    actorOrganizationId: number;
    organizationId: number;
    serviceId: number;
    ministryId: number;
    applicationNumber: number | null;
    today: Day;
    now: Date;
  },
): Promise<RefusalFactsRow | undefined> {
  const { userId, actorOrganizationId, organizationId, serviceId, ministryId, today, now } = input;
  const person =
    sql.raw(`json_build_object('name', u.first_name || ' ' || u.last_name, 'user_code', u.user_code,
    'email', u.email, 'locale', u.locale)`);
  const result = await sql<RefusalFactsRow>`
    select f.*, o.name as organization_name, o.kind as organization_kind,
      (select disabled_at is not null from app_user where id = ${userId}) as user_disabled,
      exists (select 1 from mandate m join application a on a.id = m.application_id
        where a.number = ${input.applicationNumber}::bigint and a.organization_id = ${organizationId}
          and m.agent_user_id = ${userId} and m.ended_at is null) as mandated,
      coalesce((select json_agg(${person} order by u.last_name, u.first_name) from app_user u
        where u.organization_id = ${actorOrganizationId} and u.is_services_officer and u.disabled_at is null),
        '[]'::json) as officers,
      coalesce((select json_agg((${person})::jsonb || jsonb_build_object('role', r.role)
          order by r.role desc, u.last_name, u.first_name)
        from service_role r join app_user u on u.id = r.user_id
        where r.organization_id = ${organizationId} and r.service_id = ${serviceId} and r.ended_at is null
          and r.role in ('local_manager', 'deputy') and u.disabled_at is null), '[]'::json) as managers,
      coalesce((select json_agg((${person})::jsonb || jsonb_build_object('point', p.name)
          order by p.name, u.last_name)
        from service_role r join app_user u on u.id = r.user_id join service_point p on p.id = r.service_point_id
        where r.organization_id = ${actorOrganizationId} and r.service_id = ${serviceId} and r.ended_at is null
          and r.role = 'agent_manager' and u.disabled_at is null), '[]'::json) as agent_managers,
      coalesce((select json_agg(json_build_object('right', q.access_right, 'created_at', q.created_at))
        from right_request q where q.user_id = ${userId} and q.organization_id = ${organizationId}
          and q.service_id = ${serviceId} and q.status = 'open' and q.expires_at > ${now}), '[]'::json)
        as open_requests
    from organization o
    cross join lateral registry_service_facts(${userId}, ${actorOrganizationId}, ${organizationId}, ${serviceId},
      ${ministryId}, null::bigint, ${today}::date) f
    where o.id = ${organizationId}
  `.execute(db);
  return result.rows[0];
}

/** Whom a new request is announced to: the managers of (O,S) and, for an agent, their firm's agent managers in S. */
export async function findRecipients(
  db: Kysely<DB>,
  input: { organizationId: number; serviceId: number; firmId: number | null },
) {
  const result = await sql<
    { kind: "manager" | "agent_manager"; first_name: string; last_name: string } & Pick<
      NamedPerson,
      "email" | "locale"
    >
  >`
    select case when r.role = 'agent_manager' then 'agent_manager' else 'manager' end as kind,
      u.first_name, u.last_name, u.email, u.locale
    from service_role r join app_user u on u.id = r.user_id
    where r.service_id = ${input.serviceId} and r.ended_at is null and u.disabled_at is null
      and ((r.organization_id = ${input.organizationId} and r.role in ('local_manager', 'deputy'))
        or (r.organization_id = ${input.firmId}::bigint and r.role = 'agent_manager'))
    order by u.last_name, u.first_name
  `.execute(db);
  return result.rows;
}

export async function findServiceById(db: Kysely<DB>, id: number) {
  return db
    .selectFrom("online_service")
    .select(["id", "code", "name", "name_en", "ministry_id"])
    .where("id", "=", id)
    .executeTakeFirst();
}
