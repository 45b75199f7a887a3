// Step-up: a sensitive act asked with a second factor older than the window is held while the person proves it again,
// then sent once, exactly as it was filled in.
import type { Ctx } from "../../context.js";
import { hashToken, looksLikeToken, newToken } from "../../util/tokens.js";
import { recordAudit } from "../audit/audit.service.js";
import { recordSignedInFailure, requireUser, signedInAccountWait } from "../auth/auth.service.js";
import { markSessionFactor } from "./factors.queries.js";
import { checkSecondFactor, type FactorError, NOT_GUESSES } from "./factors.service.js";
import { assertionOptions, checkPasskeyAssertion } from "./passkeys.service.js";
import * as q from "./step-up.queries.js";

/** The acts that ask for the second factor again; each names itself on the step-up pages. */
export const STEP_UP_ACTS = [
  "account.create",
  "account.resetPassword",
  "account.resetFactors",
  "procuration.create",
  "procuration.change",
  "registry.grant",
  "registry.change",
  "registry.revoke",
  "deputy.name",
  "deputy.remove",
  "association.add",
  "association.remove",
  "accessRequest.decide",
  "identificationCode.issue",
  "factor.remove",
  "externalService.register",
  "externalService.change",
  "externalService.rotateSecret",
  "mandate.assign",
  "mandate.end",
  "review.remove",
  "rightRequest.approve",
] as const;
export type StepUpAct = (typeof STEP_UP_ACTS)[number];

export function isStepUpAct(value: string): value is StepUpAct {
  return (STEP_UP_ACTS as readonly string[]).includes(value);
}

/** How the audit log names each way of proving the factor. */
export const FACTOR_OF_METHOD = {
  otp: "totp",
  recovery: "recovery_code",
  hwk: "passkey",
  swk: "passkey",
} as const;

/** A held act must be confirmed within this time. */
const HOLD_MS = 15 * 60_000;

export type HeldForm = Record<string, string | string[]>;

/** Whether the session's last second factor is recent enough for a sensitive act. */
export function factorIsFresh(ctx: Ctx, factorAt: Date | null): boolean {
  return factorAt !== null && ctx.now.getTime() - factorAt.getTime() < ctx.app.stepUpMs;
}

/**
 * Holds a sensitive act whose second factor is too old; returns the token that names it, or null when the person has
 * no factor to prove (then the act goes ahead: who must have one is the grace period's business).
 */
export async function holdForStepUp(
  ctx: Ctx,
  input: { sessionToken: string; act: StepUpAct; url: string; body: unknown },
): Promise<string | null> {
  const actor = requireUser(ctx.actor);
  if (!(await q.userHasFactor(ctx.db, actor.userId))) return null;
  const token = newToken();
  await q.insertHeldAct(ctx.db, {
    tokenHash: hashToken(token),
    sessionTokenHash: hashToken(input.sessionToken),
    userId: actor.userId,
    act: input.act,
    url: input.url,
    body: formOf(input.body),
    now: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + HOLD_MS),
  });
  return token;
}

/** The form's fields, as strings; its CSRF token is left out (a fresh one goes with the act when it is sent). */
function formOf(body: unknown): HeldForm {
  const form: HeldForm = {};
  if (typeof body !== "object" || body === null) return form;
  for (const [name, value] of Object.entries(body)) {
    if (name === "_csrf") continue;
    if (typeof value === "string") form[name] = value;
    else if (Array.isArray(value)) form[name] = value.filter((v): v is string => typeof v === "string");
  }
  return form;
}

export type HeldAct = { act: StepUpAct; url: string; body: HeldForm };

/** Looks up (or takes) the act held for this session and person under this token, while it waits. */
async function heldAct(
  ctx: Ctx,
  token: string,
  sessionToken: string | undefined,
  read: typeof q.findHeldAct | typeof q.takeHeldAct,
): Promise<HeldAct | null> {
  const actor = requireUser(ctx.actor);
  if (!looksLikeToken(token) || !sessionToken) return null;
  const row = await read(ctx.db, hashToken(token), hashToken(sessionToken), actor.userId, ctx.now);
  if (!row || !isStepUpAct(row.act)) return null;
  return { act: row.act, url: row.url, body: row.body };
}

/** The act held for this session under this token, while it waits. */
export function findHeldAct(
  ctx: Ctx,
  token: string,
  sessionToken: string | undefined,
): Promise<HeldAct | null> {
  return heldAct(ctx, token, sessionToken, q.findHeldAct);
}

export type ProveResult =
  | { ok: true }
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "invalid"; error: FactorError }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * The person proves their second factor again for a held act; the session then counts as freshly proved. Wrong codes
 * count toward the sign-in throttle of the account.
 */
export async function proveFactorAgain(
  ctx: Ctx,
  input: { token: string; sessionToken: string | undefined } & ({ code: string } | { credential: string }),
): Promise<ProveResult> {
  const held = await findHeldAct(ctx, input.token, input.sessionToken);
  if (!held || !input.sessionToken) return { ok: false, reason: "expired" };
  return proveSessionFactor(ctx, { ...input, sessionToken: input.sessionToken, details: { act: held.act } });
}

/**
 * The person proves their second factor in their session, whatever asked for it (a held act, a service that needs a
 * second factor); the session then counts as freshly proved. Wrong codes count toward the sign-in throttle of the
 * account; details say in the audit log what the proof was for.
 */
export async function proveSessionFactor(
  ctx: Ctx,
  input: { sessionToken: string; details: Record<string, unknown> } & (
    | { code: string }
    | { credential: string }
  ),
): Promise<ProveResult> {
  const actor = requireUser(ctx.actor);
  const wait = await signedInAccountWait(ctx, actor.userCode);
  const audit = {
    action: "auth.stepUp",
    organizationId: actor.organizationId,
    targetType: "user",
    targetId: actor.userId,
    details: input.details,
  };
  if (wait > 0) {
    await recordAudit(ctx, { ...audit, outcome: "denied", reason: "throttled" });
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) };
  }
  const sessionHash = hashToken(input.sessionToken);
  const check =
    "code" in input
      ? await checkSecondFactor(ctx.db, ctx.app.mfaKey, actor.userId, input.code, ctx.now)
      : await checkPasskeyAssertion(
          ctx.db,
          { now: ctx.now, publicUrl: ctx.app.publicUrl },
          { purpose: "stepUp", userId: actor.userId, bindingHash: sessionHash, credential: input.credential },
        );
  if (!check.ok) {
    // A slip (nothing typed, a code of the wrong form, a passkey dialog cancelled) is not a guess: it is not counted.
    if (!NOT_GUESSES.includes(check.error)) {
      await ctx.db.transaction().execute(async (trx) => {
        await recordSignedInFailure({ ...ctx, db: trx }, actor.userCode);
        await recordAudit({ ...ctx, db: trx }, { ...audit, outcome: "failure", reason: check.error });
      });
    }
    return { ok: false, reason: "invalid", error: check.error };
  }
  await ctx.db.transaction().execute(async (trx) => {
    await markSessionFactor(trx, sessionHash, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      { ...audit, details: { ...input.details, factor: FACTOR_OF_METHOD[check.method] } },
    );
  });
  return { ok: true };
}

/** Options for the passkey that proves the factor again for a held act, bound to this session. */
export async function stepUpPasskeyOptions(ctx: Ctx, token: string, sessionToken: string | undefined) {
  const actor = requireUser(ctx.actor);
  const held = await findHeldAct(ctx, token, sessionToken);
  if (!held || !sessionToken) return null;
  return assertionOptions(
    ctx.db,
    { now: ctx.now, publicUrl: ctx.app.publicUrl },
    { purpose: "stepUp", userId: actor.userId, bindingHash: hashToken(sessionToken) },
  );
}

/** Takes the held act to send it, once: a second « Confirmer » (a double click, a second tab) finds nothing. */
export function releaseHeldAct(
  ctx: Ctx,
  token: string,
  sessionToken: string | undefined,
): Promise<HeldAct | null> {
  return heldAct(ctx, token, sessionToken, q.takeHeldAct);
}
