// Filing an access request: a user acts for their own organization with the service's ministry (the enterprise rule)
// and asks it to designate a local manager, an agent manager for a service point, or a replacement for either.
import type { Ctx } from "../../context.js";
import { AppError, isUniqueViolation } from "../../errors.js";
import type { UserActor } from "../../policy/actor.js";
import type { Decision } from "../../policy/decision.js";
import { authorize, can } from "../../policy/policy.js";
import { formatDay, montrealDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { type Locale, translator } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { verifyIdentificationCode } from "../identification-codes/identification-codes.service.js";
import { queueMail } from "../mail/mail.service.js";
import { gapsOfOrganization, type OrganizationGap } from "../manager-gaps/manager-gaps.service.js";
import { authorizeMinistryAct, today, validGrantsOf } from "../procurations/procurations.service.js";
import { findCurrentManager } from "../service-roles/service-roles.queries.js";
import { type CatalogueService, getService } from "../services/services.service.js";
import { once } from "../submissions/submissions.service.js";
import * as q from "./access-requests.queries.js";
import {
  type BodyDetails,
  checkBodyDetails,
  checkIdentifier,
  checkNewPoint,
  checkReason,
  checkRequester,
  checkUserCode,
  FIELD,
  FORM_KIND,
  FORM_ROLE,
  formForKind,
  identifierField,
  type NewPoint,
  type RequestForm,
  type RequestInput,
  readPointChoice,
} from "./access-requests.validation.js";

/** Which form, and whether it names a replacement for a manager in office. */
export type Flow = { form: RequestForm; replacement: boolean };

export type Organization = NonNullable<Awaited<ReturnType<typeof q.findMunicipalityByGeoCode>>>;
export type Member = NonNullable<Awaited<ReturnType<typeof q.findMemberByCode>>>;
export type Manager = NonNullable<Awaited<ReturnType<typeof findCurrentManager>>>;
export type PointWithManager = Awaited<ReturnType<typeof q.listServicePoints>>[number] & {
  manager: Manager | null;
};

/** What the form page shows: the organization found, its managers in office, the person found, the problems. */
export type RequestState = {
  service: CatalogueService;
  organization: Organization | null;
  /** A firm's service points, each with its agent manager in this service. */
  points: PointWithManager[];
  /** The local manager in office for (organization, service). */
  manager: Manager | null;
  designated: Member | null;
  errors: FieldErrors;
  /** Why the request cannot be made as it is: the page then links to the other kind of request. */
  refusal: "managerExists" | "noManager" | null;
};

export type StepResult = { state: RequestState; status: 200 | 400 | 429 };

export type FileResult =
  | { ok: true; requestId: number; unit: string }
  | { ok: false; state: RequestState; status: 400 | 429; retryAfterSeconds: number | null };

/** The unit named in « Merci, votre demande a été envoyée avec succès à la … ». */
export function unitOf(service: CatalogueService, locale: Locale = "fr"): string {
  return service.unit_name ?? translator(locale)("accessRequests.defaultUnit");
}

export function formPath(code: string, flow: Flow): string {
  return `/services/${encodeURIComponent(code)}/${flow.replacement ? "demande-remplacement" : "demande-acces"}/${flow.form}`;
}

export type Entry = {
  service: CatalogueService;
  /** The form that fits the actor's organization; a ministry has none. */
  form: RequestForm | null;
  decision: Decision;
  /** The organization's managers in the service who can no longer act (issue #15): the replacement to ask for. */
  gaps: OrganizationGap[];
};

/**
 * The service's access request page: which form fits the actor's organization, and whether the actor may file at
 * all (a ministry may not; a user needs a valid procuration for the service's ministry, or to be the RSE).
 */
export async function requestEntry(ctx: Ctx, code: string): Promise<Entry> {
  const actor = requireUser(ctx.actor);
  const service = await getService(ctx, code);
  const form = formForKind(actor.organizationKind);
  let decision = can(actor, "accessRequest.file", {
    organizationId: actor.organizationId,
    organizationKind: actor.organizationKind,
  });
  if (decision.allowed) {
    const procurations = actor.isServicesOfficer ? [] : await validGrantsOf(ctx.db, actor, today(ctx));
    decision = can(actor, "organization.actWithMinistry", {
      organizationId: actor.organizationId,
      ministryId: service.ministry_id,
      serviceId: service.id,
      procurations,
    });
  }
  // Only to whom may file: the replacement request is theirs to make.
  const gaps = decision.allowed
    ? await gapsOfOrganization(ctx.db, ctx.now, actor.organizationId, service.id)
    : [];
  return { service, form, decision, gaps };
}

/** Both layers of the enterprise rule: a client organization's user, acting with the service's ministry. */
async function authorizeFiling(ctx: Ctx, service: CatalogueService): Promise<UserActor> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "accessRequest.file", {
    organizationId: actor.organizationId,
    organizationKind: actor.organizationKind,
  });
  try {
    await authorizeMinistryAct(ctx, { ministryId: service.ministry_id, serviceId: service.id });
  } catch (error) {
    // The audit log names what was attempted (filing), with the enterprise rule's reason (no_procuration…).
    if (error instanceof AppError && error.denial) {
      throw new AppError(error.code, {
        denial: { ...error.denial, action: "accessRequest.file" },
        cause: error,
      });
    }
    throw error;
  }
  return actor;
}

/** Opens a blank form; false when the form is not the one for the actor's kind of organization. */
export async function openRequestForm(
  ctx: Ctx,
  code: string,
  flow: Flow,
): Promise<{ service: CatalogueService; fits: boolean }> {
  const service = await getService(ctx, code);
  const actor = await authorizeFiling(ctx, service);
  return { service, fits: actor.organizationKind === FORM_KIND[flow.form] };
}

function blankState(service: CatalogueService, errors: FieldErrors = {}): RequestState {
  return { service, organization: null, points: [], manager: null, designated: null, errors, refusal: null };
}

/**
 * Step 1: the organization by its geoCode or NEQ. It must be the actor's own: searching another one is refused
 * by the policy, and the denial is audited.
 */
async function locate(
  ctx: Ctx,
  actor: UserActor,
  service: CatalogueService,
  flow: Flow,
  identifier: string,
): Promise<RequestState> {
  const checked = checkIdentifier(flow.form, identifier);
  if (!checked.ok) return blankState(service, checked.errors);
  const organization =
    flow.form === "municipalite"
      ? await q.findMunicipalityByGeoCode(ctx.db, checked.value)
      : await q.findOrganizationByNeq(ctx.db, checked.value, FORM_KIND[flow.form]);
  if (!organization) {
    const field = identifierField(flow.form);
    const key =
      flow.form === "municipalite"
        ? "accessRequests.geoCode.unknown"
        : flow.form === "organisme"
          ? "accessRequests.neq.unknownBody"
          : "accessRequests.neq.unknownFirm";
    return blankState(service, { [field]: { key, params: { code: checked.value, neq: checked.value } } });
  }
  authorize(actor, "accessRequest.file", {
    organizationId: organization.id,
    organizationKind: organization.kind,
  });
  const scope = { organizationId: organization.id, serviceId: service.id };
  const points =
    flow.form === "mandataires"
      ? await Promise.all(
          (await q.listServicePoints(ctx.db, organization.id)).map(async (point) => ({
            ...point,
            manager:
              (await findCurrentManager(ctx.db, "agent_manager", { ...scope, servicePointId: point.id })) ??
              null,
          })),
        )
      : [];
  const manager =
    flow.form === "mandataires"
      ? null
      : ((await findCurrentManager(ctx.db, "local_manager", { ...scope, servicePointId: null })) ?? null);
  const refusal = flow.form === "mandataires" ? null : managerRefusal(flow, manager);
  return { service, organization, points, manager, designated: null, errors: {}, refusal };
}

/** A new request while someone holds the role is refused (that is a replacement); a replacement needs someone to replace. */
function managerRefusal(flow: Flow, manager: Manager | null): RequestState["refusal"] {
  if (!flow.replacement && manager) return "managerExists";
  if (flow.replacement && !manager) return "noManager";
  return null;
}

/** The designated person: a user of the organization (never someone from outside), enabled. */
async function findDesignated(
  ctx: Ctx,
  organization: Organization,
  raw: string,
  errors: FieldErrors,
): Promise<Member | null> {
  const code = checkUserCode(errors, raw);
  if (code === null) return null;
  const member = await q.findMemberByCode(ctx.db, organization.id, code);
  if (!member) {
    errors[FIELD.designatedCode] = {
      key: "accessRequests.userCode.notMember",
      params: { organization: organization.name, code },
    };
    return null;
  }
  if (member.disabled_at) {
    errors[FIELD.designatedCode] = { key: "accessRequests.userCode.disabled" };
    return null;
  }
  return member;
}

/** Step 1 on its own (the GET « Chercher »): the organization found and who holds the role now. */
export async function lookUpOrganization(
  ctx: Ctx,
  code: string,
  flow: Flow,
  identifier: string,
): Promise<StepResult> {
  const service = await getService(ctx, code);
  const actor = await authorizeFiling(ctx, service);
  const state = await locate(ctx, actor, service, flow, identifier);
  return { state, status: Object.keys(state.errors).length > 0 ? 400 : 200 };
}

/** The designated person's « Chercher »: the form again, with their coordinates filled in, read-only. */
export async function lookUpDesignated(
  ctx: Ctx,
  code: string,
  flow: Flow,
  input: RequestInput,
): Promise<StepResult> {
  const service = await getService(ctx, code);
  const actor = await authorizeFiling(ctx, service);
  const state = await locate(ctx, actor, service, flow, input.identifier);
  if (!state.organization) return { state, status: 400 };
  const errors: FieldErrors = {};
  const designated = await findDesignated(ctx, state.organization, input.designatedCode, errors);
  return { state: { ...state, designated, errors }, status: designated ? 200 : 400 };
}

type PointChoice = { kind: "existing"; point: PointWithManager } | { kind: "new"; point: NewPoint };

/**
 * Files the request. Every problem comes back next to its field; nothing is written unless all is well. The
 * acknowledgement is written in the language the form was filled in.
 */
export async function fileAccessRequest(
  ctx: Ctx,
  code: string,
  flow: Flow,
  input: RequestInput,
  submissionKey: string,
  locale: Locale = "fr",
): Promise<FileResult> {
  const service = await getService(ctx, code);
  const actor = await authorizeFiling(ctx, service);
  const located = await locate(ctx, actor, service, flow, input.identifier);
  const organization = located.organization;
  if (!organization) return { ok: false, state: located, status: 400, retryAfterSeconds: null };

  const errors: FieldErrors = {};
  const requester = checkRequester(errors, input.requester);
  const details: BodyDetails | null = flow.form === "organisme" ? checkBodyDetails(errors, input.body) : null;
  const reason = flow.replacement ? checkReason(errors, input.reason) : null;
  const designated = await findDesignated(ctx, organization, input.designatedCode, errors);

  let choice: PointChoice | null = null;
  if (flow.form === "mandataires") {
    const picked = readPointChoice(input.servicePoint);
    if (picked === null) {
      errors[FIELD.servicePoint] = { key: "accessRequests.servicePoint.required" };
    } else if (picked.kind === "existing") {
      const point = located.points.find((p) => p.id === picked.id);
      if (point) choice = { kind: "existing", point };
      else errors[FIELD.servicePoint] = { key: "accessRequests.servicePoint.invalid" };
    } else {
      const point = checkNewPoint(errors, input.newPoint);
      if (point.name !== "" && (await q.findServicePointByName(ctx.db, organization.id, point.name))) {
        errors[FIELD.pointName] = {
          key: "accessRequests.servicePoint.nameTaken",
          params: { name: point.name },
        };
      }
      choice = { kind: "new", point };
    }
  }

  // Who holds the role now: the local manager of the organization, or the agent manager of the chosen point.
  const decided = flow.form !== "mandataires" || choice !== null;
  const manager =
    flow.form === "mandataires"
      ? choice?.kind === "existing"
        ? choice.point.manager
        : null
      : located.manager;
  const refusal = decided ? managerRefusal(flow, manager) : null;
  if (refusal === "managerExists" && manager) {
    errors[FIELD.request] = {
      key: `accessRequests.managerExists.${FORM_ROLE[flow.form]}`,
      params: { name: `${manager.first_name} ${manager.last_name}`, organization: organization.name },
    };
  } else if (refusal === "noManager") {
    errors[FIELD.request] = { key: "accessRequests.noManagerToReplace" };
  } else if (flow.replacement && manager && designated && designated.id === manager.user_id) {
    errors[FIELD.designatedCode] = { key: "accessRequests.userCode.alreadyManager" };
  }

  // The identification code proves a municipality's authority; a wrong one counts towards slowing guesses down.
  let retryAfterSeconds: number | null = null;
  if (flow.form === "municipalite") {
    if (input.identificationCode === "") {
      errors[FIELD.identificationCode] = { key: "accessRequests.required.identificationCode" };
    } else {
      const check = await verifyIdentificationCode(ctx, organization.id, input.identificationCode);
      if (!check.ok) {
        if (check.reason === "throttled") retryAfterSeconds = check.retryAfterSeconds;
        errors[FIELD.identificationCode] =
          check.reason === "throttled"
            ? {
                key: "accessRequests.identificationCode.throttled",
                params: { seconds: check.retryAfterSeconds },
              }
            : { key: `accessRequests.identificationCode.${check.reason}` };
        // What was tried is never recorded: only that a code was wrong, or that guessing is being slowed down.
        await recordAudit(ctx, {
          action: "accessRequest.file",
          outcome: "failure",
          reason:
            check.reason === "throttled" ? "identification_code_throttled" : "wrong_identification_code",
          organizationId: organization.id,
          serviceId: service.id,
          targetType: "organization",
          targetId: organization.id,
          details: { serviceId: service.id, serviceCode: service.code, replacement: flow.replacement },
        });
      }
    }
  }

  const state: RequestState = { ...located, designated, errors, refusal };
  const refused = (status: 400 | 429 = 400): FileResult => ({ ok: false, state, status, retryAfterSeconds });
  if (Object.keys(errors).length > 0 || !requester || !designated)
    return refused(retryAfterSeconds ? 429 : 400);
  if (flow.form === "mandataires" && choice === null) return refused();

  const role = FORM_ROLE[flow.form];
  const unit = unitOf(service, locale);
  try {
    const outcome = await ctx.db.transaction().execute((trx) =>
      once(trx, { key: submissionKey, userId: actor.userId, now: ctx.now }, async () => {
        let servicePointId: number | null = null;
        let pointName: string | null = null;
        if (choice?.kind === "existing") {
          servicePointId = choice.point.id;
          pointName = choice.point.name;
        } else if (choice?.kind === "new") {
          servicePointId = await q.insertServicePoint(trx, {
            organizationId: organization.id,
            ...choice.point,
            now: ctx.now,
          });
          pointName = choice.point.name;
        }
        const requestId = await q.insertAccessRequest(trx, {
          role,
          replacement: flow.replacement,
          organizationId: organization.id,
          servicePointId,
          serviceId: service.id,
          filedBy: actor.userId,
          now: ctx.now,
          authority: requester,
          designatedUserId: designated.id,
          organizationDetails: details ?? {},
          reason,
        });
        if (requestId === null) throw new PendingRequest();
        await recordAudit(
          { ...ctx, db: trx },
          {
            action: "accessRequest.file",
            organizationId: organization.id,
            serviceId: service.id,
            subjectUserId: designated.id,
            targetType: "access_request",
            targetId: requestId,
            details: {
              serviceId: service.id,
              serviceCode: service.code,
              role,
              replacement: flow.replacement,
              designatedUserId: designated.id,
              designatedUserCode: designated.user_code,
              servicePointId,
              servicePointCreated: choice?.kind === "new",
              identificationCodeChecked: flow.form === "municipalite",
            },
          },
        );
        const t = translator(locale);
        await queueMail(
          trx,
          {
            to: requester.email,
            subject: t("mail.accessRequest.subject", { service: service.code }),
            text: t("mail.accessRequest.body", {
              name: `${requester.civility} ${requester.firstName} ${requester.lastName}`,
              organization: organization.name,
              date: formatDay(montrealDay(ctx.now), locale),
              designated: `${designated.first_name} ${designated.last_name} (${designated.user_code})`,
              role:
                (role === "agent_manager"
                  ? t("mail.accessRequest.roleAgentManager", { point: pointName ?? "" })
                  : t("mail.accessRequest.roleLocalManager")) +
                (flow.replacement ? t("mail.accessRequest.replacement") : ""),
              service: `${service.code} — ${service.name}`,
              unit,
              id: requestId,
            }),
          },
          ctx.now,
        );
        return String(requestId);
      }),
    );
    if (!outcome.fresh) {
      errors[FIELD.request] = { key: "accessRequests.alreadySent" };
      return refused();
    }
    ctx.app.mailQueued();
    return { ok: true, requestId: Number(outcome.value), unit };
  } catch (error) {
    if (error instanceof PendingRequest) {
      errors[FIELD.request] = { key: "accessRequests.pending" };
      return refused();
    }
    // Two people adding the same service point at once: the unique (firm, name) decides.
    if (choice?.kind === "new" && isUniqueViolation(error)) {
      errors[FIELD.pointName] = {
        key: "accessRequests.servicePoint.nameTaken",
        params: { name: choice.point.name },
      };
      return refused();
    }
    throw error;
  }
}

/** Thrown inside the transaction so that the one-time key and a new service point are rolled back with it. */
class PendingRequest extends Error {}
