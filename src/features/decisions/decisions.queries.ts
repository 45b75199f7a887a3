// The decision API's SQL: a whole batch of questions in one statement (the function decision_facts of migration
// 0014, whose plan each connection makes once), and what the menu and the declarations look up.
import { type Kysely, sql } from "kysely";
import type { Day, DB } from "../../db/schema.js";
import type { userActorOf } from "../auth/auth.service.js";
import type { FactsRow } from "../registry/registry.queries.js";

/** One distinct question, as far as the database is concerned (the action is the policy's business). */
export type FactsKey = {
  userId: number;
  organizationId: number;
  serviceId: number;
  applicationNumber: number | null;
  externalId: string | null;
};

/** A valid procuration of the person for the service's ministry, as decision_facts builds it in JSON. */
export type ProcurationJson = { id: number; until: Day; restricted: boolean; serviceIds: number[] };

/** A user row as the policy's actor is built from it (its organization_id is the person's own: an agent's firm). */
type ActorRow = Parameters<typeof userActorOf>[0];

/** The person asked about, and whether their account is disabled; every column null when nobody has that id. */
type SubjectColumns = (ActorRow & { disabled: boolean }) | { [K in keyof ActorRow | "disabled"]: null };

export type DecisionRow = FactsRow &
  SubjectColumns & {
    /** The key's position in the list given, from 1. */
    n: number;
    organization_known: boolean;
    service_code: string | null;
    service_name: string | null;
    ministry_id: number | null;
    local_manager_since: Date | null;
    deputy_since: Date | null;
    right_since: Date | null;
    right_until: Day | null;
    granted_by_code: string | null;
    granted_by_name: string | null;
    service_point_id: number | null;
    associated_at: Date | null;
    procurations: ProcurationJson[];
    dossier_id: number | null;
    dossier_organization_id: number | null;
    dossier_service_id: number | null;
    mandate_since: Date | null;
  };

/**
 * Every key in one statement, so in one snapshot (decision_facts, migration 0014): the facts of each distinct
 * (person, organization, service) read once, then each key's dossier and the person's mandate on it.
 */
export async function findDecisionFacts(
  db: Kysely<DB>,
  keys: readonly FactsKey[],
  today: Day,
): Promise<DecisionRow[]> {
  if (keys.length === 0) return [];
  const column = <T>(pick: (key: FactsKey) => T) => keys.map(pick);
  const result = await sql<DecisionRow>`
    select * from decision_facts(${column((k) => k.userId)}::bigint[], ${column((k) => k.organizationId)}::bigint[],
      ${column((k) => k.serviceId)}::bigint[], ${column((k) => k.applicationNumber)}::bigint[],
      ${column((k) => k.externalId)}::text[], ${today}::date)
  `.execute(db);
  return result.rows;
}

/**
 * The organizations a person may act for in a service: their own, and those where they hold a right or a role
 * there (an agent's clients). The decisions then say what they may do for each.
 */
export async function findOrganizationsOfSubject(db: Kysely<DB>, userId: number, serviceId: number) {
  const result = await sql<{ id: number; name: string }>`
    select o.id, o.name from organization o
      where o.id = (select organization_id from app_user where id = ${userId})
        or o.id in (
          select organization_id from access_grant
            where user_id = ${userId} and service_id = ${serviceId} and ended_at is null
          union
          select organization_id from service_role
            where user_id = ${userId} and service_id = ${serviceId} and ended_at is null
              and role in ('local_manager', 'deputy'))
      order by o.name, o.id
  `.execute(db);
  return result.rows;
}

/** Whether the organization and the service a declaration names exist, in one statement. */
export async function findReferences(db: Kysely<DB>, ids: { organizationId: number; serviceId: number }) {
  const result = await sql<{ organization: boolean; service: boolean }>`
    select exists (select 1 from organization where id = ${ids.organizationId}) as organization,
      exists (select 1 from online_service where id = ${ids.serviceId}) as service
  `.execute(db);
  return result.rows[0] ?? { organization: false, service: false };
}
