// `guichet backup` and `guichet restore`: one archive with the database's copy, the stored files and a manifest; a
// restore into an empty database and store, then checked, table by table and file by file, against the manifest.
import { randomBytes } from "node:crypto";
import { existsSync, openAsBlob, readdirSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { Config } from "../config.js";
import { createEngine } from "../db/database.js";
import { isStorageKey, receiveToTemp } from "../storage/file-store.js";
import { openFileStore } from "../storage/index.js";
import {
  type ArchivedFile,
  BackupRefusal,
  type Census,
  differentSecrets,
  FILES_PREFIX,
  fileMismatch,
  type ListedObject,
  MANIFEST_ENTRY,
  type Manifest,
  parseManifest,
  type Query,
  recordedSums,
  secretFingerprints,
  sha256Of,
  tableMismatches,
  takeCensus,
  userTableCount,
} from "./manifest.js";
import { assertToolFitsServer, libpqEnvironment, runTool, toolMajor } from "./postgres-tools.js";
import {
  listEntries,
  readEntry,
  type TarEntry,
  TarFormatError,
  TarWriter,
  type WrittenEntry,
} from "./tar.js";

const PGLITE_VERSION = "0.5.16";
const EMBEDDED_ENTRY = "base/pglite.tar.gz";
const POSTGRES_ENTRY = "base/pg_dump.custom";

/** What the database side of a backup gives: its copy in the archive, its census, the sums it records. */
type DatabaseCopy = { database: Manifest["database"]; census: Census; sums: Map<string, string> };

function embeddedDir(config: Config): string {
  return join(config.dataDir, "pglite");
}

/** PGlite writes postmaster.pid while a process has the data directory open, and removes it on a clean close. */
function refuseIfOpen(dir: string): void {
  if (existsSync(join(dir, "postmaster.pid")))
    throw new BackupRefusal(
      `La base intégrée (${dir}) est ouverte par un autre processus : arrêtez le serveur, puis recommencez. ` +
        "Si le serveur a été tué, démarrez-le puis arrêtez-le normalement (Ctrl+C) pour refermer la base.",
    );
}

function engineQuery(engine: PGlite): Query {
  return async (text) => (await engine.query<Record<string, unknown>>(text)).rows;
}

async function copyEmbedded(config: Config, writer: TarWriter): Promise<DatabaseCopy> {
  const dir = embeddedDir(config);
  if (!existsSync(join(dir, "PG_VERSION")))
    throw new BackupRefusal(`Aucune base intégrée dans ${dir} : rien à sauvegarder.`);
  refuseIfOpen(dir);
  const engine = await createEngine(dir);
  try {
    const query = engineQuery(engine);
    const census = await takeCensus(query);
    const sums = await recordedSums(query);
    const dump = await engine.dumpDataDir("gzip");
    const written = await writer.add(EMBEDDED_ENTRY, dump.stream(), dump.size);
    return {
      database: { entry: EMBEDDED_ENTRY, ...written, tool: `pglite ${PGLITE_VERSION}` },
      census,
      sums,
    };
  } finally {
    await engine.close();
  }
}

function clientQuery(client: pg.Client): Query {
  return async (text) => (await client.query<Record<string, unknown>>(text)).rows;
}

async function serverMajor(client: pg.Client): Promise<number> {
  const [row] = await clientQuery(client)("show server_version_num");
  return Math.floor(Number(row?.server_version_num) / 10_000);
}

/**
 * pg_dump works in a snapshot exported by the transaction that counts the rows and reads the recorded sums, so the
 * manifest describes exactly the copy, while servers keep writing.
 */
async function copyPostgres(url: string, writer: TarWriter): Promise<DatabaseCopy> {
  const { env } = libpqEnvironment(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const dumpVersion = await toolMajor("pg_dump");
    assertToolFitsServer("pg_dump", dumpVersion, await serverMajor(client));
    const query = clientQuery(client);
    await query("begin isolation level repeatable read read only");
    const [exported] = await query("select pg_export_snapshot() as id");
    const census = await takeCensus(query);
    const sums = await recordedSums(query);
    let written: WrittenEntry | undefined;
    await runTool(
      "pg_dump",
      ["--format=custom", "--no-password", `--snapshot=${String(exported?.id)}`],
      env,
      {
        stdout: async (out) => {
          written = await writer.add(POSTGRES_ENTRY, out);
        },
      },
    );
    await query("commit");
    if (!written) throw new Error("pg_dump produced nothing");
    return { database: { entry: POSTGRES_ENTRY, ...written, tool: `pg_dump ${dumpVersion}` }, census, sums };
  } finally {
    await client.end();
  }
}

/** Writes the backup to `target` (a new file): under a temporary name first, renamed once complete and on disk. */
export async function createBackup(config: Config, target: string, now: Date): Promise<Manifest> {
  const path = resolve(target);
  if (existsSync(path))
    throw new BackupRefusal(
      `${path} existe déjà : une sauvegarde n'en remplace jamais une autre, choisissez un autre nom.`,
    );
  if (!existsSync(dirname(path))) throw new BackupRefusal(`Le dossier ${dirname(path)} n'existe pas.`);
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.partiel`);
  const file = await open(partial, "wx", 0o600);
  try {
    const writer = new TarWriter(file, now);
    const copy = config.databaseUrl
      ? await copyPostgres(config.databaseUrl, writer)
      : await copyEmbedded(config, writer);
    const store = openFileStore(config);
    const files: ArchivedFile[] = [];
    const objects: ListedObject[] = [];
    try {
      const listed = (await store.listObjects()).sort((a, b) => a.key.localeCompare(b.key));
      for (const object of listed) {
        if (store.kind === "s3") {
          objects.push({ key: object.key, size: object.size, sha256: copy.sums.get(object.key) ?? null });
          continue;
        }
        const written = await writer.add(
          `${FILES_PREFIX}${object.key}`,
          await store.openRead(object.key),
          object.size,
        );
        files.push({ key: object.key, ...written });
      }
    } finally {
      store.close();
    }
    const manifest: Manifest = {
      format: "guichet-sauvegarde",
      version: 1,
      createdAt: now.toISOString(),
      mode: config.databaseUrl ? "postgresql" : "embedded",
      store: config.s3 ? "s3" : "local",
      database: copy.database,
      schema: copy.census.schema,
      migration: copy.census.migration,
      tables: copy.census.tables,
      files,
      objects,
      secrets: secretFingerprints(config),
    };
    await writer.add(MANIFEST_ENTRY, [Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)]);
    await writer.finish();
    await file.close();
    await rename(partial, path);
    const directory = await open(dirname(path), "r");
    await directory.sync().finally(() => directory.close());
    return manifest;
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

export type RestoreOptions = { otherKeys: boolean };
export type RestoreReport = { manifest: Manifest; tables: number; files: number; problems: string[] };

/** The database to restore into: checked empty first, then loaded, and counted once loaded. */
type Target = {
  assertEmpty(): Promise<void>;
  load(archive: string, entry: TarEntry): Promise<Census>;
};

function embeddedTarget(config: Config): Target {
  const dir = embeddedDir(config);
  return {
    async assertEmpty() {
      refuseIfOpen(dir);
      if (!existsSync(dir) || readdirSync(dir).length === 0) return;
      if (!existsSync(join(dir, "PG_VERSION")))
        throw new BackupRefusal(
          `Le dossier ${dir} n'est pas vide et ne contient pas de base : videz-le ou changez DATA_DIR.`,
        );
      const engine = await createEngine(dir);
      const tables = await userTableCount(engineQuery(engine)).finally(() => engine.close());
      if (tables > 0)
        throw new BackupRefusal(
          `La base intégrée (${dir}) contient déjà ${tables} tables : une restauration se fait dans une base vide ` +
            "(un DATA_DIR neuf). Rien n'a été modifié.",
        );
    },
    async load(archive, entry) {
      // An engine without tables (a server started once, then stopped) gives way to the copy.
      await rm(dir, { recursive: true, force: true });
      const blob = (await openAsBlob(archive)).slice(
        entry.offset,
        entry.offset + entry.size,
        "application/gzip",
      );
      // Counted on the engine that loaded the copy: each engine a process frees is a risk (see test/support/app.ts).
      const engine = await PGlite.create(dir, { loadDataDir: blob });
      return takeCensus(engineQuery(engine)).finally(() => engine.close());
    },
  };
}

function postgresTarget(url: string, manifest: Manifest): Target {
  const { env, database } = libpqEnvironment(url);
  const withClient = async <T>(work: (query: Query, client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(clientQuery(client), client);
    } finally {
      await client.end();
    }
  };
  return {
    assertEmpty: () =>
      withClient(async (query, client) => {
        const restoreVersion = await toolMajor("pg_restore");
        assertToolFitsServer("pg_restore", restoreVersion, await serverMajor(client));
        const dumpVersion = Number(/^pg_dump (\d+)/.exec(manifest.database.tool)?.[1] ?? 0);
        if (restoreVersion < dumpVersion)
          throw new BackupRefusal(
            `pg_restore ${restoreVersion} ne lit pas une copie faite par pg_dump ${dumpVersion} : installez ` +
              `postgresql-client-${dumpVersion} ou plus récent.`,
          );
        const tables = await userTableCount(query);
        if (tables > 0)
          throw new BackupRefusal(
            `La base ${database} contient déjà ${tables} tables : une restauration se fait dans une base vide ` +
              "(createdb). Rien n'a été modifié.",
          );
      }),
    async load(archive, entry) {
      await runTool(
        "pg_restore",
        [
          "--no-password",
          "--no-owner",
          "--no-privileges",
          "--single-transaction",
          "--exit-on-error",
          `--dbname=${database}`,
        ],
        env,
        { stdin: readEntry(archive, entry) },
      );
      return withClient((query) => takeCensus(query));
    },
  };
}

async function readArchive(path: string): Promise<{ entries: Map<string, TarEntry>; manifest: Manifest }> {
  const file = await open(path, "r").catch(() => {
    throw new BackupRefusal(`Sauvegarde introuvable ou illisible : ${path}`);
  });
  let list: TarEntry[];
  try {
    list = await listEntries(file);
  } catch (error) {
    if (error instanceof TarFormatError)
      throw new BackupRefusal(
        `${path} n'est pas une sauvegarde lisible (${error.message}). Rien n'a été modifié.`,
      );
    throw error;
  } finally {
    await file.close();
  }
  const entries = new Map(list.map((entry) => [entry.name, entry]));
  const manifestEntry = entries.get(MANIFEST_ENTRY);
  if (!manifestEntry)
    throw new BackupRefusal(`${path} n'a pas de manifeste : ce n'est pas une sauvegarde de Guichet.`);
  const chunks: Buffer[] = [];
  for await (const chunk of readEntry(path, manifestEntry)) chunks.push(chunk);
  return { entries, manifest: parseManifest(Buffer.concat(chunks).toString("utf8")) };
}

const MODE_NAMES = { embedded: "la base intégrée", postgresql: "PostgreSQL" } as const;
const STORE_NAMES = { local: "le disque local", s3: "un compartiment S3" } as const;

/**
 * Restores the archive into this installation's database and store, both empty (anything else is refused before a
 * change), then compares what is in place with the manifest.
 */
export async function restoreBackup(
  config: Config,
  source: string,
  options: RestoreOptions,
): Promise<RestoreReport> {
  const path = resolve(source);
  const { entries, manifest } = await readArchive(path);
  const mode = config.databaseUrl ? "postgresql" : "embedded";
  if (manifest.mode !== mode)
    throw new BackupRefusal(
      `Cette sauvegarde vient de ${MODE_NAMES[manifest.mode]} ; cette installation utilise ${MODE_NAMES[mode]}. Rien n'a été modifié.`,
    );
  const storeKind = config.s3 ? "s3" : "local";
  if (manifest.store !== storeKind)
    throw new BackupRefusal(
      `Les fichiers de cette sauvegarde étaient sur ${STORE_NAMES[manifest.store]} ; cette installation utilise ` +
        `${STORE_NAMES[storeKind]}. Rien n'a été modifié.`,
    );
  const different = differentSecrets(config, manifest);
  if (different.length > 0 && !options.otherKeys)
    throw new BackupRefusal(
      `Les clés de cette installation ne sont pas celles de la sauvegarde : ${different.join(", ")}. ` +
        "Donnez les mêmes valeurs (ou copiez ces fichiers de l'ancien DATA_DIR), sinon les applications " +
        "d'authentification et les clés de signature ne pourront être déchiffrées et les identifiants des services " +
        "changeront. Pour restaurer quand même, ajoutez --autres-cles. Rien n'a été modifié.",
    );
  const databaseEntry = entries.get(manifest.database.entry);
  if (!databaseEntry)
    throw new BackupRefusal("La sauvegarde ne contient pas la copie de la base. Rien n'a été modifié.");
  const copied = await sha256Of(readEntry(path, databaseEntry));
  if (copied.sha256 !== manifest.database.sha256)
    throw new BackupRefusal(
      "La copie de la base est endommagée (sa somme SHA-256 diffère du manifeste). Rien n'a été modifié.",
    );

  const target = config.databaseUrl ? postgresTarget(config.databaseUrl, manifest) : embeddedTarget(config);
  const store = openFileStore(config);
  try {
    await target.assertEmpty();
    if (store.kind === "local" && (await store.listObjects()).length > 0)
      throw new BackupRefusal(
        `Le dossier des fichiers (${config.filesDir}) contient déjà des fichiers : une restauration se fait dans un ` +
          "dossier vide. Rien n'a été modifié.",
      );
    const census = await target.load(path, databaseEntry);
    for (const file of manifest.files) {
      const entry = entries.get(`${FILES_PREFIX}${file.key}`);
      if (!entry || !isStorageKey(file.key)) continue;
      const staged = await receiveToTemp(readEntry(path, entry), store.tempDir, Number.MAX_SAFE_INTEGER);
      await store.putFile(file.key, staged.path);
    }

    // The check reads back what is now in place, not what went through.
    const problems = tableMismatches(manifest, census);
    const present = new Map((await store.listObjects()).map((object) => [object.key, object]));
    for (const expected of [...manifest.files, ...manifest.objects]) {
      const found = present.has(expected.key)
        ? await sha256Of(await store.openRead(expected.key))
        : undefined;
      const problem = fileMismatch(expected, found);
      if (problem) problems.push(problem);
    }
    return {
      manifest,
      tables: Object.keys(manifest.tables).length,
      files: manifest.files.length + manifest.objects.length,
      problems,
    };
  } finally {
    store.close();
  }
}
