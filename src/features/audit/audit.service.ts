// Records security events; called inside the transaction of the change it describes.
import type { Kysely } from "kysely";
import type { AuditOutcome, DB } from "../../db/schema.js";
import type { Actor } from "../../policy/actor.js";
import { type AuditEntry, insertAuditEvent } from "./audit.queries.js";

export type AuditContext = { db: Kysely<DB>; actor: Actor; now: Date; ip: string | null };

export type AuditRecord = {
  action: string;
  outcome?: AuditOutcome;
  reason?: string;
  organizationId?: number | null;
  /** The online service it happened in: a manager's journal shows only the events of their services. */
  serviceId?: number | null;
  /** The person it was about, when not the target itself (a target of type « user » is that person). */
  subjectUserId?: number | null;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
  /** Who acted, when it is not yet the context's actor (a sign-in that just succeeded). */
  actedBy?: { userId: number; userCode: string };
};

export async function recordAudit(ctx: AuditContext, record: AuditRecord): Promise<void> {
  await insertAuditEvent(ctx.db, auditEntry(ctx, record));
}

/** The entry a record makes in context, for a statement that writes it along with its change. */
export function auditEntry(ctx: Omit<AuditContext, "db">, record: AuditRecord): AuditEntry {
  return {
    at: ctx.now,
    actorUserId: record.actedBy?.userId ?? (ctx.actor.kind === "user" ? ctx.actor.userId : null),
    actorCode: record.actedBy?.userCode ?? (ctx.actor.kind === "user" ? ctx.actor.userCode : null),
    action: record.action,
    outcome: record.outcome ?? "success",
    reason: record.reason ?? null,
    organizationId: record.organizationId ?? null,
    serviceId: record.serviceId ?? null,
    subjectUserId: record.subjectUserId ?? subjectOfTarget(record),
    targetType: record.targetType ?? null,
    targetId: record.targetId === undefined ? null : String(record.targetId),
    ip: ctx.ip,
    details: record.details ?? {},
  };
}

/** A record about a user account names its person as target; others say whom they are about in subjectUserId. */
function subjectOfTarget(record: AuditRecord): number | null {
  if (record.targetType !== "user" || record.targetId === undefined) return null;
  const id = Number(record.targetId);
  return Number.isSafeInteger(id) ? id : null;
}
