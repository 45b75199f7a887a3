// SQL for one-time form keys.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

/**
 * Claims a key inside the caller's transaction. When another transaction holds the same key, PostgreSQL waits
 * for it to end, then reports the key as taken: two racing submissions never both go through.
 */
export async function claimSubmissionKey(
  db: Kysely<DB>,
  key: string,
  userId: number,
  now: Date,
): Promise<boolean> {
  const row = await db
    .insertInto("form_submission")
    .values({ key, user_id: userId, created_at: now })
    .onConflict((oc) => oc.column("key").doNothing())
    .returning("key")
    .executeTakeFirst();
  return row !== undefined;
}

export async function saveSubmissionResult(db: Kysely<DB>, key: string, result: string): Promise<void> {
  await db.updateTable("form_submission").set({ result }).where("key", "=", key).execute();
}

export async function findSubmission(db: Kysely<DB>, key: string, userId: number) {
  return db
    .selectFrom("form_submission")
    .select(["result"])
    .where("key", "=", key)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}
