// The decision API's view of the policy: the actions it answers, the resources it hands the policy (those the app's
// own routes build), and the chain behind an answer, found by asking the policy which of its facts the answer rests
// on rather than by writing its rules a second time.
import type { AccessRight } from "../../db/schema.js";
import type { UserActor } from "../../policy/actor.js";
import type { ApplicationResource } from "../../policy/applications.rules.js";
import type { Decision } from "../../policy/decision.js";
import { type Action, can, type Resources } from "../../policy/policy.js";
import {
  ACCESS_RIGHTS,
  rightEligibility,
  type ServiceFacts,
  type ServiceResource,
} from "../../policy/registry.rules.js";

type Exactly<R> = {
  [A in Action]: [Resources[A]] extends [R] ? ([R] extends [Resources[A]] ? A : never) : never;
}[Action];

/** Actions on one dossier (the policy reads whether the person holds a mandate on it). */
export const DOSSIER_ACTIONS = [
  "application.read",
  "application.edit",
  "application.transmit",
] as const satisfies readonly Exactly<ApplicationResource>[];

/**
 * Every action the decision API answers, in the policy's own names (the OpenAPI enum): those about the registry of
 * one organization in one service, and those about its dossiers. A firm's service point is no question's subject, so
 * its actions (association.*) are not here.
 */
export const DECISION_ACTIONS = [
  "application.list",
  "application.create",
  ...DOSSIER_ACTIONS,
  "registry.view",
  "registry.grant",
  "registry.change",
  "registry.revoke",
  "registry.whoHasAccess",
  "deputy.name",
  "deputy.remove",
  "mandate.view",
  "mandate.assign",
  "mandate.end",
  "journal.viewService",
  "review.view",
  "review.decide",
  "rightRequest.decide",
] as const satisfies readonly (Exactly<ServiceResource> | Exactly<ApplicationResource>)[];

export type DecisionAction = (typeof DECISION_ACTIONS)[number];
type DossierAction = (typeof DOSSIER_ACTIONS)[number];

// A new action about (organization, service) or one of its dossiers fails to compile here until it is listed above.
type Unlisted = Exclude<Exactly<ServiceResource> | Exactly<ApplicationResource>, DecisionAction>;
const everyServiceActionListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyServiceActionListed;

export function isDecisionAction(name: string): name is DecisionAction {
  return (DECISION_ACTIONS as readonly string[]).includes(name);
}

function isDossierAction(action: DecisionAction): action is DossierAction {
  return (DOSSIER_ACTIONS as readonly string[]).includes(action);
}

/** What the policy is given for one question: the person, the registry of (organization, service) and its facts. */
export type World = {
  actor: UserActor;
  organizationId: number;
  serviceId: number;
  ministryId: number;
  facts: ServiceFacts;
  /** A current mandate of the person on the dossier asked about (read only for an agent, as the routes do). */
  mandated: boolean;
};

/** The policy's decision, on the resource the app's routes build: an application action also says « mandated ». */
export function decideIn(action: DecisionAction, world: World): Decision {
  const resource: ServiceResource = {
    organizationId: world.organizationId,
    serviceId: world.serviceId,
    ministryId: world.ministryId,
    facts: world.facts,
  };
  return isDossierAction(action)
    ? can(world.actor, action, { ...resource, mandated: world.mandated })
    : can(world.actor, action, resource);
}

// --- The chain

/**
 * The facts of a world in the groups a chain is made of, in the order it is told: the enterprise layer (the services
 * officer's own, or a procuration), a role in the registry, a right (with, for an agent, the association it rests on),
 * a mandate on the dossier.
 */
export const GROUPS = ["enterprise", "role", "right", "mandate"] as const;
export type Group = (typeof GROUPS)[number];

/** The world without the group's facts. */
function without(world: World, group: Group): World {
  switch (group) {
    case "enterprise":
      return {
        ...world,
        actor: { ...world.actor, isServicesOfficer: false },
        facts: { ...world.facts, procurations: [] },
      };
    case "role":
      return { ...world, facts: { ...world.facts, roles: [] } };
    case "right":
      return { ...world, facts: { ...world.facts, right: null } };
    case "mandate":
      return { ...world, mandated: false };
  }
}

/**
 * The worlds where the group holds as it best can: a procuration for the whole ministry, the local manager's role,
 * each right the registry could give this person (as if their firm had associated them), a mandate.
 */
function withGroup(world: World, group: Group): World[] {
  switch (group) {
    case "enterprise": {
      const everything = { ministryId: world.ministryId, restricted: false, serviceIds: [] };
      return [{ ...world, facts: { ...world.facts, procurations: [everything] } }];
    }
    case "role":
      return [{ ...world, facts: { ...world.facts, roles: ["local_manager"] } }];
    case "right":
      return eligibleRights(world).map((right) => ({ ...world, facts: { ...world.facts, right } }));
    case "mandate":
      return [{ ...world, mandated: true }];
  }
}

/** The rights the registry's own eligibility rule lets this person receive there. */
function eligibleRights(world: World): AccessRight[] {
  const grantee = {
    organizationId: world.actor.organizationId,
    organizationKind: world.actor.organizationKind,
    disabled: false,
    // Supposed: a right comes with its association, so a firm's employee is taken as associated.
    associationId: 0,
    associationPointId: null,
  };
  return ACCESS_RIGHTS.filter((right) => rightEligibility(right, grantee, world.organizationId).allowed);
}

/** The groups the allowed world's decision rests on: without any one of them, the policy would deny. */
function necessary(action: DecisionAction, world: World, supposed: readonly Group[]): Group[] {
  return GROUPS.filter(
    (group) => !supposed.includes(group) && !decideIn(action, without(world, group)).allowed,
  );
}

/** Every way to make the given groups hold at once. */
function supposing(world: World, groups: readonly Group[]): World[] {
  return groups.reduce<World[]>((worlds, group) => worlds.flatMap((each) => withGroup(each, group)), [world]);
}

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  return items.flatMap((item, index) =>
    subsets(items.slice(index + 1), size - 1).map((rest) => [item, ...rest]),
  );
}

/**
 * The nearest chain that would allow a denied action: the fewest groups supposed, and the worlds (one per right the
 * registry could give) where supposing them allows it; null when no fact of the registry could allow it.
 */
function nearestChain(action: DecisionAction, world: World): { supposed: Group[]; allowing: World[] } | null {
  for (let size = 1; size <= GROUPS.length; size++) {
    for (const supposed of subsets(GROUPS, size)) {
      const allowing = supposing(world, supposed).filter((each) => decideIn(action, each).allowed);
      if (allowing.length > 0) return { supposed, allowing };
    }
  }
  return null;
}

/**
 * The policy's decision and the groups of its chain. Allowed: the groups without which it would not be. Denied: the
 * groups, among those that hold, of the nearest chain that would allow it (the fewest groups supposed), so « the links
 * found before the one missing »; none when no fact of the registry could allow it (another organization's registry).
 */
export function explain(action: DecisionAction, world: World): { decision: Decision; groups: Group[] } {
  const decision = decideIn(action, world);
  if (decision.allowed) return { decision, groups: necessary(action, world, []) };
  const nearest = nearestChain(action, world);
  const first = nearest?.allowing[0];
  return { decision, groups: nearest && first ? necessary(action, first, nearest.supposed) : [] };
}

/**
 * What a denied action lacks (a refusal page's « what is missing »): the groups of the nearest chain that would allow
 * it, and the rights that chain could rest on, as the registry could give them to this person; null when allowed, or
 * when no fact of the registry could allow it.
 */
export function missingLinks(
  action: DecisionAction,
  world: World,
): { groups: Group[]; rights: AccessRight[] } | null {
  if (decideIn(action, world).allowed) return null;
  const nearest = nearestChain(action, world);
  if (!nearest) return null;
  const rights = nearest.allowing.flatMap((each) => (each.facts.right === null ? [] : [each.facts.right]));
  return { groups: nearest.supposed, rights: [...new Set(rights)] };
}
