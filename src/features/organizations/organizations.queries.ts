// SQL for organizations and the service points of firms.
import type { Insertable, Kysely } from "kysely";
import type { DB, OrganizationTable, ServicePointTable } from "../../db/schema.js";

export async function insertOrganization(
  db: Kysely<DB>,
  organization: Insertable<OrganizationTable>,
): Promise<number> {
  const row = await db
    .insertInto("organization")
    .values(organization)
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertServicePoint(
  db: Kysely<DB>,
  point: Insertable<ServicePointTable>,
): Promise<number> {
  const row = await db.insertInto("service_point").values(point).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

export async function countUsers(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom("app_user")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findOrganizationById(db: Kysely<DB>, id: number) {
  return db.selectFrom("organization").selectAll().where("id", "=", id).executeTakeFirst();
}
