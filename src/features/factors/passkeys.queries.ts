// SQL for passkeys (WebAuthn) and the single-use challenges of their ceremonies.
import type { Kysely } from "kysely";
import type { DB, WebauthnPurpose } from "../../db/schema.js";

export async function listPasskeys(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("passkey")
    .select(["id", "credential_id", "name", "transports", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .where("removed_at", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** A passkey in use, by its credential id, whoever it belongs to (the caller compares the owner). */
export async function findPasskeyByCredential(db: Kysely<DB>, credentialId: string) {
  return db
    .selectFrom("passkey")
    .innerJoin("app_user", "app_user.id", "passkey.user_id")
    .select([
      "passkey.id",
      "passkey.user_id",
      "app_user.user_code",
      "passkey.credential_id",
      "passkey.public_key",
      "passkey.sign_count",
      "passkey.transports",
      "passkey.device_type",
      "passkey.backed_up",
    ])
    .where("passkey.credential_id", "=", credentialId)
    .where("passkey.removed_at", "is", null)
    .executeTakeFirst();
}

/** Whether a credential id was ever registered (removed passkeys included: an id never changes owner). */
export async function credentialIdTaken(db: Kysely<DB>, credentialId: string): Promise<boolean> {
  const row = await db
    .selectFrom("passkey")
    .select("id")
    .where("credential_id", "=", credentialId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertPasskey(
  db: Kysely<DB>,
  passkey: {
    userId: number;
    credentialId: string;
    publicKey: Buffer;
    signCount: number;
    transports: string[];
    name: string;
    deviceType: "singleDevice" | "multiDevice";
    backedUp: boolean;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto("passkey")
    .values({
      user_id: passkey.userId,
      credential_id: passkey.credentialId,
      public_key: passkey.publicKey,
      sign_count: passkey.signCount,
      transports: passkey.transports,
      name: passkey.name,
      device_type: passkey.deviceType,
      backed_up: passkey.backedUp,
      created_at: passkey.now,
    })
    .execute();
}

/**
 * Records a signature: only if the counter seen is still the one checked, so two requests racing with the same
 * signature (or a clone) cannot both pass.
 */
export async function usePasskey(
  db: Kysely<DB>,
  id: number,
  checkedCount: number,
  newCount: number,
  backedUp: boolean,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("passkey")
    .set({ sign_count: newCount, backed_up: backedUp, last_used_at: now })
    .where("id", "=", id)
    .where("sign_count", "=", checkedCount)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function removePasskey(db: Kysely<DB>, userId: number, id: number, now: Date) {
  return db
    .updateTable("passkey")
    .set({ removed_at: now })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("removed_at", "is", null)
    .returning(["name"])
    .executeTakeFirst();
}

export async function removePasskeysOf(db: Kysely<DB>, userId: number, now: Date): Promise<number> {
  const result = await db
    .updateTable("passkey")
    .set({ removed_at: now })
    .where("user_id", "=", userId)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertChallenge(
  db: Kysely<DB>,
  challenge: {
    challenge: string;
    purpose: WebauthnPurpose;
    userId: number | null;
    bindingHash: Buffer | null;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto("webauthn_challenge")
    .values({
      challenge: challenge.challenge,
      purpose: challenge.purpose,
      user_id: challenge.userId,
      binding_hash: challenge.bindingHash,
      created_at: challenge.now,
      expires_at: challenge.expiresAt,
    })
    .execute();
  // Challenges nobody answered are of no use once expired: each new one sweeps a few away.
  await db.deleteFrom("webauthn_challenge").where("expires_at", "<", challenge.now).execute();
}

/**
 * Takes a challenge once, for this purpose and binding, while it is valid: a second answer to it (a replay, or two
 * racing requests) finds nothing.
 */
export async function takeChallenge(
  db: Kysely<DB>,
  taken: { challenge: string; purpose: WebauthnPurpose; bindingHash: Buffer | null; now: Date },
) {
  let query = db
    .updateTable("webauthn_challenge")
    .set({ used_at: taken.now })
    .where("challenge", "=", taken.challenge)
    .where("purpose", "=", taken.purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", taken.now);
  query =
    taken.bindingHash === null
      ? query.where("binding_hash", "is", null)
      : query.where("binding_hash", "=", taken.bindingHash);
  return query.returning(["user_id"]).executeTakeFirst();
}
