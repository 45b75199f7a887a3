// SQL for procurations, their scope, their holders and their reminders.

import type { Expression, Kysely } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Day, DB } from "../../db/schema.js";

export type ScopeRow = { ministryId: number; restricted: boolean; serviceIds: number[] };

/** The ministries a procuration may name, with their online services. */
export async function listMinistriesWithServices(db: Kysely<DB>) {
  const ministries = await db
    .selectFrom("organization")
    .select(["id", "name", "name_en", "acronym"])
    .where("kind", "=", "ministry")
    .orderBy("name")
    .execute();
  const services = await db
    .selectFrom("online_service")
    .select(["id", "code", "name", "name_en", "ministry_id"])
    .orderBy("sort_order")
    .execute();
  return ministries.map((ministry) => ({
    ...ministry,
    services: services.filter((service) => service.ministry_id === ministry.id),
  }));
}

export async function insertProcuration(
  db: Kysely<DB>,
  row: { organizationId: number; name: string; startDate: Day; endDate: Day; createdBy: number; now: Date },
): Promise<number> {
  const inserted = await db
    .insertInto("procuration")
    .values({
      organization_id: row.organizationId,
      name: row.name,
      start_date: row.startDate,
      end_date: row.endDate,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function replaceScope(
  db: Kysely<DB>,
  procurationId: number,
  scope: readonly ScopeRow[],
): Promise<void> {
  await db.deleteFrom("procuration_service").where("procuration_id", "=", procurationId).execute();
  await db.deleteFrom("procuration_ministry").where("procuration_id", "=", procurationId).execute();
  for (const item of scope) {
    await db
      .insertInto("procuration_ministry")
      .values({ procuration_id: procurationId, ministry_id: item.ministryId, restricted: item.restricted })
      .execute();
    for (const serviceId of item.restricted ? item.serviceIds : []) {
      await db
        .insertInto("procuration_service")
        .values({ procuration_id: procurationId, ministry_id: item.ministryId, service_id: serviceId })
        .execute();
    }
  }
}

export async function updateProcuration(
  db: Kysely<DB>,
  procurationId: number,
  change: { name: string; endDate: Day; now: Date },
): Promise<void> {
  await db
    .updateTable("procuration")
    .set({ name: change.name, end_date: change.endDate, updated_at: change.now })
    .where("id", "=", procurationId)
    .execute();
}

/** Moves the end date earlier; with immediately, the procuration stops counting at once. */
export async function endProcurationRow(
  db: Kysely<DB>,
  procurationId: number,
  end: { endDate: Day; immediately: boolean; by: number; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable("procuration")
    .set({
      end_date: end.endDate,
      updated_at: end.now,
      ...(end.immediately ? { ended_at: end.now, ended_by: end.by } : {}),
    })
    .where("id", "=", procurationId)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findProcuration(db: Kysely<DB>, procurationId: number) {
  return db.selectFrom("procuration").selectAll().where("id", "=", procurationId).executeTakeFirst();
}

/** The ministries and services each procuration covers, in one statement. */
export async function findScope(db: Kysely<DB>, procurationIds: readonly number[] | Expression<number>) {
  if (Array.isArray(procurationIds) && procurationIds.length === 0) return [];
  return scopeOf(db, procurationIds).execute();
}

export function scopeOf(db: Kysely<DB>, procurationIds: readonly number[] | Expression<number>) {
  return db
    .selectFrom("procuration_ministry")
    .innerJoin("organization", "organization.id", "procuration_ministry.ministry_id")
    .select((eb) => [
      "procuration_ministry.procuration_id",
      "procuration_ministry.ministry_id",
      "procuration_ministry.restricted",
      "organization.name as ministry_name",
      "organization.name_en as ministry_name_en",
      "organization.acronym as ministry_acronym",
      jsonArrayFrom(
        eb
          .selectFrom("procuration_service")
          .innerJoin("online_service", "online_service.id", "procuration_service.service_id")
          .select([
            "procuration_service.procuration_id",
            "procuration_service.ministry_id",
            "online_service.id as service_id",
            "online_service.code",
            "online_service.name",
            "online_service.name_en",
          ])
          .whereRef("procuration_service.procuration_id", "=", "procuration_ministry.procuration_id")
          .whereRef("procuration_service.ministry_id", "=", "procuration_ministry.ministry_id")
          .orderBy("online_service.sort_order"),
      ).as("services"),
    ])
    .where("procuration_ministry.procuration_id", "in", procurationIds)
    .orderBy("organization.name");
}

/** The organization's procurations, with how many people hold each now. Filtered by organization in SQL. */
export async function listProcurationsOf(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("procuration")
    .select((eb) => [
      "procuration.id",
      "procuration.name",
      "procuration.start_date",
      "procuration.end_date",
      "procuration.ended_at",
      eb
        .selectFrom("procuration_holder")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .whereRef("procuration_holder.procuration_id", "=", "procuration.id")
        .where("procuration_holder.ended_at", "is", null)
        .as("holders"),
    ])
    .where("procuration.organization_id", "=", organizationId)
    .orderBy("procuration.end_date", "desc")
    .orderBy("procuration.id", "desc")
    .execute();
}

export async function listCurrentHolders(db: Kysely<DB>, procurationId: number) {
  return db
    .selectFrom("procuration_holder")
    .innerJoin("app_user", "app_user.id", "procuration_holder.user_id")
    .select([
      "app_user.id as user_id",
      "app_user.user_code",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.email",
      "app_user.locale",
      "app_user.disabled_at",
      "procuration_holder.assigned_at",
    ])
    .where("procuration_holder.procuration_id", "=", procurationId)
    .where("procuration_holder.ended_at", "is", null)
    .orderBy("app_user.last_name")
    .orderBy("app_user.first_name")
    .execute();
}

/** The enabled users of an organization among the given ids: anyone else cannot be assigned. */
export async function findAssignableUsers(
  db: Kysely<DB>,
  organizationId: number,
  userIds: readonly number[],
) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom("app_user")
    .select(["id", "user_code", "first_name", "last_name", "email", "locale"])
    .where("organization_id", "=", organizationId)
    .where("disabled_at", "is", null)
    .where("id", "in", userIds)
    .execute();
}

export async function listEnabledUsersOf(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("app_user")
    .select(["id", "user_code", "first_name", "last_name"])
    .where("organization_id", "=", organizationId)
    .where("disabled_at", "is", null)
    .orderBy("last_name")
    .orderBy("first_name")
    .execute();
}

/** Adds holders; someone who already holds it is left as is. Returns the ids actually added. */
export async function insertHolders(
  db: Kysely<DB>,
  procurationId: number,
  userIds: readonly number[],
  by: number,
  now: Date,
): Promise<number[]> {
  const added: number[] = [];
  for (const userId of userIds) {
    const row = await db
      .insertInto("procuration_holder")
      .values({ procuration_id: procurationId, user_id: userId, assigned_at: now, assigned_by: by })
      .onConflict((oc) => oc.columns(["procuration_id", "user_id"]).where("ended_at", "is", null).doNothing())
      .returning("user_id")
      .executeTakeFirst();
    if (row) added.push(row.user_id);
  }
  return added;
}

export async function endHolder(
  db: Kysely<DB>,
  procurationId: number,
  userId: number,
  by: number | null,
  now: Date,
) {
  const result = await db
    .updateTable("procuration_holder")
    .set({ ended_at: now, ended_by: by })
    .where("procuration_id", "=", procurationId)
    .where("user_id", "=", userId)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A user's procurations valid on a given day: held now, started, not past their end date, not ended. */
export async function findValidProcurationsOfUser(
  db: Kysely<DB>,
  userId: number,
  organizationId: number,
  today: Day,
) {
  return validProcurationsOfUser(db, userId, organizationId, today)
    .select(["procuration.id", "procuration.name", "procuration.start_date", "procuration.end_date"])
    .orderBy("procuration.end_date")
    .execute();
}

/** The ids of the procurations a user holds that are valid today, to read their scope in the same statement. */
export function validProcurationIdsOfUser(
  db: Kysely<DB>,
  userId: number,
  organizationId: number,
  today: Day,
) {
  return validProcurationsOfUser(db, userId, organizationId, today).select("procuration.id").$asScalar();
}

function validProcurationsOfUser(db: Kysely<DB>, userId: number, organizationId: number, today: Day) {
  return db
    .selectFrom("procuration_holder")
    .innerJoin("procuration", "procuration.id", "procuration_holder.procuration_id")
    .where("procuration_holder.user_id", "=", userId)
    .where("procuration_holder.ended_at", "is", null)
    .where("procuration.organization_id", "=", organizationId)
    .where("procuration.ended_at", "is", null)
    .where("procuration.start_date", "<=", today)
    .where("procuration.end_date", ">=", today);
}

/** Procurations valid today that end within the given number of days and have at least one holder. */
export async function findProcurationsEndingWithin(db: Kysely<DB>, today: Day, lastDay: Day) {
  return db
    .selectFrom("procuration")
    .innerJoin("organization", "organization.id", "procuration.organization_id")
    .select([
      "procuration.id",
      "procuration.name",
      "procuration.end_date",
      "procuration.organization_id",
      "organization.name as organization_name",
    ])
    .where("procuration.ended_at", "is", null)
    .where("procuration.start_date", "<=", today)
    .where("procuration.end_date", ">=", today)
    .where("procuration.end_date", "<=", lastDay)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("procuration_holder")
          .select("procuration_holder.id")
          .whereRef("procuration_holder.procuration_id", "=", "procuration.id")
          .where("procuration_holder.ended_at", "is", null),
      ),
    )
    .execute();
}

/** Records a reminder; false when it was already sent (the primary key makes it exactly once). */
export async function claimReminder(
  db: Kysely<DB>,
  procurationId: number,
  endDate: Day,
  daysBefore: 30 | 7,
  now: Date,
): Promise<boolean> {
  const row = await db
    .insertInto("procuration_reminder")
    .values({ procuration_id: procurationId, end_date: endDate, days_before: daysBefore, sent_at: now })
    .onConflict((oc) => oc.columns(["procuration_id", "end_date", "days_before"]).doNothing())
    .returning("procuration_id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function listServicesOfficers(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("app_user")
    .select(["id", "email", "first_name", "last_name", "locale"])
    .where("organization_id", "=", organizationId)
    .where("is_services_officer", "=", true)
    .where("disabled_at", "is", null)
    .orderBy("last_name")
    .orderBy("first_name")
    .execute();
}

export async function findServiceById(db: Kysely<DB>, serviceId: number) {
  return db
    .selectFrom("online_service")
    .select(["id", "ministry_id", "code"])
    .where("id", "=", serviceId)
    .executeTakeFirst();
}

/** Guards against a forged form: the ids must be ministries, and the services must belong to them. */
export async function findMinistryIds(db: Kysely<DB>, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("organization")
    .select("id")
    .where("kind", "=", "ministry")
    .where("id", "in", ids)
    .execute();
  return rows.map((r) => r.id);
}

export async function findServicesOfMinistries(db: Kysely<DB>, ministryIds: readonly number[]) {
  if (ministryIds.length === 0) return [];
  return db
    .selectFrom("online_service")
    .select(["id", "ministry_id"])
    .where("ministry_id", "in", ministryIds)
    .execute();
}
