// Crash safety of « Transfert de fichiers » with the real server as a child process: SIGKILL in the middle of an
// upload, then a restart, leaves nothing half-recorded and no file without its record; so does a file moved into
// the store whose record never came. On an embedded database on disk, or on PostgreSQL when DATABASE_URL is set.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../src/config.js";
import { newStorageKey, receiveToTemp } from "../src/storage/file-store.js";
import { openFileStore } from "../src/storage/index.js";
import { minimalPdf, pdfChunks } from "./support/bad-files.js";
import { filesUnder, multipartFile } from "./support/file-transfer-client.js";
import { offline, readOffline } from "./support/offline-database.js";
import { freePort, serverSchema, startServerProcess, stopProcess } from "./support/server-process.js";
import { type Session, signIn as signInAt, uploadAddress } from "./support/server-session.js";

/** Long enough for a loaded machine to start the server; a working start takes a few seconds. */
const START_TIMEOUT_MS = 120_000;

let dataDir: string;
let env: Record<string, string>;
let server: ChildProcess | undefined;
let origin: string;
let dropSchema: (() => Promise<void>) | undefined;

function signIn(userCode: string): Promise<Session> {
  return signInAt(origin, userCode);
}

/** After a start: no temporary file, every stored file named by a record, no transfer half there. */
async function assertConsistent(): Promise<{ draftFiles: string[]; transfers: number }> {
  const config = loadConfig(env);
  assert.deepEqual(await filesUnder(join(config.filesDir, "tmp")), [], "no temporary file is left");
  const stored = new Set(
    (await filesUnder(join(config.filesDir, "objects"))).map((p) => p.split("/").at(-1)),
  );
  const { draftFiles, sentFiles, attachments, transfers, empty } = await readOffline(env, {
    draftFiles: offline.selectFrom("file_transfer_draft_file").select(["name", "storage_key"]),
    sentFiles: offline.selectFrom("file_transfer_file").select(["storage_key"]),
    // The demo's application carries a council resolution, in the same store.
    attachments: offline.selectFrom("application_attachment").select(["storage_key"]),
    transfers: offline.selectFrom("file_transfer").select("id"),
    empty: offline
      .selectFrom("file_transfer")
      .select("id")
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("file_transfer_file").select("id").whereRef("transfer_id", "=", "file_transfer.id"),
          ),
        ),
      ),
  });
  const recorded = new Set([...draftFiles, ...sentFiles, ...attachments].map((f) => f.storage_key));
  assert.deepEqual(stored, recorded, "the stored files are exactly those the records name");
  assert.deepEqual(empty, [], "no transfer without its files");
  return { draftFiles: draftFiles.map((f) => f.name), transfers: transfers.length };
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "guichet-crash-"));
  env = {
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: String(await freePort()),
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    ARGON2_MEMORY_KIB: "1024",
    ARGON2_TIME_COST: "1",
    LOG_LEVEL: "silent",
    SEED_DEMO: "true",
    OUTBOX_POLL_MS: "600000",
  };
  const schema = await serverSchema("crash");
  if (schema) {
    env.DATABASE_URL = schema.databaseUrl;
    dropSchema = schema.drop;
  }
  origin = `http://127.0.0.1:${env.PORT}`;
});

after(async () => {
  if (server) await stopProcess(server, "SIGTERM");
  await dropSchema?.();
  await rm(dataDir, { recursive: true, force: true });
});

test("SIGKILL in the middle of an upload: after the restart, the staged file is still there and nothing else", async () => {
  server = await startServerProcess(env, START_TIMEOUT_MS);
  const sender = await signIn("QCUSR01");
  const kept = multipartFile("23027 Démarche.pdf", minimalPdf(20_000));
  const first = await sender.post(await uploadAddress(sender), kept.body, kept.contentType);
  assert.equal(first.status, 303, "a file staged before the crash");

  // A 60 MB upload, sent slowly enough to be cut off in the middle.
  const { body: head, contentType } = multipartFile("23027 Résolution.pdf", Buffer.alloc(0));
  const opening = head.subarray(0, head.lastIndexOf("\r\n--"));
  const address = new URL(`${origin}${await uploadAddress(sender)}`);
  const upload = request({
    host: address.hostname,
    port: address.port,
    path: `${address.pathname}${address.search}`,
    method: "POST",
    headers: { cookie: sender.header(), "content-type": contentType },
  });
  const answered = new Promise<string>((resolve) => {
    upload.on("error", (error) => resolve(`error: ${error.message}`));
    upload.on("response", (response) => resolve(`status ${response.statusCode}`));
  });
  upload.write(opening);
  const tempDir = join(dataDir, "files", "tmp");
  let written = 0;
  for (const chunk of pdfChunks(60 * 1024 * 1024)) {
    if (!upload.write(chunk)) await new Promise((resolve) => upload.once("drain", resolve));
    written += chunk.length;
    if (written > 8 * 1024 * 1024) break;
  }
  // Until the server has part of it on disk in its temporary file.
  let partial = 0;
  for (let i = 0; i < 600 && partial === 0; i++) {
    const temps = await filesUnder(tempDir);
    for (const name of temps) partial = Math.max(partial, (await stat(join(tempDir, name))).size);
    if (partial === 0) await sleep(50);
  }
  assert.ok(partial > 0, "the upload reached the temporary file before the crash");
  await stopProcess(server, "SIGKILL");
  upload.destroy();
  assert.match(await answered, /^error/, "the upload never got an answer");
  assert.ok((await filesUnder(tempDir)).length > 0, "the crash left a temporary file behind");

  server = await startServerProcess(env, START_TIMEOUT_MS);
  await stopProcess(server, "SIGTERM");
  const state = await assertConsistent();
  assert.deepEqual(state.draftFiles, ["23027 Démarche.pdf"]);
  assert.equal(state.transfers, 0);
});

test("a file moved into the store whose record never came is removed at the next start", async () => {
  const config = loadConfig(env);
  const store = openFileStore(config);
  const orphanKey = newStorageKey();
  try {
    // The pieces of an upload, stopped between « moved into place » and « recorded ».
    const source = join(dataDir, "source.pdf");
    await writeFile(source, minimalPdf(5000));
    const staged = await receiveToTemp(createReadStream(source), store.tempDir, 1_000_000);
    await store.putFile(orphanKey, staged.path);
    await rm(source);
  } finally {
    store.close();
  }
  assert.ok((await filesUnder(join(config.filesDir, "objects"))).some((p) => p.endsWith(orphanKey)));

  server = await startServerProcess(env, START_TIMEOUT_MS);
  // The staged file survives and can still be sent after the restart.
  const sender = await signIn("QCUSR01");
  const page = await sender.get("/transfert-fichiers?destinataire=pga-eau");
  assert.match(page, /23027 Démarche\.pdf/);
  const draft = /name="brouillon" value="(\d+)"/.exec(page)?.[1] ?? "";
  const key = /name="cle" value="([^"]+)"/.exec(page)?.[1] ?? "";
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
  const sent = await sender.post(
    "/transfert-fichiers/pga-eau/transferer",
    new URLSearchParams({ cle: key, brouillon: draft, certification: "1", _csrf: token }).toString(),
    "application/x-www-form-urlencoded",
  );
  assert.equal(sent.status, 303);
  await stopProcess(server, "SIGTERM");

  const state = await assertConsistent();
  assert.equal(state.transfers, 1);
  assert.deepEqual(state.draftFiles, []);
  assert.ok(!(await filesUnder(join(config.filesDir, "objects"))).some((p) => p.endsWith(orphanKey)));
});
