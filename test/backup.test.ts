// The backup drill (#16), with the real command line and the real server as child processes: demo data and uploaded
// files, `backup`, `restore` into a fresh database and store, then every table's count, every file's SHA-256 and the
// portal's pages compared with the original. A target that is not empty, or keys that differ, are refused before any
// change; a flipped byte in the archive is reported with exit code 1. On the embedded database always, and on
// PostgreSQL too when DATABASE_URL is set (each site a database of its own, created and dropped here).
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type Compilable, CompiledQuery } from "kysely";
import pg from "pg";
import { listEntries } from "../src/backup/tar.js";
import { minimalPdf } from "./support/bad-files.js";
import { filesUnder, multipartFile } from "./support/file-transfer-client.js";
import { readOffline } from "./support/offline-database.js";
import { startS3Server } from "./support/s3-server.js";
import { freePort, guichetCommand, startServerProcess, stopProcess } from "./support/server-process.js";
import { type Session, signIn, uploadAddress } from "./support/server-session.js";

const START_TIMEOUT_MS = 120_000;
type Mode = "embedded" | "postgresql";
const MODES: Mode[] = process.env.DATABASE_URL ? ["embedded", "postgresql"] : ["embedded"];

/** The keys every site of the drill shares, as an operator sets them on the machine a backup is restored to. */
const KEYS = {
  MFA_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
  OIDC_PAIRWISE_SECRET: randomBytes(32).toString("base64url"),
  COOKIE_SECRET: randomBytes(32).toString("base64url"),
};

type Site = { env: Record<string, string>; dataDir: string; filesDir: string; database: string | undefined };
const cleanUps: (() => Promise<void>)[] = [];
const running = new Set<ChildProcess>();

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh data folder (and on PostgreSQL a fresh database, guichet_backup_…): an installation with nothing in it. */
async function newSite(mode: Mode, env: Record<string, string> = {}): Promise<Site> {
  const dataDir = await mkdtemp(join(tmpdir(), "guichet-backup-"));
  cleanUps.push(() => rm(dataDir, { recursive: true, force: true }));
  let databaseUrl = "";
  let database: string | undefined;
  if (mode === "postgresql") {
    database = `guichet_backup_${randomBytes(6).toString("hex")}`;
    await onServer(`create database ${database}`);
    cleanUps.push(() => onServer(`drop database if exists ${database} with (force)`));
    const url = new URL(process.env.DATABASE_URL ?? "");
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  }
  return {
    dataDir,
    filesDir: join(dataDir, "files"),
    database,
    env: {
      ...KEYS,
      DATA_DIR: dataDir,
      // An embedded site in a PostgreSQL run must not inherit the run's server.
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
      ARGON2_MEMORY_KIB: "1024",
      ARGON2_TIME_COST: "1",
      LOG_LEVEL: "silent",
      SEED_DEMO: "true",
      OUTBOX_POLL_MS: "600000",
      ...env,
    },
  };
}

after(async () => {
  for (const child of running) await stopProcess(child, "SIGTERM");
  for (const cleanUp of cleanUps.reverse()) await cleanUp().catch(() => undefined);
});

async function withServer<T>(site: Site, work: (origin: string) => Promise<T>): Promise<T> {
  const child = await startServerProcess(site.env, START_TIMEOUT_MS);
  running.add(child);
  try {
    return await work(`http://127.0.0.1:${site.env.PORT}`);
  } finally {
    await stopProcess(child, "SIGTERM");
    running.delete(child);
  }
}

/** A page as two sessions can compare it: without the session's CSRF tokens and each form's one-time key. */
function comparable(html: string): string {
  return html
    .replace(/_csrf=[^"&]+/g, "_csrf=")
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"')
    .replace(/name="cle" value="[^"]*"/g, 'name="cle"');
}

const PAGES = ["/", "/transfert-fichiers?destinataire=pga-eau"];

async function pagesOf(session: Session): Promise<string[]> {
  // The notice of the last action shows once, on the next page.
  await session.get("/profil");
  const pages: string[] = [];
  for (const path of PAGES) pages.push(comparable(await session.get(path)));
  return pages;
}

/** Every stored file's SHA-256, by its path under the store. */
async function storedSums(site: Site): Promise<Map<string, string>> {
  const objects = join(site.filesDir, "objects");
  const sums = new Map<string, string>();
  for (const path of await filesUnder(objects))
    sums.set(
      path,
      createHash("sha256")
        .update(await readFile(join(objects, path)))
        .digest("hex"),
    );
  return sums;
}

function raw(text: string): Compilable<unknown> {
  return { compile: () => CompiledQuery.raw(text) };
}

function field(row: unknown, name: string): string {
  return typeof row === "object" && row !== null ? String(Reflect.get(row, name)) : "";
}

/** Every table of the site's schema with its row count, read by a process of its own. */
async function rowCounts(site: Site): Promise<Record<string, number>> {
  const { tables } = await readOffline(site.env, {
    tables: raw("select tablename from pg_tables where schemaname = current_schema() order by tablename"),
  });
  const union = tables
    .map((row) => field(row, "tablename"))
    .map((name) => `select '${name}' as name, count(*)::text as n from "${name}"`)
    .join(" union all ");
  const { counts } = await readOffline(site.env, { counts: raw(union) });
  return Object.fromEntries(counts.map((row) => [field(row, "name"), Number(field(row, "n"))]));
}

async function tableCount(site: Site): Promise<number> {
  if (site.database === undefined) {
    // No engine is opened on a database that must stay as it was: none was made if its folder is not there.
    return existsSync(join(site.dataDir, "pglite", "PG_VERSION")) ? Number.NaN : 0;
  }
  const { tables } = await readOffline(site.env, {
    tables: raw("select count(*)::text as n from pg_tables where schemaname = 'public'"),
  });
  return Number(field(tables[0], "n"));
}

const VERIFIED = /Vérification\s:\s(\d+) tables, (\d+) fichiers, toutes les sommes concordent\./;

for (const mode of MODES) {
  const label = mode === "embedded" ? "embedded" : "PostgreSQL";
  let archive = "";
  let source: Site;

  test(`${label}: a backup restored into a fresh installation has every row and file, and serves the same pages`, async () => {
    source = await newSite(mode);
    const before = await withServer(source, async (origin) => {
      const sender = await signIn(origin, "QCUSR01");
      for (const [name, size] of [
        ["23027 Résolution.pdf", 20_000],
        ["23027 Plan d'intervention.pdf", 45_000],
      ] as const) {
        const { body, contentType } = multipartFile(name, minimalPdf(size));
        const added = await sender.post(await uploadAddress(sender), body, contentType);
        assert.equal(added.status, 303, `${name} is added to the draft`);
      }
      return pagesOf(sender);
    });
    assert.match(before[0] ?? "", /Mes services en ligne/);
    assert.match(before[1] ?? "", /Plan d&#x27;intervention\.pdf|Plan d'intervention\.pdf/);

    archive = join(source.dataDir, "..", `${source.dataDir.split("/").at(-1)}.tar`);
    cleanUps.push(() => rm(archive, { force: true }));
    const backup = await guichetCommand(source.env, ["backup", "--vers", archive]);
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /Sauvegarde écrite/);
    const sourceSums = await storedSums(source);
    assert.equal(sourceSums.size, 3, "the demo application's attachment and the two uploaded files");

    const target = await newSite(mode);
    const restore = await guichetCommand(target.env, ["restore", "--depuis", archive]);
    assert.equal(restore.code, 0, `${restore.stdout}\n${restore.stderr}`);
    const verified = VERIFIED.exec(restore.stdout);
    assert.ok(verified, restore.stdout);
    assert.equal(verified[2], "3");

    assert.deepEqual(await storedSums(target), sourceSums, "every file, with the same SHA-256");
    // Counted before the restored server runs: a sign-in adds its session and audit rows.
    const counts = await rowCounts(target);
    assert.deepEqual(counts, await rowCounts(source), "every table has the same rows");
    assert.equal(Number(verified[1]), Object.keys(counts).length);

    const after = await withServer(target, async (origin) => pagesOf(await signIn(origin, "QCUSR01")));
    assert.deepEqual(after, before, "the restored portal serves the same pages");
  });

  test(`${label}: a restore into a database or store that is not empty is refused and changes nothing`, async () => {
    assert.ok(archive, "the drill made an archive");
    const migrated = await newSite(mode);
    const migrate = await guichetCommand(migrated.env, ["migrate"]);
    assert.equal(migrate.code, 0, migrate.stderr);
    const refused = await guichetCommand(migrated.env, ["restore", "--depuis", archive]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /contient déjà \d+ tables.*Rien n'a été modifié/s);
    const counts = await rowCounts(migrated);
    assert.equal(counts.app_user, 0, "still the migrated database without users");
    assert.equal(counts.application_attachment, 0);
    assert.deepEqual(await filesUnder(migrated.filesDir), [], "no file was restored");

    const withFile = await newSite(mode);
    const shard = join(withFile.filesDir, "objects", "0f");
    await mkdir(shard, { recursive: true });
    await writeFile(join(shard, "0f0e0d0c-0b0a-4908-8706-050403020100"), "déjà là");
    const refusedStore = await guichetCommand(withFile.env, ["restore", "--depuis", archive]);
    assert.equal(refusedStore.code, 1);
    assert.match(refusedStore.stderr, /contient déjà des fichiers/);
    assert.equal(await tableCount(withFile), 0, "no table was restored");
    assert.deepEqual(await filesUnder(join(withFile.filesDir, "objects")), [
      "0f/0f0e0d0c-0b0a-4908-8706-050403020100",
    ]);
  });

  test(`${label}: a restore with other keys than the backup's is refused, naming them`, async () => {
    const other = await newSite(mode, { MFA_ENCRYPTION_KEY: randomBytes(32).toString("hex") });
    const refused = await guichetCommand(other.env, ["restore", "--depuis", archive]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /MFA_ENCRYPTION_KEY/);
    assert.doesNotMatch(refused.stderr, /OIDC_PAIRWISE_SECRET/);
    assert.equal(await tableCount(other), 0);
  });

  test(`${label}: a flipped byte in a stored file of the archive is reported as a mismatch, with exit code 1`, async () => {
    const damaged = `${archive}.abime.tar`;
    cleanUps.push(() => rm(damaged, { force: true }));
    await copyFile(archive, damaged);
    const file = await open(damaged, "r+");
    let key = "";
    try {
      const entry = (await listEntries(file)).find((e) => e.name.startsWith("fichiers/"));
      assert.ok(entry);
      key = entry.name.slice("fichiers/".length);
      const byte = Buffer.alloc(1);
      await file.read(byte, 0, 1, entry.offset + 100);
      byte[0] = (byte[0] ?? 0) ^ 0xff;
      await file.write(byte, 0, 1, entry.offset + 100);
    } finally {
      await file.close();
    }
    const target = await newSite(mode);
    const restore = await guichetCommand(target.env, ["restore", "--depuis", damaged]);
    assert.equal(restore.code, 1, restore.stderr);
    assert.match(restore.stdout, /Vérification\s:\s1 écart/);
    assert.match(
      restore.stdout,
      new RegExp(`fichier ${key}\\s: SHA-256 [0-9a-f]{64}, [0-9a-f]{64} attendue`),
    );
    assert.doesNotMatch(restore.stdout, /toutes les sommes concordent/);
  });

  if (mode === "postgresql") {
    test("PostgreSQL: a pg_dump older than the server is refused with its version, and no archive is written", async () => {
      const bin = await mkdtemp(join(tmpdir(), "guichet-backup-bin-"));
      cleanUps.push(() => rm(bin, { recursive: true, force: true }));
      await writeFile(join(bin, "pg_dump"), '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n');
      await chmod(join(bin, "pg_dump"), 0o755);
      const target = join(bin, "sauvegarde.tar");
      const refused = await guichetCommand({ ...source.env, PATH: `${bin}:${process.env.PATH ?? ""}` }, [
        "backup",
        "--vers",
        target,
      ]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /pg_dump 9 ne peut pas servir un serveur PostgreSQL \d+/);
      assert.doesNotMatch(refused.stderr, /postgres:\/\//, "the connection URL is never printed");
      assert.deepEqual(await filesUnder(bin), ["pg_dump"], "no archive, partial or whole");
    });
  }
}

test("embedded with S3: the objects stay in the bucket, listed with their sums, and a restore checks each one there", async () => {
  const s3 = await startS3Server();
  cleanUps.push(() => s3.close());
  const bucket = {
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: "true",
  };
  const source = await newSite("embedded", bucket);
  await withServer(source, async (origin) => {
    const sender = await signIn(origin, "QCUSR02");
    const { body, contentType } = multipartFile("23027 Démarche.pdf", minimalPdf(30_000));
    const added = await sender.post(await uploadAddress(sender), body, contentType);
    assert.equal(added.status, 303);
  });
  const keys = [...(await s3.keys())].filter((key) => key.startsWith("transferts/"));
  assert.equal(keys.length, 2, "the demo application's attachment and the uploaded file, in the bucket");

  const archive = join(source.dataDir, "sauvegarde.tar");
  const backup = await guichetCommand(source.env, ["backup", "--vers", archive]);
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /2 fichiers \(listés, restés dans le compartiment S3\)/);
  const file = await open(archive, "r");
  const names = await listEntries(file).finally(() => file.close());
  assert.deepEqual(
    names.map((entry) => entry.name).filter((name) => name.startsWith("fichiers/")),
    [],
    "no object is copied into the archive",
  );

  const target = await newSite("embedded", bucket);
  const restore = await guichetCommand(target.env, ["restore", "--depuis", archive]);
  assert.equal(restore.code, 0, `${restore.stdout}\n${restore.stderr}`);
  assert.match(restore.stdout, /Vérification\s:\s\d+ tables, 2 fichiers, toutes les sommes concordent\./);

  const changed = keys[0] ?? "";
  await s3.put(changed, Buffer.from("remplacé"));
  const again = await newSite("embedded", bucket);
  const mismatch = await guichetCommand(again.env, ["restore", "--depuis", archive]);
  assert.equal(mismatch.code, 1, mismatch.stderr);
  assert.match(
    mismatch.stdout,
    new RegExp(`fichier ${changed.slice("transferts/".length)}\\s: \\d+ octets, \\d+ attendus`),
  );
});
