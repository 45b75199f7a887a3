// The OpenID Provider's signing keys: made on first start, kept sealed in the database, rotated by a command.
import { createHash, generateKeyPair, type JsonWebKey } from "node:crypto";
import { promisify } from "node:util";
import type { Kysely } from "kysely";
import type { JWK } from "oidc-provider";
import type { DB, OidcSigningAlgorithm } from "../../db/schema.js";
import { seal, unseal } from "../factors/factors.crypto.js";

/**
 * The lifetimes the provider is to be configured with (ttl.IdToken, ttl.AccessToken); the signed token that lives
 * longest bounds how long a retired key must still verify.
 */
export const ID_TOKEN_TTL_SECONDS = 3600;
export const ACCESS_TOKEN_TTL_SECONDS = 3600;

/**
 * How long a retired key stays in the JWKS: far past the longest-lived signed token (an hour), because a relying
 * service may still send an expired ID token as id_token_hint to sign out, and caches the JWKS for a while.
 */
export const RETIRED_KEY_KEEP_MS = 24 * 3_600_000;

/**
 * ES256 is the one Guichet prefers; RS256 is there because OpenID Connect makes it the default that a client who
 * names no algorithm gets (oidc-provider's id_token_signed_response_alg defaults to it, and without an RSA key it
 * refuses such a client as invalid_client_metadata).
 */
export const SIGNING_ALGORITHMS: readonly OidcSigningAlgorithm[] = ["ES256", "RS256"];

/** 2048 bits: the size NIST keeps acceptable until 2030, and what relying parties everywhere accept. */
const RSA_MODULUS_BITS = 2048;

export type NewSigningKey = { kid: string; algorithm: OidcSigningAlgorithm };

/** oidc-provider's `jwks` option: private JWKs, the provider publishes only their public parts. */
export type SigningJwks = { keys: JWK[] };

const generate = promisify(generateKeyPair);

/** The sealed JWK is bound to its kid and purpose: copied to another row, or into a factor's column, it does not open. */
function purposeOf(kid: string): string {
  return `guichet:oidc-signing-key:${kid}`;
}

/** RFC 7638 thumbprint: a kid that names the public key itself, so two keys can never share one. */
function thumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === "RSA"
      ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash("sha256").update(JSON.stringify(members)).digest("base64url");
}

/** A fresh private key as a JWK; generated off the main thread, as an RSA key takes a noticeable moment. */
async function newPrivateJwk(algorithm: OidcSigningAlgorithm): Promise<JWK & { kid: string }> {
  const { privateKey } =
    algorithm === "ES256"
      ? await generate("ec", { namedCurve: "P-256" })
      : await generate("rsa", { modulusLength: RSA_MODULUS_BITS });
  const jwk = privateKey.export({ format: "jwk" });
  return { ...jwk, kid: thumbprint(jwk), alg: algorithm, use: "sig" };
}

async function newKeyRow(key: Buffer, algorithm: OidcSigningAlgorithm, now: Date) {
  const jwk = await newPrivateJwk(algorithm);
  return {
    kid: jwk.kid,
    algorithm,
    private_jwk_ciphertext: seal(key, purposeOf(jwk.kid), JSON.stringify(jwk)),
    created_at: now,
    activated_at: now,
  };
}

/**
 * Makes the active keys that are missing (all of them on a first start). Servers starting together each make theirs,
 * and the database keeps the first of each algorithm (a unique index on the active ones): never two active sets.
 * Returns the keys this call made.
 */
export async function ensureSigningKeys(db: Kysely<DB>, key: Buffer, now: Date): Promise<NewSigningKey[]> {
  const active = await db
    .selectFrom("oidc_signing_key")
    .select("algorithm")
    .where("retired_at", "is", null)
    .execute();
  const missing = SIGNING_ALGORITHMS.filter(
    (algorithm) => !active.some((row) => row.algorithm === algorithm),
  );
  if (missing.length === 0) return [];
  const rows = await Promise.all(missing.map((algorithm) => newKeyRow(key, algorithm, now)));
  return db
    .insertInto("oidc_signing_key")
    .values(rows)
    .onConflict((oc) => oc.column("algorithm").where("retired_at", "is", null).doNothing())
    .returning(["kid", "algorithm"])
    .execute();
}

/**
 * A new key of each algorithm becomes active; the active ones are retired (they sign no more) and kept for
 * verification until keepForMs from now. Keys already past that are deleted. Two rotations at once cannot leave two
 * active keys of one algorithm: the later one fails on the unique index and changes nothing.
 */
export async function rotateSigningKeys(
  db: Kysely<DB>,
  key: Buffer,
  now: Date,
  keepForMs: number = RETIRED_KEY_KEEP_MS,
): Promise<NewSigningKey[]> {
  if (!Number.isFinite(keepForMs) || keepForMs < 0) throw new RangeError("keepForMs must be a duration");
  const rows = await Promise.all(SIGNING_ALGORITHMS.map((algorithm) => newKeyRow(key, algorithm, now)));
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom("oidc_signing_key").where("forget_after", "<=", now).execute();
    await trx
      .updateTable("oidc_signing_key")
      .set({ retired_at: now, forget_after: new Date(now.getTime() + keepForMs) })
      .where("retired_at", "is", null)
      .execute();
    return trx.insertInto("oidc_signing_key").values(rows).returning(["kid", "algorithm"]).execute();
  });
}

/** The sealed JWK read back; it was sealed by Guichet and authenticated on opening, so only its shape is checked. */
function privateJwkOf(key: Buffer, kid: string, sealed: Buffer): JWK {
  let opened: string;
  try {
    opened = unseal(key, purposeOf(kid), sealed);
  } catch {
    // Another MFA_ENCRYPTION_KEY than the one that sealed it, or bytes changed or moved from another row.
    throw new Error(`signing key ${kid} does not open with this MFA_ENCRYPTION_KEY`);
  }
  const parsed: unknown = JSON.parse(opened);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`signing key ${kid} is not a JWK`);
  }
  const jwk: JWK = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === "string") Object.assign(jwk, { [name]: value });
  }
  if (jwk.kid !== kid) throw new Error(`signing key ${kid} names another kid`);
  return jwk;
}

/**
 * The key set for oidc-provider's `jwks` option, private parts included (the provider publishes only the public
 * ones). The active keys come first; the retired ones still within their keeping time follow, limited to verifying
 * (key_ops), so the provider never signs with them but still accepts, and publishes, what they signed.
 */
export async function loadSigningJwks(db: Kysely<DB>, key: Buffer, now: Date): Promise<SigningJwks> {
  const rows = await db
    .selectFrom("oidc_signing_key")
    .select(["kid", "private_jwk_ciphertext", "retired_at"])
    .where((eb) => eb.or([eb("retired_at", "is", null), eb("forget_after", ">", now)]))
    .orderBy("retired_at", (ob) => ob.desc().nullsFirst())
    .orderBy("algorithm")
    .execute();
  return {
    keys: rows.map((row) => {
      const jwk = privateJwkOf(key, row.kid, row.private_jwk_ciphertext);
      return row.retired_at === null ? jwk : { ...jwk, key_ops: ["verify"] };
    }),
  };
}

/** What a server starts the provider with: the keys made if there are none yet, then the whole set. */
export async function prepareSigningJwks(db: Kysely<DB>, key: Buffer, now: Date): Promise<SigningJwks> {
  await ensureSigningKeys(db, key, now);
  return loadSigningJwks(db, key, now);
}
