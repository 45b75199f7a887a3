// SQL for the append-only audit log.

import type { Insertable, Kysely } from "kysely";
import type { AuditEventTable, AuditOutcome, DB } from "../../db/schema.js";
import { type SqlType, typed } from "../../db/typed.js";

export type AuditEntry = {
  at: Date;
  actorUserId: number | null;
  actorCode: string | null;
  action: string;
  outcome: AuditOutcome;
  reason?: string | null;
  organizationId?: number | null;
  /** The online service it happened in, for the organization's journal. */
  serviceId?: number | null;
  /** The person it was about, for their own history and the journal's « whom ». */
  subjectUserId?: number | null;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
};

/** The row of an audit entry, for insertAuditEvent and for statements that write it along with their change. */
export function auditRow(entry: AuditEntry): Insertable<AuditEventTable> {
  return {
    at: entry.at,
    actor_user_id: entry.actorUserId,
    actor_code: entry.actorCode,
    action: entry.action,
    outcome: entry.outcome,
    reason: entry.reason ?? null,
    organization_id: entry.organizationId ?? null,
    service_id: entry.serviceId ?? null,
    subject_user_id: entry.subjectUserId ?? null,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    ip: entry.ip ?? null,
    details: JSON.stringify(entry.details ?? {}),
  };
}

const AUDIT_COLUMN_TYPES = {
  at: "timestamptz",
  actor_user_id: "bigint",
  actor_code: "text",
  action: "text",
  outcome: "text",
  reason: "text",
  organization_id: "bigint",
  service_id: "bigint",
  subject_user_id: "bigint",
  target_type: "text",
  target_id: "text",
  ip: "text",
  details: "jsonb",
} as const satisfies Record<Exclude<keyof ReturnType<typeof auditRow>, "id">, SqlType>;

/**
 * The row of an audit entry as a select list, for an INSERT … SELECT that writes it only when another part of the
 * statement found its row (a sign-in's second step that is still pending, say).
 */
export function auditSelection(entry: AuditEntry) {
  const row = auditRow(entry);
  return AUDIT_COLUMNS.map((column) => typed(row[column], AUDIT_COLUMN_TYPES[column]).as(column));
}

export const AUDIT_COLUMNS = Object.keys(AUDIT_COLUMN_TYPES) as (keyof typeof AUDIT_COLUMN_TYPES)[];

export async function insertAuditEvent(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  await insertAuditEvents(db, [entry]);
}

/** Several entries in one statement: all are written, or none. */
export async function insertAuditEvents(db: Kysely<DB>, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insertInto("audit_event").values(entries.map(auditRow)).execute();
}

export async function findAuditEvents(
  db: Kysely<DB>,
  filter: { action?: string; organizationId?: number; actorUserId?: number; limit?: number },
) {
  let query = db
    .selectFrom("audit_event")
    .selectAll()
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100);
  if (filter.action) query = query.where("action", "=", filter.action);
  if (filter.organizationId) query = query.where("organization_id", "=", filter.organizationId);
  if (filter.actorUserId) query = query.where("actor_user_id", "=", filter.actorUserId);
  return query.execute();
}
