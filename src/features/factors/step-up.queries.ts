// SQL for step-up: the acts held while a person proves their second factor again.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { hasFactor } from "./factors.queries.js";

export async function userHasFactor(db: Kysely<DB>, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom("app_user")
    .select((eb) => hasFactor(eb).as("has"))
    .where("app_user.id", "=", userId)
    .executeTakeFirst();
  return row?.has === true;
}

export async function insertHeldAct(
  db: Kysely<DB>,
  held: {
    tokenHash: Buffer;
    sessionTokenHash: Buffer;
    userId: number;
    act: string;
    url: string;
    body: Record<string, string | string[]>;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto("step_up_request")
    .values({
      token_hash: held.tokenHash,
      session_token_hash: held.sessionTokenHash,
      user_id: held.userId,
      act: held.act,
      url: held.url,
      body: JSON.stringify(held.body),
      created_at: held.now,
      expires_at: held.expiresAt,
    })
    .execute();
}

/** The act held for this session and person, while unused and unexpired. */
export async function findHeldAct(
  db: Kysely<DB>,
  tokenHash: Buffer,
  sessionTokenHash: Buffer,
  userId: number,
  now: Date,
) {
  return db
    .selectFrom("step_up_request")
    .select(["act", "url", "body"])
    .where("token_hash", "=", tokenHash)
    .where("session_token_hash", "=", sessionTokenHash)
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/** Marks the held act used and returns it, in one statement: of two requests, one only gets it. */
export async function takeHeldAct(
  db: Kysely<DB>,
  tokenHash: Buffer,
  sessionTokenHash: Buffer,
  userId: number,
  now: Date,
) {
  return db
    .updateTable("step_up_request")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("session_token_hash", "=", sessionTokenHash)
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["act", "url", "body"])
    .executeTakeFirst();
}

export async function deleteOldHeldActs(db: Kysely<DB>, before: Date): Promise<void> {
  await db.deleteFrom("step_up_request").where("expires_at", "<", before).execute();
}
