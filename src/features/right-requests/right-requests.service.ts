// « Demander un accès » (issue #15, section 1): a person asks for a right in the registry of an organization they may
// act for (an agent: a client's, optionally naming a dossier); the local manager and deputies of (O,S) are told by
// email and find it in « Demandes d'accès reçues », where an approval is exactly a grant made by the approving
// manager (registry.service grantRight, with its rules and step-up) and a refusal keeps its reason; the person is
// told either way. One open request per (person, organization, service, right), held by a partial unique index;
// requests expire after RIGHT_REQUEST_DAYS. Everything is audited.
import type { Kysely } from "kysely";
import { type Ctx, referenceRead } from "../../context.js";
import type { AccessRight, DB, OrganizationKind } from "../../db/schema.js";
import { AppError, isUniqueViolation } from "../../errors.js";
import type { UserActor } from "../../policy/actor.js";
import { can } from "../../policy/policy.js";
import { isAccessRight, isAgentRight } from "../../policy/registry.rules.js";
import { montrealDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { serviceTitle } from "../../web/localized.js";
import { type MessageKey, translator } from "../../web/messages.js";
import { mandateOnApproval } from "../applications/applications.service.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { queueMail } from "../mail/mail.service.js";
import {
  authorizeService,
  grantRight,
  loadServiceFacts,
  type RegistryService,
  type ServiceTarget,
  serviceFactsOf,
} from "../registry/registry.service.js";
import { once } from "../submissions/submissions.service.js";
import * as q from "./right-requests.queries.js";

/** The longest message a request may carry (the column's check). */
export const MESSAGE_MAX = 1000;

export type RequestOrganization = { id: number; name: string; kind: OrganizationKind };

/**
 * Rights are asked for in the services that keep a registry (the Infrastructures ones, internal or external);
 * « Transfert de fichiers » and « Gestion des mandats » keep none: their form is a missing page.
 */
export function hasRegistry(service: { category: string }): boolean {
  return service.category === "infrastructures";
}

/** The service a form names, if rights are asked for there. */
export function askableService<S extends { category: string }>(service: S): S {
  if (!hasRegistry(service)) throw new AppError("not_found");
  return service;
}

/** The organizations the form offers: one's own and, for a firm's staff, its possible clients (municipalities, bodies). */
export async function requestOrganizations(ctx: Ctx): Promise<RequestOrganization[]> {
  const actor = requireUser(ctx.actor);
  const firm = actor.organizationKind === "firm";
  return referenceRead(ctx, `right-request-organizations:${actor.organizationId}:${firm}`, (db) =>
    q.listRequestOrganizations(db, { organizationId: actor.organizationId, firm }),
  );
}

export type RequestInput = {
  organization: string;
  right: string;
  dossier: string;
  message: string;
  submissionKey: string;
};

export type Filed =
  | { ok: true; repeated: boolean; organizationName: string; right: AccessRight }
  | { ok: false; status: 400 | 403 | 409; errors: FieldErrors };

function refuse(
  field: string,
  key: MessageKey,
  status: 400 | 403 | 409 = 400,
  params?: Record<string, string>,
) {
  return { ok: false as const, status, errors: { [field]: params ? { key, params } : { key } } };
}

/**
 * Files a request. Refused with a clear message, nothing written: an organization the person may not act for (audited
 * as a denial), a right they already hold, one already asked and still open, a dossier that is not one of the
 * organization's applications in the service, or named with a requester right.
 */
export async function fileRequest(ctx: Ctx, service: RegistryService, input: RequestInput): Promise<Filed> {
  const actor = requireUser(ctx.actor);
  if (!/^\d{1,15}$/.test(input.organization))
    return refuse("organisation", "rightRequests.organizationRequired");
  if (!isAccessRight(input.right)) return refuse("droit", "rightRequests.rightRequired");
  const right = input.right;
  const organizationId = Number(input.organization);
  const organization = await referenceRead(ctx, `right-request-organization:${organizationId}`, (db) =>
    q.findOrganization(db, organizationId),
  );
  if (!organization) return refuse("organisation", "rightRequests.organizationRequired");
  const decision = can(actor, "rightRequest.file", {
    organizationId,
    organizationKind: organization.kind,
    right,
  });
  if (!decision.allowed) {
    await recordAudit(ctx, {
      action: "rightRequest.file",
      outcome: "denied",
      reason: decision.reason,
      organizationId,
      serviceId: service.id,
      targetType: "registry",
      targetId: `${organizationId}/${service.id}`,
    });
    return refuse(
      "organisation",
      decision.reason === "other_organization"
        ? "rightRequests.otherOrganization"
        : "rightRequests.notClient",
      403,
      { organization: organization.name },
    );
  }
  if (input.message.length > MESSAGE_MAX)
    return refuse("message", "rightRequests.messageTooLong", 400, { max: String(MESSAGE_MAX) });
  let applicationId: number | null = null;
  if (input.dossier !== "") {
    if (!isAgentRight(right)) return refuse("dossier", "rightRequests.dossierAgentOnly");
    const application = /^\d{1,15}$/.test(input.dossier)
      ? await q.findApplicationOf(ctx.db, {
          number: Number(input.dossier),
          organizationId,
          serviceId: service.id,
        })
      : undefined;
    if (!application)
      return refuse("dossier", "rightRequests.dossierUnknown", 400, { organization: organization.name });
    applicationId = application.id;
  }
  const target: ServiceTarget = { service, organizationId };
  const facts = await loadServiceFacts(ctx.db, actor, target, montrealDay(ctx.now));
  if (facts.right === right)
    return refuse("droit", "rightRequests.alreadyHeld", 409, { organization: organization.name });
  // One current right per person in a registry: another one is changed by the managers, not asked again.
  if (facts.right !== null) return refuse("droit", "rightRequests.holdsAnother", 409);
  const key = { userId: actor.userId, organizationId, serviceId: service.id, right };
  if (await q.findOpenRequest(ctx.db, key, ctx.now))
    return refuse("droit", "rightRequests.alreadyAsked", 409);
  // An agent not yet associated with the service needs their firm's agent manager first: they are told too.
  const unassociated = isAgentRight(right) && facts.associationId === null;
  try {
    const outcome = await ctx.db.transaction().execute((trx) =>
      once(trx, { key: input.submissionKey, userId: actor.userId, now: ctx.now }, async () => {
        // Its expiry is audited like the hourly job's; the person is about to ask again, so no mail.
        for (const expiredId of await q.expireOverdue(trx, key, ctx.now))
          await auditExpiry(trx, ctx.now, { id: expiredId, ...key });
        const requestId = await q.insertRequest(trx, {
          ...key,
          applicationId,
          message: input.message,
          now: ctx.now,
          expiresAt: new Date(ctx.now.getTime() + ctx.app.rightRequestDays * 86_400_000),
        });
        await recordAudit(
          { ...ctx, db: trx },
          {
            action: "rightRequest.file",
            organizationId,
            serviceId: service.id,
            subjectUserId: actor.userId,
            targetType: "right_request",
            targetId: requestId,
            details: { serviceId: service.id, right, dossier: input.dossier || null, unassociated },
          },
        );
        await announce(trx, ctx, {
          actor,
          service,
          organizationId,
          organizationName: organization.name,
          right,
          unassociated,
        });
        return String(requestId);
      }),
    );
    ctx.app.mailQueued();
    return { ok: true, repeated: !outcome.fresh, organizationName: organization.name, right };
  } catch (error) {
    if (isUniqueViolation(error)) return refuse("droit", "rightRequests.alreadyAsked", 409);
    throw error;
  }
}

/** The mails of a new request: the managers of (O,S), and for an agent not yet associated, their firm's agent managers. */
async function announce(
  trx: Kysely<DB>,
  ctx: Ctx,
  request: {
    actor: UserActor;
    service: RegistryService;
    organizationId: number;
    organizationName: string;
    right: AccessRight;
    unassociated: boolean;
  },
) {
  const { actor, service } = request;
  const recipients = await q.findRecipients(trx, {
    organizationId: request.organizationId,
    serviceId: service.id,
    firmId: request.unassociated ? actor.organizationId : null,
  });
  for (const recipient of recipients) {
    const t = translator(recipient.locale);
    const params = {
      name: `${recipient.first_name} ${recipient.last_name}`,
      person: `${actor.firstName} ${actor.lastName} (${actor.userCode}, ${actor.organizationName})`,
      organization: request.organizationName,
      service: serviceTitle(recipient.locale, service),
      right: t(`registry.right.${request.right}`),
      association: request.unassociated ? t("mail.rightRequest.needsAssociation") : "",
      link: `${ctx.app.publicUrl}${recipient.kind === "manager" ? RECEIVED_PATH : "/"}`,
    };
    await queueMail(
      trx,
      {
        to: recipient.email,
        subject: t("mail.rightRequest.subject", { service: service.code }),
        text: t(
          recipient.kind === "manager" ? "mail.rightRequest.body" : "mail.rightRequest.associationBody",
          params,
        ),
      },
      ctx.now,
    );
  }
}

/** Where the person's requests and the managers' queue live. */
export const OWN_PATH = "/demandes-d-acces";
export const RECEIVED_PATH = "/demandes-d-acces/recues";

/** The form, in a service, with what a refusal page or a link chose already. */
export function askPath(
  code: string,
  choice: { organization?: number; right?: AccessRight; dossier?: number },
) {
  const query = new URLSearchParams();
  if (choice.organization !== undefined) query.set("organisation", String(choice.organization));
  if (choice.right) query.set("droit", choice.right);
  if (choice.dossier !== undefined) query.set("dossier", String(choice.dossier));
  const text = query.toString();
  return `/services/${encodeURIComponent(code)}/demander-un-acces${text ? `?${text}` : ""}`;
}

// --- « Mes demandes d'accès »

export async function listOwnRequests(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  return q.listOwnRequests(ctx.db, actor.userId, ctx.now);
}

// --- « Demandes d'accès reçues »

function serviceOf(row: q.RequestRow): RegistryService {
  return {
    id: row.service_id,
    code: row.service_code,
    name: row.service_name,
    name_en: row.service_name_en,
    ministry_id: row.ministry_id,
  };
}

/**
 * The requests for the registries the actor manages: SQL keeps those of (O,S) where they are local manager or deputy,
 * and the policy decides on each from the facts read with it (a manager whose procuration lapsed sees none).
 */
export async function listReceivedRequests(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  const rows = await q.listReceived(ctx.db, {
    userId: actor.userId,
    organizationId: actor.organizationId,
    now: ctx.now,
    today: montrealDay(ctx.now),
  });
  return rows.filter(
    (row) =>
      can(actor, "rightRequest.decide", {
        organizationId: row.organization_id,
        serviceId: row.service_id,
        ministryId: row.ministry_id,
        facts: serviceFactsOf(row.facts, row.ministry_id),
      }).allowed,
  );
}

/**
 * One received request, for its page and its decision: another organization's is not found (never told apart from a
 * missing one); in the actor's own, the policy decides (a manager who lost their role is refused, audited).
 */
export async function openReceivedRequest(ctx: Ctx, requestId: number) {
  const actor = requireUser(ctx.actor);
  const request = Number.isSafeInteger(requestId)
    ? await q.findRequest(ctx.db, requestId, ctx.now)
    : undefined;
  if (!request || request.organization_id !== actor.organizationId) throw new AppError("not_found");
  const target: ServiceTarget = { service: serviceOf(request), organizationId: request.organization_id };
  await authorizeService(ctx, "rightRequest.decide", target);
  return { request, target };
}

export type ReceivedRequest = Awaited<ReturnType<typeof openReceivedRequest>>["request"];

export type Decided =
  | { ok: true; name: string; repeated: boolean }
  | { ok: false; status: 400 | 403 | 409; errors: FieldErrors };

/** A request that can no longer be decided, and why: already decided, or expired. */
function closedRefusal(request: { status: string }): Extract<Decided, { ok: false }> | null {
  if (request.status === "expired") return refuse("demande", "rightRequests.expired", 409);
  if (request.status !== "open") return refuse("demande", "rightRequests.alreadyDecided", 409);
  return null;
}

class RequestClosed extends Error {}

/**
 * « Approuver »: the grant itself (registry.service grantRight: the registry's rules, the grantee's eligibility, its
 * audit and mail), and in its transaction the request closed, the dossier's mandate when one is named, the audit
 * event and the person's mail. A request decided or expired meanwhile undoes it all.
 */
export async function approveRequest(ctx: Ctx, requestId: number, submissionKey: string): Promise<Decided> {
  const { request, target } = await openReceivedRequest(ctx, requestId);
  const actor = requireUser(ctx.actor);
  const closed = closedRefusal(request);
  if (closed) return closed;
  if (isAgentRight(request.access_right) && !request.associated)
    return refuse("demande", "rightRequests.notAssociated", 409, { name: request.person_name });
  const person = {
    id: request.user_id,
    first_name: request.person_first_name,
    last_name: request.person_last_name,
    email: request.person_email,
    locale: request.person_locale,
  };
  try {
    const outcome = await grantRight(ctx, target, {
      userCode: request.person_code,
      right: request.access_right,
      validUntil: "",
      submissionKey,
      within: async (trx, grantId) => {
        const decided = await q.decideRequest(trx, request.id, {
          status: "approved",
          by: actor.userId,
          at: ctx.now,
          reason: null,
          grantId,
        });
        if (!decided) throw new RequestClosed();
        const mandated =
          request.application_id !== null &&
          (await mandateOnApproval(
            { ...ctx, db: trx },
            target.service,
            request.application_id,
            person,
            actor.userId,
          ));
        await recordAudit(
          { ...ctx, db: trx },
          {
            action: "rightRequest.approve",
            organizationId: request.organization_id,
            serviceId: request.service_id,
            subjectUserId: request.user_id,
            targetType: "right_request",
            targetId: request.id,
            details: { serviceId: request.service_id, right: request.access_right, grantId, mandated },
          },
        );
        await queueMail(trx, decisionMail(ctx, request, person, "approved", null), ctx.now);
      },
    });
    if (!outcome.ok) {
      const error = Object.values(outcome.errors)[0];
      return { ok: false, status: outcome.status, errors: error ? { demande: error } : {} };
    }
    return { ok: true, name: outcome.name, repeated: outcome.repeated === true };
  } catch (error) {
    if (!(error instanceof RequestClosed)) throw error;
    const now = await q.findRequest(ctx.db, request.id, ctx.now);
    return (
      closedRefusal(now ?? { status: "approved" }) ?? refuse("demande", "rightRequests.alreadyDecided", 409)
    );
  }
}

/** « Refuser », with a reason the person is told. */
export async function refuseRequest(ctx: Ctx, requestId: number, reason: string): Promise<Decided> {
  const { request } = await openReceivedRequest(ctx, requestId);
  const actor = requireUser(ctx.actor);
  const closed = closedRefusal(request);
  if (closed) return closed;
  if (reason === "") return refuse("motif", "rightRequests.reasonRequired");
  if (reason.length > MESSAGE_MAX)
    return refuse("motif", "rightRequests.messageTooLong", 400, { max: String(MESSAGE_MAX) });
  const person = {
    first_name: request.person_first_name,
    last_name: request.person_last_name,
    email: request.person_email,
    locale: request.person_locale,
  };
  const refused = await ctx.db.transaction().execute(async (trx) => {
    const decided = await q.decideRequest(trx, request.id, {
      status: "refused",
      by: actor.userId,
      at: ctx.now,
      reason,
      grantId: null,
    });
    if (!decided) return false;
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "rightRequest.refuse",
        organizationId: request.organization_id,
        serviceId: request.service_id,
        subjectUserId: request.user_id,
        targetType: "right_request",
        targetId: request.id,
        details: { serviceId: request.service_id, right: request.access_right },
      },
    );
    await queueMail(trx, decisionMail(ctx, request, person, "refused", reason), ctx.now);
    return true;
  });
  if (!refused) {
    const now = await q.findRequest(ctx.db, request.id, ctx.now);
    return (
      closedRefusal(now ?? { status: "refused" }) ?? refuse("demande", "rightRequests.alreadyDecided", 409)
    );
  }
  ctx.app.mailQueued();
  return { ok: true, name: request.person_name, repeated: false };
}

type MailPerson = { first_name: string; last_name: string; email: string; locale: "fr" | "en" };

function decisionMail(
  ctx: Ctx,
  request: q.RequestRow,
  person: MailPerson,
  what: "approved" | "refused" | "expired",
  reason: string | null,
) {
  const t = translator(person.locale);
  return {
    to: person.email,
    subject: t(`mail.rightRequest.${what}.subject`, { service: request.service_code }),
    text: t(`mail.rightRequest.${what}.body`, {
      name: `${person.first_name} ${person.last_name}`,
      right: t(`registry.right.${request.access_right}`),
      organization: request.organization_name,
      service: serviceTitle(person.locale, serviceOf(request)),
      reason: reason ?? "",
      link: `${ctx.app.publicUrl}${OWN_PATH}`,
    }),
  };
}

/** A request past its date, marked expired: nobody's act. */
async function auditExpiry(trx: Kysely<DB>, now: Date, request: q.RequestKey & { id: number }) {
  await recordAudit(
    { db: trx, actor: { kind: "anonymous" }, now, ip: null },
    {
      action: "rightRequest.expire",
      organizationId: request.organizationId,
      serviceId: request.serviceId,
      subjectUserId: request.userId,
      targetType: "right_request",
      targetId: request.id,
      details: { serviceId: request.serviceId, right: request.right },
    },
  );
}

// --- Expiry (the hourly job): a request past its date already counts as expired; this marks it and tells the person.

export async function expireRightRequests(
  ctx: Pick<Ctx, "db" | "now" | "app">,
  limit = 500,
): Promise<number> {
  const expired = await ctx.db.transaction().execute(async (trx) => {
    const rows = await q.expireRequests(trx, ctx.now, limit);
    for (const row of rows) {
      await auditExpiry(trx, ctx.now, {
        id: row.id,
        userId: row.user_id,
        organizationId: row.organization_id,
        serviceId: row.service_id,
        right: row.access_right,
      });
      const t = translator(row.locale);
      await queueMail(
        trx,
        {
          to: row.email,
          subject: t("mail.rightRequest.expired.subject", { service: row.service_code }),
          text: t("mail.rightRequest.expired.body", {
            name: `${row.first_name} ${row.last_name}`,
            right: t(`registry.right.${row.access_right}`),
            organization: row.organization_name,
            service: serviceTitle(row.locale, {
              code: row.service_code,
              name: row.service_name,
              name_en: row.service_name_en,
            }),
            reason: "",
            link: `${ctx.app.publicUrl}${OWN_PATH}`,
          }),
        },
        ctx.now,
      );
    }
    return rows.length;
  });
  if (expired > 0) ctx.app.mailQueued();
  return expired;
}
