// Opens the database in either mode (embedded PGlite or a PostgreSQL server) and makes both return the same values.
import { appendFileSync, mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  InsertQueryNode,
  Kysely,
  PGliteDialect,
  PostgresDialect,
  type PostgresDialectConfig,
  type QueryResult,
  RawNode,
  SelectQueryNode,
  type TransactionSettings,
} from "kysely";
import pg from "pg";
import { Semaphore } from "../util/semaphore.js";
import { EngineConnection, PreparedStatements } from "./engine-driver.js";
import { EpochReadCache, type ReadCache, type WriteEpoch } from "./read-cache.js";
import type { DB } from "./schema.js";
import { SnapshotReadCache } from "./snapshot-cache.js";

export type DatabaseKind = "pglite" | "postgresql";

/** Runs multi-statement SQL scripts in one transaction (migrations), outside Kysely. */
export type ScriptRunner = {
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
  exec(script: string): Promise<void>;
};

export type Database = {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Hot reads that may be served from memory without ever being stale (read-cache.ts; snapshot-cache.ts on PostgreSQL). */
  readCache: ReadCache;
  /**
   * What decisions read (the registry, subjects, clients), served from memory and never stale: the read cache on the
   * embedded database, and on PostgreSQL a cache that asks the server whether the registry changed (snapshot-cache.ts).
   */
  registryCache: ReadCache;
  inTransactionScript<T>(work: (runner: ScriptRunner) => Promise<T>): Promise<T>;
  /** Connections busy now and requests waiting for one (the embedded engine: its one connection, taken in turn). */
  pool(): PoolUse;
  close(): Promise<void>;
};

export type PoolUse = { inUse: number; waiting: number };

export type DatabaseOptions = {
  /** postgres://… to use a server; absent for embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; absent (or "memory") for an in-memory database. */
  dataDir?: string | undefined;
  /** PostgreSQL schema to work in (tests isolate themselves this way). */
  schema?: string | undefined;
  poolSize?: number | undefined;
  /** An embedded engine already open in this process, to share: the database then works in `schema` on it. */
  engine?: PGlite | undefined;
};

const OID = { int8: 20, bytea: 17, date: 1082 } as const;

/** int8 comes back as a JS number in both modes; a value beyond 2^53 is an error, never a silent rounding. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value out of safe range: ${text}`);
  return value;
}

/** bytea in text form (\x0102…) comes back as a Buffer in both modes. */
export function parseBytea(text: string): Buffer {
  return Buffer.from(text.startsWith("\\x") ? text.slice(2) : text, "hex");
}

/** date stays a 'YYYY-MM-DD' string: a calendar day has no time zone. */
const parseDate = (text: string): string => text;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

/**
 * Opens an embedded engine that returns the same values as the server mode; an absent dataDir keeps it in memory.
 * template: a new engine's data directory as PGlite's dumpDataDir wrote it, loaded instead of running initdb (seconds
 * of WebAssembly at every start; the tests start one engine per process, test/support/engine-template.ts).
 */
export async function createEngine(dataDir?: string, template?: Blob): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    ...(template ? { loadDataDir: template } : {}),
    parsers: {
      [OID.int8]: (text: string) => parseInt8(text),
      [OID.bytea]: (text: string) => parseBytea(text),
      [OID.date]: parseDate,
    },
  });
  // The engine's databases keep an exact cache of their own (read-cache.ts): the triggers that note writers for a
  // server's caches (migration 0018, snapshot-cache.ts) have nothing to do here.
  await pglite.exec("set guichet.note_changes = 'off'");
  noteEngineCreated();
  return pglite;
}

/**
 * What the databases opened on one engine share: its single connection, taken in turn, and the search_path that the
 * connection was last given (each database on a shared engine works in its own schema), the write epoch of their
 * read caches, and the statements kept prepared in the engine's one session (engine-driver.ts).
 */
type EngineTurn = {
  lock: Semaphore;
  searchPath: string | undefined;
  epoch: WriteEpoch;
  prepared: PreparedStatements;
};
const turns = new WeakMap<PGlite, EngineTurn>();

function turnOf(pglite: PGlite): EngineTurn {
  let turn = turns.get(pglite);
  if (!turn) {
    turn = {
      lock: new Semaphore(1),
      searchPath: undefined,
      epoch: { value: 0 },
      prepared: new PreparedStatements(),
    };
    turns.set(pglite, turn);
  }
  return turn;
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const owned = options.engine === undefined;
  const pglite =
    options.engine ??
    (await createEngine(options.dataDir && options.dataDir !== "memory" ? options.dataDir : undefined));
  const turn = turnOf(pglite);
  const schema = options.schema;
  /** Points the connection at this database's schema, if another database on the engine moved it. */
  const enterSchema = async () => {
    if (schema === undefined || turn.searchPath === schema) return;
    await pglite.exec(`set search_path to ${quoteIdent(schema)}`);
    turn.searchPath = schema;
  };
  if (schema !== undefined) {
    await turn.lock.run(async () => {
      await pglite.exec(`create schema if not exists ${quoteIdent(schema)}`);
      await enterSchema();
    });
  }
  const readCache = new EpochReadCache(turn.epoch);
  const dialect = new SerializedPGliteDialect(pglite, { turn, cache: readCache, enterSchema, owned });
  const db = new Kysely<DB>({ dialect });
  return {
    db,
    kind: "pglite",
    readCache,
    registryCache: readCache,
    // The script holds the same lock as Kysely's connection, so it never interleaves with queries.
    inTransactionScript: (work) =>
      turn.lock.run(async () => {
        await enterSchema();
        readCache.written();
        try {
          return await pglite.transaction((tx) =>
            work({
              query: async <R>(sql: string, params?: unknown[]) => (await tx.query<R>(sql, params)).rows,
              exec: async (script) => {
                await tx.exec(script);
              },
            }),
          );
        } finally {
          readCache.written();
        }
      }),
    pool: () => ({ inUse: turn.lock.held, waiting: turn.lock.waiting }),
    close: () => {
      readCache.written();
      return db.destroy();
    },
  };
}

/**
 * Each embedded engine is a WebAssembly instance; V8 has been seen to abort a process that creates and frees many
 * (nodejs/node#64500). With GUICHET_ENGINE_LOG naming a file, each engine created appends one line (the process id),
 * so that a run can count them (npm run test:soak).
 */
function noteEngineCreated(): void {
  const log = process.env.GUICHET_ENGINE_LOG;
  if (log) appendFileSync(log, `${process.pid}\n`);
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const typeParsers = {
    getTypeParser(oid: number, format?: "text" | "binary") {
      if (oid === OID.int8) return parseInt8;
      if (oid === OID.date) return parseDate;
      return format === "binary"
        ? pg.types.getTypeParser(oid, "binary")
        : pg.types.getTypeParser(oid, "text");
    },
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: typeParsers,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  if (options.schema) {
    const client = await pool.connect();
    try {
      await client.query(`create schema if not exists ${quoteIdent(options.schema)}`);
    } finally {
      client.release();
    }
  }
  const writes: WriteEpoch = { value: 0 };
  const db = new Kysely<DB>({ dialect: new WatchedPostgresDialect({ pool }, writes) });
  return {
    db,
    kind: "postgresql",
    readCache: new SnapshotReadCache(db, "data_change", writes, 10_000, "reference_change"),
    registryCache: new SnapshotReadCache(db, "registry_change", writes),
    inTransactionScript: async (work) => {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await work({
          query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
          exec: async (script) => {
            await client.query(script);
          },
        });
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    pool: () => ({ inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

function unwrap(connection: DatabaseConnection): EngineConnection {
  const inner = innerOf(connection);
  if (!(inner instanceof EngineConnection)) throw new Error("not a connection of the embedded engine");
  return inner;
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

/**
 * The engine has a single connection: each query or transaction takes it in turn (Kysely's own PGlite driver hands it
 * to every caller at once, so a query from one request would run inside another request's open transaction), and
 * each statement is one call into the engine (engine-driver.ts).
 */
class SerializedPGliteDialect extends PGliteDialect {
  readonly #pglite: PGlite;
  readonly #shared: DriverSharing;

  constructor(pglite: PGlite, shared: DriverSharing) {
    super({ pglite });
    this.#pglite = pglite;
    this.#shared = shared;
  }

  override createDriver(): Driver {
    return new SerializedDriver(this.#pglite, this.#shared);
  }
}

type DriverSharing = {
  /** PGlite has a single connection, so each query or transaction takes it in turn. */
  turn: EngineTurn;
  cache: EpochReadCache;
  enterSchema: () => Promise<void>;
  /** Only the database that created its engine closes it; one on a shared engine leaves it to the others. */
  owned: boolean;
};

/**
 * An INSERT into the audit log alone (no WITH, no ON CONFLICT, no RETURNING): it adds a row that no cached read ever
 * reads (read-cache.ts), so it leaves the cache as it was. In a transaction, the commit moves the epoch all the same.
 */
function isAuditAppend(node: CompiledQuery["query"]): boolean {
  return (
    InsertQueryNode.is(node) &&
    node.into?.table.identifier.name === AUDIT_TABLE &&
    node.with === undefined &&
    node.onConflict === undefined &&
    node.returning === undefined
  );
}

const AUDIT_TABLE = "audit_event";

/**
 * A plain read changes nothing; anything else (a write, DDL, a raw statement that is not a SELECT) may. A SELECT with
 * a WITH may hold an INSERT, UPDATE or DELETE, so it counts as a write: clearing the cache once too often costs a read.
 */
function mayWrite(query: CompiledQuery): boolean {
  if (SelectQueryNode.is(query.query)) return query.query.with !== undefined;
  if (isAuditAppend(query.query)) return false;
  if (RawNode.is(query.query)) return !/^\s*select\b/i.test(query.sql);
  return true;
}

/** Tells the read cache about every statement that may write, before it runs and once it has run. */
class WatchedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    readonly written: () => void,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!mayWrite(query)) return this.inner.executeQuery<R>(query);
    this.written();
    try {
      return await this.inner.executeQuery<R>(query);
    } finally {
      this.written();
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    if (mayWrite(query)) this.written();
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof WatchedConnection ? connection.inner : connection;
}

/**
 * PostgreSQL's driver, counting the writes this process makes (every statement that may write, and every commit), so
 * that a request's view of the snapshot caches knows when to ask the server again (snapshot-cache.ts, forRequest).
 */
class WatchedPostgresDialect extends PostgresDialect {
  readonly #writes: WriteEpoch;

  constructor(config: PostgresDialectConfig, writes: WriteEpoch) {
    super(config);
    this.#writes = writes;
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    const written = () => {
      this.#writes.value++;
    };
    return {
      init: () => inner.init(),
      acquireConnection: async () => new WatchedConnection(await inner.acquireConnection(), written),
      beginTransaction: (connection, settings) => inner.beginTransaction(innerOf(connection), settings),
      commitTransaction: async (connection) => {
        try {
          await inner.commitTransaction(innerOf(connection));
        } finally {
          written();
        }
      },
      rollbackTransaction: (connection) => inner.rollbackTransaction(innerOf(connection)),
      savepoint: (connection, name, compile) =>
        inner.savepoint?.(innerOf(connection), name, compile) ?? Promise.resolve(),
      rollbackToSavepoint: (connection, name, compile) =>
        inner.rollbackToSavepoint?.(innerOf(connection), name, compile) ?? Promise.resolve(),
      releaseSavepoint: (connection, name, compile) =>
        inner.releaseSavepoint?.(innerOf(connection), name, compile) ?? Promise.resolve(),
      releaseConnection: (connection) => inner.releaseConnection(innerOf(connection)),
      destroy: () => inner.destroy(),
    };
  }
}

class SerializedDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #connection: EngineConnection;
  readonly #shared: DriverSharing;
  readonly #cache: EpochReadCache;
  #release: (() => void) | undefined;

  constructor(pglite: PGlite, shared: DriverSharing) {
    this.#pglite = pglite;
    this.#connection = new EngineConnection(pglite, shared.turn.prepared);
    this.#shared = shared;
    this.#cache = shared.cache;
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#shared.turn.lock.acquire();
    try {
      await this.#shared.enterSchema();
      this.#release = release;
      const cache = this.#cache;
      return new WatchedConnection(this.#connection, () => cache.written());
    } catch (error) {
      release();
      throw error;
    }
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return unwrap(connection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await unwrap(connection).commit();
    } finally {
      this.#cache.written();
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await unwrap(connection).rollback();
    } finally {
      this.#cache.written();
    }
  }

  async destroy(): Promise<void> {
    if (this.#shared.owned) await this.#pglite.close();
  }
}
