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

/**
 * Before the server takes uploads: temporary files of uploads cut off by a crash, and stored files that no draft or
 * transfer names (moved into place, never recorded), are removed. Afterwards every stored file has its record.
 */
export async function cleanUpFiles(
  config: Config,
  database: Database,
): Promise<{ temporary: number; orphans: number }> {
  const store = openFileStore(config);
  try {
    return await removeUnrecordedFiles(database.db, store);
  } finally {
    store.close();
  }
}
