// The policy module: every action is a typed name with one rule; routes and services ask here and nowhere else.
import { AppError } from "../errors.js";
import {
  accessRequestRules,
  type FileRequestResource,
  type MinistryResource,
} from "./access-requests.rules.js";
import { type AccountResource, accountRules } from "./accounts.rules.js";
import type { Actor, UserActor } from "./actor.js";
import { type ApplicationResource, applicationRules } from "./applications.rules.js";
import { type Decision, deny } from "./decision.js";
import { externalServiceRules } from "./external-services.rules.js";
import {
  type DraftResource,
  fileTransferRules,
  type RecipientInboxResource,
  type TransferSendResource,
} from "./file-transfers.rules.js";
import { journalRules } from "./journal.rules.js";
import {
  type MinistryActResource,
  type ProcurationResource,
  procurationRules,
} from "./procurations.rules.js";
import { registryRules, type ServicePointResource, type ServiceResource } from "./registry.rules.js";
import { type ReviewOrganizationResource, reviewRules } from "./reviews.rules.js";
import { type RightRequestResource, rightRequestRules } from "./right-requests.rules.js";

type Rule<R> = (actor: UserActor, resource: R) => Decision;

/** The resource each action is about. */
export interface Resources {
  "account.list": AccountResource;
  "account.create": AccountResource;
  "account.view": AccountResource;
  "account.edit": AccountResource;
  "account.resetPassword": AccountResource;
  "account.enable": AccountResource;
  "account.disable": AccountResource;
  "account.resetFactors": AccountResource;
  "profile.view": AccountResource;
  "profile.changePassword": AccountResource;
  "profile.manageFactors": AccountResource;
  "procuration.list": ProcurationResource;
  "procuration.create": ProcurationResource;
  "procuration.view": ProcurationResource;
  "procuration.change": ProcurationResource;
  "procuration.assign": ProcurationResource;
  "procuration.end": ProcurationResource;
  "organization.actWithMinistry": MinistryActResource;
  "accessRequest.file": FileRequestResource;
  "accessRequest.review": MinistryResource;
  "accessRequest.decide": MinistryResource;
  "serviceRole.search": MinistryResource;
  "serviceRole.nameDeputyAsAdmin": MinistryResource;
  "serviceRole.removeDeputyAsAdmin": MinistryResource;
  "serviceRole.listGaps": MinistryResource;
  "identificationCode.issue": MinistryResource;
  "registry.view": ServiceResource;
  "registry.grant": ServiceResource;
  "registry.change": ServiceResource;
  "registry.revoke": ServiceResource;
  "registry.whoHasAccess": ServiceResource;
  "deputy.name": ServiceResource;
  "deputy.remove": ServiceResource;
  "association.view": ServicePointResource;
  "association.add": ServicePointResource;
  "association.remove": ServicePointResource;
  "application.list": ServiceResource;
  "application.create": ServiceResource;
  "application.read": ApplicationResource;
  "application.edit": ApplicationResource;
  "application.transmit": ApplicationResource;
  "application.readAsMinistry": MinistryResource;
  "mandate.view": ServiceResource;
  "mandate.assign": ServiceResource;
  "mandate.end": ServiceResource;
  "fileTransfer.send": TransferSendResource;
  "fileTransfer.viewHistory": TransferSendResource;
  "fileTransfer.editDraft": DraftResource;
  "fileTransfer.viewInbox": RecipientInboxResource;
  "fileTransfer.download": RecipientInboxResource;
  "externalService.manage": MinistryResource;
  "journal.viewOrganization": AccountResource;
  "journal.viewService": ServiceResource;
  "profile.viewHistory": AccountResource;
  "review.view": ServiceResource;
  "review.decide": ServiceResource;
  "review.decideAsOfficer": ReviewOrganizationResource;
  "review.history": ReviewOrganizationResource;
  "review.decideAsMinistry": MinistryResource;
  "review.launch": MinistryResource;
  "review.completion": MinistryResource;
  "rightRequest.file": RightRequestResource;
  "rightRequest.decide": ServiceResource;
}

export type Action = keyof Resources;

const RULES: { [A in Action]: Rule<Resources[A]> } = {
  ...accountRules,
  ...procurationRules,
  ...accessRequestRules,
  ...registryRules,
  ...applicationRules,
  ...fileTransferRules,
  ...externalServiceRules,
  ...journalRules,
  ...reviewRules,
  ...rightRequestRules,
};

export function isAction(name: string): name is Action {
  return Object.hasOwn(RULES, name);
}

export const ACTIONS: readonly Action[] = Object.keys(RULES).filter(isAction);

/** Every action needs a signed-in user; an action without a rule is denied. */
export function can<A extends Action>(actor: Actor, action: A, resource: Resources[A]): Decision {
  if (actor.kind !== "user") return deny("not_authenticated");
  const rule: Rule<Resources[A]> | undefined = RULES[action];
  return rule ? rule(actor, resource) : deny("no_rule");
}

/** Throws a forbidden error carrying the reason, which the error handler records in the audit log. */
export function authorize<A extends Action>(actor: Actor, action: A, resource: Resources[A]): UserActor {
  const decision = can(actor, action, resource);
  if (decision.allowed && actor.kind === "user") return actor;
  const reason = decision.allowed ? "not_authenticated" : decision.reason;
  // The organization acted on; for the back office without one, the ministry itself.
  const organizationId =
    ("organizationId" in resource ? resource.organizationId : undefined) ??
    ("ministryId" in resource ? resource.ministryId : null);
  throw new AppError(reason === "not_authenticated" ? "unauthenticated" : "forbidden", {
    denial: { action, reason, organizationId, ...serviceOf(resource), ...targetOf(resource) },
  });
}

/** The service the act was in, for the organization's journal (a user target is already the journal's « whom »). */
function serviceOf(resource: object): { serviceId?: number } {
  return "serviceId" in resource && typeof resource.serviceId === "number"
    ? { serviceId: resource.serviceId }
    : {};
}

function targetOf(resource: object): { targetType?: string; targetId?: string } {
  if ("userId" in resource && typeof resource.userId === "number") {
    return { targetType: "user", targetId: String(resource.userId) };
  }
  if ("procurationId" in resource && typeof resource.procurationId === "number") {
    return { targetType: "procuration", targetId: String(resource.procurationId) };
  }
  if ("facts" in resource && "serviceId" in resource && "organizationId" in resource) {
    // An organization's registry carries no service point (the service layer passes -1 for « none »).
    const point =
      "servicePointId" in resource &&
      typeof resource.servicePointId === "number" &&
      resource.servicePointId > 0
        ? `/${resource.servicePointId}`
        : "";
    return {
      targetType: "registry",
      targetId: `${String(resource.organizationId)}/${String(resource.serviceId)}${point}`,
    };
  }
  if ("ministryId" in resource && typeof resource.ministryId === "number") {
    const service =
      "serviceId" in resource && typeof resource.serviceId === "number" ? `/${resource.serviceId}` : "";
    return { targetType: "ministry", targetId: `${resource.ministryId}${service}` };
  }
  return {};
}

/** The actions, among those given, that the actor may take on one resource: views hide the others; the server still decides. */
export function abilities<A extends Action>(
  actor: Actor,
  actions: readonly A[],
  resource: Resources[A],
): Set<A> {
  return new Set(actions.filter((action) => can(actor, action, resource).allowed));
}
