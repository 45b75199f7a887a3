// Several servers on one database share its file store: the clean-up at start removes every unrecorded file only
// when the server is alone, and otherwise only those left for over an hour, which the hourly job also removes.
// Presence rests on a PostgreSQL advisory lock held on each server's own connection, so a killed server stops
// counting at once; on the embedded database a server is always alone.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { access, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { cleanUpFiles, UNRECORDED_GRACE_MS } from "../src/bootstrap.js";
import { runJobs } from "../src/jobs.js";
import { arrive } from "../src/server-presence.js";
import { type FileStore, newStorageKey, receiveToTemp } from "../src/storage/file-store.js";
import { openFileStore } from "../src/storage/index.js";
import { startTestApp, type TestApp } from "./support/app.js";

const MINUTE = 60_000;
const url = process.env.DATABASE_URL;
const ROOT = fileURLToPath(new URL("../", import.meta.url));

let t: TestApp;
let store: FileStore;

before(async () => {
  t = await startTestApp();
  store = openFileStore(t.config);
});
after(async () => {
  store.close();
  await t.close();
});

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** A file moved into the store and never recorded, last written at `at`; returns its path on disk. */
async function unrecordedObject(at: Date): Promise<string> {
  const staged = await receiveToTemp(Readable.from([Buffer.from("jamais enregistré")]), store.tempDir, 1_000);
  const key = newStorageKey();
  await store.putFile(key, staged.path);
  const path = join(t.config.filesDir, "objects", key.slice(0, 2), key);
  await utimes(path, at, at);
  return path;
}

/** A temporary file of an upload, last written at `at`. */
async function temporaryFile(at: Date): Promise<string> {
  const path = join(store.tempDir, `${randomUUID()}.part`);
  await writeFile(path, "en cours");
  await utimes(path, at, at);
  return path;
}

const ago = (ms: number) => new Date(t.clock().getTime() - ms);

test("alone at start: every unrecorded file goes, however recent", async () => {
  const object = await unrecordedObject(ago(1_000));
  const temporary = await temporaryFile(ago(1_000));
  const removed = await cleanUpFiles(t.config, t.database, true, t.clock());
  assert.ok(removed.orphans >= 1 && removed.temporary >= 1, JSON.stringify(removed));
  assert.equal(await exists(object), false);
  assert.equal(await exists(temporary), false);
});

test("with another server running: only the files unrecorded for over an hour go at start; the hourly job takes the others once that old", async () => {
  const recentObject = await unrecordedObject(ago(UNRECORDED_GRACE_MS - MINUTE));
  const recentTemporary = await temporaryFile(ago(UNRECORDED_GRACE_MS - MINUTE));
  const oldObject = await unrecordedObject(ago(UNRECORDED_GRACE_MS + MINUTE));
  const oldTemporary = await temporaryFile(ago(UNRECORDED_GRACE_MS + MINUTE));
  assert.deepEqual(await cleanUpFiles(t.config, t.database, false, t.clock()), { temporary: 1, orphans: 1 });
  assert.equal(await exists(oldObject), false);
  assert.equal(await exists(oldTemporary), false);
  assert.equal(await exists(recentObject), true, "another server may be about to record it");
  assert.equal(await exists(recentTemporary), true, "another server may be writing it");

  await runJobs(t.app);
  assert.equal(await exists(recentObject), true, "the hourly job waits as long");
  t.clock.advance(2 * MINUTE);
  await runJobs(t.app);
  assert.equal(await exists(recentObject), false);
  assert.equal(await exists(recentTemporary), false);
});

test("on the embedded database a server is always alone", { skip: url !== undefined }, async () => {
  const presence = await arrive(undefined);
  assert.equal(presence.alone, true);
  await presence.join();
  const next = await arrive(undefined);
  assert.equal(next.alone, true);
  await next.leave();
  await presence.leave();
});

/** A connection string whose search_path is a new schema, and its removal. */
async function schemaUrl(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  assert.ok(url);
  const schema = `presence_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    schema,
    url: `${url}${url.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

test("on PostgreSQL: the first server is alone, the next is not, and one that leaves or is killed stops counting", {
  skip: url === undefined && "needs DATABASE_URL",
}, async () => {
  const here = await schemaUrl();
  const elsewhere = await schemaUrl();
  try {
    const first = await arrive(here.url);
    assert.equal(first.alone, true);
    await first.join();
    const second = await arrive(here.url);
    assert.equal(second.alone, false);
    await second.join();
    const otherSchema = await arrive(elsewhere.url);
    assert.equal(otherSchema.alone, true, "servers of another schema share nothing with these");
    await otherSchema.leave();
    await first.leave();
    const third = await arrive(here.url);
    assert.equal(third.alone, false, "the second is still running");
    await third.leave();
    await second.leave();

    // A server whose connection is cut (here, by the administrator) connects again and is counted again.
    let lost = 0;
    let back: () => void = () => {};
    const counted = new Promise<void>((resolve) => {
      back = resolve;
    });
    const cut = await arrive(here.url, { onLost: () => lost++, onBack: () => back() });
    assert.equal(cut.alone, true);
    await cut.join();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // The two-key advisory lock shows its keys as classid (« GUIC ») and objid (the schema's hash).
      const terminated = await admin.query(
        `select pg_terminate_backend(l.pid)
           from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and l.granted and a.application_name = 'guichet-presence'
            and l.classid = $1::oid and l.objid = hashtext($2)::oid`,
        [0x47554943, here.schema],
      );
      assert.equal(terminated.rowCount, 1, "the presence connection of that schema");
    } finally {
      await admin.end();
    }
    const gaveUp = new Promise<"gave up">((resolve) => setTimeout(() => resolve("gave up"), 20_000).unref());
    assert.notEqual(await Promise.race([counted, gaveUp]), "gave up", "connected and counted again");
    assert.ok(lost >= 1);
    const whileBack = await arrive(here.url);
    assert.equal(whileBack.alone, false, "counted again after the cut");
    await whileBack.leave();
    await cut.leave();

    // A server killed with SIGKILL: PostgreSQL ends its connection, and its lock with it.
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `import { arrive } from "./src/server-presence.js";
         const presence = await arrive(process.env.PRESENCE_URL);
         await presence.join();
         process.stdout.write("joined\\n");
         setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, env: { ...process.env, PRESENCE_URL: here.url }, stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("joined") && resolve());
      child.once("exit", (code) => reject(new Error(`the child ended first (${code})`)));
    });
    const whileRunning = await arrive(here.url);
    assert.equal(whileRunning.alone, false);
    await whileRunning.leave();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    const after = await arrive(here.url);
    assert.equal(after.alone, true);
    await after.leave();
  } finally {
    await here.drop();
    await elsewhere.drop();
  }
});
