// The read cache never serves an answer older than the last write: every kind of write, and a write that commits
// while a read waits for the connection, sends the next read back to the database.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { openTestDatabase } from "../../test/support/app.js";
import { prepareDatabase } from "../bootstrap.js";
import { recordAudit } from "../features/audit/audit.service.js";
import { ANONYMOUS } from "../policy/actor.js";
import type { Database } from "./database.js";
import { EpochReadCache } from "./read-cache.js";

let database: Database;
let drop: () => Promise<void>;

before(async () => {
  ({ database, drop } = await openTestDatabase());
  await prepareDatabase(database);
});
after(() => drop());

/** A cached read of one organization's name that counts how often it really reached the database. */
function countedRead(organizationId: number) {
  let loads = 0;
  return {
    get loads() {
      return loads;
    },
    read: () =>
      database.readCache.get(`test-organization:${organizationId}`, async () => {
        loads++;
        const row = await database.db
          .selectFrom("organization")
          .select("name")
          .where("id", "=", organizationId)
          .executeTakeFirstOrThrow();
        return row.name;
      }),
  };
}

async function newOrganization(name: string): Promise<number> {
  return newOrganizationIn(database, name);
}

async function newOrganizationIn(into: Database, name: string): Promise<number> {
  const row = await into.db
    .insertInto("organization")
    .values({ kind: "body", name, neq: String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

test("hot reads are served from memory while nothing is written, in both modes", async () => {
  const id = await newOrganization("Organisme A");
  const counter = countedRead(id);
  assert.equal(await counter.read(), "Organisme A");
  assert.equal(await counter.read(), "Organisme A");
  assert.equal(counter.loads, 1);
});

test("an update through Kysely, a raw statement and a transaction each send the next read to the database", async () => {
  const id = await newOrganization("Organisme B");
  const counter = countedRead(id);
  await counter.read();

  await database.db.updateTable("organization").set({ name: "Organisme B2" }).where("id", "=", id).execute();
  assert.equal(await counter.read(), "Organisme B2");

  await sql`update organization set name = ${"Organisme B3"} where id = ${id}`.execute(database.db);
  assert.equal(await counter.read(), "Organisme B3");

  await database.db.transaction().execute(async (trx) => {
    await trx.updateTable("organization").set({ name: "Organisme B4" }).where("id", "=", id).execute();
  });
  assert.equal(await counter.read(), "Organisme B4");

  // A SELECT may write too, through a data-modifying WITH.
  await database.db
    .with("renamed", (qc) =>
      qc.updateTable("organization").set({ name: "Organisme B5" }).where("id", "=", id).returning("id"),
    )
    .selectFrom("renamed")
    .select("id")
    .execute();
  assert.equal(await counter.read(), "Organisme B5");
});

test("a write that commits while a read waits for the connection leaves no stale entry behind", async () => {
  const id = await newOrganization("Organisme C");
  const counter = countedRead(id);
  let letCommit: () => void = () => undefined;
  const mayCommit = new Promise<void>((resolve) => {
    letCommit = resolve;
  });
  let updated: () => void = () => undefined;
  const hasUpdated = new Promise<void>((resolve) => {
    updated = resolve;
  });
  const writer = database.db.transaction().execute(async (trx) => {
    await trx.updateTable("organization").set({ name: "Organisme C2" }).where("id", "=", id).execute();
    updated();
    await mayCommit;
  });
  await hasUpdated;
  // The read starts while the transaction is open (the embedded connection is busy until it commits).
  const reading = counter.read();
  letCommit();
  await writer;
  // On PGlite the read waited for the one connection, so it sees the commit. On a PostgreSQL server it ran on
  // another connection and may have seen the row before the commit: either answer is right there, and the commit,
  // once seen by the next check, sends the next read back to the server (snapshot-cache.ts).
  const seen = await reading;
  if (database.kind === "pglite") assert.equal(seen, "Organisme C2");
  else assert.ok(seen === "Organisme C" || seen === "Organisme C2", seen);
  assert.equal(await counter.read(), "Organisme C2");
  await database.db.updateTable("organization").set({ name: "Organisme C3" }).where("id", "=", id).execute();
  assert.equal(await counter.read(), "Organisme C3");
});

test("an entry read before a write is not stored, and the cache stays within its size", async () => {
  const cache = new EpochReadCache({ value: 0 }, 2);
  let calls = 0;
  const load = async () => {
    calls++;
    cache.written();
    return calls;
  };
  assert.equal(await cache.get("k", load), 1);
  assert.equal(await cache.get("k", load), 2, "a value read across a write is never served again");

  const quiet = new EpochReadCache({ value: 0 }, 2);
  for (const key of ["a", "b", "c"]) await quiet.get(key, async () => key);
  assert.equal(quiet.size, 2);
});

test("appending to the audit log leaves the cache as it was; an audit row written with another change does not", async () => {
  const id = await newOrganization("Organisme D");
  const counter = countedRead(id);
  await counter.read();
  await recordAudit(
    { db: database.db, actor: ANONYMOUS, now: new Date(), ip: null },
    { action: "test.append", organizationId: id },
  );
  assert.equal(await counter.read(), "Organisme D");
  assert.equal(counter.loads, 1);

  await database.db.transaction().execute(async (trx) => {
    await trx.updateTable("organization").set({ name: "Organisme D2" }).where("id", "=", id).execute();
    await recordAudit({ db: trx, actor: ANONYMOUS, now: new Date(), ip: null }, { action: "test.rename" });
  });
  assert.equal(await counter.read(), "Organisme D2");
});

test("databases on one engine share its write epoch: a write through one makes the other's cache stale", async () => {
  const other = await openTestDatabase();
  try {
    await prepareDatabase(other.database);
    const id = await newOrganization("Organisme E");
    const counter = countedRead(id);
    await counter.read();
    // The other database writes to its own schema only; on one engine, the cache cannot tell, so it reads again. On a
    // PostgreSQL server each schema notes its own writers: a write elsewhere changes nothing read here.
    await newOrganizationIn(other.database, "Organisme d'ailleurs");
    assert.equal(await counter.read(), "Organisme E");
    assert.equal(counter.loads, database.kind === "pglite" ? 2 : 1);
  } finally {
    await other.drop();
  }
});
