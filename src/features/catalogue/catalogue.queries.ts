// SQL for the reference catalogue: the ministry, its units, online services and transfer recipients.
import type { Insertable, Kysely } from "kysely";
import type { DB, OnlineServiceTable, TransferRecipientTable } from "../../db/schema.js";

export async function findMinistryByAcronym(db: Kysely<DB>, acronym: string) {
  return db
    .selectFrom("organization")
    .select(["id", "name"])
    .where("kind", "=", "ministry")
    .where("acronym", "=", acronym)
    .executeTakeFirst();
}

export async function insertUnit(
  db: Kysely<DB>,
  organizationId: number,
  code: string,
  name: string,
): Promise<number> {
  const row = await db
    .insertInto("ministry_unit")
    .values({ organization_id: organizationId, code, name })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findUnitsOf(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("ministry_unit")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .orderBy("code")
    .execute();
}

export async function insertOnlineService(
  db: Kysely<DB>,
  service: Insertable<OnlineServiceTable>,
): Promise<void> {
  await db.insertInto("online_service").values(service).execute();
}

export async function insertTransferRecipient(
  db: Kysely<DB>,
  recipient: Insertable<TransferRecipientTable>,
): Promise<void> {
  await db.insertInto("transfer_recipient").values(recipient).execute();
}

export async function listOnlineServices(db: Kysely<DB>) {
  return db.selectFrom("online_service").selectAll().orderBy("sort_order").execute();
}

export async function listTransferRecipients(db: Kysely<DB>) {
  return db.selectFrom("transfer_recipient").selectAll().orderBy("sort_order").execute();
}
