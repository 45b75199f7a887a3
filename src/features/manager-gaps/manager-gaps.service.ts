// « No service left without a manager » (issue #15, section 5): when a local manager or agent manager can no longer
// act, the organization's services officers, the deputies and the owning ministry's service administrators are told
// once, with the replacement request pre-filled; the ministry lists its services' scopes left without a manager.
import type { Kysely } from "kysely";
import type { Ctx } from "../../context.js";
import type { DB, ManagerGapCause } from "../../db/schema.js";
import { montrealDay } from "../../util/days.js";
import { translator } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { queueMail } from "../mail/mail.service.js";
import * as q from "./manager-gaps.queries.js";

export type GapRow = q.GapRow;

/** The back office's page of scopes without a manager able to act. */
export const GAPS_PATH = "/ministere/services-sans-gestionnaire";

/**
 * The existing replacement request (« Demande de remplacement »), its organization already searched: the municipality's
 * geoCode or the body's or firm's NEQ in the address, as the form's own « Chercher » puts it. An organization no form
 * fits (a firm's local manager) gets the service's request page, which lists the forms.
 */
export function replacementPath(row: q.GapRow): string {
  const service = `/services/${encodeURIComponent(row.service_code)}`;
  if (row.role === "agent_manager" && row.neq !== null) {
    return `${service}/demande-remplacement/mandataires?neq=${row.neq}`;
  }
  if (row.organization_kind === "municipality" && row.geo_code !== null) {
    return `${service}/demande-remplacement/municipalite?codeGeographique=${row.geo_code}`;
  }
  if (row.organization_kind === "body" && row.neq !== null) {
    return `${service}/demande-remplacement/organisme?neq=${row.neq}`;
  }
  return `${service}/demande-acces`;
}

/** The back office's managers page for the scope, where the ministry names a deputy. */
export function managersPath(row: Pick<q.GapRow, "organization_id" | "service_id">): string {
  const query = new URLSearchParams({
    organisationId: String(row.organization_id),
    service: String(row.service_id),
  });
  return `/ministere/gestionnaires?${query.toString()}`;
}

/** The request queue, filtered to the service, where the ministry approves a replacement. */
export function queuePath(row: Pick<q.GapRow, "service_id" | "organization_name">): string {
  const query = new URLSearchParams({
    statut: "en_attente",
    service: String(row.service_id),
    organisation: row.organization_name,
  });
  return `/ministere/demandes?${query.toString()}`;
}

type Alert = q.GapRow & { role_id: number; user_id: number; cause: ManagerGapCause };

function isAlert(row: q.GapRow): row is Alert {
  return row.role_id !== null && row.user_id !== null && row.cause !== "none";
}

/** Claims one alert and queues its mails in the given transaction; 0 when it was already sent. */
async function sendAlert(
  trx: Kysely<DB>,
  ctx: { actor: Ctx["actor"]; now: Date; ip: string | null },
  row: Alert,
  publicUrl: string,
): Promise<number> {
  const claimed = await q.claimAlert(
    trx,
    {
      roleId: row.role_id,
      cause: row.cause,
      organizationId: row.organization_id,
      serviceId: row.service_id,
      userId: row.user_id,
    },
    ctx.now,
  );
  if (!claimed) return 0;
  const recipients = await q.listAlertRecipients(trx, {
    organizationId: row.organization_id,
    serviceId: row.service_id,
    role: row.role,
    ministryId: row.ministry_id,
    userId: row.user_id,
  });
  const sent = new Set<string>();
  const mail = async (person: q.AlertRecipient, side: "organization" | "ministry") => {
    if (sent.has(person.email)) return;
    sent.add(person.email);
    const t = translator(person.locale);
    const service = person.locale === "en" && row.service_name_en ? row.service_name_en : row.service_name;
    const params = {
      name: `${person.first_name} ${person.last_name}`,
      manager: `${row.manager_first_name ?? ""} ${row.manager_last_name ?? ""}`.trim(),
      role: t(`backOffice.role.${row.role}`),
      organization: row.service_point_name
        ? `${row.organization_name} (${row.service_point_name})`
        : row.organization_name,
      service: `${row.service_code} — ${service}`,
      cause: t(`managerGaps.cause.${row.cause}`),
      link: `${publicUrl}${side === "organization" ? replacementPath(row) : managersPath(row)}`,
      list: `${publicUrl}${GAPS_PATH}`,
    };
    await queueMail(
      trx,
      {
        to: person.email,
        subject: t("mail.managerGap.subject", params),
        text: t(side === "organization" ? "mail.managerGap.body" : "mail.managerGap.bodyMinistry", params),
      },
      ctx.now,
    );
  };
  for (const person of recipients.organization) await mail(person, "organization");
  for (const person of recipients.ministry) await mail(person, "ministry");
  await recordAudit(
    { ...ctx, db: trx },
    {
      action: "serviceRole.gapAlert",
      organizationId: row.organization_id,
      targetType: "service_role",
      targetId: row.role_id,
      details: {
        role: row.role,
        cause: row.cause,
        userId: row.user_id,
        serviceId: row.service_id,
        servicePointId: row.service_point_id,
        recipients: sent.size,
      },
    },
  );
  return sent.size;
}

/**
 * Sends the alerts not yet sent, each claimed once (manager_alert) in the transaction that queues its mails. Inside
 * an act's transaction (disabling a person, ending or changing a procuration, removing a holder) with the people it
 * changed, the alerts leave with the act; the hourly job, with userIds null, sends the rest (an expired procuration).
 * Returns how many mails were queued; the caller tells the outbox once its transaction commits.
 */
export async function alertManagersUnableToAct(
  ctx: { db: Kysely<DB>; actor: Ctx["actor"]; now: Date; ip: string | null },
  publicUrl: string,
  userIds: readonly number[] | null = null,
): Promise<number> {
  const rows = await q.listUnsentAlerts(ctx.db, ctx.now, montrealDay(ctx.now), userIds);
  let queued = 0;
  for (const row of rows) {
    if (!isAlert(row)) continue;
    queued += ctx.db.isTransaction
      ? await sendAlert(ctx.db, ctx, row, publicUrl)
      : await ctx.db.transaction().execute((trx) => sendAlert(trx, ctx, row, publicUrl));
  }
  return queued;
}

/**
 * « Services sans gestionnaire »: the scopes of a ministry's services (or of one) with current rights and no manager
 * able to act, the longest first, with the days since. The back office authorizes before asking.
 */
export function gapsOfMinistry(
  db: Kysely<DB>,
  now: Date,
  ministryId: number,
  serviceId: number | null,
): Promise<q.GapRow[]> {
  return q.listGapsOfMinistry(db, now, montrealDay(now), ministryId, serviceId);
}

/** What the organization's own page says of a manager who cannot act: who, why, and the replacement request. */
export type OrganizationGap = {
  role: q.GapRow["role"];
  manager: string;
  servicePoint: string | null;
  cause: q.GapCause;
  replacementPath: string;
};

/** The organization's managers in a service who cannot act, each with its pre-filled replacement request. */
export async function gapsOfOrganization(
  db: Kysely<DB>,
  now: Date,
  organizationId: number,
  serviceId: number,
): Promise<OrganizationGap[]> {
  const rows = await q.listGapsOfOrganization(db, now, montrealDay(now), organizationId, serviceId);
  return rows.map((row) => ({
    role: row.role,
    manager: `${row.manager_first_name ?? ""} ${row.manager_last_name ?? ""}`.trim(),
    servicePoint: row.service_point_name,
    cause: row.cause,
    replacementPath: replacementPath(row),
  }));
}
