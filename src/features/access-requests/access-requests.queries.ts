// SQL for filing access requests: the organization by its geoCode or NEQ, a firm's service points, the designated
// person among the organization's own users, and the request itself.
import type { Kysely } from "kysely";
import type { DB, ManagerRole } from "../../db/schema.js";

const ORGANIZATION_COLUMNS = [
  "id",
  "kind",
  "name",
  "geo_code",
  "neq",
  "body_category",
  "civic_number",
  "street",
  "city",
  "postal_code",
  "region",
  "provincial_riding",
  "federal_riding",
] as const;

export async function findMunicipalityByGeoCode(db: Kysely<DB>, geoCode: string) {
  return db
    .selectFrom("organization")
    .select(ORGANIZATION_COLUMNS)
    .where("geo_code", "=", geoCode)
    .where("kind", "=", "municipality")
    .executeTakeFirst();
}

/** A body or a firm by its NEQ; an organization of another kind does not match. */
export async function findOrganizationByNeq(db: Kysely<DB>, neq: string, kind: "body" | "firm") {
  return db
    .selectFrom("organization")
    .select(ORGANIZATION_COLUMNS)
    .where("neq", "=", neq)
    .where("kind", "=", kind)
    .executeTakeFirst();
}

export async function listServicePoints(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("service_point")
    .select(["id", "name", "civic_number", "street", "city", "postal_code"])
    .where("organization_id", "=", organizationId)
    .orderBy("name")
    .execute();
}

export async function findServicePointByName(db: Kysely<DB>, organizationId: number, name: string) {
  return db
    .selectFrom("service_point")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("name", "=", name)
    .executeTakeFirst();
}

export async function insertServicePoint(
  db: Kysely<DB>,
  point: {
    organizationId: number;
    name: string;
    civicNumber: string | null;
    street: string;
    city: string;
    postalCode: string;
    now: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto("service_point")
    .values({
      organization_id: point.organizationId,
      name: point.name,
      civic_number: point.civicNumber,
      street: point.street,
      city: point.city,
      postal_code: point.postalCode,
      created_at: point.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A user of this organization by code, enabled or not; someone of another organization is never found here. */
export async function findMemberByCode(db: Kysely<DB>, organizationId: number, userCode: string) {
  return db
    .selectFrom("app_user")
    .select([
      "id",
      "user_code",
      "civility",
      "first_name",
      "last_name",
      "job_title",
      "phone",
      "phone_extension",
      "email",
      "disabled_at",
    ])
    .where("organization_id", "=", organizationId)
    .where("user_code", "=", userCode)
    .executeTakeFirst();
}

export type NewAccessRequest = {
  role: ManagerRole;
  replacement: boolean;
  organizationId: number;
  servicePointId: number | null;
  serviceId: number;
  filedBy: number;
  now: Date;
  authority: {
    civility: "M." | "Mme";
    lastName: string;
    firstName: string;
    jobTitle: string;
    phone: string;
    phoneExtension: string | null;
    email: string;
  };
  designatedUserId: number;
  organizationDetails: Record<string, string | null>;
  reason: string | null;
};

/**
 * Inserts a pending request. The partial unique indexes allow one pending request per (organization or service
 * point, service): when one is there already, nothing is inserted and null comes back.
 */
export async function insertAccessRequest(db: Kysely<DB>, request: NewAccessRequest): Promise<number | null> {
  const row = await db
    .insertInto("access_request")
    .values({
      role: request.role,
      replacement: request.replacement,
      organization_id: request.organizationId,
      service_point_id: request.servicePointId,
      service_id: request.serviceId,
      filed_by: request.filedBy,
      filed_at: request.now,
      authority_civility: request.authority.civility,
      authority_last_name: request.authority.lastName,
      authority_first_name: request.authority.firstName,
      authority_job_title: request.authority.jobTitle,
      authority_phone: request.authority.phone,
      authority_phone_extension: request.authority.phoneExtension,
      authority_email: request.authority.email,
      designated_user_id: request.designatedUserId,
      organization_details: JSON.stringify(request.organizationDetails),
      reason: request.reason,
    })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}
