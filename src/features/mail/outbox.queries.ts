// SQL for the outbox: rows are written with the change that causes them and claimed by the worker. Two tables share
// its columns of delivery (attempts, next attempt, lease, sent, failed): the mail, and the back-channel logouts of
// relying services (written by features/federation/backchannel.queries.ts), so both are claimed and retried alike.
import { type Kysely, type Selectable, sql } from "kysely";
import type { BackchannelOutboxTable, DB, MailOutboxTable } from "../../db/schema.js";

export type OutboxTable = "mail_outbox" | "backchannel_outbox";

export type OutgoingMail = { to: string; subject: string; text: string };

export async function insertOutboxMail(db: Kysely<DB>, mail: OutgoingMail, now: Date): Promise<number> {
  const row = await db
    .insertInto("mail_outbox")
    .values({
      created_at: now,
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      next_attempt_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Claims due rows for a while, so that two workers never deliver the same one at once; oldest first, as queued (an
 * UPDATE returns its rows in no particular order).
 */
async function claimDue(db: Kysely<DB>, table: OutboxTable, now: Date, leaseMs: number, limit: number) {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await db
    .updateTable(table)
    .set({ locked_until: leaseUntil })
    .where(
      "id",
      "in",
      db
        .selectFrom(table)
        .select("id")
        .where("sent_at", "is", null)
        .where("failed_at", "is", null)
        .where("next_attempt_at", "<=", now)
        .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
        .orderBy("id")
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

export async function claimDueMails(
  db: Kysely<DB>,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<Selectable<MailOutboxTable>[]> {
  return (await claimDue(db, "mail_outbox", now, leaseMs, limit)) as Selectable<MailOutboxTable>[];
}

export async function claimDueLogouts(
  db: Kysely<DB>,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<Selectable<BackchannelOutboxTable>[]> {
  return (await claimDue(
    db,
    "backchannel_outbox",
    now,
    leaseMs,
    limit,
  )) as Selectable<BackchannelOutboxTable>[];
}

export async function markDelivered(
  db: Kysely<DB>,
  table: OutboxTable,
  id: number,
  now: Date,
): Promise<void> {
  await db
    .updateTable(table)
    .set({ sent_at: now, locked_until: null, attempts: sql`attempts + 1` })
    .where("id", "=", id)
    .execute();
}

export async function markAttemptFailed(
  db: Kysely<DB>,
  table: OutboxTable,
  id: number,
  error: string,
  nextAttemptAt: Date | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable(table)
    .set({
      attempts: sql`attempts + 1`,
      last_error: error.slice(0, 1000),
      locked_until: null,
      ...(nextAttemptAt ? { next_attempt_at: nextAttemptAt } : { failed_at: now }),
    })
    .where("id", "=", id)
    .execute();
}

/**
 * Extends a row's lease, if it is still the one its worker claimed (`lease`): false when it ran out and another worker
 * has claimed the row since, or delivered it.
 */
export async function renewLease(
  db: Kysely<DB>,
  table: OutboxTable,
  id: number,
  lease: Date,
  until: Date,
): Promise<boolean> {
  const renewed = await db
    .updateTable(table)
    .set({ locked_until: until })
    .where("id", "=", id)
    .where("locked_until", "=", lease)
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return renewed !== undefined;
}

/**
 * Gives claimed rows back without an attempt: those a run did not reach, and the one it was sending when the server
 * proved unreachable (its error kept). They are due again at once, for whichever worker runs next.
 */
export async function releaseClaimed(
  db: Kysely<DB>,
  table: OutboxTable,
  ids: readonly number[],
  error: string,
  failedId: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable(table)
    .set((eb) => ({
      locked_until: null,
      last_error: eb
        .case()
        .when("id", "=", failedId)
        .then(error.slice(0, 1000))
        .else(eb.ref("last_error"))
        .end(),
    }))
    .where("id", "in", ids)
    .where("sent_at", "is", null)
    .execute();
}

export async function findOutboxMails(db: Kysely<DB>, filter: { to?: string } = {}) {
  let query = db.selectFrom("mail_outbox").selectAll().orderBy("id");
  if (filter.to) query = query.where("to_address", "=", filter.to);
  return query.execute();
}

export type OutboxBacklog = { outbox: OutboxTable; waiting: number; oldest: Date | null };

/** What each outbox still has to deliver (rows neither sent nor given up on), and since when: for the metrics. */
export async function outboxBacklog(db: Kysely<DB>): Promise<OutboxBacklog[]> {
  const pending = (table: OutboxTable) =>
    db
      .selectFrom(table)
      .select((eb) => [
        sql<OutboxTable>`${table}::text`.as("outbox"),
        eb.fn.countAll<number>().as("waiting"),
        eb.fn.min<Date | null>("created_at").as("oldest"),
      ])
      .where("sent_at", "is", null)
      .where("failed_at", "is", null);
  return pending("mail_outbox").unionAll(pending("backchannel_outbox")).execute();
}
