// Cookies, CSRF, headers, body limits, health, error pages, log hygiene and sign-in accessibility, through real HTTP.
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { openDatabase } from "../../src/db/database.js";
import { issueAccountLink } from "../../src/features/auth/auth.service.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeUser } from "../support/factories.js";

const CSRF_MESSAGE = "Le formulaire a expiré ou sa provenance n'a pu être vérifiée.";
const INTERNAL_MESSAGE = "Une erreur inattendue est survenue";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

async function newUser(app: TestApp = t): Promise<MadeUser> {
  return app.factories.user(await app.factories.organization());
}

function cookieFrom(response: Response, name: string) {
  return response.cookies.find((cookie) => cookie.name === name);
}

function setCookieHeaders(response: Response): string[] {
  const raw = response.headers["set-cookie"];
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}

/** Signs in through the form and returns the response that set the cookies. */
async function signInResponse(agent: Agent, userCode: string): Promise<Response> {
  await agent.get("/connexion");
  const response = await agent.post("/connexion", { userCode, password: TEST_PASSWORD });
  assert.equal(response.statusCode, 303);
  return response;
}

/** Traces of a stack: "at fn (file:line:col)", source paths, error class names. */
function assertNoStack(body: string): void {
  assert.doesNotMatch(body, /\bat [^\s<]+ \(|\.tsx?:\d+|node_modules|node:internal|\/work\/|Error:/);
}

/** Drops a test schema left behind by an instance whose database was closed on purpose. */
async function dropSchemaOf(schema: string | undefined): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !schema) return;
  const admin = await openDatabase({ url, poolSize: 1 });
  try {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
  } finally {
    await admin.close();
  }
}

// 1. Cookies

test("over http the session cookie is HttpOnly and SameSite=Lax, without Secure", async () => {
  const user = await newUser();
  const response = await signInResponse(t.agent(), user.userCode);
  const session = cookieFrom(response, "guichet_session");
  assert.ok(session, "a session cookie is set");
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, "Lax");
  assert.notEqual(session.secure, true);
  assert.equal(session.path, "/");
  const device = cookieFrom(response, "guichet_device");
  assert.ok(device);
  assert.equal(device.httpOnly, true);
  const header = setCookieHeaders(response).find((line) => line.startsWith("guichet_session="));
  assert.ok(header);
  assert.match(header, /; HttpOnly/);
  assert.match(header, /; SameSite=Lax/);
  assert.doesNotMatch(header, /; Secure/);
  assert.equal(response.headers["strict-transport-security"], undefined);
});

test("behind HTTPS the session cookie is __Host-guichet_session: Secure, Path=/, no Domain", async () => {
  const secure = await startTestApp({ env: { PUBLIC_URL: "https://guichet.test" } });
  try {
    const user = await newUser(secure);
    const agent = secure.agent();
    const response = await signInResponse(agent, user.userCode);
    for (const name of ["__Host-guichet_session", "__Host-guichet_device"]) {
      const cookie = cookieFrom(response, name);
      assert.ok(cookie, `${name} is set`);
      assert.equal(cookie.secure, true, name);
      assert.equal(cookie.httpOnly, true, name);
      assert.equal(cookie.sameSite, "Lax", name);
      assert.equal(cookie.path, "/", name);
      assert.equal(cookie.domain, undefined, name);
      const header = setCookieHeaders(response).find((line) => line.startsWith(`${name}=`));
      assert.ok(header);
      assert.match(header, /; Secure/);
      assert.match(header, /; Path=\//);
      assert.doesNotMatch(header, /; Domain=/i);
    }
    assert.equal(cookieFrom(response, "guichet_session"), undefined, "no cookie without the prefix");
    const home = await agent.get("/");
    assert.equal(home.statusCode, 200);
    // The sign-in renewed the CSRF secret; the next page made the new one, with the prefix too.
    assert.ok(agent.cookies.has("__Host-guichet_csrf"), "the CSRF secret carries the prefix too");
    assert.match(String(home.headers["strict-transport-security"]), /max-age=\d+/);
  } finally {
    await secure.close();
  }
});

// 2. CSRF

async function snapshot(userId: number) {
  const db = t.database.db;
  const count = async (table: "session" | "audit_event" | "sign_in_failure" | "known_device") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const user = await db
    .selectFrom("app_user")
    .select(["password_hash", "locale", "updated_at"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  return {
    sessions: await count("session"),
    audit: await count("audit_event"),
    failures: await count("sign_in_failure"),
    devices: await count("known_device"),
    user,
  };
}

const STATE_CHANGING_FORMS = [
  { url: "/connexion", fields: (code: string) => ({ userCode: code, password: TEST_PASSWORD }) },
  { url: "/deconnexion", fields: () => ({}) },
  {
    url: "/profil/mot-de-passe",
    fields: () => ({
      current: TEST_PASSWORD,
      password: "Nouveau-secret-77",
      confirmation: "Nouveau-secret-77",
    }),
  },
  { url: "/langue", fields: () => ({ locale: "en", retour: "/" }) },
];

function assertCsrfRefusal(response: Response, label: string): void {
  assert.equal(response.statusCode, 403, label);
  assert.ok(textOf(response.body).includes(CSRF_MESSAGE), label);
  assert.equal(cookieFrom(response, "guichet_session"), undefined, label);
  assert.equal(cookieFrom(response, "guichet_lang"), undefined, label);
  assertNoStack(response.body);
}

test("a state-changing POST without a CSRF token is refused (403) and changes nothing", async () => {
  const user = await newUser();
  const agent = await t.signIn(user.userCode);
  for (const form of STATE_CHANGING_FORMS) {
    const before = await snapshot(user.id);
    const response = await agent.post(form.url, form.fields(user.userCode), { csrf: false });
    assertCsrfRefusal(response, form.url);
    assert.deepEqual(await snapshot(user.id), before, form.url);
  }
  const home = await agent.get("/");
  assert.equal(home.statusCode, 200, "still signed in");
  assert.match(home.body, /<html lang="fr-CA">/, "still in French");
});

test("a state-changing POST with a forged token, or another browser's token, is refused (403) and changes nothing", async () => {
  const user = await newUser();
  const agent = await t.signIn(user.userCode);
  const stranger = t.agent();
  await stranger.get("/connexion");
  const strangersToken = stranger.csrfToken;
  assert.ok(strangersToken);
  for (const token of ["forged-token", `${strangersToken}`, "a".repeat(200)]) {
    for (const form of STATE_CHANGING_FORMS) {
      const before = await snapshot(user.id);
      agent.csrfToken = token;
      const response = await agent.post(form.url, form.fields(user.userCode));
      assertCsrfRefusal(response, `${form.url} with ${token.slice(0, 12)}`);
      assert.deepEqual(await snapshot(user.id), before, form.url);
    }
  }
  assert.equal((await agent.get("/")).statusCode, 200, "still signed in");
});

test("signing in and signing out each renew the CSRF secret: a token from before is refused after", async () => {
  const user = await newUser();
  const agent = t.agent();
  await agent.get("/connexion");
  const beforeSignIn = agent.csrfToken;
  const secretBefore = agent.cookies.get("guichet_csrf");
  const signedIn = await agent.post("/connexion", { userCode: user.userCode, password: TEST_PASSWORD });
  assert.equal(signedIn.statusCode, 303);
  assert.equal(agent.cookies.get("guichet_csrf"), undefined, "the sign-in clears the secret");
  await agent.get("/profil");
  assert.ok(agent.cookies.get("guichet_csrf"));
  assert.notEqual(agent.cookies.get("guichet_csrf"), secretBefore);
  const afterSignIn = agent.csrfToken;
  for (const form of STATE_CHANGING_FORMS) {
    const before = await snapshot(user.id);
    agent.csrfToken = beforeSignIn;
    assertCsrfRefusal(
      await agent.post(form.url, form.fields(user.userCode)),
      `${form.url} with the old token`,
    );
    assert.deepEqual(await snapshot(user.id), before, form.url);
  }
  agent.csrfToken = afterSignIn;
  const signedOut = await agent.post("/deconnexion", {});
  assert.equal(signedOut.statusCode, 303);
  assert.equal(agent.cookies.get("guichet_csrf"), undefined, "the sign-out clears the secret");
});

test("a browser with no CSRF secret at all cannot sign in by posting the form", async () => {
  const user = await newUser();
  const before = await snapshot(user.id);
  const response = await t.app.inject({
    method: "POST",
    url: "/connexion",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ userCode: user.userCode, password: TEST_PASSWORD, _csrf: "x" }).toString(),
  });
  assertCsrfRefusal(response, "no secret");
  assert.deepEqual(await snapshot(user.id), before);
});

// 3. Headers

test("pages carry a content security policy, nosniff, framing and referrer rules, and are never cached", async () => {
  const user = await newUser();
  const agent = await t.signIn(user.userCode);
  const pages = [
    await t.agent().get("/connexion"),
    await agent.get("/"),
    await agent.get("/profil"),
    await agent.get("/nexiste-pas"),
  ];
  for (const page of pages) {
    const csp = String(page.headers["content-security-policy"]);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers["x-content-type-options"], "nosniff");
    assert.ok(page.headers["x-frame-options"] || /frame-ancestors/.test(csp));
    assert.ok(page.headers["referrer-policy"], "a referrer policy is set");
    assert.match(String(page.headers["cache-control"]), /no-store/);
    assert.match(String(page.headers["content-type"]), /^text\/html; charset=utf-8/);
  }
});

// 4. Body size

test("a 200 KB form body is refused with 413 and a French message, not a 500", async () => {
  const user = await newUser();
  const agent = t.agent();
  await agent.get("/connexion");
  const before = await snapshot(user.id);
  const response = await agent.post("/connexion", {
    userCode: user.userCode,
    password: "x".repeat(200 * 1024),
  });
  assert.equal(response.statusCode, 413);
  assert.ok(textOf(response.body).includes("La requête est trop volumineuse."));
  assertNoStack(response.body);
  assert.deepEqual(await snapshot(user.id), before);
});

// 5 and 6. Health, error pages

test("GET /sante answers 200 with the database kind", async () => {
  const response = await t.app.inject({ method: "GET", url: "/sante" });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), {
    status: "ok",
    database: process.env.DATABASE_URL ? "postgresql" : "pglite",
  });
  assert.match(String(response.headers["cache-control"]), /no-store/);
});

test("an unknown page gets a French 404 page without any stack", async () => {
  const response = await t.agent().get("/nexiste-pas?x=1");
  assert.equal(response.statusCode, 404);
  assert.match(response.body, /<html lang="fr-CA">/);
  assert.ok(textOf(response.body).includes("La page demandée n'existe pas."));
  assertNoStack(response.body);
});

test("once the database is gone, /sante answers 503 and pages show a plain 500 message without any stack", async () => {
  const broken = await startTestApp();
  let schema: string | undefined;
  try {
    if (process.env.DATABASE_URL) {
      const row = await sql<{ schema: string }>`select current_schema() as schema`.execute(
        broken.database.db,
      );
      schema = row.rows[0]?.schema;
    }
    const user = await newUser(broken);
    const agent = await broken.signIn(user.userCode);
    assert.equal((await agent.get("/")).statusCode, 200);
    await broken.database.close();

    const health = await broken.app.inject({ method: "GET", url: "/sante" });
    assert.equal(health.statusCode, 503);
    assert.equal(health.json().status, "unavailable");

    const page = await agent.get("/");
    assert.equal(page.statusCode, 500);
    assert.ok(textOf(page.body).includes(INTERNAL_MESSAGE), textOf(page.body));
    assertNoStack(page.body);
    assert.match(page.body, /<html lang="fr-CA">/);
  } finally {
    // The database is closed already: close the app and clean up by hand, not with broken.close().
    await broken.app.close();
    await dropSchemaOf(schema);
    await rm(broken.dataDir, { recursive: true, force: true });
  }
});

// 7. Logs

test("logs record requests but never a password, a session or device id, a CSRF token or an activation token", async () => {
  const chunks: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logged = await startTestApp({ env: { LOG_LEVEL: "info" }, logStream });
  try {
    const org = await logged.factories.organization();
    const user = await logged.factories.user(org);
    const newcomer = await logged.factories.user(org, { activated: false });
    const wrongPassword = "Mauvais-secret-Zorglub-91";
    const chosenPassword = "Choisi-secret-Quetzal-58";

    const agent = logged.agent();
    await agent.get("/connexion");
    const failed = await agent.post("/connexion", { userCode: user.userCode, password: wrongPassword });
    assert.equal(failed.statusCode, 401);
    const signedIn = await agent.post("/connexion", { userCode: user.userCode, password: TEST_PASSWORD });
    assert.equal(signedIn.statusCode, 303);
    assert.equal((await agent.get("/")).statusCode, 200);
    const sessionId = agent.cookies.get("guichet_session");
    const deviceId = agent.cookies.get("guichet_device");
    const csrfSecret = agent.cookies.get("guichet_csrf");
    const csrfToken = agent.csrfToken;
    assert.equal((await agent.post("/deconnexion", {})).statusCode, 303);

    const { link } = await issueAccountLink(
      logged.database.db,
      { publicUrl: logged.config.publicUrl, now: logged.clock() },
      newcomer.id,
      "activation",
    );
    const token = link.split("/activation/")[1];
    assert.ok(token);
    const newcomerAgent = logged.agent();
    assert.equal((await newcomerAgent.get(`/activation/${token}`)).statusCode, 200);
    const activated = await newcomerAgent.post(`/activation/${token}?suivi=${token}`, {
      password: chosenPassword,
      confirmation: chosenPassword,
    });
    assert.equal(activated.statusCode, 303);
    await newcomerAgent.get("/connexion");
    const newcomerIn = await newcomerAgent.post("/connexion", {
      userCode: newcomer.userCode,
      password: chosenPassword,
    });
    assert.equal(newcomerIn.statusCode, 303);
    const newcomerSession = newcomerAgent.cookies.get("guichet_session");

    const log = chunks.join("");
    assert.match(log, /incoming request/, "requests are logged");
    assert.match(log, /"url":"\/connexion"/);
    assert.match(log, /"url":"\/activation\/\[redacted\]"/);
    const secrets = {
      TEST_PASSWORD,
      wrongPassword,
      chosenPassword,
      sessionId,
      deviceId,
      csrfSecret,
      csrfToken,
      token,
      newcomerSession,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(secret, `${name} was captured`);
      assert.ok(!log.includes(secret), `${name} appears in the logs`);
    }
  } finally {
    await logged.close();
  }
});

// 8. Accessibility of the sign-in page

function assertLabelsBound(html: string): void {
  const inputs = [...html.matchAll(/<input\b[^>]*>/g)].map((match) => match[0]);
  const visible = inputs.filter((input) => !/type="hidden"|\bhidden\b/.test(input));
  assert.ok(visible.length >= 2, "the form has visible fields");
  for (const input of visible) {
    const id = /\bid="([^"]+)"/.exec(input)?.[1];
    assert.ok(id, `an input without id: ${input}`);
    assert.ok(html.includes(`<label for="${id}"`), `no label for #${id}`);
    const describedBy = /aria-describedby="([^"]+)"/.exec(input)?.[1];
    for (const target of describedBy?.split(" ") ?? []) {
      assert.ok(html.includes(`id="${target}"`), `aria-describedby points to a missing #${target}`);
    }
  }
}

test("the sign-in page is accessible: language, skip link, main landmark, bound labels", async () => {
  const response = await t.agent().get("/connexion");
  assert.equal(response.statusCode, 200);
  const html = response.body;
  assert.match(html, /<html lang="fr-CA">/);
  assert.match(html, /<a class="skip-link" href="#contenu">/);
  assert.match(html, /<main id="contenu"/);
  assert.match(html, /<title>[^<]+<\/title>/);
  assertLabelsBound(html);
  assert.match(html, /<label for="champ-userCode">/);
  assert.match(html, /<label for="champ-password">/);
  assert.match(html, /id="champ-password"[^>]*type="password"|type="password"[^>]*id="champ-password"/);
});

test("after an empty submission the sign-in page leads with an error summary (role=alert) linking to each field", async () => {
  const agent = t.agent();
  await agent.get("/connexion");
  const response = await agent.post("/connexion", { userCode: "", password: "" });
  assert.equal(response.statusCode, 400);
  const html = response.body;
  assert.match(html, /<title>Erreur\u00a0: /, "the title says first that the form has errors");
  const english = t.agent();
  await english.post("/langue", { locale: "en", retour: "/connexion" });
  await english.get("/connexion");
  assert.match((await english.post("/connexion", { userCode: "", password: "" })).body, /<title>Error: /);
  assert.match(html, /<div class="error-summary" role="alert"/);
  assert.match(html, /href="#champ-userCode"/);
  assert.match(html, /href="#champ-password"/);
  assert.ok(html.indexOf("error-summary") < html.indexOf('<form method="post" action="/connexion"'));
  assertLabelsBound(html);
  assert.match(html, /id="champ-userCode"[^>]*aria-invalid="true"/);
});

// Returning after sign-in

test("after signing in, only a path on this site is returned to", async () => {
  const user = await newUser();
  for (const [retour, expected] of [
    ["/profil", "/profil"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/", "/"],
  ] as const) {
    const agent = t.agent();
    await agent.get("/connexion");
    const response = await agent.post("/connexion", {
      userCode: user.userCode,
      password: TEST_PASSWORD,
      retour,
    });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, expected, retour);
  }
});

// Client address behind a reverse proxy

test("behind the reverse proxy, a forged X-Forwarded-For does not escape per-address throttling", async () => {
  const proxied = await startTestApp({ env: { TRUST_PROXY: "true" } });
  try {
    const org = await proxied.factories.organization();
    const victim = await proxied.factories.user(org);
    const page = await proxied.app.inject({ method: "GET", url: "/connexion" });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    const secret = cookieFrom(page, "guichet_csrf");
    assert.ok(token && secret);
    // The proxy (10.0.0.1) appends the address it saw; what comes before it is whatever the client sent.
    const attempt = (forged: string, userCode: string, password: string) =>
      proxied.app.inject({
        method: "POST",
        url: "/connexion",
        remoteAddress: "10.0.0.1",
        headers: {
          cookie: `guichet_csrf=${secret.value}`,
          "content-type": "application/x-www-form-urlencoded",
          "x-forwarded-for": `${forged}, 203.0.113.7`,
        },
        payload: new URLSearchParams({ userCode, password, _csrf: token }).toString(),
      });
    for (let i = 0; i < 30; i++) {
      const response = await attempt(`198.51.100.${i}`, `ZW${String(10000 + i)}`, "Devinette-1234");
      assert.equal(response.statusCode, 401);
    }
    const refused = await attempt("198.51.100.200", victim.userCode, TEST_PASSWORD);
    assert.equal(
      refused.statusCode,
      429,
      "the address the proxy saw is throttled, whatever the client claims",
    );
    const failures = await proxied.database.db
      .selectFrom("sign_in_failure")
      .select("ip")
      .distinct()
      .execute();
    assert.deepEqual(failures, [{ ip: "203.0.113.7" }]);

    // A client reaching the app directly, not through the proxy, is not believed either.
    const direct = await proxied.app.inject({
      method: "POST",
      url: "/connexion",
      remoteAddress: "198.51.100.250",
      headers: {
        cookie: `guichet_csrf=${secret.value}`,
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-for": "192.0.2.1",
      },
      payload: new URLSearchParams({
        userCode: "ZW99999",
        password: "Devinette-1234",
        _csrf: token,
      }).toString(),
    });
    assert.equal(direct.statusCode, 401);
    const recorded = await proxied.database.db
      .selectFrom("sign_in_failure")
      .select("ip")
      .where("user_code", "=", "ZW99999")
      .execute();
    assert.deepEqual(recorded, [{ ip: "198.51.100.250" }]);
  } finally {
    await proxied.close();
  }
});
