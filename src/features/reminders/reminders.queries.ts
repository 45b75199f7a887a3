// The reminders' SQL: what ends within 30 days and has not had its reminder for this threshold and end date, who
// can renew it, and the claims (end_reminder, reminder_digest) that make each reminder and each day's email once.
import { type Kysely, sql } from "kysely";
import type { AccessRight, Day, DB } from "../../db/schema.js";

export type Threshold = 30 | 7;

/**
 * The threshold a day count has reached, the nearest one: a run that missed day 30 still warns once, and day 7
 * follows. SQL twin: thresholdSql.
 */
export function thresholdOf(daysLeft: number): Threshold {
  return daysLeft <= 7 ? 7 : 30;
}

/**
 * Current rights of enabled people whose last day is between today and lastDay, without a reminder for the
 * threshold reached at this end date, and none of whose recipients (the holder, the local manager and deputies of
 * the registry) had their reminder email today: that one waits for tomorrow's, so a person gets one a day.
 */
export async function findGrantsToRemind(db: Kysely<DB>, today: Day, lastDay: Day, limit: number) {
  const thresholdSql = sql<Threshold>`case when g.valid_until - ${today}::date <= 7 then 7 else 30 end`;
  return db
    .selectFrom("access_grant as g")
    .innerJoin("app_user as u", "u.id", "g.user_id")
    .innerJoin("organization as o", "o.id", "g.organization_id")
    .innerJoin("online_service as s", "s.id", "g.service_id")
    .select([
      "g.id",
      "g.organization_id",
      "g.service_id",
      "g.user_id",
      sql<AccessRight>`g.access_right`.as("access_right"),
      sql<Day>`g.valid_until`.as("valid_until"),
      "u.first_name",
      "u.last_name",
      "u.user_code",
      "u.email",
      "u.locale",
      "o.name as organization_name",
      "s.code as service_code",
      "s.name as service_name",
      "s.name_en as service_name_en",
    ])
    .where("g.ended_at", "is", null)
    .where("g.valid_until", ">=", today)
    .where("g.valid_until", "<=", lastDay)
    .where("u.disabled_at", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("end_reminder as r")
            .select(sql`1`.as("one"))
            .where("r.kind", "=", "access_grant")
            .whereRef("r.item_id", "=", "g.id")
            .whereRef("r.end_date", "=", "g.valid_until")
            .where("r.days_before", "=", thresholdSql),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("reminder_digest as d")
            .select(sql`1`.as("one"))
            .where("d.day", "=", today)
            .where((eb) =>
              eb.or([
                eb("d.user_id", "=", eb.ref("g.user_id")),
                eb.exists(
                  eb
                    .selectFrom("service_role as sr")
                    .select(sql`1`.as("one"))
                    .whereRef("sr.user_id", "=", "d.user_id")
                    .whereRef("sr.organization_id", "=", "g.organization_id")
                    .whereRef("sr.service_id", "=", "g.service_id")
                    .where("sr.role", "in", ["local_manager", "deputy"])
                    .where("sr.ended_at", "is", null),
                ),
              ]),
            ),
        ),
      ),
    )
    .orderBy("g.valid_until")
    .orderBy("g.id")
    .limit(limit)
    .execute();
}

export type GrantToRemind = Awaited<ReturnType<typeof findGrantsToRemind>>[number];

/** Who can renew rights of these registries: their local manager and deputies, enabled. */
export async function listRenewers(
  db: Kysely<DB>,
  registries: readonly { organizationId: number; serviceId: number }[],
) {
  if (registries.length === 0) return [];
  return db
    .selectFrom("service_role as sr")
    .innerJoin("app_user as u", "u.id", "sr.user_id")
    .select([
      "sr.organization_id",
      "sr.service_id",
      "u.id",
      "u.first_name",
      "u.last_name",
      "u.email",
      "u.locale",
    ])
    .where("sr.ended_at", "is", null)
    .where("sr.role", "in", ["local_manager", "deputy"])
    .where("u.disabled_at", "is", null)
    .where((eb) =>
      eb.or(
        registries.map((r) =>
          eb.and([eb("sr.organization_id", "=", r.organizationId), eb("sr.service_id", "=", r.serviceId)]),
        ),
      ),
    )
    .execute();
}

/** Claims the reminders; returns the item ids claimed now (another run may have claimed the others). */
export async function claimReminders(
  db: Kysely<DB>,
  reminders: readonly { itemId: number; endDate: Day; daysBefore: Threshold }[],
  now: Date,
): Promise<number[]> {
  if (reminders.length === 0) return [];
  const rows = await db
    .insertInto("end_reminder")
    .values(
      reminders.map((r) => ({
        kind: "access_grant" as const,
        item_id: r.itemId,
        days_before: r.daysBefore,
        end_date: r.endDate,
        sent_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["kind", "item_id", "days_before", "end_date"]).doNothing())
    .returning("item_id")
    .execute();
  return rows.map((row) => row.item_id);
}

/**
 * Records each person's email of the day. A plain insert: a second email the same day is refused by the key,
 * which rolls the caller's transaction back.
 */
export async function insertDigests(
  db: Kysely<DB>,
  digests: readonly { userId: number; reminders: number }[],
  day: Day,
  now: Date,
): Promise<void> {
  if (digests.length === 0) return;
  await db
    .insertInto("reminder_digest")
    .values(digests.map((d) => ({ user_id: d.userId, day, sent_at: now, reminders: d.reminders })))
    .execute();
}
