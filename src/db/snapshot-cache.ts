// An exact cache of what decisions read, for a PostgreSQL server that other processes write to as well.
//
// Every transaction that writes a table a decision reads notes its id in registry_change (migration 0017). The cache
// keeps the snapshot it was read from (a generation); before a lookup it asks the server whether any transaction
// visible now was not visible in that snapshot. If one was, everything cached is dropped and the generation starts
// again from the snapshot just taken. The question is asked after the lookup arrives, so an answer reflects every
// write that committed before it was asked: never an answer across a write, whichever server wrote.
// One question serves every lookup of a turn of the event loop, and lookups that arrive while it runs share the next
// one: a round trip per turn, not per request; a request's own lookups share its first (forRequest). A load that finishes after its generation ended is not kept.
// A generation is renewed every few minutes even without change, so that registry_change can be cleared of rows older
// than every snapshot still in use (jobs.ts).
import { type Kysely, sql } from "kysely";
import { type ReadCache, setBounded } from "./read-cache.js";
import type { DB } from "./schema.js";

/** The longest a generation lasts without a change; registry_change rows older than a day may go (jobs.ts). */
export const GENERATION_MAX_MS = 5 * 60_000;

type Waiting = { resolve: (generation: number) => void; reject: (error: unknown) => void };

export class SnapshotReadCache implements ReadCache {
  readonly #db: Kysely<DB>;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { generation: number; value: unknown }>();
  #generation = 0;
  /** The snapshot the generation was read from (pg_snapshot as text), null before the first check. */
  #snapshot: string | null = null;
  #snapshotAt = 0;
  #waiting: Waiting[] = [];
  #checking = false;
  /** Round trips made to ask whether anything changed: tests and benchmarks count them. */
  checks = 0;

  constructor(db: Kysely<DB>, maxEntries = 10_000) {
    this.#db = db;
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.#lookup(this.#checked(), key, load);
  }

  forRequest(): ReadCache {
    let checked: Promise<number> | undefined;
    return {
      get: (key, load) => {
        checked ??= this.#checked();
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
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (!this.#checking) {
        this.#checking = true;
        setImmediate(() => void this.#run());
      }
    });
  }

  async #run(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0);
        try {
          const generation = await this.#check();
          for (const each of group) each.resolve(generation);
        } catch (error) {
          for (const each of group) each.reject(error);
        }
      }
    } finally {
      this.#checking = false;
    }
  }

  async #check(): Promise<number> {
    const base = this.#snapshot;
    this.checks++;
    const { rows } = await sql<{ snapshot: string; changed: boolean }>`
      select pg_current_snapshot()::text as snapshot,
        exists (
          select 1 from registry_change
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
export async function deleteOldRegistryChanges(db: Kysely<DB>): Promise<number> {
  const result = await sql`delete from registry_change where at < now() - interval '1 day'`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
