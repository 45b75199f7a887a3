// Reads a database that a server or CLI process keeps on disk, from a child process: the test process opens no engine.
import { execFile } from "node:child_process";
import {
  type Compilable,
  DummyDriver,
  type InferResult,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from "kysely";
import type { DB } from "../../src/db/schema.js";

/** Builds queries for readOffline; it has no connection and runs nothing. */
export const offline = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const CHILD = new URL("./offline-query.ts", import.meta.url).pathname;

/**
 * Runs each query, in order, against the database that `env` configures (DATA_DIR or DATABASE_URL), in a process of its
 * own, and returns each one's rows as JSON gives them back (a timestamp comes back as its ISO text).
 */
export function readOffline<Q extends Record<string, Compilable<unknown>>>(
  env: NodeJS.ProcessEnv,
  queries: Q,
): Promise<{ [K in keyof Q]: InferResult<Q[K]> }> {
  const jobs = Object.entries(queries).map(([name, query]) => ({ name, ...query.compile() }));
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", CHILD],
      { env: { ...env, LOG_LEVEL: "silent" }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`offline query failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout));
      },
    );
    child.stdin?.end(JSON.stringify(jobs));
  });
}
