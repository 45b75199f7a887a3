// « Demandes d'aide financière » and « Gestion des mandats »: drafts saved with their revision (a stale save is
// refused, never merged), every saved state kept as a version, transmission once and frozen, agents limited to the
// dossiers mandated to them. Every function asks the policy with facts read fresh from the database.
import { type Ctx, referenceRead } from "../../context.js";
import { AppError, isUniqueViolation } from "../../errors.js";
import type { UserActor } from "../../policy/actor.js";
import { authorize, can } from "../../policy/policy.js";
import { formatDay, montrealDay } from "../../util/days.js";
import { type FieldErrors, hasErrors } from "../../web/forms.js";
import { serviceTitle } from "../../web/localized.js";
import { type Locale, type MessageKey, translator } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { findDeclaredDossier } from "../decisions/dossiers.service.js";
import { queueMail } from "../mail/mail.service.js";
import { findOrganizationById } from "../organizations/organizations.queries.js";
import {
  authorizeService,
  authorizeServiceWith,
  checkService,
  checkServices,
  findPerson,
  listRegistry,
  loadServiceFacts,
  type Person,
  type RegistryService,
  type ServiceTarget,
  serviceDecisionsFor,
} from "../registry/registry.service.js";
import { once } from "../submissions/submissions.service.js";
import * as q from "./applications.queries.js";
import { checkDefinition, type FormDefinition, inputValues, validateSubmission } from "./form-definition.js";

export type ApplicationAction = "application.read" | "application.edit" | "application.transmit";

export type LoadedApplication = {
  application: q.ApplicationRow;
  form: FormDefinition;
  /** What the actor may do with it, as the policy answers now. */
  can: Record<ApplicationAction, boolean>;
  /** Whether the policy lets the actor write on this dossier, whatever its status: a new version is theirs to make. */
  writer: boolean;
  /** Whether the actor may mandate agents on it (« mandate.assign »), from the same facts. */
  canMandate: boolean;
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
  try {
    authorize(actor, action, resource);
  } catch (error) {
    // The refusal page tells what is missing on this dossier (a mandate, say): the denial carries its number.
    if (error instanceof AppError && error.denial)
      throw new AppError(error.code, { denial: { ...error.denial, dossier: application.number } });
    throw error;
  }
  const form = checkDefinition((await q.findForm(ctx.db, application.form_id)).definition);
  const writer = can(actor, "application.edit", resource).allowed;
  const draft = application.status === "draft";
  return {
    application,
    form,
    writer,
    canMandate: can(actor, "mandate.assign", resource).allowed,
    can: {
      "application.read": can(actor, "application.read", resource).allowed,
      "application.edit": writer && draft,
      "application.transmit": can(actor, "application.transmit", resource).allowed && draft,
    },
  };
}

export async function listApplications(ctx: Ctx, target: ServiceTarget) {
  return readApplications(ctx, await authorizeService(ctx, "application.list", target), target);
}

function readApplications(ctx: Ctx, actor: UserActor, target: ServiceTarget) {
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
  const actor = requireUser(ctx.actor);
  // One read of the registry both decides and tells whether the creator is an agent (mandated to their draft).
  const facts = await loadServiceFacts(ctx.db, actor, target, montrealDay(ctx.now));
  authorize(actor, "application.create", {
    organizationId: target.organizationId,
    serviceId: target.service.id,
    ministryId: target.service.ministry_id,
    facts,
  });
  const form = await q.findCurrentForm(ctx.db, target.service.id);
  if (!form) return { ok: false, status: 409, errors: { title: { key: "applications.noForm" } } };
  const definition = checkDefinition(form.definition);
  const { data, errors } = validateSubmission(definition, { title: input.title }, { complete: false });
  const title = typeof data.title === "string" ? data.title : "";
  if (errors.title || title === "") {
    return {
      ok: false,
      status: 400,
      errors: { title: errors.title ?? { key: "applications.title.required" } },
    };
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
          serviceId: target.service.id,
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
  if (title === "" && !errors.title) errors.title = { key: "applications.title.required" };
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
        serviceId: application.service_id,
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
  input: { revision: string; attachmentCounts?: Record<string, number>; locale: Locale },
): Promise<Transmitted> {
  const actor = requireUser(ctx.actor);
  const { application, form } = await loadApplication(ctx, service, number, "application.transmit");
  const stale = refuseStale(application, input.revision, {});
  if (stale && !stale.ok) return { ok: false, status: stale.status, errors: stale.errors };
  // Without counts given, the attachments are counted here, and again once the row is locked for transmission.
  const counted = input.attachmentCounts === undefined;
  const errors = transmissionErrors(
    form,
    application,
    input.attachmentCounts ?? (await q.countAttachments(ctx.db, application.id)),
    input.locale,
  );
  if (hasErrors(errors)) return { ok: false, status: 400, errors };
  const user = await q.findMailRecipient(ctx.db, actor.userId);
  const done = await inTransmission(ctx, async (trx) => {
    const row = await q.transmit(trx, {
      id: application.id,
      revision: application.revision,
      by: actor.userId,
      now: ctx.now,
    });
    if (!row || row.transmission_number === null) return null;
    if (counted) {
      // An attachment removed while this request ran would otherwise be missing from what is transmitted.
      const late = transmissionErrors(
        form,
        application,
        await q.countAttachments(trx, application.id),
        input.locale,
      );
      if (hasErrors(late)) throw new Incomplete(late);
    }
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
        serviceId: application.service_id,
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
  if (done === null)
    return { ok: false, status: 409, errors: { revision: { key: "applications.alreadyTransmitted" } } };
  if ("incomplete" in done) return { ok: false, status: 400, errors: done.incomplete };
  ctx.app.mailQueued();
  return { ok: true, ...done };
}

class Incomplete extends Error {
  constructor(readonly errors: FieldErrors) {
    super("incomplete");
  }
}

/** Runs the transmission's transaction; a late discovery that the draft is incomplete rolls it back. */
async function inTransmission<T>(
  ctx: Ctx,
  work: (trx: Ctx["db"]) => Promise<T>,
): Promise<T | { incomplete: FieldErrors }> {
  try {
    return await ctx.db.transaction().execute(work);
  } catch (error) {
    if (error instanceof Incomplete) return { incomplete: error.errors };
    throw error;
  }
}

/** What keeps a draft, as saved, from being transmitted: required fields left empty, missing attachments. */
export function transmissionErrors(
  form: FormDefinition,
  application: q.ApplicationRow,
  attachmentCounts: Record<string, number>,
  locale: Locale,
): FieldErrors {
  return validateSubmission(form, inputValues(form, application.data, "fr"), {
    complete: true,
    attachmentCounts,
    locale,
  }).errors;
}

function montrealTime(at: Date): string {
  return new Intl.DateTimeFormat("fr-CA", {
    timeZone: "America/Montreal",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
}

/** A transmitted application is frozen; a new version is a new draft that copies it (once per application). */
export async function newVersion(ctx: Ctx, service: RegistryService, number: number): Promise<number> {
  const actor = requireUser(ctx.actor);
  // Who may edit may start the next version; the edit rule reads rights and mandates, the status is checked here.
  const { application } = await loadApplication(ctx, service, number, "application.edit");
  if (application.status !== "transmitted") throw new AppError("conflict");
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
      await q.copyMandates(trx, { fromId: application.id, toId: created.id, by: actor.userId, now: ctx.now });
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "application.newVersion",
          organizationId: application.organization_id,
          serviceId: application.service_id,
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
  const service = application ? await q.findService(ctx.db, { id: application.service_id }) : undefined;
  authorize(actor, "application.readAsMinistry", {
    ministryId: service?.ministry_id ?? actor.organizationId,
    ...(application ? { organizationId: application.organization_id } : {}),
  });
  if (!application || !service || application.status !== "transmitted") throw new AppError("not_found");
  const form = checkDefinition((await q.findForm(ctx.db, application.form_id)).definition);
  return { application, service, form };
}

// --- Mandates

type MandateRefusal = { ok: false; status: 400 | 409; errors: FieldErrors };

export type MandateOutcome = { ok: true; name: string } | MandateRefusal;

function refuse(key: MessageKey, status: 400 | 409 = 400): MandateRefusal {
  return { ok: false, status, errors: { agent: { key } } };
}

/**
 * The infrastructure services where the actor may manage their organization's mandates: local manager or deputy
 * there, and both layers allow it (an expired procuration shows nothing).
 */
export async function mandateServices(ctx: Ctx): Promise<RegistryService[]> {
  const actor = requireUser(ctx.actor);
  return allowedToView(ctx, actor, await q.listManagedServices(ctx.db, actor.userId, actor.organizationId));
}

/** Those of the services where the policy lets the actor see their organization's mandates. */
async function allowedToView(
  ctx: Ctx,
  actor: UserActor,
  services: RegistryService[],
): Promise<RegistryService[]> {
  const decisions = await checkServices(
    ctx,
    "mandate.view",
    services.map((service) => ({ service, organizationId: actor.organizationId })),
  );
  return services.filter((_service, index) => decisions[index]?.allowed);
}

/**
 * « Gestion des mandats »: the organization's current mandates across the infrastructure services where the actor
 * may see them, filtered in SQL, and those services (each with its list of dossiers). Someone who may see none is refused, with the policy's reason in the audit log.
 */
export async function listMandates(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  const found = await q.findManagedServicesWithMandates(ctx.db, actor.userId, actor.organizationId);
  const services = await allowedToView(ctx, actor, found.services);
  if (services.length === 0) {
    const service = found.services[0] ?? (await q.findService(ctx.db, { code: q.MANDATES_SERVICE_CODE }));
    await authorizeService(ctx, "mandate.view", { service, organizationId: actor.organizationId });
    throw new AppError("forbidden");
  }
  const shown = new Set(services.map((service) => service.id));
  return { rows: found.mandates.filter((row) => shown.has(row.service_id)), services };
}

/** The person a user code names, if they may be mandated in the target's registry: they hold an agent right there. */
async function mandateCandidate(
  ctx: Ctx,
  actor: UserActor,
  target: ServiceTarget,
  agentCode: string,
): Promise<{ person: Person } | MandateRefusal> {
  const found = await findPerson(ctx, target, agentCode, "staffAndAgents");
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
  return { person };
}

/** The dossier a mandate names, either kind, as the mandate pages and the audit log name it. */
export type MandateDossier = {
  key: q.MandateDossierKey;
  kind: "application" | "declared";
  /** The application's number, or the id the online service gave its declared dossier. */
  reference: string;
  title: string;
  organizationId: number;
  organizationName: string;
  service: RegistryService;
};

function applicationDossier(service: RegistryService, application: q.ApplicationRow): MandateDossier {
  return {
    key: { applicationId: application.id },
    kind: "application",
    reference: String(application.number),
    title: application.title,
    organizationId: application.organization_id,
    organizationName: application.organization_name,
    service,
  };
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
  return assignMandateOn(ctx, applicationDossier(service, application), agentCode);
}

/**
 * Assigns a dossier of either kind to an agent who holds an agent right for its organization in its service. The
 * unique index of current mandates decides between two submissions at once: the second is told it is done already.
 */
async function assignMandateOn(
  ctx: Ctx,
  dossier: MandateDossier,
  agentCode: string,
): Promise<MandateOutcome> {
  const { service } = dossier;
  const target = { service, organizationId: dossier.organizationId };
  const actor = await authorizeService(ctx, "mandate.assign", target);
  const candidate = await mandateCandidate(ctx, actor, target, agentCode);
  if (!("person" in candidate)) return candidate;
  const { person } = candidate;
  try {
    await ctx.db
      .transaction()
      .execute((trx) => recordMandate({ ...ctx, db: trx }, dossier, person, actor.userId));
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(alreadyMandatedKey(dossier), 409);
    throw error;
  }
  ctx.app.mailQueued();
  return { ok: true, name: `${person.first_name} ${person.last_name}` };
}

/**
 * Records a mandate in the caller's transaction (ctx.db), with its audit event and the agent's mail: « Gestion des
 * mandats », and the approval of a request that names a dossier (« Demander un accès »).
 */
export async function recordMandate(
  ctx: Ctx,
  dossier: MandateDossier,
  person: Pick<Person, "id" | "first_name" | "last_name" | "email" | "locale">,
  byUserId: number,
): Promise<void> {
  const { service } = dossier;
  const named = dossier.kind === "application" ? "application" : "dossier";
  const mandateId = await q.insertMandate(ctx.db, {
    ...dossier.key,
    agentUserId: person.id,
    by: byUserId,
    now: ctx.now,
  });
  await recordAudit(ctx, {
    action: "mandate.assign",
    organizationId: dossier.organizationId,
    serviceId: service.id,
    subjectUserId: person.id,
    targetType: "mandate",
    targetId: mandateId,
    details: {
      [named]: dossier.kind === "application" ? Number(dossier.reference) : dossier.reference,
      agentUserId: person.id,
      serviceId: service.id,
    },
  });
  const t = translator(person.locale);
  await queueMail(
    ctx.db,
    {
      to: person.email,
      subject: t("mail.mandateAssigned.subject", { service: service.code }),
      text: t(
        dossier.kind === "application" ? "mail.mandateAssigned.body" : "mail.mandateAssignedDossier.body",
        {
          name: `${person.first_name} ${person.last_name}`,
          organization: dossier.organizationName,
          application: `${dossier.reference} — ${dossier.title}`,
          service: `${service.code} — ${service.name}`,
        },
      ),
    },
    ctx.now,
  );
}

/**
 * The approval of a request naming one of the organization's applications mandates the agent on it, in the approval's
 * transaction (ctx.db); nothing when they already hold a current mandate there.
 */
export async function mandateOnApproval(
  ctx: Ctx,
  service: RegistryService,
  applicationId: number,
  person: Pick<Person, "id" | "first_name" | "last_name" | "email" | "locale">,
  byUserId: number,
): Promise<boolean> {
  const application = await q.findApplicationById(ctx.db, applicationId);
  if (!application || application.service_id !== service.id) return false;
  if (await q.isMandated(ctx.db, application.id, person.id)) return false;
  await recordMandate(ctx, applicationDossier(service, application), person, byUserId);
  return true;
}

function alreadyMandatedKey(dossier: MandateDossier): MessageKey {
  return dossier.kind === "application"
    ? "applications.alreadyMandated"
    : "applications.alreadyMandatedDossier";
}

export type EndedMandate = { ok: true; kind: "application" | "declared"; name: string } | MandateRefusal;

/**
 * Ends a mandate at once, on an application or a declared dossier: the agent loses the dossier on their next request
 * (or decision). Ending it twice changes nothing.
 */
export async function endMandate(
  ctx: Ctx,
  service: RegistryService,
  mandateId: number,
): Promise<EndedMandate> {
  const mandate = Number.isSafeInteger(mandateId) ? await q.findMandate(ctx.db, mandateId) : undefined;
  if (!mandate || mandate.service_id !== service.id) throw new AppError("not_found");
  await authorizeService(ctx, "mandate.end", {
    service,
    organizationId: mandate.organization_id,
  });
  const ended = await ctx.db
    .transaction()
    .execute((trx) => endMandateWithin({ ...ctx, db: trx }, service, mandate));
  if (ended) ctx.app.mailQueued();
  return ended
    ? { ok: true, kind: mandate.kind, name: mandate.reference }
    : refuse("applications.mandateAlreadyEnded", 409);
}

/**
 * A mandate's end in the caller's transaction (ctx.db), once the caller has authorized it: « Mettre fin » in
 * « Gestion des mandats », and an access review's removal or deadline (whose actor may be nobody, the job). The agent
 * is told, the audit log names it. With a mandate id, the mandate is read here. False when it had already ended.
 */
export async function endMandateWithin(
  ctx: Ctx,
  service: RegistryService,
  mandateOrId: FoundMandate | number,
): Promise<boolean> {
  const mandate = typeof mandateOrId === "number" ? await q.findMandate(ctx.db, mandateOrId) : mandateOrId;
  if (!mandate) return false;
  const mandateId = mandate.id;
  const by = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const ids = await q.endMandates(ctx.db, { mandateId }, { by, reason: "ended", at: ctx.now });
  if (ids.length === 0) return false;
  await recordAudit(ctx, {
    action: "mandate.end",
    organizationId: mandate.organization_id,
    serviceId: service.id,
    subjectUserId: mandate.agent_user_id,
    targetType: "mandate",
    targetId: mandateId,
    details: {
      ...(mandate.kind === "application"
        ? { application: Number(mandate.reference) }
        : { dossier: mandate.reference, serviceId: service.id }),
      agentUserId: mandate.agent_user_id,
    },
  });
  const t = translator(mandate.locale);
  await queueMail(
    ctx.db,
    {
      to: mandate.email,
      subject: t("mail.mandateEnded.subject", { service: service.code }),
      text: t(mandate.kind === "application" ? "mail.mandateEnded.body" : "mail.mandateEndedDossier.body", {
        name: `${mandate.first_name} ${mandate.last_name}`,
        organization: mandate.organization_name,
        application: `${mandate.reference} — ${mandate.title}`,
        service: serviceTitle(mandate.locale, service),
      }),
    },
    ctx.now,
  );
  return true;
}

type FoundMandate = NonNullable<Awaited<ReturnType<typeof q.findMandate>>>;

// --- What the pages read

/** The organization a URL names; an unknown one is a page that does not exist. */
async function organizationOfUrl(ctx: Ctx, organizationId: number): Promise<{ id: number; name: string }> {
  const organization = Number.isSafeInteger(organizationId)
    ? await referenceRead(ctx, `organization:${organizationId}`, (db) =>
        findOrganizationById(db, organizationId),
      )
    : undefined;
  if (!organization) throw new AppError("not_found");
  return { id: organization.id, name: organization.name };
}

/** The list of (organization, service): the applications the actor may see, and whether they may start one. */
export async function applicationListPage(ctx: Ctx, service: RegistryService, organizationId: number) {
  const organization = await organizationOfUrl(ctx, organizationId);
  const target = { service, organizationId: organization.id };
  const { actor, decide } = await authorizeServiceWith(ctx, "application.list", target);
  const applications = await readApplications(ctx, actor, target);
  return { organization, applications, canCreate: decide("application.create").allowed };
}

export type ApplicationListPage = Awaited<ReturnType<typeof applicationListPage>>;

/**
 * One application as its page shows it: what the actor may do with it, its current attachments, the new version
 * made from it (once transmitted), and whether the actor may mandate agents on it.
 */
export async function applicationPage(
  ctx: Ctx,
  service: RegistryService,
  number: number,
  action: ApplicationAction = "application.read",
) {
  const loaded = await loadApplication(ctx, service, number, action);
  const { application } = loaded;
  const attachments = await q.listAttachments(ctx.db, application.id);
  const next =
    application.status === "transmitted" ? await q.findNextVersion(ctx.db, application.id) : undefined;
  // canMandate comes with loaded: the facts it read answer « mandate.assign » too, so no second read per page.
  return { ...loaded, service, attachments, nextVersion: next?.number ?? null };
}

export type ApplicationPage = Awaited<ReturnType<typeof applicationPage>>;

function countByField(attachments: readonly { field: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const attachment of attachments) counts[attachment.field] = (counts[attachment.field] ?? 0) + 1;
  return counts;
}

/** « Transmettre »: the draft as saved, and what keeps it from being transmitted (nothing when it is complete). */
export async function previewTransmission(
  ctx: Ctx,
  service: RegistryService,
  number: number,
  locale: Locale,
): Promise<{ page: ApplicationPage; errors: FieldErrors }> {
  const page = await applicationPage(ctx, service, number, "application.transmit");
  const errors =
    page.application.status === "draft"
      ? transmissionErrors(page.form, page.application, countByField(page.attachments), locale)
      : {};
  return { page, errors };
}

/** « Versions »: every saved state of the application, newest first. */
export async function versionsPage(ctx: Ctx, service: RegistryService, number: number) {
  const loaded = await loadApplication(ctx, service, number, "application.read");
  return { ...loaded, service, versions: await q.listVersions(ctx.db, loaded.application.id) };
}

/** One saved state, with the attachments the application held at that moment. */
export async function versionPage(ctx: Ctx, service: RegistryService, number: number, revision: number) {
  const found = await getVersion(ctx, service, number, revision);
  const attachments = await q.listAttachments(ctx.db, found.application.id, found.version.saved_at);
  return { ...found, service, attachments };
}

/** The ministry's read-only view of a transmitted application, with its attachments. */
export async function ministryApplicationPage(ctx: Ctx, number: number) {
  const found = await getTransmittedForMinistry(ctx, number);
  return { ...found, attachments: await q.listAttachments(ctx.db, found.application.id) };
}

/**
 * The home page's links, from the rows the home page read (q.applicationSpacesOf, q.managedServices): the
 * (service, organization) pairs whose list of applications the actor may open, and whether « Gestion des mandats »
 * opens; every target decided from one read of the facts.
 */
export async function applicationsHomeOf(
  ctx: Ctx,
  spaceRows: readonly ApplicationSpaceRow[],
  managed: readonly RegistryService[],
): Promise<{ spaces: ApplicationSpaceRow[]; managesMandates: boolean }> {
  const actor = requireUser(ctx.actor);
  const spaceTargets = spaceRows.map((row) => ({
    service: { id: row.id, code: row.code, name: row.name, ministry_id: row.ministry_id },
    organizationId: row.organization_id,
  }));
  const mandateTargets = managed.map((service) => ({ service, organizationId: actor.organizationId }));
  const decide = await serviceDecisionsFor(ctx, [...spaceTargets, ...mandateTargets]);
  return {
    spaces: spaceRows.filter((_row, index) => decide[index]?.("application.list").allowed),
    managesMandates: managed.some(
      (_service, index) => decide[spaceTargets.length + index]?.("mandate.view").allowed,
    ),
  };
}

type ApplicationSpaceRow = Awaited<ReturnType<typeof q.listApplicationSpaces>>[number];

// --- « Gestion des mandats »: a mandate named by the dossier (an application's number, or a declared dossier's id in
// its service) and the agent's user code

/** What the mandate forms send: `demande` (an application's number) or `service` and `dossier` (a declared one). */
export type MandateInput = { number: string; service: string; dossier: string; agent: string };

export type MandatePreview = { ok: true; dossier: MandateDossier; person: Person } | MandateRefusal;

function refuseDossier(
  field: "demande" | "dossier",
  key: MessageKey,
  params?: Record<string, string>,
): MandateRefusal {
  return { ok: false, status: 400, errors: { [field]: params ? { key, params } : { key } } };
}

/**
 * The dossier a form names, of the actor's organization, in a service where they may assign mandates. Another
 * organization's dossier, or another service's, is not told apart from a missing one; a closed declared dossier is
 * refused (the service closed it: nobody works on it any more).
 */
async function mandatableDossier(ctx: Ctx, input: MandateInput): Promise<MandateDossier | MandateRefusal> {
  const declared = input.dossier !== "" || (input.number === "" && input.service !== "");
  const field = declared ? "dossier" : "demande";
  const found = declared ? await declaredDossierNamed(ctx, input) : await applicationNamed(ctx, input);
  if ("refusal" in found) return refuseDossier(field, found.refusal);
  const { dossier } = found;
  const target = { service: dossier.service, organizationId: dossier.organizationId };
  if (!(await checkService(ctx, "mandate.assign", target)).allowed)
    return refuseDossier(field, "applications.mandate.notManager", { service: dossier.service.code });
  if (found.closed) return refuseDossier(field, "applications.mandate.dossierClosed");
  return dossier;
}

type Named = { dossier: MandateDossier; closed: boolean } | { refusal: MessageKey };

/** The declared dossier a form names by its service and id, if it is of the actor's organization. */
async function declaredDossierNamed(ctx: Ctx, input: MandateInput): Promise<Named> {
  const actor = requireUser(ctx.actor);
  if (input.dossier === "") return { refusal: "applications.mandate.dossierRequired" };
  const service = await referenceRead(ctx, `service:${input.service}`, (db) =>
    q.findServiceByCode(db, input.service),
  );
  const found = service
    ? await findDeclaredDossier(ctx.db, { serviceId: service.id, externalId: input.dossier })
    : undefined;
  if (!service || !found || found.organizationId !== actor.organizationId)
    return { refusal: "applications.mandate.dossierUnknown" };
  const organization = await organizationOfUrl(ctx, found.organizationId);
  const dossier: MandateDossier = {
    key: { declaredDossierId: found.id },
    kind: "declared",
    reference: found.externalId,
    title: found.title,
    organizationId: found.organizationId,
    organizationName: organization.name,
    service,
  };
  return { dossier, closed: found.closedAt !== null };
}

/** The application a form names by its number, if it is of the actor's organization (and of the service given). */
async function applicationNamed(ctx: Ctx, input: MandateInput): Promise<Named> {
  const actor = requireUser(ctx.actor);
  if (input.number === "") return { refusal: "applications.mandate.numberRequired" };
  if (!/^\d{1,15}$/.test(input.number)) return { refusal: "applications.mandate.numberInvalid" };
  const application = await q.findApplicationByNumber(ctx.db, Number(input.number));
  const service = application ? await q.findService(ctx.db, { id: application.service_id }) : undefined;
  if (
    !application ||
    !service ||
    application.organization_id !== actor.organizationId ||
    (input.service !== "" && service.code !== input.service)
  )
    return { refusal: "applications.mandate.numberUnknown" };
  return { dossier: applicationDossier(service, application), closed: false };
}

/**
 * The step before « Confirmer »: the dossier, of the actor's organization, in a service where they may assign
 * mandates, and the agent found by user code, who holds an agent right there and no current mandate on it.
 */
export async function previewMandate(ctx: Ctx, input: MandateInput): Promise<MandatePreview> {
  const actor = requireUser(ctx.actor);
  const dossier = await mandatableDossier(ctx, input);
  if (!("key" in dossier)) return dossier;
  const target = { service: dossier.service, organizationId: dossier.organizationId };
  const candidate = await mandateCandidate(ctx, actor, target, input.agent);
  if (!("person" in candidate)) return candidate;
  if (await q.hasCurrentMandate(ctx.db, dossier.key, candidate.person.id))
    return refuse(alreadyMandatedKey(dossier), 409);
  return { ok: true, dossier, person: candidate.person };
}

/** « Confirmer »: the same checks, then the mandate (assignMandateOn authorizes it again, and audits a refusal). */
export async function confirmMandate(
  ctx: Ctx,
  input: MandateInput,
): Promise<MandateRefusal | { ok: true; name: string; dossier: MandateDossier }> {
  const preview = await previewMandate(ctx, input);
  if (!preview.ok) return preview;
  const outcome = await assignMandateOn(ctx, preview.dossier, input.agent);
  return outcome.ok ? { ...outcome, dossier: preview.dossier } : outcome;
}

// --- « Gestion des mandats »: the dossiers of one service, to mandate from

/** How many dossiers one page of the list shows. */
export const DOSSIERS_PER_PAGE = 20;

export type DossierListQuery = { text: string; agent: string; page: number };

/**
 * The dossiers of the actor's organization in one service, both kinds, a page at a time, filtered in SQL by text
 * (number, id, title) and by agent; with the people who may be mandated there (a current agent right in the
 * registry), for each row's choice. Only the local manager and deputies reach it; the content of a dossier is never
 * read here.
 */
export async function mandateDossiersPage(ctx: Ctx, service: RegistryService, query: DossierListQuery) {
  const actor = requireUser(ctx.actor);
  const target = { service, organizationId: actor.organizationId };
  await authorizeService(ctx, "mandate.view", target);
  const agents = (await listRegistry(ctx, target)).filter(
    (grant) => grant.access_right === "agent.write" || grant.access_right === "agent.read",
  );
  const text = query.text.slice(0, 200);
  // An agent the registry does not list filters nothing: the choice offered is the registry's agents, or « none ».
  const wanted = query.agent.toUpperCase();
  const agent =
    query.agent.toLowerCase() === q.NO_AGENT
      ? q.NO_AGENT
      : agents.some((a) => a.user_code === wanted)
        ? wanted
        : "";
  const page = Math.max(1, Math.min(query.page, 100_000));
  const rows = await q.listMandateDossiers(ctx.db, {
    organizationId: actor.organizationId,
    serviceId: service.id,
    text,
    agentCode: agent === "" ? null : agent,
    limit: DOSSIERS_PER_PAGE,
    offset: (page - 1) * DOSSIERS_PER_PAGE,
  });
  const total = rows[0]?.total ?? 0;
  const organization = await organizationOfUrl(ctx, actor.organizationId);
  return {
    service,
    organizationName: organization.name,
    rows,
    agents,
    filter: { text, agent },
    page,
    total,
    pages: Math.max(1, Math.ceil(total / DOSSIERS_PER_PAGE)),
  };
}

export type MandateDossiersPage = Awaited<ReturnType<typeof mandateDossiersPage>>;
