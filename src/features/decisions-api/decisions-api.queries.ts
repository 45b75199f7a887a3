// The decision API's SQL: what a request names, resolved in one statement (the client's ministry, services by code,
// subjects within that ministry, organizations); the pairwise subjects remembered; the registry paged by a cursor.
import { type Kysely, sql } from "kysely";
import type { AccessRight, Day, DB } from "../../db/schema.js";

export type NamedService = { code: string; id: number; ministryId: number };
export type NamedSubject = { sub: string; userId: number };

/** What the names of one request stand for; undefined when the client is unknown or disabled. */
export type Names = {
  ministryId: number;
  services: NamedService[];
  subjects: NamedSubject[];
  organizationIds: number[];
};

/**
 * The client (enabled) and its ministry, and what the request names, in one round trip (decision_api_names, migration
 * 0015). Subjects are looked up in the client's own ministry only: another ministry's subject for the same person is
 * unknown here, as it should be.
 */
export async function findNames(
  db: Kysely<DB>,
  clientId: string,
  names: { services: readonly string[]; subjects: readonly string[]; organizationIds: readonly number[] },
): Promise<Names | undefined> {
  const result = await sql<Names>`
    select ministry_id as "ministryId", services, subjects, organization_ids as "organizationIds"
      from decision_api_names(${clientId}, ${[...names.services]}::text[], ${[...names.subjects]}::text[],
        ${[...names.organizationIds]}::bigint[])
  `.execute(db);
  return result.rows[0];
}

/** Remembers subjects handed to ministries; a subject already known is left as it is. */
export async function insertSubjects(
  db: Kysely<DB>,
  subjects: readonly { ministryId: number; sub: string; userId: number }[],
  now: Date,
): Promise<void> {
  if (subjects.length === 0) return;
  await db
    .insertInto("pairwise_subject")
    .values(
      subjects.map((subject) => ({
        ministry_id: subject.ministryId,
        sub: subject.sub,
        user_id: subject.userId,
        issued_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["ministry_id", "sub"]).doNothing())
    .execute();
}

export type GrantRow = {
  id: number;
  user_id: number;
  first_name: string;
  last_name: string;
  access_right: AccessRight;
  granted_at: Date;
  valid_until: Day | null;
  granted_by_name: string;
  service_point_id: number | null;
  service_point_name: string | null;
  firm_id: number | null;
  firm_name: string | null;
  associated_at: Date | null;
};

/**
 * One page of the current grants of (organization, service), as the registry pages count them current (not ended,
 * not past their last day, an agent's association not ended), in the order of their ids, after a cursor's id. One row
 * more than the page asks for tells whether another page follows.
 */
export async function findGrantsPage(
  db: Kysely<DB>,
  page: { organizationId: number; serviceId: number; today: Day; afterId: number; limit: number },
): Promise<GrantRow[]> {
  const result = await sql<GrantRow>`
    select g.id, g.user_id, u.first_name, u.last_name, g.access_right, g.granted_at, g.valid_until,
        by_user.first_name || ' ' || by_user.last_name as granted_by_name,
        a.service_point_id, p.name as service_point_name, f.id as firm_id, f.name as firm_name, a.associated_at
      from access_grant g
      join app_user u on u.id = g.user_id
      join app_user by_user on by_user.id = g.granted_by
      left join service_association a on a.id = g.association_id
      left join service_point p on p.id = a.service_point_id
      left join organization f on f.id = p.organization_id
      where g.organization_id = ${page.organizationId} and g.service_id = ${page.serviceId}
        and g.ended_at is null and g.id > ${page.afterId}
        and (g.valid_until is null or g.valid_until >= ${page.today}::date)
        and (g.association_id is null or a.ended_at is null)
      order by g.id
      limit ${page.limit + 1}
  `.execute(db);
  return result.rows;
}
