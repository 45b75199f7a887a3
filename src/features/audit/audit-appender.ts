// Audit records that stand alone (no change of their own to commit with: a decision the API answered) appended with
// a group commit. A record's promise resolves once its row has committed, so an answer is never sent before its
// record is kept; records that arrive while a statement is writing wait for it and go together in the next one. The
// first statement waits for the end of the event loop's turn (util/turn-batch.ts): the embedded engine answers within
// the call, so without that wait every request of a turn would write alone. At low load a record goes alone at once, as
// a plain insert would; under load, one statement (one commit) serves many requests. A statement that fails is retried record by record, so that one bad record fails only its own request.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { TurnBatch, type Waiter } from "../../util/turn-batch.js";
import { type AuditEntry, insertAuditEvents } from "./audit.queries.js";

/** Rows in one statement at most: well under PostgreSQL's 65,535 parameters (11 per row). */
const MAX_ROWS = 1000;

/** The waiting records, up to MAX_ROWS rows (a single larger request goes alone). */
function rowsUpToMax(waiting: readonly Waiter<readonly AuditEntry[], void>[]): number {
  let rows = 0;
  let count = 0;
  for (const each of waiting) {
    if (count > 0 && rows + each.item.length > MAX_ROWS) break;
    rows += each.item.length;
    count++;
  }
  return count;
}

class GroupAppender {
  readonly #batch: TurnBatch<readonly AuditEntry[], void>;

  constructor(db: Kysely<DB>) {
    this.#batch = new TurnBatch(async (group) => {
      try {
        await insertAuditEvents(
          db,
          group.flatMap((each) => each.item),
        );
        for (const each of group) each.resolve();
      } catch (error) {
        if (group.length === 1) group[0]?.reject(error);
        else for (const each of group) await insertAuditEvents(db, each.item).then(each.resolve, each.reject);
      }
    }, rowsUpToMax);
  }

  append(entries: readonly AuditEntry[]): Promise<void> {
    return this.#batch.add(entries);
  }
}

const appenders = new WeakMap<Kysely<DB>, GroupAppender>();

/**
 * Appends stand-alone records, resolved once committed. Inside a transaction the records belong to its change, so
 * they are written there and then, with it.
 */
export async function appendAudit(db: Kysely<DB>, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (db.isTransaction) return insertAuditEvents(db, entries);
  let appender = appenders.get(db);
  if (!appender) {
    appender = new GroupAppender(db);
    appenders.set(db, appender);
  }
  return appender.append(entries);
}
