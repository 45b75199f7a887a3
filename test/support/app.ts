// A Guichet app on a fresh database for one test file: in-memory PGlite, or its own schema on PostgreSQL when DATABASE_URL is set.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import pg from "pg";
import { buildApp } from "../../src/app.js";
import { prepareDatabase } from "../../src/bootstrap.js";
import { type Clock, manualClock } from "../../src/clock.js";
import { type Config, loadConfig } from "../../src/config.js";
import type { Ctx } from "../../src/context.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import type { ThrottleSettings } from "../../src/features/auth/throttle.js";
import type { MailTransport } from "../../src/features/mail/mail.transport.js";
import { type Actor, ANONYMOUS } from "../../src/policy/actor.js";
import { Agent } from "./agent.js";
import { newEngineFromTemplate } from "./engine-template.js";
import { Factories } from "./factories.js";

export type TestClock = ReturnType<typeof manualClock>;

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  config: Config;
  clock: TestClock;
  dataDir: string;
  factories: Factories;
  /** A browser-like client with its own cookies. */
  agent(): Agent;
  /** Signs in through the real form and returns the signed-in client. */
  signIn(userCode: string, password?: string): Promise<Agent>;
  /** A service context for calling services directly. */
  ctx(actor?: Actor): Ctx;
  /** Statements the app has sent to the database so far (counted when started with countStatements). */
  statements(): number;
  close(): Promise<void>;
};

export const TEST_PASSWORD = "Bon-mot-de-passe-42";

let engine: Promise<PGlite> | undefined;

/**
 * The one embedded engine of this test process, never closed. V8 has aborted processes that free WebAssembly engines
 * (nodejs/node#64500: « Check failed: jit_page_->allocations_.erase(addr) == 1 », seen here when an engine was closed at
 * the end of a file), so every test database of the process is a schema on this one, and the engine lives until the
 * process ends. PostgreSQL arms a 10-second statistics timer after each transaction, which would keep a finished
 * test process alive: `npm test` runs with --test-force-exit.
 */
export function processEngine(): Promise<PGlite> {
  engine ??= newEngineFromTemplate();
  return engine;
}

/** A fresh database in the mode the environment asks for, in a schema of its own on the process's engine or server. */
export async function openTestDatabase(): Promise<{
  database: Database;
  schema: string;
  drop(): Promise<void>;
}> {
  const url = process.env.DATABASE_URL;
  const schema = `test_${randomBytes(6).toString("hex")}`;
  const database = url
    ? await openDatabase({ url, schema, poolSize: 5 })
    : await openDatabase({ engine: await processEngine(), schema });
  return {
    database,
    schema,
    drop: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
    },
  };
}

const statementCounters = new Map<string, () => void>();

/** Counts each statement a client of the schema's pool sends (its connections set search_path to the schema). */
function countServerStatements(schema: string, counted: () => void): void {
  if (statementCounters.size === 0) {
    const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const query = prototype.query;
    prototype.query = function (this: { connectionParameters?: { options?: string } }, ...args: unknown[]) {
      const match = /search_path="?([a-z0-9_]+)/.exec(this.connectionParameters?.options ?? "");
      if (match?.[1]) statementCounters.get(match[1])?.();
      return query.apply(this, args);
    };
  }
  statementCounters.set(schema, counted);
}

export async function startTestApp(
  options: {
    env?: Record<string, string>;
    clock?: TestClock | Clock;
    throttle?: Partial<ThrottleSettings>;
    transport?: MailTransport;
    logStream?: NodeJS.WritableStream;
    /** Count every statement the app sends (TestApp.statements). */
    countStatements?: boolean;
  } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), "guichet-test-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    ARGON2_MEMORY_KIB: "1024",
    ARGON2_TIME_COST: "1",
    RATE_LIMIT_PER_MINUTE: "1000000",
    SIGN_IN_RATE_LIMIT_PER_MINUTE: "1000000",
    PUBLIC_URL: "http://guichet.test",
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const opened = await openTestDatabase();
  const { drop } = opened;
  let statements = 0;
  // On PostgreSQL the statements are counted as the driver sends them (a cache's check, and a read sent along with it,
  // are one statement); on the embedded engine, as the app compiles them.
  if (options.countStatements && opened.database.kind === "postgresql")
    countServerStatements(opened.schema, () => statements++);
  const database: Database =
    options.countStatements && opened.database.kind === "pglite"
      ? {
          ...opened.database,
          db: opened.database.db.withPlugin({
            transformQuery: (args) => {
              statements++;
              return args.node;
            },
            transformResult: async (args) => args.result,
          }),
        }
      : opened.database;
  await prepareDatabase(database);
  const clock = (options.clock ?? manualClock("2026-11-22T15:00:00Z")) as TestClock;
  const app = await buildApp({
    config,
    database,
    clock,
    ...(options.logStream ? { logStream: options.logStream } : { logger: false as const }),
    ...(options.throttle ? { throttle: options.throttle } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  await app.ready();
  const factories = new Factories(database.db, app.guichet.services.hasher, clock);
  const agent = () => new Agent(app);
  return {
    app,
    database,
    config,
    clock,
    dataDir,
    factories,
    agent,
    async signIn(userCode, password = TEST_PASSWORD) {
      const client = agent();
      await client.signIn(userCode, password, clock);
      return client;
    },
    statements: () => statements,
    ctx: (actor = ANONYMOUS) => ({
      db: database.db,
      actor,
      now: clock(),
      ip: "127.0.0.1",
      app: app.guichet.services,
    }),
    async close() {
      await app.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
