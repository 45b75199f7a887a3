// Applies migrations/NNNN_name.sql in order, each once, under an advisory lock so two processes never race.
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { Database } from "./database.js";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));
const LOCK_KEY = 4_815_162_342;

export type MigrationFile = { version: number; name: string; path: string };

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return files.map((name) => ({ version: Number(name.slice(0, 4)), name, path: `${dir}${name}` }));
}

/** Returns the names of the migrations it applied. */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await listMigrations(dir);
  return database.inTransactionScript(async (runner) => {
    await runner.query("select pg_advisory_xact_lock($1)", [LOCK_KEY]);
    await runner.exec(
      `create table if not exists schema_migration (
         version integer primary key,
         name text not null,
         applied_at timestamptz not null default now()
       )`,
    );
    const done = new Set(
      (await runner.query<{ version: number }>("select version from schema_migration")).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file.version)) continue;
      await runner.exec(await readFile(file.path, "utf8"));
      await runner.query("insert into schema_migration (version, name) values ($1, $2)", [
        file.version,
        file.name,
      ]);
      applied.push(file.name);
    }
    return applied;
  });
}

/** The migration files not yet applied to the database (all of them on a database never migrated). */
export async function pendingMigrations(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await listMigrations(dir);
  const table = await sql<{
    present: boolean;
  }>`select to_regclass('schema_migration') is not null as present`.execute(database.db);
  if (!table.rows[0]?.present) return files.map((file) => file.name);
  const applied = await sql<{ version: number }>`select version from schema_migration`.execute(database.db);
  const done = new Set(applied.rows.map((row) => row.version));
  return files.filter((file) => !done.has(file.version)).map((file) => file.name);
}
