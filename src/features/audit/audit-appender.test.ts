// Stand-alone audit records appended with a group commit: each request's records are committed when its promise
// resolves, records that arrive together share one statement, and a bad record fails its own request only.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KyselyPlugin } from "kysely";
import { openTestDatabase } from "../../../test/support/app.js";
import { prepareDatabase } from "../../bootstrap.js";
import type { Database } from "../../db/database.js";
import type { AuditEntry } from "./audit.queries.js";
import { appendAudit } from "./audit-appender.js";

let database: Database;
let drop: () => Promise<void>;

before(async () => {
  ({ database, drop } = await openTestDatabase());
  await prepareDatabase(database);
});
after(() => drop());

function entry(action: string, actorCode: string | null = null): AuditEntry {
  return { at: new Date(), actorUserId: null, actorCode, action, outcome: "success", details: { n: action } };
}

/** The database as seen through a plugin that counts the statements sent. */
function counted() {
  let statements = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return {
    db: database.db.withPlugin(plugin),
    get statements() {
      return statements;
    },
  };
}

async function actionsLike(prefix: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom("audit_event")
    .select("action")
    .where("action", "like", `${prefix}%`)
    .orderBy("id")
    .execute();
  return rows.map((row) => row.action);
}

test("records appended at once are all committed when their promises resolve, in fewer statements than requests", async () => {
  const counter = counted();
  const requests = Array.from({ length: 40 }, (_, i) =>
    appendAudit(counter.db, [entry(`group.${String(i).padStart(2, "0")}`)]),
  );
  await Promise.all(requests);
  const written = await actionsLike("group.");
  assert.equal(written.length, 40);
  assert.deepEqual(new Set(written).size, 40);
  assert.ok(
    counter.statements >= 1 && counter.statements < 40,
    `${counter.statements} statements for 40 requests`,
  );
});

test("records of separate callbacks of one event-loop turn share a statement, as requests arriving together do", async () => {
  // Each append comes from its own timer callback, as each request comes from its own socket's callback. The
  // embedded engine answers within the call: were the first record written at once, each would go alone.
  const counter = counted();
  const requests = await new Promise<Promise<void>[]>((resolve) => {
    const started: Promise<void>[] = [];
    for (let i = 0; i < 10; i++)
      setTimeout(() => {
        started.push(appendAudit(counter.db, [entry(`turn.${String(i).padStart(2, "0")}`)]));
        if (started.length === 10) resolve(started);
      }, 0);
  });
  await Promise.all(requests);
  assert.equal((await actionsLike("turn.")).length, 10);
  assert.ok(counter.statements <= 2, `${counter.statements} statements for 10 callbacks of one turn`);
});

test("a record the database refuses fails its own request; the others of its group are committed", async () => {
  const counter = counted();
  const results = await Promise.allSettled([
    appendAudit(counter.db, [entry("isolated.a")]),
    appendAudit(counter.db, [entry("isolated.b")]),
    // PostgreSQL refuses a NUL character in text.
    appendAudit(counter.db, [entry("isolated.bad", "bad\u0000code")]),
    appendAudit(counter.db, [entry("isolated.c"), entry("isolated.d")]),
  ]);
  assert.deepEqual(
    results.map((result) => result.status),
    ["fulfilled", "fulfilled", "rejected", "fulfilled"],
  );
  assert.deepEqual((await actionsLike("isolated.")).sort(), [
    "isolated.a",
    "isolated.b",
    "isolated.c",
    "isolated.d",
  ]);
});

test("inside a transaction the records are written with its change, and gone with its rollback", async () => {
  await assert.rejects(
    database.db.transaction().execute(async (trx) => {
      await appendAudit(trx, [entry("rolled.back")]);
      assert.deepEqual(
        (await trx.selectFrom("audit_event").select("action").where("action", "=", "rolled.back").execute())
          .length,
        1,
      );
      throw new Error("roll back");
    }),
    /roll back/,
  );
  assert.deepEqual(await actionsLike("rolled."), []);
});
