// Issue #16, several instances: two real server processes on one PostgreSQL database and one Redis take a services
// officer's account creations side by side; one is killed with SIGKILL mid-stream, and every creation that either
// acknowledged (303 to the new account) is in the database, with its audit record. The hourly jobs, fired by both at
// start, run once between them (test/jobs-lease.test.ts shows the lease with two apps in one process; this is across
// processes). The embedded database belongs to one process: without DATABASE_URL there is nothing to share.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { prepareDatabase } from "../src/bootstrap.js";
import { systemClock } from "../src/clock.js";
import { openDatabase } from "../src/db/database.js";
import { PasswordHasher } from "../src/features/auth/password-hasher.js";
import { TEST_PASSWORD } from "./support/app.js";
import { Factories } from "./support/factories.js";
import { HttpClient } from "./support/http-client.js";
import { freshPrefix, removeKeys, TEST_REDIS_URL, testRedis } from "./support/redis.js";
import { freePort, serverSchema, startServerProcess, stopProcess } from "./support/server-process.js";

const url = process.env.DATABASE_URL;
const START_TIMEOUT_MS = 240_000;
const HOUR = 3_600_000;
/** Writes each server takes at once: with several in flight, the kill is likely to cut some off. */
const WRITERS_PER_SERVER = 3;
/** The killed server's acknowledged writes before the kill, and the survivor's after it. */
const BEFORE_KILL = 6;
const AFTER_KILL = 9;

type Server = { name: string; origin: string; child: ChildProcess; output: string[] };

const hourOf = (at: number) => Math.floor(at / HOUR);

const { redis: testConnection, skip: noRedis } = await testRedis();
after(() => testConnection?.quit());

test("two server processes: every write either acknowledged survives one's SIGKILL, and the hourly jobs run once between them", {
  skip: (url === undefined && "needs DATABASE_URL: two processes share one PostgreSQL database") || noRedis,
  timeout: 600_000,
}, async (t) => {
  const schema = await serverSchema("instances");
  const redis = testConnection;
  assert.ok(schema && redis);
  const prefix = freshPrefix();
  const dataDirs: string[] = [];
  const servers: Server[] = [];
  // The test's own view of the database: to set it up, and to count what the servers wrote.
  const database = await openDatabase({ url: schema.databaseUrl, schema: schema.schema, poolSize: 2 });
  const hasher = new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }, 1);
  try {
    await prepareDatabase(database);
    const factories = new Factories(database.db, hasher, systemClock);
    const org = await factories.organization();
    const officer = await factories.user(org, { servicesOfficer: true });

    // What every instance of one site shares: the database, Redis, and the secrets that sign cookies.
    const shared = {
      DATABASE_URL: schema.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      COOKIE_SECRET: randomBytes(32).toString("base64url"),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      OIDC_PAIRWISE_SECRET: randomBytes(32).toString("base64url"),
      PUBLIC_URL: "http://guichet.test",
      HOST: "127.0.0.1",
      ARGON2_MEMORY_KIB: "1024",
      ARGON2_TIME_COST: "1",
      HASH_CONCURRENCY: "1",
      LOG_LEVEL: "info",
      SEED_DEMO: "false",
      OUTBOX_POLL_MS: "600000",
    };
    const startedAt = Date.now();
    await Promise.all(
      ["a", "b"].map(async (name) => {
        const dataDir = await mkdtemp(join(tmpdir(), `guichet-instance-${name}-`));
        dataDirs.push(dataDir);
        const port = await freePort();
        const output: string[] = [];
        const child = await startServerProcess(
          { ...shared, DATA_DIR: dataDir, PORT: String(port) },
          START_TIMEOUT_MS,
          (text) => output.push(text),
        );
        servers.push({ name, origin: `http://127.0.0.1:${port}`, child, output });
      }),
    );
    const listeningAt = Date.now();
    const a = servers.find((server) => server.name === "a");
    const b = servers.find((server) => server.name === "b");
    assert.ok(a && b);

    // One session, opened on one instance, serves on both: it lives in the database.
    const browser = new HttpClient();
    const signedIn = await browser.signIn(a.origin, officer.userCode, TEST_PASSWORD);
    assert.equal(signedIn.status, 303, signedIn.body);
    // A sign-in starts a new form secret (CSRF), made by the first form read after it: read one before the writers
    // start, or their first reads, at once on both servers, would each make one and the later would void the other's.
    assert.equal((await browser.get(`${a.origin}/utilisateurs/nouveau`)).status, 200);

    const acknowledged = new Map<string, { email: string; server: string }>();
    let answered = 0;
    let sequence = 0;
    let afterKill = 0;
    let killed = false;
    const perServer = new Map<string, number>();

    /** Creates one account through `server`'s form; its code when acknowledged (303 to the account's page). */
    const createUser = async (server: Server): Promise<void> => {
      const form = await browser.get(`${server.origin}/utilisateurs/nouveau`);
      answered++;
      assert.equal(form.status, 200, `${server.name}: the form, ${form.status}`);
      const key = /name="cle" value="([^"]+)"/.exec(form.body)?.[1];
      assert.ok(key, "the create form carries its one-time key");
      sequence++;
      const email = `instance.${sequence}.${randomBytes(3).toString("hex")}@essai.example`;
      const created = await browser.post(`${server.origin}/utilisateurs`, {
        cle: key,
        civility: "Mme",
        firstName: "Julie",
        lastName: `Instance${sequence}`,
        jobTitle: "Greffière",
        phone: "418 691-2005",
        phoneExtension: "",
        email,
      });
      answered++;
      const code = /^\/utilisateurs\/([A-Z0-9]{7})$/.exec(created.location ?? "")?.[1];
      assert.equal(
        created.status,
        303,
        `${server.name}: ${created.status} ${created.body.replace(/[\s\S]*<main/, "<main").slice(0, 800)}`,
      );
      assert.ok(code, `${server.name}: unexpected location ${created.location}`);
      acknowledged.set(code, { email, server: server.name });
      perServer.set(server.name, (perServer.get(server.name) ?? 0) + 1);
      if (killed && server === b) afterKill++;
    };

    // The killed server's writers stop at their first request cut off or refused; the survivor's must all succeed.
    const writer = async (server: Server) => {
      for (;;) {
        if (server === a && killed) return;
        if (server === b && afterKill >= AFTER_KILL) return;
        try {
          await createUser(server);
        } catch (error) {
          if (server === a && killed) return;
          throw error;
        }
      }
    };
    const killer = async () => {
      while ((perServer.get("a") ?? 0) < BEFORE_KILL) await sleep(5);
      killed = true;
      await stopProcess(a.child, "SIGKILL");
    };
    await Promise.all([
      killer(),
      ...servers.flatMap((server) => Array.from({ length: WRITERS_PER_SERVER }, () => writer(server))),
    ]);

    assert.ok((perServer.get("a") ?? 0) >= BEFORE_KILL, "writes acknowledged by the killed server");
    assert.ok(afterKill >= AFTER_KILL, "writes acknowledged by the survivor after the kill");
    const codes = [...acknowledged.keys()];
    const rows = await database.db
      .selectFrom("app_user")
      .select(["id", "user_code", "email"])
      .where("organization_id", "=", org.id)
      .where("id", "!=", officer.id)
      .execute();
    const stored = new Map(rows.map((row) => [row.user_code, row]));
    const missing = codes.filter((code) => stored.get(code)?.email !== acknowledged.get(code)?.email);
    assert.deepEqual(missing, [], "every acknowledged write is in the database");
    assert.equal(missing.length, 0);
    t.diagnostic(
      `acknowledged: ${perServer.get("a")} by the killed server, ${perServer.get("b")} by the survivor; ` +
        `accounts in the database: ${rows.length} (a write cut off by the kill may have committed)`,
    );
    // A write cut off by the kill may have committed or not, never in half: every account has its audit record.
    const audited = await database.db
      .selectFrom("audit_event")
      .select("target_id")
      .where("action", "=", "account.create")
      .where("outcome", "=", "success")
      .execute();
    const auditedIds = new Set(audited.map((row) => row.target_id));
    assert.deepEqual(
      rows.filter((row) => !auditedIds.has(String(row.id))).map((row) => row.user_code),
      [],
      "no account without its audit record",
    );

    // Both instances counted the pages' requests into one key of Redis (the form posts and pages are under the
    // site-wide limit; requests cut off by the kill may have been counted too).
    const counted = Number(await redis.get(`${prefix}127.0.0.1`));
    assert.ok(counted >= answered, `counted ${counted}, answered ${answered}`);

    // The hourly jobs: each server fires them at start; both started within one clock hour, one ran them and the other
    // skipped. (Two starts on either side of an hour each run theirs: then only the lease's hour is checked.)
    const skipped = () =>
      servers.filter((server) => server.output.join("").includes("periodic jobs skipped")).length;
    for (let waited = 0; skipped() === 0 && waited < 30_000; waited += 200) await sleep(200);
    const lease = await database.db
      .selectFrom("job_lease")
      .select(["last_hour", "holder"])
      .where("name", "=", "hourly")
      .executeTakeFirstOrThrow();
    assert.equal(lease.holder, null, "the lease is released after the run");
    assert.equal(lease.last_hour?.getTime(), hourOf(listeningAt) * HOUR);
    if (hourOf(startedAt) === hourOf(listeningAt)) assert.equal(skipped(), 1, "exactly one server skipped");
    else t.diagnostic("the two servers started on either side of an hour: each ran that hour's jobs");
  } finally {
    for (const server of servers) await stopProcess(server.child, "SIGKILL");
    await hasher.close();
    await database.close();
    await schema.drop();
    await removeKeys(redis, prefix);
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  }
});
