// Financial-aid applications and mandates: requesters of the organization (Rédaction, Consultation) reach all its
// applications in the service; agents only those mandated to them; managers reach none by their role alone; the
// owning ministry's service administrators read transmitted applications. Every rule needs the enterprise layer.
import type { MinistryResource } from "./access-requests.rules.js";
import type { UserActor } from "./actor.js";
import { ALLOW, type Decision, deny } from "./decision.js";
import { enterprise, registryManager, type ServiceResource } from "./registry.rules.js";

/** An action on one application: its registry, and whether the actor holds a current mandate on it. */
export type ApplicationResource = ServiceResource & { mandated: boolean };

/** Staff act for their own organization; an agent acts for a client from their firm, so only the right counts. */
function withRight(
  actor: UserActor,
  resource: ServiceResource,
  decide: (right: NonNullable<ServiceResource["facts"]["right"]>) => Decision,
): Decision {
  const right = resource.facts.right;
  if (right === null) return deny("no_right");
  if (right.startsWith("requester.") && actor.organizationId !== resource.organizationId)
    return deny("other_organization");
  const layer = enterprise(actor, resource);
  return layer.allowed ? decide(right) : layer;
}

export const applicationRules = {
  /** The list: requesters see all, agents their mandated ones (the SQL filters). */
  "application.list": (actor: UserActor, resource: ServiceResource): Decision =>
    withRight(actor, resource, () => ALLOW),
  "application.create": (actor: UserActor, resource: ServiceResource): Decision =>
    withRight(actor, resource, (right) =>
      right === "requester.write" || right === "agent.write" ? ALLOW : deny("read_only_right"),
    ),
  "application.read": (actor: UserActor, resource: ApplicationResource): Decision =>
    withRight(actor, resource, (right) =>
      right.startsWith("requester.") || resource.mandated ? ALLOW : deny("not_mandated"),
    ),
  "application.edit": writeOnMandate,
  "application.transmit": writeOnMandate,
  /** The owning ministry's service administrators read transmitted applications (never drafts: the SQL filters). */
  "application.readAsMinistry": (actor: UserActor, resource: MinistryResource): Decision => {
    if (!actor.isServiceAdmin) return deny("not_service_admin");
    return actor.organizationId === resource.ministryId ? ALLOW : deny("other_ministry");
  },
  /** « Gestion des mandats »: the local manager and deputies of the client organization. */
  "mandate.view": registryManager,
  "mandate.assign": registryManager,
  "mandate.end": registryManager,
} as const;

/** Editing and transmitting: a requester who writes, or an agent who writes on a dossier mandated to them. */
function writeOnMandate(actor: UserActor, resource: ApplicationResource): Decision {
  return withRight(actor, resource, (right) => {
    if (right === "requester.write") return ALLOW;
    if (right === "agent.write") return resource.mandated ? ALLOW : deny("not_mandated");
    return deny("read_only_right");
  });
}
