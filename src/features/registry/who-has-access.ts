// « Qui a accès »: everyone with any access to one organization in one service, with the chain that gives it and
// until when — the local manager, the deputies, the requesters and the agents — read in one statement that returns
// no row unless the actor manages that registry; and the same list as a CSV file a spreadsheet opens safely.
import { type Kysely, sql } from "kysely";
import type { Ctx } from "../../context.js";
import type { AccessRight, Day, DB } from "../../db/schema.js";
import { montrealDay } from "../../util/days.js";
import type { MessageKey, Translate } from "../../web/messages.js";
import { authorizeService, type ServiceTarget } from "./registry.service.js";

export type AccessKind = "local_manager" | "deputy" | "requester" | "agent";

export type AccessRow = {
  kind: AccessKind;
  user_id: number;
  user_code: string;
  first_name: string;
  last_name: string;
  organization_name: string;
  access_right: AccessRight | null;
  since: Date;
  valid_until: Day | null;
  /** Who approved the designation (local manager), named the deputy, or granted the right. */
  by_name: string | null;
  by_organization: string | null;
  access_request_id: number | null;
  service_point_name: string | null;
  associated_by_name: string | null;
  /** Manager, deputies, requesters, agents: the order the page lists them in. */
  rank: number;
};

/**
 * One statement, four sources, each filtered by the same condition: the actor is the local manager or a deputy of
 * (organization, service). Rights count only while current (not ended, not past their last day, association current).
 */
async function listAccess(
  db: Kysely<DB>,
  input: { actorId: number; organizationId: number; serviceId: number; today: Day },
): Promise<AccessRow[]> {
  const { actorId, organizationId, serviceId, today } = input;
  const result = await sql<AccessRow>`
    with allowed as (
      select exists (select 1 from service_role m
        where m.user_id = ${actorId} and m.organization_id = ${organizationId} and m.service_id = ${serviceId}
          and m.ended_at is null and m.role in ('local_manager', 'deputy')) as ok
    )
    select r.role as kind, u.id as user_id, u.user_code, u.first_name, u.last_name, uo.name as organization_name,
        null::text as access_right, r.granted_at as since, null::date as valid_until,
        by_user.first_name || ' ' || by_user.last_name as by_name,
        coalesce(by_org.acronym, by_org.name) as by_organization, r.access_request_id,
        null::text as service_point_name, null::text as associated_by_name,
        case r.role when 'local_manager' then 0 else 1 end as rank
      from service_role r
      join app_user u on u.id = r.user_id
      join organization uo on uo.id = u.organization_id
      left join app_user by_user on by_user.id = r.granted_by
      left join organization by_org on by_org.id = by_user.organization_id
      where r.organization_id = ${organizationId} and r.service_id = ${serviceId} and r.ended_at is null
        and r.role in ('local_manager', 'deputy') and (select ok from allowed)
    union all
    select case when g.association_id is null then 'requester' else 'agent' end, u.id, u.user_code, u.first_name,
        u.last_name, uo.name, g.access_right, g.granted_at, g.valid_until,
        by_user.first_name || ' ' || by_user.last_name, null, null,
        p.name, ab.first_name || ' ' || ab.last_name, case when g.association_id is null then 2 else 3 end
      from access_grant g
      join app_user u on u.id = g.user_id
      join organization uo on uo.id = u.organization_id
      join app_user by_user on by_user.id = g.granted_by
      left join service_association a on a.id = g.association_id
      left join service_point p on p.id = a.service_point_id
      left join app_user ab on ab.id = a.associated_by
      where g.organization_id = ${organizationId} and g.service_id = ${serviceId} and g.ended_at is null
        and (g.valid_until is null or g.valid_until >= ${today}::date)
        and (g.association_id is null or a.ended_at is null)
        and (select ok from allowed)
    order by rank, last_name, first_name, user_code
  `.execute(db);
  return result.rows;
}

export async function listWhoHasAccess(ctx: Ctx, target: ServiceTarget): Promise<AccessRow[]> {
  const actor = await authorizeService(ctx, "registry.whoHasAccess", target);
  return listAccess(ctx.db, {
    actorId: actor.userId,
    organizationId: target.organizationId,
    serviceId: target.service.id,
    today: montrealDay(ctx.now),
  });
}

// --- Words

const KIND: Record<AccessKind, MessageKey> = {
  local_manager: "services.role.local_manager",
  deputy: "services.role.deputy",
  requester: "whoHasAccess.kind.requester",
  agent: "whoHasAccess.kind.agent",
};

export function kindLabel(t: Translate, row: AccessRow): string {
  return row.access_right ? t(`registry.right.${row.access_right}`) : t(KIND[row.kind]);
}

/** Days as the chain writes them, 2026-03-01, whatever the language. */
function day(at: Date | Day): Day {
  return typeof at === "string" ? at : montrealDay(at);
}

/** « Firme X, point de service Y, associé par Z → Mandataire – Rédaction accordé par W le 2026-03-01 jusqu'au 2027-03-01 ». */
export function chainOf(t: Translate, row: AccessRow): string {
  const until = row.valid_until
    ? t("whoHasAccess.until", { date: row.valid_until })
    : t("whoHasAccess.noEnd");
  const by = row.by_name ?? t("whoHasAccess.byMinistry");
  const since = day(row.since);
  switch (row.kind) {
    case "local_manager": {
      const approver = row.by_organization ? `${by} (${row.by_organization})` : by;
      return row.access_request_id === null
        ? t("whoHasAccess.chain.localManagerNamed", { by: approver, since, until })
        : t("whoHasAccess.chain.localManager", {
            by: approver,
            request: row.access_request_id,
            since,
            until,
          });
    }
    case "deputy":
      return t("whoHasAccess.chain.deputy", { by, since, until });
    case "requester":
      return t("whoHasAccess.chain.requester", { right: kindLabel(t, row), by, since, until });
    case "agent":
      return t("whoHasAccess.chain.agent", {
        firm: row.organization_name,
        point: row.service_point_name ?? "",
        associatedBy: row.associated_by_name ?? "",
        right: kindLabel(t, row),
        by,
        since,
        until,
      });
  }
}

// --- CSV

/**
 * A formula behind what a reader does not see: spaces of any width, zero-width and other format characters (BOM, joiners,
 * soft hyphen), controls and the Hangul fillers drawn blank, then = + - @ in any width (NFKC folds ＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫).
 */
const HIDDEN_FORMULA = /^[\p{Z}\p{Cc}\p{Cf}\s\u115f\u1160\u3164\uffa0]*[=+\-@]/u;

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, and some read
 * full-width signs as these or skip what comes invisibly before them: such a cell gets an apostrophe.
 */
export function csvCell(value: string): string {
  const formula = /^[\t\r]/.test(value) || HIDDEN_FORMULA.test(value.normalize("NFKC"));
  const safe = formula ? `'${value}` : value;
  return /[";,\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 with a byte-order mark, so Excel reads the accents; « ; » separates, as French spreadsheets expect. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(";")).join("\r\n")}\r\n`;
}

export function whoHasAccessCsv(t: Translate, rows: readonly AccessRow[]): string {
  const header = [
    t("whoHasAccess.col.person"),
    t("whoHasAccess.col.userCode"),
    t("whoHasAccess.col.organization"),
    t("whoHasAccess.col.access"),
    t("whoHasAccess.col.chain"),
    t("whoHasAccess.col.since"),
    t("whoHasAccess.col.until"),
  ];
  return toCsv([
    header,
    ...rows.map((row) => [
      `${row.first_name} ${row.last_name}`,
      row.user_code,
      row.organization_name,
      kindLabel(t, row),
      chainOf(t, row),
      day(row.since),
      row.valid_until ?? "",
    ]),
  ]);
}
