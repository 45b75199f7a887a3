// SQL for the online service catalogue as organizations see it: each service with its ministry and the unit that administers it.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

function catalogueQuery(db: Kysely<DB>) {
  return db
    .selectFrom("online_service")
    .innerJoin("organization as ministry", "ministry.id", "online_service.ministry_id")
    .leftJoin("ministry_unit", "ministry_unit.id", "online_service.ministry_unit_id")
    .select([
      "online_service.id",
      "online_service.code",
      "online_service.name",
      "online_service.name_en",
      "online_service.category",
      "online_service.description",
      "online_service.description_en",
      "online_service.ministry_id",
      "ministry.name as ministry_name",
      "ministry.name_en as ministry_name_en",
      "ministry.acronym as ministry_acronym",
      "ministry_unit.name as unit_name",
      "ministry_unit.name_en as unit_name_en",
      "online_service.external_url",
    ]);
}

/** The whole catalogue, in the catalogue's order: every signed-in user may read it. */
export async function listServices(db: Kysely<DB>) {
  return catalogueQuery(db).orderBy("online_service.sort_order").orderBy("online_service.id").execute();
}

export async function findServiceByCode(db: Kysely<DB>, code: string) {
  return catalogueQuery(db).where("online_service.code", "=", code).executeTakeFirst();
}

/** The addresses of the services that are external (on their ministry's own servers). */
export async function listExternalUrls(db: Kysely<DB>) {
  return db
    .selectFrom("online_service")
    .select(["id", "external_url"])
    .where("external_url", "is not", null)
    .$narrowType<{ external_url: string }>()
    .execute();
}
