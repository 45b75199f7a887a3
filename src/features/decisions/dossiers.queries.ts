// The SQL of declared dossiers: declaring one (once per service and id), finding, closing, and ending its mandates.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

const DOSSIER_COLUMNS = [
  "id",
  "service_id",
  "external_id",
  "organization_id",
  "title",
  "declared_at",
  "closed_at",
] as const;

export type DossierRow = NonNullable<Awaited<ReturnType<typeof findDossier>>>;

export async function findDossier(db: Kysely<DB>, key: { serviceId: number; externalId: string }) {
  return db
    .selectFrom("declared_dossier")
    .select(DOSSIER_COLUMNS)
    .where("service_id", "=", key.serviceId)
    .where("external_id", "=", key.externalId)
    .executeTakeFirst();
}

/** A first declaration; undefined when (service, id) was already declared, whoever declared it. */
export async function insertDossier(
  db: Kysely<DB>,
  dossier: { serviceId: number; externalId: string; organizationId: number; title: string; now: Date },
) {
  return db
    .insertInto("declared_dossier")
    .values({
      service_id: dossier.serviceId,
      external_id: dossier.externalId,
      organization_id: dossier.organizationId,
      title: dossier.title,
      declared_at: dossier.now,
    })
    .onConflict((oc) => oc.columns(["service_id", "external_id"]).doNothing())
    .returning(DOSSIER_COLUMNS)
    .executeTakeFirst();
}

/** Declared again for the same organization: its title as given now, and open. Undefined for another organization. */
export async function redeclareDossier(
  db: Kysely<DB>,
  dossier: { serviceId: number; externalId: string; organizationId: number; title: string },
) {
  return db
    .updateTable("declared_dossier")
    .set({ title: dossier.title, closed_at: null })
    .where("service_id", "=", dossier.serviceId)
    .where("external_id", "=", dossier.externalId)
    .where("organization_id", "=", dossier.organizationId)
    .returning(DOSSIER_COLUMNS)
    .executeTakeFirst();
}

/** Closes an open dossier; undefined when it was closed already. */
export async function closeDossierRow(db: Kysely<DB>, dossierId: number, now: Date) {
  return db
    .updateTable("declared_dossier")
    .set({ closed_at: now })
    .where("id", "=", dossierId)
    .where("closed_at", "is", null)
    .returning(DOSSIER_COLUMNS)
    .executeTakeFirst();
}

/** Ends the current mandates on one declared dossier; returns their ids. */
export async function endDossierMandates(db: Kysely<DB>, dossierId: number, now: Date): Promise<number[]> {
  const rows = await db
    .updateTable("mandate")
    .set({ ended_at: now, ended_by: null, end_reason: "dossier_closed" })
    .where("declared_dossier_id", "=", dossierId)
    .where("ended_at", "is", null)
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}
