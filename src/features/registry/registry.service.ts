// « Registre des droits d'accès »: the local manager and deputies grant, change and revoke rights in their
// organization's registry; the local manager names and removes deputies; a firm's agent manager associates and
// dissociates staff, and a dissociation ends that person's agent rights in the service for every client at once.
// Every function asks the policy first (both layers, from facts read in one statement) and writes in one transaction.
import type { Kysely } from "kysely";
import type { Ctx } from "../../context.js";
import type { AccessRight, Day, DB } from "../../db/schema.js";
import { AppError, isUniqueViolation } from "../../errors.js";
import type { UserActor } from "../../policy/actor.js";
import type { Decision, Reason } from "../../policy/decision.js";
import { type Action, authorize, can, type Resources } from "../../policy/policy.js";
import {
  associationEligibility,
  deputyEligibility,
  type Grantee,
  isAgentRight,
  rightEligibility,
  type ServiceFacts,
} from "../../policy/registry.rules.js";
import { formatDay, isDay, montrealDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { serviceTitle } from "../../web/localized.js";
import { type MessageKey, type Translate, translator } from "../../web/messages.js";
import { endMandates } from "../applications/applications.queries.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { findDecisionFacts } from "../decisions/decisions.queries.js";
import { queueMail } from "../mail/mail.service.js";
import { type ProcurationGap, procurationGapOf } from "../procurations/procurations.service.js";
import * as roles from "../service-roles/service-roles.queries.js";
import { nameDeputyRole, RoleTaken } from "../service-roles/service-roles.service.js";
import { once } from "../submissions/submissions.service.js";
import * as q from "./registry.queries.js";

/** The service a registry page is about, as the routes found it by its code. */
export type RegistryService = {
  id: number;
  code: string;
  name: string;
  /** English name (migrations/0017), where the loader read it. */
  name_en?: string | null;
  ministry_id: number;
};

type ServiceAction = {
  [A in Action]: Resources[A] extends { facts: ServiceFacts } ? A : never;
}[Action];

export type ServiceTarget = { service: RegistryService; organizationId: number; servicePointId?: number };

/** What the actor holds in (organization, service), read in one statement, as the policy's rules expect it. */
export async function loadServiceFacts(
  db: Kysely<DB>,
  actor: UserActor,
  target: ServiceTarget,
  today: Day,
): Promise<ServiceFacts> {
  const row = await q.findServiceFacts(db, {
    userId: actor.userId,
    actorOrganizationId: actor.organizationId,
    organizationId: target.organizationId,
    serviceId: target.service.id,
    ministryId: target.service.ministry_id,
    servicePointId: target.servicePointId ?? null,
    today,
  });
  return serviceFactsOf(row, target.service.ministry_id);
}

/** The policy's facts from the row of registry_service_facts, wherever that function was called from. */
export function serviceFactsOf(row: q.FactsRow, ministryId: number): ServiceFacts {
  return {
    roles: (row.roles ?? []).filter((role) => role === "local_manager" || role === "deputy"),
    agentManagerOfPoint: row.agent_manager_point,
    right: row.access_right,
    associationId: row.association_id,
    // The statement answered the only question the rule asks: covered for this ministry, and for this service.
    procurations: row.procuration_service
      ? [{ ministryId, restricted: false, serviceIds: [] }]
      : row.procuration_ministry
        ? [{ ministryId, restricted: true, serviceIds: [] }]
        : [],
  };
}

/** The resource of a service action; a service point only when the target names one (the audit log keeps it). */
function resourceOf(target: ServiceTarget, facts: ServiceFacts) {
  const resource = {
    organizationId: target.organizationId,
    serviceId: target.service.id,
    ministryId: target.service.ministry_id,
    facts,
  };
  return target.servicePointId === undefined
    ? resource
    : { ...resource, servicePointId: target.servicePointId };
}

/** The decision for one service action, both layers, read fresh from the database. */
export async function checkService(
  ctx: Ctx,
  action: ServiceAction,
  target: ServiceTarget,
): Promise<Decision> {
  return (await serviceDecisions(ctx, target))(action);
}

/**
 * The decisions for one action on several targets, from facts read in one statement whatever their number (a page
 * that lists services: no statement per service).
 */
export async function checkServices(
  ctx: Ctx,
  action: ServiceAction,
  targets: readonly ServiceTarget[],
): Promise<Decision[]> {
  return (await serviceDecisionsFor(ctx, targets)).map((decide) => decide(action));
}

/**
 * Decides several actions on each of several targets (without a service point), from facts read in one statement
 * whatever their number.
 */
export async function serviceDecisionsFor(
  ctx: Ctx,
  targets: readonly ServiceTarget[],
): Promise<((action: ServiceAction) => Decision)[]> {
  const actor = ctx.actor;
  if (actor.kind !== "user")
    return targets.map((target) => (action) => can(actor, action, resourceOf(target, EMPTY_FACTS)));
  if (targets.length === 0) return [];
  const keys = targets.map((target) => ({
    userId: actor.userId,
    organizationId: target.organizationId,
    serviceId: target.service.id,
    applicationNumber: null,
    externalId: null,
  }));
  const rows = await findDecisionFacts(ctx.db, keys, montrealDay(ctx.now));
  const byPosition = new Map(rows.map((row) => [row.n, row]));
  return targets.map((target, index) => {
    const row = byPosition.get(index + 1);
    const facts = row ? serviceFactsOf(row, target.service.ministry_id) : EMPTY_FACTS;
    return (action) => can(actor, action, resourceOf(target, facts));
  });
}

/** Decides several actions on one target from facts read once (a page that shows or hides several tools). */
export async function serviceDecisions(
  ctx: Ctx,
  target: ServiceTarget,
): Promise<(action: ServiceAction) => Decision> {
  const actor = ctx.actor;
  if (actor.kind !== "user") return (action) => can(actor, action, resourceOf(target, EMPTY_FACTS));
  const facts = await loadServiceFacts(ctx.db, actor, target, montrealDay(ctx.now));
  return (action) => can(actor, action, resourceOf(target, facts));
}

/** Throws forbidden (audited with its reason) unless the actor may take the action. */
export async function authorizeService(
  ctx: Ctx,
  action: ServiceAction,
  target: ServiceTarget,
): Promise<UserActor> {
  return (await authorizeServiceWith(ctx, action, target)).actor;
}

/**
 * Throws forbidden (audited with its reason) unless the actor may take the action; otherwise decides any other action
 * on the same target from the same facts (a page that also shows or hides a tool).
 */
export async function authorizeServiceWith(
  ctx: Ctx,
  action: ServiceAction,
  target: ServiceTarget,
): Promise<{ actor: UserActor; decide: (action: ServiceAction) => Decision }> {
  const actor = requireUser(ctx.actor);
  const facts = await loadServiceFacts(ctx.db, actor, target, montrealDay(ctx.now));
  authorize(actor, action, resourceOf(target, facts));
  return { actor, decide: (other) => can(actor, other, resourceOf(target, facts)) };
}

const EMPTY_FACTS: ServiceFacts = {
  roles: [],
  agentManagerOfPoint: null,
  right: null,
  associationId: null,
  procurations: [],
};

// --- Looking a person up by user code (« Nouvelle inscription », a deputy, an association)

export type Person = NonNullable<q.PersonRow>;

const USER_CODE = /^[A-Z0-9]{7}$/;

/** What the policy's eligibility rules read of a person. */
export function granteeOf(person: Person): Grantee {
  return {
    organizationId: person.organization_id,
    organizationKind: person.organization_kind,
    disabled: person.disabled_at !== null,
    associationId: person.association_id,
    associationPointId: person.association_point_id,
  };
}

/**
 * The person behind a user code, or the field error to show (empty, malformed or unknown code). Only the target
 * organization's people are found, and with « agents » the firm staff associated with the service: someone of another
 * organization gets the message of an unknown code, so that a look-up never tells who exists elsewhere.
 */
export async function findPerson(
  ctx: Ctx,
  target: ServiceTarget,
  rawCode: string,
  among: "staff" | "staffAndAgents",
): Promise<{ person: Person } | { error: MessageKey }> {
  const code = rawCode.trim().toUpperCase();
  if (code === "") return { error: "registry.userCodeRequired" };
  if (!USER_CODE.test(code)) return { error: "registry.userCodeInvalid" };
  const agents = among === "staffAndAgents";
  const person = await q.findPersonByCode(ctx.db, code, target.service.id, {
    organizationId: target.organizationId,
    agents,
  });
  if (person) return { person };
  return { error: agents ? "registry.userUnknown" : "registry.memberUnknown" };
}

const REFUSALS: Partial<Record<string, MessageKey>> = {
  grantee_disabled: "registry.granteeDisabled",
  grantee_other_organization: "registry.granteeOtherOrganization",
  grantee_not_associated: "registry.granteeNotAssociated",
};

/** The message that tells why a person may not receive a right, a deputy role or an association. */
export function refusalKey(reason: Reason): MessageKey {
  return REFUSALS[reason] ?? "registry.granteeRefused";
}

function refusalOf(decision: Decision): MessageKey | null {
  return decision.allowed ? null : refusalKey(decision.reason);
}

// --- The registry of (organization, service)

/** The registry's current grants; with grantId, only that one (none when it is not a current grant of it). */
export async function listRegistry(ctx: Ctx, target: ServiceTarget, grantId?: number) {
  const actor = await authorizeService(ctx, "registry.view", target);
  return q.listRegistry(ctx.db, {
    actorId: actor.userId,
    organizationId: target.organizationId,
    serviceId: target.service.id,
    today: montrealDay(ctx.now),
    grantId,
  });
}

/**
 * submissionKey: the form's one-time key; a second submission of the same form writes nothing again. within: more
 * writes of the same act, in the grant's transaction once the grant is made (an approved request for a right); what
 * it throws undoes the grant.
 */
export type GrantInput = {
  userCode: string;
  right: string;
  validUntil: string;
  submissionKey?: string;
  within?: (trx: Kysely<DB>, grantId: number) => Promise<void>;
};

/** repeated: the form had already been sent; name is then the person the first submission named. */
export type Outcome =
  | { ok: true; name: string; repeated?: true }
  | { ok: false; status: 400 | 409; errors: FieldErrors };

function refuse(field: string, key: MessageKey, status: 400 | 409 = 400, params?: Record<string, string>) {
  return { ok: false as const, status, errors: { [field]: params ? { key, params } : { key } } };
}

/** An optional last day: empty for none; otherwise a real date, today or later. */
function readValidUntil(ctx: Ctx, raw: string): { day: Day | null } | { error: MessageKey } {
  const value = raw.trim();
  if (value === "") return { day: null };
  if (!isDay(value)) return { error: "registry.validUntilInvalid" };
  if (value < montrealDay(ctx.now)) return { error: "registry.validUntilPast" };
  return { day: value };
}

function isRight(value: string): value is AccessRight {
  return ["requester.write", "requester.read", "agent.write", "agent.read"].includes(value);
}

/** « Nouvelle inscription »: gives one person a right in the registry. A second current right is refused. */
export async function grantRight(ctx: Ctx, target: ServiceTarget, input: GrantInput): Promise<Outcome> {
  const actor = await authorizeService(ctx, "registry.grant", target);
  if (!isRight(input.right)) return refuse("droit", "registry.rightRequired");
  const right = input.right;
  const until = readValidUntil(ctx, input.validUntil);
  if ("error" in until) return refuse("fin", until.error);
  const found = await findPerson(ctx, target, input.userCode, "staffAndAgents");
  if ("error" in found) return refuse("utilisateur", found.error);
  const { person } = found;
  const refusal = refusalOf(rightEligibility(right, granteeOf(person), target.organizationId));
  if (refusal) return refuse("utilisateur", refusal);
  const name = `${person.first_name} ${person.last_name}`;
  let repeated: string | null;
  try {
    repeated = await ctx.db.transaction().execute(async (trx) => {
      const write = async () => {
        if (isAgentRight(right) && person.association_id !== null) {
          // Locks the association: a concurrent dissociation waits, then ends this right with the others.
          const association = await q.findAssociation(trx, person.association_id);
          if (!association || association.ended_at !== null)
            throw new Refused("registry.granteeNotAssociated");
        }
        // A right past its last day has ended by itself, marked or not: mark it now rather than refuse the new one.
        const previous = await q.findCurrentGrant(trx, {
          organizationId: target.organizationId,
          serviceId: target.service.id,
          userId: person.id,
        });
        if (previous && hasEnded(previous, montrealDay(ctx.now))) await markExpired(trx, ctx.now, previous);
        const grantId = await q.insertGrant(trx, {
          organizationId: target.organizationId,
          serviceId: target.service.id,
          userId: person.id,
          right,
          associationId: isAgentRight(right) ? person.association_id : null,
          grantedBy: actor.userId,
          validUntil: until.day,
          now: ctx.now,
        });
        await recordAudit(
          { ...ctx, db: trx },
          {
            action: "registry.grant",
            organizationId: target.organizationId,
            serviceId: target.service.id,
            subjectUserId: person.id,
            targetType: "access_grant",
            targetId: grantId,
            details: { serviceId: target.service.id, userId: person.id, right, validUntil: until.day },
          },
        );
        await queueMail(trx, grantMail(target, person, "made", right, until.day), ctx.now);
        if (input.within) await input.within(trx, grantId);
        return name;
      };
      if (input.submissionKey === undefined) {
        await write();
        return null;
      }
      // The key is claimed in the grant's own transaction: a refused grant leaves it free for a corrected form.
      const done = await once(trx, { key: input.submissionKey, userId: actor.userId, now: ctx.now }, write);
      return done.fresh ? null : done.previous;
    });
  } catch (error) {
    if (error instanceof Refused) return refuse("utilisateur", error.key);
    if (isUniqueViolation(error)) return refuse("utilisateur", "registry.alreadyGranted", 409);
    throw error;
  }
  if (repeated !== null) return { ok: true, name: repeated, repeated: true };
  ctx.app.mailQueued();
  return { ok: true, name };
}

class Refused extends Error {
  constructor(readonly key: MessageKey) {
    super(key);
  }
}

/** A right has ended once revoked, dissociated or marked expired, and also as soon as its last day is behind. */
function hasEnded(grant: { ended_at: Date | null; valid_until: Day | null }, today: Day): boolean {
  return grant.ended_at !== null || (grant.valid_until !== null && grant.valid_until < today);
}

/** The grant a change or a revocation names must belong to this registry; anything else is not found. */
async function grantOfRegistry(ctx: Ctx, target: ServiceTarget, grantId: number) {
  const grant = Number.isSafeInteger(grantId) ? await q.findGrant(ctx.db, grantId) : undefined;
  if (!grant || grant.organization_id !== target.organizationId || grant.service_id !== target.service.id)
    throw new AppError("not_found");
  return grant;
}

export async function changeRight(
  ctx: Ctx,
  target: ServiceTarget,
  grantId: number,
  input: { right: string; validUntil: string },
): Promise<Outcome> {
  const actor = await authorizeService(ctx, "registry.change", target);
  const grant = await grantOfRegistry(ctx, target, grantId);
  // Changing a right past its last day would bring it back: it has ended, whether the sweep marked it or not.
  if (hasEnded(grant, montrealDay(ctx.now))) return refuse("droit", "registry.alreadyEnded", 409);
  if (!isRight(input.right)) return refuse("droit", "registry.rightRequired");
  const right = input.right;
  // A right changes within its pair: a requester stays a requester, an agent an agent.
  if (isAgentRight(right) !== isAgentRight(grant.access_right))
    return refuse("droit", "registry.rightOtherPair");
  const until = readValidUntil(ctx, input.validUntil);
  if ("error" in until) return refuse("fin", until.error);
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const done = await q.changeGrant(trx, {
      grantId: grant.id,
      right,
      associationId: grant.association_id,
      validUntil: until.day,
      by: actor.userId,
      now: ctx.now,
    });
    if (!done) return false;
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "registry.change",
        organizationId: target.organizationId,
        serviceId: target.service.id,
        subjectUserId: grant.user_id,
        targetType: "access_grant",
        targetId: grant.id,
        details: {
          serviceId: target.service.id,
          userId: grant.user_id,
          from: { right: grant.access_right, validUntil: grant.valid_until },
          to: { right, validUntil: until.day },
        },
      },
    );
    await queueMail(trx, grantMail(target, grant, "changed", right, until.day), ctx.now);
    return true;
  });
  if (!changed) return refuse("droit", "registry.alreadyEnded", 409);
  ctx.app.mailQueued();
  return { ok: true, name: `${grant.first_name} ${grant.last_name}` };
}

/** Ends a right at once. Revoking an ended right is refused with a clear message and changes nothing. */
export async function revokeRight(ctx: Ctx, target: ServiceTarget, grantId: number): Promise<Outcome> {
  await authorizeService(ctx, "registry.revoke", target);
  const grant = await grantOfRegistry(ctx, target, grantId);
  if (hasEnded(grant, montrealDay(ctx.now))) return refuse("droit", "registry.alreadyEnded", 409);
  const ended = await ctx.db
    .transaction()
    .execute((trx) => endGrantWithin({ ...ctx, db: trx }, target, grant));
  if (!ended) return refuse("droit", "registry.alreadyEnded", 409);
  ctx.app.mailQueued();
  return { ok: true, name: `${grant.first_name} ${grant.last_name}` };
}

/**
 * A revocation's writes in the caller's transaction (ctx.db), once the caller has authorized it: « Retirer » in the
 * registry, and an access review's removal or deadline (reviews.service.ts), whose actor may be nobody (the job).
 * The mandates the right made possible end with it, the holder is told, the audit log names it. False when the right
 * had already ended. With grantId, the grant is read here and must belong to the target's registry.
 */
export async function endGrantWithin(
  ctx: Ctx,
  target: ServiceTarget,
  grantOrId: FoundGrant | number,
  details: Record<string, unknown> = {},
): Promise<boolean> {
  const grant = typeof grantOrId === "number" ? await grantOfRegistry(ctx, target, grantOrId) : grantOrId;
  const by = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const ids = await q.endGrants(ctx.db, [grant.id], { by, reason: "revoked", at: ctx.now });
  if (ids.length === 0) return false;
  // Without the right, the mandates it made possible end too.
  await endMandates(
    ctx.db,
    { agentUserId: grant.user_id, organizationId: target.organizationId, serviceId: target.service.id },
    { by, reason: "right_ended", at: ctx.now },
  );
  await recordAudit(ctx, {
    action: "registry.revoke",
    organizationId: target.organizationId,
    serviceId: target.service.id,
    subjectUserId: grant.user_id,
    targetType: "access_grant",
    targetId: grant.id,
    details: { serviceId: target.service.id, userId: grant.user_id, right: grant.access_right, ...details },
  });
  await queueMail(ctx.db, grantMail(target, grant, "ended", grant.access_right, null), ctx.now);
  return true;
}

// --- Deputies (local manager only)

export async function listDeputies(ctx: Ctx, target: ServiceTarget) {
  await authorizeService(ctx, "registry.view", target);
  return roles.listDeputies(ctx.db, target.organizationId, target.service.id);
}

/** A deputy as the summary shows them before « Confirmer »: the person, and what they lack to act, if anything. */
export type DeputyPreview = { ok: true; person: Person; gap: ProcurationGap | null };

/**
 * The checks before naming a deputy, for the summary and for « Confirmer » alike: a member of the organization,
 * eligible, neither the local manager nor already a deputy. A missing procuration does not refuse the naming (the
 * services officer may give one later); it is what the manager is warned of, and the deputy told.
 */
export async function previewDeputy(
  ctx: Ctx,
  target: ServiceTarget,
  userCode: string,
): Promise<DeputyPreview | Extract<Outcome, { ok: false }>> {
  await authorizeService(ctx, "deputy.name", target);
  const found = await findPerson(ctx, target, userCode, "staff");
  if ("error" in found) return refuse("adjoint", found.error);
  const { person } = found;
  const refusal = refusalOf(deputyEligibility(granteeOf(person), target.organizationId));
  if (refusal) return refuse("adjoint", refusal);
  const manager = await roles.findCurrentManager(ctx.db, "local_manager", {
    organizationId: target.organizationId,
    servicePointId: null,
    serviceId: target.service.id,
  });
  if (manager?.user_id === person.id) return refuse("adjoint", "registry.deputyIsManager", 409);
  const deputies = await roles.listDeputies(ctx.db, target.organizationId, target.service.id);
  if (deputies.some((deputy) => deputy.user_id === person.id))
    return refuse("adjoint", "registry.deputyAlready", 409);
  const gap = await procurationGapOf(
    ctx.db,
    montrealDay(ctx.now),
    {
      userId: person.id,
      organizationId: person.organization_id,
      isServicesOfficer: person.is_services_officer,
    },
    { ministryId: target.service.ministry_id, serviceId: target.service.id },
  );
  return { ok: true, person, gap };
}

export async function nameDeputy(ctx: Ctx, target: ServiceTarget, userCode: string): Promise<Outcome> {
  const preview = await previewDeputy(ctx, target, userCode);
  if (!preview.ok) return preview;
  const { person, gap } = preview;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await nameDeputyRole(
        { ...ctx, db: trx },
        { organizationId: target.organizationId, serviceId: target.service.id, userId: person.id },
      );
      await queueMail(trx, deputyMail(ctx, target, person, "named", gap), ctx.now);
    });
  } catch (error) {
    if (error instanceof RoleTaken) return refuse("adjoint", "registry.deputyAlready", 409);
    throw error;
  }
  ctx.app.mailQueued();
  return { ok: true, name: `${person.first_name} ${person.last_name}` };
}

/**
 * Ends a deputy's role: by the local manager, or by a service administrator of the owning ministry when the
 * manager cannot (the caller authorized that one as serviceRole.removeDeputyAsAdmin).
 */
export async function removeDeputy(
  ctx: Ctx,
  target: ServiceTarget,
  roleId: number,
  as: "manager" | "ministry" = "manager",
): Promise<Outcome> {
  if (as === "manager") await authorizeService(ctx, "deputy.remove", target);
  else
    authorize(requireUser(ctx.actor), "serviceRole.removeDeputyAsAdmin", {
      ministryId: target.service.ministry_id,
      organizationId: target.organizationId,
    });
  const deputies = await roles.listDeputies(ctx.db, target.organizationId, target.service.id);
  const deputy = deputies.find((row) => row.id === roleId);
  if (!deputy) return refuse("adjoint", "registry.deputyNotFound", 409);
  const ended = await ctx.db
    .transaction()
    .execute((trx) => endDeputyWithin({ ...ctx, db: trx }, target, deputy, as));
  if (!ended) return refuse("adjoint", "registry.deputyNotFound", 409);
  ctx.app.mailQueued();
  return { ok: true, name: `${deputy.first_name} ${deputy.last_name}` };
}

/**
 * A deputy's removal in the caller's transaction (ctx.db), once the caller has authorized it: by the local manager,
 * the ministry, or an access review (a manager's removal, or its deadline, when nobody acts). With a role id, the
 * deputy is read here among the registry's current ones. False when the role had already ended.
 */
export async function endDeputyWithin(
  ctx: Ctx,
  target: ServiceTarget,
  deputyOrRoleId: DeputyRow | number,
  as: "manager" | "ministry" | "review",
  details: Record<string, unknown> = {},
): Promise<boolean> {
  const deputy =
    typeof deputyOrRoleId === "number"
      ? (await roles.listDeputies(ctx.db, target.organizationId, target.service.id)).find(
          (row) => row.id === deputyOrRoleId,
        )
      : deputyOrRoleId;
  if (!deputy) return false;
  const by = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  if (!(await roles.endRole(ctx.db, deputy.id, by, "removed", ctx.now))) return false;
  await recordAudit(ctx, {
    action: "serviceRole.removeDeputy",
    organizationId: target.organizationId,
    serviceId: target.service.id,
    subjectUserId: deputy.user_id,
    targetType: "service_role",
    targetId: deputy.id,
    details: { serviceId: target.service.id, userId: deputy.user_id, by: as, ...details },
  });
  await queueMail(ctx.db, deputyMail(ctx, target, deputy, "removed"), ctx.now);
  return true;
}

type FoundGrant = NonNullable<Awaited<ReturnType<typeof q.findGrant>>>;
type DeputyRow = Awaited<ReturnType<typeof roles.listDeputies>>[number];

// --- Associations (the agent manager of a firm's service point)

export async function listAssociations(ctx: Ctx, target: ServiceTarget & { servicePointId: number }) {
  const actor = await authorizeService(ctx, "association.view", target);
  return q.listAssociations(ctx.db, {
    actorId: actor.userId,
    servicePointId: target.servicePointId,
    serviceId: target.service.id,
  });
}

export async function associate(
  ctx: Ctx,
  target: ServiceTarget & { servicePointId: number },
  userCode: string,
): Promise<Outcome> {
  const actor = await authorizeService(ctx, "association.add", target);
  const found = await findPerson(ctx, target, userCode, "staff");
  if ("error" in found) return refuse("utilisateur", found.error);
  const { person } = found;
  const refusal = refusalOf(associationEligibility(granteeOf(person), target.organizationId));
  if (refusal) return refuse("utilisateur", refusal);
  if (person.association_id !== null) return refuse("utilisateur", "registry.alreadyAssociated", 409);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const associationId = await q.insertAssociation(trx, {
        servicePointId: target.servicePointId,
        serviceId: target.service.id,
        userId: person.id,
        by: actor.userId,
        now: ctx.now,
      });
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: "association.add",
          organizationId: target.organizationId,
          serviceId: target.service.id,
          subjectUserId: person.id,
          targetType: "service_association",
          targetId: associationId,
          details: { serviceId: target.service.id, servicePointId: target.servicePointId, userId: person.id },
        },
      );
      await queueMail(trx, associationMail(target, person, "added"), ctx.now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse("utilisateur", "registry.alreadyAssociated", 409);
    throw error;
  }
  ctx.app.mailQueued();
  return { ok: true, name: `${person.first_name} ${person.last_name}` };
}

/** The association a dissociation names must be of this service point and service; anything else is not found. */
export async function associationOfPoint(
  ctx: Ctx,
  target: ServiceTarget & { servicePointId: number },
  associationId: number,
) {
  const association = Number.isSafeInteger(associationId)
    ? await q.findAssociationOf(ctx.db, associationId)
    : undefined;
  if (
    !association ||
    association.service_point_id !== target.servicePointId ||
    association.service_id !== target.service.id
  )
    throw new AppError("not_found");
  return association;
}

/**
 * Dissociates one person: in the same transaction their association ends, and so do all their agent rights in the
 * service, for every client. Each client's local manager and deputies, and the person, are told by email.
 */
export async function dissociate(
  ctx: Ctx,
  target: ServiceTarget & { servicePointId: number },
  associationId: number,
): Promise<Outcome> {
  const actor = await authorizeService(ctx, "association.remove", target);
  const existing = await associationOfPoint(ctx, target, associationId);
  const found = await q.findPersonByCode(ctx.db, existing.user_code, target.service.id);
  if (!found) throw new AppError("not_found");
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const association = await q.findAssociation(trx, associationId);
    if (!association || association.ended_at !== null) return null;
    const grants = await q.listGrantsOfAssociation(trx, associationId);
    await q.endAssociation(trx, associationId, { by: actor.userId, at: ctx.now });
    const ended = await q.endGrants(
      trx,
      grants.map((grant) => grant.id),
      { by: actor.userId, reason: "dissociated", at: ctx.now },
    );
    const endedMandates = await endMandates(
      trx,
      { agentUserId: existing.user_id, serviceId: target.service.id },
      { by: actor.userId, reason: "dissociated", at: ctx.now },
    );
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "association.remove",
        organizationId: target.organizationId,
        serviceId: target.service.id,
        subjectUserId: existing.user_id,
        targetType: "service_association",
        targetId: associationId,
        details: {
          serviceId: target.service.id,
          servicePointId: target.servicePointId,
          userId: existing.user_id,
          endedGrantIds: ended,
          endedMandateIds: endedMandates,
        },
      },
    );
    await queueMail(trx, associationMail(target, found, "ended"), ctx.now);
    for (const grant of grants) {
      const clientTarget = { service: target.service, organizationId: grant.organization_id };
      await queueMail(trx, grantMail(clientTarget, found, "ended", grant.access_right, null), ctx.now);
      for (const manager of await q.listRegistryManagers(trx, grant.organization_id, target.service.id)) {
        const t = translator(manager.locale);
        await queueMail(
          trx,
          {
            to: manager.email,
            subject: t("mail.dissociated.subject", { service: target.service.code }),
            text: t("mail.dissociated.body", {
              name: `${manager.first_name} ${manager.last_name}`,
              agent: `${found.first_name} ${found.last_name} (${found.user_code})`,
              firm: found.organization_name,
              organization: grant.organization_name,
              service: serviceTitle(manager.locale, target.service),
              right: t(`registry.right.${grant.access_right}`),
            }),
          },
          ctx.now,
        );
      }
    }
    return ended;
  });
  if (outcome === null) return refuse("utilisateur", "registry.alreadyDissociated", 409);
  ctx.app.mailQueued();
  return { ok: true, name: `${found.first_name} ${found.last_name}` };
}

// --- Expiry: a right whose last day has passed has already stopped counting; this marks it and tells the grantee.

export async function endExpiredGrants(ctx: Pick<Ctx, "db" | "now" | "app">, limit = 500): Promise<number> {
  const today = montrealDay(ctx.now);
  const expired = await q.listExpiredGrants(ctx.db, today, limit);
  let count = 0;
  for (const grant of expired) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      if (!(await markExpired(trx, ctx.now, grant))) return false;
      const service = { code: grant.service_code, name: grant.service_name, name_en: grant.service_name_en };
      await queueMail(
        trx,
        mailOf(
          translator(grant.locale),
          grant,
          { service, organizationId: grant.organization_id },
          "ended",
          grant.access_right,
          null,
        ),
        ctx.now,
      );
      return true;
    });
    if (done) count++;
  }
  if (count > 0) ctx.app.mailQueued();
  return count;
}

/** Marks one grant past its last day as expired, audited as nobody's act; false when it had already ended. */
async function markExpired(
  trx: Kysely<DB>,
  now: Date,
  grant: {
    id: number;
    organization_id: number;
    service_id: number;
    user_id: number;
    valid_until: Day | null;
  },
): Promise<boolean> {
  const ids = await q.endGrants(trx, [grant.id], { by: null, reason: "expired", at: now });
  if (ids.length === 0) return false;
  // Without the right, the mandates it made possible end too.
  await endMandates(
    trx,
    { agentUserId: grant.user_id, organizationId: grant.organization_id, serviceId: grant.service_id },
    { by: null, reason: "right_ended", at: now },
  );
  await recordAudit(
    { db: trx, actor: { kind: "anonymous" }, now, ip: null },
    {
      action: "registry.expire",
      organizationId: grant.organization_id,
      serviceId: grant.service_id,
      subjectUserId: grant.user_id,
      targetType: "access_grant",
      targetId: grant.id,
      details: { serviceId: grant.service_id, userId: grant.user_id, validUntil: grant.valid_until },
    },
  );
  return true;
}

// --- Mails to the person concerned

type MailPerson = { first_name: string; last_name: string; email: string; locale: "fr" | "en" };

function grantMail(
  target: ServiceTarget,
  person: MailPerson,
  what: "made" | "changed" | "ended",
  right: AccessRight,
  validUntil: Day | null,
) {
  return mailOf(translator(person.locale), person, target, what, right, validUntil);
}

function mailOf(
  t: ReturnType<typeof translator>,
  person: MailPerson,
  target: { service: Pick<RegistryService, "code" | "name" | "name_en">; organizationId: number },
  what: "made" | "changed" | "ended",
  right: AccessRight,
  validUntil: Day | null,
) {
  return {
    to: person.email,
    subject: t(`mail.grant.${what}.subject`, { service: target.service.code }),
    text: t(`mail.grant.${what}.body`, {
      name: `${person.first_name} ${person.last_name}`,
      right: t(`registry.right.${right}`),
      service: serviceTitle(person.locale, target.service),
      until: validUntil ? formatDay(validUntil, person.locale) : t("registry.noEnd"),
    }),
  };
}

/** To the person an agent manager associated with a service, or dissociated from it. */
function associationMail(
  target: ServiceTarget,
  person: MailPerson & { organization_name: string },
  what: "added" | "ended",
) {
  const t = translator(person.locale);
  return {
    to: person.email,
    subject: t(`mail.association.${what}.subject`, { service: target.service.code }),
    text: t(`mail.association.${what}.body`, {
      name: `${person.first_name} ${person.last_name}`,
      firm: person.organization_name,
      service: serviceTitle(person.locale, target.service),
    }),
  };
}

function deputyMail(
  ctx: Ctx,
  target: ServiceTarget,
  person: MailPerson & { organization_name?: string },
  what: "named" | "removed",
  gap: ProcurationGap | null = null,
) {
  const t = translator(person.locale);
  const service = serviceTitle(person.locale, target.service);
  return {
    to: person.email,
    subject: t(`mail.registryDeputy.${what}.subject`, { service: target.service.code }),
    text: t(`mail.registryDeputy.${what}.body`, {
      name: `${person.first_name} ${person.last_name}`,
      service,
      // What the deputy lacks to act, and who can give it; nothing when their procurations cover the service.
      missing: gap
        ? t(`mail.registryDeputy.named.${gap.reason}`, {
            service,
            organization: person.organization_name ?? "",
            officers: officersText(t, gap),
          })
        : "",
      link: `${ctx.app.publicUrl}/`,
    }),
  };
}

/** The services officers by name and address, or the role's name when the organization has none. */
export function officersText(t: Translate, gap: ProcurationGap): string {
  return gap.officers.length === 0
    ? t("deputies.noOfficer")
    : gap.officers.map((o) => `${o.name} (${o.email})`).join(", ");
}
