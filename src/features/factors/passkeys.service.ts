// Passkeys (WebAuthn) of one's own account: registering, removing, and checking an assertion (@simplewebauthn/server
// verifies every ceremony; this file only finds the challenge, the credential and its owner, and records the use).
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { Kysely } from "kysely";
import type { Ctx } from "../../context.js";
import type { DB, WebauthnPurpose } from "../../db/schema.js";
import { authorize } from "../../policy/policy.js";
import { hashToken } from "../../util/tokens.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import * as fq from "./factors.queries.js";
import { type FactorError, factorAdded, mailOwner } from "./factors.service.js";
import * as q from "./passkeys.queries.js";

/** A ceremony must be answered within this time: long enough for a PIN or a fingerprint, short for a replay. */
export const CHALLENGE_MS = 5 * 60_000;
export const PASSKEY_NAME_MAX = 60;

export type PasskeyError = Extract<FactorError, `passkeys.${string}`>;

/**
 * RFC 8176 names: « hwk » is a proof of possession of a hardware-secured key, « swk » of a software-secured one. A
 * single-device credential never leaves its authenticator (a security key, a platform's secure element): hwk. A
 * multi-device (backup-eligible) credential is synced by a provider's cloud, so the key exists outside any one piece of
 * hardware: swk, whatever the authenticator it was used from. Backup eligibility is fixed at creation, so the kind
 * stored then is the one that counts.
 */
export function amrOfPasskey(deviceType: "singleDevice" | "multiDevice"): "hwk" | "swk" {
  return deviceType === "singleDevice" ? "hwk" : "swk";
}

/** The relying party: its id is PUBLIC_URL's host name, and the only origin accepted is PUBLIC_URL's own. */
function relyingParty(publicUrl: string): { rpID: string; origin: string } {
  const url = new URL(publicUrl);
  return { rpID: url.hostname, origin: url.origin };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, name: string): string | null {
  const value = record[name];
  return typeof value === "string" && value !== "" ? value : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The challenge the browser signed, read from the client data (the library checks it against the stored one). */
function challengeOf(clientDataJSON: string): string | null {
  const data = parseJson(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
  return isRecord(data) ? stringField(data, "challenge") : null;
}

/** The browser's credential.toJSON() of a registration, as posted; null when it is not of that shape. */
function parseRegistration(text: string): RegistrationResponseJSON | null {
  const value = parseJson(text);
  if (!isRecord(value) || !isRecord(value.response) || value.type !== "public-key") return null;
  const id = stringField(value, "id");
  const rawId = stringField(value, "rawId");
  const clientDataJSON = stringField(value.response, "clientDataJSON");
  const attestationObject = stringField(value.response, "attestationObject");
  if (!id || !rawId || !clientDataJSON || !attestationObject) return null;
  const transports = Array.isArray(value.response.transports)
    ? value.response.transports.filter((t): t is string => typeof t === "string")
    : [];
  return {
    id,
    rawId,
    type: "public-key",
    clientExtensionResults: {},
    response: { clientDataJSON, attestationObject, transports },
  };
}

/** The browser's credential.toJSON() of an assertion, as posted; null when it is not of that shape. */
function parseAssertion(text: string): AuthenticationResponseJSON | null {
  const value = parseJson(text);
  if (!isRecord(value) || !isRecord(value.response) || value.type !== "public-key") return null;
  const id = stringField(value, "id");
  const rawId = stringField(value, "rawId");
  const clientDataJSON = stringField(value.response, "clientDataJSON");
  const authenticatorData = stringField(value.response, "authenticatorData");
  const signature = stringField(value.response, "signature");
  if (!id || !rawId || !clientDataJSON || !authenticatorData || !signature) return null;
  const userHandle = stringField(value.response, "userHandle");
  return {
    id,
    rawId,
    type: "public-key",
    clientExtensionResults: {},
    response: { clientDataJSON, authenticatorData, signature, ...(userHandle ? { userHandle } : {}) },
  };
}

/** The library's refusal, named for the person and the audit log: another origin, a counter that went back, or else. */
function refusalOf(error: unknown): PasskeyError {
  const message = error instanceof Error ? error.message : "";
  if (/origin/i.test(message)) return "passkeys.origin";
  if (/counter/i.test(message)) return "passkeys.counter";
  return "passkeys.refused";
}

export type PasskeyRow = { id: number; name: string; createdAt: Date; lastUsedAt: Date | null };

export async function hasPasskeys(db: Kysely<DB>, userId: number): Promise<boolean> {
  return (await q.listPasskeys(db, userId)).length > 0;
}

export async function ownPasskeys(ctx: Ctx): Promise<PasskeyRow[]> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  const rows = await q.listPasskeys(ctx.db, actor.userId);
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

async function newChallenge(
  db: Kysely<DB>,
  now: Date,
  challenge: string,
  purpose: WebauthnPurpose,
  userId: number | null,
  bindingHash: Buffer | null,
): Promise<void> {
  await q.insertChallenge(db, {
    challenge,
    purpose,
    userId,
    bindingHash,
    now,
    expiresAt: new Date(now.getTime() + CHALLENGE_MS),
  });
}

/** Options for navigator.credentials.create: a discoverable credential, with user verification, bound to the session. */
export async function registrationOptions(
  ctx: Ctx,
  sessionToken: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  const { rpID } = relyingParty(ctx.app.publicUrl);
  const existing = await q.listPasskeys(ctx.db, actor.userId);
  const options = await generateRegistrationOptions({
    rpName: "Guichet",
    rpID,
    userName: actor.userCode,
    userDisplayName: `${actor.firstName} ${actor.lastName}`.trim() || actor.userCode,
    attestationType: "none",
    // The same authenticator twice would be one key under two names.
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  await newChallenge(ctx.db, ctx.now, options.challenge, "register", actor.userId, hashToken(sessionToken));
  return options;
}

export function checkPasskeyName(typed: string): PasskeyError | null {
  const name = typed.trim();
  if (name === "") return "passkeys.nameRequired";
  if ([...name].length > PASSKEY_NAME_MAX) return "passkeys.nameLength";
  return null;
}

export type RegisterResult =
  | { ok: true; recoveryCodes: string[] | null }
  | { ok: false; error: PasskeyError | FactorError };

/**
 * Registers the passkey the browser created for the challenge of this session. The first factor comes with a set of
 * recovery codes, returned once, here.
 */
export async function registerPasskey(
  ctx: Ctx,
  input: { sessionToken: string | undefined; name: string; credential: string },
): Promise<RegisterResult> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  const nameError = checkPasskeyName(input.name);
  if (nameError) return { ok: false, error: nameError };
  const response = parseRegistration(input.credential);
  const challenge = response ? challengeOf(response.response.clientDataJSON) : null;
  if (!response || !challenge || !input.sessionToken) return { ok: false, error: "passkeys.responseMissing" };
  const taken = await q.takeChallenge(ctx.db, {
    challenge,
    purpose: "register",
    bindingHash: hashToken(input.sessionToken),
    now: ctx.now,
  });
  const audit = {
    action: "factor.add",
    organizationId: actor.organizationId,
    targetType: "user",
    targetId: actor.userId,
  };
  const refuse = async (error: PasskeyError) => {
    await recordAudit(ctx, { ...audit, outcome: "failure", reason: error, details: { factor: "passkey" } });
    return { ok: false, error } as const;
  };
  if (!taken || taken.user_id !== actor.userId) return refuse("passkeys.challengeUnknown");
  const { rpID, origin } = relyingParty(ctx.app.publicUrl);
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
  } catch (error) {
    return refuse(refusalOf(error));
  }
  if (!verified.verified) return refuse("passkeys.refused");
  const info = verified.registrationInfo;
  if (await q.credentialIdTaken(ctx.db, info.credential.id)) return refuse("passkeys.already");
  const name = input.name.trim();
  const result = await ctx.db.transaction().execute(async (trx) => {
    await q.insertPasskey(trx, {
      userId: actor.userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      signCount: info.credential.counter,
      transports: info.credential.transports ?? response.response.transports ?? [],
      name,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      now: ctx.now,
    });
    // Creating the passkey asked for user verification on the authenticator: the session has just proved a factor.
    const recoveryCodes = await factorAdded({ ...ctx, db: trx }, actor, input.sessionToken, {
      factor: "passkey",
      name,
      deviceType: info.credentialDeviceType,
    });
    return { ok: true, recoveryCodes } as const;
  });
  ctx.app.mailQueued();
  return result;
}

/** Removes one of one's passkeys; with no factor left, the recovery codes go too. */
export async function removeOwnPasskey(
  ctx: Ctx,
  passkeyId: number,
): Promise<{ ok: true; name: string } | { ok: false; error: PasskeyError | FactorError }> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  const result = await ctx.db.transaction().execute(async (trx) => {
    const owned = (await q.listPasskeys(trx, actor.userId)).some((p) => p.id === passkeyId);
    if (!owned) return { ok: false, error: "passkeys.notFound" } as const;
    const factors = await fq.countFactors(trx, actor.userId);
    if (factors <= 1 && (await fq.userMustHaveFactor(trx, actor.userId)))
      return { ok: false, error: "factors.mustKeep" } as const;
    const removed = await q.removePasskey(trx, actor.userId, passkeyId, ctx.now);
    if (!removed) return { ok: false, error: "passkeys.notFound" } as const;
    if (factors <= 1) await fq.voidRecoveryCodes(trx, actor.userId, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "factor.remove",
        organizationId: actor.organizationId,
        targetType: "user",
        targetId: actor.userId,
        details: { factor: "passkey", name: removed.name },
      },
    );
    await mailOwner(trx, actor.userId, ctx.now, "removed");
    return { ok: true, name: removed.name } as const;
  });
  if (result.ok) ctx.app.mailQueued();
  return result;
}

/**
 * Options for navigator.credentials.get. With a user (the second step of a sign-in, a step-up), only their passkeys
 * are allowed; without one (the first page), the list is empty and the authenticator offers its discoverable
 * credentials for this site.
 */
export async function assertionOptions(
  db: Kysely<DB>,
  at: { now: Date; publicUrl: string },
  ceremony: { purpose: WebauthnPurpose; userId: number | null; bindingHash: Buffer | null },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { rpID } = relyingParty(at.publicUrl);
  const allowed = ceremony.userId === null ? [] : await q.listPasskeys(db, ceremony.userId);
  const options = await generateAuthenticationOptions({
    rpID,
    allowCredentials: allowed.map((p) => ({ id: p.credential_id, transports: p.transports })),
    userVerification: "required",
  });
  await newChallenge(db, at.now, options.challenge, ceremony.purpose, ceremony.userId, ceremony.bindingHash);
  return options;
}

/** The passkey's owner, when the credential is known: a failure counts against their account too. */
type Owner = { userId: number; userCode: string } | null;

export type AssertionCheck =
  | { ok: true; userId: number; userCode: string; method: "hwk" | "swk"; passkeyId: number }
  | { ok: false; error: PasskeyError; owner: Owner };

/**
 * Checks an assertion for a ceremony: its challenge is taken once (a replay finds it used), the credential must be a
 * passkey in use and, when the ceremony names a user, theirs; then the library checks origin, relying party, user
 * verification, signature and counter. The use is recorded only if the counter did not move meanwhile.
 */
export async function checkPasskeyAssertion(
  db: Kysely<DB>,
  at: { now: Date; publicUrl: string },
  ceremony: {
    purpose: WebauthnPurpose;
    userId: number | null;
    bindingHash: Buffer | null;
    credential: string;
  },
): Promise<AssertionCheck> {
  const response = parseAssertion(ceremony.credential);
  const challenge = response ? challengeOf(response.response.clientDataJSON) : null;
  if (!response || !challenge) return { ok: false, error: "passkeys.responseMissing", owner: null };
  const taken = await q.takeChallenge(db, {
    challenge,
    purpose: ceremony.purpose,
    bindingHash: ceremony.bindingHash,
    now: at.now,
  });
  if (!taken || taken.user_id !== ceremony.userId)
    return { ok: false, error: "passkeys.challengeUnknown", owner: null };
  const passkey = await q.findPasskeyByCredential(db, response.id);
  // Another person's passkey, at this person's step, is refused like an unknown one: it never signs them in.
  if (!passkey || (ceremony.userId !== null && passkey.user_id !== ceremony.userId))
    return { ok: false, error: "passkeys.unknown", owner: null };
  const owner = { userId: passkey.user_id, userCode: passkey.user_code };
  const { rpID, origin } = relyingParty(at.publicUrl);
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(passkey.public_key),
        counter: passkey.sign_count,
        transports: passkey.transports,
      },
    });
  } catch (error) {
    return { ok: false, error: refusalOf(error), owner };
  }
  if (!verified.verified) return { ok: false, error: "passkeys.refused", owner };
  const info = verified.authenticationInfo;
  const used = await q.usePasskey(
    db,
    passkey.id,
    passkey.sign_count,
    info.newCounter,
    info.credentialBackedUp,
    at.now,
  );
  if (!used) return { ok: false, error: "passkeys.counter", owner };
  return {
    ok: true,
    userId: passkey.user_id,
    userCode: passkey.user_code,
    method: amrOfPasskey(passkey.device_type),
    passkeyId: passkey.id,
  };
}
