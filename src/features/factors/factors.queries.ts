// SQL for second factors: authenticator apps, recovery codes.
import type { ExpressionBuilder, Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

/** Whether the user of the row in scope has a second factor that counts: a confirmed app, or a passkey. */
export function hasFactor(eb: ExpressionBuilder<DB, "app_user">) {
  return eb.or([
    eb.exists(
      eb
        .selectFrom("totp_factor")
        .select("totp_factor.id")
        .whereRef("totp_factor.user_id", "=", "app_user.id")
        .where("totp_factor.confirmed_at", "is not", null)
        .where("totp_factor.removed_at", "is", null),
    ),
    eb.exists(
      eb
        .selectFrom("passkey")
        .select("passkey.id")
        .whereRef("passkey.user_id", "=", "app_user.id")
        .where("passkey.removed_at", "is", null),
    ),
  ]);
}

/** How many factors that count the person has: their app (one at most) and each of their passkeys. */
export async function countFactors(db: Kysely<DB>, userId: number): Promise<number> {
  const row = await factorFacts(db, userId).executeTakeFirst();
  return Number(row?.apps ?? 0) + Number(row?.passkeys ?? 0);
}

/**
 * In one statement, what « Sécurité du compte » shows of the person's factors: their confirmed app (when and last
 * used), the recovery codes left and when they were made, and how many apps and passkeys count.
 */
export async function findSecurityFacts(db: Kysely<DB>, userId: number) {
  return factorFacts(db, userId)
    .select((eb) => [
      activeTotp(eb, userId).select("totp_factor.confirmed_at").as("totp_confirmed_at"),
      activeTotp(eb, userId).select("totp_factor.last_used_at").as("totp_last_used_at"),
      usableRecoveryCodes(eb, userId).select(eb.fn.countAll<number>().as("n")).as("codes_left"),
      usableRecoveryCodes(eb, userId)
        .select((inner) => inner.fn.max("recovery_code.created_at").as("at"))
        .as("codes_created_at"),
    ])
    .executeTakeFirst();
}

function factorFacts(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("app_user")
    .select((eb) => [
      eb
        .selectFrom("totp_factor")
        .select(eb.fn.countAll<number>().as("n"))
        .where("totp_factor.user_id", "=", userId)
        .where("totp_factor.confirmed_at", "is not", null)
        .where("totp_factor.removed_at", "is", null)
        .as("apps"),
      eb
        .selectFrom("passkey")
        .select(eb.fn.countAll<number>().as("n"))
        .where("passkey.user_id", "=", userId)
        .where("passkey.removed_at", "is", null)
        .as("passkeys"),
    ])
    .where("app_user.id", "=", userId);
}

function activeTotp(eb: ExpressionBuilder<DB, "app_user">, userId: number) {
  return eb
    .selectFrom("totp_factor")
    .where("totp_factor.user_id", "=", userId)
    .where("totp_factor.removed_at", "is", null)
    .where("totp_factor.confirmed_at", "is not", null)
    .limit(1);
}

function usableRecoveryCodes(eb: ExpressionBuilder<DB, "app_user">, userId: number) {
  return eb
    .selectFrom("recovery_code")
    .where("recovery_code.user_id", "=", userId)
    .where("recovery_code.used_at", "is", null)
    .where("recovery_code.voided_at", "is", null);
}

/**
 * Whether the user of the row in scope holds a role that needs a second factor: services officer, service
 * administrator, local manager, deputy or agent manager in a service, or staff of a transfer inbox.
 */
export function mustHaveFactor(eb: ExpressionBuilder<DB, "app_user">) {
  return eb.or([
    eb("app_user.is_services_officer", "=", true),
    eb("app_user.is_service_admin", "=", true),
    eb.exists(
      eb
        .selectFrom("service_role")
        .select("service_role.id")
        .whereRef("service_role.user_id", "=", "app_user.id")
        .where("service_role.ended_at", "is", null),
    ),
    eb.exists(
      eb
        .selectFrom("transfer_recipient_staff")
        .select("transfer_recipient_staff.user_id")
        .whereRef("transfer_recipient_staff.user_id", "=", "app_user.id"),
    ),
  ]);
}

/** Whether this person must keep a second factor (their role needs one). */
export async function userMustHaveFactor(db: Kysely<DB>, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom("app_user")
    .select((eb) => mustHaveFactor(eb).as("must"))
    .where("app_user.id", "=", userId)
    .executeTakeFirst();
  return row?.must === true;
}

/** Once a person has a factor, none of their sessions carries a deadline any more. */
export async function clearFactorDeadlines(db: Kysely<DB>, userId: number): Promise<void> {
  await db
    .updateTable("session")
    .set({ factor_deadline: null })
    .where("user_id", "=", userId)
    .where("factor_deadline", "is not", null)
    .execute();
}

export async function findActiveTotp(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("totp_factor")
    .select(["id", "secret_ciphertext", "confirmed_at", "last_step", "last_used_at"])
    .where("user_id", "=", userId)
    .where("removed_at", "is", null)
    .where("confirmed_at", "is not", null)
    .executeTakeFirst();
}

export async function findPendingTotp(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("totp_factor")
    .select(["id", "secret_ciphertext", "created_at"])
    .where("user_id", "=", userId)
    .where("removed_at", "is", null)
    .where("confirmed_at", "is", null)
    .executeTakeFirst();
}

/** Replaces any enrolment in progress by a new one. */
export async function startTotp(db: Kysely<DB>, userId: number, sealed: Buffer, now: Date): Promise<void> {
  await db
    .updateTable("totp_factor")
    .set({ removed_at: now })
    .where("user_id", "=", userId)
    .where("removed_at", "is", null)
    .where("confirmed_at", "is", null)
    .execute();
  await db
    .insertInto("totp_factor")
    .values({ user_id: userId, secret_ciphertext: sealed, created_at: now })
    .execute();
}

/** Confirms an enrolment once; false when it was confirmed or replaced in between. */
export async function confirmTotp(db: Kysely<DB>, id: number, step: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("totp_factor")
    .set({ confirmed_at: now, last_step: step, last_used_at: now })
    .where("id", "=", id)
    .where("confirmed_at", "is", null)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Records that a code of this time step was accepted, only if no code of this step or a later one was: two requests
 * racing with the same code cannot both pass.
 */
export async function useTotpStep(db: Kysely<DB>, id: number, step: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("totp_factor")
    .set({ last_step: step, last_used_at: now })
    .where("id", "=", id)
    .where("removed_at", "is", null)
    .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", step)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function removeTotp(db: Kysely<DB>, userId: number, now: Date): Promise<number> {
  const result = await db
    .updateTable("totp_factor")
    .set({ removed_at: now })
    .where("user_id", "=", userId)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function countUsableRecoveryCodes(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("recovery_code")
    .select((eb) => [eb.fn.countAll<number>().as("left"), eb.fn.max("created_at").as("created_at")])
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("voided_at", "is", null)
    .executeTakeFirstOrThrow();
}

/** Voids the codes still usable and stores the hashes of a new set. */
export async function replaceRecoveryCodes(
  db: Kysely<DB>,
  userId: number,
  hashes: Buffer[],
  now: Date,
): Promise<void> {
  await voidRecoveryCodes(db, userId, now);
  await db
    .insertInto("recovery_code")
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now })))
    .execute();
}

export async function voidRecoveryCodes(db: Kysely<DB>, userId: number, now: Date): Promise<void> {
  await db
    .updateTable("recovery_code")
    .set({ voided_at: now })
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("voided_at", "is", null)
    .execute();
}

/** Uses a recovery code once: false when it is unknown, voided, or already used (even by a racing request). */
export async function useRecoveryCode(
  db: Kysely<DB>,
  userId: number,
  hash: Buffer,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("recovery_code")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("code_hash", "=", hash)
    .where("used_at", "is", null)
    .where("voided_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The codes among these that are the user's and still usable (to give back, as a file, a set just shown). */
export async function usableRecoveryHashes(
  db: Kysely<DB>,
  userId: number,
  hashes: Buffer[],
): Promise<Buffer[]> {
  if (hashes.length === 0) return [];
  const rows = await db
    .selectFrom("recovery_code")
    .select("code_hash")
    .where("user_id", "=", userId)
    .where("code_hash", "in", hashes)
    .where("used_at", "is", null)
    .where("voided_at", "is", null)
    .execute();
  return rows.map((r) => r.code_hash);
}

/** Marks the person's current session as having proved a second factor now. */
export async function markSessionFactor(db: Kysely<DB>, sessionHash: Buffer, now: Date): Promise<void> {
  await db.updateTable("session").set({ factor_at: now }).where("token_hash", "=", sessionHash).execute();
}

export async function findOwner(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("app_user")
    .select(["email", "first_name", "last_name", "user_code", "locale"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

/** Of these users, those whose role needs a second factor. */
export async function usersWhoMustHaveFactor(db: Kysely<DB>, userIds: number[]): Promise<number[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom("app_user")
    .select("app_user.id")
    .where("app_user.id", "in", userIds)
    .where((eb) => mustHaveFactor(eb))
    .execute();
  return rows.map((r) => r.id);
}

/** An authenticator app already confirmed (a known secret, for demo accounts only). */
export async function insertConfirmedTotp(
  db: Kysely<DB>,
  userId: number,
  sealed: Buffer,
  now: Date,
): Promise<void> {
  await db
    .insertInto("totp_factor")
    .values({ user_id: userId, secret_ciphertext: sealed, created_at: now, confirmed_at: now })
    .execute();
}
