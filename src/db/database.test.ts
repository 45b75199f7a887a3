// Both modes return the same values, migrations apply once, and PGlite's single connection is never shared mid-transaction.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { openTestDatabase } from "../../test/support/app.js";
import type { Database } from "./database.js";
import { parseBytea, parseInt8 } from "./database.js";
import { migrate } from "./migrate.js";

let database: Database;
let drop: () => Promise<void>;

before(async () => {
  ({ database, drop } = await openTestDatabase());
  await migrate(database);
});
after(() => drop());

test("int8 comes back as a number, bytea as a Buffer, date as a string, numeric as a string, timestamptz as a Date", async () => {
  const { rows } = await sql<{
    big: unknown;
    count: unknown;
    bytes: unknown;
    day: unknown;
    amount: unknown;
    at: unknown;
  }>`select 9007199254740991::int8 as big, count(*) as count, '\\x00ff10'::bytea as bytes,
            '2026-03-01'::date as day, 1234.50::numeric(12,2) as amount,
            '2026-11-22T15:00:00Z'::timestamptz as at`.execute(database.db);
  const row = rows[0];
  assert.ok(row);
  assert.equal(row.big, 9007199254740991);
  assert.equal(row.count, 1);
  assert.ok(Buffer.isBuffer(row.bytes));
  assert.deepEqual(row.bytes, Buffer.from([0x00, 0xff, 0x10]));
  assert.equal(row.day, "2026-03-01");
  assert.equal(row.amount, "1234.50");
  assert.ok(row.at instanceof Date);
  assert.equal(row.at.toISOString(), "2026-11-22T15:00:00.000Z");
});

test("an int8 beyond 2^53 is an error, never a silent rounding", async () => {
  assert.throws(() => parseInt8("9007199254740993"), RangeError);
  assert.equal(parseInt8("-42"), -42);
  await assert.rejects(sql`select 9007199254740993::int8 as big`.execute(database.db));
});

test("bytea written as a Buffer reads back byte for byte", async () => {
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  await sql`create table if not exists bytes_probe_t (id int primary key, b bytea)`.execute(database.db);
  await sql`insert into bytes_probe_t (id, b) values (1, ${bytes})`.execute(database.db);
  const { rows } = await sql<{ b: Buffer }>`select b from bytes_probe_t where id = 1`.execute(database.db);
  assert.deepEqual(rows[0]?.b, bytes);
  assert.deepEqual(parseBytea("\\x0a0b"), Buffer.from([10, 11]));
});

test("migrations are applied once: a second run applies nothing", async () => {
  assert.deepEqual(await migrate(database), []);
  const { rows } = await sql<{ n: number }>`select count(*) as n from schema_migration`.execute(database.db);
  assert.ok((rows[0]?.n ?? 0) >= 1);
});

test("a query made while another request's transaction is open is not swept into it", async () => {
  await sql`create table if not exists probe (id int primary key)`.execute(database.db);
  let inside: () => void = () => undefined;
  const entered = new Promise<void>((resolve) => {
    inside = resolve;
  });
  const failing = database.db.transaction().execute(async (trx) => {
    await sql`insert into probe (id) values (1)`.execute(trx);
    inside();
    await new Promise((resolve) => setTimeout(resolve, 50));
    throw new Error("roll back");
  });
  await entered;
  const outside = sql`insert into probe (id) values (2)`.execute(database.db);
  await assert.rejects(failing, /roll back/);
  await outside;
  const { rows } = await sql<{ id: number }>`select id from probe order by id`.execute(database.db);
  assert.deepEqual(
    rows.map((r) => r.id),
    [2],
  );
});

test("concurrent transactions each commit or roll back on their own", async () => {
  await sql`create table if not exists counter (id int primary key, n int not null)`.execute(database.db);
  await sql`insert into counter (id, n) values (1, 0)`.execute(database.db);
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      database.db
        .transaction()
        .execute(async (trx) => {
          await sql`update counter set n = n + 1 where id = 1`.execute(trx);
          if (i % 2 === 1) throw new Error("odd ones roll back");
        })
        .catch(() => undefined),
    ),
  );
  const { rows } = await sql<{ n: number }>`select n from counter where id = 1`.execute(database.db);
  assert.equal(rows[0]?.n, 10);
});

test("the audit log is append-only: rows cannot be changed or deleted", async () => {
  await database.db
    .insertInto("audit_event")
    .values({
      at: new Date(),
      actor_user_id: null,
      actor_code: null,
      action: "test.append",
      outcome: "success",
    })
    .execute();
  await assert.rejects(
    database.db
      .updateTable("audit_event")
      .set({ action: "tampered" })
      .where("action", "=", "test.append")
      .execute(),
    /append-only/,
  );
  await assert.rejects(
    database.db.deleteFrom("audit_event").where("action", "=", "test.append").execute(),
    /append-only/,
  );
  const rows = await database.db
    .selectFrom("audit_event")
    .select("action")
    .where("action", "=", "test.append")
    .execute();
  assert.equal(rows.length, 1);
});

test("test databases opened side by side keep their own tables, even with their statements and transactions interleaved", async () => {
  const first = await openTestDatabase();
  const second = await openTestDatabase();
  try {
    for (const [index, { database: each }] of [first, second].entries()) {
      await sql`create table side_probe (n int not null)`.execute(each.db);
      await sql`insert into side_probe values (${index + 1})`.execute(each.db);
    }
    // Interleaved: a transaction on one, plain statements on the other while it is open.
    const inFirst = first.database.db.transaction().execute(async (trx) => {
      await sql`insert into side_probe values (10)`.execute(trx);
      return (await sql<{ n: number }>`select n from side_probe order by n`.execute(trx)).rows.map(
        (r) => r.n,
      );
    });
    const inSecond = Promise.all(
      [0, 1, 2].map(
        async () => (await sql<{ n: number }>`select n from side_probe`.execute(second.database.db)).rows,
      ),
    );
    assert.deepEqual(await inFirst, [1, 10]);
    assert.deepEqual(await inSecond, [[{ n: 2 }], [{ n: 2 }], [{ n: 2 }]]);
    // Neither sees the other's schema's table, nor the main test database's tables in its own.
    const tables = await sql<{ schema: string }>`
      select table_schema as schema from information_schema.tables where table_name = 'side_probe'`.execute(
      database.db,
    );
    assert.equal(tables.rows.length, 2, "one side_probe table in each of the two schemas");
    await assert.rejects(sql`select 1 from app_user`.execute(first.database.db), /app_user/);
  } finally {
    await first.drop();
  }
  // Dropping one leaves the others working on the same engine.
  const after = await sql<{ n: number }>`select n from side_probe`.execute(second.database.db);
  assert.deepEqual(after.rows, [{ n: 2 }]);
  await second.drop();
  const still = await sql<{ one: number }>`select 1 as one`.execute(database.db);
  assert.deepEqual(still.rows, [{ one: 1 }]);
});
