// The snapshot cache (PostgreSQL's registry cache) never serves what a committed write has changed: a write to any
// table a decision reads, from any connection, a write that commits while a load runs, and a transaction that was
// open when the snapshot was taken and commits after it, all send the next lookup back to the database. Writes to
// other tables leave it be, and lookups that arrive together share one round trip. Both modes: the check is plain
// PostgreSQL, which the embedded engine speaks too.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { openTestDatabase } from "../../test/support/app.js";
import { prepareDatabase } from "../bootstrap.js";
import { recordAudit } from "../features/audit/audit.service.js";
import { ANONYMOUS } from "../policy/actor.js";
import type { Database } from "./database.js";
import { requestView } from "./read-cache.js";
import { deleteOldChanges, SnapshotReadCache, UNWATCHED_TABLES } from "./snapshot-cache.js";

let database: Database;
let drop: () => Promise<void>;

before(async () => {
  ({ database, drop } = await openTestDatabase());
  await prepareDatabase(database);
  // The embedded engine turns the noting off for itself (database.ts); this process's engine notes, to test it.
  if (database.kind === "pglite") await sql`set guichet.note_changes = 'on'`.execute(database.db);
});
after(() => drop());

/** A lookup under one key that counts how often it really loaded. */
function counted(cache: SnapshotReadCache, key = "k") {
  let loads = 0;
  return {
    get loads() {
      return loads;
    },
    read: (load: () => Promise<number> = async () => 0) =>
      cache.get(key, async () => {
        loads++;
        return load();
      }),
  };
}

/** The tables the decision functions' bodies read, as their SQL names them. */
async function tablesReadByDecisions(): Promise<string[]> {
  const { rows } = await sql<{ body: string }>`
    select p.prosrc as body from pg_proc p
      where p.proname in ('decision_facts', 'registry_service_facts', 'decision_api_names')
        and p.pronamespace = current_schema()::regnamespace
  `.execute(database.db);
  assert.equal(rows.length, 3, "the three decision functions");
  const { rows: tables } = await sql<{ name: string }>`
    select c.relname as name from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
  `.execute(database.db);
  const known = new Set(tables.map((table) => table.name));
  const named = new Set<string>();
  for (const { body } of rows)
    for (const match of body.matchAll(/\b(?:from|join)\s+([a-z_]+)/gi)) {
      const name = match[1]?.toLowerCase();
      if (name && known.has(name)) named.add(name);
    }
  return [...named].sort();
}

test("every table the decision functions read notes the transactions that change it", async () => {
  const read = await tablesReadByDecisions();
  assert.ok(read.length >= 10, `tables found: ${read.join(", ")}`);
  const noted = await tablesWithTrigger("registry_change");
  assert.deepEqual(
    read.filter((table) => !noted.has(table)),
    [],
    "tables read by decisions without the trigger",
  );
});

/** The tables of this database that carry a trigger of the given name. */
async function tablesWithTrigger(name: string): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where t.tgname = ${name} and c.relnamespace = current_schema()::regnamespace
  `.execute(database.db);
  return new Set(rows.map((row) => row.name));
}

test("every table but the unwatched ones notes its writers for the pages' cache", async () => {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c
      where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' order by 1
  `.execute(database.db);
  const watched = await tablesWithTrigger("data_change");
  const unwatched = new Set<string>(UNWATCHED_TABLES);
  assert.deepEqual(
    rows.map((row) => row.name).filter((table) => !unwatched.has(table) && !watched.has(table)),
    [],
    "tables without the data_change trigger: add it in their migration, or say why in UNWATCHED_TABLES",
  );
  assert.deepEqual(
    [...watched].filter((table) => unwatched.has(table)),
    [],
  );
});

test("the pages' cache sees a write to a table decisions do not read, and not one to the audit log", async () => {
  const cache = new SnapshotReadCache(database.db, "data_change");
  const lookup = counted(cache);
  await lookup.read();
  await recordAudit(
    { db: database.db, actor: ANONYMOUS, now: new Date(), ip: null },
    { action: "test.snapshot-cache.pages", outcome: "success" },
  );
  await lookup.read();
  assert.equal(lookup.loads, 1, "an audit record changes nothing a page reads");
  await sql`delete from session where false`.execute(database.db);
  await lookup.read();
  assert.equal(lookup.loads, 2, "a session written is seen");
});

test("the reference scope outlives writes to other tables and drops with a write to a reference table", async () => {
  const cache = new SnapshotReadCache(database.db, "data_change", { value: 0 }, 100, "reference_change");
  let loads = { data: 0, reference: 0 };
  const read = () =>
    Promise.all([
      cache.get("d", async () => loads.data++),
      cache.get("r", async () => loads.reference++, "reference"),
    ]);
  await read();
  await sql`delete from session where false`.execute(database.db);
  await read();
  assert.deepEqual(
    loads,
    { data: 2, reference: 1 },
    "a session written: the data read again, not the catalogue",
  );
  loads = { data: 0, reference: 0 };
  await sql`update online_service set name = name where false`.execute(database.db);
  await read();
  assert.deepEqual(loads, { data: 1, reference: 1 }, "a write to the catalogue is seen by both scopes");
  assert.ok(cache.checks >= 3);
  // Every reference table notes its writers for the reference scope.
  const noted = await tablesWithTrigger("reference_change");
  for (const table of [
    "online_service",
    "organization",
    "ministry_unit",
    "service_point",
    "transfer_recipient",
  ])
    assert.ok(noted.has(table), `${table} notes its writers in reference_change`);
});

test("the embedded engine does not note writers: it keeps a cache of its own", async (t) => {
  if (database.kind !== "pglite") return t.skip("PostgreSQL notes them");
  const count = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from data_change`.execute(database.db)).rows[0]?.n;
  await sql`set guichet.note_changes = 'off'`.execute(database.db);
  try {
    const before = await count();
    await sql`delete from organization where false`.execute(database.db);
    assert.equal(await count(), before);
  } finally {
    await sql`set guichet.note_changes = 'on'`.execute(database.db);
  }
});

test("a lookup is served from memory until a table a decision reads changes, whichever table", async () => {
  const cache = new SnapshotReadCache(database.db, "registry_change");
  const lookup = counted(cache);
  await lookup.read();
  await lookup.read();
  assert.equal(lookup.loads, 1, "nothing changed: one load");
  let expected = 1;
  for (const table of await tablesReadByDecisions()) {
    // A statement trigger: even a statement that touches no row marks its transaction.
    await sql`delete from ${sql.table(table)} where false`.execute(database.db);
    await lookup.read();
    expected++;
    assert.equal(lookup.loads, expected, `a write to ${table} is seen`);
    await lookup.read();
    assert.equal(lookup.loads, expected, `after ${table}, served from memory again`);
  }
});

test("writes to tables decisions do not read leave the cache alone", async () => {
  const cache = new SnapshotReadCache(database.db, "registry_change");
  const lookup = counted(cache);
  await lookup.read();
  await recordAudit(
    { db: database.db, actor: ANONYMOUS, now: new Date(), ip: null },
    { action: "test.snapshot-cache", outcome: "success" },
  );
  await sql`delete from session where false`.execute(database.db);
  await lookup.read();
  assert.equal(lookup.loads, 1);
});

test("a load during which a write commits is not kept", async () => {
  const cache = new SnapshotReadCache(database.db, "registry_change");
  const lookup = counted(cache);
  await lookup.read(async () => {
    await sql`delete from access_grant where false`.execute(database.db);
    return 1;
  });
  await lookup.read();
  assert.equal(lookup.loads, 2);
});

test("a write rolled back changes nothing", async () => {
  const cache = new SnapshotReadCache(database.db, "registry_change");
  const lookup = counted(cache);
  await lookup.read();
  await database.db
    .transaction()
    .execute(async (trx) => {
      await sql`delete from access_grant where false`.execute(trx);
      throw new Error("rolled back");
    })
    .catch(() => undefined);
  await lookup.read();
  assert.equal(lookup.loads, 1);
});

test("lookups that arrive together share one round trip", async () => {
  const cache = new SnapshotReadCache(database.db, "registry_change");
  await counted(cache).read();
  const before = cache.checks;
  const values = await Promise.all(Array.from({ length: 20 }, (_, i) => counted(cache, `key-${i}`).read()));
  assert.equal(values.length, 20);
  assert.equal(cache.checks - before, 1);
});

// The embedded engine runs one transaction at a time: a lookup would wait for the open one.
test("a transaction open when the snapshot was taken, committed after it, is seen", {
  skip: process.env.DATABASE_URL ? false : "one connection on the embedded engine",
}, async () => {
  const cache = new SnapshotReadCache(database.db, "registry_change");
  const lookup = counted(cache);
  let commit = () => {};
  let written = () => {};
  const wrote = new Promise<void>((resolve) => {
    written = resolve;
  });
  const open = database.db.transaction().execute(async (trx) => {
    await sql`delete from mandate where false`.execute(trx);
    written();
    await new Promise<void>((resolve) => {
      commit = resolve;
    });
  });
  await wrote;
  await lookup.read();
  await lookup.read();
  assert.equal(lookup.loads, 1, "the open transaction is not committed yet");
  commit();
  await open;
  await lookup.read();
  assert.equal(lookup.loads, 2, "its commit is seen");
});

test("the hourly clean-up forgets changes older than a day, and only those", async () => {
  await sql`delete from access_grant where false`.execute(database.db);
  await sql`insert into registry_change (xid, at) values ('1'::xid8, now() - interval '25 hours')
    on conflict (xid) do update set at = excluded.at`.execute(database.db);
  const before = await sql<{ n: number }>`select count(*)::int as n from registry_change`.execute(
    database.db,
  );
  assert.ok((await deleteOldChanges(database.db)) >= 1);
  const { rows } = await sql<{ old: number; recent: number }>`
    select count(*) filter (where at < now() - interval '1 day')::int as old, count(*)::int as recent
      from registry_change`.execute(database.db);
  assert.equal(rows[0]?.old, 0);
  assert.ok((rows[0]?.recent ?? 0) >= 1 && (rows[0]?.recent ?? 0) < (before.rows[0]?.n ?? 0));
});

test("a request's lookups share its first check, made after it began", async () => {
  const cache = new SnapshotReadCache(database.db, "registry_change");
  await counted(cache, "names").read();
  const before = cache.checks;
  const request = cache.forRequest();
  await request.get("names", async () => 1);
  await request.get("facts", async () => 2);
  assert.equal(cache.checks - before, 1, "one check for the request's two lookups");
  await sql`delete from access_grant where false`.execute(database.db);
  const next = counted(cache, "names");
  await next.read();
  assert.equal(next.loads, 1, "a later request checks again and sees the write");
});

test("a request that writes reads its own write: its view asks the server again after a write of this process", async () => {
  const id = (
    await database.db
      .insertInto("organization")
      .values({
        kind: "body",
        name: "Organisme F",
        neq: String(1_000_000_000 + Math.floor(Math.random() * 8e9)),
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const nameOf = () =>
    database.db.selectFrom("organization").select("name").where("id", "=", id).executeTakeFirstOrThrow();
  const view = requestView(database.readCache);
  assert.equal((await view.get(`org-f:${id}`, nameOf)).name, "Organisme F");
  await database.db.updateTable("organization").set({ name: "Organisme F2" }).where("id", "=", id).execute();
  assert.equal((await view.get(`org-f:${id}`, nameOf)).name, "Organisme F2");
  await database.db.transaction().execute(async (trx) => {
    await trx.updateTable("organization").set({ name: "Organisme F3" }).where("id", "=", id).execute();
  });
  assert.equal((await view.get(`org-f:${id}`, nameOf)).name, "Organisme F3");
});

test("a request's view counts one check while nothing is written, and one more after a write", async () => {
  const writes = { value: 0 };
  const cache = new SnapshotReadCache(database.db, "registry_change", writes);
  await counted(cache).read();
  const before = cache.checks;
  const view = cache.forRequest();
  await view.get("a", async () => 1);
  await view.get("b", async () => 2);
  assert.equal(cache.checks - before, 1);
  writes.value++;
  await view.get("c", async () => 3);
  assert.equal(cache.checks - before, 2);
});
