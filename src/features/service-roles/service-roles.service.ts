// Roles in a service as the back office changes them: a manager named (a replacement ends the current one at the
// same instant), a deputy named. The one-holder rules are the database's unique indexes; this module only names
// their refusal. Callers authorize first and run these inside their own transaction.
import type { Kysely } from "kysely";
import type { Ctx } from "../../context.js";
import type { DB, ManagerRole, ServiceCategory, ServiceRoleName } from "../../db/schema.js";
import { isUniqueViolation } from "../../errors.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import * as q from "./service-roles.queries.js";

/** A unique index refused the role: someone already holds it. The caller's transaction must roll back. */
export class RoleTaken extends Error {
  readonly role: ServiceRoleName;

  constructor(role: ServiceRoleName, options: { cause?: unknown } = {}) {
    super(`role_taken:${role}`, options);
    this.role = role;
  }
}

/** A replacement that names the person who already holds the role: nothing to replace. */
export class AlreadyHolder extends Error {
  constructor() {
    super("already_holder");
  }
}

export type RoleHolder = NonNullable<Awaited<ReturnType<typeof q.findCurrentManager>>>;

export type ManagerGrant = {
  role: ManagerRole;
  organizationId: number;
  servicePointId: number | null;
  serviceId: number;
  userId: number;
  accessRequestId: number | null;
  /** A replacement ends the current holder's role; otherwise a current holder makes the unique index refuse. */
  replaceCurrent: boolean;
};

export type ManagerGranted = { roleId: number; replaced: RoleHolder | null };

async function insertOrRefuse(
  ctx: Ctx,
  role: ServiceRoleName,
  scope: { organizationId: number; servicePointId: number | null; serviceId: number },
  userId: number,
  accessRequestId: number | null,
): Promise<number> {
  const actor = requireUser(ctx.actor);
  try {
    return await q.insertRole(ctx.db, {
      role,
      ...scope,
      userId,
      grantedBy: actor.userId,
      accessRequestId,
      now: ctx.now,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new RoleTaken(role, { cause: error });
    throw error;
  }
}

/**
 * Names a local manager or an agent manager, inside the caller's transaction. For a replacement the current
 * holder's role ends at ctx.now, the instant the new one begins. Throws RoleTaken when the unique index finds a
 * current holder (none replaced, or one named concurrently), AlreadyHolder when the replacement names the holder.
 */
export async function grantManagerRole(ctx: Ctx, grant: ManagerGrant): Promise<ManagerGranted> {
  const actor = requireUser(ctx.actor);
  const scope = {
    organizationId: grant.organizationId,
    servicePointId: grant.servicePointId,
    serviceId: grant.serviceId,
  };
  let replaced: RoleHolder | null = null;
  if (grant.replaceCurrent) {
    const current = await q.findCurrentManager(ctx.db, grant.role, scope);
    if (current?.user_id === grant.userId) throw new AlreadyHolder();
    if (current && (await q.endRole(ctx.db, current.id, actor.userId, "replaced", ctx.now))) {
      replaced = current;
      await recordAudit(ctx, {
        action: "serviceRole.end",
        organizationId: grant.organizationId,
        serviceId: grant.serviceId,
        subjectUserId: current.user_id,
        targetType: "service_role",
        targetId: current.id,
        details: {
          role: grant.role,
          userId: current.user_id,
          serviceId: grant.serviceId,
          servicePointId: grant.servicePointId,
          reason: "replaced",
          replacedBy: grant.userId,
          accessRequestId: grant.accessRequestId,
        },
      });
    }
  }
  const roleId = await insertOrRefuse(ctx, grant.role, scope, grant.userId, grant.accessRequestId);
  await recordAudit(ctx, {
    action: "serviceRole.grant",
    organizationId: grant.organizationId,
    serviceId: grant.serviceId,
    subjectUserId: grant.userId,
    targetType: "service_role",
    targetId: roleId,
    details: {
      role: grant.role,
      userId: grant.userId,
      serviceId: grant.serviceId,
      servicePointId: grant.servicePointId,
      accessRequestId: grant.accessRequestId,
      replacedRoleId: replaced?.id ?? null,
    },
  });
  return { roleId, replaced };
}

/** Names a deputy local manager, inside the caller's transaction; the same person twice is refused by RoleTaken. */
export async function nameDeputyRole(
  ctx: Ctx,
  deputy: { organizationId: number; serviceId: number; userId: number },
): Promise<number> {
  const roleId = await insertOrRefuse(
    ctx,
    "deputy",
    { organizationId: deputy.organizationId, servicePointId: null, serviceId: deputy.serviceId },
    deputy.userId,
    null,
  );
  await recordAudit(ctx, {
    action: "serviceRole.nameDeputy",
    organizationId: deputy.organizationId,
    targetType: "service_role",
    targetId: roleId,
    details: { role: "deputy", userId: deputy.userId, serviceId: deputy.serviceId },
  });
  return roleId;
}

/** Who holds the roles of one organization in one service now: local manager, deputies, agent managers by point. */
export async function findRoleHolders(db: Kysely<DB>, organizationId: number, serviceId: number) {
  const scope = { organizationId, servicePointId: null, serviceId };
  const [localManager, deputies, agentManagers] = await Promise.all([
    q.findCurrentManager(db, "local_manager", scope),
    q.listDeputies(db, organizationId, serviceId),
    q.listAgentManagers(db, organizationId, serviceId),
  ]);
  return { localManager: localManager ?? null, deputies, agentManagers };
}

/** The current holder of a manager role in one scope (a local manager, or a service point's agent manager). */
export async function findCurrentHolder(
  db: Kysely<DB>,
  role: ManagerRole,
  scope: { organizationId: number; servicePointId: number | null; serviceId: number },
): Promise<RoleHolder | null> {
  return (await q.findCurrentManager(db, role, scope)) ?? null;
}

/** The services where the actor is local manager or deputy of their own organization, of one category when given. */
export async function managedServices(ctx: Ctx, category?: ServiceCategory) {
  const actor = requireUser(ctx.actor);
  return q.listManagedServices(ctx.db, {
    userId: actor.userId,
    organizationId: actor.organizationId,
    ...(category ? { category } : {}),
  });
}
