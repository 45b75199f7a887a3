// « Journal des accès »: the organization's audit events. The RSE reads all of them; the local manager and the
// deputies of (O,S) read those of S, as they see its registry; everyone reads their own history.
import type { AccountResource } from "./accounts.rules.js";
import type { UserActor } from "./actor.js";
import { ALLOW, type Decision, deny } from "./decision.js";
import { registryManager, type ServiceResource } from "./registry.rules.js";

export const journalRules = {
  /** Every event of the organization, whatever its service: its services officer. */
  "journal.viewOrganization": (actor: UserActor, resource: AccountResource): Decision => {
    if (!actor.isServicesOfficer) return deny("not_services_officer");
    return actor.organizationId === resource.organizationId ? ALLOW : deny("other_organization");
  },
  /** The events of one service of the organization: whoever manages its registry there (L, D, both layers). */
  "journal.viewService": (actor: UserActor, resource: ServiceResource): Decision =>
    registryManager(actor, resource),
  /** « Mon historique »: one's own sign-ins, factors, and what was granted to or ended for oneself. */
  "profile.viewHistory": (actor: UserActor, resource: AccountResource): Decision =>
    resource.userId === actor.userId ? ALLOW : deny("not_own_account"),
} as const;
