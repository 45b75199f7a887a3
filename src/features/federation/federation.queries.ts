// SQL for federation: who a signed-in person is to a relying service, who can give them a procuration, and which
// provider sessions a Guichet session holds.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

/** The person and the organization they act for, as a relying service reads them in the ID token and userinfo. */
export async function findAccountClaims(db: Kysely<DB>, userId: number) {
  if (!Number.isSafeInteger(userId)) return undefined;
  const row = await db
    .selectFrom("app_user")
    .innerJoin("organization", "organization.id", "app_user.organization_id")
    .select([
      "app_user.first_name",
      "app_user.last_name",
      "app_user.email",
      "app_user.locale",
      "app_user.disabled_at",
      "organization.id as organization_id",
      "organization.kind as organization_kind",
      "organization.name as organization_name",
      "organization.geo_code",
      "organization.neq",
    ])
    .where("app_user.id", "=", userId)
    .executeTakeFirst();
  if (!row || row.disabled_at) return undefined;
  return {
    name: `${row.first_name} ${row.last_name}`,
    given_name: row.first_name,
    family_name: row.last_name,
    email: row.email,
    locale: row.locale === "en" ? "en-CA" : "fr-CA",
    organisation: {
      id: row.organization_id,
      kind: row.organization_kind,
      name: row.organization_name,
      ...(row.geo_code ? { geoCode: row.geo_code } : {}),
      ...(row.neq ? { neq: row.neq } : {}),
    },
  };
}

/** The person as the policy sees them, to weigh the enterprise layer. */
export async function findActorFacts(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("app_user")
    .innerJoin("organization", "organization.id", "app_user.organization_id")
    .select([
      "app_user.id as user_id",
      "app_user.user_code",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.is_services_officer",
      "app_user.is_service_admin",
      "app_user.ministry_unit_id",
      "app_user.disabled_at",
      "organization.id as organization_id",
      "organization.kind as organization_kind",
      "organization.name as organization_name",
    ])
    .where("app_user.id", "=", userId)
    .executeTakeFirst();
}

/** The services officers of an organization: who can give a procuration. */
export async function findServicesOfficers(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("app_user")
    .select(["first_name", "last_name", "email"])
    .where("organization_id", "=", organizationId)
    .where("is_services_officer", "=", true)
    .where("disabled_at", "is", null)
    .orderBy("last_name")
    .orderBy("first_name")
    .execute();
}

/** The ministry and service a client signs people in for, by name, for the refusal page. */
export async function findClientService(db: Kysely<DB>, serviceId: number) {
  return db
    .selectFrom("online_service")
    .innerJoin("organization", "organization.id", "online_service.ministry_id")
    .select([
      "online_service.name as service_name",
      "online_service.name_en as service_name_en",
      "online_service.code as service_code",
      "online_service.external_url",
      "organization.name as ministry_name",
      "organization.name_en as ministry_name_en",
    ])
    .where("online_service.id", "=", serviceId)
    .executeTakeFirst();
}
