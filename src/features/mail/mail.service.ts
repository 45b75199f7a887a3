// Queues an email in the caller's transaction; the worker delivers it later, so a rollback sends nothing.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { insertOutboxMail, type OutboxTable, type OutgoingMail, outboxBacklog } from "./outbox.queries.js";

export type { OutgoingMail };

export function queueMail(db: Kysely<DB>, mail: OutgoingMail, now: Date): Promise<number> {
  return insertOutboxMail(db, mail, now);
}

export type Backlog = { outbox: "mail" | "backchannel"; waiting: number; oldestAgeSeconds: number };

const OUTBOX_NAMES: Record<OutboxTable, Backlog["outbox"]> = {
  mail_outbox: "mail",
  backchannel_outbox: "backchannel",
};

/** What each outbox still has to deliver, and how long the oldest of it has waited (0 when nothing waits). */
export async function outboxBacklogs(db: Kysely<DB>, now: Date): Promise<Backlog[]> {
  const rows = await outboxBacklog(db);
  return rows.map((row) => ({
    outbox: OUTBOX_NAMES[row.outbox],
    waiting: row.waiting,
    oldestAgeSeconds: row.oldest ? Math.max(0, now.getTime() - row.oldest.getTime()) / 1000 : 0,
  }));
}
