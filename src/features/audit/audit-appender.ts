// Audit records that stand alone (no change of their own to commit with: a decision the API answered) appended with
// a group commit. A record's promise resolves once its row has committed, so an answer is never sent before its
// record is kept; records that arrive while a statement is writing wait for it and go together in the next one. The
// first statement waits for the end of the event loop's turn (setImmediate): the embedded engine answers within the
// call, so without that wait every request of a turn would write alone. At low load a record goes alone at once, as
// a plain insert would; under load, one statement (one commit) serves many requests. A statement that fails is retried record by record, so that one bad record fails only its own request.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { type AuditEntry, insertAuditEvents } from "./audit.queries.js";

/** Rows in one statement at most: well under PostgreSQL's 65,535 parameters (11 per row). */
const MAX_ROWS = 1000;

type Waiting = { entries: readonly AuditEntry[]; resolve: () => void; reject: (error: unknown) => void };

class GroupAppender {
  readonly #db: Kysely<DB>;
  #waiting: Waiting[] = [];
  #writing = false;

  constructor(db: Kysely<DB>) {
    this.#db = db;
  }

  append(entries: readonly AuditEntry[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ entries, resolve, reject });
      if (!this.#writing) {
        this.#writing = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const group = this.#take();
        try {
          await insertAuditEvents(
            this.#db,
            group.flatMap((each) => each.entries),
          );
          for (const each of group) each.resolve();
        } catch (error) {
          if (group.length === 1) group[0]?.reject(error);
          else
            for (const each of group)
              await insertAuditEvents(this.#db, each.entries).then(each.resolve, each.reject);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /** The waiting records, up to MAX_ROWS rows (a single larger request goes alone). */
  #take(): Waiting[] {
    let rows = 0;
    let count = 0;
    for (const each of this.#waiting) {
      if (count > 0 && rows + each.entries.length > MAX_ROWS) break;
      rows += each.entries.length;
      count++;
    }
    return this.#waiting.splice(0, count);
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
