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
import { type Expression, type Kysely, sql } from "kysely";
import { TurnBatch } from "../util/turn-batch.js";
import { type CacheScope, type ReadCache, setBounded, type WriteEpoch } from "./read-cache.js";
import type { DB } from "./schema.js";

/** The longest a generation lasts without a change; registry_change rows older than a day may go (jobs.ts). */
export const GENERATION_MAX_MS = 5 * 60_000;

/** The tables of noted writers: what decisions read, and what any cached read may read. */
export type ChangeTable = "registry_change" | "data_change" | "reference_change";

/**
 * Tables data_change does not watch: only ever appended to, or read only outside any cache. A read through a cache on
 * PostgreSQL must not depend on them (a test checks every other table carries the trigger).
 */
export const UNWATCHED_TABLES = [
  "audit_event",
  "registry_change",
  "data_change",
  "reference_change",
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

/** One scope's entries, valid while its generation lasts, and the snapshot that generation was read from. */
class Generation {
  readonly entries = new Map<string, { generation: number; value: unknown }>();
  number = 0;
  /** pg_snapshot as text, null before the first check. */
  snapshot: string | null = null;
  at = 0;

  constructor(readonly changes: ChangeTable) {}

  /** Starts a new generation when the check found a change, or when it is the first or too old. */
  advance(snapshot: string, changed: boolean, now: number): boolean {
    if (this.snapshot === null || changed || now - this.at > GENERATION_MAX_MS) {
      this.number++;
      this.entries.clear();
      this.snapshot = snapshot;
      this.at = now;
      return true;
    }
    return false;
  }
}

export class SnapshotReadCache implements ReadCache {
  readonly #db: Kysely<DB>;
  readonly #writes: WriteEpoch;
  readonly #maxEntries: number;
  readonly #data: Generation;
  /** The reference scope's own generation, when the cache has one; otherwise its entries are data. */
  readonly #reference: Generation | undefined;
  /** Lookups of one turn share a check; those that come while it runs share the next. */
  readonly #checks = new TurnBatch<undefined, void>(async (group) => {
    await this.#check();
    for (const each of group) each.resolve();
  });
  /** Round trips made to ask whether anything changed: tests and benchmarks count them. */
  checks = 0;

  /**
   * writes: this process's count of statements that may have written (database.ts); none counted by default.
   * reference: the table of noted writers of the reference tables, for entries of the reference scope; one check asks
   * about both tables.
   */
  constructor(
    db: Kysely<DB>,
    changes: ChangeTable,
    writes: WriteEpoch = { value: 0 },
    maxEntries = 10_000,
    reference?: ChangeTable,
  ) {
    this.#db = db;
    this.#writes = writes;
    this.#maxEntries = maxEntries;
    this.#data = new Generation(changes);
    this.#reference = reference ? new Generation(reference) : undefined;
  }

  get size(): number {
    return this.#data.entries.size + (this.#reference?.entries.size ?? 0);
  }

  get<T>(key: string, load: () => Promise<T>, scope: CacheScope = "data"): Promise<T> {
    return this.#lookup(this.#checked(), key, load, scope);
  }

  /**
   * A request's lookups share the check made at its first, which came after the request arrived, as long as this
   * process writes nothing meanwhile: after a write of its own (or of another request here), the next lookup asks
   * again, so a request always reads its own writes.
   */
  forRequest(): ReadCache {
    let checked: Promise<void> | undefined;
    let writesSeen = -1;
    return {
      get: (key, load, scope = "data") => {
        if (!checked || writesSeen !== this.#writes.value) {
          writesSeen = this.#writes.value;
          checked = this.#checked();
        }
        return this.#lookup(checked, key, load, scope);
      },
      getWithCheck: async <R>(key: string, query: Expression<unknown>, decode: (json: unknown) => R) => {
        if (checked && writesSeen === this.#writes.value) {
          const row = await this.#lookup(checked, key, async () => (await this.#rider(query)).rider, "data");
          return row === null ? undefined : decode(row);
        }
        writesSeen = this.#writes.value;
        const done = this.#check(query);
        checked = done.then(() => undefined);
        // A failed check fails this lookup (below) and every later one of the request that awaits it; none is left
        // unhandled when the request ends at the first.
        checked.catch(() => undefined);
        const { rider, generation } = await done;
        if (generation !== undefined)
          setBounded(this.#data.entries, key, { generation, value: rider }, this.#maxEntries);
        return rider === null ? undefined : decode(rider);
      },
    };
  }

  /** The first row of a query, as JSON (null when none). */
  async #rider(query: Expression<unknown>): Promise<{ rider: unknown }> {
    const { rows } = await sql<{
      rider: unknown;
    }>`select (select to_jsonb(r) from (${query}) r limit 1) as rider`.execute(this.#db);
    return { rider: rows[0]?.rider ?? null };
  }

  async #lookup<T>(
    checked: Promise<void>,
    key: string,
    load: () => Promise<T>,
    scope: CacheScope,
  ): Promise<T> {
    await checked;
    const of = (scope === "reference" && this.#reference) || this.#data;
    const generation = of.number;
    const entry = of.entries.get(key);
    if (entry && entry.generation === generation) return entry.value as T;
    const value = await load();
    if (generation === of.number) setBounded(of.entries, key, { generation, value }, this.#maxEntries);
    return value;
  }

  /** Resolves once a check that begins after this call has been made has ended. */
  #checked(): Promise<void> {
    return this.#checks.add(undefined);
  }

  /**
   * Asks whether anything changed since each scope's snapshot, and moves the generations on. With a rider, the same
   * statement also reads the first row of that query, in the snapshot the check takes: the data generation it gives
   * is the one that row belongs to.
   */
  async #check(
    riderQuery?: Expression<unknown>,
  ): Promise<{ rider: unknown; generation: number | undefined }> {
    this.checks++;
    const before = this.#data.number;
    const changedSince = (of: Generation) => sql<boolean>`exists (
      select 1 from ${sql.table(of.changes)}
        where xid >= pg_snapshot_xmin(${of.snapshot}::pg_snapshot)
          and not pg_visible_in_snapshot(xid, ${of.snapshot}::pg_snapshot))`;
    const reference = this.#reference;
    const { rows } = await sql<{
      snapshot: string;
      changed: boolean;
      reference_changed: boolean | null;
      rider: unknown;
    }>`
      select pg_current_snapshot()::text as snapshot, ${changedSince(this.#data)} as changed,
        ${reference ? changedSince(reference) : sql<null>`null`} as reference_changed,
        ${riderQuery ? sql`(select to_jsonb(r) from (${riderQuery}) r limit 1)` : sql<null>`null`} as rider
    `.execute(this.#db);
    const row = rows[0];
    if (!row) throw new Error("pg_current_snapshot() returned no row");
    const now = Date.now();
    const renewed = this.#data.advance(row.snapshot, row.changed, now);
    reference?.advance(row.snapshot, row.reference_changed === true, now);
    // Another check that ended meanwhile may have started a generation from a later snapshot than this row's: then
    // the row is not kept.
    const generation = this.#data.number === before + (renewed ? 1 : 0) ? this.#data.number : undefined;
    return { rider: row.rider ?? null, generation };
  }
}

/**
 * Forgets the transactions noted more than a day ago: every generation in use is younger (GENERATION_MAX_MS), so
 * they are visible in all their snapshots and can no longer count as a change. The server's clock decides, as it
 * wrote the times.
 */
export async function deleteOldChanges(db: Kysely<DB>): Promise<number> {
  let deleted = 0;
  for (const table of ["registry_change", "data_change", "reference_change"] as const) {
    const result = await sql`delete from ${sql.table(table)} where at < now() - interval '1 day'`.execute(db);
    deleted += Number(result.numAffectedRows ?? 0);
  }
  return deleted;
}
