// A cache of hot reads (the session behind a cookie, the services of a user) that can never serve a stale answer.
//
// It is only switched on for the embedded database, where this process is the only writer and every statement
// passes through one serialized connection. Any statement other than a plain SELECT, and every commit or rollback,
// moves the write epoch on; an entry is served only while the epoch it was read at is still current. A write that
// commits while a read is waiting for the connection also moves the epoch, so that read is stored already stale,
// and the next lookup goes to the database again. Coarse, since any write empties it, but exact.
// Databases that share one engine (schemas of the test processes, or a second connection in a test) share its epoch:
// a write through any of them makes every cache on that engine stale, as a write on one connection would.
// One table is left out: the audit log, which is only ever appended to and never read through a cache, so that an
// answer that writes its audit record does not empty the cache for the next (see database.ts, mayWrite).
// With a PostgreSQL server other processes may write, so this cache is not used there: snapshot-cache.ts asks the
// server, once per turn of the event loop, whether anything was written since its entries were read.

import type { Expression } from "kysely";

/**
 * What an entry depends on: any table (data), or only the reference tables (the catalogue of services, organizations
 * and ministries' units, transfer recipients and their staff, program forms), which change rarely: an entry of the
 * reference scope outlives writes to every other table where the cache can tell them apart (snapshot-cache.ts).
 */
export type CacheScope = "data" | "reference";

export interface ReadCache {
  /** The value under key, as read at the current write epoch; load() otherwise. */
  get<T>(key: string, load: () => Promise<T>, scope?: CacheScope): Promise<T>;
  /**
   * A view for the lookups of one request, when finding out whether the cache is current costs a round trip: made
   * once, at its first lookup, which is after the request arrived. Absent where that costs nothing.
   */
  forRequest?(): ReadCache;
  /**
   * A request's first lookup, sent in the same statement as the check where finding out whether the cache is current
   * costs a round trip (a request's view of snapshot-cache.ts): the first row `query` selects, as JSON given to
   * `decode`, or undefined. The row is read whether or not the cache held it, and kept in the data scope. Absent
   * elsewhere: use get.
   */
  getWithCheck?<R>(
    key: string,
    query: Expression<unknown>,
    decode: (json: unknown) => R,
  ): Promise<R | undefined>;
}

/** The cache as one request should use it (see ReadCache.forRequest). */
export function requestView(cache: ReadCache): ReadCache {
  return cache.forRequest?.() ?? cache;
}

export const PASS_THROUGH: ReadCache = {
  get: (_key, load) => load(),
};

type Entry = { epoch: number; value: unknown };

/** Sets an entry of a cache that holds at most `max`, forgetting the oldest first. */
export function setBounded<V>(entries: Map<string, V>, key: string, value: V, max: number): void {
  if (entries.size >= max) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  entries.set(key, value);
}

/** The write epoch of one engine, shared by the caches of every database on it. */
export type WriteEpoch = { value: number };

export class EpochReadCache implements ReadCache {
  readonly #shared: WriteEpoch;
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(epoch: WriteEpoch = { value: 0 }, maxEntries = 10_000) {
    this.#shared = epoch;
    this.#maxEntries = maxEntries;
  }

  get #epoch(): number {
    return this.#shared.value;
  }

  /** Called by the database driver on every statement that may write, and on every commit or rollback. */
  written(): void {
    this.#shared.value++;
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry && entry.epoch === this.#epoch) return entry.value as T;
    const epoch = this.#epoch;
    const value = await load();
    if (epoch === this.#epoch) setBounded(this.#entries, key, { epoch, value }, this.#maxEntries);
    return value;
  }
}
