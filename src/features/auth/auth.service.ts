// Sign-in, sessions, one-time links and password changes.
import type { Kysely } from "kysely";
import type { Ctx } from "../../context.js";
import type { ReadCache } from "../../db/read-cache.js";
import type { DB, OrganizationKind } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { Actor, UserActor } from "../../policy/actor.js";
import { authorize } from "../../policy/policy.js";
import { hashToken, looksLikeToken, newToken } from "../../util/tokens.js";
import { auditEntry, recordAudit } from "../audit/audit.service.js";
import { checkSecondFactor, type FactorError, mailOwner, NOT_GUESSES } from "../factors/factors.service.js";
import { assertionOptions, checkPasskeyAssertion, hasPasskeys } from "../factors/passkeys.service.js";
import { endProviderSessionsOf } from "../federation/backchannel.js";
import * as q from "./auth.queries.js";
import { checkPassword, type PasswordProblem } from "./password-policy.js";
import { remainingWait } from "./throttle.js";

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 12 * 60 * 60_000;
export const ACCOUNT_LINK_MS = 72 * 60 * 60_000;
/** How long the second step of a sign-in waits for its code. */
export const PENDING_SIGN_IN_MS = 10 * 60_000;
/** The last-seen time is written at most this often, so that reading pages does not write each time. */
const TOUCH_EVERY_MS = 60_000;

export const USER_CODE_PATTERN = /^[A-Za-z0-9]{7}$/;

export type SignInInput = {
  userCode: string;
  password: string;
  deviceToken: string | undefined;
  /** Where to go once signed in; kept across the second step. */
  returnTo: string;
};
export type SignInResult =
  | { ok: true; next: "session"; sessionToken: string; deviceToken: string }
  /** The password was right and the account has a second factor: the sign-in waits for its code. */
  | { ok: true; next: "factor"; pendingToken: string; deviceToken: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

type ThrottleWindows = Awaited<ReturnType<typeof q.countFailureWindows>>;

/** How long an attempt must still wait, from the failures of the account and of the address. */
function throttleWait(ctx: Ctx, windows: ThrottleWindows, deviceKnown: boolean): number {
  const { throttle } = ctx.app;
  const accountWait = remainingWait(windows.account, throttle.accountThreshold, throttle.maxDelayMs, ctx.now);
  // A browser the account signed in from before is spared the address's count: someone guessing behind
  // the same address (an office router) must not keep the real user out. Its own failures still count,
  // apart, against the account.
  const addressWait = deviceKnown
    ? 0
    : remainingWait(windows.address, throttle.addressThreshold, throttle.maxDelayMs, ctx.now);
  return Math.max(accountWait, addressWait);
}

export async function signIn(ctx: Ctx, input: SignInInput): Promise<SignInResult> {
  const userCode = input.userCode.trim().toUpperCase();
  const ip = ctx.ip ?? "unknown";
  const { throttle } = ctx.app;
  const since = new Date(ctx.now.getTime() - throttle.windowMs);
  const deviceHash = looksLikeToken(input.deviceToken) ? hashToken(input.deviceToken) : null;
  const { user, failures } = await q.findSignInAttempt(ctx.db, {
    userCode,
    deviceTokenHash: deviceHash,
    ip,
    since,
  });
  const deviceKnown = user?.device_known === true;
  const windows = q.failureWindows(failures, deviceKnown);
  const waitMs = throttleWait(ctx, windows, deviceKnown);
  if (waitMs > 0) {
    await recordAudit(ctx, {
      action: "auth.signIn",
      outcome: "denied",
      reason: "throttled",
      organizationId: user?.organization_id ?? null,
      subjectUserId: user?.id ?? null,
      targetType: "user_code",
      targetId: userCode,
    });
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(waitMs / 1000) };
  }

  let failure: string | null = null;
  if (!user) failure = "unknown_user";
  else if (user.disabled_at) failure = "disabled";
  else if (!user.password_hash) failure = "not_activated";
  const passwordOk =
    user?.password_hash && failure === null
      ? await ctx.app.hasher.verify(user.password_hash, input.password)
      : await ctx.app.hasher.verifyNothing(input.password);
  if (!passwordOk || !user) {
    await ctx.db.transaction().execute(async (trx) => {
      await q.insertSignInFailure(trx, { userCode, ip, deviceKnown, at: ctx.now });
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "auth.signIn",
          outcome: "failure",
          reason: failure ?? "wrong_password",
          organizationId: user?.organization_id ?? null,
          subjectUserId: user?.id ?? null,
          targetType: "user_code",
          targetId: userCode,
        },
      );
    });
    ctx.app.signInFailed("password");
    return { ok: false, reason: "invalid" };
  }

  const deviceToken = looksLikeToken(input.deviceToken) && deviceKnown ? input.deviceToken : newToken();
  if (user.has_factor) {
    const pendingToken = newToken();
    await q.insertPendingSignIn(
      ctx.db,
      {
        tokenHash: hashToken(pendingToken),
        userId: user.id,
        deviceTokenHash: hashToken(deviceToken),
        returnTo: input.returnTo,
        now: ctx.now,
        expiresAt: new Date(ctx.now.getTime() + PENDING_SIGN_IN_MS),
      },
      auditEntry(ctx, {
        action: "auth.password",
        organizationId: user.organization_id,
        targetType: "user",
        targetId: user.id,
        actedBy: { userId: user.id, userCode: user.user_code },
      }),
    );
    return { ok: true, next: "factor", pendingToken, deviceToken };
  }
  const factorDeadline = user.must_have_factor === true ? await graceDeadline(ctx, user) : null;
  const sessionToken = await openSessionOf(ctx, user, hashToken(deviceToken), ["pwd"], { factorDeadline });
  return { ok: true, next: "session", sessionToken, deviceToken };
}

/**
 * Opens a session, however the person proved who they are (a password alone, a second step, a passkey from the first
 * page): a new token, the session with its amr, the browser remembered, and the audit entry, in one statement. Null
 * when the source was a pending sign-in already ended.
 */
async function openSessionFor(
  ctx: Ctx,
  user: { id: number; user_code: string; organization_id: number },
  source: q.SessionSource,
  amr: string[],
  options: { factorDeadline?: Date | null; details?: Record<string, unknown> } = {},
): Promise<string | null> {
  const sessionToken = newToken();
  const opened = await q.openSession(
    ctx.db,
    source,
    sessionRow(ctx, sessionToken, amr, options.factorDeadline ?? null),
    signInAudit(ctx, user, amr, options.details),
  );
  return opened ? sessionToken : null;
}

/**
 * Someone whose role needs a second factor and who has none may go on without one until the end of a grace period,
 * counted from the first sign-in that found it so.
 */
async function graceDeadline(
  ctx: Ctx,
  user: { id: number; factor_grace_started_at: Date | null },
): Promise<Date> {
  if (!user.factor_grace_started_at) await q.startFactorGrace(ctx.db, user.id, ctx.now);
  const started = user.factor_grace_started_at ?? ctx.now;
  return new Date(started.getTime() + ctx.app.factorGraceMs);
}

/** A session for a person known already (not from a pending sign-in), so one is always written. */
async function openSessionOf(
  ctx: Ctx,
  user: { id: number; user_code: string; organization_id: number },
  deviceTokenHash: Buffer,
  amr: string[],
  options: { factorDeadline?: Date | null; details?: Record<string, unknown> } = {},
): Promise<string> {
  const sessionToken = await openSessionFor(ctx, user, { userId: user.id, deviceTokenHash }, amr, options);
  if (!sessionToken) throw new Error("the session of a known person was not written");
  return sessionToken;
}

function sessionRow(ctx: Ctx, sessionToken: string, amr: string[], factorDeadline: Date | null = null) {
  return {
    tokenHash: hashToken(sessionToken),
    now: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + SESSION_MAX_MS),
    ip: ctx.ip,
    amr,
    factorDeadline,
  };
}

function signInAudit(
  ctx: Ctx,
  user: { id: number; user_code: string; organization_id: number },
  amr: string[],
  details?: Record<string, unknown>,
) {
  return {
    at: ctx.now,
    actorUserId: user.id,
    actorCode: user.user_code,
    action: "auth.signIn",
    outcome: "success" as const,
    organizationId: user.organization_id,
    subjectUserId: user.id,
    targetType: "user",
    targetId: String(user.id),
    ip: ctx.ip,
    ...(amr.length > 1 ? { details: { amr, ...details } } : {}),
  };
}

/** The browser's second step of a sign-in, while it waits: whether its person has a passkey to offer. */
export async function pendingSignIn(
  ctx: Ctx,
  pendingToken: string | undefined,
): Promise<{ hasPasskey: boolean } | null> {
  if (!looksLikeToken(pendingToken)) return null;
  const pending = await q.findPendingSignIn(ctx.db, hashToken(pendingToken), ctx.now);
  if (!pending || pending.disabled_at !== null) return null;
  return { hasPasskey: await hasPasskeys(ctx.db, pending.id) };
}

export type SecondStepResult =
  | { ok: true; sessionToken: string; returnTo: string }
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "invalid"; error: FactorError }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** A pending sign-in as the second step reads it: the person, the throttle's counts, their authenticator app. */
type PendingAttempt = NonNullable<Awaited<ReturnType<typeof q.findPendingSignInAttempt>>>;

/** What proved the second factor: the session's amr, and how the audit log names the factor. */
type SecondFactorProof =
  | { ok: true; amr: string[]; factor: "totp" | "recovery_code" | "passkey" }
  | { ok: false; error: FactorError };

/**
 * The second step of a sign-in, whatever proves the factor: the pending sign-in must be alive and not throttled; a
 * wrong answer counts toward the same throttle as wrong passwords, per account and per address, and never locks the
 * real user out for good; a right one opens the session.
 */
async function secondStep(
  ctx: Ctx,
  pendingToken: string | undefined,
  prove: (pending: PendingAttempt, tokenHash: Buffer) => Promise<SecondFactorProof>,
): Promise<SecondStepResult> {
  if (!looksLikeToken(pendingToken)) return { ok: false, reason: "expired" };
  const tokenHash = hashToken(pendingToken);
  const ip = ctx.ip ?? "unknown";
  const { throttle } = ctx.app;
  const since = new Date(ctx.now.getTime() - throttle.windowMs);
  const pending = await q.findPendingSignInAttempt(ctx.db, tokenHash, ctx.now, { ip, since });
  if (!pending || pending.disabled_at) return { ok: false, reason: "expired" };
  const user = pending;
  const deviceKnown = pending.device_known === true;
  const windows = q.failureWindows(pending, deviceKnown);
  const waitMs = throttleWait(ctx, windows, deviceKnown);
  const target = { organizationId: user.organization_id, targetType: "user", targetId: user.id };
  const actedBy = { userId: user.id, userCode: user.user_code };
  if (waitMs > 0) {
    await recordAudit(ctx, {
      action: "auth.secondFactor",
      outcome: "denied",
      reason: "throttled",
      ...target,
      actedBy,
    });
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(waitMs / 1000) };
  }
  const check = await prove(pending, tokenHash);
  if (!check.ok) {
    if (NOT_GUESSES.includes(check.error)) return { ok: false, reason: "invalid", error: check.error };
    const startsThrottle = windows.account.count + 1 === throttle.accountThreshold;
    await ctx.db.transaction().execute(async (trx) => {
      await q.insertSignInFailure(trx, {
        userCode: user.user_code,
        ip,
        deviceKnown,
        at: ctx.now,
      });
      await recordAudit(
        { ...ctx, db: trx },
        { action: "auth.secondFactor", outcome: "failure", reason: check.error, ...target, actedBy },
      );
      if (startsThrottle) await mailOwner(trx, user.id, ctx.now, "throttled");
    });
    if (startsThrottle) ctx.app.mailQueued();
    ctx.app.signInFailed("second_factor");
    return { ok: false, reason: "invalid", error: check.error };
  }
  // The statement ends the step as it opens the session: of two requests racing with two good answers, one session.
  const sessionToken = await openSessionFor(ctx, user, { pendingTokenHash: tokenHash }, check.amr, {
    details: { factor: check.factor },
  });
  if (!sessionToken) return { ok: false, reason: "expired" };
  return { ok: true, sessionToken, returnTo: pending.return_to };
}

/** The second step with the code of the person's app, or one of their recovery codes. */
export async function completeSignIn(
  ctx: Ctx,
  input: { pendingToken: string | undefined; code: string },
): Promise<SecondStepResult> {
  return secondStep(ctx, input.pendingToken, async (pending) => {
    const app =
      pending.totp_id !== null && pending.totp_secret_ciphertext !== null
        ? {
            id: pending.totp_id,
            secret_ciphertext: pending.totp_secret_ciphertext,
            last_step: pending.totp_last_step,
          }
        : null;
    const check = await checkSecondFactor(ctx.db, ctx.app.mfaKey, pending.id, input.code, ctx.now, app);
    if (!check.ok) return check;
    return check.method === "otp"
      ? { ok: true, amr: ["pwd", "otp"], factor: "totp" }
      : { ok: true, amr: ["pwd", "otp"], factor: "recovery_code" };
  });
}

/** The second step with one of the person's passkeys, answering the challenge given to this pending sign-in. */
export async function completeSignInWithPasskey(
  ctx: Ctx,
  input: { pendingToken: string | undefined; credential: string },
): Promise<SecondStepResult> {
  return secondStep(ctx, input.pendingToken, async (pending, tokenHash) => {
    const check = await checkPasskeyAssertion(
      ctx.db,
      { now: ctx.now, publicUrl: ctx.app.publicUrl },
      { purpose: "secondStep", userId: pending.id, bindingHash: tokenHash, credential: input.credential },
    );
    if (!check.ok) return check;
    return { ok: true, amr: ["pwd", check.method], factor: "passkey" };
  });
}

/** Options for the passkey of the second step: the pending sign-in's person's passkeys, bound to that sign-in. */
export async function secondStepPasskeyOptions(ctx: Ctx, pendingToken: string | undefined) {
  if (!looksLikeToken(pendingToken)) return null;
  const tokenHash = hashToken(pendingToken);
  const pending = await q.findPendingSignIn(ctx.db, tokenHash, ctx.now);
  if (!pending || pending.disabled_at) return null;
  return assertionOptions(
    ctx.db,
    { now: ctx.now, publicUrl: ctx.app.publicUrl },
    { purpose: "secondStep", userId: pending.id, bindingHash: tokenHash },
  );
}

export type PasskeySignInResult =
  | { ok: true; sessionToken: string; deviceToken: string }
  | { ok: false; reason: "invalid"; error: FactorError }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** Options for a passkey from the first page: no user yet, so no list of credentials (a discoverable one answers). */
export async function firstPagePasskeyOptions(ctx: Ctx) {
  return assertionOptions(
    ctx.db,
    { now: ctx.now, publicUrl: ctx.app.publicUrl },
    { purpose: "discover", userId: null, bindingHash: null },
  );
}

/**
 * A sign-in from the first page with a discoverable passkey, without a user code or a password: the key is possession
 * and its user verification (a PIN or a biometric, checked by the authenticator) is a second factor, so the session
 * opens at once. Its amr, per RFC 8176: hwk or swk for the key, « user » because Guichet learns only that the
 * authenticator verified its user (the UV flag), not how, so « pin », « fpt » or « face » cannot be claimed; and
 * « mfa », since the two together are multiple factors. The person is known only from the answer, so the address's
 * failures are weighed before it; failures count toward the address and, when the key is someone's, their account.
 */
export async function signInWithPasskey(
  ctx: Ctx,
  input: { credential: string; deviceToken: string | undefined },
): Promise<PasskeySignInResult> {
  const ip = ctx.ip ?? "unknown";
  const { throttle } = ctx.app;
  const since = new Date(ctx.now.getTime() - throttle.windowMs);
  const windows = await q.countFailureWindows(ctx.db, { userCode: "", deviceKnown: false, ip, since });
  const waitMs = throttleWait(ctx, windows, false);
  if (waitMs > 0) {
    await recordAudit(ctx, {
      action: "auth.signIn",
      outcome: "denied",
      reason: "throttled",
      organizationId: null,
      targetType: "passkey",
    });
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(waitMs / 1000) };
  }
  const check = await checkPasskeyAssertion(
    ctx.db,
    { now: ctx.now, publicUrl: ctx.app.publicUrl },
    { purpose: "discover", userId: null, bindingHash: null, credential: input.credential },
  );
  const fail = async (error: FactorError, reason: string, userCode: string | null) => {
    if (NOT_GUESSES.includes(error)) return { ok: false, reason: "invalid", error } as const;
    await ctx.db.transaction().execute(async (trx) => {
      await q.insertSignInFailure(trx, { userCode: userCode ?? "", ip, deviceKnown: false, at: ctx.now });
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "auth.signIn",
          outcome: "failure",
          reason,
          organizationId: null,
          targetType: userCode ? "user_code" : "passkey",
          ...(userCode ? { targetId: userCode } : {}),
        },
      );
    });
    ctx.app.signInFailed("passkey");
    return { ok: false, reason: "invalid", error } as const;
  };
  if (!check.ok) return fail(check.error, check.error, check.owner?.userCode ?? null);
  const deviceHash = looksLikeToken(input.deviceToken) ? hashToken(input.deviceToken) : null;
  const user = await q.findUserForSignIn(ctx.db, check.userCode, deviceHash);
  // A disabled account, or one never activated, opens nothing, whatever key it holds.
  if (!user || user.disabled_at || !user.password_hash)
    return fail("passkeys.unknown", "disabled", check.userCode);
  const deviceKnown = user.device_known === true;
  const deviceToken = looksLikeToken(input.deviceToken) && deviceKnown ? input.deviceToken : newToken();
  const amr = [check.method, "user", "mfa"];
  const sessionToken = await openSessionOf(ctx, user, hashToken(deviceToken), amr, {
    details: { factor: "passkey", discoverable: true },
  });
  return { ok: true, sessionToken, deviceToken };
}

export type ResumedSession =
  | {
      actor: UserActor;
      locale: "fr" | "en";
      /** When the person last proved a second factor in this session. */
      factorAt: Date | null;
      /** The end of the grace period of someone who must have a second factor and has none. */
      factorDeadline: Date | null;
      /** How the person signed in (RFC 8176 names), and when. */
      amr: string[];
      signedInAt: Date;
    }
  | { expired: true }
  | null;

/**
 * Finds the signed-in user behind a session cookie; ends the session when it is idle, too old, or its user disabled,
 * with the provider sessions opened in it (the services that hold one are told: mailQueued wakes the outbox).
 */
export async function resumeSession(
  ctx: Pick<Ctx, "db" | "now"> & { cache: ReadCache; mailQueued?: () => void },
  token: string,
): Promise<ResumedSession> {
  if (!looksLikeToken(token)) return null;
  const tokenHash = hashToken(token);
  const key = `session:${tokenHash.toString("hex")}`;
  // Where the cache asks the server whether it is current, the session is read in the same statement.
  const row = ctx.cache.getWithCheck
    ? await ctx.cache.getWithCheck(key, q.sessionWithActorQuery(ctx.db, tokenHash), q.sessionFromJson)
    : await ctx.cache.get(key, () => q.findSessionWithActor(ctx.db, tokenHash));
  if (!row) return null;
  const now = ctx.now.getTime();
  const idle = now - row.last_seen_at.getTime() >= SESSION_IDLE_MS;
  if (idle || now >= row.expires_at.getTime() || row.disabled_at) {
    const logouts = await ctx.db.transaction().execute(async (trx) => {
      await q.deleteSession(trx, tokenHash);
      return endProviderSessionsOf(trx, { guichetSession: tokenHash }, ctx.now);
    });
    if (logouts > 0) ctx.mailQueued?.();
    return { expired: true };
  }
  if (now - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) await q.touchSession(ctx.db, tokenHash, ctx.now);
  return {
    actor: userActorOf(row),
    locale: row.locale,
    factorAt: row.factor_at,
    factorDeadline: row.factor_deadline,
    amr: row.amr,
    signedInAt: row.created_at,
  };
}

/** Ends the session, and the provider sessions opened in it: each service that holds one is told. */
/** The actor of a user row read with its organization (the session's person, or anyone the policy must weigh). */
export function userActorOf(row: {
  user_id: number;
  user_code: string;
  first_name: string;
  last_name: string;
  organization_id: number;
  organization_kind: OrganizationKind;
  organization_name: string;
  is_services_officer: boolean;
  is_service_admin: boolean;
  ministry_unit_id: number | null;
}): UserActor {
  return {
    kind: "user",
    userId: row.user_id,
    userCode: row.user_code,
    firstName: row.first_name,
    lastName: row.last_name,
    organizationId: row.organization_id,
    organizationKind: row.organization_kind,
    organizationName: row.organization_name,
    isServicesOfficer: row.is_services_officer,
    isServiceAdmin: row.is_service_admin,
    ministryUnitId: row.ministry_unit_id,
  };
}

export async function signOut(ctx: Ctx, token: string | undefined): Promise<void> {
  if (!looksLikeToken(token)) return;
  const tokenHash = hashToken(token);
  const logouts = await ctx.db.transaction().execute(async (trx) => {
    await q.deleteSession(trx, tokenHash);
    const queued = await endProviderSessionsOf(trx, { guichetSession: tokenHash }, ctx.now);
    if (ctx.actor.kind === "user") {
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "auth.signOut",
          organizationId: ctx.actor.organizationId,
          targetType: "user",
          targetId: ctx.actor.userId,
        },
      );
    }
    return queued;
  });
  if (logouts > 0) ctx.app.mailQueued();
}

/** Issues a one-time link (activation or reset) in the caller's transaction; older links stop working. */
export async function issueAccountLink(
  db: Kysely<DB>,
  at: { publicUrl: string; now: Date },
  userId: number,
  purpose: "activation" | "reset",
): Promise<{ link: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(at.now.getTime() + ACCOUNT_LINK_MS);
  await q.retireAccountTokens(db, userId, at.now);
  await q.insertAccountToken(db, { tokenHash: hashToken(token), userId, purpose, now: at.now, expiresAt });
  return { link: `${at.publicUrl}/activation/${token}`, expiresAt };
}

export type AccountLink = {
  purpose: "activation" | "reset";
  userCode: string;
  firstName: string;
  lastName: string;
};

export async function findAccountLink(
  ctx: Pick<Ctx, "db" | "now">,
  token: string,
): Promise<AccountLink | null> {
  if (!looksLikeToken(token)) return null;
  const row = await q.findUsableAccountToken(ctx.db, hashToken(token), ctx.now);
  return row
    ? { purpose: row.purpose, userCode: row.user_code, firstName: row.first_name, lastName: row.last_name }
    : null;
}

export type PasswordFormErrors = Partial<
  Record<
    "password" | "confirmation" | "current",
    | PasswordProblem
    | "password.mismatch"
    | "profile.currentWrong"
    | "profile.throttled"
    | "field.required.newPassword"
    | "field.required.currentPassword"
  >
>;

function newPasswordErrors(password: string, confirmation: string, userCode: string): PasswordFormErrors {
  const errors: PasswordFormErrors = {};
  const problem = password === "" ? "field.required.newPassword" : checkPassword(password, userCode);
  if (problem) errors.password = problem;
  else if (password !== confirmation) errors.confirmation = "password.mismatch";
  return errors;
}

export type UseLinkResult =
  | { ok: true }
  | { ok: false; invalid: true }
  | { ok: false; errors: PasswordFormErrors };

/** Sets the password through a one-time link; the link works once, even when two requests race. */
export async function useAccountLink(
  ctx: Ctx,
  input: { token: string; password: string; confirmation: string },
): Promise<UseLinkResult> {
  if (!looksLikeToken(input.token)) return { ok: false, invalid: true };
  const tokenHash = hashToken(input.token);
  const link = await q.findUsableAccountToken(ctx.db, tokenHash, ctx.now);
  if (!link) return { ok: false, invalid: true };
  const errors = newPasswordErrors(input.password, input.confirmation, link.user_code);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const passwordHash = await ctx.app.hasher.hash(input.password);
  const used = await ctx.db.transaction().execute(async (trx) => {
    if (!(await q.consumeAccountToken(trx, tokenHash, ctx.now))) return null;
    await q.updatePasswordHash(trx, link.user_id, passwordHash, ctx.now);
    // A reset means the old password may be known to someone else: end every session.
    const ended = await endSessionsOf(trx, link.user_id, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: link.purpose === "activation" ? "account.activate" : "account.resetPassword.complete",
        organizationId: link.organization_id,
        targetType: "user",
        targetId: link.user_id,
      },
    );
    return ended;
  });
  if (!used) return { ok: false, invalid: true };
  if (used.logouts > 0) ctx.app.mailQueued();
  return { ok: true };
}

export type ChangePasswordResult = { ok: true } | { ok: false; errors: PasswordFormErrors };

export async function changeOwnPassword(
  ctx: Ctx,
  input: { current: string; password: string; confirmation: string },
): Promise<ChangePasswordResult> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.changePassword", { organizationId: actor.organizationId, userId: actor.userId });
  const errors = newPasswordErrors(input.password, input.confirmation, actor.userCode);
  // Guessing the current password from an open session is slowed down like guessing at sign-in.
  if ((await signedInAccountWait(ctx, actor.userCode)) > 0) {
    return { ok: false, errors: { current: "profile.throttled" } };
  }
  const currentHash = await q.findUserPasswordHash(ctx.db, actor.userId);
  const currentOk = currentHash !== null && (await ctx.app.hasher.verify(currentHash, input.current));
  if (!currentOk) {
    errors.current = input.current === "" ? "field.required.currentPassword" : "profile.currentWrong";
    if (input.current !== "") await recordSignedInFailure(ctx, actor.userCode);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const passwordHash = await ctx.app.hasher.hash(input.password);
  await ctx.db.transaction().execute(async (trx) => {
    await q.updatePasswordHash(trx, actor.userId, passwordHash, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "profile.changePassword",
        organizationId: actor.organizationId,
        targetType: "user",
        targetId: actor.userId,
      },
    );
  });
  return { ok: true };
}

/**
 * How long a signed-in person must still wait before their next password or code is checked (changing the password,
 * proving a second factor again): the account's failures from browsers it signed in from.
 */
export async function signedInAccountWait(ctx: Ctx, userCode: string): Promise<number> {
  const { throttle } = ctx.app;
  const since = new Date(ctx.now.getTime() - throttle.windowMs);
  const failures = await q.countAccountFailures(ctx.db, userCode, true, since);
  return remainingWait(failures, throttle.accountThreshold, throttle.maxDelayMs, ctx.now);
}

/** A wrong password or code typed in an open session, counted like one at sign-in from a known browser. */
export async function recordSignedInFailure(ctx: Ctx, userCode: string): Promise<void> {
  await q.insertSignInFailure(ctx.db, { userCode, ip: ctx.ip ?? "unknown", deviceKnown: true, at: ctx.now });
  ctx.app.signInFailed("signed_in");
}

/**
 * Ends every session and pending sign-in of a person (their factors were reset, say), in the caller's transaction, with
 * every provider session of theirs: the services that hold one are told once the caller has committed and woken the
 * outbox (mailQueued). Returns how many sessions ended and how many logouts were queued.
 */
export async function endSessionsOf(
  db: Kysely<DB>,
  userId: number,
  now: Date,
): Promise<{ sessions: number; logouts: number }> {
  const sessions = await q.deleteSessionsOfUser(db, userId);
  await q.deletePendingSignInsOfUser(db, userId);
  const logouts = await endProviderSessionsOf(db, { accountId: userId }, now);
  return { sessions, logouts };
}

/**
 * The expiry job: ends the sessions past their idle or absolute limit, and the provider sessions left without their
 * Guichet session. Returns how many logouts were queued.
 */
export async function endExpiredSessions(db: Kysely<DB>, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await q.deleteExpiredSessions(trx, new Date(now.getTime() - SESSION_IDLE_MS), now);
    return endProviderSessionsOf(trx, { withoutGuichetSession: true }, now);
  });
}

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== "user") throw new AppError("unauthenticated");
  return actor;
}
