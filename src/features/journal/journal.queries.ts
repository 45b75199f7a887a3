// The journal's SQL: one page of audit events in one statement, newest first, by keyset on (at, id), filtered in SQL
// by what the reader may see (an organization, some of its services, or one person's own history).
import { type Kysely, sql } from "kysely";
import type { AuditOutcome, Day, DB } from "../../db/schema.js";
import { TIME_ZONE } from "../../util/days.js";

/** Whose events a page is drawn from: never chosen by the request, always by the reader's role. */
export type JournalScope =
  | { kind: "organization"; organizationId: number; serviceIds: readonly number[] | null }
  | { kind: "person"; userId: number; excludedActions: readonly string[] };

export type JournalFilter = {
  personCode: string | null;
  serviceId: number | null;
  action: string | null;
  from: Day | null;
  to: Day | null;
};

/** Where the previous page stopped: the instant as the database wrote it (to the microsecond), then the id. */
export type Cursor = { at: string; id: number };

export type JournalRow = {
  id: number;
  at: Date;
  /** The instant in UTC to the microsecond, for the next page's cursor. */
  at_key: string;
  action: string;
  outcome: AuditOutcome;
  reason: string | null;
  ip: string | null;
  client_id: string | null;
  actor_code: string | null;
  actor_name: string | null;
  subject_code: string | null;
  subject_name: string | null;
  service_code: string | null;
  service_name: string | null;
  service_name_en: string | null;
};

/** Up to `limit` events older than the cursor, and one more to tell whether another page follows. */
export async function findEventsPage(
  db: Kysely<DB>,
  input: { scope: JournalScope; filter: JournalFilter; cursor: Cursor | null; limit: number },
): Promise<JournalRow[]> {
  const { scope, filter, cursor, limit } = input;
  let query = db
    .selectFrom("audit_event as e")
    .leftJoin("app_user as a", "a.id", "e.actor_user_id")
    .leftJoin("app_user as s", "s.id", "e.subject_user_id")
    .leftJoin("online_service as os", "os.id", "e.service_id")
    .select([
      "e.id",
      "e.at",
      sql<string>`to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as("at_key"),
      "e.action",
      "e.outcome",
      "e.reason",
      "e.ip",
      // The decision API's records: the online service that asked, by its client id.
      sql<string | null>`e.details ->> 'client'`.as("client_id"),
      sql<string | null>`coalesce(a.user_code, e.actor_code)`.as("actor_code"),
      sql<string | null>`a.first_name || ' ' || a.last_name`.as("actor_name"),
      "s.user_code as subject_code",
      sql<string | null>`s.first_name || ' ' || s.last_name`.as("subject_name"),
      "os.code as service_code",
      "os.name as service_name",
      "os.name_en as service_name_en",
    ]);
  if (scope.kind === "organization") {
    query = query.where("e.organization_id", "=", scope.organizationId);
    if (scope.serviceIds !== null) {
      // A manager's journal: only the events of their services; none at all when they manage none.
      query =
        scope.serviceIds.length === 0
          ? query.where(sql<boolean>`false`)
          : query.where("e.service_id", "in", scope.serviceIds);
    }
  } else {
    query = query.where("e.subject_user_id", "=", scope.userId);
    if (scope.excludedActions.length > 0) query = query.where("e.action", "not in", scope.excludedActions);
  }
  if (filter.serviceId !== null) query = query.where("e.service_id", "=", filter.serviceId);
  if (filter.action !== null) query = query.where("e.action", "=", filter.action);
  if (filter.personCode !== null) {
    const code = filter.personCode;
    query = query.where((eb) =>
      eb.or([
        eb("e.actor_code", "=", code),
        eb(
          "e.subject_user_id",
          "=",
          eb.selectFrom("app_user as p").select("p.id").where("p.user_code", "=", code),
        ),
      ]),
    );
  }
  // Days are Québec's: « du 1er mars » starts at midnight in Montréal, « au 31 mars » ends at the next midnight.
  if (filter.from !== null)
    query = query.where("e.at", ">=", sql<Date>`(${filter.from}::date)::timestamp at time zone ${TIME_ZONE}`);
  if (filter.to !== null)
    query = query.where(
      "e.at",
      "<",
      sql<Date>`(${filter.to}::date + 1)::timestamp at time zone ${TIME_ZONE}`,
    );
  if (cursor !== null)
    query = query.where(sql<boolean>`(e.at, e.id) < (${cursor.at}::timestamptz, ${cursor.id}::bigint)`);
  return query
    .orderBy("e.at", "desc")
    .orderBy("e.id", "desc")
    .limit(limit + 1)
    .execute();
}

export type JournalService = {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  ministry_id: number;
};

/** Every online service, for the RSE's filter. */
export async function listServices(db: Kysely<DB>): Promise<JournalService[]> {
  return db
    .selectFrom("online_service")
    .select(["id", "code", "name", "name_en", "ministry_id"])
    .orderBy("category")
    .orderBy("sort_order")
    .orderBy("id")
    .execute();
}
