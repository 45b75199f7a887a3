// SQL for the reference catalogue: the ministry, its units, online services and transfer recipients.
import type { Insertable, Kysely } from "kysely";
import type { DB, OnlineServiceTable, TransferRecipientTable } from "../../db/schema.js";

export async function findMinistryByAcronym(db: Kysely<DB>, acronym: string) {
  return db
    .selectFrom("organization")
    .select(["id", "name", "name_en"])
    .where("kind", "=", "ministry")
    .where("acronym", "=", acronym)
    .executeTakeFirst();
}

export async function insertUnit(
  db: Kysely<DB>,
  organizationId: number,
  unit: { code: string; name: string; nameEn?: string },
): Promise<number> {
  const row = await db
    .insertInto("ministry_unit")
    .values({
      organization_id: organizationId,
      code: unit.code,
      name: unit.name,
      name_en: unit.nameEn ?? null,
    })
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

/** The fill* functions give English text to a catalogue row that has none yet (ensureCatalogue's fillEnglish). */
export async function fillOrganizationEnglish(
  db: Kysely<DB>,
  id: number,
  nameEn: string | null,
): Promise<void> {
  await db
    .updateTable("organization")
    .set({ name_en: nameEn })
    .where("id", "=", id)
    .where("name_en", "is", null)
    .execute();
}

export async function fillUnitEnglish(
  db: Kysely<DB>,
  organizationId: number,
  code: string,
  nameEn: string | null,
): Promise<void> {
  await db
    .updateTable("ministry_unit")
    .set({ name_en: nameEn })
    .where("organization_id", "=", organizationId)
    .where("code", "=", code)
    .where("name_en", "is", null)
    .execute();
}

export async function fillServiceEnglish(
  db: Kysely<DB>,
  code: string,
  english: { name_en: string; description_en: string },
): Promise<void> {
  await db
    .updateTable("online_service")
    .set(english)
    .where("code", "=", code)
    .where("name_en", "is", null)
    .execute();
}

export async function fillRecipientEnglish(
  db: Kysely<DB>,
  code: string,
  english: { name_en: string; instructions_en: string },
): Promise<void> {
  await db
    .updateTable("transfer_recipient")
    .set(english)
    .where("code", "=", code)
    .where("name_en", "is", null)
    .execute();
}
