// Access requests and the ministry's back office: any user of an organization files for it; the service
// administrators of the ministry that owns the service decide, search, name deputies and issue identification codes.
import type { UserActor } from "./actor.js";
import { ALLOW, type Decision, deny } from "./decision.js";

/** Filing a request for an organization (or one of its service points) in a service. */
export type FileRequestResource = {
  organizationId: number;
  organizationKind: "municipality" | "body" | "firm" | "ministry";
};

/** Anything the back office does concerns the ministry that owns the service (or, for codes, the portal's ministry). */
export type MinistryResource = { ministryId: number; organizationId?: number };

/** A service administrator of the ministry at hand (the back office's every rule). */
export function serviceAdminOf(actor: UserActor, resource: MinistryResource): Decision {
  if (!actor.isServiceAdmin) return deny("not_service_admin");
  if (actor.organizationId !== resource.ministryId) return deny("other_ministry");
  return ALLOW;
}

export const accessRequestRules = {
  "accessRequest.file": (actor: UserActor, resource: FileRequestResource): Decision => {
    if (actor.organizationId !== resource.organizationId) return deny("other_organization");
    // A ministry administers services; it does not ask itself for access to them.
    if (resource.organizationKind === "ministry") return deny("not_client_organization");
    return ALLOW;
  },
  "accessRequest.review": serviceAdminOf,
  "accessRequest.decide": serviceAdminOf,
  "serviceRole.search": serviceAdminOf,
  "serviceRole.nameDeputyAsAdmin": serviceAdminOf,
  "serviceRole.removeDeputyAsAdmin": serviceAdminOf,
  /** « Services sans gestionnaire »: the scopes of the ministry's own services left without a manager able to act. */
  "serviceRole.listGaps": serviceAdminOf,
  "identificationCode.issue": serviceAdminOf,
} as const;
