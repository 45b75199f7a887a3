// The service layer (registry): inside one online service, what a user may do for an organization comes from
// their role there (local manager, deputy, agent manager) and their right in its registry. Every rule also needs
// the enterprise layer: a procuration of the actor's own organization covering the ministry (and the service).
import type { AccessRight } from "../db/schema.js";
import type { UserActor } from "./actor.js";
import { ALLOW, type Decision, deny } from "./decision.js";
import { type ProcurationGrant, procurationRules } from "./procurations.rules.js";

/**
 * What the actor holds in one service, read in one statement just before the decision: their roles for the
 * organization at hand, the service point where they are agent manager, their current right in the organization's
 * registry (already excluding an ended, expired or dissociated one), whether their firm associated them with the
 * service, and their valid procurations for the service's ministry.
 */
export type ServiceFacts = {
  roles: readonly ("local_manager" | "deputy")[];
  agentManagerOfPoint: number | null;
  right: AccessRight | null;
  associationId: number | null;
  procurations: readonly ProcurationGrant[];
};

/** An action in the registry of (organization, service). For a firm's own pages, organizationId is the firm. */
export type ServiceResource = {
  organizationId: number;
  serviceId: number;
  ministryId: number;
  facts: ServiceFacts;
};

/** An agent manager's page is about one service point of the firm. */
export type ServicePointResource = ServiceResource & { servicePointId: number };

/** The person a right, a deputy role or an association is for. */
export type Grantee = {
  organizationId: number;
  organizationKind: string;
  disabled: boolean;
  /** Their current association with the service, made by their firm's agent manager. */
  associationId: number | null;
  /** The firm's service point of that association. */
  associationPointId: number | null;
};

export const ACCESS_RIGHTS: readonly AccessRight[] = [
  "requester.write",
  "requester.read",
  "agent.write",
  "agent.read",
];

export function isAccessRight(value: string): value is AccessRight {
  return (ACCESS_RIGHTS as readonly string[]).includes(value);
}

export function isAgentRight(right: AccessRight): boolean {
  return right === "agent.write" || right === "agent.read";
}

/** The enterprise layer for an act in a service: the actor acts for their own organization, with a procuration. */
export function enterprise(actor: UserActor, resource: ServiceResource): Decision {
  return procurationRules["organization.actWithMinistry"](actor, {
    organizationId: actor.organizationId,
    ministryId: resource.ministryId,
    serviceId: resource.serviceId,
    procurations: resource.facts.procurations,
  });
}

function both(first: Decision, then: () => Decision): Decision {
  return first.allowed ? then() : first;
}

/** L or D of (O,S): the registry, « Qui a accès », rights and mandates. Managers belong to O. */
export function registryManager(actor: UserActor, resource: ServiceResource): Decision {
  if (actor.organizationId !== resource.organizationId) return deny("other_organization");
  return both(enterprise(actor, resource), () =>
    resource.facts.roles.length > 0 ? ALLOW : deny("not_registry_manager"),
  );
}

/** L only: deputies are named and removed by the local manager, never by a deputy. */
function localManager(actor: UserActor, resource: ServiceResource): Decision {
  if (actor.organizationId !== resource.organizationId) return deny("other_organization");
  return both(enterprise(actor, resource), () =>
    resource.facts.roles.includes("local_manager") ? ALLOW : deny("not_local_manager"),
  );
}

/** AM of (P,S): associates and dissociates the firm's staff at that service point. */
function agentManager(actor: UserActor, resource: ServicePointResource): Decision {
  if (actor.organizationId !== resource.organizationId) return deny("other_organization");
  return both(enterprise(actor, resource), () =>
    resource.facts.agentManagerOfPoint === resource.servicePointId ? ALLOW : deny("not_agent_manager"),
  );
}

export const registryRules = {
  "registry.view": registryManager,
  "registry.grant": registryManager,
  "registry.change": registryManager,
  "registry.revoke": registryManager,
  "registry.whoHasAccess": registryManager,
  "deputy.name": localManager,
  "deputy.remove": localManager,
  "association.view": agentManager,
  "association.add": agentManager,
  "association.remove": agentManager,
} as const;

/**
 * Who may receive a right in the registry of organization O: requester rights go to O's own staff, agent rights
 * to someone a firm's agent manager associated with the service. Nobody disabled, and never a ministry employee.
 */
export function rightEligibility(right: AccessRight, grantee: Grantee, organizationId: number): Decision {
  if (grantee.disabled) return deny("grantee_disabled");
  if (isAgentRight(right)) {
    if (grantee.organizationKind !== "firm" || grantee.associationId === null)
      return deny("grantee_not_associated");
    return ALLOW;
  }
  return grantee.organizationId === organizationId ? ALLOW : deny("grantee_other_organization");
}

/** A deputy belongs to O and is enabled. */
export function deputyEligibility(grantee: Grantee, organizationId: number): Decision {
  if (grantee.disabled) return deny("grantee_disabled");
  return grantee.organizationId === organizationId ? ALLOW : deny("grantee_other_organization");
}

/** The agent manager associates only people of their own firm. */
export function associationEligibility(grantee: Grantee, firmId: number): Decision {
  if (grantee.disabled) return deny("grantee_disabled");
  return grantee.organizationId === firmId ? ALLOW : deny("grantee_other_organization");
}
