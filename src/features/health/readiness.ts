// Is this instance ready for traffic: its migrations applied, its database answering, and each service it is
// configured with (the S3 bucket, Redis) answering. Each check runs at once, within its own time limit.
import { sql } from "kysely";
import type { Database } from "../../db/database.js";
import { pendingMigrations } from "../../db/migrate.js";
import type { FileStore } from "../../storage/file-store.js";

export const CHECK_TIMEOUT_MS = 2000;

/** ok; pending (migrations not applied); unreachable (an error or no answer in time); unknown (the database is not). */
export type CheckState = "ok" | "pending" | "unreachable" | "unknown";

export type Readiness = {
  ready: boolean;
  /** The checks that are not ok, by name. */
  notReady: string[];
  checks: Record<string, CheckState>;
};

type Check = { name: string; run(signal: AbortSignal): Promise<CheckState> };

function withinTime<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    }),
  ]);
}

export type ReadinessSources = {
  database: Database;
  /** The file store, checked when it is a remote one (S3). */
  store: FileStore;
  /** The rate limits' shared store, when REDIS_URL is set: it must answer PING. */
  redis?: { ping(): Promise<unknown> } | undefined;
  onError(check: string, error: unknown): void;
};

/** Builds the check; once the migrations are all applied they stay so, and are not read again. */
export function readinessCheck(sources: ReadinessSources): () => Promise<Readiness> {
  const { database, store, redis, onError } = sources;
  let migrated = false;
  const databaseAnswers: Check = {
    name: "database",
    run: async (signal) => {
      await withinTime(sql`select 1`.execute(database.db), signal);
      return "ok";
    },
  };
  const migrations: Check = {
    name: "migrations",
    run: async (signal) => {
      if (migrated) return "ok";
      const pending = await withinTime(pendingMigrations(database), signal);
      migrated = pending.length === 0;
      return migrated ? "ok" : "pending";
    },
  };
  const checks: Check[] = [databaseAnswers, migrations];
  if (store.kind === "s3") {
    checks.push({
      name: "s3",
      run: async (signal) => {
        await withinTime(store.ready(signal), signal);
        return "ok";
      },
    });
  }

  if (redis) {
    checks.push({
      name: "redis",
      run: async (signal) => {
        await withinTime(redis.ping(), signal);
        return "ok";
      },
    });
  }

  return async () => {
    const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
    const states = await Promise.all(
      checks.map((check) =>
        check.run(signal).catch((error: unknown): CheckState => {
          onError(check.name, error);
          return "unreachable";
        }),
      ),
    );
    const result: Record<string, CheckState> = {};
    checks.forEach((check, i) => {
      result[check.name] = states[i] ?? "unknown";
    });
    // Whether migrations are applied cannot be known from a database that does not answer.
    if (result.database !== "ok" && result.migrations === "unreachable") result.migrations = "unknown";
    const notReady = checks.map((check) => check.name).filter((name) => result[name] !== "ok");
    return { ready: notReady.length === 0, notReady, checks: result };
  };
}
