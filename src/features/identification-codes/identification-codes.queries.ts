// SQL for municipalities' identification codes and the wrong attempts made with them.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { escapeLike } from "../../db/typed.js";

export async function findCodeHash(db: Kysely<DB>, organizationId: number): Promise<string | null> {
  const row = await db
    .selectFrom("identification_code")
    .select("code_hash")
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();
  return row?.code_hash ?? null;
}

/** Issuing again replaces the previous code: only the latest one proves authority. */
export async function upsertCodeHash(
  db: Kysely<DB>,
  organizationId: number,
  codeHash: string,
  by: number,
  now: Date,
) {
  await db
    .insertInto("identification_code")
    .values({ organization_id: organizationId, code_hash: codeHash, issued_at: now, issued_by: by })
    .onConflict((oc) =>
      oc.column("organization_id").doUpdateSet({ code_hash: codeHash, issued_at: now, issued_by: by }),
    )
    .execute();
}

export async function insertCodeFailure(
  db: Kysely<DB>,
  failure: { organizationId: number; userId: number | null; ip: string | null; at: Date },
): Promise<void> {
  await db
    .insertInto("identification_code_failure")
    .values({
      organization_id: failure.organizationId,
      user_id: failure.userId,
      ip: failure.ip,
      at: failure.at,
    })
    .execute();
}

export async function countCodeFailures(db: Kysely<DB>, organizationId: number, since: Date) {
  const row = await db
    .selectFrom("identification_code_failure")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.max("at").as("last")])
    .where("organization_id", "=", organizationId)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), last: row.last ? new Date(row.last) : null };
}

export async function findMunicipality(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("organization")
    .select(["id", "name", "geo_code", "civic_number", "street", "city", "postal_code"])
    .where("id", "=", organizationId)
    .where("kind", "=", "municipality")
    .executeTakeFirst();
}

/** The sender of the letter: the ministry's name and address. */
export async function findMinistryAddress(db: Kysely<DB>, ministryId: number) {
  return db
    .selectFrom("organization")
    .select(["id", "name", "civic_number", "street", "city", "postal_code", "phone", "email"])
    .where("id", "=", ministryId)
    .executeTakeFirst();
}

/** Municipalities whose name contains the text or whose geoCode is it, with when their code was last issued. */
export async function searchMunicipalities(db: Kysely<DB>, text: string, limit: number) {
  const pattern = `%${escapeLike(text)}%`;
  return db
    .selectFrom("organization")
    .leftJoin("identification_code", "identification_code.organization_id", "organization.id")
    .select([
      "organization.id",
      "organization.name",
      "organization.geo_code",
      "organization.city",
      "identification_code.issued_at",
    ])
    .where("organization.kind", "=", "municipality")
    .where((eb) => eb.or([eb("organization.geo_code", "=", text), eb("organization.name", "ilike", pattern)]))
    .orderBy("organization.name")
    .limit(limit)
    .execute();
}
