// « Demander un accès » (demande de droit): anyone asks for a right in the registry of an organization they may act
// for — their own for a requester right, a client (a municipality or a body) for a firm's staff asking an agent
// right; the local manager and deputies of (O,S) decide, as they would grant it.
import type { AccessRight, OrganizationKind } from "../db/schema.js";
import type { UserActor } from "./actor.js";
import { ALLOW, type Decision, deny } from "./decision.js";
import { isAgentRight, registryManager } from "./registry.rules.js";

/** Asking for one right in the registry of organization O. */
export type RightRequestResource = {
  organizationId: number;
  organizationKind: OrganizationKind;
  right: AccessRight;
};

/** Whom a firm works for: a municipality or a public body, never another firm or a ministry. */
function isClientKind(kind: OrganizationKind): boolean {
  return kind === "municipality" || kind === "body";
}

export const rightRequestRules = {
  "rightRequest.file": (actor: UserActor, resource: RightRequestResource): Decision => {
    // A ministry administers services; nobody asks it for rights in them.
    if (resource.organizationKind === "ministry") return deny("not_client_organization");
    if (!isAgentRight(resource.right))
      return actor.organizationId === resource.organizationId ? ALLOW : deny("other_organization");
    // An agent right is a firm's employee working for a client.
    return actor.organizationKind === "firm" && isClientKind(resource.organizationKind)
      ? ALLOW
      : deny("not_client_organization");
  },
  /** Approving is granting: the local manager and deputies of (O,S), with a procuration covering S. */
  "rightRequest.decide": registryManager,
} as const;
