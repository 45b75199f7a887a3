// What the registry's pages read besides the core's lists: the service's space (the organizations a user acts for
// in one service and the tools the policy opens to them), the organization or service point a URL names, and the
// person a look-up step shows before « Confirmer ». Every decision comes from checkService or the policy's rules.
import type { Kysely } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { type Ctx, referenceRead } from "../../context.js";
import type { AccessRight, Day, DB } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { Reason } from "../../policy/decision.js";
import {
  ACCESS_RIGHTS,
  associationEligibility,
  isAccessRight,
  isAgentRight,
  rightEligibility,
} from "../../policy/registry.rules.js";
import { montrealDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { requireUser } from "../auth/auth.service.js";
import { findOrganizationById } from "../organizations/organizations.queries.js";
import type { GrantRow } from "./registry.queries.js";
import * as q from "./registry.queries.js";
import {
  associationOfPoint,
  authorizeService,
  changeRight,
  checkService,
  findPerson,
  granteeOf,
  listRegistry,
  type Outcome,
  type Person,
  type RegistryService,
  refusalKey,
  type ServiceTarget,
  serviceDecisionsFor,
} from "./registry.service.js";

// --- SQL

/**
 * In one statement, the roles a user holds in one service now (with the organization and service point each one is
 * about), and the rights they hold in it now (not ended, not past their last day, their association current).
 */
async function findRolesAndRightsInService(db: Kysely<DB>, userId: number, serviceId: number, today: Day) {
  const row = await db
    .selectNoFrom([
      jsonArrayFrom(
        db
          .selectFrom("service_role as r")
          .innerJoin("organization as o", "o.id", "r.organization_id")
          .leftJoin("service_point as p", "p.id", "r.service_point_id")
          .select([
            "r.role",
            "r.organization_id",
            "o.name as organization_name",
            "r.service_point_id",
            "p.name as service_point_name",
          ])
          .where("r.user_id", "=", userId)
          .where("r.service_id", "=", serviceId)
          .where("r.ended_at", "is", null)
          .orderBy("o.name")
          .orderBy("p.name"),
      ).as("roles"),
      jsonArrayFrom(
        db
          .selectFrom("access_grant as g")
          .innerJoin("organization as o", "o.id", "g.organization_id")
          .leftJoin("service_association as a", "a.id", "g.association_id")
          .select([
            "g.id",
            "g.organization_id",
            "o.name as organization_name",
            "g.access_right",
            "g.valid_until",
          ])
          .where("g.user_id", "=", userId)
          .where("g.service_id", "=", serviceId)
          .where("g.ended_at", "is", null)
          .where((eb) => eb.or([eb("g.valid_until", "is", null), eb("g.valid_until", ">=", today)]))
          .where((eb) => eb.or([eb("g.association_id", "is", null), eb("a.ended_at", "is", null)]))
          .orderBy("o.name"),
      ).as("rights"),
    ])
    .executeTakeFirstOrThrow();
  return row;
}

async function findServicePoint(db: Kysely<DB>, servicePointId: number) {
  return db
    .selectFrom("service_point as p")
    .innerJoin("organization as o", "o.id", "p.organization_id")
    .select(["p.id", "p.name", "p.organization_id", "o.name as organization_name"])
    .where("p.id", "=", servicePointId)
    .executeTakeFirst();
}

/** The current agent rights resting on one association: what a dissociation would end, client by client. */
async function listRightsOfAssociation(db: Kysely<DB>, associationId: number) {
  return db
    .selectFrom("access_grant as g")
    .innerJoin("organization as o", "o.id", "g.organization_id")
    .select(["g.id", "o.name as organization_name", "g.access_right", "g.valid_until"])
    .where("g.association_id", "=", associationId)
    .where("g.ended_at", "is", null)
    .orderBy("o.name")
    .execute();
}

// --- What a URL names

export type NamedOrganization = { id: number; name: string };
export type NamedServicePoint = {
  id: number;
  name: string;
  organizationId: number;
  organizationName: string;
};

/** The organization whose registry a URL names; one that does not exist is a missing page. */
export async function organizationOfUrl(ctx: Ctx, organizationId: number): Promise<NamedOrganization> {
  requireUser(ctx.actor);
  const organization = await referenceRead(ctx, `organization:${organizationId}`, (db) =>
    findOrganizationById(db, organizationId),
  );
  if (!organization) throw new AppError("not_found");
  return { id: organization.id, name: organization.name };
}

/** The service point an agent manager's URL names, with its firm. */
export async function servicePointOfUrl(ctx: Ctx, servicePointId: number): Promise<NamedServicePoint> {
  requireUser(ctx.actor);
  const point = await findServicePoint(ctx.db, servicePointId);
  if (!point) throw new AppError("not_found");
  return {
    id: point.id,
    name: point.name,
    organizationId: point.organization_id,
    organizationName: point.organization_name,
  };
}

// --- The service's space

export type SpaceOrganization = {
  organization: NamedOrganization;
  roles: ("local_manager" | "deputy")[];
  registry: boolean;
  whoHasAccess: boolean;
  manageDeputies: boolean;
  /** Why the roles open nothing now (no procuration, a procuration that does not cover the service…). */
  refusal: Reason | null;
};

export type SpacePoint = { point: NamedServicePoint; allowed: boolean; refusal: Reason | null };

export type SpaceRight = {
  organization: NamedOrganization;
  right: AccessRight;
  validUntil: Day | null;
};

export type ServiceSpace = {
  managed: SpaceOrganization[];
  points: SpacePoint[];
  rights: SpaceRight[];
};

/**
 * The service as one user finds it: the organizations whose registry they manage, the service points where they
 * associate staff, and the organizations they act for through a right. Each tool is shown only when checkService
 * allows it; a role the policy refuses now is shown with the reason.
 */
export async function openServiceSpace(ctx: Ctx, service: RegistryService): Promise<ServiceSpace> {
  const actor = requireUser(ctx.actor);
  const today = montrealDay(ctx.now);
  const { roles, rights } = await findRolesAndRightsInService(ctx.db, actor.userId, service.id, today);

  const managed = new Map<number, SpaceOrganization>();
  const points: SpacePoint[] = [];
  for (const role of roles) {
    if (role.role === "agent_manager" && role.service_point_id !== null) {
      const point: NamedServicePoint = {
        id: role.service_point_id,
        name: role.service_point_name ?? "",
        organizationId: role.organization_id,
        organizationName: role.organization_name,
      };
      const target = { service, organizationId: point.organizationId, servicePointId: point.id };
      const decision = await checkService(ctx, "association.view", target);
      points.push({ point, allowed: decision.allowed, refusal: decision.allowed ? null : decision.reason });
    } else if (role.role === "local_manager" || role.role === "deputy") {
      const entry = managed.get(role.organization_id) ?? {
        organization: { id: role.organization_id, name: role.organization_name },
        roles: [],
        registry: false,
        whoHasAccess: false,
        manageDeputies: false,
        refusal: null,
      };
      entry.roles.push(role.role);
      managed.set(role.organization_id, entry);
    }
  }
  // One read of the facts answers the three tools of every organization managed.
  const entries = [...managed.values()];
  const decisions = await serviceDecisionsFor(
    ctx,
    entries.map((entry) => ({ service, organizationId: entry.organization.id })),
  );
  for (const [index, entry] of entries.entries()) {
    const decide = decisions[index];
    if (!decide) continue;
    const view = decide("registry.view");
    entry.registry = view.allowed;
    entry.refusal = view.allowed ? null : view.reason;
    entry.whoHasAccess = decide("registry.whoHasAccess").allowed;
    entry.manageDeputies = decide("deputy.name").allowed;
  }
  return {
    managed: [...managed.values()],
    points,
    rights: rights.map((row) => ({
      organization: { id: row.organization_id, name: row.organization_name },
      right: row.access_right,
      validUntil: row.valid_until,
    })),
  };
}

/** The tools of one registry's pages: a deputy sees the deputies but may not name or remove one. */
export async function registryAbilities(ctx: Ctx, target: ServiceTarget) {
  return { manageDeputies: (await checkService(ctx, "deputy.name", target)).allowed };
}

// --- Look-up steps: the person behind a user code, shown before « Confirmer »

export type LookedUp = {
  person: Person;
  /** The rights the policy lets this registry give them (none when refused). */
  rights: AccessRight[];
  errors: FieldErrors;
  status: 200 | 400 | 409;
};

/**
 * « Nouvelle inscription », after « Chercher »: the person, and each right the policy lets this registry give them
 * (requester rights to the organization's own staff, agent rights to associated firm staff). Someone who already
 * holds a right here is sent to « Modifier ».
 */
export async function lookUpGrantee(
  ctx: Ctx,
  target: ServiceTarget,
  userCode: string,
  /** The right chosen with « + », when there is one: it must be one of those offered. */
  chosen?: string,
): Promise<LookedUp | { errors: FieldErrors }> {
  await authorizeService(ctx, "registry.grant", target);
  const found = await findPerson(ctx, target, userCode, "staffAndAgents");
  if ("error" in found) return { errors: { utilisateur: { key: found.error } } };
  const { person } = found;
  const grantee = granteeOf(person);
  const rights = ACCESS_RIGHTS.filter(
    (right) => rightEligibility(right, grantee, target.organizationId).allowed,
  );
  if (rights.length === 0) {
    // The refusal that speaks to this person: a firm's staff lacks the association, anyone else the membership.
    const telling = person.organization_kind === "firm" ? "agent.write" : "requester.write";
    const decision = rightEligibility(telling, grantee, target.organizationId);
    const key = decision.allowed ? "registry.granteeRefused" : refusalKey(decision.reason);
    return { person, rights, errors: { utilisateur: { key } }, status: 400 };
  }
  const current = await q.findCurrentGrant(ctx.db, {
    organizationId: target.organizationId,
    serviceId: target.service.id,
    userId: person.id,
  });
  if (current)
    return { person, rights: [], errors: { utilisateur: { key: "registry.alreadyGranted" } }, status: 409 };
  if (chosen === undefined || rights.some((right) => right === chosen))
    return { person, rights, errors: {}, status: 200 };
  if (!isAccessRight(chosen))
    return { person, rights, errors: { droit: { key: "registry.rightRequired" } }, status: 400 };
  const decision = rightEligibility(chosen, grantee, target.organizationId);
  const key = decision.allowed ? "registry.granteeRefused" : refusalKey(decision.reason);
  return { person, rights, errors: { utilisateur: { key } }, status: 400 };
}

/** The rights a grant may change to: the two of its own pair. */
export function rightsOfPair(right: AccessRight): AccessRight[] {
  return ACCESS_RIGHTS.filter((other) => isAgentRight(other) === isAgentRight(right));
}

/** « Nouvelle association », after the user code: the person, if the agent manager may associate them. */
export async function lookUpAssociate(
  ctx: Ctx,
  target: ServiceTarget & { servicePointId: number },
  userCode: string,
): Promise<LookedUp | { errors: FieldErrors }> {
  await authorizeService(ctx, "association.add", target);
  const found = await findPerson(ctx, target, userCode, "staff");
  if ("error" in found) return { errors: { utilisateur: { key: found.error } } };
  const { person } = found;
  const decision = associationEligibility(granteeOf(person), target.organizationId);
  if (!decision.allowed)
    return { person, rights: [], errors: { utilisateur: { key: refusalKey(decision.reason) } }, status: 400 };
  if (person.association_id !== null)
    return {
      person,
      rights: [],
      errors: { utilisateur: { key: "registry.alreadyAssociated" } },
      status: 409,
    };
  return { person, rights: [], errors: {}, status: 200 };
}

/**
 * « Dissocier », before its confirmation: the person, and the agent rights that would end with it; null when the
 * association has already ended. An association of another service point or service is not found.
 */
export async function previewDissociation(
  ctx: Ctx,
  target: ServiceTarget & { servicePointId: number },
  associationId: number,
) {
  await authorizeService(ctx, "association.remove", target);
  const association = await associationOfPoint(ctx, target, associationId);
  if (association.ended_at !== null) return null;
  return { association, rights: await listRightsOfAssociation(ctx.db, associationId) };
}

// --- « Modifier »

export type ChangeOutcome = Outcome | { ok: true; name: string; unchanged: true };

/**
 * « Modifier » on one grant: the grant as this registry shows it (anything else is not found), and the change
 * itself only when the form changes something, so that the same form sent twice writes and mails once.
 */
export async function changeFromForm(
  ctx: Ctx,
  target: ServiceTarget,
  grantId: number,
  input: { right: string; validUntil: string },
): Promise<{ grant: GrantRow; outcome: ChangeOutcome | null }> {
  const grant = await findGrantOfRegistry(ctx, target, grantId);
  if (input.right === grant.access_right && input.validUntil.trim() === (grant.valid_until ?? ""))
    return { grant, outcome: { ok: true, name: `${grant.first_name} ${grant.last_name}`, unchanged: true } };
  return { grant, outcome: await changeRight(ctx, target, grantId, input) };
}

/** One current grant of the registry, as its page lists it (so only for its local manager and deputies). */
export async function findGrantOfRegistry(
  ctx: Ctx,
  target: ServiceTarget,
  grantId: number,
): Promise<GrantRow> {
  const [grant] = await listRegistry(ctx, target, grantId);
  if (!grant) throw new AppError("not_found");
  return grant;
}
