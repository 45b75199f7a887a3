// The ministry's back office: the queue of requests for its own services, one request, its approval (the role given
// in the same transaction, one manager held by the database's unique indexes) or its rejection with a reason, the
// search for an organization's managers, and a deputy named when the manager cannot.
import { type Ctx, referenceRead } from "../../context.js";
import type { AccessRequestStatus, ManagerRole } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { UserActor } from "../../policy/actor.js";
import { authorize, can } from "../../policy/policy.js";
import { formatDay, montrealDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { type Locale, type MessageKey, translator } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { queueMail } from "../mail/mail.service.js";
import { type GapRow, gapsOfMinistry } from "../manager-gaps/manager-gaps.service.js";
import { removeDeputy } from "../registry/registry.service.js";
import {
  AlreadyHolder,
  findCurrentHolder,
  findRoleHolders,
  grantManagerRole,
  nameDeputyRole,
  RoleTaken,
} from "../service-roles/service-roles.service.js";
import * as q from "./back-office.queries.js";

export const QUEUE_LIMIT = 200;
export const ORGANIZATION_RESULTS = 50;
export const SEARCH_MAX = 200;
export const REASON_MAX = 2000;

type BackOfficeAction =
  | "accessRequest.review"
  | "accessRequest.decide"
  | "serviceRole.search"
  | "serviceRole.nameDeputyAsAdmin"
  | "serviceRole.removeDeputyAsAdmin"
  | "serviceRole.listGaps"
  | "review.launch"
  | "review.completion";

/** Every back-office page starts here: a service administrator, acting for their own ministry. */
function authorizeOwnMinistry(ctx: Ctx, action: BackOfficeAction): UserActor {
  const actor = requireUser(ctx.actor);
  return authorize(actor, action, { ministryId: actor.organizationId });
}

export function openBackOffice(ctx: Ctx): { ministryName: string } {
  const actor = authorizeOwnMinistry(ctx, "accessRequest.review");
  return { ministryName: actor.organizationName };
}

// --- The queue

/** The status filter as the query string spells it; « toutes » shows every status. */
export const STATUS_PARAMS = {
  en_attente: "pending",
  approuvee: "approved",
  refusee: "rejected",
  toutes: null,
} as const satisfies Record<string, AccessRequestStatus | null>;

export type StatusParam = keyof typeof STATUS_PARAMS;

function isStatusParam(value: string): value is StatusParam {
  return Object.hasOwn(STATUS_PARAMS, value);
}

export type QueueQuery = { status: string; service: string; organization: string };

export type QueueService = Awaited<ReturnType<typeof q.listMinistryServices>>[number];
export type QueueRow = Awaited<ReturnType<typeof q.listRequests>>[number];

export type Queue = {
  ministryName: string;
  services: QueueService[];
  /** The filters as shown on the form; an empty status means pending, the queue's default. */
  query: { status: StatusParam | string; service: string; organization: string };
  errors: FieldErrors;
  rows: QueueRow[];
  truncated: boolean;
};

/** The actor's ministry's requests, filtered in SQL; filters that are not offered are refused, not ignored. */
export async function listQueue(ctx: Ctx, input: QueueQuery): Promise<Queue> {
  const actor = authorizeOwnMinistry(ctx, "accessRequest.review");
  const services = await referenceRead(ctx, `ministry-services:${actor.organizationId}`, (db) =>
    q.listMinistryServices(db, actor.organizationId),
  );
  const query = { ...input, status: input.status === "" ? "en_attente" : input.status };
  const errors: FieldErrors = {};
  const status = isStatusParam(query.status) ? STATUS_PARAMS[query.status] : undefined;
  if (status === undefined) errors.statut = { key: "backOffice.queue.statusInvalid" };
  const service = query.service === "" ? null : services.find((s) => String(s.id) === query.service);
  if (service === undefined) errors.service = { key: "backOffice.queue.serviceInvalid" };
  if ([...query.organization].length > SEARCH_MAX) {
    errors.organisation = { key: "field.tooLong", params: { max: SEARCH_MAX } };
  }
  const base = { ministryName: actor.organizationName, services, query, errors };
  if (status === undefined || service === undefined || errors.organisation) {
    return { ...base, rows: [], truncated: false };
  }
  const rows = await q.listRequests(
    ctx.db,
    actor.organizationId,
    { status, serviceId: service?.id ?? null, organization: query.organization },
    QUEUE_LIMIT + 1,
  );
  return { ...base, rows: rows.slice(0, QUEUE_LIMIT), truncated: rows.length > QUEUE_LIMIT };
}

// --- One request

export type RequestRow = NonNullable<Awaited<ReturnType<typeof q.findRequest>>>;

async function loadRequest(
  ctx: Ctx,
  requestId: number,
  action: "accessRequest.review" | "accessRequest.decide",
) {
  const actor = requireUser(ctx.actor);
  const request = Number.isSafeInteger(requestId) ? await q.findRequest(ctx.db, requestId) : undefined;
  if (!request) {
    authorize(actor, action, { ministryId: actor.organizationId });
    throw new AppError("not_found");
  }
  authorize(actor, action, { ministryId: request.ministry_id, organizationId: request.organization_id });
  return { actor, request };
}

/** The designated person can still take the role: an enabled user of the organization the request is for. */
function designatedIsUsable(request: RequestRow): boolean {
  return (
    request.designated_disabled_at === null && request.designated_organization_id === request.organization_id
  );
}

export type RequestDetails = Awaited<ReturnType<typeof getRequest>>;

/** A request with who holds its role now; `action` is what the page is for, so a refusal is audited as that. */
export async function getRequest(
  ctx: Ctx,
  requestId: number,
  action: "accessRequest.review" | "accessRequest.decide" = "accessRequest.review",
) {
  const { actor, request } = await loadRequest(ctx, requestId, action);
  const currentHolder = await findCurrentHolder(ctx.db, request.role, {
    organizationId: request.organization_id,
    servicePointId: request.service_point_id,
    serviceId: request.service_id,
  });
  const deputies =
    request.role === "local_manager"
      ? (await findRoleHolders(ctx.db, request.organization_id, request.service_id)).deputies
      : [];
  // The page offers the decision forms only to whom may decide; the decision itself asks again.
  const decidable =
    request.status === "pending" &&
    can(actor, "accessRequest.decide", {
      ministryId: request.ministry_id,
      organizationId: request.organization_id,
    }).allowed;
  return { request, currentHolder, deputies, decidable, designatedUsable: designatedIsUsable(request) };
}

// --- Decisions

export type DecisionRefusal = {
  ok: false;
  status: 400 | 409;
  /** A message about the whole request (a conflict), or errors tied to the form's fields. */
  notice: MessageKey | null;
  errors: FieldErrors;
};

function conflict(notice: MessageKey): DecisionRefusal {
  return { ok: false, status: 409, notice, errors: {} };
}

class AlreadyDecided extends Error {
  constructor() {
    super("already_decided");
  }
}

export type ApproveOutcome = { ok: true; name: string; role: ManagerRole } | DecisionRefusal;

/**
 * Approves a pending request in one transaction: the request is decided only if still pending; the designated
 * person gets the role (for a replacement, the current holder's ends at the same instant); the designated person
 * is emailed. A second manager is refused by the unique index, reported as a conflict, never as a failure.
 */
export async function approveRequest(ctx: Ctx, requestId: number): Promise<ApproveOutcome> {
  const { actor, request } = await loadRequest(ctx, requestId, "accessRequest.decide");
  if (request.status !== "pending") return conflict("backOffice.request.alreadyDecided");
  if (!designatedIsUsable(request)) return conflict("backOffice.request.designatedUnavailable");
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const tctx = { ...ctx, db: trx };
      const decided = await q.markDecided(trx, request.id, {
        status: "approved",
        by: actor.userId,
        now: ctx.now,
      });
      if (!decided) throw new AlreadyDecided();
      const granted = await grantManagerRole(tctx, {
        role: request.role,
        organizationId: request.organization_id,
        servicePointId: request.service_point_id,
        serviceId: request.service_id,
        userId: request.designated_user_id,
        accessRequestId: request.id,
        replaceCurrent: request.replacement,
      });
      await recordAudit(tctx, {
        action: "accessRequest.approve",
        organizationId: request.organization_id,
        serviceId: request.service_id,
        subjectUserId: request.designated_user_id,
        targetType: "access_request",
        targetId: request.id,
        details: {
          role: request.role,
          serviceId: request.service_id,
          servicePointId: request.service_point_id,
          designatedUserId: request.designated_user_id,
          replacement: request.replacement,
          roleId: granted.roleId,
          replacedUserId: granted.replaced?.user_id ?? null,
        },
      });
      await queueMail(trx, managerNamedMail(ctx, request), ctx.now);
      if (granted.replaced) {
        await queueMail(trx, roleEndedMail(ctx, request, granted.replaced), ctx.now);
      }
    });
  } catch (error) {
    if (error instanceof AlreadyDecided) return conflict("backOffice.request.alreadyDecided");
    if (error instanceof AlreadyHolder) return conflict("backOffice.request.alreadyHolder");
    if (error instanceof RoleTaken) {
      return conflict(
        request.replacement ? "backOffice.request.managerTaken" : "backOffice.request.managerExists",
      );
    }
    throw error;
  }
  ctx.app.mailQueued();
  return {
    ok: true,
    name: `${request.designated_first_name} ${request.designated_last_name}`,
    role: request.role,
  };
}

/** Letters, digits, punctuation and line breaks: a reason travels by email, so no other control character. */
function reasonErrors(reason: string): FieldErrors {
  if (reason === "") return { motif: { key: "backOffice.request.reasonRequired" } };
  if ([...reason].length > REASON_MAX)
    return { motif: { key: "field.tooLong", params: { max: REASON_MAX } } };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/.test(reason)) {
    return { motif: { key: "field.controlCharacters" } };
  }
  return {};
}

export type RejectOutcome = { ok: true } | DecisionRefusal;

/** Rejects a pending request with a reason; the person who filed it and the person in authority are told why. */
export async function rejectRequest(
  ctx: Ctx,
  requestId: number,
  reasonInput: string,
): Promise<RejectOutcome> {
  const { actor, request } = await loadRequest(ctx, requestId, "accessRequest.decide");
  if (request.status !== "pending") return conflict("backOffice.request.alreadyDecided");
  const reason = reasonInput.replace(/\r\n?/g, "\n").trim();
  const errors = reasonErrors(reason);
  if (Object.keys(errors).length > 0) return { ok: false, status: 400, notice: null, errors };
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const decided = await q.markDecided(trx, request.id, {
        status: "rejected",
        by: actor.userId,
        now: ctx.now,
        reason,
      });
      if (!decided) throw new AlreadyDecided();
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "accessRequest.reject",
          organizationId: request.organization_id,
          serviceId: request.service_id,
          subjectUserId: request.designated_user_id,
          targetType: "access_request",
          targetId: request.id,
          details: {
            role: request.role,
            serviceId: request.service_id,
            servicePointId: request.service_point_id,
            designatedUserId: request.designated_user_id,
            reason,
          },
        },
      );
      for (const mail of rejectionMails(ctx, request, reason)) await queueMail(trx, mail, ctx.now);
    });
  } catch (error) {
    if (error instanceof AlreadyDecided) return conflict("backOffice.request.alreadyDecided");
    throw error;
  }
  ctx.app.mailQueued();
  return { ok: true };
}

// --- Mails

function roleKey(role: ManagerRole | "deputy"): MessageKey {
  return `backOffice.role.${role}`;
}

function rightsKey(role: ManagerRole | "deputy"): MessageKey {
  return `mail.rights.${role}`;
}

function managerNamedMail(ctx: Ctx, request: RequestRow) {
  const t = translator(request.designated_locale);
  const role = t(roleKey(request.role));
  const service = `${request.service_code} — ${request.service_name}`;
  return {
    to: request.designated_email,
    subject: t("mail.managerNamed.subject", { role, service: request.service_code }),
    text: t("mail.managerNamed.body", {
      name: `${request.designated_first_name} ${request.designated_last_name}`,
      ministry: request.ministry_name,
      organization: request.organization_name,
      service,
      role,
      point: request.service_point_name
        ? t("mail.managerNamed.point", { point: request.service_point_name })
        : "",
      rights: t(rightsKey(request.role)),
      link: `${ctx.app.publicUrl}/`,
    }),
  };
}

function roleEndedMail(
  ctx: Ctx,
  request: RequestRow,
  replaced: { first_name: string; last_name: string; email: string; locale: Locale },
) {
  const t = translator(replaced.locale);
  const role = t(roleKey(request.role));
  return {
    to: replaced.email,
    subject: t("mail.roleEnded.subject", { role, service: request.service_code }),
    text: t("mail.roleEnded.body", {
      name: `${replaced.first_name} ${replaced.last_name}`,
      organization: request.organization_name,
      ministry: request.ministry_name,
      successor: `${request.designated_first_name} ${request.designated_last_name}`,
      role,
      service: `${request.service_code} — ${request.service_name}`,
      date: formatDay(montrealDay(ctx.now), replaced.locale),
    }),
  };
}

/** To the user who filed the request, in their language, and to the person in authority (in French) if another address. */
function rejectionMails(ctx: Ctx, request: RequestRow, reason: string) {
  const recipients: { to: string; name: string; locale: Locale }[] = [
    {
      to: request.filer_email,
      name: `${request.filer_first_name} ${request.filer_last_name}`,
      locale: request.filer_locale,
    },
  ];
  if (request.authority_email.toLowerCase() !== request.filer_email.toLowerCase()) {
    recipients.push({
      to: request.authority_email,
      name: `${request.authority_civility} ${request.authority_first_name} ${request.authority_last_name}`,
      locale: "fr",
    });
  }
  return recipients.map((recipient) => {
    const t = translator(recipient.locale);
    return {
      to: recipient.to,
      subject: t("mail.requestRejected.subject", { service: request.service_code }),
      text: t("mail.requestRejected.body", {
        name: recipient.name,
        organization: request.organization_name,
        service: `${request.service_code} — ${request.service_name}`,
        date: formatDay(montrealDay(request.filed_at), recipient.locale),
        designated: `${request.designated_first_name} ${request.designated_last_name}`,
        role: t(roleKey(request.role)),
        ministry: request.ministry_name,
        reason,
        link: `${ctx.app.publicUrl}/`,
      }),
    };
  });
}

// --- Who manages an organization in a service

export type SearchQuery = { organization: string; organizationId: string; service: string };
export type OrganizationMatch = Awaited<ReturnType<typeof q.searchOrganizations>>[number];
export type ServiceRow = NonNullable<Awaited<ReturnType<typeof q.findService>>>;
export type Holders = Awaited<ReturnType<typeof findRoleHolders>>;

export type ManagerSearch = {
  services: QueueService[];
  query: SearchQuery;
  errors: FieldErrors;
  /** Several organizations matched the text: the administrator picks one. */
  matches: OrganizationMatch[];
  found: { organization: OrganizationMatch; service: ServiceRow; holders: Holders } | null;
};

function isId(value: string): boolean {
  return /^\d{1,15}$/.test(value);
}

/**
 * Answers « who is the local manager of organization X in service S, and who are the deputies ». The organization
 * is found by name, geoCode or NEQ (or by id, once chosen among several); the service must be one of a ministry's,
 * and asking about another ministry's service is refused by the policy.
 */
export async function searchManagers(ctx: Ctx, query: SearchQuery): Promise<ManagerSearch> {
  const actor = authorizeOwnMinistry(ctx, "serviceRole.search");
  const services = await referenceRead(ctx, `ministry-services:${actor.organizationId}`, (db) =>
    q.listMinistryServices(db, actor.organizationId),
  );
  const result: ManagerSearch = { services, query, errors: {}, matches: [], found: null };
  if (query.organization === "" && query.organizationId === "" && query.service === "") return result;

  let service: ServiceRow | undefined;
  if (query.service === "") result.errors.service = { key: "backOffice.managers.serviceRequired" };
  else {
    service = isId(query.service) ? await q.findService(ctx.db, Number(query.service)) : undefined;
    if (!service) result.errors.service = { key: "backOffice.managers.serviceInvalid" };
    else authorize(actor, "serviceRole.search", { ministryId: service.ministry_id });
  }

  let organization: OrganizationMatch | undefined;
  if (query.organizationId !== "") {
    organization = isId(query.organizationId)
      ? await q.findClientOrganization(ctx.db, Number(query.organizationId))
      : undefined;
    if (!organization) result.errors.organisation = { key: "backOffice.managers.unknownOrganization" };
  } else if (query.organization === "") {
    result.errors.organisation = { key: "backOffice.managers.organizationRequired" };
  } else if ([...query.organization].length > SEARCH_MAX) {
    result.errors.organisation = { key: "field.tooLong", params: { max: SEARCH_MAX } };
  } else {
    const matches = await q.searchOrganizations(ctx.db, query.organization, ORGANIZATION_RESULTS);
    if (matches.length === 0) {
      result.errors.organisation = {
        key: "backOffice.managers.noOrganization",
        params: { text: query.organization },
      };
    } else if (matches.length === 1) organization = matches[0];
    else result.matches = matches;
  }

  if (!service || !organization) return result;
  authorize(actor, "serviceRole.search", {
    ministryId: service.ministry_id,
    organizationId: organization.id,
  });
  const holders = await findRoleHolders(ctx.db, organization.id, service.id);
  return { ...result, found: { organization, service, holders } };
}

export type DeputyInput = { organizationId: string; serviceId: string; userCode: string };

export type DeputyOutcome =
  | { ok: true; name: string; organizationId: number; serviceId: number }
  | { ok: false; status: 400 | 409; errors: FieldErrors };

/**
 * The administrator names a deputy local manager when the manager cannot. The deputy must be an enabled user of
 * the organization; naming the same person twice is refused by the unique index.
 */
export async function nameDeputy(ctx: Ctx, input: DeputyInput): Promise<DeputyOutcome> {
  const actor = authorizeOwnMinistry(ctx, "serviceRole.nameDeputyAsAdmin");
  const service = isId(input.serviceId) ? await q.findService(ctx.db, Number(input.serviceId)) : undefined;
  const organization = isId(input.organizationId)
    ? await q.findClientOrganization(ctx.db, Number(input.organizationId))
    : undefined;
  if (!service) {
    return { ok: false, status: 400, errors: { service: { key: "backOffice.managers.serviceInvalid" } } };
  }
  if (!organization) {
    authorize(actor, "serviceRole.nameDeputyAsAdmin", { ministryId: service.ministry_id });
    return {
      ok: false,
      status: 400,
      errors: { organisation: { key: "backOffice.managers.unknownOrganization" } },
    };
  }
  authorize(actor, "serviceRole.nameDeputyAsAdmin", {
    ministryId: service.ministry_id,
    organizationId: organization.id,
  });
  const refuse = (key: MessageKey, status: 400 | 409 = 400): DeputyOutcome => ({
    ok: false,
    status,
    errors: { utilisateur: { key, params: { organization: organization.name } } },
  });
  const code = input.userCode.trim().toUpperCase();
  if (code === "") return refuse("backOffice.managers.deputyCodeRequired");
  const user = /^[A-Z0-9]{7}$/.test(code) ? await q.findUserByCode(ctx.db, code) : undefined;
  if (!user) return refuse("backOffice.managers.deputyUnknown");
  if (user.organization_id !== organization.id) return refuse("backOffice.managers.deputyOtherOrganization");
  if (user.disabled_at !== null) return refuse("backOffice.managers.deputyDisabled");
  const manager = await findCurrentHolder(ctx.db, "local_manager", {
    organizationId: organization.id,
    servicePointId: null,
    serviceId: service.id,
  });
  if (manager?.user_id === user.id) return refuse("backOffice.managers.deputyIsManager", 409);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await nameDeputyRole(
        { ...ctx, db: trx },
        {
          organizationId: organization.id,
          serviceId: service.id,
          userId: user.id,
        },
      );
      const t = translator(user.locale);
      const role = t("backOffice.role.deputy");
      await queueMail(
        trx,
        {
          to: user.email,
          subject: t("mail.deputyNamed.subject", { role, service: service.code }),
          text: t("mail.deputyNamed.body", {
            name: `${user.first_name} ${user.last_name}`,
            ministry: service.ministry_name,
            role,
            organization: organization.name,
            service: `${service.code} — ${service.name}`,
            rights: t("mail.rights.deputy"),
            link: `${ctx.app.publicUrl}/`,
          }),
        },
        ctx.now,
      );
    });
  } catch (error) {
    if (error instanceof RoleTaken) return refuse("backOffice.managers.deputyAlready", 409);
    throw error;
  }
  ctx.app.mailQueued();
  return {
    ok: true,
    name: `${user.first_name} ${user.last_name}`,
    organizationId: organization.id,
    serviceId: service.id,
  };
}

/**
 * The administrator removes a deputy local manager when the manager cannot. The registry ends the role (audit and
 * email), deciding there again that the service belongs to the administrator's ministry.
 */
export async function removeDeputyAsAdmin(
  ctx: Ctx,
  input: { organizationId: string; serviceId: string; roleId: number },
): Promise<DeputyOutcome> {
  authorizeOwnMinistry(ctx, "serviceRole.removeDeputyAsAdmin");
  const service = isId(input.serviceId) ? await q.findService(ctx.db, Number(input.serviceId)) : undefined;
  const organization = isId(input.organizationId)
    ? await q.findClientOrganization(ctx.db, Number(input.organizationId))
    : undefined;
  if (!service || !organization) throw new AppError("not_found");
  const result = await removeDeputy(
    ctx,
    { service, organizationId: organization.id },
    input.roleId,
    "ministry",
  );
  if (!result.ok) return result;
  return { ok: true, name: result.name, organizationId: organization.id, serviceId: service.id };
}

// --- Services without a manager able to act

export type GapList = {
  services: QueueService[];
  query: { service: string };
  errors: FieldErrors;
  rows: GapRow[];
};

/**
 * « Services sans gestionnaire »: the (organization, service) pairs of the ministry's services — and a firm's service
 * points for agent managers — with current rights and no manager able to act, with the days since, so that the
 * ministry names a deputy or approves a replacement. A service filter of another ministry is refused by the policy.
 */
export async function listServicesWithoutManager(ctx: Ctx, input: { service: string }): Promise<GapList> {
  const filter = await ministryServiceFilter(ctx, "serviceRole.listGaps", input.service);
  const base: GapList = { services: filter.services, query: input, errors: filter.errors, rows: [] };
  if (filter.serviceId === undefined) return base;
  return {
    ...base,
    rows: await gapsOfMinistry(ctx.db, ctx.now, filter.actor.organizationId, filter.serviceId),
  };
}

/**
 * A back-office page filtered by one of the ministry's services (MinistryServiceField): the actor authorized for
 * their own ministry, its services, and the service the query names (null for all; undefined with an error for an
 * unknown one). Another ministry's service is refused by the policy, never listed empty.
 */
export async function ministryServiceFilter(
  ctx: Ctx,
  action: BackOfficeAction,
  raw: string,
): Promise<{
  actor: UserActor;
  services: QueueService[];
  serviceId: number | null | undefined;
  errors: FieldErrors;
}> {
  const actor = authorizeOwnMinistry(ctx, action);
  const services = await referenceRead(ctx, `ministry-services:${actor.organizationId}`, (db) =>
    q.listMinistryServices(db, actor.organizationId),
  );
  if (raw === "") return { actor, services, serviceId: null, errors: {} };
  const service = isId(raw) ? await q.findService(ctx.db, Number(raw)) : undefined;
  if (!service)
    return {
      actor,
      services,
      serviceId: undefined,
      errors: { service: { key: "backOffice.managers.serviceInvalid" } },
    };
  authorize(actor, action, { ministryId: service.ministry_id });
  return { actor, services, serviceId: service.id, errors: {} };
}
