// Accounts: only an organization's services officer (RSE) manages its user accounts; anyone manages their own password.
import type { UserActor } from "./actor.js";
import { ALLOW, type Decision, deny } from "./decision.js";

/** An organization's user list, or a user account within it. */
export type AccountResource = { organizationId: number; userId?: number };

function servicesOfficerOf(actor: UserActor, resource: AccountResource): Decision {
  if (!actor.isServicesOfficer) return deny("not_services_officer");
  if (actor.organizationId !== resource.organizationId) return deny("other_organization");
  return ALLOW;
}

export const accountRules = {
  "account.list": servicesOfficerOf,
  "account.create": servicesOfficerOf,
  "account.view": servicesOfficerOf,
  "account.edit": servicesOfficerOf,
  "account.resetPassword": servicesOfficerOf,
  "account.enable": servicesOfficerOf,
  "account.disable": (actor: UserActor, resource: AccountResource): Decision => {
    const decision = servicesOfficerOf(actor, resource);
    if (!decision.allowed) return decision;
    // An officer who disabled their own account could leave the organization with nobody to re-enable it.
    return resource.userId === actor.userId ? deny("own_account") : ALLOW;
  },
  "account.resetFactors": (actor: UserActor, resource: AccountResource): Decision => {
    const decision = servicesOfficerOf(actor, resource);
    if (!decision.allowed) return decision;
    // A factor is proved by its owner: an officer who could reset their own would need none.
    return resource.userId === actor.userId ? deny("own_account") : ALLOW;
  },
  "profile.view": (actor: UserActor, resource: AccountResource): Decision =>
    resource.userId === actor.userId ? ALLOW : deny("not_own_account"),
  "profile.changePassword": (actor: UserActor, resource: AccountResource): Decision =>
    resource.userId === actor.userId ? ALLOW : deny("not_own_account"),
  "profile.manageFactors": (actor: UserActor, resource: AccountResource): Decision =>
    resource.userId === actor.userId ? ALLOW : deny("not_own_account"),
} as const;
