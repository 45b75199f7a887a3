// SQL for the external online services and their OpenID clients: always within one ministry for the back office,
// by client_id for the provider.
import { type Insertable, type Kysely, sql, type Updateable } from "kysely";
import type { DB, OidcClientTable } from "../../db/schema.js";

function clientQuery(db: Kysely<DB>) {
  return db
    .selectFrom("oidc_client")
    .innerJoin("online_service", "online_service.id", "oidc_client.online_service_id")
    .select([
      "oidc_client.id",
      "oidc_client.client_id",
      "oidc_client.ministry_id",
      "oidc_client.name",
      "oidc_client.redirect_uris",
      "oidc_client.post_logout_redirect_uris",
      "oidc_client.backchannel_logout_uri",
      "oidc_client.auth_method",
      "oidc_client.jwks_uri",
      "oidc_client.secret_hash",
      "oidc_client.min_assurance",
      "oidc_client.created_at",
      "oidc_client.updated_at",
      "oidc_client.disabled_at",
      "oidc_client.secret_rotated_at",
      "online_service.id as service_id",
      "online_service.code as service_code",
      "online_service.name as service_name",
      "online_service.category as service_category",
      "online_service.external_url",
    ]);
}

/** The clients of one ministry: no other ministry's row ever leaves the database. */
export async function listClients(db: Kysely<DB>, ministryId: number) {
  return clientQuery(db)
    .where("oidc_client.ministry_id", "=", ministryId)
    .orderBy("online_service.code")
    .orderBy("oidc_client.id")
    .execute();
}

/** One client, if it is this ministry's: another ministry's is as absent as one that never was. */
export async function findClient(db: Kysely<DB>, ministryId: number, id: number) {
  return clientQuery(db)
    .where("oidc_client.id", "=", id)
    .where("oidc_client.ministry_id", "=", ministryId)
    .executeTakeFirst();
}

/** A client the provider may know: enabled, with its service's address. */
export async function findEnabledClientByClientId(db: Kysely<DB>, clientId: string) {
  return clientQuery(db)
    .where("oidc_client.client_id", "=", clientId)
    .where("oidc_client.disabled_at", "is", null)
    .executeTakeFirst();
}

export type NewService = {
  code: string;
  name: string;
  category: "infrastructures" | "other";
  ministryId: number;
  ministryUnitId: number | null;
  externalUrl: string;
};

/** An external service joins the catalogue after every service already there. */
export async function insertExternalService(db: Kysely<DB>, service: NewService): Promise<number> {
  const row = await db
    .insertInto("online_service")
    .values({
      code: service.code,
      name: service.name,
      category: service.category,
      ministry_id: service.ministryId,
      ministry_unit_id: service.ministryUnitId,
      external_url: service.externalUrl,
      sort_order: sql<number>`(select coalesce(max(sort_order), 0) + 1 from online_service)`,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertClient(db: Kysely<DB>, client: Insertable<OidcClientTable>): Promise<number> {
  const row = await db.insertInto("oidc_client").values(client).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** Changes a client of this ministry; false when there is none. */
export async function updateClient(
  db: Kysely<DB>,
  ministryId: number,
  id: number,
  values: Updateable<OidcClientTable>,
): Promise<boolean> {
  const result = await db
    .updateTable("oidc_client")
    .set(values)
    .where("id", "=", id)
    .where("ministry_id", "=", ministryId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The catalogue's side of a change: the service's name (the client's too) and its address. */
export async function updateService(
  db: Kysely<DB>,
  ministryId: number,
  serviceId: number,
  values: { name: string; externalUrl: string },
): Promise<void> {
  await db
    .updateTable("online_service")
    .set({ name: values.name, external_url: values.externalUrl })
    .where("id", "=", serviceId)
    .where("ministry_id", "=", ministryId)
    .execute();
}

/** A new secret for a client that authenticates with one; false when the client has none to replace. */
export async function replaceSecret(
  db: Kysely<DB>,
  ministryId: number,
  id: number,
  secretHash: Buffer,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("oidc_client")
    .set({ secret_hash: secretHash, secret_rotated_at: now, updated_at: now })
    .where("id", "=", id)
    .where("ministry_id", "=", ministryId)
    .where("auth_method", "=", "client_secret_basic")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Disables or enables a client; false when it already was (of two clicks, the second changes nothing). */
export async function setDisabled(
  db: Kysely<DB>,
  ministryId: number,
  id: number,
  disabledAt: Date | null,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("oidc_client")
    .set({ disabled_at: disabledAt, updated_at: now })
    .where("id", "=", id)
    .where("ministry_id", "=", ministryId)
    .where("disabled_at", disabledAt === null ? "is not" : "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
