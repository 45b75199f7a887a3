// The SQL of applications, versions and mandates. Lists are filtered here by what the actor may see.
import { type Expression, type Kysely, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Day, DB } from "../../db/schema.js";
import { escapeLike } from "../../db/typed.js";
import { managedServicesQuery } from "../service-roles/service-roles.queries.js";

export async function findCurrentForm(db: Kysely<DB>, serviceId: number) {
  return db
    .selectFrom("program_form")
    .select(["id", "version", "definition"])
    .where("service_id", "=", serviceId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function findForm(db: Kysely<DB>, formId: number) {
  return db
    .selectFrom("program_form")
    .select(["id", "version", "definition"])
    .where("id", "=", formId)
    .executeTakeFirstOrThrow();
}

export async function insertForm(
  db: Kysely<DB>,
  form: { serviceId: number; definition: unknown; now: Date },
): Promise<number> {
  const row = await db
    .insertInto("program_form")
    .values((eb) => ({
      service_id: form.serviceId,
      version: eb
        .selectFrom("program_form")
        .select(sql<number>`coalesce(max(version), 0) + 1`.as("next"))
        .where("service_id", "=", form.serviceId),
      definition: JSON.stringify(form.definition),
      created_at: form.now,
    }))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const APPLICATION_COLUMNS = [
  "application.id",
  "application.number",
  "application.organization_id",
  "application.service_id",
  "application.form_id",
  "application.status",
  "application.title",
  "application.data",
  "application.revision",
  "application.created_at",
  "application.updated_at",
  "application.transmitted_at",
  "application.transmission_number",
  "application.previous_id",
  "organization.name as organization_name",
  "updater.first_name as updated_by_first_name",
  "updater.last_name as updated_by_last_name",
  "updater.user_code as updated_by_code",
] as const;

export async function findApplicationByNumber(db: Kysely<DB>, number: number) {
  return db
    .selectFrom("application")
    .innerJoin("organization", "organization.id", "application.organization_id")
    .innerJoin("app_user as updater", "updater.id", "application.updated_by")
    .select(APPLICATION_COLUMNS)
    .where("application.number", "=", number)
    .executeTakeFirst();
}

export async function findApplicationById(db: Kysely<DB>, id: number) {
  return db
    .selectFrom("application")
    .innerJoin("organization", "organization.id", "application.organization_id")
    .innerJoin("app_user as updater", "updater.id", "application.updated_by")
    .select(APPLICATION_COLUMNS)
    .where("application.id", "=", id)
    .executeTakeFirst();
}

export type ApplicationRow = NonNullable<Awaited<ReturnType<typeof findApplicationByNumber>>>;

/** Where and how to write to a user: the transmission's receipt. */
export async function findMailRecipient(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("app_user")
    .select(["email", "first_name", "last_name", "locale"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
}

/**
 * The applications of (organization, service) the actor may see: all of them for a requester of the organization,
 * only those mandated to them for an agent. The actor's current right is part of the statement.
 */
export async function listApplications(
  db: Kysely<DB>,
  input: { actorId: number; organizationId: number; serviceId: number; today: Day },
) {
  return db
    .selectFrom("application")
    .innerJoin("organization", "organization.id", "application.organization_id")
    .innerJoin("app_user as updater", "updater.id", "application.updated_by")
    .select(APPLICATION_COLUMNS)
    .where("application.organization_id", "=", input.organizationId)
    .where("application.service_id", "=", input.serviceId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("access_grant as g")
          .leftJoin("service_association as a", "a.id", "g.association_id")
          .select(sql`1`.as("one"))
          .where("g.user_id", "=", input.actorId)
          .where("g.organization_id", "=", input.organizationId)
          .where("g.service_id", "=", input.serviceId)
          .where("g.ended_at", "is", null)
          .where((w) => w.or([w("g.valid_until", "is", null), w("g.valid_until", ">=", input.today)]))
          .where((w) => w.or([w("g.association_id", "is", null), w("a.ended_at", "is", null)]))
          .where((w) =>
            w.or([
              w("g.access_right", "in", ["requester.write", "requester.read"]),
              w.and([
                w("g.access_right", "in", ["agent.write", "agent.read"]),
                w.exists(
                  w
                    .selectFrom("mandate as m")
                    .select(sql`1`.as("one"))
                    .whereRef("m.application_id", "=", "application.id")
                    .where("m.agent_user_id", "=", input.actorId)
                    .where("m.ended_at", "is", null),
                ),
              ]),
            ]),
          ),
      ),
    )
    .orderBy("application.updated_at", "desc")
    .orderBy("application.id", "desc")
    .execute();
}

/** Transmitted applications of one ministry's services, for its service administrators; drafts never leave here. */
export async function listTransmittedForMinistry(db: Kysely<DB>, ministryId: number) {
  return db
    .selectFrom("application")
    .innerJoin("organization", "organization.id", "application.organization_id")
    .innerJoin("app_user as updater", "updater.id", "application.updated_by")
    .innerJoin("online_service", "online_service.id", "application.service_id")
    .select([...APPLICATION_COLUMNS, "online_service.code as service_code"])
    .where("application.status", "=", "transmitted")
    .where("online_service.ministry_id", "=", ministryId)
    .orderBy("application.transmitted_at", "desc")
    .execute();
}

export async function isMandated(db: Kysely<DB>, applicationId: number, userId: number): Promise<boolean> {
  return hasCurrentMandate(db, { applicationId }, userId);
}

/** Whether the person holds a current mandate on the dossier, whichever kind it is. */
export async function hasCurrentMandate(
  db: Kysely<DB>,
  dossier: MandateDossierKey,
  userId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom("mandate")
    .select("id")
    .where((eb) =>
      "applicationId" in dossier
        ? eb("application_id", "=", dossier.applicationId)
        : eb("declared_dossier_id", "=", dossier.declaredDossierId),
    )
    .where("agent_user_id", "=", userId)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertApplication(
  db: Kysely<DB>,
  application: {
    organizationId: number;
    serviceId: number;
    formId: number;
    title: string;
    data: unknown;
    by: number;
    now: Date;
    previousId: number | null;
  },
) {
  return db
    .insertInto("application")
    .values({
      organization_id: application.organizationId,
      service_id: application.serviceId,
      form_id: application.formId,
      title: application.title,
      data: JSON.stringify(application.data),
      created_at: application.now,
      created_by: application.by,
      updated_at: application.now,
      updated_by: application.by,
      previous_id: application.previousId,
    })
    .returning(["id", "number", "revision", "status", "title", "data"])
    .executeTakeFirstOrThrow();
}

/** Saves a draft if it is still a draft at the revision the editor started from; undefined otherwise. */
export async function saveDraft(
  db: Kysely<DB>,
  save: { id: number; revision: number; title: string; data: unknown; by: number; now: Date },
) {
  return db
    .updateTable("application")
    .set({
      title: save.title,
      data: JSON.stringify(save.data),
      revision: sql<number>`revision + 1`,
      updated_at: save.now,
      updated_by: save.by,
    })
    .where("id", "=", save.id)
    .where("revision", "=", save.revision)
    .where("status", "=", "draft")
    .returning(["id", "number", "revision", "status", "title", "data"])
    .executeTakeFirst();
}

/** Transmits a draft at the given revision, once: a second attempt finds it transmitted and changes nothing. */
export async function transmit(
  db: Kysely<DB>,
  change: { id: number; revision: number; by: number; now: Date },
) {
  return db
    .updateTable("application")
    .set({
      status: "transmitted",
      revision: sql<number>`revision + 1`,
      transmitted_at: change.now,
      transmitted_by: change.by,
      transmission_number: sql<number>`nextval('application_transmission_seq')`,
      updated_at: change.now,
      updated_by: change.by,
    })
    .where("id", "=", change.id)
    .where("revision", "=", change.revision)
    .where("status", "=", "draft")
    .returning([
      "id",
      "number",
      "revision",
      "status",
      "title",
      "data",
      "transmission_number",
      "transmitted_at",
    ])
    .executeTakeFirst();
}

export async function insertVersion(
  db: Kysely<DB>,
  version: {
    applicationId: number;
    revision: number;
    status: "draft" | "transmitted";
    title: string;
    data: unknown;
    by: number;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto("application_version")
    .values({
      application_id: version.applicationId,
      revision: version.revision,
      status: version.status,
      title: version.title,
      data: JSON.stringify(version.data),
      saved_at: version.now,
      saved_by: version.by,
    })
    .execute();
}

export async function listVersions(db: Kysely<DB>, applicationId: number) {
  return db
    .selectFrom("application_version")
    .innerJoin("app_user", "app_user.id", "application_version.saved_by")
    .select([
      "application_version.revision",
      "application_version.status",
      "application_version.title",
      "application_version.saved_at",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.user_code",
    ])
    .where("application_version.application_id", "=", applicationId)
    .orderBy("application_version.revision", "desc")
    .execute();
}

export async function findVersion(db: Kysely<DB>, applicationId: number, revision: number) {
  return db
    .selectFrom("application_version")
    .selectAll()
    .where("application_id", "=", applicationId)
    .where("revision", "=", revision)
    .executeTakeFirst();
}

export async function findNextVersion(db: Kysely<DB>, applicationId: number) {
  return db
    .selectFrom("application")
    .select(["id", "number"])
    .where("previous_id", "=", applicationId)
    .executeTakeFirst();
}

// --- Mandates

/** The dossier a mandate names: one of Guichet's applications, or a dossier an online service declared. */
export type MandateDossierKey = { applicationId: number } | { declaredDossierId: number };

function dossierColumns(key: MandateDossierKey) {
  return "applicationId" in key
    ? { application_id: key.applicationId, declared_dossier_id: null }
    : { application_id: null, declared_dossier_id: key.declaredDossierId };
}

export async function insertMandate(
  db: Kysely<DB>,
  mandate: MandateDossierKey & { agentUserId: number; by: number; now: Date },
): Promise<number> {
  const row = await db
    .insertInto("mandate")
    .values({
      ...dossierColumns(mandate),
      agent_user_id: mandate.agentUserId,
      assigned_at: mandate.now,
      assigned_by: mandate.by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The current mandates of one application, given again on another (its new version), by whom and when. */
export async function copyMandates(
  db: Kysely<DB>,
  copy: { fromId: number; toId: number; by: number; now: Date },
): Promise<void> {
  await db
    .insertInto("mandate")
    .columns(["application_id", "agent_user_id", "assigned_at", "assigned_by"])
    .expression((eb) =>
      eb
        .selectFrom("mandate")
        .select((s) => [
          s.val(copy.toId).as("application_id"),
          "agent_user_id",
          s.val(copy.now).as("assigned_at"),
          s.val(copy.by).as("assigned_by"),
        ])
        .where("application_id", "=", copy.fromId)
        .where("ended_at", "is", null),
    )
    .execute();
}

export async function endMandates(
  db: Kysely<DB>,
  where: { mandateId?: number; agentUserId?: number; organizationId?: number; serviceId?: number },
  end: { by: number | null; reason: "ended" | "dissociated" | "right_ended"; at: Date },
): Promise<number[]> {
  let query = db
    .updateTable("mandate")
    .set({ ended_at: end.at, ended_by: end.by, end_reason: end.reason })
    .where("ended_at", "is", null);
  if (where.mandateId !== undefined) query = query.where("id", "=", where.mandateId);
  if (where.agentUserId !== undefined) query = query.where("agent_user_id", "=", where.agentUserId);
  if (where.organizationId !== undefined || where.serviceId !== undefined) {
    query = query.where("application_id", "in", (eb) => {
      let apps = eb.selectFrom("application").select("id");
      if (where.organizationId !== undefined) apps = apps.where("organization_id", "=", where.organizationId);
      if (where.serviceId !== undefined) apps = apps.where("service_id", "=", where.serviceId);
      return apps;
    });
  }
  const rows = await query.returning("id").execute();
  return rows.map((row) => row.id);
}

export const MANDATES_SERVICE_CODE = "GESTION-MANDATS";

/** A service of the catalogue, by id or by code (« Gestion des mandats » itself: MANDATES_SERVICE_CODE). */
export async function findService(db: Kysely<DB>, by: { id: number } | { code: string }) {
  const query = db.selectFrom("online_service").select(["id", "code", "name", "name_en", "ministry_id"]);
  return (
    "id" in by ? query.where("id", "=", by.id) : query.where("code", "=", by.code)
  ).executeTakeFirstOrThrow();
}

/** A service of the catalogue by the code a form sent; undefined for an unknown code. */
export async function findServiceByCode(db: Kysely<DB>, code: string) {
  if (code.length > 100) return undefined;
  return db
    .selectFrom("online_service")
    .select(["id", "code", "name", "name_en", "ministry_id"])
    .where("code", "=", code)
    .executeTakeFirst();
}

/** The infrastructure services where a user is local manager or deputy of their organization: « Gestion des mandats ». */
export async function listManagedServices(db: Kysely<DB>, userId: number, organizationId: number) {
  return managedServices(db, userId, organizationId).execute();
}

export function managedServices(db: Kysely<DB>, userId: number, organizationId: number) {
  return managedServicesQuery(db, { userId, organizationId, category: "infrastructures" });
}

/**
 * « Gestion des mandats » in one statement: the services where the user is local manager or deputy of their
 * organization (listManagedServices), and the organization's current mandates in all of them; the caller keeps those
 * of the services the policy lets the user see.
 */
export async function findManagedServicesWithMandates(
  db: Kysely<DB>,
  userId: number,
  organizationId: number,
) {
  const row = await db
    .selectNoFrom([
      jsonArrayFrom(managedServices(db, userId, organizationId)).as("services"),
      jsonArrayFrom(
        mandatesOf(
          db,
          organizationId,
          managedServices(db, userId, organizationId).clearSelect().clearOrderBy().select("s.id").$asScalar(),
        ),
      ).as("mandates"),
    ])
    .executeTakeFirstOrThrow();
  return {
    services: row.services,
    mandates: row.mandates.map((mandate) => ({ ...mandate, assigned_at: new Date(mandate.assigned_at) })),
  };
}

/**
 * The mandated dossier's reference, title and organization, whichever kind it is: an application's number, or the id
 * the online service gave its declared dossier. Every read of mandates below names the dossier through these.
 */
const MANDATED_DOSSIER = {
  reference: sql<string>`coalesce(ap.number::text, dd.external_id)`,
  title: sql<string>`coalesce(ap.title, dd.title)`,
  organizationId: sql<number>`coalesce(ap.organization_id, dd.organization_id)`,
  serviceId: sql<number>`coalesce(ap.service_id, dd.service_id)`,
  kind: sql<
    "application" | "declared"
  >`case when m.application_id is null then 'declared' else 'application' end`,
};

/**
 * « Gestion des mandats »: the current mandates of one organization in the services given, those where the policy
 * lets the actor see them (computed by the caller), on applications and on declared dossiers alike.
 */
export async function listMandates(db: Kysely<DB>, input: { organizationId: number; serviceIds: number[] }) {
  if (input.serviceIds.length === 0) return [];
  return mandatesOf(db, input.organizationId, input.serviceIds).execute();
}

function mandatesOf(
  db: Kysely<DB>,
  organizationId: number,
  serviceIds: readonly number[] | Expression<number>,
) {
  return db
    .selectFrom("mandate as m")
    .leftJoin("application as ap", "ap.id", "m.application_id")
    .leftJoin("declared_dossier as dd", "dd.id", "m.declared_dossier_id")
    .innerJoin("online_service as s", (join) => join.on("s.id", "=", MANDATED_DOSSIER.serviceId))
    .innerJoin("app_user as agent", "agent.id", "m.agent_user_id")
    .innerJoin("organization as firm", "firm.id", "agent.organization_id")
    .innerJoin("app_user as by", "by.id", "m.assigned_by")
    .select([
      "m.id",
      "m.assigned_at",
      MANDATED_DOSSIER.kind.as("kind"),
      MANDATED_DOSSIER.reference.as("reference"),
      MANDATED_DOSSIER.title.as("title"),
      "s.id as service_id",
      "s.code as service_code",
      "agent.user_code as agent_code",
      "agent.first_name as agent_first_name",
      "agent.last_name as agent_last_name",
      "firm.name as firm_name",
      "by.first_name as assigned_by_first_name",
      "by.last_name as assigned_by_last_name",
    ])
    .where(MANDATED_DOSSIER.organizationId, "=", organizationId)
    .where(MANDATED_DOSSIER.serviceId, "in", serviceIds)
    .where("m.ended_at", "is", null)
    .orderBy("s.sort_order")
    .orderBy(MANDATED_DOSSIER.kind)
    .orderBy(sql`ap.number`)
    .orderBy(sql`dd.external_id`)
    .orderBy("agent.last_name");
}

export async function findMandate(db: Kysely<DB>, mandateId: number) {
  return db
    .selectFrom("mandate as m")
    .leftJoin("application as ap", "ap.id", "m.application_id")
    .leftJoin("declared_dossier as dd", "dd.id", "m.declared_dossier_id")
    .innerJoin("app_user as agent", "agent.id", "m.agent_user_id")
    .innerJoin("organization as o", (join) => join.on("o.id", "=", MANDATED_DOSSIER.organizationId))
    .select([
      "m.id",
      "m.agent_user_id",
      "m.ended_at",
      MANDATED_DOSSIER.kind.as("kind"),
      MANDATED_DOSSIER.reference.as("reference"),
      MANDATED_DOSSIER.title.as("title"),
      MANDATED_DOSSIER.organizationId.as("organization_id"),
      MANDATED_DOSSIER.serviceId.as("service_id"),
      "o.name as organization_name",
      // The agent, told when the mandate ends.
      "agent.first_name",
      "agent.last_name",
      "agent.email",
      "agent.locale",
    ])
    .where("m.id", "=", mandateId)
    .executeTakeFirst();
}

/** What « Gestion des mandats » lists of a service's dossiers: a page of them, filtered. */
export type DossierFilter = {
  organizationId: number;
  serviceId: number;
  /** Part of the number, the external id or the title; empty for all. */
  text: string;
  /** A user code: only the dossiers mandated to that person now; NO_AGENT: only those mandated to nobody. */
  agentCode: string | null;
  limit: number;
  offset: number;
};

export const NO_AGENT = "aucun";

/** One agent mandated on a dossier now, as the list shows them (with the mandate, for « Mettre fin »). */
export type MandatedAgent = {
  mandateId: number;
  userCode: string;
  firstName: string;
  lastName: string;
  firm: string;
};

/**
 * The dossiers of (organization, service) that a manager may mandate agents on: Guichet's applications and the
 * dossiers the service declared, with their status and their current agents, never their content; filtered and cut
 * into pages here, with the number of all those that match.
 */
export async function listMandateDossiers(db: Kysely<DB>, filter: DossierFilter) {
  const applications = db
    .selectFrom("application")
    .select([
      sql<"application" | "declared">`'application'`.as("kind"),
      "id as dossier_id",
      sql<string>`number::text`.as("reference"),
      "title",
      sql<"draft" | "transmitted" | "open" | "closed">`status`.as("status"),
    ])
    .where("organization_id", "=", filter.organizationId)
    .where("service_id", "=", filter.serviceId);
  const declared = db
    .selectFrom("declared_dossier")
    .select([
      sql<"application" | "declared">`'declared'`.as("kind"),
      "id as dossier_id",
      "external_id as reference",
      "title",
      sql<
        "draft" | "transmitted" | "open" | "closed"
      >`case when closed_at is null then 'open' else 'closed' end`.as("status"),
    ])
    .where("organization_id", "=", filter.organizationId)
    .where("service_id", "=", filter.serviceId);
  const onThisDossier = sql`case when x.kind = 'application' then m.application_id = x.dossier_id
    else m.declared_dossier_id = x.dossier_id end`;
  const pattern = `%${escapeLike(filter.text)}%`;
  const { agentCode } = filter;
  return db
    .selectFrom(applications.unionAll(declared).as("x"))
    .select([
      "x.kind",
      "x.dossier_id",
      "x.reference",
      "x.title",
      "x.status",
      sql<MandatedAgent[]>`coalesce((
        select jsonb_agg(jsonb_build_object('mandateId', m.id, 'userCode', u.user_code, 'firstName', u.first_name,
            'lastName', u.last_name, 'firm', o.name) order by u.last_name, u.first_name, m.id)
          from mandate m
          join app_user u on u.id = m.agent_user_id
          join organization o on o.id = u.organization_id
          where m.ended_at is null and ${onThisDossier}), '[]'::jsonb)`.as("agents"),
      sql<number>`count(*) over ()`.as("total"),
    ])
    .$if(filter.text !== "", (qb) =>
      qb.where((eb) => eb.or([eb("x.reference", "ilike", pattern), eb("x.title", "ilike", pattern)])),
    )
    .$if(agentCode !== null, (qb) =>
      qb.where(
        agentCode === NO_AGENT
          ? sql<boolean>`not exists (select 1 from mandate m where m.ended_at is null and ${onThisDossier})`
          : sql<boolean>`exists (select 1 from mandate m join app_user u on u.id = m.agent_user_id
              where m.ended_at is null and ${onThisDossier} and u.user_code = ${agentCode})`,
      ),
    )
    .orderBy("x.title")
    .orderBy("x.kind")
    .orderBy("x.reference")
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

export type MandateDossierRow = Awaited<ReturnType<typeof listMandateDossiers>>[number];

// --- Attachments

export async function insertAttachment(
  db: Kysely<DB>,
  attachment: {
    applicationId: number;
    field: string;
    name: string;
    sizeBytes: number;
    sha256: string;
    storageKey: string;
    by: number;
    now: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto("application_attachment")
    .values({
      application_id: attachment.applicationId,
      field: attachment.field,
      name: attachment.name,
      size_bytes: attachment.sizeBytes,
      sha256: Buffer.from(attachment.sha256, "hex"),
      storage_key: attachment.storageKey,
      uploaded_at: attachment.now,
      uploaded_by: attachment.by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Locks one application until the transaction ends: an attachment changes only while it is still a draft. */
export async function lockApplication(db: Kysely<DB>, applicationId: number) {
  return db
    .selectFrom("application")
    .select(["id", "status"])
    .where("id", "=", applicationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** How many current attachments each pdf field holds. */
export async function countAttachments(
  db: Kysely<DB>,
  applicationId: number,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("application_attachment")
    .select(["field", (eb) => eb.fn.countAll<string>().as("count")])
    .where("application_id", "=", applicationId)
    .where("removed_at", "is", null)
    .groupBy("field")
    .execute();
  return Object.fromEntries(rows.map((row) => [row.field, Number(row.count)]));
}

const ATTACHMENT_COLUMNS = [
  "application_attachment.id",
  "application_attachment.field",
  "application_attachment.name",
  "application_attachment.size_bytes",
  "application_attachment.uploaded_at",
  "application_attachment.removed_at",
  "uploader.first_name as uploaded_by_first_name",
  "uploader.last_name as uploaded_by_last_name",
] as const;

/**
 * The attachments of an application: the current ones, or those it held at a moment (a version's time: uploaded by
 * then, and not yet removed).
 */
export async function listAttachments(db: Kysely<DB>, applicationId: number, asOf?: Date) {
  let query = db
    .selectFrom("application_attachment")
    .innerJoin("app_user as uploader", "uploader.id", "application_attachment.uploaded_by")
    .select(ATTACHMENT_COLUMNS)
    .where("application_attachment.application_id", "=", applicationId);
  query =
    asOf === undefined
      ? query.where("application_attachment.removed_at", "is", null)
      : query
          .where("application_attachment.uploaded_at", "<=", asOf)
          .where((eb) =>
            eb.or([
              eb("application_attachment.removed_at", "is", null),
              eb("application_attachment.removed_at", ">", asOf),
            ]),
          );
  return query.orderBy("application_attachment.uploaded_at").orderBy("application_attachment.id").execute();
}

export type AttachmentRow = Awaited<ReturnType<typeof listAttachments>>[number];

/** The current attachments of an application with where their bytes are and their digest (to serve or copy them). */
function storedAttachments(db: Kysely<DB>, applicationId: number) {
  return db
    .selectFrom("application_attachment")
    .select(["id", "field", "name", "size_bytes", "sha256", "storage_key"])
    .where("application_id", "=", applicationId)
    .where("removed_at", "is", null);
}

/** A current attachment of one application. */
export async function findCurrentAttachment(db: Kysely<DB>, applicationId: number, attachmentId: number) {
  return storedAttachments(db, applicationId).where("id", "=", attachmentId).executeTakeFirst();
}

/** Ends a current attachment; undefined when it had already gone. */
export async function removeAttachment(
  db: Kysely<DB>,
  removal: { applicationId: number; attachmentId: number; by: number; now: Date },
) {
  return db
    .updateTable("application_attachment")
    .set({ removed_at: removal.now, removed_by: removal.by })
    .where("id", "=", removal.attachmentId)
    .where("application_id", "=", removal.applicationId)
    .where("removed_at", "is", null)
    .returning(["id", "name", "field", "storage_key"])
    .executeTakeFirst();
}

/** Whether an application ever held an attachment (a new version gets its predecessor's only once). */
export async function hasAnyAttachment(db: Kysely<DB>, applicationId: number): Promise<boolean> {
  const row = await db
    .selectFrom("application_attachment")
    .select("id")
    .where("application_id", "=", applicationId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listStoredAttachments(db: Kysely<DB>, applicationId: number) {
  return storedAttachments(db, applicationId).orderBy("id").execute();
}

// --- Pages

/**
 * The (service, organization) pairs where a user holds a current right in an infrastructure service: where their
 * lists of applications are.
 */
export async function listApplicationSpaces(db: Kysely<DB>, userId: number, today: Day) {
  return applicationSpacesOf(db, userId, today).execute();
}

export function applicationSpacesOf(db: Kysely<DB>, userId: number, today: Day) {
  return db
    .selectFrom("access_grant as g")
    .innerJoin("online_service as s", "s.id", "g.service_id")
    .innerJoin("organization as o", "o.id", "g.organization_id")
    .leftJoin("service_association as a", "a.id", "g.association_id")
    .select([
      "s.id",
      "s.code",
      "s.name",
      "s.ministry_id",
      "o.id as organization_id",
      "o.name as organization_name",
    ])
    .where("g.user_id", "=", userId)
    .where("s.category", "=", "infrastructures")
    .where("g.ended_at", "is", null)
    .where((eb) => eb.or([eb("g.valid_until", "is", null), eb("g.valid_until", ">=", today)]))
    .where((eb) => eb.or([eb("g.association_id", "is", null), eb("a.ended_at", "is", null)]))
    .orderBy("s.sort_order")
    .orderBy("o.name");
}
