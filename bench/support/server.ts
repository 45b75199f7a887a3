// A Guichet server for benchmarks: a fresh in-memory PGlite database (or a schema of its own on a PostgreSQL server),
// real argon2 defaults, listening on 127.0.0.1.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { buildApp } from "../../src/app.js";
import { prepareDatabase } from "../../src/bootstrap.js";
import { type Config, loadConfig } from "../../src/config.js";
import { type Database, openDatabase } from "../../src/db/database.js";

export type BenchServer = {
  app: FastifyInstance;
  database: Database;
  config: Config;
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
};

/** Settings a benchmark run may change from its environment, to try alternatives; all others stay at their defaults. */
const PASSED_THROUGH = ["HASH_CONCURRENCY", "ARGON2_MEMORY_KIB", "ARGON2_TIME_COST"] as const;

/** url: a PostgreSQL server to work on, in a schema made for this server and dropped when it closes. */
export async function startBenchServer(options: { url?: string | undefined } = {}): Promise<BenchServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "guichet-bench-"));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    RATE_LIMIT_PER_MINUTE: "1000000",
    SIGN_IN_RATE_LIMIT_PER_MINUTE: "1000000",
    LOG_LEVEL: "silent",
    SEED_DEMO: "false",
  };
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  const config = loadConfig(env);
  const schema = options.url ? `bench_${randomBytes(6).toString("hex")}` : undefined;
  const database = await openDatabase(options.url ? { url: options.url, schema, poolSize: 10 } : {});
  const dropSchema = async () => {
    if (schema) await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
  };
  try {
    await prepareDatabase(database);
    const app = await buildApp({ config, database, logger: false });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("server has no TCP address");
    const { port }: AddressInfo = address;
    return {
      app,
      database,
      config,
      origin: `http://127.0.0.1:${port}`,
      async close() {
        await app.close();
        await dropSchema();
        await database.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await dropSchema();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export type CsrfPair = { cookie: string; token: string };

/** A CSRF secret cookie and a token made for it, read from the sign-in page as a browser would. */
export async function fetchCsrf(origin: string): Promise<CsrfPair> {
  const response = await fetch(`${origin}/connexion`);
  const body = await response.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0] ?? "")
    .find((pair) => /^(__Host-)?guichet_csrf=/.test(pair));
  if (!token || !cookie)
    throw new Error(`no CSRF token or cookie on GET /connexion (status ${response.status})`);
  return { cookie, token };
}
