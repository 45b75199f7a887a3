// User accounts: the services officer lists, creates, edits, disables, re-enables and resets; each user reads their own.
import { randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import type { Ctx } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { authorize } from "../../policy/policy.js";
import type { FieldErrors } from "../../web/forms.js";
import { translator } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { retireAccountTokens } from "../auth/auth.queries.js";
import { endSessionsOf, issueAccountLink, requireUser, USER_CODE_PATTERN } from "../auth/auth.service.js";
import { queueMail } from "../mail/mail.service.js";
import { alertManagersUnableToAct } from "../manager-gaps/manager-gaps.service.js";
import { once } from "../submissions/submissions.service.js";
import type { ProfileRow } from "./accounts.queries.js";
import * as q from "./accounts.queries.js";
import { type ProfileField, type ProfileInput, validateProfile } from "./accounts.validation.js";

/** No 0/O, 1/I/L: a code read over the phone must not be misheard. */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function generateUserCode(): string {
  let code = "";
  for (let i = 0; i < 7; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Inserts a user under a fresh random code, drawing again in the rare case the code is taken. */
export async function insertUserWithNewCode(
  db: Kysely<DB>,
  user: Omit<q.NewUserRow, "userCode">,
): Promise<{ id: number; userCode: string }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const userCode = generateUserCode();
    const id = await q.insertUser(db, { ...user, userCode });
    if (id !== null) return { id, userCode };
  }
  throw new Error("could not draw a free user code");
}

/** Queues the activation email of a new account, with a link valid 72 hours, in the caller's transaction. */
export async function sendActivationLink(
  db: Kysely<DB>,
  at: { publicUrl: string; now: Date },
  user: { userId: number; userCode: string; name: string; email: string; organization: string },
): Promise<string> {
  const { link } = await issueAccountLink(db, at, user.userId, "activation");
  const t = translator("fr");
  await queueMail(
    db,
    {
      to: user.email,
      subject: t("mail.activation.subject", { code: user.userCode }),
      text: t("mail.activation.body", {
        name: user.name,
        organization: user.organization,
        code: user.userCode,
        link,
      }),
    },
    at.now,
  );
  return link;
}

export async function listUsers(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  authorize(actor, "account.list", { organizationId: actor.organizationId });
  return q.listUsersOfOrganization(ctx.db, actor.organizationId);
}

/** Before the create form is shown: refused under the action actually attempted, so the audit log names it. */
export function authorizeCreateUser(ctx: Ctx): void {
  const actor = requireUser(ctx.actor);
  authorize(actor, "account.create", { organizationId: actor.organizationId });
}

export type CreateUserResult =
  | { ok: true; userCode: string; email: string; repeated: boolean }
  | { ok: false; errors: FieldErrors<ProfileField> };

export async function createUser(
  ctx: Ctx,
  input: ProfileInput,
  submissionKey: string,
): Promise<CreateUserResult> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "account.create", { organizationId: actor.organizationId });
  const validation = validateProfile(input);
  if (!validation.ok) return { ok: false, errors: validation.errors };
  const profile = validation.profile;
  const outcome = await ctx.db.transaction().execute(async (trx) =>
    once(trx, { key: submissionKey, userId: actor.userId, now: ctx.now }, async () => {
      const user = await insertUserWithNewCode(trx, {
        ...profile,
        organizationId: actor.organizationId,
        now: ctx.now,
      });
      const tctx = { ...ctx, db: trx };
      await sendActivationLink(
        trx,
        { publicUrl: ctx.app.publicUrl, now: ctx.now },
        {
          userId: user.id,
          userCode: user.userCode,
          name: `${profile.firstName} ${profile.lastName}`,
          email: profile.email,
          organization: actor.organizationName,
        },
      );
      await recordAudit(tctx, {
        action: "account.create",
        organizationId: actor.organizationId,
        targetType: "user",
        targetId: user.id,
        details: { userCode: user.userCode },
      });
      return user.userCode;
    }),
  );
  ctx.app.mailQueued();
  if (outcome.fresh) return { ok: true, userCode: outcome.value, email: profile.email, repeated: false };
  return { ok: true, userCode: outcome.previous, email: profile.email, repeated: true };
}

/** Loads a user by code and checks that the actor may take the action on them. */
async function loadTarget(
  ctx: Ctx,
  userCode: string,
  action:
    | "account.view"
    | "account.edit"
    | "account.disable"
    | "account.enable"
    | "account.resetPassword"
    | "account.resetFactors",
) {
  const actor = requireUser(ctx.actor);
  const code = userCode.toUpperCase();
  const user = USER_CODE_PATTERN.test(code) ? await q.findUserByCode(ctx.db, code) : undefined;
  if (!user) {
    // Only an officer may learn whether a code exists; anyone else is refused as for any other account.
    authorize(actor, action, { organizationId: actor.organizationId });
    throw new AppError("user_not_found");
  }
  authorize(actor, action, { organizationId: user.organization_id, userId: user.id });
  return { actor, user };
}

/** The account whose second factors an officer resets (for a lost phone), once the officer may. */
export async function findUserForFactorReset(ctx: Ctx, userCode: string) {
  return loadTarget(ctx, userCode, "account.resetFactors");
}

export async function findUserForOfficer(ctx: Ctx, userCode: string) {
  return (await loadTarget(ctx, userCode, "account.view")).user;
}

export type UpdateUserResult = { ok: true } | { ok: false; errors: FieldErrors<ProfileField> };

export async function updateUser(ctx: Ctx, userCode: string, input: ProfileInput): Promise<UpdateUserResult> {
  const { actor, user } = await loadTarget(ctx, userCode, "account.edit");
  const validation = validateProfile(input);
  if (!validation.ok) return { ok: false, errors: validation.errors };
  const changed = changedFields(user, validation.profile);
  await ctx.db.transaction().execute(async (trx) => {
    await q.updateUserProfile(trx, user.id, validation.profile, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "account.edit",
        organizationId: actor.organizationId,
        targetType: "user",
        targetId: user.id,
        details: { fields: changed },
      },
    );
  });
  return { ok: true };
}

function changedFields(
  before: {
    civility: string | null;
    first_name: string;
    last_name: string;
    job_title: string | null;
    phone: string | null;
    phone_extension: string | null;
    email: string;
  },
  after: ProfileRow,
): string[] {
  const pairs: [string, unknown, unknown][] = [
    ["civility", before.civility, after.civility],
    ["firstName", before.first_name, after.firstName],
    ["lastName", before.last_name, after.lastName],
    ["jobTitle", before.job_title, after.jobTitle],
    ["phone", before.phone, after.phone],
    ["phoneExtension", before.phone_extension, after.phoneExtension],
    ["email", before.email, after.email],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([name]) => name);
}

export type StateChange = { changed: boolean; userCode: string };

/** Disabling ends every session of the user in the same transaction: they are out on their very next request. */
export async function setUserEnabled(ctx: Ctx, userCode: string, enabled: boolean): Promise<StateChange> {
  const { actor, user } = await loadTarget(ctx, userCode, enabled ? "account.enable" : "account.disable");
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const done = await q.setUserDisabled(trx, user.id, !enabled, ctx.now);
    if (!done) return false;
    const ended = enabled ? 0 : (await endSessionsOf(trx, user.id, ctx.now)).sessions;
    // A link mailed before the account was disabled must not come back to life when it is re-enabled.
    if (!enabled) await retireAccountTokens(trx, user.id, ctx.now);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: enabled ? "account.enable" : "account.disable",
        organizationId: actor.organizationId,
        targetType: "user",
        targetId: user.id,
        details: enabled ? {} : { sessionsEnded: ended },
      },
    );
    // A disabled local manager or agent manager: whoever must replace them is told with the act.
    if (!enabled) await alertManagersUnableToAct({ ...ctx, db: trx }, ctx.app.publicUrl, [user.id]);
    return true;
  });
  // The services the person had signed in to are told (back-channel logout, through the outbox).
  if (changed && !enabled) ctx.app.mailQueued();
  return { changed, userCode: user.user_code };
}

export async function resetPassword(ctx: Ctx, userCode: string): Promise<{ email: string }> {
  const { actor, user } = await loadTarget(ctx, userCode, "account.resetPassword");
  if (user.disabled_at) throw new AppError("account_disabled");
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const { link } = await issueAccountLink(
      trx,
      { publicUrl: ctx.app.publicUrl, now: ctx.now },
      user.id,
      "reset",
    );
    const t = translator(user.locale);
    await queueMail(
      trx,
      {
        to: user.email,
        subject: t("mail.reset.subject"),
        text: t("mail.reset.body", {
          name: `${user.first_name} ${user.last_name}`,
          organization: actor.organizationName,
          code: user.user_code,
          link,
        }),
      },
      ctx.now,
    );
    await recordAudit(tctx, {
      action: "account.resetPassword",
      organizationId: actor.organizationId,
      targetType: "user",
      targetId: user.id,
    });
  });
  ctx.app.mailQueued();
  return { email: user.email };
}

export async function findOwnProfile(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.view", { organizationId: actor.organizationId, userId: actor.userId });
  const user = await q.findUserById(ctx.db, actor.userId);
  if (!user) throw new AppError("unauthenticated");
  return {
    userCode: user.user_code,
    civility: user.civility,
    firstName: user.first_name,
    lastName: user.last_name,
    jobTitle: user.job_title,
    phone: user.phone,
    phoneExtension: user.phone_extension,
    email: user.email,
    organizationName: user.organization_name,
    isServicesOfficer: user.is_services_officer,
  };
}

/** For loading known accounts (demo data, the first administrator): the code is given, not drawn. */
export async function createUserWithCode(db: Kysely<DB>, user: q.NewUserRow): Promise<number> {
  const id = await q.insertUser(db, user);
  if (id === null) throw new AppError("conflict");
  return id;
}
