// Opening the configured database and bringing it up to date: shared by the server, the CLI and the benchmarks.
import { join } from "node:path";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import { ensureProgramForms } from "./features/applications/program-forms.js";
import { ensureCatalogue } from "./features/catalogue/catalogue.service.js";
import { removeUnrecordedFiles } from "./features/file-transfers/file-transfers.service.js";
import { openFileStore } from "./storage/index.js";

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "pglite") });
}

/** Migrates and loads the reference catalogue; returns the migrations applied. */
export async function prepareDatabase(database: Database): Promise<string[]> {
  const applied = await migrate(database);
  await database.db.transaction().execute(async (trx) => {
    await ensureCatalogue(trx);
    await ensureProgramForms(trx, new Date());
  });
  return applied;
}

/** Files left unrecorded this long are no upload's any more: every upload records its file within seconds. */
export const UNRECORDED_GRACE_MS = 3_600_000;

/**
 * Before the server takes uploads: temporary files of uploads cut off by a crash, and stored files that no record
 * names (moved into place, never recorded), are removed; afterwards every stored file has its record. When another
 * server is running on this database (src/server-presence.ts), and may be in the middle of an upload into the same
 * store, only the files left for longer than UNRECORDED_GRACE_MS go; the hourly job removes the rest once that old.
 */
export async function cleanUpFiles(
  config: Config,
  database: Database,
  alone: boolean,
  now: Date,
): Promise<{ temporary: number; orphans: number }> {
  const store = openFileStore(config);
  try {
    return await removeUnrecordedFiles(
      database.db,
      store,
      alone ? undefined : new Date(now.getTime() - UNRECORDED_GRACE_MS),
    );
  } finally {
    store.close();
  }
}
