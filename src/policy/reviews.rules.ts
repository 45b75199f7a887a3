// « Revue des accès »: the local manager and deputies of (O,S) confirm or remove its rights, deputies and mandates;
// the services officer its procuration holders (and the lines of the managers themselves); the owning ministry's
// service administrators launch a campaign for a service and follow its completion. Nobody decides their own line.
import { type MinistryResource, serviceAdminOf } from "./access-requests.rules.js";
import type { UserActor } from "./actor.js";
import { ALLOW, type Decision, deny } from "./decision.js";
import { servicesOfficerOf } from "./procurations.rules.js";
import { registryManager } from "./registry.rules.js";

/** The organization whose reviews are read or decided by its services officer. */
export type ReviewOrganizationResource = { organizationId: number };

export const reviewRules = {
  /** The open campaign of (O,S) and its lines: whoever manages the registry there (L, D, both layers). */
  "review.view": registryManager,
  /** Confirming or removing a right, deputy or mandate line of (O,S): L or D, as they manage the registry. */
  "review.decide": registryManager,
  /** Procuration holders' lines, and those of the managers of (O,S) themselves: the organization's services officer. */
  "review.decideAsOfficer": (actor: UserActor, resource: ReviewOrganizationResource): Decision =>
    servicesOfficerOf(actor, resource),
  /** The managers' own lines in the ministry's services, which they may not decide: its service administrators. */
  "review.decideAsMinistry": (actor: UserActor, resource: MinistryResource): Decision =>
    serviceAdminOf(actor, resource),
  /** The organization's history of reviews and its CSV: its services officer. */
  "review.history": (actor: UserActor, resource: ReviewOrganizationResource): Decision =>
    servicesOfficerOf(actor, resource),
  /** Launching a campaign for one of the ministry's services, and its completion by organization. */
  "review.launch": (actor: UserActor, resource: MinistryResource): Decision =>
    serviceAdminOf(actor, resource),
  "review.completion": (actor: UserActor, resource: MinistryResource): Decision =>
    serviceAdminOf(actor, resource),
} as const;

/** Never one's own line: a person does not confirm their own access, whatever role lets them decide the others. */
export function reviewLineDecider(actor: UserActor, line: { subjectUserId: number }): Decision {
  return line.subjectUserId === actor.userId ? deny("own_line") : ALLOW;
}
