// Procurations: only the organization's services officer manages them; acting for the organization with a ministry needs one.
import type { UserActor } from "./actor.js";
import { ALLOW, type Decision, deny } from "./decision.js";

export type ProcurationResource = { organizationId: number; procurationId?: number };

/** One valid procuration of the actor, as loaded for today: the ministry it covers and, when restricted, the services. */
export type ProcurationGrant = { ministryId: number; restricted: boolean; serviceIds: readonly number[] };

/** Acting for an organization with a ministry, and in one of its services when the act belongs to a service. */
export type MinistryActResource = {
  organizationId: number;
  ministryId: number;
  serviceId: number | null;
  /** The actor's procurations that are valid today; an expired or ended one is simply not here. */
  procurations: readonly ProcurationGrant[];
};

export function servicesOfficerOf(actor: UserActor, resource: { organizationId: number }): Decision {
  if (!actor.isServicesOfficer) return deny("not_services_officer");
  if (actor.organizationId !== resource.organizationId) return deny("other_organization");
  return ALLOW;
}

export function procurationCovers(
  grants: readonly ProcurationGrant[],
  ministryId: number,
  serviceId: number | null,
) {
  const forMinistry = grants.filter((grant) => grant.ministryId === ministryId);
  if (forMinistry.length === 0) return deny("no_procuration");
  const covered = forMinistry.some(
    (grant) => !grant.restricted || (serviceId !== null && grant.serviceIds.includes(serviceId)),
  );
  return covered ? ALLOW : deny("service_not_covered");
}

export const procurationRules = {
  "procuration.list": servicesOfficerOf,
  "procuration.create": servicesOfficerOf,
  "procuration.view": servicesOfficerOf,
  "procuration.change": servicesOfficerOf,
  "procuration.assign": servicesOfficerOf,
  "procuration.end": servicesOfficerOf,
  /** The enterprise layer: every later capability calls this rule rather than repeat it. */
  "organization.actWithMinistry": (actor: UserActor, resource: MinistryActResource): Decision => {
    if (actor.organizationId !== resource.organizationId) return deny("other_organization");
    // The services officer holds every procuration of their own organization implicitly.
    if (actor.isServicesOfficer) return ALLOW;
    return procurationCovers(resource.procurations, resource.ministryId, resource.serviceId);
  },
} as const;
