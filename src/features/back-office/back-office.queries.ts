// SQL for the ministry's back office: the request queue (always within one ministry's services), one request with
// everything the decision needs, the decision itself, and the look-ups of organizations, services and users.
import type { Kysely } from "kysely";
import type { AccessRequestStatus, DB } from "../../db/schema.js";
import { escapeLike } from "../../db/typed.js";

export type QueueFilters = {
  status: AccessRequestStatus | null;
  serviceId: number | null;
  /** Part of a name, or an exact geoCode or NEQ. */
  organization: string;
};

export async function listMinistryServices(db: Kysely<DB>, ministryId: number) {
  return db
    .selectFrom("online_service")
    .select(["id", "code", "name", "name_en"])
    .where("ministry_id", "=", ministryId)
    .orderBy("sort_order")
    .execute();
}

export async function findService(db: Kysely<DB>, serviceId: number) {
  return db
    .selectFrom("online_service")
    .innerJoin("organization", "organization.id", "online_service.ministry_id")
    .select([
      "online_service.id",
      "online_service.code",
      "online_service.name",
      "online_service.name_en",
      "online_service.ministry_id",
      "organization.name as ministry_name",
    ])
    .where("online_service.id", "=", serviceId)
    .executeTakeFirst();
}

/** The queue of one ministry: only requests for its own services ever leave the database. */
export async function listRequests(db: Kysely<DB>, ministryId: number, filters: QueueFilters, limit: number) {
  let query = db
    .selectFrom("access_request")
    .innerJoin("online_service", "online_service.id", "access_request.service_id")
    .innerJoin("organization", "organization.id", "access_request.organization_id")
    .innerJoin("app_user as designated", "designated.id", "access_request.designated_user_id")
    .leftJoin("service_point", "service_point.id", "access_request.service_point_id")
    .select([
      "access_request.id",
      "access_request.role",
      "access_request.replacement",
      "access_request.status",
      "access_request.filed_at",
      "access_request.decided_at",
      "online_service.code as service_code",
      "online_service.name as service_name",
      "online_service.name_en as service_name_en",
      "organization.name as organization_name",
      "organization.geo_code",
      "organization.neq",
      "service_point.name as service_point_name",
      "designated.user_code as designated_code",
      "designated.first_name as designated_first_name",
      "designated.last_name as designated_last_name",
    ])
    .where("online_service.ministry_id", "=", ministryId);
  if (filters.status !== null) query = query.where("access_request.status", "=", filters.status);
  if (filters.serviceId !== null) query = query.where("access_request.service_id", "=", filters.serviceId);
  if (filters.organization !== "") {
    const text = filters.organization;
    query = query.where((eb) =>
      eb.or([
        eb("organization.name", "ilike", `%${escapeLike(text)}%`),
        eb("organization.geo_code", "=", text),
        eb("organization.neq", "=", text),
      ]),
    );
  }
  // Oldest first: the queue is worked from the front.
  return query.orderBy("access_request.filed_at").orderBy("access_request.id").limit(limit).execute();
}

/** One request with its service, organization, service point, designated person, filer and decider. */
export async function findRequest(db: Kysely<DB>, requestId: number) {
  return db
    .selectFrom("access_request")
    .innerJoin("online_service", "online_service.id", "access_request.service_id")
    .innerJoin("organization as ministry", "ministry.id", "online_service.ministry_id")
    .innerJoin("organization", "organization.id", "access_request.organization_id")
    .innerJoin("app_user as designated", "designated.id", "access_request.designated_user_id")
    .innerJoin("app_user as filer", "filer.id", "access_request.filed_by")
    .leftJoin("app_user as decider", "decider.id", "access_request.decided_by")
    .leftJoin("service_point", "service_point.id", "access_request.service_point_id")
    .select([
      "access_request.id",
      "access_request.role",
      "access_request.replacement",
      "access_request.reason",
      "access_request.status",
      "access_request.filed_at",
      "access_request.organization_id",
      "access_request.service_point_id",
      "access_request.service_id",
      "access_request.designated_user_id",
      "access_request.authority_civility",
      "access_request.authority_last_name",
      "access_request.authority_first_name",
      "access_request.authority_job_title",
      "access_request.authority_phone",
      "access_request.authority_phone_extension",
      "access_request.authority_email",
      "access_request.organization_details",
      "access_request.decided_at",
      "access_request.rejection_reason",
      "online_service.code as service_code",
      "online_service.name as service_name",
      "online_service.name_en as service_name_en",
      "online_service.ministry_id",
      "ministry.name as ministry_name",
      "organization.kind as organization_kind",
      "organization.name as organization_name",
      "organization.geo_code",
      "organization.neq",
      "organization.civic_number",
      "organization.street",
      "organization.city",
      "organization.postal_code",
      "service_point.name as service_point_name",
      "service_point.civic_number as service_point_civic_number",
      "service_point.street as service_point_street",
      "service_point.city as service_point_city",
      "service_point.postal_code as service_point_postal_code",
      "designated.user_code as designated_code",
      "designated.civility as designated_civility",
      "designated.first_name as designated_first_name",
      "designated.last_name as designated_last_name",
      "designated.job_title as designated_job_title",
      "designated.phone as designated_phone",
      "designated.phone_extension as designated_phone_extension",
      "designated.email as designated_email",
      "designated.locale as designated_locale",
      "designated.organization_id as designated_organization_id",
      "designated.disabled_at as designated_disabled_at",
      "filer.user_code as filer_code",
      "filer.first_name as filer_first_name",
      "filer.last_name as filer_last_name",
      "filer.email as filer_email",
      "filer.locale as filer_locale",
      "decider.user_code as decider_code",
      "decider.first_name as decider_first_name",
      "decider.last_name as decider_last_name",
    ])
    .where("access_request.id", "=", requestId)
    .executeTakeFirst();
}

export type Decision =
  | { status: "approved"; by: number; now: Date }
  | { status: "rejected"; by: number; now: Date; reason: string };

/** Decides a request only if it is still pending: of two decisions racing, the second changes nothing. */
export async function markDecided(db: Kysely<DB>, requestId: number, decision: Decision): Promise<boolean> {
  const result = await db
    .updateTable("access_request")
    .set({
      status: decision.status,
      decided_at: decision.now,
      decided_by: decision.by,
      rejection_reason: decision.status === "rejected" ? decision.reason : null,
    })
    .where("id", "=", requestId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Client organizations (never a ministry) whose name contains the text, or whose geoCode or NEQ is it. */
export async function searchOrganizations(db: Kysely<DB>, text: string, limit: number) {
  return db
    .selectFrom("organization")
    .select(["id", "kind", "name", "geo_code", "neq", "city"])
    .where("kind", "!=", "ministry")
    .where((eb) =>
      eb.or([eb("name", "ilike", `%${escapeLike(text)}%`), eb("geo_code", "=", text), eb("neq", "=", text)]),
    )
    .orderBy("name")
    .orderBy("id")
    .limit(limit)
    .execute();
}

export async function findClientOrganization(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("organization")
    .select(["id", "kind", "name", "geo_code", "neq", "city"])
    .where("id", "=", organizationId)
    .where("kind", "!=", "ministry")
    .executeTakeFirst();
}

export async function findUserByCode(db: Kysely<DB>, userCode: string) {
  return db
    .selectFrom("app_user")
    .select([
      "id",
      "user_code",
      "first_name",
      "last_name",
      "email",
      "locale",
      "organization_id",
      "disabled_at",
    ])
    .where("user_code", "=", userCode)
    .executeTakeFirst();
}
