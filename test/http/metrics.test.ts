// /metrics: Prometheus text for the loopback or the token holder only (a 404 for anyone else), request durations by
// route pattern, the database pool, the outbox backlog, the jobs' lag, uploads in progress, sign-in failures and Node's
// own process metrics.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { after, before, test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.js";
import { queueMail } from "../../src/features/mail/mail.service.js";
import { metricsAccess } from "../../src/features/metrics/metrics.routes.js";
import { JobSchedule } from "../../src/jobs.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { minimalPdf } from "../support/bad-files.js";
import {
  cookieHeader,
  makeRecipient,
  senderWithProcuration,
  uploadAction,
} from "../support/file-transfer-client.js";

const TOKEN = randomBytes(32).toString("base64url");
const OUTSIDE = "203.0.113.9";

let t: TestApp;

before(async () => {
  t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
});
after(() => t.close());

async function scrape(): Promise<string> {
  const response = await t.app.inject({ method: "GET", url: "/metrics", remoteAddress: "127.0.0.1" });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
  return response.body;
}

/** The value of one sample, named with its labels as Prometheus writes them; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test("a scrape after a few requests counts each by method, route pattern and status, never by the address asked", async () => {
  await t.app.inject({ method: "GET", url: "/sante" });
  await t.app.inject({ method: "GET", url: "/sante" });
  await t.app.inject({ method: "GET", url: "/services/D32-PRIMEAU/demandes/123456" });
  await t.app.inject({ method: "GET", url: "/nexiste-pas/a9f3e" });
  const text = await scrape();
  assert.equal(
    sample(
      text,
      'guichet_http_request_duration_seconds_count{method="GET",route="/sante",status_code="200"}',
    ),
    2,
  );
  assert.match(
    text,
    /guichet_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/sante",status_code="200"\} \d/,
  );
  assert.match(text, /route="\/services\/:code\/demandes\/:number"/);
  assert.match(text, /route="unmatched",status_code="404"/);
  assert.doesNotMatch(text, /123456|a9f3e|nexiste/, "no raw address in a label");
});

test("the pool, the outbox, the jobs and uploads are read at scrape time", async () => {
  await t.database.db.deleteFrom("mail_outbox").execute();
  await queueMail(t.database.db, { to: "a@exemple.test", subject: "En attente", text: "x" }, t.clock());
  t.clock.advance(90_000);
  const text = await scrape();
  assert.equal(sample(text, "guichet_db_pool_in_use"), 0);
  assert.equal(sample(text, "guichet_db_pool_waiting"), 0);
  assert.equal(sample(text, 'guichet_outbox_backlog{outbox="mail"}'), 1);
  assert.equal(sample(text, 'guichet_outbox_oldest_age_seconds{outbox="mail"}'), 90);
  assert.equal(sample(text, 'guichet_outbox_backlog{outbox="backchannel"}'), 0);
  assert.equal(sample(text, 'guichet_outbox_oldest_age_seconds{outbox="backchannel"}'), 0);
  assert.equal(sample(text, "guichet_jobs_lag_seconds"), 0, "the jobs do not run in this process");
  assert.equal(sample(text, "guichet_uploads_in_progress"), 0);
  await t.database.db.deleteFrom("mail_outbox").execute();
});

test("Node's own process metrics say what the resident memory is made of", async () => {
  const text = await scrape();
  const resident = sample(text, "process_resident_memory_bytes");
  const heapUsed = sample(text, "nodejs_heap_size_used_bytes");
  const heapTotal = sample(text, "nodejs_heap_size_total_bytes");
  assert.ok(resident !== undefined && resident > 0, "resident memory");
  assert.ok(
    heapUsed !== undefined && heapTotal !== undefined && heapUsed > 0 && heapUsed <= heapTotal,
    "heap",
  );
  assert.ok(heapTotal < resident, "the heap is part of the resident memory");
  assert.ok((sample(text, "nodejs_external_memory_bytes") ?? -1) >= 0, "external memory");
  assert.match(text, /^nodejs_eventloop_lag_p99_seconds \S+$/m);
});

test("sign-in failures are counted by step", async () => {
  const user = await t.factories.user(await t.factories.organization("municipality"));
  const before = sample(await scrape(), 'guichet_sign_in_failures_total{step="password"}');
  assert.equal(sample(await scrape(), 'guichet_sign_in_failures_total{step="second_factor"}'), 0);
  const agent = t.agent();
  await agent.get("/connexion");
  await agent.post("/connexion", { userCode: user.userCode, password: "Mauvais-mot-de-passe-1" });
  assert.equal(sample(await scrape(), 'guichet_sign_in_failures_total{step="password"}'), (before ?? 0) + 1);
});

test("an upload counts as in progress from its first byte until its answer", async () => {
  const ministry = await t.factories.organization("ministry");
  const city = await t.factories.organization("municipality");
  assert.ok(city.geoCode);
  const sender = await senderWithProcuration(t, city, ministry.id);
  await makeRecipient(t.database.db, ministry.id, { code: "essai-metriques", maxFileBytes: 1024 * 1024 });
  const agent = await t.signIn(sender.userCode);
  const page = await agent.get("/transfert-fichiers?destinataire=essai-metriques");
  const boundary = "----guichetmetriques";
  const body = new PassThrough();
  const upload = t.app.inject({
    method: "POST",
    url: uploadAction(page.body),
    headers: { cookie: cookieHeader(agent), "content-type": `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
  const pdf = minimalPdf();
  body.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${city.geoCode} Plan.pdf"\r\n` +
      "Content-Type: application/pdf\r\n\r\n",
  );
  body.write(pdf.subarray(0, 100));
  let during: number | undefined;
  for (let i = 0; i < 50 && during !== 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    during = sample(await scrape(), "guichet_uploads_in_progress");
  }
  assert.equal(during, 1);
  body.end(Buffer.concat([pdf.subarray(100), Buffer.from(`\r\n--${boundary}--\r\n`)]));
  assert.equal((await upload).statusCode, 303, "the file was received whole");
  assert.equal(sample(await scrape(), "guichet_uploads_in_progress"), 0);
});

test("from an address not allowed, /metrics is the site's 404, unless the token comes with the request", async () => {
  const refused = await t.app.inject({ method: "GET", url: "/metrics", remoteAddress: OUTSIDE });
  assert.equal(refused.statusCode, 404);
  assert.doesNotMatch(refused.body, /guichet_/);
  const wrong = await t.app.inject({
    method: "GET",
    url: "/metrics",
    remoteAddress: OUTSIDE,
    headers: { authorization: `Bearer ${TOKEN.slice(1)}x` },
  });
  assert.equal(wrong.statusCode, 404);
  const accepted = await t.app.inject({
    method: "GET",
    url: "/metrics",
    remoteAddress: OUTSIDE,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(accepted.statusCode, 200);
  assert.match(accepted.body, /# TYPE guichet_http_request_duration_seconds histogram/);
  const loopback6 = await t.app.inject({ method: "GET", url: "/metrics", remoteAddress: "::1" });
  assert.equal(loopback6.statusCode, 200);
});

test("METRICS_ALLOW takes addresses and networks, IPv4 clients seen through IPv6 included; nothing else", () => {
  const base = { COOKIE_SECRET: randomBytes(32).toString("base64url"), DATA_DIR: t.dataDir };
  const check = (allow: string, ip: string, token?: string) =>
    metricsAccess(loadConfig({ ...base, METRICS_ALLOW: allow, ...(token ? { METRICS_TOKEN: token } : {}) }))({
      ip,
      headers: {},
    } as never);
  assert.equal(check("10.0.0.0/8, 192.0.2.7", "10.20.30.40"), true);
  assert.equal(check("10.0.0.0/8, 192.0.2.7", "::ffff:192.0.2.7"), true);
  assert.equal(check("10.0.0.0/8, 192.0.2.7", "192.0.2.8"), false);
  assert.equal(check("none", "127.0.0.1"), false);
  assert.equal(check("fd00::/8", "fd12::1"), true);
  for (const bad of ["localhost", "10.0.0.0/33", "10.0.0.0/", "::1/129", "1.2.3.4/8/9"])
    assert.throws(() => loadConfig({ ...base, METRICS_ALLOW: bad }), ConfigError, bad);
  assert.throws(() => loadConfig({ ...base, METRICS_TOKEN: "court" }), ConfigError);
});

test("the jobs' lag is 0 while each run completes within its interval, then the time past it", () => {
  const jobs = new JobSchedule();
  const start = new Date("2026-11-22T15:00:00Z");
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
  assert.equal(jobs.lagSeconds(at(500)), 0, "not started in this process");
  jobs.started(3_600_000, start);
  assert.equal(jobs.lagSeconds(at(59)), 0);
  jobs.succeeded(start);
  assert.equal(jobs.lastSuccessSeconds(), start.getTime() / 1000);
  assert.equal(jobs.lagSeconds(at(61)), 60);
  jobs.succeeded(at(60));
  assert.equal(jobs.lagSeconds(at(110)), 0);
  assert.equal(jobs.lagSeconds(at(125)), 300);
});
