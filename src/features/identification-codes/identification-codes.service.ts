// Identification codes: the ministry issues a municipality's secret (shown once, kept hashed); an access request
// must quote it, and wrong guesses for one municipality are slowed down.
import { randomInt } from "node:crypto";
import type { Ctx } from "../../context.js";
import { AppError } from "../../errors.js";
import { authorize } from "../../policy/policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { remainingWait } from "../auth/throttle.js";
import { findMinistryByAcronym } from "../catalogue/catalogue.queries.js";
import { MINISTRY_ACRONYM } from "../catalogue/catalogue.service.js";
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

/** Issues or re-issues a municipality's code. The code is returned once, for the letter, and never stored in clear. */
export async function issueIdentificationCode(ctx: Ctx, organizationId: number): Promise<IssuedCode> {
  const actor = requireUser(ctx.actor);
  const ministry = await findMinistryByAcronym(ctx.db, MINISTRY_ACRONYM);
  if (!ministry) throw new AppError("not_found");
  authorize(actor, "identificationCode.issue", { ministryId: ministry.id, organizationId });
  const municipality = await q.findMunicipality(ctx.db, organizationId);
  if (!municipality) throw new AppError("not_found");
  const code = generateIdentificationCode();
  const codeHash = await ctx.app.hasher.hash(normalizeIdentificationCode(code));
  await ctx.db.transaction().execute(async (trx) => {
    await q.upsertCodeHash(trx, organizationId, codeHash, actor.userId, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "identificationCode.issue",
        organizationId,
        targetType: "organization",
        targetId: organizationId,
      },
    );
  });
  return { code, municipality };
}

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
