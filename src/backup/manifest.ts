// What a backup holds, written into it as JSON: the database's copy, the row count of every table, every stored
// file's size and SHA-256; and the comparison of a restored installation against it.
import { createHash, createHmac } from "node:crypto";
import type { Readable } from "node:stream";
import type { Config } from "../config.js";

/** A reason to change nothing, said to the operator as it is. */
export class BackupRefusal extends Error {}

export const MANIFEST_ENTRY = "manifeste.json";
export const FILES_PREFIX = "fichiers/";

export type DatabaseMode = "embedded" | "postgresql";
export type StoreKind = "local" | "s3";

/** A stored file copied into the archive (local disk), under FILES_PREFIX + key. */
export type ArchivedFile = { key: string; size: number; sha256: string };
/** An object left in its bucket (S3): its sum is the one the database recorded, null for an object no record names. */
export type ListedObject = { key: string; size: number; sha256: string | null };

export type Manifest = {
  format: "guichet-sauvegarde";
  version: 1;
  createdAt: string;
  mode: DatabaseMode;
  store: StoreKind;
  database: { entry: string; size: number; sha256: string; tool: string };
  schema: string;
  migration: { version: number; name: string } | null;
  tables: Record<string, number>;
  files: ArchivedFile[];
  objects: ListedObject[];
  /** HMACs that tell whether a restored installation has the same keys, without saying anything of them. */
  secrets: { mfaEncryptionKey: string; oidcPairwiseSecret: string };
};

/** One SQL text in, its rows out: the embedded engine, a pg client or Kysely all fit. */
export type Query = (text: string) => Promise<Record<string, unknown>[]>;

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export type Census = { schema: string; tables: Record<string, number>; migration: Manifest["migration"] };

/** The row count of every table of the schema in use, and the last migration applied. */
export async function takeCensus(query: Query): Promise<Census> {
  const [current] = await query("select current_schema() as schema");
  const schema = String(current?.schema ?? "public");
  const names = await query(
    "select tablename from pg_tables where schemaname = current_schema() order by tablename",
  );
  const tables: Record<string, number> = {};
  for (const { tablename } of names) {
    const name = String(tablename);
    const [row] = await query(`select count(*)::text as n from ${quoteIdent(name)}`);
    tables[name] = Number(row?.n ?? Number.NaN);
  }
  let migration: Manifest["migration"] = null;
  if ("schema_migration" in tables) {
    const [last] = await query("select version, name from schema_migration order by version desc limit 1");
    if (last) migration = { version: Number(last.version), name: String(last.name) };
  }
  return { schema, tables, migration };
}

/** The tables of every schema a user made: a database to restore into must have none. */
export async function userTableCount(query: Query): Promise<number> {
  const [row] = await query(
    `select count(*)::text as n from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema') and schemaname not like 'pg\\_%'`,
  );
  return Number(row?.n ?? 0);
}

/** The SHA-256 that the database recorded for each stored object: transferred files, drafts and attachments. */
export async function recordedSums(query: Query): Promise<Map<string, string>> {
  const rows = await query(
    `select storage_key as key, sha256 from file_transfer_draft_file
     union all select storage_key, sha256 from file_transfer_file
     union all select storage_key, encode(sha256, 'hex') from application_attachment`,
  );
  return new Map(rows.map((row) => [String(row.key), String(row.sha256)]));
}

function fingerprint(secret: Buffer | string): string {
  return createHmac("sha256", secret).update("guichet-sauvegarde").digest("hex");
}

export function secretFingerprints(config: Config): Manifest["secrets"] {
  return {
    mfaEncryptionKey: fingerprint(config.mfaEncryptionKey),
    oidcPairwiseSecret: fingerprint(config.oidcPairwiseSecret),
  };
}

/** The keys of this installation that differ from the backup's, by the name an operator sets them with. */
export function differentSecrets(config: Config, manifest: Manifest): string[] {
  const here = secretFingerprints(config);
  return [
    ...(here.mfaEncryptionKey === manifest.secrets.mfaEncryptionKey ? [] : ["MFA_ENCRYPTION_KEY (mfa-key)"]),
    ...(here.oidcPairwiseSecret === manifest.secrets.oidcPairwiseSecret
      ? []
      : ["OIDC_PAIRWISE_SECRET (oidc-pairwise-secret)"]),
  ];
}

export async function sha256Of(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    const bytes: Buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    hash.update(bytes);
  }
  return { size, sha256: hash.digest("hex") };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const INCOMPLETE = "Le manifeste de la sauvegarde est incomplet.";

/** The manifest read back from an archive, checked for the shape this version writes. */
export function parseManifest(text: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BackupRefusal("Le manifeste de la sauvegarde est illisible.");
  }
  if (!isRecord(value) || value.format !== "guichet-sauvegarde")
    throw new BackupRefusal("Ce fichier n'est pas une sauvegarde de Guichet (manifeste inconnu).");
  if (value.version !== 1)
    throw new BackupRefusal(
      `Sauvegarde de version ${String(value.version)} : cette version de Guichet lit la version 1.`,
    );
  const { mode, store, database, tables, files, objects, secrets, migration } = value;
  const listed = (entries: unknown, sumRequired: boolean) =>
    Array.isArray(entries)
      ? entries.map((entry) => {
          if (
            !isRecord(entry) ||
            typeof entry.key !== "string" ||
            !Number.isSafeInteger(entry.size) ||
            !(typeof entry.sha256 === "string" || (!sumRequired && entry.sha256 === null))
          )
            throw new BackupRefusal(INCOMPLETE);
          return { key: entry.key, size: Number(entry.size), sha256: entry.sha256 };
        })
      : [];
  if (
    !(mode === "embedded" || mode === "postgresql") ||
    !(store === "local" || store === "s3") ||
    !isRecord(database) ||
    typeof database.entry !== "string" ||
    typeof database.sha256 !== "string" ||
    !isRecord(tables) ||
    !isRecord(secrets) ||
    !Array.isArray(files) ||
    !Array.isArray(objects)
  )
    throw new BackupRefusal(INCOMPLETE);
  const counts: Record<string, number> = {};
  for (const [name, count] of Object.entries(tables)) {
    if (typeof count !== "number" || !Number.isSafeInteger(count)) throw new BackupRefusal(INCOMPLETE);
    counts[name] = count;
  }
  return {
    format: "guichet-sauvegarde",
    version: 1,
    createdAt: String(value.createdAt),
    mode,
    store,
    database: {
      entry: database.entry,
      size: Number(database.size),
      sha256: database.sha256,
      tool: String(database.tool),
    },
    schema: String(value.schema),
    migration: isRecord(migration)
      ? { version: Number(migration.version), name: String(migration.name) }
      : null,
    tables: counts,
    files: listed(files, true).flatMap((file) =>
      file.sha256 === null ? [] : [{ ...file, sha256: file.sha256 }],
    ),
    objects: listed(objects, false),
    secrets: {
      mfaEncryptionKey: String(secrets.mfaEncryptionKey),
      oidcPairwiseSecret: String(secrets.oidcPairwiseSecret),
    },
  };
}

/** Each difference between the census of the restored database and the manifest, in French. */
export function tableMismatches(manifest: Manifest, found: Census): string[] {
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(manifest.tables)) {
    const actual = found.tables[name];
    if (actual === undefined) problems.push(`table ${name} : absente (${expected} lignes attendues)`);
    else if (actual !== expected) problems.push(`table ${name} : ${actual} lignes, ${expected} attendues`);
  }
  for (const name of Object.keys(found.tables)) {
    if (!(name in manifest.tables)) problems.push(`table ${name} : absente de la sauvegarde`);
  }
  if (found.migration?.version !== manifest.migration?.version)
    problems.push(
      `version du schéma : ${found.migration?.version ?? "aucune"}, ${manifest.migration?.version ?? "aucune"} attendue`,
    );
  return problems;
}

/** The difference between one stored file as found and as the manifest lists it, if any. */
export function fileMismatch(
  expected: { key: string; size: number; sha256: string | null },
  found: { size: number; sha256: string } | undefined,
): string | undefined {
  if (!found) return `fichier ${expected.key} : absent`;
  if (found.size !== expected.size)
    return `fichier ${expected.key} : ${found.size} octets, ${expected.size} attendus`;
  if (expected.sha256 !== null && found.sha256 !== expected.sha256)
    return `fichier ${expected.key} : SHA-256 ${found.sha256}, ${expected.sha256} attendue`;
  return undefined;
}
