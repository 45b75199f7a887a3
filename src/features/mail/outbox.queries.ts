// SQL for the mail outbox: rows are written with the change that causes them and claimed by the worker.
import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema.js";

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

/** Claims due mails for a while, so that two workers never send the same one at once. */
export async function claimDueMails(db: Kysely<DB>, now: Date, leaseMs: number, limit: number) {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return db
    .updateTable("mail_outbox")
    .set({ locked_until: leaseUntil })
    .where(
      "id",
      "in",
      db
        .selectFrom("mail_outbox")
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
    .returning(["id", "to_address", "subject", "text_body", "attempts", "created_at"])
    .execute();
}

export async function markMailSent(db: Kysely<DB>, id: number, now: Date): Promise<void> {
  await db
    .updateTable("mail_outbox")
    .set({ sent_at: now, locked_until: null, attempts: sql`attempts + 1` })
    .where("id", "=", id)
    .execute();
}

export async function markMailAttemptFailed(
  db: Kysely<DB>,
  id: number,
  error: string,
  nextAttemptAt: Date | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable("mail_outbox")
    .set({
      attempts: sql`attempts + 1`,
      last_error: error.slice(0, 1000),
      locked_until: null,
      ...(nextAttemptAt ? { next_attempt_at: nextAttemptAt } : { failed_at: now }),
    })
    .where("id", "=", id)
    .execute();
}

export async function findOutboxMails(db: Kysely<DB>, filter: { to?: string } = {}) {
  let query = db.selectFrom("mail_outbox").selectAll().orderBy("id");
  if (filter.to) query = query.where("to_address", "=", filter.to);
  return query.execute();
}
