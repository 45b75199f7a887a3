// The hourly jobs run once an hour across servers sharing one PostgreSQL database: two servers firing together, one
// runs them and the other skips and says so; the next hour, they run again. The embedded database belongs to one
// process, so there the jobs simply run each time.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { buildApp } from "../src/app.js";
import { type Database, openDatabase } from "../src/db/database.js";
import { runHourlyJobs } from "../src/jobs.js";
import { startTestApp, type TestApp } from "./support/app.js";

const HOUR = 3_600_000;
const url = process.env.DATABASE_URL;

let t: TestApp;
/** A second server on the same database (PostgreSQL only): its own pool, its own app. */
let second: { database: Database; app: FastifyInstance; logs: string[] } | undefined;

before(async () => {
  t = await startTestApp();
  if (url) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(t.database.db);
    const schema = rows[0]?.schema;
    assert.ok(schema);
    const database = await openDatabase({ url, schema, poolSize: 2 });
    const logs: string[] = [];
    const logStream = new PassThrough();
    logStream.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    const app = await buildApp({
      config: { ...t.config, logLevel: "info" },
      database,
      clock: t.clock,
      logStream,
    });
    await app.ready();
    second = { database, app, logs };
  }
});
after(async () => {
  if (second) {
    await second.app.close();
    await second.database.close();
  }
  await t.close();
});

async function lastHour(): Promise<Date | null> {
  const row = await t.database.db
    .selectFrom("job_lease")
    .select(["last_hour", "holder"])
    .where("name", "=", "hourly")
    .executeTakeFirstOrThrow();
  assert.equal(row.holder, null, "the lease is released after a run");
  return row.last_hour;
}

test("two servers firing in the same hour: one runs the jobs, the other skips; the next hour they run again", {
  skip: url
    ? false
    : "the embedded database is opened by one process: there is no other server to share it with",
}, async () => {
  assert.ok(second);
  t.clock.set("2026-11-22T15:10:00Z");
  const first = await Promise.all([runHourlyJobs(t.app, "server-a"), runHourlyJobs(second.app, "server-b")]);
  assert.equal(first.filter(Boolean).length, 1, `exactly one ran: ${first}`);
  assert.deepEqual(await lastHour(), new Date("2026-11-22T15:00:00Z"));

  // Later in the same hour, neither runs them again; the one that skips says so.
  t.clock.set("2026-11-22T15:50:00Z");
  second.logs.length = 0;
  assert.deepEqual(
    await Promise.all([runHourlyJobs(second.app, "server-b"), runHourlyJobs(t.app, "server-a")]),
    [false, false],
  );
  assert.ok(
    second.logs.some((line) => line.includes("periodic jobs skipped")),
    second.logs.join(""),
  );

  t.clock.advance(HOUR);
  const next = await Promise.all([runHourlyJobs(second.app, "server-b"), runHourlyJobs(t.app, "server-a")]);
  assert.equal(next.filter(Boolean).length, 1, `exactly one ran the next hour: ${next}`);
  assert.deepEqual(await lastHour(), new Date("2026-11-22T16:00:00Z"));
});

test("a lease left by a server killed mid-run lapses: another server runs the jobs once it has", {
  skip: url ? false : "the embedded database has no lease",
}, async () => {
  assert.ok(second);
  t.clock.set("2026-11-22T18:05:00Z");
  await t.database.db
    .updateTable("job_lease")
    .set({ holder: "killed", held_until: new Date("2026-11-22T18:35:00Z") })
    .where("name", "=", "hourly")
    .execute();
  assert.equal(await runHourlyJobs(second.app, "server-b"), false, "held by the killed server");
  t.clock.set("2026-11-22T18:40:00Z");
  assert.equal(await runHourlyJobs(second.app, "server-b"), true, "the lease lapsed");
  assert.deepEqual(await lastHour(), new Date("2026-11-22T18:00:00Z"));
});

test("on the embedded database the jobs just run, each time they are asked", {
  skip: url ? "PostgreSQL: the lease applies" : false,
}, async () => {
  t.clock.set("2026-11-22T15:10:00Z");
  assert.equal(await runHourlyJobs(t.app, "server-a"), true);
  assert.equal(await runHourlyJobs(t.app, "server-a"), true);
});
