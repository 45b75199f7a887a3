// Procurations: the services officer creates, assigns, changes and ends them; every later feature asks
// authorizeMinistryAct() whether a user may act for their organization with a ministry.
import type { Kysely } from "kysely";
import { type Ctx, referenceRead } from "../../context.js";
import type { Day, DB } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { UserActor } from "../../policy/actor.js";
import { authorize } from "../../policy/policy.js";
import { type ProcurationGrant, procurationCovers } from "../../policy/procurations.rules.js";
import { addDays, daysBetween, formatDay, isDay, montrealDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { translator } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { queueMail } from "../mail/mail.service.js";
import { alertManagersUnableToAct } from "../manager-gaps/manager-gaps.service.js";
import { once } from "../submissions/submissions.service.js";
import * as q from "./procurations.queries.js";
import { type ScopeForm, type ScopeValidation, validateScope } from "./procurations.validation.js";

export const REMINDER_DAYS = [30, 7] as const;

export type MinistryOption = Awaited<ReturnType<typeof q.listMinistriesWithServices>>[number];

export function today(ctx: Pick<Ctx, "now">): Day {
  return montrealDay(ctx.now);
}

export function listScopeChoices(ctx: Ctx): Promise<MinistryOption[]> {
  return referenceRead(ctx, "ministries-with-services", q.listMinistriesWithServices);
}

function checkScope(
  ctx: Ctx,
  form: ScopeForm,
  ministries: MinistryOption[],
  nameRequired: boolean,
): ScopeValidation {
  return validateScope(form, {
    today: today(ctx),
    maxYears: ctx.app.procurationMaxYears,
    ministries,
    nameRequired,
    locale: "fr",
  });
}

export function authorizeCreateProcuration(ctx: Ctx): UserActor {
  const actor = requireUser(ctx.actor);
  return authorize(actor, "procuration.create", { organizationId: actor.organizationId });
}

/** Validates a form without writing: the summary step before « Transmettre ». */
export async function previewScope(ctx: Ctx, form: ScopeForm, nameRequired: boolean) {
  const actor = requireUser(ctx.actor);
  authorize(actor, "procuration.create", { organizationId: actor.organizationId });
  const ministries = await listScopeChoices(ctx);
  return { validation: checkScope(ctx, form, ministries, nameRequired), ministries };
}

export async function listProcurations(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  authorize(actor, "procuration.list", { organizationId: actor.organizationId });
  const rows = await q.listProcurationsOf(ctx.db, actor.organizationId);
  const scope = await q.findScope(
    ctx.db,
    rows.map((r) => r.id),
  );
  const day = today(ctx);
  return rows.map((row) => ({
    ...row,
    holders: Number(row.holders ?? 0),
    status: statusOf(row, day),
    scope: scope.filter((s) => s.procuration_id === row.id),
  }));
}

export type ProcurationStatus = "valid" | "upcoming" | "expired" | "ended";

export function statusOf(
  row: { start_date: Day; end_date: Day; ended_at: Date | null },
  day: Day,
): ProcurationStatus {
  if (row.ended_at) return "ended";
  if (row.end_date < day) return "expired";
  if (row.start_date > day) return "upcoming";
  return "valid";
}

export type ProcurationAction =
  | "procuration.view"
  | "procuration.change"
  | "procuration.assign"
  | "procuration.end";

async function loadProcuration(ctx: Ctx, procurationId: number, action: ProcurationAction) {
  const actor = requireUser(ctx.actor);
  const procuration = Number.isSafeInteger(procurationId)
    ? await q.findProcuration(ctx.db, procurationId)
    : undefined;
  if (!procuration) {
    authorize(actor, action, { organizationId: actor.organizationId });
    throw new AppError("not_found");
  }
  authorize(actor, action, { organizationId: procuration.organization_id, procurationId: procuration.id });
  return { actor, procuration };
}

/** A procuration with its scope and holders; `action` is what the page is for, so a refusal is audited as that. */
export async function getProcuration(
  ctx: Ctx,
  procurationId: number,
  action: ProcurationAction = "procuration.view",
) {
  const { procuration } = await loadProcuration(ctx, procurationId, action);
  const scope = await q.findScope(ctx.db, [procuration.id]);
  const holders = await q.listCurrentHolders(ctx.db, procuration.id);
  return { procuration, scope, holders, status: statusOf(procuration, today(ctx)) };
}

export type AssignableUser = { id: number; user_code: string; first_name: string; last_name: string };

export async function listAssignableUsers(ctx: Ctx): Promise<AssignableUser[]> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "procuration.assign", { organizationId: actor.organizationId });
  return q.listEnabledUsersOf(ctx.db, actor.organizationId);
}

/** Users chosen on a form must be enabled users of the actor's organization; anyone else is refused by name. */
async function checkAssignees(
  ctx: Ctx,
  actor: UserActor,
  userIds: readonly number[],
): Promise<
  { ok: true; users: Awaited<ReturnType<typeof q.findAssignableUsers>> } | { ok: false; errors: FieldErrors }
> {
  if (userIds.length === 0)
    return { ok: false, errors: { utilisateurs: { key: "procurations.users.required" } } };
  const users = await q.findAssignableUsers(ctx.db, actor.organizationId, userIds);
  if (users.length !== userIds.length) {
    return { ok: false, errors: { utilisateurs: { key: "procurations.users.invalid" } } };
  }
  return { ok: true, users };
}

export async function previewAssignees(ctx: Ctx, userIds: readonly number[]) {
  const actor = requireUser(ctx.actor);
  authorize(actor, "procuration.assign", { organizationId: actor.organizationId });
  return checkAssignees(ctx, actor, userIds);
}

export type CreateResult =
  | { ok: true; procurationId: number; repeated: boolean }
  | { ok: false; errors: FieldErrors };

/**
 * Creates a procuration; with holders (the « Gestion des droits d'accès » path) it is assigned in the same
 * transaction. A form sent twice creates one.
 */
export async function createProcuration(
  ctx: Ctx,
  input: { form: ScopeForm; holderIds: readonly number[]; submissionKey: string; defaultName?: string },
): Promise<CreateResult> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "procuration.create", { organizationId: actor.organizationId });
  const ministries = await listScopeChoices(ctx);
  const form =
    input.defaultName && input.form.name === "" ? { ...input.form, name: input.defaultName } : input.form;
  const validation = checkScope(ctx, form, ministries, true);
  if (!validation.ok) return validation;
  let holders: { id: number }[] = [];
  if (input.holderIds.length > 0) {
    const checked = await checkAssignees(ctx, actor, input.holderIds);
    if (!checked.ok) return checked;
    holders = checked.users;
  }
  const outcome = await ctx.db.transaction().execute((trx) =>
    once(trx, { key: input.submissionKey, userId: actor.userId, now: ctx.now }, async () => {
      const procurationId = await q.insertProcuration(trx, {
        organizationId: actor.organizationId,
        name: validation.name,
        startDate: today(ctx),
        endDate: validation.endDate,
        createdBy: actor.userId,
        now: ctx.now,
      });
      await q.replaceScope(trx, procurationId, validation.scope);
      const tctx = { ...ctx, db: trx };
      await recordAudit(tctx, {
        action: "procuration.create",
        organizationId: actor.organizationId,
        targetType: "procuration",
        targetId: procurationId,
        details: { endDate: validation.endDate, scope: validation.scope },
      });
      if (holders.length > 0) {
        const added = await q.insertHolders(
          trx,
          procurationId,
          holders.map((h) => h.id),
          actor.userId,
          ctx.now,
        );
        await recordAudit(tctx, {
          action: "procuration.assign",
          organizationId: actor.organizationId,
          targetType: "procuration",
          targetId: procurationId,
          subjectUserId: added.length === 1 ? added[0] : null,
          details: { userIds: added },
        });
        await mailHolders(
          trx,
          { id: procurationId, name: validation.name, end_date: validation.endDate },
          "assigned",
          ctx.now,
          added,
        );
      }
      return String(procurationId);
    }),
  );
  if (outcome.fresh && holders.length > 0) ctx.app.mailQueued();
  if (outcome.fresh) return { ok: true, procurationId: Number(outcome.value), repeated: false };
  return { ok: true, procurationId: Number(outcome.previous), repeated: true };
}

export type AssignResult =
  | { ok: true; added: number; repeated: boolean }
  | { ok: false; errors: FieldErrors };

export async function assignProcuration(
  ctx: Ctx,
  procurationId: number,
  userIds: readonly number[],
  submissionKey: string,
): Promise<AssignResult> {
  const { actor, procuration } = await loadProcuration(ctx, procurationId, "procuration.assign");
  if (statusOf(procuration, today(ctx)) === "ended" || statusOf(procuration, today(ctx)) === "expired") {
    throw new AppError("procuration_inactive");
  }
  const checked = await checkAssignees(ctx, actor, userIds);
  if (!checked.ok) return checked;
  const outcome = await ctx.db.transaction().execute((trx) =>
    once(trx, { key: submissionKey, userId: actor.userId, now: ctx.now }, async () => {
      const added = await q.insertHolders(
        trx,
        procuration.id,
        checked.users.map((u) => u.id),
        actor.userId,
        ctx.now,
      );
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "procuration.assign",
          organizationId: actor.organizationId,
          targetType: "procuration",
          targetId: procuration.id,
          subjectUserId: added.length === 1 ? added[0] : null,
          details: { userIds: added },
        },
      );
      await mailHolders(trx, procuration, "assigned", ctx.now, added);
      return String(added.length);
    }),
  );
  if (outcome.fresh) ctx.app.mailQueued();
  return outcome.fresh
    ? { ok: true, added: Number(outcome.value), repeated: false }
    : { ok: true, added: Number(outcome.previous), repeated: true };
}

export type ChangeResult = { ok: true; repeated: boolean } | { ok: false; errors: FieldErrors };

export async function changeProcuration(
  ctx: Ctx,
  procurationId: number,
  form: ScopeForm,
  submissionKey: string,
): Promise<ChangeResult> {
  const { actor, procuration } = await loadProcuration(ctx, procurationId, "procuration.change");
  // An expired procuration counts as none: a change, even one that moves its end date, cannot revive it.
  const status = statusOf(procuration, today(ctx));
  if (status === "ended" || status === "expired") throw new AppError("procuration_inactive");
  const ministries = await listScopeChoices(ctx);
  const validation = checkScope(ctx, form, ministries, true);
  if (!validation.ok) return validation;
  const before = await q.findScope(ctx.db, [procuration.id]);
  const outcome = await ctx.db.transaction().execute((trx) =>
    once(trx, { key: submissionKey, userId: actor.userId, now: ctx.now }, async () => {
      await q.updateProcuration(trx, procuration.id, {
        name: validation.name,
        endDate: validation.endDate,
        now: ctx.now,
      });
      await q.replaceScope(trx, procuration.id, validation.scope);
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "procuration.change",
          organizationId: actor.organizationId,
          targetType: "procuration",
          targetId: procuration.id,
          details: {
            before: {
              name: procuration.name,
              endDate: procuration.end_date,
              scope: before.map((s) => ({
                ministryId: s.ministry_id,
                restricted: s.restricted,
                serviceIds: s.services.map((x) => x.service_id),
              })),
            },
            after: { name: validation.name, endDate: validation.endDate, scope: validation.scope },
          },
        },
      );
      await mailHolders(
        trx,
        { id: procuration.id, name: validation.name, end_date: validation.endDate },
        "changed",
        ctx.now,
      );
      await alertHoldersUnableToAct({ ...ctx, db: trx }, procuration.id);
      return String(procuration.id);
    }),
  );
  if (outcome.fresh) ctx.app.mailQueued();
  return { ok: true, repeated: !outcome.fresh };
}

export type EndResult =
  | { ok: true; changed: boolean; alreadyEnded: boolean; endDate: Day }
  | { ok: false; errors: FieldErrors };

/**
 * Ends a procuration at a date (today or later, before its current end), or at once. Its holders lose the access
 * it gave on their next request after that.
 */
export async function endProcuration(
  ctx: Ctx,
  procurationId: number,
  input: { endDate: string; immediately: boolean },
): Promise<EndResult> {
  const { actor, procuration } = await loadProcuration(ctx, procurationId, "procuration.end");
  if (procuration.ended_at) {
    return { ok: true, changed: false, alreadyEnded: true, endDate: procuration.end_date };
  }
  const day = today(ctx);
  let endDate: Day;
  if (input.immediately) {
    endDate =
      procuration.end_date < day
        ? procuration.end_date
        : day < procuration.start_date
          ? procuration.start_date
          : day;
  } else {
    if (input.endDate === "")
      return { ok: false, errors: { dateFin: { key: "procurations.endDate.required" } } };
    if (!isDay(input.endDate))
      return { ok: false, errors: { dateFin: { key: "procurations.endDate.invalid" } } };
    if (input.endDate < day) {
      return { ok: false, errors: { dateFin: { key: "procurations.end.beforeToday" } } };
    }
    if (input.endDate > procuration.end_date) {
      return {
        ok: false,
        errors: {
          dateFin: {
            key: "procurations.end.afterEnd",
            params: { end: formatDay(procuration.end_date, "fr") },
          },
        },
      };
    }
    endDate = input.endDate;
    // Ending again at the day it already ends changes nothing, and is not recorded twice.
    if (endDate === procuration.end_date) return { ok: true, changed: false, alreadyEnded: false, endDate };
  }
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const done = await q.endProcurationRow(trx, procuration.id, {
      endDate,
      immediately: input.immediately,
      by: actor.userId,
      now: ctx.now,
    });
    if (!done) return false;
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "procuration.end",
        organizationId: actor.organizationId,
        targetType: "procuration",
        targetId: procuration.id,
        details: { endDate, immediately: input.immediately, previousEndDate: procuration.end_date },
      },
    );
    await mailHolders(
      trx,
      { ...procuration, end_date: endDate },
      input.immediately ? "ended" : "endDate",
      ctx.now,
    );
    await alertHoldersUnableToAct({ ...ctx, db: trx }, procuration.id);
    return true;
  });
  if (changed) ctx.app.mailQueued();
  return { ok: true, changed, alreadyEnded: !changed, endDate };
}

/**
 * A change that may leave a local manager or agent manager among the procuration's holders without the procuration
 * their role rests on tells whoever must replace them, in the change's own transaction (manager-gaps).
 */
async function alertHoldersUnableToAct(ctx: Ctx, procurationId: number, userIds?: readonly number[]) {
  const holders = userIds ?? (await q.listCurrentHolders(ctx.db, procurationId)).map((h) => h.user_id);
  await alertManagersUnableToAct(ctx, ctx.app.publicUrl, holders);
}

export async function removeHolder(ctx: Ctx, procurationId: number, userId: number): Promise<boolean> {
  const { procuration } = await loadProcuration(ctx, procurationId, "procuration.assign");
  const removed = await ctx.db
    .transaction()
    .execute((trx) => removeHolderWithin({ ...ctx, db: trx }, procuration.id, userId));
  if (removed) ctx.app.mailQueued();
  return removed;
}

/**
 * A holder's removal in the caller's transaction (ctx.db), once the caller has authorized it: the services officer's
 * « Retirer », and an access review's removal or deadline (whose actor may be nobody, the job). The holder is told,
 * the audit log names it, and managers it leaves unable to act are alerted. False when they no longer held it.
 */
export async function removeHolderWithin(
  ctx: Ctx,
  procurationId: number,
  userId: number,
  details: Record<string, unknown> = {},
): Promise<boolean> {
  const procuration = await q.findProcuration(ctx.db, procurationId);
  if (!procuration) return false;
  // Read before the holder's row ends: the person is told, and no longer listed after.
  const holders = await q.listCurrentHolders(ctx.db, procuration.id);
  const by = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const done = await q.endHolder(ctx.db, procuration.id, userId, by, ctx.now);
  if (!done) return false;
  for (const holder of holders)
    if (holder.user_id === userId && !holder.disabled_at)
      await queueMail(ctx.db, holderMail(holder, procuration, "removed"), ctx.now);
  await recordAudit(ctx, {
    action: "procuration.removeHolder",
    organizationId: procuration.organization_id,
    subjectUserId: userId,
    targetType: "procuration",
    targetId: procuration.id,
    details: { userId, ...details },
  });
  await alertHoldersUnableToAct(ctx, procuration.id, [userId]);
  return true;
}

type HolderNews = "assigned" | "changed" | "ended" | "endDate" | "removed";
type Holder = Awaited<ReturnType<typeof q.listCurrentHolders>>[number];

/** The email telling a holder what became of their procuration, in their language. */
function holderMail(holder: Holder, procuration: { name: string; end_date: Day }, what: HolderNews) {
  const t = translator(holder.locale);
  const params = {
    name: `${holder.first_name} ${holder.last_name}`,
    procuration: procuration.name,
    end: formatDay(procuration.end_date, holder.locale),
  };
  return {
    to: holder.email,
    subject: t(`mail.procurationHolder.${what === "endDate" ? "changed" : what}.subject`, params),
    text: t(`mail.procurationHolder.${what}.body`, params),
  };
}

/** Tells the procuration's current holders (only those of `only`, when given), inside the change's transaction. */
async function mailHolders(
  trx: Kysely<DB>,
  procuration: { id: number; name: string; end_date: Day },
  what: Exclude<HolderNews, "removed">,
  now: Date,
  only?: readonly number[],
): Promise<void> {
  for (const holder of await q.listCurrentHolders(trx, procuration.id)) {
    if (holder.disabled_at || (only && !only.includes(holder.user_id))) continue;
    await queueMail(trx, holderMail(holder, procuration, what), now);
  }
}

/** The procurations a user holds that are valid today, as the policy's enterprise rule reads them. */
export async function validGrantsOf(
  db: Kysely<DB>,
  actor: Pick<UserActor, "userId" | "organizationId">,
  day: Day,
): Promise<ProcurationGrant[]> {
  // One statement: the scope of the procurations valid today.
  return grantsOfScope(
    await q.findScope(db, q.validProcurationIdsOfUser(db, actor.userId, actor.organizationId, day)),
  );
}

/** What the policy weighs of a procuration's scope (q.findScope, q.scopeOf). */
export function grantsOfScope(
  scope: readonly { ministry_id: number; restricted: boolean; services: { service_id: number }[] }[],
): ProcurationGrant[] {
  return scope.map((s) => ({
    ministryId: s.ministry_id,
    restricted: s.restricted,
    serviceIds: s.services.map((x) => x.service_id),
  }));
}

/**
 * The enterprise layer, for every later feature: may the actor act for their organization with this ministry
 * (and in this service)? Loaded fresh on each call, so an expired or ended procuration stops counting at once.
 */
export async function authorizeMinistryAct(
  ctx: Ctx,
  target: { ministryId: number; serviceId: number | null; organizationId?: number },
): Promise<UserActor> {
  const actor = requireUser(ctx.actor);
  const procurations = actor.isServicesOfficer ? [] : await validGrantsOf(ctx.db, actor, today(ctx));
  return authorize(actor, "organization.actWithMinistry", {
    // The organization acted for: the one owning the dossier, transfer… at hand; by default the actor's own.
    organizationId: target.organizationId ?? actor.organizationId,
    ministryId: target.ministryId,
    serviceId: target.serviceId,
    procurations,
  });
}

/** What a person lacks to act for their organization in a service, and who can give it: its services officers. */
export type ProcurationGap = {
  reason: "no_procuration" | "service_not_covered";
  officers: { name: string; email: string }[];
};

/**
 * Whether someone other than the actor (a deputy being named) holds, today, a procuration covering the service's
 * ministry and the service; when not, why, and the organization's services officers who can give one. Null when
 * covered: the enterprise rule itself decides (procurationCovers), and a services officer holds every procuration.
 */
export async function procurationGapOf(
  db: Kysely<DB>,
  day: Day,
  person: Pick<UserActor, "userId" | "organizationId" | "isServicesOfficer">,
  target: { ministryId: number; serviceId: number },
): Promise<ProcurationGap | null> {
  if (person.isServicesOfficer) return null;
  const decision = procurationCovers(
    await validGrantsOf(db, person, day),
    target.ministryId,
    target.serviceId,
  );
  if (decision.allowed) return null;
  const officers = await q.listServicesOfficers(db, person.organizationId);
  return {
    reason: decision.reason === "service_not_covered" ? "service_not_covered" : "no_procuration",
    officers: officers.map((o) => ({ name: `${o.first_name} ${o.last_name}`, email: o.email })),
  };
}

/** « Mon profil »: the procurations the user holds that are valid today, with their scope. */
export async function ownProcurations(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  const day = today(ctx);
  const held = await q.findValidProcurationsOfUser(ctx.db, actor.userId, actor.organizationId, day);
  const scope = await q.findScope(
    ctx.db,
    held.map((p) => p.id),
  );
  return held.map((p) => ({ ...p, scope: scope.filter((s) => s.procuration_id === p.id) }));
}

/**
 * Sends the reminders due today: 30 and 7 days before a procuration ends, to its holders and the organization's
 * services officers. Each reminder is recorded before its mails are queued, in one transaction: sent exactly once.
 */
export async function sendProcurationReminders(
  db: Kysely<DB>,
  now: Date,
  publicUrl: string,
): Promise<number> {
  const day = montrealDay(now);
  const ending = await q.findProcurationsEndingWithin(db, day, addDays(day, Math.max(...REMINDER_DAYS)));
  let sent = 0;
  for (const procuration of ending) {
    const left = daysBetween(day, procuration.end_date);
    // The nearest threshold reached: a job that missed day 30 still warns once, and day 7 follows.
    const threshold = [...REMINDER_DAYS].sort((a, b) => a - b).find((days) => left <= days);
    if (threshold === undefined) continue;
    const queued = await db.transaction().execute(async (trx) => {
      if (!(await q.claimReminder(trx, procuration.id, procuration.end_date, threshold, now))) return 0;
      const holders = await q.listCurrentHolders(trx, procuration.id);
      const officers = await q.listServicesOfficers(trx, procuration.organization_id);
      const recipients = new Map<string, { name: string; locale: "fr" | "en" }>();
      for (const h of holders)
        if (!h.disabled_at)
          recipients.set(h.email, { name: `${h.first_name} ${h.last_name}`, locale: h.locale });
      for (const o of officers)
        recipients.set(o.email, { name: `${o.first_name} ${o.last_name}`, locale: o.locale });
      for (const [email, person] of recipients) {
        const t = translator(person.locale);
        await queueMail(
          trx,
          {
            to: email,
            subject: t("mail.procurationReminder.subject", { days: left }),
            text: t("mail.procurationReminder.body", {
              name: person.name,
              procuration: procuration.name,
              organization: procuration.organization_name,
              end: formatDay(procuration.end_date, person.locale),
              days: left,
              link: `${publicUrl}/procurations/${procuration.id}`,
            }),
          },
          now,
        );
      }
      await recordAudit(
        { db: trx, actor: { kind: "anonymous" }, now, ip: null },
        {
          action: "procuration.reminder",
          organizationId: procuration.organization_id,
          targetType: "procuration",
          targetId: procuration.id,
          details: { daysBefore: threshold, endDate: procuration.end_date, recipients: recipients.size },
        },
      );
      return recipients.size;
    });
    sent += queued;
  }
  return sent;
}
