// The embedded engine keeps statements prepared by their text (engine-driver.ts). What a prepared statement must never
// do: answer from another schema's tables after search_path moved, miss a column added since, stay broken after a
// failure, or grow without end. Each check holds on a PostgreSQL server too, where nothing is prepared.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { openTestDatabase } from "../../test/support/app.js";
import type { Database } from "./database.js";

let one: { database: Database; drop(): Promise<void> };
let two: { database: Database; drop(): Promise<void> };

before(async () => {
  one = await openTestDatabase();
  two = await openTestDatabase();
  for (const { database } of [one, two])
    await sql`create table prepared_probe (id int primary key, label text not null)`.execute(database.db);
  await sql`insert into prepared_probe values (1, 'un')`.execute(one.database.db);
  await sql`insert into prepared_probe values (1, 'deux')`.execute(two.database.db);
});
after(async () => {
  await one.drop();
  await two.drop();
});

const labelOf = (database: Database) =>
  database.db
    .selectFrom("prepared_probe" as never)
    .select(sql<string>`label`.as("label"))
    .executeTakeFirstOrThrow();

test("the same statement text on two databases of one engine reads each one's own table, turn after turn", async () => {
  for (let round = 0; round < 3; round++) {
    assert.equal((await labelOf(one.database)).label, "un");
    assert.equal((await labelOf(two.database)).label, "deux");
  }
});

test("a statement prepared before a column was added sees the new column", async () => {
  const all = () =>
    sql<Record<string, unknown>>`select * from prepared_probe order by id`.execute(one.database.db);
  assert.deepEqual(Object.keys((await all()).rows[0] ?? {}), ["id", "label"]);
  await sql`alter table prepared_probe add column note text default 'ajoutée'`.execute(one.database.db);
  assert.deepEqual((await all()).rows[0], { id: 1, label: "un", note: "ajoutée" });
});

test("a statement that failed runs again, and the error is the engine's own", async () => {
  const insert = (id: number, label: string) =>
    sql`insert into prepared_probe (id, label) values (${id}, ${label})`.execute(one.database.db);
  await assert.rejects(
    insert(1, "doublon"),
    (error: unknown) => Reflect.get(error as object, "code") === "23505",
  );
  await assert.rejects(
    insert(1, "doublon"),
    (error: unknown) => Reflect.get(error as object, "code") === "23505",
  );
  await insert(2, "deux");
  // In a transaction aborted by an error, the rollback still runs.
  await assert.rejects(
    one.database.db.transaction().execute(async (trx) => {
      await sql`insert into prepared_probe (id, label) values (${3}, ${"trois"})`.execute(trx);
      await sql`insert into prepared_probe (id, label) values (${1}, ${"doublon"})`.execute(trx);
    }),
  );
  const ids = await sql<{ id: number }>`select id from prepared_probe order by id`.execute(one.database.db);
  assert.deepEqual(
    ids.rows.map((row) => row.id),
    [1, 2],
  );
});

test("more distinct statements than are kept prepared all answer right, the oldest closed and prepared again", async () => {
  for (let pass = 0; pass < 2; pass++)
    for (let n = 0; n < 600; n++) {
      const { rows } = await sql<{
        n: number;
      }>`select ${sql.lit(n)}::int as n, id from prepared_probe where id = ${1}`.execute(one.database.db);
      assert.equal(rows[0]?.n, n);
    }
  if (one.database.kind === "pglite") {
    const { rows } = await sql<{
      count: number;
    }>`select count(*)::int as count from pg_prepared_statements`.execute(one.database.db);
    assert.ok((rows[0]?.count ?? 0) <= 501, `${rows[0]?.count} statements kept prepared`);
  }
});
