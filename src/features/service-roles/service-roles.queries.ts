// SQL for roles in a service: local managers, deputies, agent managers. A role ends with a date, never by deletion.
import { type Kysely, sql } from "kysely";
import type { AccessRight, Day, DB, ServiceCategory, ServiceRoleName } from "../../db/schema.js";

export type RoleScope = { organizationId: number; servicePointId: number | null; serviceId: number };

/** The current holder of a manager role: the local manager of (organization, service) or the agent manager of (point, service). */
export async function findCurrentManager(
  db: Kysely<DB>,
  role: "local_manager" | "agent_manager",
  scope: RoleScope,
) {
  let query = db
    .selectFrom("service_role")
    .innerJoin("app_user", "app_user.id", "service_role.user_id")
    .select([
      "service_role.id",
      "service_role.user_id",
      "service_role.granted_at",
      "app_user.user_code",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.email",
      "app_user.locale",
    ])
    .where("service_role.role", "=", role)
    .where("service_role.service_id", "=", scope.serviceId)
    .where("service_role.ended_at", "is", null);
  query =
    role === "agent_manager" && scope.servicePointId !== null
      ? query.where("service_role.service_point_id", "=", scope.servicePointId)
      : query.where("service_role.organization_id", "=", scope.organizationId);
  return query.executeTakeFirst();
}

export async function listDeputies(db: Kysely<DB>, organizationId: number, serviceId: number) {
  return db
    .selectFrom("service_role")
    .innerJoin("app_user", "app_user.id", "service_role.user_id")
    .select([
      "service_role.id",
      "service_role.user_id",
      "service_role.granted_at",
      "app_user.user_code",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.email",
      "app_user.locale",
    ])
    .where("service_role.role", "=", "deputy")
    .where("service_role.organization_id", "=", organizationId)
    .where("service_role.service_id", "=", serviceId)
    .where("service_role.ended_at", "is", null)
    .orderBy("app_user.last_name")
    .execute();
}

/**
 * Inserts a role. The partial unique indexes refuse a second current local manager, agent manager or the same
 * deputy twice: the caller gets PostgreSQL's unique_violation, which it reports as a conflict.
 */
export async function insertRole(
  db: Kysely<DB>,
  role: {
    role: ServiceRoleName;
    organizationId: number;
    servicePointId: number | null;
    serviceId: number;
    userId: number;
    grantedBy: number | null;
    accessRequestId: number | null;
    now: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto("service_role")
    .values({
      role: role.role,
      organization_id: role.organizationId,
      service_point_id: role.servicePointId,
      service_id: role.serviceId,
      user_id: role.userId,
      granted_at: role.now,
      granted_by: role.grantedBy,
      access_request_id: role.accessRequestId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function endRole(db: Kysely<DB>, roleId: number, by: number | null, reason: string, now: Date) {
  const result = await db
    .updateTable("service_role")
    .set({ ended_at: now, ended_by: by, end_reason: reason })
    .where("id", "=", roleId)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The current agent managers of an organization's service points in one service. */
export async function listAgentManagers(db: Kysely<DB>, organizationId: number, serviceId: number) {
  return db
    .selectFrom("service_role")
    .innerJoin("app_user", "app_user.id", "service_role.user_id")
    .innerJoin("service_point", "service_point.id", "service_role.service_point_id")
    .select([
      "service_role.id",
      "service_role.user_id",
      "service_role.granted_at",
      "service_role.service_point_id",
      "service_point.name as service_point_name",
      "app_user.user_code",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.email",
    ])
    .where("service_role.role", "=", "agent_manager")
    .where("service_role.organization_id", "=", organizationId)
    .where("service_role.service_id", "=", serviceId)
    .where("service_role.ended_at", "is", null)
    .orderBy("service_point.name")
    .execute();
}

/**
 * The services where a user holds a role or a current right (not ended, not past its last day, its association
 * still current), one row per role or right: « Mes services en ligne ».
 */
export async function listServicesWithRole(db: Kysely<DB>, userId: number, today: Day) {
  return servicesWithRole(db, userId, today).execute();
}

/** The services where a user holds a role or a current right, each with the role or right (the home page). */
export function servicesWithRole(db: Kysely<DB>, userId: number, today: Day) {
  const columns = [
    "online_service.id",
    "online_service.code",
    "online_service.name",
    "online_service.name_en",
    "online_service.category",
    "online_service.sort_order",
  ] as const;
  return db
    .selectFrom("service_role")
    .innerJoin("online_service", "online_service.id", "service_role.service_id")
    .select([...columns, sql<ServiceRoleName | AccessRight>`service_role.role`.as("role")])
    .where("service_role.user_id", "=", userId)
    .where("service_role.ended_at", "is", null)
    .unionAll(
      db
        .selectFrom("access_grant")
        .innerJoin("online_service", "online_service.id", "access_grant.service_id")
        .leftJoin("service_association", "service_association.id", "access_grant.association_id")
        .select([...columns, sql<ServiceRoleName | AccessRight>`access_grant.access_right`.as("role")])
        .where("access_grant.user_id", "=", userId)
        .where("access_grant.ended_at", "is", null)
        .where((eb) =>
          eb.or([eb("access_grant.valid_until", "is", null), eb("access_grant.valid_until", ">=", today)]),
        )
        .where((eb) =>
          eb.or([
            eb("access_grant.association_id", "is", null),
            eb("service_association.ended_at", "is", null),
          ]),
        ),
    )
    .orderBy("sort_order");
}

/**
 * The services where a user is local manager or deputy of their own organization (of one category, when given):
 * « Gestion des mandats », the journal of the services they manage.
 */
export async function listManagedServices(
  db: Kysely<DB>,
  input: { userId: number; organizationId: number; category?: ServiceCategory },
) {
  return managedServicesQuery(db, input).execute();
}

export function managedServicesQuery(
  db: Kysely<DB>,
  input: { userId: number; organizationId: number; category?: ServiceCategory },
) {
  let query = db
    .selectFrom("online_service as s")
    .select(["s.id", "s.code", "s.name", "s.name_en", "s.ministry_id"])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("service_role as r")
          .select(sql`1`.as("one"))
          .where("r.user_id", "=", input.userId)
          .where("r.organization_id", "=", input.organizationId)
          .whereRef("r.service_id", "=", "s.id")
          .where("r.ended_at", "is", null)
          .where("r.role", "in", ["local_manager", "deputy"]),
      ),
    );
  if (input.category) query = query.where("s.category", "=", input.category);
  return query.orderBy("s.category").orderBy("s.sort_order").orderBy("s.id");
}
