// Queues an email in the caller's transaction; the worker delivers it later, so a rollback sends nothing.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { insertOutboxMail, type OutgoingMail } from "./outbox.queries.js";

export type { OutgoingMail };

export function queueMail(db: Kysely<DB>, mail: OutgoingMail, now: Date): Promise<number> {
  return insertOutboxMail(db, mail, now);
}
