// The registry's SQL: the facts one authorization needs, in one statement; grants and associations; the lists,
// each filtered in SQL by what the actor may see.
import { type Kysely, sql } from "kysely";
import type { AccessRight, Day, DB } from "../../db/schema.js";

export type FactsRow = {
  roles: string[] | null;
  agent_manager_point: number | null;
  access_right: AccessRight | null;
  association_id: number | null;
  procuration_ministry: boolean;
  procuration_service: boolean;
};

/**
 * What one user holds in one service for one organization, read in a single statement through partial indexes:
 * their roles there, the service point where they are agent manager (the one asked about, when one is), their
 * current right in the registry (one that has not ended, expired, or lost its association), their association with
 * the service, and whether a valid procuration of their own organization covers the ministry, and the service. The
 * statement itself is the function registry_service_facts (migration 0006), whose plan each connection makes once:
 * planning it on every call cost several times its execution.
 */
export async function findServiceFacts(
  db: Kysely<DB>,
  input: {
    userId: number;
    actorOrganizationId: number;
    organizationId: number;
    serviceId: number;
    ministryId: number;
    /** The service point asked about: one person may manage several points of their firm. */
    servicePointId: number | null;
    today: Day;
  },
): Promise<FactsRow> {
  const { userId, actorOrganizationId, organizationId, serviceId, ministryId, servicePointId, today } = input;
  const result = await sql<FactsRow>`
    select * from registry_service_facts(
      ${userId}, ${actorOrganizationId}, ${organizationId}, ${serviceId}, ${ministryId}, ${servicePointId}::bigint,
      ${today}::date)
  `.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error("service facts: no row");
  return row;
}

export type PersonRow = Awaited<ReturnType<typeof findPersonByCode>>;

/**
 * Whom a look-up may find: the organization's own people, and with agents the firm staff associated with the service
 * (whom any client may give an agent right). Anyone else is not found, as an unknown code is.
 */
export type Visibility = { organizationId: number; agents: boolean };

/** A person found by user code, with what decides whether they may receive a right in a service. */
export async function findPersonByCode(
  db: Kysely<DB>,
  userCode: string,
  serviceId: number,
  visibleTo?: Visibility,
) {
  const query = db
    .selectFrom("app_user")
    .innerJoin("organization", "organization.id", "app_user.organization_id")
    .leftJoin("service_association", (join) =>
      join
        .onRef("service_association.user_id", "=", "app_user.id")
        .on("service_association.service_id", "=", serviceId)
        .on("service_association.ended_at", "is", null),
    )
    .leftJoin("service_point", "service_point.id", "service_association.service_point_id")
    .select([
      "app_user.id",
      "app_user.user_code",
      "app_user.civility",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.job_title",
      "app_user.email",
      "app_user.phone",
      "app_user.phone_extension",
      "app_user.locale",
      "app_user.disabled_at",
      "app_user.is_services_officer",
      "organization.id as organization_id",
      "organization.kind as organization_kind",
      "organization.name as organization_name",
      "service_association.id as association_id",
      "service_association.service_point_id as association_point_id",
      "service_point.name as association_point_name",
    ])
    .where("app_user.user_code", "=", userCode);
  if (!visibleTo) return query.executeTakeFirst();
  const { organizationId, agents } = visibleTo;
  return query
    .where((eb) =>
      eb.or([
        eb("app_user.organization_id", "=", organizationId),
        ...(agents ? [eb("service_association.id", "is not", null)] : []),
      ]),
    )
    .executeTakeFirst();
}

export type GrantRow = Awaited<ReturnType<typeof listRegistry>>[number];

/**
 * The current grants of (organization, service), for an actor who is its local manager or deputy: the actor's
 * role is part of the query, so anyone else gets no rows at all. With grantId, that one grant only.
 */
export async function listRegistry(
  db: Kysely<DB>,
  input: { actorId: number; organizationId: number; serviceId: number; today: Day; grantId?: number },
) {
  const { grantId } = input;
  return db
    .selectFrom("access_grant as g")
    .innerJoin("app_user as u", "u.id", "g.user_id")
    .innerJoin("organization as uo", "uo.id", "u.organization_id")
    .innerJoin("app_user as by", "by.id", "g.granted_by")
    .leftJoin("service_association as a", "a.id", "g.association_id")
    .leftJoin("service_point as p", "p.id", "a.service_point_id")
    .leftJoin("app_user as ab", "ab.id", "a.associated_by")
    .select([
      "g.id",
      "g.access_right",
      "g.granted_at",
      "g.valid_until",
      "g.changed_at",
      "u.id as user_id",
      "u.user_code",
      "u.first_name",
      "u.last_name",
      "uo.name as user_organization_name",
      "by.first_name as granted_by_first_name",
      "by.last_name as granted_by_last_name",
      "by.user_code as granted_by_code",
      "p.name as service_point_name",
      "a.associated_at",
      "ab.first_name as associated_by_first_name",
      "ab.last_name as associated_by_last_name",
    ])
    .where("g.organization_id", "=", input.organizationId)
    .where("g.service_id", "=", input.serviceId)
    .where("g.ended_at", "is", null)
    .$if(grantId !== undefined, (qb) => qb.where("g.id", "=", grantId ?? 0))
    .where((eb) => eb.or([eb("g.valid_until", "is", null), eb("g.valid_until", ">=", input.today)]))
    .where((eb) => eb.or([eb("g.association_id", "is", null), eb("a.ended_at", "is", null)]))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("service_role as r")
          .select(sql`1`.as("one"))
          .where("r.user_id", "=", input.actorId)
          .where("r.organization_id", "=", input.organizationId)
          .where("r.service_id", "=", input.serviceId)
          .where("r.ended_at", "is", null)
          .where("r.role", "in", ["local_manager", "deputy"]),
      ),
    )
    .orderBy("u.last_name")
    .orderBy("u.first_name")
    .orderBy("g.id")
    .execute();
}

export async function findCurrentGrant(
  db: Kysely<DB>,
  scope: { organizationId: number; serviceId: number; userId: number },
) {
  return db
    .selectFrom("access_grant")
    .selectAll()
    .where("organization_id", "=", scope.organizationId)
    .where("service_id", "=", scope.serviceId)
    .where("user_id", "=", scope.userId)
    .where("ended_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
}

export async function findGrant(db: Kysely<DB>, grantId: number) {
  return db
    .selectFrom("access_grant")
    .innerJoin("app_user", "app_user.id", "access_grant.user_id")
    .select([
      "access_grant.id",
      "access_grant.organization_id",
      "access_grant.service_id",
      "access_grant.user_id",
      "access_grant.access_right",
      "access_grant.association_id",
      "access_grant.valid_until",
      "access_grant.ended_at",
      "access_grant.granted_at",
      "app_user.user_code",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.email",
      "app_user.locale",
    ])
    .where("access_grant.id", "=", grantId)
    .executeTakeFirst();
}

export async function insertGrant(
  db: Kysely<DB>,
  grant: {
    organizationId: number;
    serviceId: number;
    userId: number;
    right: AccessRight;
    associationId: number | null;
    grantedBy: number;
    validUntil: Day | null;
    now: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto("access_grant")
    .values({
      organization_id: grant.organizationId,
      service_id: grant.serviceId,
      user_id: grant.userId,
      access_right: grant.right,
      association_id: grant.associationId,
      granted_at: grant.now,
      granted_by: grant.grantedBy,
      valid_until: grant.validUntil,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Changes a current grant; false when it ended meanwhile. */
export async function changeGrant(
  db: Kysely<DB>,
  change: {
    grantId: number;
    right: AccessRight;
    associationId: number | null;
    validUntil: Day | null;
    by: number;
    now: Date;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("access_grant")
    .set({
      access_right: change.right,
      association_id: change.associationId,
      valid_until: change.validUntil,
      changed_at: change.now,
      changed_by: change.by,
    })
    .where("id", "=", change.grantId)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends current grants by id; returns the ids that were current (a grant ends once). */
export async function endGrants(
  db: Kysely<DB>,
  grantIds: readonly number[],
  end: { by: number | null; reason: "revoked" | "dissociated" | "expired"; at: Date },
): Promise<number[]> {
  if (grantIds.length === 0) return [];
  const rows = await db
    .updateTable("access_grant")
    .set({ ended_at: end.at, ended_by: end.by, end_reason: end.reason })
    .where("id", "in", grantIds)
    .where("ended_at", "is", null)
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}

/** Current grants resting on an association (the agent rights a dissociation ends), in every organization. */
export async function listGrantsOfAssociation(db: Kysely<DB>, associationId: number) {
  return db
    .selectFrom("access_grant")
    .innerJoin("organization", "organization.id", "access_grant.organization_id")
    .select([
      "access_grant.id",
      "access_grant.organization_id",
      "access_grant.access_right",
      "organization.name as organization_name",
    ])
    .where("access_grant.association_id", "=", associationId)
    .where("access_grant.ended_at", "is", null)
    .forUpdate()
    .execute();
}

/** Grants whose last day has passed and that are not yet marked as ended, with what the grantee's email needs. */
export async function listExpiredGrants(db: Kysely<DB>, today: Day, limit: number) {
  return db
    .selectFrom("access_grant")
    .innerJoin("app_user", "app_user.id", "access_grant.user_id")
    .innerJoin("online_service", "online_service.id", "access_grant.service_id")
    .select([
      "access_grant.id",
      "access_grant.organization_id",
      "access_grant.service_id",
      "access_grant.user_id",
      "access_grant.access_right",
      "access_grant.valid_until",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.email",
      "app_user.locale",
      "online_service.code as service_code",
      "online_service.name as service_name",
      "online_service.name_en as service_name_en",
    ])
    .where("access_grant.ended_at", "is", null)
    .where("access_grant.valid_until", "<", today)
    .orderBy("access_grant.valid_until")
    .limit(limit)
    .execute();
}

export async function findAssociation(db: Kysely<DB>, associationId: number) {
  return db
    .selectFrom("service_association")
    .selectAll()
    .where("id", "=", associationId)
    .forUpdate()
    .executeTakeFirst();
}

/** An association with its person's name and code, as « Dissocier » shows it (not locked: read before acting). */
export async function findAssociationOf(db: Kysely<DB>, associationId: number) {
  return db
    .selectFrom("service_association as a")
    .innerJoin("app_user as u", "u.id", "a.user_id")
    .select([
      "a.id",
      "a.service_point_id",
      "a.service_id",
      "a.user_id",
      "a.ended_at",
      "u.user_code",
      "u.first_name",
      "u.last_name",
    ])
    .where("a.id", "=", associationId)
    .executeTakeFirst();
}

export async function insertAssociation(
  db: Kysely<DB>,
  association: { servicePointId: number; serviceId: number; userId: number; by: number; now: Date },
): Promise<number> {
  const row = await db
    .insertInto("service_association")
    .values({
      service_point_id: association.servicePointId,
      service_id: association.serviceId,
      user_id: association.userId,
      associated_at: association.now,
      associated_by: association.by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function endAssociation(
  db: Kysely<DB>,
  associationId: number,
  end: { by: number; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable("service_association")
    .set({ ended_at: end.at, ended_by: end.by, end_reason: "dissociated" })
    .where("id", "=", associationId)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type AssociationRow = Awaited<ReturnType<typeof listAssociations>>[number];

/** The staff associated at one service point with one service, for that point's agent manager only (in SQL). */
export async function listAssociations(
  db: Kysely<DB>,
  input: { actorId: number; servicePointId: number; serviceId: number },
) {
  return db
    .selectFrom("service_association as a")
    .innerJoin("app_user as u", "u.id", "a.user_id")
    .innerJoin("app_user as by", "by.id", "a.associated_by")
    .select([
      "a.id",
      "a.associated_at",
      "u.id as user_id",
      "u.user_code",
      "u.first_name",
      "u.last_name",
      "u.email",
      "by.first_name as associated_by_first_name",
      "by.last_name as associated_by_last_name",
    ])
    .where("a.service_point_id", "=", input.servicePointId)
    .where("a.service_id", "=", input.serviceId)
    .where("a.ended_at", "is", null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("service_role as r")
          .select(sql`1`.as("one"))
          .where("r.user_id", "=", input.actorId)
          .where("r.service_point_id", "=", input.servicePointId)
          .where("r.service_id", "=", input.serviceId)
          .where("r.role", "=", "agent_manager")
          .where("r.ended_at", "is", null),
      ),
    )
    .orderBy("u.last_name")
    .orderBy("u.first_name")
    .execute();
}

/** The local manager and deputies of (organization, service), to tell them of a dissociation by email. */
export async function listRegistryManagers(db: Kysely<DB>, organizationId: number, serviceId: number) {
  return db
    .selectFrom("service_role")
    .innerJoin("app_user", "app_user.id", "service_role.user_id")
    .select([
      "service_role.role",
      "app_user.id",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.email",
      "app_user.locale",
    ])
    .where("service_role.organization_id", "=", organizationId)
    .where("service_role.service_id", "=", serviceId)
    .where("service_role.ended_at", "is", null)
    .where("service_role.role", "in", ["local_manager", "deputy"])
    .where("app_user.disabled_at", "is", null)
    .execute();
}
