// Second factors of one's own account: an authenticator app (TOTP) and recovery codes; checking one at sign-in.
import type { Kysely } from "kysely";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import type { UserActor } from "../../policy/actor.js";
import { authorize } from "../../policy/policy.js";
import { hashToken } from "../../util/tokens.js";
import { translator } from "../../web/messages.js";
import { findUserForFactorReset } from "../accounts/accounts.service.js";
import { recordAudit } from "../audit/audit.service.js";
import { endSessionsOf, requireUser } from "../auth/auth.service.js";
import { queueMail } from "../mail/mail.service.js";
import {
  groupsOfFour,
  hashRecoveryCode,
  newRecoveryCode,
  normalizeRecoveryCode,
  normalizeTotpCode,
  openSecret,
  sealSecret,
} from "./factors.crypto.js";
import * as q from "./factors.queries.js";
import { removePasskeysOf } from "./passkeys.queries.js";

/** A secret shown for enrolment must be confirmed within this time. */
export const TOTP_ENROLMENT_MS = 15 * 60_000;
export const RECOVERY_CODE_COUNT = 10;
const TOTP_PERIOD_S = 30;
/** One step of drift either way: a phone's clock a little off, or a code typed as it changed. */
const TOTP_TOLERANCE_S = TOTP_PERIOD_S;
const ISSUER = "Guichet";

export type FactorError =
  | "factors.codeRequired"
  | "factors.codeFormat"
  | "factors.secondFormat"
  | "factors.codeWrong"
  | "factors.recoveryWrong"
  | "factors.codeReused"
  | "factors.enrolmentExpired"
  | "factors.totpAlready"
  | "factors.noFactor"
  | "factors.mustKeep"
  | "passkeys.nameRequired"
  | "passkeys.nameLength"
  | "passkeys.responseMissing"
  | "passkeys.challengeUnknown"
  | "passkeys.origin"
  | "passkeys.counter"
  | "passkeys.refused"
  | "passkeys.unknown"
  | "passkeys.already"
  | "passkeys.notFound";

/** Answers that are slips rather than guesses (nothing typed, a code of the wrong form, a passkey dialog cancelled):
 * refused without counting toward the throttle. */
export const NOT_GUESSES: readonly FactorError[] = [
  "factors.codeRequired",
  "factors.secondFormat",
  "passkeys.responseMissing",
];

export type TotpCheck = { ok: true; step: number } | { ok: false; error: FactorError };

/**
 * Checks a six-digit code against a secret at a time (otplib does the verification); a code of a step at or before
 * `afterStep` is refused as reused, even when it is right.
 */
export async function checkTotp(
  secret: string,
  typed: string,
  now: Date,
  afterStep: number | null,
): Promise<TotpCheck> {
  if (typed.trim() === "") return { ok: false, error: "factors.codeRequired" };
  const token = normalizeTotpCode(typed);
  if (!token) return { ok: false, error: "factors.codeFormat" };
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verify({ secret, token, epoch, epochTolerance: TOTP_TOLERANCE_S });
  if (!result.valid || !("timeStep" in result)) return { ok: false, error: "factors.codeWrong" };
  if (afterStep !== null && result.timeStep <= afterStep) return { ok: false, error: "factors.codeReused" };
  return { ok: true, step: result.timeStep };
}

export type SecurityOverview = {
  /** Whether any factor counts (an app or a passkey): the recovery codes go with it. */
  hasFactor: boolean;
  totp: { confirmedAt: Date; lastUsedAt: Date | null } | null;
  recoveryCodesLeft: number;
  recoveryCodesCreatedAt: Date | null;
};

export async function securityOverview(ctx: Ctx): Promise<SecurityOverview> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  const facts = await q.findSecurityFacts(ctx.db, actor.userId);
  return {
    hasFactor: Number(facts?.apps ?? 0) + Number(facts?.passkeys ?? 0) > 0,
    totp: facts?.totp_confirmed_at
      ? { confirmedAt: facts.totp_confirmed_at, lastUsedAt: facts.totp_last_used_at ?? null }
      : null,
    recoveryCodesLeft: Number(facts?.codes_left ?? 0),
    recoveryCodesCreatedAt: facts?.codes_created_at ?? null,
  };
}

export type Enrolment = {
  /** The secret in groups of four, for typing into an app by hand. */
  secretGroups: string;
  /** The otpauth:// address as a QR code, an SVG image in a data: address. */
  qrCode: string;
  expiresAt: Date;
};

/** Starts adding an authenticator app: a new secret, replacing any enrolment in progress. */
export async function startTotpEnrolment(ctx: Ctx): Promise<void> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  if (await q.findActiveTotp(ctx.db, actor.userId)) return;
  const sealed = sealSecret(ctx.app.mfaKey, actor.userId, generateSecret());
  await ctx.db.transaction().execute((trx) => q.startTotp(trx, actor.userId, sealed, ctx.now));
}

/** The enrolment in progress, while it may still be confirmed; null otherwise. */
export async function currentEnrolment(ctx: Ctx): Promise<Enrolment | null> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  const pending = await q.findPendingTotp(ctx.db, actor.userId);
  if (!pending) return null;
  const expiresAt = new Date(pending.created_at.getTime() + TOTP_ENROLMENT_MS);
  if (ctx.now >= expiresAt) return null;
  const secret = openSecret(ctx.app.mfaKey, actor.userId, pending.secret_ciphertext);
  const uri = generateURI({ issuer: ISSUER, label: actor.userCode, secret });
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return {
    secretGroups: groupsOfFour(secret),
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
    expiresAt,
  };
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] | null } | { ok: false; error: FactorError };

/**
 * Confirms the enrolment with the app's first code: the factor counts from then on. The first factor comes with a set
 * of recovery codes, returned once, here.
 */
export async function confirmTotpEnrolment(
  ctx: Ctx,
  input: { code: string; sessionToken: string | undefined },
): Promise<ConfirmResult> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  if (await q.findActiveTotp(ctx.db, actor.userId)) return { ok: false, error: "factors.totpAlready" };
  const pending = await q.findPendingTotp(ctx.db, actor.userId);
  if (!pending || ctx.now.getTime() >= pending.created_at.getTime() + TOTP_ENROLMENT_MS) {
    return { ok: false, error: "factors.enrolmentExpired" };
  }
  const secret = openSecret(ctx.app.mfaKey, actor.userId, pending.secret_ciphertext);
  const check = await checkTotp(secret, input.code, ctx.now, null);
  if (!check.ok) return check;
  const result = await ctx.db.transaction().execute(async (trx) => {
    if (!(await q.confirmTotp(trx, pending.id, check.step, ctx.now))) {
      return { ok: false, error: "factors.enrolmentExpired" } as const;
    }
    const recoveryCodes = await factorAdded({ ...ctx, db: trx }, actor, input.sessionToken, {
      factor: "totp",
    });
    return { ok: true, recoveryCodes } as const;
  });
  if (result.ok) ctx.app.mailQueued();
  return result;
}

/**
 * What follows a factor added (an app or a passkey), in its transaction: the first one comes with a set of recovery
 * codes (returned once), the session counts as having just proved a factor, no grace period runs any more, and the
 * act is audited and mailed to the owner.
 */
export async function factorAdded(
  ctx: Ctx,
  actor: UserActor,
  sessionToken: string | undefined,
  details: Record<string, unknown>,
): Promise<string[] | null> {
  const codes = await q.countUsableRecoveryCodes(ctx.db, actor.userId);
  const recoveryCodes =
    Number(codes.left) === 0 ? await issueRecoveryCodes(ctx.db, actor.userId, ctx.now) : null;
  if (sessionToken) await q.markSessionFactor(ctx.db, hashToken(sessionToken), ctx.now);
  await q.clearFactorDeadlines(ctx.db, actor.userId);
  await recordAudit(ctx, {
    action: "factor.add",
    organizationId: actor.organizationId,
    targetType: "user",
    targetId: actor.userId,
    details,
  });
  await mailOwner(ctx.db, actor.userId, ctx.now, "added");
  return recoveryCodes;
}

/** Removes the authenticator app; with no factor left, the recovery codes go too. */
export async function removeTotpFactor(ctx: Ctx): Promise<{ ok: true } | { ok: false; error: FactorError }> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  const result = await ctx.db.transaction().execute(async (trx) => {
    if (!(await q.findActiveTotp(trx, actor.userId)))
      return { ok: false, error: "factors.noFactor" } as const;
    // The last factor (app or passkey) may not go when a role needs one.
    const factors = await q.countFactors(trx, actor.userId);
    if (factors <= 1 && (await q.userMustHaveFactor(trx, actor.userId)))
      return { ok: false, error: "factors.mustKeep" } as const;
    await q.removeTotp(trx, actor.userId, ctx.now);
    if (factors <= 1) await q.voidRecoveryCodes(trx, actor.userId, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "factor.remove",
        organizationId: actor.organizationId,
        targetType: "user",
        targetId: actor.userId,
        details: { factor: "totp" },
      },
    );
    await mailOwner(trx, actor.userId, ctx.now, "removed");
    return { ok: true } as const;
  });
  if (result.ok) ctx.app.mailQueued();
  return result;
}

/** A new set of recovery codes, returned once; the codes of the old set stop working. */
export async function regenerateRecoveryCodes(
  ctx: Ctx,
): Promise<{ ok: true; codes: string[] } | { ok: false; error: FactorError }> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  return ctx.db.transaction().execute(async (trx) => {
    if ((await q.countFactors(trx, actor.userId)) === 0)
      return { ok: false, error: "factors.noFactor" } as const;
    const codes = await issueRecoveryCodes(trx, actor.userId, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "factor.recoveryCodes.renew",
        organizationId: actor.organizationId,
        targetType: "user",
        targetId: actor.userId,
      },
    );
    return { ok: true, codes } as const;
  });
}

/**
 * The recovery codes just shown, as a text file: only codes that are the person's and still usable are written, so
 * the file never holds anything the server did not issue to them.
 */
export async function recoveryCodesFile(ctx: Ctx, typed: string[]): Promise<string | null> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.manageFactors", { organizationId: actor.organizationId, userId: actor.userId });
  const candidates = typed.slice(0, RECOVERY_CODE_COUNT).flatMap((code) => {
    const normalized = normalizeRecoveryCode(code);
    return normalized ? [{ code: code.trim().toUpperCase(), hash: hashRecoveryCode(normalized) }] : [];
  });
  const usable = await q.usableRecoveryHashes(
    ctx.db,
    actor.userId,
    candidates.map((c) => c.hash),
  );
  const kept = candidates.filter((c) => usable.some((hash) => hash.equals(c.hash)));
  if (kept.length === 0) return null;
  const t = translator("fr");
  const en = translator("en");
  return [
    t("factors.file.title", { code: actor.userCode }),
    en("factors.file.title", { code: actor.userCode }),
    "",
    ...kept.map((c) => c.code),
    "",
    t("factors.file.hint"),
    en("factors.file.hint"),
    "",
  ].join("\r\n");
}

async function issueRecoveryCodes(db: Kysely<DB>, userId: number, now: Date): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await q.replaceRecoveryCodes(
    db,
    userId,
    codes.map((code) => hashRecoveryCode(normalizeRecoveryCode(code) ?? code)),
    now,
  );
  return codes;
}

export type SecondFactorCheck = { ok: true; method: "otp" | "recovery" } | { ok: false; error: FactorError };

/**
 * The second step of a sign-in: a six-digit code of the person's app, used once, or one of their recovery codes,
 * used once. Two requests racing with the same code cannot both pass: the use is recorded by a conditional update.
 */
/** A person's authenticator app as the second step reads it (null: they have none). */
export type ActiveTotp = { id: number; secret_ciphertext: Buffer; last_step: number | null };

/** app: the person's authenticator app when the caller has read it already (the sign-in's second step has). */
export async function checkSecondFactor(
  db: Kysely<DB>,
  mfaKey: Buffer,
  userId: number,
  typed: string,
  now: Date,
  app?: ActiveTotp | null,
): Promise<SecondFactorCheck> {
  if (typed.trim() === "") return { ok: false, error: "factors.codeRequired" };
  const recovery = normalizeTotpCode(typed) === null ? normalizeRecoveryCode(typed) : null;
  if (recovery === null && normalizeTotpCode(typed) === null)
    return { ok: false, error: "factors.secondFormat" };
  if (recovery) {
    const used = await q.useRecoveryCode(db, userId, hashRecoveryCode(recovery), now);
    return used ? { ok: true, method: "recovery" } : { ok: false, error: "factors.recoveryWrong" };
  }
  const totp = app === undefined ? await q.findActiveTotp(db, userId) : app;
  if (!totp) return { ok: false, error: "factors.noFactor" };
  const secret = openSecret(mfaKey, userId, totp.secret_ciphertext);
  const check = await checkTotp(secret, typed, now, totp.last_step);
  if (!check.ok) return check;
  if (!(await q.useTotpStep(db, totp.id, check.step, now))) return { ok: false, error: "factors.codeReused" };
  return { ok: true, method: "otp" };
}

/**
 * A services officer resets a user's second factors (a lost phone): the app goes, the recovery codes stop working,
 * every session and pending sign-in of the person ends, and the person is told by email at once. Whoever's role
 * needs a factor must add a new one at their next sign-in.
 */
export async function resetUserFactors(
  ctx: Ctx,
  userCode: string,
): Promise<{ userCode: string; email: string }> {
  const { actor, user } = await findUserForFactorReset(ctx, userCode);
  await ctx.db.transaction().execute(async (trx) => {
    const removed =
      (await q.removeTotp(trx, user.id, ctx.now)) + (await removePasskeysOf(trx, user.id, ctx.now));
    await q.voidRecoveryCodes(trx, user.id, ctx.now);
    await endSessionsOf(trx, user.id, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "account.resetFactors",
        organizationId: actor.organizationId,
        targetType: "user",
        targetId: user.id,
        details: { removed },
      },
    );
    await mailOwner(trx, user.id, ctx.now, "reset");
  });
  ctx.app.mailQueued();
  return { userCode: user.user_code, email: user.email };
}

/**
 * Demo data only: every given account whose role needs a second factor gets an authenticator app with this known
 * secret (printed with the demo accounts). Returns the accounts that got one.
 */
export async function giveDemoAuthenticatorApps(
  db: Kysely<DB>,
  mfaKey: Buffer,
  userIds: number[],
  secret: string,
  now: Date,
): Promise<number[]> {
  const needing = await q.usersWhoMustHaveFactor(db, userIds);
  for (const userId of needing)
    await q.insertConfirmedTotp(db, userId, sealSecret(mfaKey, userId, secret), now);
  return needing;
}

/** Tells the account's owner, in their language, that a factor was added or removed, or that codes keep failing. */
export async function mailOwner(
  db: Kysely<DB>,
  userId: number,
  now: Date,
  what: "added" | "removed" | "reset" | "throttled",
): Promise<void> {
  const owner = await q.findOwner(db, userId);
  if (!owner) return;
  const t = translator(owner.locale);
  await queueMail(
    db,
    {
      to: owner.email,
      subject: t(`factors.mail.${what}.subject`),
      text: t(`factors.mail.${what}.body`, {
        name: `${owner.first_name} ${owner.last_name}`,
        code: owner.user_code,
      }),
    },
    now,
  );
}
