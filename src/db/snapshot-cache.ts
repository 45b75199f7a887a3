// An exact cache of hot reads for a PostgreSQL server that other processes write to as well.
//
// Every transaction that writes a table a decision reads notes its id in registry_change, and one that writes any
// table the pages' hot reads may read, in data_change (migration 0018): a cache watches one of the two. The cache
// keeps the snapshot it was read from (a generation); before a lookup it asks the server whether any transaction
// visible now was not visible in that snapshot. If one was, everything cached is dropped and the generation starts
// again from the snapshot just taken. The question is asked after the lookup arrives, so an answer reflects every
// write that committed before it was asked: never an answer across a write, whichever server wrote.
// One question serves every lookup of a turn of the event loop, and lookups that arrive while it runs share the next
// one: a round trip per turn, not per request; a request's own lookups share its first while this process writes
// nothing (forRequest). A load that finishes after its generation ended is not kept.
// A generation is renewed every few minutes even without change, so that registry_change can be cleared of rows older
// than every snapshot still in use (jobs.ts).
import { type Kysely, sql } from "kysely";
import { TurnBatch } from "../util/turn-batch.js";
import { type ReadCache, setBounded, type WriteEpoch } from "./read-cache.js";
import type { DB } from "./schema.js";

/** The longest a generation lasts without a change; registry_change rows older than a day may go (jobs.ts). */
export const GENERATION_MAX_MS = 5 * 60_000;

/** The tables of noted writers: what decisions read, and what any cached read may read. */
export type ChangeTable = "registry_change" | "data_change";

/**
 * Tables data_change does not watch: only ever appended to, or read only outside any cache. A read through a cache on
 * PostgreSQL must not depend on them (a test checks every other table carries the trigger).
 */
export const UNWATCHED_TABLES = [
  "audit_event",
  "registry_change",
  "data_change",
  "mail_outbox",
  "backchannel_outbox",
  "oidc_payload",
  "sign_in_failure",
  "identification_code_failure",
  "pending_sign_in",
  "webauthn_challenge",
  "step_up_request",
  "schema_migration",
] as const;

export class SnapshotReadCache implements ReadCache {
  readonly #db: Kysely<DB>;
  readonly #changes: ChangeTable;
  readonly #writes: WriteEpoch;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { generation: number; value: unknown }>();
  #generation = 0;
  /** The snapshot the generation was read from (pg_snapshot as text), null before the first check. */
  #snapshot: string | null = null;
  #snapshotAt = 0;
  /** Lookups of one turn share a check; those that come while it runs share the next. */
  readonly #checks = new TurnBatch<undefined, number>(async (group) => {
    const generation = await this.#check();
    for (const each of group) each.resolve(generation);
  });
  /** Round trips made to ask whether anything changed: tests and benchmarks count them. */
  checks = 0;

  /** writes: this process's count of statements that may have written (database.ts); none counted by default. */
  constructor(db: Kysely<DB>, changes: ChangeTable, writes: WriteEpoch = { value: 0 }, maxEntries = 10_000) {
    this.#db = db;
    this.#changes = changes;
    this.#writes = writes;
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.#lookup(this.#checked(), key, load);
  }

  /**
   * A request's lookups share the check made at its first, which came after the request arrived, as long as this
   * process writes nothing meanwhile: after a write of its own (or of another request here), the next lookup asks
   * again, so a request always reads its own writes.
   */
  forRequest(): ReadCache {
    let checked: Promise<number> | undefined;
    let writesSeen = -1;
    return {
      get: (key, load) => {
        if (!checked || writesSeen !== this.#writes.value) {
          writesSeen = this.#writes.value;
          checked = this.#checked();
        }
        return this.#lookup(checked, key, load);
      },
    };
  }

  async #lookup<T>(checked: Promise<number>, key: string, load: () => Promise<T>): Promise<T> {
    const generation = await checked;
    const entry = this.#entries.get(key);
    if (entry && entry.generation === generation) return entry.value as T;
    const value = await load();
    if (generation === this.#generation)
      setBounded(this.#entries, key, { generation, value }, this.#maxEntries);
    return value;
  }

  /** The generation after a check that begins once this call has been made. */
  #checked(): Promise<number> {
    return this.#checks.add(undefined);
  }

  async #check(): Promise<number> {
    const base = this.#snapshot;
    this.checks++;
    const { rows } = await sql<{ snapshot: string; changed: boolean }>`
      select pg_current_snapshot()::text as snapshot,
        exists (
          select 1 from ${sql.table(this.#changes)}
            where xid >= pg_snapshot_xmin(${base}::pg_snapshot)
              and not pg_visible_in_snapshot(xid, ${base}::pg_snapshot)) as changed
    `.execute(this.#db);
    const row = rows[0];
    if (!row) throw new Error("pg_current_snapshot() returned no row");
    const now = Date.now();
    if (base === null || row.changed || now - this.#snapshotAt > GENERATION_MAX_MS) {
      this.#generation++;
      this.#entries.clear();
      this.#snapshot = row.snapshot;
      this.#snapshotAt = now;
    }
    return this.#generation;
  }
}

/**
 * Forgets the transactions noted more than a day ago: every generation in use is younger (GENERATION_MAX_MS), so
 * they are visible in all their snapshots and can no longer count as a change. The server's clock decides, as it
 * wrote the times.
 */
export async function deleteOldChanges(db: Kysely<DB>): Promise<number> {
  let deleted = 0;
  for (const table of ["registry_change", "data_change"] as const) {
    const result = await sql`delete from ${sql.table(table)} where at < now() - interval '1 day'`.execute(db);
    deleted += Number(result.numAffectedRows ?? 0);
  }
  return deleted;
}
