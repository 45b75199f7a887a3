// Opens the database in either mode (embedded PGlite or a PostgreSQL server) and makes both return the same values.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  PGliteDialect,
  PostgresDialect,
  type TransactionSettings,
} from "kysely";
import pg from "pg";
import { Semaphore } from "../util/semaphore.js";
import type { DB } from "./schema.js";

export type DatabaseKind = "pglite" | "postgresql";

/** Runs multi-statement SQL scripts in one transaction (migrations), outside Kysely. */
export type ScriptRunner = {
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
  exec(script: string): Promise<void>;
};

export type Database = {
  db: Kysely<DB>;
  kind: DatabaseKind;
  inTransactionScript<T>(work: (runner: ScriptRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** postgres://… to use a server; absent for embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; absent (or "memory") for an in-memory database. */
  dataDir?: string | undefined;
  /** PostgreSQL schema to work in (tests isolate themselves this way). */
  schema?: string | undefined;
  poolSize?: number | undefined;
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

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const dataDir = options.dataDir && options.dataDir !== "memory" ? options.dataDir : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    parsers: {
      [OID.int8]: (text: string) => parseInt8(text),
      [OID.bytea]: (text: string) => parseBytea(text),
      [OID.date]: parseDate,
    },
  });
  const dialect = new SerializedPGliteDialect({ pglite });
  const db = new Kysely<DB>({ dialect });
  return {
    db,
    kind: "pglite",
    // The script holds the same lock as Kysely's connection, so it never interleaves with queries.
    inTransactionScript: (work) =>
      dialect.lock.run(() =>
        pglite.transaction((tx) =>
          work({
            query: async <R>(sql: string, params?: unknown[]) => (await tx.query<R>(sql, params)).rows,
            exec: async (script) => {
              await tx.exec(script);
            },
          }),
        ),
      ),
    close: () => db.destroy(),
  };
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
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: "postgresql",
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
    close: () => db.destroy(),
  };
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

/**
 * Kysely's PGlite driver hands the one connection to every caller at once, so a query from one request
 * would run inside another request's open transaction. This wrapper makes the connection exclusive.
 */
class SerializedPGliteDialect extends PGliteDialect {
  /** PGlite has a single connection, so each query or transaction takes it in turn. */
  readonly lock = new Semaphore(1);

  override createDriver(): Driver {
    return new SerializedDriver(super.createDriver(), this.lock);
  }
}

class SerializedDriver implements Driver {
  readonly #inner: Driver;
  readonly #lock: Semaphore;
  readonly #releases = new WeakMap<DatabaseConnection, (() => void)[]>();

  constructor(inner: Driver, lock: Semaphore) {
    this.#inner = inner;
    this.#lock = lock;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#lock.acquire();
    try {
      const connection = await this.#inner.acquireConnection();
      const stack = this.#releases.get(connection) ?? [];
      stack.push(release);
      this.#releases.set(connection, stack);
      return connection;
    } catch (error) {
      release();
      throw error;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.#inner.releaseConnection(connection);
    this.#releases.get(connection)?.shift()?.();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
