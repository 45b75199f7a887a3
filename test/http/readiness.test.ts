// /sante/pret, the readiness check: 503 naming what is not ready (migrations pending, the database or the configured
// S3 bucket not answering) until everything is, then 200; /sante stays the liveness check; the benchmarks' hello-world
// route only when asked for.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { startTestApp, type TestApp } from "../support/app.js";

let t: TestApp;

before(async () => {
  t = await startTestApp();
});
after(() => t.close());

/** A port on 127.0.0.1 where nothing listens any more. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address !== "string");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

test("a migrated database that answers, without S3: ready", async () => {
  const response = await t.app.inject({ method: "GET", url: "/sante/pret" });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { status: "ready", checks: { database: "ok", migrations: "ok" } });
  assert.match(String(response.headers["cache-control"]), /no-store/);
});

test("a migration not applied: 503 naming the migrations, until it is", async () => {
  const fresh = await startTestApp();
  try {
    const last = await sql<{ version: number; name: string }>`
      delete from schema_migration where version = (select max(version) from schema_migration)
      returning version, name`.execute(fresh.database.db);
    const removed = last.rows[0];
    assert.ok(removed);
    const pending = await fresh.app.inject({ method: "GET", url: "/sante/pret" });
    assert.equal(pending.statusCode, 503);
    assert.deepEqual(pending.json(), {
      status: "not_ready",
      notReady: ["migrations"],
      checks: { database: "ok", migrations: "pending" },
    });
    assert.equal((await fresh.app.inject({ method: "GET", url: "/sante" })).statusCode, 200, "still alive");
    await sql`insert into schema_migration (version, name) values (${removed.version}, ${removed.name})`.execute(
      fresh.database.db,
    );
    assert.equal((await fresh.app.inject({ method: "GET", url: "/sante/pret" })).statusCode, 200);
  } finally {
    await fresh.close();
  }
});

test("an S3 bucket configured on a closed port: 503 naming s3, within the check's time limit", async () => {
  const port = await closedPort();
  const withS3 = await startTestApp({
    env: {
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: "guichet-absent",
      S3_ACCESS_KEY_ID: "essai",
      S3_SECRET_ACCESS_KEY: "secret-essai",
    },
  });
  try {
    const started = Date.now();
    const response = await withS3.app.inject({ method: "GET", url: "/sante/pret" });
    assert.ok(Date.now() - started < 5000, "answered without waiting for the SDK's retries");
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), {
      status: "not_ready",
      notReady: ["s3"],
      checks: { database: "ok", migrations: "ok", s3: "unreachable" },
    });
  } finally {
    await withS3.close();
  }
});

test("the benchmarks' hello-world route exists only with BENCH_HELLO_ROUTE", async () => {
  const absent = await t.app.inject({ method: "GET", url: "/banc/bonjour" });
  assert.equal(absent.statusCode, 404);
  const bench = await startTestApp({ env: { BENCH_HELLO_ROUTE: "true" } });
  try {
    const hello = await bench.app.inject({ method: "GET", url: "/banc/bonjour" });
    assert.equal(hello.statusCode, 200);
    assert.equal(hello.body, "hello world");
  } finally {
    await bench.close();
  }
});
