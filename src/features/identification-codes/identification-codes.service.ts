// Identification codes: the ministry issues a municipality's secret (shown once, kept hashed); an access request
// must quote it, and wrong guesses for one municipality are slowed down.
import { randomInt } from "node:crypto";
import { type Ctx, referenceRead } from "../../context.js";
import { AppError } from "../../errors.js";
import { authorize } from "../../policy/policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { remainingWait } from "../auth/throttle.js";
import { findMinistryByAcronym } from "../catalogue/catalogue.queries.js";
import { MINISTRY_ACRONYM } from "../catalogue/catalogue.service.js";
import { once } from "../submissions/submissions.service.js";
import * as q from "./identification-codes.queries.js";

/** No 0/O, 1/I/L: the code travels on paper and is typed back by hand. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_THROTTLE = { windowMs: 15 * 60_000, threshold: 5, maxDelayMs: 15 * 60_000 } as const;

/** 12 characters in three groups: ABCD-EFGH-JKMN (about 59 bits). */
export function generateIdentificationCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/** What a person types: any case, with or without dashes and spaces. */
export function normalizeIdentificationCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

export type IssuedCode = {
  code: string;
  municipality: NonNullable<Awaited<ReturnType<typeof q.findMunicipality>>>;
};

type Issuer = NonNullable<Awaited<ReturnType<typeof q.findMinistryAddress>>>;

/**
 * The portal's ministry issues the codes. The municipality is looked up before the rule is asked, so that a
 * denial names an organization that exists; an unknown one is a 404 once the actor is known to be allowed.
 */
async function loadForIssue(ctx: Ctx, organizationId: number) {
  const actor = requireUser(ctx.actor);
  const ministry = await referenceRead(ctx, `ministry:${MINISTRY_ACRONYM}`, (db) =>
    findMinistryByAcronym(db, MINISTRY_ACRONYM),
  );
  if (!ministry) throw new AppError("not_found");
  const municipality = Number.isSafeInteger(organizationId)
    ? await q.findMunicipality(ctx.db, organizationId)
    : undefined;
  if (!municipality) {
    authorize(actor, "identificationCode.issue", { ministryId: ministry.id });
    throw new AppError("not_found");
  }
  authorize(actor, "identificationCode.issue", { ministryId: ministry.id, organizationId });
  const issuer = await q.findMinistryAddress(ctx.db, ministry.id);
  if (!issuer) throw new AppError("not_found");
  return { actor, municipality, issuer };
}

async function storeCode(ctx: Ctx, organizationId: number, actorId: number, codeHash: string) {
  await q.upsertCodeHash(ctx.db, organizationId, codeHash, actorId, ctx.now);
  // Never the code, nor its hash: the audit log says who issued one for whom, and when.
  await recordAudit(ctx, {
    action: "identificationCode.issue",
    organizationId,
    targetType: "organization",
    targetId: organizationId,
  });
}

/** Issues or re-issues a municipality's code. The code is returned once, for the letter, and never stored in clear. */
export async function issueIdentificationCode(ctx: Ctx, organizationId: number): Promise<IssuedCode> {
  const { actor, municipality } = await loadForIssue(ctx, organizationId);
  const code = generateIdentificationCode();
  const codeHash = await ctx.app.hasher.hash(normalizeIdentificationCode(code));
  await ctx.db
    .transaction()
    .execute((trx) => storeCode({ ...ctx, db: trx }, organizationId, actor.userId, codeHash));
  return { code, municipality };
}

export type IssueOutcome =
  | ({ issued: true; issuer: Issuer } & IssuedCode)
  | { issued: false; issuer: Issuer; municipality: IssuedCode["municipality"] };

/**
 * The back office's form: a form sent twice (a double click, a reload) issues one code, whose letter was shown the
 * first time; the repeat is told so rather than silently making the printed letter worthless. The one-time key
 * keeps the organization's id as its result, never the code.
 */
export async function issueIdentificationCodeOnce(
  ctx: Ctx,
  organizationId: number,
  submissionKey: string,
): Promise<IssueOutcome> {
  const { actor, municipality, issuer } = await loadForIssue(ctx, organizationId);
  const code = generateIdentificationCode();
  const codeHash = await ctx.app.hasher.hash(normalizeIdentificationCode(code));
  const outcome = await ctx.db.transaction().execute((trx) =>
    once(trx, { key: submissionKey, userId: actor.userId, now: ctx.now }, async () => {
      await storeCode({ ...ctx, db: trx }, organizationId, actor.userId, codeHash);
      return String(organizationId);
    }),
  );
  return outcome.fresh
    ? { issued: true, code, municipality, issuer }
    : { issued: false, municipality, issuer };
}

/** The municipalities an administrator may issue a code for, found by name or geoCode, with their last issue. */
export async function searchMunicipalitiesForCodes(ctx: Ctx, text: string) {
  const actor = requireUser(ctx.actor);
  const ministry = await referenceRead(ctx, `ministry:${MINISTRY_ACRONYM}`, (db) =>
    findMinistryByAcronym(db, MINISTRY_ACRONYM),
  );
  if (!ministry) throw new AppError("not_found");
  authorize(actor, "identificationCode.issue", { ministryId: ministry.id });
  return text === "" ? [] : q.searchMunicipalities(ctx.db, text, MUNICIPALITY_RESULTS);
}

export const MUNICIPALITY_RESULTS = 50;

export type CodeCheck =
  | { ok: true }
  | { ok: false; reason: "wrong" | "none" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** Checks a code quoted for a municipality; a wrong one is recorded, and after five in 15 minutes attempts wait. */
export async function verifyIdentificationCode(
  ctx: Ctx,
  organizationId: number,
  input: string,
): Promise<CodeCheck> {
  const since = new Date(ctx.now.getTime() - CODE_THROTTLE.windowMs);
  const failures = await q.countCodeFailures(ctx.db, organizationId, since);
  const waitMs = remainingWait(failures, CODE_THROTTLE.threshold, CODE_THROTTLE.maxDelayMs, ctx.now);
  if (waitMs > 0) return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(waitMs / 1000) };
  const codeHash = await q.findCodeHash(ctx.db, organizationId);
  const matches =
    codeHash === null
      ? await ctx.app.hasher.verifyNothing(input)
      : await ctx.app.hasher.verify(codeHash, normalizeIdentificationCode(input));
  if (matches) return { ok: true };
  await q.insertCodeFailure(ctx.db, {
    organizationId,
    userId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    ip: ctx.ip,
    at: ctx.now,
  });
  return { ok: false, reason: codeHash === null ? "none" : "wrong" };
}
