// « Journal des accès » and « Mon historique »: whose events the reader may see (decided by the policy, never by the
// request), the filters read from the query string, keyset pages and the CSV export.
import type { Ctx } from "../../context.js";
import type { Day } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { authorize, can } from "../../policy/policy.js";
import { isDay } from "../../util/days.js";
import type { FieldError } from "../../web/forms.js";
import { requireUser } from "../auth/auth.service.js";
import { authorizeService, checkServices } from "../registry/registry.service.js";
import { managedServices } from "../service-roles/service-roles.service.js";
import * as q from "./journal.queries.js";

export type { JournalRow, JournalService } from "./journal.queries.js";

/** Events on one page of the journal or of the history. */
export const PAGE_SIZE = 50;
/** Events read by one statement of the CSV export, and the most one export holds. */
const CSV_BATCH = 1000;
const CSV_MAX = 50_000;

/**
 * Decisions the decision API answers about a person are kept with the person as target, and are many: they are the
 * online services' questions, not the person's own history.
 */
const NOT_IN_HISTORY = ["api.decision", "application.read"] as const;

/** The query string's names, in French like the portal's other addresses. */
export const QUERY = ["personne", "service", "action", "du", "au", "page"] as const;
export type JournalQuery = Record<(typeof QUERY)[number], string>;

export type FilterField = "personne" | "service" | "action" | "du" | "au";
export type FilterErrors = Partial<Record<FilterField, FieldError>>;

/** What the reader may see: the whole organization (its RSE), or the services they manage there. */
export type JournalReader = {
  organizationId: number;
  /** null: every service (the RSE); otherwise the services the policy allowed, the only ones the filter offers. */
  managed: q.JournalService[] | null;
  services: q.JournalService[];
};

/**
 * The RSE reads the organization's journal; a local manager or deputy the journal of each service where the policy
 * lets them see the registry. Anyone else is refused, with the policy's reason in the audit log.
 */
export async function openJournal(ctx: Ctx): Promise<JournalReader> {
  const actor = requireUser(ctx.actor);
  const organizationId = actor.organizationId;
  if (can(actor, "journal.viewOrganization", { organizationId }).allowed)
    return { organizationId, managed: null, services: await q.listServices(ctx.db) };
  const managed = await managedServices(ctx);
  const targets = managed.map((service) => ({ service, organizationId }));
  const decisions = await checkServices(ctx, "journal.viewService", targets);
  const allowed = managed.filter((_service, index) => decisions[index]?.allowed);
  if (allowed.length > 0) return { organizationId, managed: allowed, services: allowed };
  const first = targets[0];
  if (first) await authorizeService(ctx, "journal.viewService", first);
  authorize(actor, "journal.viewOrganization", { organizationId });
  throw new AppError("forbidden");
}

// --- Filters and cursor

const USER_CODE = /^[A-Za-z0-9]{7}$/;

export type ReadFilter = {
  filter: q.JournalFilter;
  errors: FilterErrors;
  cursor: q.Cursor | null;
  cursorRefused: boolean;
};

/** The query string's filters, each checked; a bad one is named with its message and nothing is read. */
export function readFilter(
  query: JournalQuery,
  services: readonly q.JournalService[],
  actions: ReadonlySet<string>,
  scopeKey: string,
): ReadFilter {
  const errors: FilterErrors = {};
  const person = query.personne.trim().toUpperCase();
  if (person !== "" && !USER_CODE.test(person)) errors.personne = { key: "journal.personInvalid" };
  const service = query.service === "" ? null : services.find((s) => s.code === query.service);
  if (service === undefined) errors.service = { key: "journal.serviceUnknown" };
  if (query.action !== "" && !actions.has(query.action)) errors.action = { key: "journal.actionUnknown" };
  const from = readDay(query.du.trim(), "du", errors);
  const to = readDay(query.au.trim(), "au", errors);
  if (from !== null && to !== null && to < from) errors.au = { key: "journal.dateOrder" };
  const cursor = query.page === "" ? null : readCursor(query.page, scopeKey);
  return {
    filter: {
      personCode: person === "" ? null : person,
      serviceId: service?.id ?? null,
      action: query.action === "" ? null : query.action,
      from,
      to,
    },
    errors,
    cursor,
    cursorRefused: query.page !== "" && cursor === null,
  };
}

function readDay(value: string, field: "du" | "au", errors: FilterErrors): Day | null {
  if (value === "") return null;
  if (isDay(value)) return value;
  errors[field] = { key: "journal.dateInvalid" };
  return null;
}

const CURSOR = /^([ou][1-9][0-9]{0,15})\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([1-9][0-9]{0,15})$/;

/** A cursor names the journal it was made for: another's (another organization, another person) is refused. */
export function cursorOf(scopeKey: string, row: { at_key: string; id: number }): string {
  return Buffer.from(`${scopeKey}|${row.at_key}|${row.id}`, "utf8").toString("base64url");
}

function readCursor(raw: string, scopeKey: string): q.Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(raw)) return null;
  const match = CURSOR.exec(Buffer.from(raw, "base64url").toString("utf8"));
  if (!match || match[1] !== scopeKey || !match[2] || !match[3]) return null;
  if (Number.isNaN(Date.parse(match[2]))) return null;
  return { at: match[2], id: Number(match[3]) };
}

// --- Pages

export type EventsPage = {
  rows: q.JournalRow[];
  /** The cursor of the next (older) page, when there is one. */
  next: string | null;
};

async function page(
  ctx: Ctx,
  scope: q.JournalScope,
  read: ReadFilter,
  scopeKey: string,
): Promise<EventsPage> {
  const rows = await q.findEventsPage(ctx.db, {
    scope,
    filter: read.filter,
    cursor: read.cursor,
    limit: PAGE_SIZE,
  });
  const shown = rows.slice(0, PAGE_SIZE);
  const last = shown.at(-1);
  return { rows: shown, next: rows.length > PAGE_SIZE && last ? cursorOf(scopeKey, last) : null };
}

function organizationScope(reader: JournalReader): q.JournalScope {
  return {
    kind: "organization",
    organizationId: reader.organizationId,
    serviceIds: reader.managed === null ? null : reader.managed.map((service) => service.id),
  };
}

export function organizationKey(reader: JournalReader): string {
  return `o${reader.organizationId}`;
}

/** One page of the organization's journal, or none when a filter is wrong. */
export async function journalPage(
  ctx: Ctx,
  reader: JournalReader,
  read: ReadFilter,
): Promise<EventsPage | null> {
  if (Object.keys(read.errors).length > 0) return null;
  return page(ctx, organizationScope(reader), read, organizationKey(reader));
}

/** Every event the filters select, newest first, read a batch at a time by the same keyset (up to CSV_MAX). */
export async function journalExport(
  ctx: Ctx,
  reader: JournalReader,
  read: ReadFilter,
): Promise<q.JournalRow[]> {
  const all: q.JournalRow[] = [];
  let cursor: q.Cursor | null = null;
  for (;;) {
    const rows = await q.findEventsPage(ctx.db, {
      scope: organizationScope(reader),
      filter: read.filter,
      cursor,
      limit: CSV_BATCH,
    });
    const batch = rows.slice(0, CSV_BATCH);
    all.push(...batch);
    const last = batch.at(-1);
    if (rows.length <= CSV_BATCH || !last || all.length >= CSV_MAX) return all.slice(0, CSV_MAX);
    cursor = { at: last.at_key, id: last.id };
  }
}

/** « Mon historique »: what was done by or to the person's account, a page at a time. */
export async function historyPage(ctx: Ctx, rawCursor: string): Promise<EventsPage & { refused: boolean }> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "profile.viewHistory", { organizationId: actor.organizationId, userId: actor.userId });
  const scopeKey = `u${actor.userId}`;
  const cursor = rawCursor === "" ? null : readCursor(rawCursor, scopeKey);
  const refused = rawCursor !== "" && cursor === null;
  const read: ReadFilter = {
    filter: { personCode: null, serviceId: null, action: null, from: null, to: null },
    errors: {},
    cursor,
    cursorRefused: refused,
  };
  const scope: q.JournalScope = { kind: "person", userId: actor.userId, excludedActions: NOT_IN_HISTORY };
  return { ...(await page(ctx, scope, read, scopeKey)), refused };
}
