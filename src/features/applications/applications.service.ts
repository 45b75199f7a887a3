// « Demandes d'aide financière » and « Gestion des mandats »: drafts saved with their revision (a stale save is
// refused, never merged), every saved state kept as a version, transmission once and frozen, agents limited to the
// dossiers mandated to them. Every function asks the policy with facts read fresh from the database.
import type { Ctx } from "../../context.js";
import { AppError, isUniqueViolation } from "../../errors.js";
import { authorize, can } from "../../policy/policy.js";
import { formatDay, montrealDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { type Locale, type MessageKey, translator } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { queueMail } from "../mail/mail.service.js";
import {
  authorizeService,
  checkService,
  findPerson,
  loadServiceFacts,
  type RegistryService,
  type ServiceTarget,
} from "../registry/registry.service.js";
import { once } from "../submissions/submissions.service.js";
import * as q from "./applications.queries.js";
import { checkDefinition, type FormDefinition, validateSubmission } from "./form-definition.js";

export type ApplicationAction = "application.read" | "application.edit" | "application.transmit";

export type LoadedApplication = {
  application: q.ApplicationRow;
  form: FormDefinition;
  /** What the actor may do with it, as the policy answers now. */
  can: Record<ApplicationAction, boolean>;
};

function targetOf(service: RegistryService, application: { organization_id: number }): ServiceTarget {
  return { service, organizationId: application.organization_id };
}

/**
 * An application by its number, in the service of the page, for an action. A number of another service, or one
 * the actor may not open, is refused the same way as a missing one would be told apart only by the audit log.
 */
export async function loadApplication(
  ctx: Ctx,
  service: RegistryService,
  number: number,
  action: ApplicationAction,
): Promise<LoadedApplication> {
  const actor = requireUser(ctx.actor);
  const application = Number.isSafeInteger(number)
    ? await q.findApplicationByNumber(ctx.db, number)
    : undefined;
  if (!application || application.service_id !== service.id) throw new AppError("not_found");
  const facts = await loadServiceFacts(ctx.db, actor, targetOf(service, application), montrealDay(ctx.now));
  const mandated =
    facts.right?.startsWith("agent.") === true
      ? await q.isMandated(ctx.db, application.id, actor.userId)
      : false;
  const resource = {
    organizationId: application.organization_id,
    serviceId: service.id,
    ministryId: service.ministry_id,
    facts,
    mandated,
  };
  authorize(actor, action, resource);
  const form = checkDefinition((await q.findForm(ctx.db, application.form_id)).definition);
  return {
    application,
    form,
    can: {
      "application.read": can(actor, "application.read", resource).allowed,
      "application.edit": can(actor, "application.edit", resource).allowed && application.status === "draft",
      "application.transmit":
        can(actor, "application.transmit", resource).allowed && application.status === "draft",
    },
  };
}

export async function listApplications(ctx: Ctx, target: ServiceTarget) {
  const actor = await authorizeService(ctx, "application.list", target);
  return q.listApplications(ctx.db, {
    actorId: actor.userId,
    organizationId: target.organizationId,
    serviceId: target.service.id,
    today: montrealDay(ctx.now),
  });
}

export type Created = { ok: true; number: number } | { ok: false; status: 400 | 409; errors: FieldErrors };

/** Creates a draft with its title. An agent's new application is mandated to them in the same transaction. */
export async function createApplication(
  ctx: Ctx,
  target: ServiceTarget,
  input: { title: string; key: string },
): Promise<Created> {
  const actor = await authorizeService(ctx, "application.create", target);
  const facts = await loadServiceFacts(ctx.db, actor, target, montrealDay(ctx.now));
  const form = await q.findCurrentForm(ctx.db, target.service.id);
  if (!form) return { ok: false, status: 409, errors: { title: { key: "applications.noForm" } } };
  const definition = checkDefinition(form.definition);
  const { data, errors } = validateSubmission(definition, { title: input.title }, { complete: false });
  const title = typeof data.title === "string" ? data.title : "";
  if (errors.title || title === "") {
    return { ok: false, status: 400, errors: { title: errors.title ?? { key: "field.required" } } };
  }
  const outcome = await ctx.db.transaction().execute((trx) =>
    once(trx, { key: input.key, userId: actor.userId, now: ctx.now }, async () => {
      const created = await q.insertApplication(trx, {
        organizationId: target.organizationId,
        serviceId: target.service.id,
        formId: form.id,
        title,
        data: { title },
        by: actor.userId,
        now: ctx.now,
        previousId: null,
      });
      await q.insertVersion(trx, {
        applicationId: created.id,
        revision: created.revision,
        status: "draft",
        title,
        data: { title },
        by: actor.userId,
        now: ctx.now,
      });
      if (facts.right?.startsWith("agent.")) {
        await q.insertMandate(trx, {
          applicationId: created.id,
          agentUserId: actor.userId,
          by: actor.userId,
          now: ctx.now,
        });
      }
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "application.create",
          organizationId: target.organizationId,
          targetType: "application",
          targetId: created.number,
          details: {
            serviceId: target.service.id,
            mandatedToCreator: facts.right?.startsWith("agent.") ?? false,
          },
        },
      );
      return String(created.number);
    }),
  );
  return { ok: true, number: Number(outcome.fresh ? outcome.value : outcome.previous) };
}

export type Saved =
  | { ok: true; revision: number }
  | { ok: false; status: 400 | 409; errors: FieldErrors; data: Record<string, string> };

/**
 * Saves a draft. The form carries the revision it was opened at: if anyone saved or transmitted since, the save is
 * refused with a clear message and the user's input is given back, so nothing is silently overwritten.
 */
export async function saveApplication(
  ctx: Ctx,
  service: RegistryService,
  number: number,
  input: { revision: string; fields: Record<string, string>; locale: Locale },
): Promise<Saved> {
  const actor = requireUser(ctx.actor);
  const { application, form } = await loadApplication(ctx, service, number, "application.edit");
  const stale = refuseStale(application, input.revision, input.fields);
  if (stale) return stale;
  const { data, errors } = validateSubmission(form, input.fields, { complete: false, locale: input.locale });
  const title = typeof data.title === "string" ? data.title : "";
  if (title === "" && !errors.title) errors.title = { key: "field.required" };
  if (Object.values(errors).some(Boolean)) return { ok: false, status: 400, errors, data: input.fields };
  const saved = await ctx.db.transaction().execute(async (trx) => {
    const row = await q.saveDraft(trx, {
      id: application.id,
      revision: application.revision,
      title,
      data,
      by: actor.userId,
      now: ctx.now,
    });
    if (!row) return null;
    await q.insertVersion(trx, {
      applicationId: application.id,
      revision: row.revision,
      status: "draft",
      title,
      data,
      by: actor.userId,
      now: ctx.now,
    });
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "application.save",
        organizationId: application.organization_id,
        targetType: "application",
        targetId: application.number,
        details: { revision: row.revision },
      },
    );
    return row.revision;
  });
  if (saved === null) return staleRefusal(input.fields);
  return { ok: true, revision: saved };
}

function refuseStale(
  application: q.ApplicationRow,
  revision: string,
  fields: Record<string, string>,
): Saved | null {
  if (application.status !== "draft")
    return {
      ok: false,
      status: 409,
      errors: { revision: { key: "applications.alreadyTransmitted" } },
      data: fields,
    };
  if (!/^\d{1,9}$/.test(revision)) throw new AppError("bad_request");
  return Number(revision) === application.revision ? null : staleRefusal(fields);
}

function staleRefusal(fields: Record<string, string>): Saved {
  return {
    ok: false,
    status: 409,
    errors: { revision: { key: "applications.staleRevision" } },
    data: fields,
  };
}

export type Transmitted =
  | { ok: true; transmissionNumber: number; transmittedAt: Date }
  | { ok: false; status: 400 | 409; errors: FieldErrors };

/**
 * Transmits the draft as saved: it must be complete. The update names the draft status and the revision, so two
 * tabs or a double click transmit once; the second is told it was already transmitted. A receipt is mailed.
 */
export async function transmitApplication(
  ctx: Ctx,
  service: RegistryService,
  number: number,
  input: { revision: string; attachmentCounts: Record<string, number>; locale: Locale },
): Promise<Transmitted> {
  const actor = requireUser(ctx.actor);
  const { application, form } = await loadApplication(ctx, service, number, "application.transmit");
  const stale = refuseStale(application, input.revision, {});
  if (stale && !stale.ok) return { ok: false, status: stale.status, errors: stale.errors };
  const stored = Object.fromEntries(
    Object.entries(application.data).map(([name, value]) => [name, storedAsInput(form, name, value)]),
  );
  const { errors } = validateSubmission(form, stored, {
    complete: true,
    attachmentCounts: input.attachmentCounts,
    locale: input.locale,
  });
  if (Object.values(errors).some(Boolean)) return { ok: false, status: 400, errors };
  const user = await ctx.db
    .selectFrom("app_user")
    .select(["email", "first_name", "last_name", "locale"])
    .where("id", "=", actor.userId)
    .executeTakeFirstOrThrow();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const row = await q.transmit(trx, {
      id: application.id,
      revision: application.revision,
      by: actor.userId,
      now: ctx.now,
    });
    if (!row || row.transmission_number === null) return null;
    await q.insertVersion(trx, {
      applicationId: application.id,
      revision: row.revision,
      status: "transmitted",
      title: row.title,
      data: row.data,
      by: actor.userId,
      now: ctx.now,
    });
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "application.transmit",
        organizationId: application.organization_id,
        targetType: "application",
        targetId: application.number,
        details: { transmissionNumber: row.transmission_number, revision: row.revision },
      },
    );
    const t = translator(user.locale);
    await queueMail(
      trx,
      {
        to: user.email,
        subject: t("mail.applicationTransmitted.subject", {
          service: service.code,
          number: row.transmission_number,
        }),
        text: t("mail.applicationTransmitted.body", {
          name: `${user.first_name} ${user.last_name}`,
          title: row.title,
          application: application.number,
          organization: application.organization_name,
          service: `${service.code} — ${service.name}`,
          number: row.transmission_number,
          date: `${formatDay(montrealDay(ctx.now), user.locale)} ${montrealTime(ctx.now)}`,
        }),
      },
      ctx.now,
    );
    return { transmissionNumber: row.transmission_number, transmittedAt: ctx.now };
  });
  if (!done)
    return { ok: false, status: 409, errors: { revision: { key: "applications.alreadyTransmitted" } } };
  ctx.app.mailQueued();
  return { ok: true, ...done };
}

function montrealTime(at: Date): string {
  return new Intl.DateTimeFormat("fr-CA", {
    timeZone: "America/Montreal",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
}

/** A stored value as the form would send it again (money back to « 1234,56 »), to validate it for transmission. */
export function storedAsInput(form: FormDefinition, name: string, value: string | number): string {
  const field = form.sections.flatMap((s) => s.fields).find((f) => f.name === name);
  if (field?.type === "money" && typeof value === "number")
    return `${Math.trunc(value / 100)},${String(value % 100).padStart(2, "0")}`;
  return String(value);
}

/** A transmitted application is frozen; a new version is a new draft that copies it (once per application). */
export async function newVersion(ctx: Ctx, service: RegistryService, number: number): Promise<number> {
  const actor = requireUser(ctx.actor);
  const { application } = await loadApplication(ctx, service, number, "application.read");
  if (application.status !== "transmitted") throw new AppError("conflict");
  const facts = await loadServiceFacts(ctx.db, actor, targetOf(service, application), montrealDay(ctx.now));
  const mandated =
    facts.right?.startsWith("agent.") === true
      ? await q.isMandated(ctx.db, application.id, actor.userId)
      : false;
  authorize(actor, "application.edit", {
    organizationId: application.organization_id,
    serviceId: service.id,
    ministryId: service.ministry_id,
    facts,
    mandated,
  });
  const existing = await q.findNextVersion(ctx.db, application.id);
  if (existing) return existing.number;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const created = await q.insertApplication(trx, {
        organizationId: application.organization_id,
        serviceId: service.id,
        formId: application.form_id,
        title: application.title,
        data: application.data,
        by: actor.userId,
        now: ctx.now,
        previousId: application.id,
      });
      await q.insertVersion(trx, {
        applicationId: created.id,
        revision: created.revision,
        status: "draft",
        title: application.title,
        data: application.data,
        by: actor.userId,
        now: ctx.now,
      });
      // The agents mandated on the transmitted application keep their mandate on its new version.
      await trx
        .insertInto("mandate")
        .columns(["application_id", "agent_user_id", "assigned_at", "assigned_by"])
        .expression((eb) =>
          eb
            .selectFrom("mandate")
            .select((s) => [
              s.val(created.id).as("application_id"),
              "agent_user_id",
              s.val(ctx.now).as("assigned_at"),
              s.val(actor.userId).as("assigned_by"),
            ])
            .where("application_id", "=", application.id)
            .where("ended_at", "is", null),
        )
        .execute();
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "application.newVersion",
          organizationId: application.organization_id,
          targetType: "application",
          targetId: created.number,
          details: { previous: application.number },
        },
      );
      return created.number;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const next = await q.findNextVersion(ctx.db, application.id);
    if (!next) throw error;
    return next.number;
  }
}

export async function listVersions(ctx: Ctx, service: RegistryService, number: number) {
  const { application } = await loadApplication(ctx, service, number, "application.read");
  return q.listVersions(ctx.db, application.id);
}

export async function getVersion(ctx: Ctx, service: RegistryService, number: number, revision: number) {
  const loaded = await loadApplication(ctx, service, number, "application.read");
  const version = Number.isSafeInteger(revision)
    ? await q.findVersion(ctx.db, loaded.application.id, revision)
    : undefined;
  if (!version) throw new AppError("not_found");
  return { ...loaded, version };
}

// --- The ministry

export async function listTransmittedForMinistry(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  authorize(actor, "application.readAsMinistry", { ministryId: actor.organizationId });
  return q.listTransmittedForMinistry(ctx.db, actor.organizationId);
}

/** A transmitted application of one of the ministry's services; a draft does not exist for the ministry. */
export async function getTransmittedForMinistry(ctx: Ctx, number: number) {
  const actor = requireUser(ctx.actor);
  const application = Number.isSafeInteger(number)
    ? await q.findApplicationByNumber(ctx.db, number)
    : undefined;
  const service = application
    ? await ctx.db
        .selectFrom("online_service")
        .select(["id", "code", "name", "ministry_id"])
        .where("id", "=", application.service_id)
        .executeTakeFirst()
    : undefined;
  authorize(actor, "application.readAsMinistry", {
    ministryId: service?.ministry_id ?? actor.organizationId,
    ...(application ? { organizationId: application.organization_id } : {}),
  });
  if (!application || !service || application.status !== "transmitted") throw new AppError("not_found");
  const form = checkDefinition((await q.findForm(ctx.db, application.form_id)).definition);
  return { application, service, form };
}

// --- Mandates

export type MandateOutcome =
  | { ok: true; name: string }
  | { ok: false; status: 400 | 409; errors: FieldErrors };

function refuse(key: MessageKey, status: 400 | 409 = 400): MandateOutcome {
  return { ok: false, status, errors: { agent: { key } } };
}

/**
 * The infrastructure services where the actor may manage their organization's mandates: local manager or deputy
 * there, and both layers allow it (an expired procuration shows nothing).
 */
export async function mandateServices(ctx: Ctx): Promise<RegistryService[]> {
  const actor = requireUser(ctx.actor);
  const services = await q.listManagedServices(ctx.db, actor.userId, actor.organizationId);
  const allowed: RegistryService[] = [];
  for (const service of services) {
    const decision = await checkService(ctx, "mandate.view", {
      service,
      organizationId: actor.organizationId,
    });
    if (decision.allowed) allowed.push(service);
  }
  return allowed;
}

/**
 * « Gestion des mandats »: the organization's current mandates across the infrastructure services where the actor
 * may see them, filtered in SQL. Someone who may see none is refused, with the policy's reason in the audit log.
 */
export async function listMandates(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  const services = await mandateServices(ctx);
  if (services.length === 0) {
    const managed = await q.listManagedServices(ctx.db, actor.userId, actor.organizationId);
    const service = managed[0] ?? (await q.findMandatesService(ctx.db));
    await authorizeService(ctx, "mandate.view", { service, organizationId: actor.organizationId });
    throw new AppError("forbidden");
  }
  return q.listMandates(ctx.db, {
    organizationId: actor.organizationId,
    serviceIds: services.map((service) => service.id),
  });
}

/** Assigns an application to an agent who holds an agent right for the organization in the service. */
export async function assignMandate(
  ctx: Ctx,
  service: RegistryService,
  number: number,
  agentCode: string,
): Promise<MandateOutcome> {
  const application = Number.isSafeInteger(number)
    ? await q.findApplicationByNumber(ctx.db, number)
    : undefined;
  if (!application || application.service_id !== service.id) throw new AppError("not_found");
  const target = targetOf(service, application);
  const actor = await authorizeService(ctx, "mandate.assign", target);
  const found = await findPerson(ctx, service.id, agentCode);
  if ("error" in found) return refuse(found.error);
  const { person } = found;
  if (person.disabled_at !== null) return refuse("registry.granteeDisabled");
  const agentFacts = await loadServiceFacts(
    ctx.db,
    { ...actor, userId: person.id, organizationId: person.organization_id },
    target,
    montrealDay(ctx.now),
  );
  if (agentFacts.right !== "agent.write" && agentFacts.right !== "agent.read")
    return refuse("applications.notAnAgent");
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const mandateId = await q.insertMandate(trx, {
        applicationId: application.id,
        agentUserId: person.id,
        by: actor.userId,
        now: ctx.now,
      });
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "mandate.assign",
          organizationId: application.organization_id,
          targetType: "mandate",
          targetId: mandateId,
          details: { application: application.number, agentUserId: person.id, serviceId: service.id },
        },
      );
      const t = translator(person.locale);
      await queueMail(
        trx,
        {
          to: person.email,
          subject: t("mail.mandateAssigned.subject", { service: service.code }),
          text: t("mail.mandateAssigned.body", {
            name: `${person.first_name} ${person.last_name}`,
            organization: application.organization_name,
            application: `${application.number} — ${application.title}`,
            service: `${service.code} — ${service.name}`,
          }),
        },
        ctx.now,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse("applications.alreadyMandated", 409);
    throw error;
  }
  ctx.app.mailQueued();
  return { ok: true, name: `${person.first_name} ${person.last_name}` };
}

/** Ends a mandate at once: the agent loses the dossier on their next request. Ending it twice changes nothing. */
export async function endMandate(
  ctx: Ctx,
  service: RegistryService,
  mandateId: number,
): Promise<MandateOutcome> {
  const mandate = Number.isSafeInteger(mandateId) ? await q.findMandate(ctx.db, mandateId) : undefined;
  if (!mandate || mandate.service_id !== service.id) throw new AppError("not_found");
  const actor = await authorizeService(ctx, "mandate.end", {
    service,
    organizationId: mandate.organization_id,
  });
  const ended = await ctx.db.transaction().execute(async (trx) => {
    const ids = await q.endMandates(trx, { mandateId }, { by: actor.userId, reason: "ended", at: ctx.now });
    if (ids.length === 0) return false;
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "mandate.end",
        organizationId: mandate.organization_id,
        targetType: "mandate",
        targetId: mandateId,
        details: { application: mandate.number, agentUserId: mandate.agent_user_id },
      },
    );
    return true;
  });
  return ended ? { ok: true, name: String(mandate.number) } : refuse("applications.mandateAlreadyEnded", 409);
}
