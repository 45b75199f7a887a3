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

/** The agents of these mandates on declared dossiers, with the dossier, to tell them their mandate ended. */
export async function findMandateAgents(db: Kysely<DB>, mandateIds: readonly number[]) {
  if (mandateIds.length === 0) return [];
  return db
    .selectFrom("mandate as m")
    .innerJoin("app_user as u", "u.id", "m.agent_user_id")
    .innerJoin("declared_dossier as d", "d.id", "m.declared_dossier_id")
    .innerJoin("organization as o", "o.id", "d.organization_id")
    .innerJoin("online_service as s", "s.id", "d.service_id")
    .select([
      "u.first_name",
      "u.last_name",
      "u.email",
      "u.locale",
      "d.external_id",
      "d.title",
      "o.name as organization_name",
      "s.code as service_code",
      "s.name as service_name",
      "s.name_en as service_name_en",
    ])
    .where("m.id", "in", mandateIds)
    .where("u.disabled_at", "is", null)
    .execute();
}
