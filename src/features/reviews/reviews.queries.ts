// The access reviews' SQL: campaigns opened once per (organization, service), their lines taken from what is current
// when they start, a line decided once, the reminders claimed once, and the pages' reads (one statement each).
import { type Kysely, sql } from "kysely";
import type {
  AccessRight,
  Day,
  DB,
  ReviewDecision,
  ReviewLineKind,
  ReviewOutcome,
  ReviewStage,
  ReviewUnconfirmed,
} from "../../db/schema.js";

// --- Starting campaigns

/**
 * Organizations whose scheduled campaigns are due: created before `since` (a campaign REVIEW_INTERVAL_MONTHS after
 * an organization's creation, never at once for a new one), with no scheduled campaign started after it. Ministries
 * administer services; they are not reviewed.
 */
export async function findDueOrganizations(db: Kysely<DB>, since: Date, limit: number) {
  return db
    .selectFrom("organization as o")
    .select("o.id")
    .where("o.kind", "<>", "ministry")
    .where("o.created_at", "<=", since)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("review_campaign as c")
            .select(sql`1`.as("one"))
            .whereRef("c.organization_id", "=", "o.id")
            .where("c.launched_by", "is", null)
            .where("c.started_at", ">", since),
        ),
      ),
    )
    .orderBy("o.id")
    .limit(limit)
    .execute();
}

/** The services where the organization has a local manager or deputy now: those whose registry a campaign reviews. */
export async function listManagedServices(db: Kysely<DB>, organizationId: number, serviceId?: number) {
  let query = db
    .selectFrom("service_role")
    .select("service_id")
    .distinct()
    .where("organization_id", "=", organizationId)
    .where("service_point_id", "is", null)
    .where("role", "in", ["local_manager", "deputy"])
    .where("ended_at", "is", null);
  if (serviceId !== undefined) query = query.where("service_id", "=", serviceId);
  return (await query.execute()).map((row) => row.service_id);
}

/** The organizations with a local manager or deputy in the service: those a ministry's launch opens a campaign for. */
export async function listManagedOrganizations(db: Kysely<DB>, serviceId: number) {
  const rows = await db
    .selectFrom("service_role as sr")
    .innerJoin("organization as o", "o.id", "sr.organization_id")
    .select("sr.organization_id")
    .distinct()
    .where("sr.service_id", "=", serviceId)
    .where("sr.service_point_id", "is", null)
    .where("sr.role", "in", ["local_manager", "deputy"])
    .where("sr.ended_at", "is", null)
    .where("o.kind", "<>", "ministry")
    .execute();
  return rows.map((row) => row.organization_id);
}

/**
 * Opens a campaign unless one of (organization, service) is open: the partial unique index decides, so two servers'
 * jobs, or the job and a ministry's launch, open one. Returns its id, or null when one was already open.
 */
export async function openCampaign(
  db: Kysely<DB>,
  campaign: {
    organizationId: number;
    serviceId: number | null;
    launchedBy: number | null;
    startedAt: Date;
    deadline: Date;
    unconfirmed: ReviewUnconfirmed;
  },
): Promise<number | null> {
  const result = await sql<{ id: number }>`
    insert into review_campaign (organization_id, service_id, launched_by, started_at, deadline, unconfirmed)
    values (${campaign.organizationId}, ${campaign.serviceId}, ${campaign.launchedBy}, ${campaign.startedAt},
      ${campaign.deadline}, ${campaign.unconfirmed})
    on conflict (organization_id, (coalesce(service_id, 0))) where closed_at is null do nothing
    returning id`.execute(db);
  return result.rows[0]?.id ?? null;
}

/**
 * The lines of a campaign of (organization, service), from what is current today: every right (not ended, not past
 * its last day), every deputy, every mandate on the organization's dossiers in the service.
 */
export async function insertServiceLines(
  db: Kysely<DB>,
  campaignId: number,
  organizationId: number,
  serviceId: number,
  today: Day,
): Promise<void> {
  await sql`
    insert into review_line (campaign_id, kind, item_id, subject_user_id)
    select ${campaignId}::bigint, 'access_grant', g.id, g.user_id from access_grant g
      where g.organization_id = ${organizationId} and g.service_id = ${serviceId} and g.ended_at is null
        and (g.valid_until is null or g.valid_until >= ${today}::date)
    union all
    select ${campaignId}::bigint, 'deputy', sr.id, sr.user_id from service_role sr
      where sr.organization_id = ${organizationId} and sr.service_id = ${serviceId} and sr.role = 'deputy'
        and sr.service_point_id is null and sr.ended_at is null
    union all
    select ${campaignId}::bigint, 'mandate', m.id, m.agent_user_id from mandate m
      left join application ap on ap.id = m.application_id
      left join declared_dossier dd on dd.id = m.declared_dossier_id
      where m.ended_at is null and coalesce(ap.organization_id, dd.organization_id) = ${organizationId}
        and coalesce(ap.service_id, dd.service_id) = ${serviceId}`.execute(db);
}

/** The lines of the organization's procuration campaign: every current holder of a procuration not ended or past. */
export async function insertHolderLines(
  db: Kysely<DB>,
  campaignId: number,
  organizationId: number,
  today: Day,
): Promise<void> {
  await sql`
    insert into review_line (campaign_id, kind, item_id, subject_user_id)
    select ${campaignId}::bigint, 'procuration_holder', h.id, h.user_id from procuration_holder h
      join procuration p on p.id = h.procuration_id
      where p.organization_id = ${organizationId} and p.ended_at is null and p.end_date >= ${today}::date
        and h.ended_at is null`.execute(db);
}

export async function countLines(db: Kysely<DB>, campaignId: number): Promise<number> {
  const row = await db
    .selectFrom("review_line")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("campaign_id", "=", campaignId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// --- The lines as pages show them

/**
 * The line of a manager of (O,S) themselves (a right, a mandate or the deputy role of its local manager or a deputy):
 * the services officer and the owning ministry may decide it too, since nobody decides their own.
 */
const MANAGER_LINE = sql<boolean>`(c.service_id is not null and exists (
  select 1 from service_role sr where sr.user_id = l.subject_user_id and sr.organization_id = c.organization_id
    and sr.service_id = c.service_id and sr.service_point_id is null and sr.ended_at is null
    and sr.role in ('local_manager', 'deputy')))`;

/** A line with whose access it is, what it is about, and who decided it. */
function lineRows(db: Kysely<DB>) {
  return db
    .selectFrom("review_campaign as c")
    .innerJoin("organization as o", "o.id", "c.organization_id")
    .leftJoin("online_service as s", "s.id", "c.service_id")
    .leftJoin("review_line as l", "l.campaign_id", "c.id")
    .leftJoin("app_user as u", "u.id", "l.subject_user_id")
    .leftJoin("app_user as d", "d.id", "l.decided_by")
    .leftJoin("access_grant as g", (join) =>
      join.onRef("g.id", "=", "l.item_id").on("l.kind", "=", "access_grant"),
    )
    .leftJoin("mandate as m", (join) => join.onRef("m.id", "=", "l.item_id").on("l.kind", "=", "mandate"))
    .leftJoin("application as ap", "ap.id", "m.application_id")
    .leftJoin("declared_dossier as dd", "dd.id", "m.declared_dossier_id")
    .leftJoin("procuration_holder as h", (join) =>
      join.onRef("h.id", "=", "l.item_id").on("l.kind", "=", "procuration_holder"),
    )
    .leftJoin("procuration as p", "p.id", "h.procuration_id")
    .select([
      "c.id as campaign_id",
      "c.organization_id",
      "o.name as organization_name",
      "c.service_id",
      "s.code as service_code",
      "s.name as service_name",
      "s.name_en as service_name_en",
      "s.ministry_id",
      "c.launched_by",
      "c.started_at",
      "c.deadline",
      "c.closed_at",
      "c.unconfirmed",
      "l.id as line_id",
      "l.kind",
      "l.item_id",
      "l.subject_user_id",
      "l.decision",
      "l.decided_at",
      "l.outcome",
      "u.user_code",
      "u.first_name",
      "u.last_name",
      "d.first_name as decider_first_name",
      "d.last_name as decider_last_name",
      sql<AccessRight | null>`g.access_right`.as("access_right"),
      sql<string | null>`coalesce(ap.number::text, dd.external_id)`.as("dossier"),
      "p.name as procuration_name",
      MANAGER_LINE.as("manager_line"),
    ]);
}

export type LineRow = Awaited<ReturnType<ReturnType<typeof lineRows>["execute"]>>[number];

/** The latest campaign of (organization, service) with its lines (a campaign without lines: one row, line null). */
export async function listLatestCampaign(db: Kysely<DB>, organizationId: number, serviceId: number) {
  return lineRows(db)
    .where(
      "c.id",
      "=",
      db
        .selectFrom("review_campaign")
        .select("id")
        .where("organization_id", "=", organizationId)
        .where("service_id", "=", serviceId)
        .orderBy("started_at", "desc")
        .orderBy("id", "desc")
        .limit(1),
    )
    .orderBy("l.kind")
    .orderBy("u.last_name")
    .orderBy("l.id")
    .execute();
}

/** One campaign with its lines. */
export async function listCampaign(db: Kysely<DB>, campaignId: number) {
  return lineRows(db)
    .where("c.id", "=", campaignId)
    .orderBy("l.kind")
    .orderBy("u.last_name")
    .orderBy("l.id")
    .execute();
}

/** Lines still to decide: undecided, in a campaign open and before its deadline. */
function pendingLines(db: Kysely<DB>, now: Date) {
  return lineRows(db)
    .where("c.closed_at", "is", null)
    .where("c.deadline", ">", now)
    .where("l.decision", "is", null);
}

/**
 * The lines the organization's services officer may decide in its open campaigns, still undecided: procuration
 * holders, and the managers' own lines.
 */
export async function listOfficerLines(db: Kysely<DB>, organizationId: number, now: Date) {
  return pendingLines(db, now)
    .where("c.organization_id", "=", organizationId)
    .where((eb) => eb.or([eb("c.service_id", "is", null), eb(MANAGER_LINE, "=", true)]))
    .orderBy("c.service_id")
    .orderBy("u.last_name")
    .orderBy("l.id")
    .execute();
}

/** The managers' own lines, still undecided, in the open campaigns of the ministry's services (or one of them). */
export async function listMinistryLines(db: Kysely<DB>, ministryId: number, now: Date) {
  return pendingLines(db, now)
    .where("s.ministry_id", "=", ministryId)
    .where(MANAGER_LINE, "=", true)
    .orderBy("o.name")
    .orderBy("c.service_id")
    .orderBy("u.last_name")
    .orderBy("l.id")
    .limit(1000)
    .execute();
}

/** Every line of the organization's campaigns, newest campaign first: the history's CSV. */
export async function listHistoryLines(db: Kysely<DB>, organizationId: number, limit: number) {
  return lineRows(db)
    .where("c.organization_id", "=", organizationId)
    .where("l.id", "is not", null)
    .orderBy("c.started_at", "desc")
    .orderBy("c.id", "desc")
    .orderBy("l.id")
    .limit(limit)
    .execute();
}

/** The organization's campaigns, newest first, with their counts. */
export async function listHistory(db: Kysely<DB>, organizationId: number, limit: number) {
  return db
    .selectFrom("review_campaign as c")
    .leftJoin("online_service as s", "s.id", "c.service_id")
    .leftJoin("review_line as l", "l.campaign_id", "c.id")
    .select([
      "c.id",
      "c.service_id",
      "s.code as service_code",
      "s.name as service_name",
      "s.name_en as service_name_en",
      "c.launched_by",
      "c.started_at",
      "c.deadline",
      "c.closed_at",
      "c.unconfirmed",
      ...countsOf(),
    ])
    .where("c.organization_id", "=", organizationId)
    .groupBy(["c.id", "s.code", "s.name", "s.name_en"])
    .orderBy("c.started_at", "desc")
    .orderBy("c.id", "desc")
    .limit(limit)
    .execute();
}

function countsOf() {
  return [
    sql<number>`count(l.id)::int`.as("lines"),
    sql<number>`count(l.id) filter (where l.decision = 'confirmed')::int`.as("confirmed"),
    sql<number>`count(l.id) filter (where l.decision = 'removed')::int`.as("removed"),
    sql<number>`count(l.id) filter (where l.outcome = 'ended')::int`.as("ended"),
    sql<number>`count(l.id) filter (where l.outcome = 'flagged')::int`.as("flagged"),
  ] as const;
}

export type HistoryRow = Awaited<ReturnType<typeof listHistory>>[number];

/**
 * The ministry's completion by organization: for each organization with a campaign in the ministry's services (the
 * one service given, or all), its open campaigns' lines and how many are decided, and its last closed campaign.
 */
export async function listCompletion(db: Kysely<DB>, ministryId: number, serviceId: number | null) {
  let query = db
    .selectFrom("review_campaign as c")
    .innerJoin("online_service as s", "s.id", "c.service_id")
    .innerJoin("organization as o", "o.id", "c.organization_id")
    .leftJoin("review_line as l", "l.campaign_id", "c.id")
    .select([
      "o.id as organization_id",
      "o.name as organization_name",
      sql<number>`count(distinct c.id) filter (where c.closed_at is null)::int`.as("open_campaigns"),
      sql<number>`count(l.id) filter (where c.closed_at is null)::int`.as("open_lines"),
      sql<number>`count(l.id) filter (where c.closed_at is null and l.decision is not null)::int`.as(
        "open_decided",
      ),
      sql<Date | null>`min(c.deadline) filter (where c.closed_at is null)`.as("next_deadline"),
      sql<Date | null>`max(c.closed_at)`.as("last_closed"),
      sql<number>`count(l.id) filter (where c.closed_at is not null)::int`.as("closed_lines"),
      sql<number>`count(l.id) filter (where c.closed_at is not null and l.decision is not null)::int`.as(
        "closed_decided",
      ),
    ])
    .where("s.ministry_id", "=", ministryId);
  if (serviceId !== null) query = query.where("c.service_id", "=", serviceId);
  return query.groupBy(["o.id", "o.name"]).orderBy("o.name").orderBy("o.id").limit(1000).execute();
}

export type CompletionRow = Awaited<ReturnType<typeof listCompletion>>[number];

// --- Deciding a line

/** A line with its campaign, for a decision: one statement. */
export async function findLine(db: Kysely<DB>, lineId: number) {
  return lineRows(db).where("l.id", "=", lineId).executeTakeFirst();
}

/**
 * Records a decision, once: a line already decided, or whose campaign closed or passed its deadline, is left as it
 * is and nothing is returned, however many submissions race.
 */
export async function decideLine(
  db: Kysely<DB>,
  lineId: number,
  decision: ReviewDecision,
  by: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("review_line")
    .set({ decision, decided_by: by, decided_at: now })
    .where("id", "=", lineId)
    .where("decision", "is", null)
    .where("outcome", "is", null)
    .where("campaign_id", "in", (eb) =>
      eb
        .selectFrom("review_campaign")
        .select("id")
        .where("closed_at", "is", null)
        .where("deadline", ">", now),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// --- Reminders

/** Open campaigns before their deadline whose last reminder (7 days before) has not gone, with undecided lines. */
export async function findCampaignsToRemind(db: Kysely<DB>, now: Date, limit: number) {
  return db
    .selectFrom("review_campaign as c")
    .innerJoin("organization as o", "o.id", "c.organization_id")
    .leftJoin("online_service as s", "s.id", "c.service_id")
    .select([
      "c.id",
      "c.organization_id",
      "o.name as organization_name",
      "c.service_id",
      "s.code as service_code",
      "s.name as service_name",
      "s.name_en as service_name_en",
      "c.started_at",
      "c.deadline",
      "c.unconfirmed",
      sql<number>`(select count(*) from review_line l where l.campaign_id = c.id and l.decision is null)::int`.as(
        "pending",
      ),
      sql<
        ReviewStage[]
      >`coalesce((select array_agg(r.stage) from review_reminder r where r.campaign_id = c.id),
        '{}')`.as("sent"),
    ])
    .where("c.closed_at", "is", null)
    .where("c.deadline", ">", now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("review_reminder as r")
            .select(sql`1`.as("one"))
            .whereRef("r.campaign_id", "=", "c.id")
            .where("r.stage", "=", "week"),
        ),
      ),
    )
    .orderBy("c.id")
    .limit(limit)
    .execute();
}

/** Claims reminder stages of a campaign; returns those claimed now (another run may have claimed the others). */
export async function claimStages(
  db: Kysely<DB>,
  campaignId: number,
  stages: readonly ReviewStage[],
  now: Date,
): Promise<ReviewStage[]> {
  if (stages.length === 0) return [];
  const rows = await db
    .insertInto("review_reminder")
    .values(stages.map((stage) => ({ campaign_id: campaignId, stage, sent_at: now })))
    .onConflict((oc) => oc.columns(["campaign_id", "stage"]).doNothing())
    .returning("stage")
    .execute();
  return rows.map((row) => row.stage);
}

/**
 * Who reviews a campaign, enabled: the local manager and deputies of (O,S), or for the procuration holders' campaign
 * the organization's services officers.
 */
export async function listReviewers(db: Kysely<DB>, organizationId: number, serviceId: number | null) {
  const columns = ["u.id", "u.first_name", "u.last_name", "u.email", "u.locale"] as const;
  if (serviceId === null)
    return db
      .selectFrom("app_user as u")
      .select(columns)
      .where("u.organization_id", "=", organizationId)
      .where("u.is_services_officer", "=", true)
      .where("u.disabled_at", "is", null)
      .orderBy("u.id")
      .execute();
  return db
    .selectFrom("service_role as sr")
    .innerJoin("app_user as u", "u.id", "sr.user_id")
    .select(columns)
    .distinct()
    .where("sr.organization_id", "=", organizationId)
    .where("sr.service_id", "=", serviceId)
    .where("sr.service_point_id", "is", null)
    .where("sr.role", "in", ["local_manager", "deputy"])
    .where("sr.ended_at", "is", null)
    .where("u.disabled_at", "is", null)
    .orderBy("u.id")
    .execute();
}

// --- The deadline

/** Open campaigns at or past their deadline. */
export async function findCampaignsToClose(db: Kysely<DB>, now: Date, limit: number) {
  return db
    .selectFrom("review_campaign as c")
    .leftJoin("online_service as s", "s.id", "c.service_id")
    .select([
      "c.id",
      "c.organization_id",
      "c.service_id",
      "c.unconfirmed",
      "s.code as service_code",
      "s.name as service_name",
      "s.name_en as service_name_en",
      "s.ministry_id",
    ])
    .where("c.closed_at", "is", null)
    .where("c.deadline", "<=", now)
    .orderBy("c.deadline")
    .orderBy("c.id")
    .limit(limit)
    .execute();
}

/** Closes a campaign, once: false when another run closed it first. */
export async function closeCampaign(db: Kysely<DB>, campaignId: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("review_campaign")
    .set({ closed_at: now })
    .where("id", "=", campaignId)
    .where("closed_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listUndecidedLines(db: Kysely<DB>, campaignId: number) {
  return db
    .selectFrom("review_line")
    .select(["id", "kind", "item_id", "subject_user_id"])
    .where("campaign_id", "=", campaignId)
    .where("decision", "is", null)
    .where("outcome", "is", null)
    .orderBy("id")
    .execute();
}

export async function setOutcome(db: Kysely<DB>, lineId: number, outcome: ReviewOutcome): Promise<void> {
  await db.updateTable("review_line").set({ outcome }).where("id", "=", lineId).execute();
}

/** A procuration holder's row: which procuration, which person. */
export async function findHolder(db: Kysely<DB>, holderId: number) {
  return db
    .selectFrom("procuration_holder")
    .select(["procuration_id", "user_id"])
    .where("id", "=", holderId)
    .executeTakeFirst();
}

export type { ReviewLineKind };
