// Sign-in, throttling, sessions, own password change and password storage, driven through real HTTP.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeUser } from "../support/factories.js";

const SESSION_COOKIE = "guichet_session";
const DEVICE_COOKIE = "guichet_device";
const GENERIC_FAILURE = "Le code d'utilisateur ou le mot de passe est incorrect.";
const MINUTE = 60_000;

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

// Each test that fails sign-ins does so from its own address, so per-address counts never leak between tests.
let addressSequence = 0;
function browserAt(ip?: string): Agent {
  addressSequence += 1;
  return new Agent(t.app, ip ?? `10.1.${Math.floor(addressSequence / 250)}.${addressSequence % 250}`);
}

async function newUser(options: Parameters<TestApp["factories"]["user"]>[1] = {}): Promise<MadeUser> {
  const org = await t.factories.organization();
  return t.factories.user(org, options);
}

async function sessionsOf(userId: number) {
  return t.database.db.selectFrom("session").selectAll().where("user_id", "=", userId).execute();
}

async function countRows(
  table: "session" | "sign_in_failure" | "audit_event" | "known_device",
): Promise<number> {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Audit events of one action about one target (a user id, or the user code typed at a failed sign-in). */
async function auditOf(action: string, targetId: string | number) {
  return t.database.db
    .selectFrom("audit_event")
    .select(["outcome", "reason", "target_type", "target_id"])
    .where("action", "=", action)
    .where("target_id", "=", String(targetId))
    .orderBy("id")
    .execute();
}

async function failuresOf(userCode: string) {
  return t.database.db
    .selectFrom("sign_in_failure")
    .selectAll()
    .where("user_code", "=", userCode)
    .orderBy("id")
    .execute();
}

async function passwordHashOf(userId: number): Promise<string | null> {
  const row = await t.database.db
    .selectFrom("app_user")
    .select("password_hash")
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}

function cookieFrom(response: Response, name: string) {
  return response.cookies.find((cookie) => cookie.name === name);
}

function assertRedirectsToSignIn(response: Response): void {
  assert.equal(response.statusCode, 303);
  assert.match(String(response.headers.location), /^\/connexion/);
}

async function postSignIn(agent: Agent, userCode: string, password: string): Promise<Response> {
  if (!agent.csrfToken) await agent.get("/connexion");
  return agent.post("/connexion", { userCode, password });
}

// 1. Sign-in success and session ids

test("a user signs in with code and password, is sent to « / » and greeted by name and code", async () => {
  const user = await newUser({ firstName: "Prénom", lastName: "Nom" });
  const agent = browserAt();
  const response = await postSignIn(agent, user.userCode, TEST_PASSWORD);
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, "/");
  assert.equal((await sessionsOf(user.id)).length, 1);
  const home = await agent.follow(response);
  assert.equal(home.statusCode, 200);
  assert.ok(textOf(home.body).includes(`Bonjour Prénom Nom (${user.userCode})`), textOf(home.body));
  assert.deepEqual(
    (await auditOf("auth.signIn", user.id)).map((event) => [event.outcome, event.target_type]),
    [["success", "user"]],
  );
});

test("the user code is not case-sensitive: a code typed in lower case signs in", async () => {
  const user = await newUser();
  const agent = browserAt();
  const response = await postSignIn(agent, user.userCode.toLowerCase(), TEST_PASSWORD);
  assert.equal(response.statusCode, 303);
  assert.equal((await sessionsOf(user.id)).length, 1);
  assert.equal((await agent.get("/")).statusCode, 200);
});

test("signing in issues a new session id: a session id planted before sign-in (fixation) gives no access", async () => {
  const user = await newUser();
  const planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  const agent = browserAt();
  agent.cookies.set(SESSION_COOKIE, planted);
  const response = await postSignIn(agent, user.userCode, TEST_PASSWORD);
  assert.equal(response.statusCode, 303);
  const issued = cookieFrom(response, SESSION_COOKIE);
  assert.ok(issued, "sign-in sets a session cookie");
  assert.notEqual(issued.value, planted);
  assert.equal(agent.cookies.get(SESSION_COOKIE), issued.value);
  assert.equal((await agent.get("/")).statusCode, 200);

  const attacker = browserAt();
  attacker.cookies.set(SESSION_COOKIE, planted);
  assertRedirectsToSignIn(await attacker.get("/"));
});

test("signing in again while signed in replaces the session id, and the old id stops working", async () => {
  const user = await newUser();
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  const first = agent.cookies.get(SESSION_COOKIE);
  assert.ok(first);
  assert.equal((await agent.get("/")).statusCode, 200);

  const again = await agent.post("/connexion", { userCode: user.userCode, password: TEST_PASSWORD });
  assert.equal(again.statusCode, 303);
  const second = agent.cookies.get(SESSION_COOKIE);
  assert.ok(second);
  assert.notEqual(second, first);
  assert.equal((await agent.get("/")).statusCode, 200);
  assert.equal((await sessionsOf(user.id)).length, 1, "the old session row is gone");

  const stale = browserAt();
  stale.cookies.set(SESSION_COOKIE, first);
  assertRedirectsToSignIn(await stale.get("/"));
});

// 2. Failures

test("every failed sign-in gets one generic message (401), whatever the cause, and no session", async () => {
  const org = await t.factories.organization();
  const active = await t.factories.user(org);
  const awaiting = await t.factories.user(org, { activated: false });
  const disabled = await t.factories.user(org, { disabled: true });
  const cases = [
    { userCode: active.userCode, password: "Mauvais-mot-de-passe-1", reason: "wrong_password" },
    { userCode: "ZQ9X8W7", password: TEST_PASSWORD, reason: "unknown_user" },
    { userCode: awaiting.userCode, password: TEST_PASSWORD, reason: "not_activated" },
    { userCode: disabled.userCode, password: TEST_PASSWORD, reason: "disabled" },
  ];
  for (const attempt of cases) {
    const sessionsBefore = await countRows("session");
    const agent = browserAt();
    const response = await postSignIn(agent, attempt.userCode, attempt.password);
    assert.equal(response.statusCode, 401, attempt.reason);
    assert.ok(textOf(response.body).includes(GENERIC_FAILURE), attempt.reason);
    assert.equal(cookieFrom(response, SESSION_COOKIE), undefined, attempt.reason);
    assert.equal(await countRows("session"), sessionsBefore, attempt.reason);
    assertRedirectsToSignIn(await agent.get("/"));

    const audit = await auditOf("auth.signIn", attempt.userCode);
    assert.deepEqual(
      audit.map((event) => [event.outcome, event.reason]),
      [["failure", attempt.reason]],
      attempt.reason,
    );
    assert.equal((await failuresOf(attempt.userCode)).length, 1, attempt.reason);
  }
});

test("the page of a failed sign-in reads the same for a wrong password, an unknown code and an inactive account", async () => {
  const org = await t.factories.organization();
  const active = await t.factories.user(org);
  const awaiting = await t.factories.user(org, { activated: false });
  const disabled = await t.factories.user(org, { disabled: true });
  const bodies: string[] = [];
  for (const userCode of [active.userCode, "ZQ9X8W6", awaiting.userCode, disabled.userCode]) {
    const response = await postSignIn(browserAt(), userCode, "Mauvais-mot-de-passe-2");
    assert.equal(response.statusCode, 401);
    // The code is echoed back in its field; everything else must be identical.
    bodies.push(textOf(response.body).replaceAll(userCode, "CODE"));
  }
  assert.equal(new Set(bodies).size, 1);
});

test("a malformed user code is refused with 400 and a message, without touching the database", async () => {
  const before = await Promise.all([countRows("session"), countRows("sign_in_failure")]);
  const response = await postSignIn(browserAt(), "AB!", TEST_PASSWORD);
  assert.equal(response.statusCode, 400);
  assert.ok(textOf(response.body).includes(GENERIC_FAILURE));
  assert.deepEqual(await Promise.all([countRows("session"), countRows("sign_in_failure")]), before);
});

test("empty fields are refused each with its own message: « Entrez votre code d'utilisateur. », « Entrez votre mot de passe. »", async () => {
  const before = await Promise.all([countRows("session"), countRows("sign_in_failure")]);
  const response = await postSignIn(browserAt(), "", "");
  assert.equal(response.statusCode, 400);
  const text = textOf(response.body);
  assert.match(text, /Code d'utilisateur \(7 lettres et chiffres\)\s: Entrez votre code d'utilisateur\./);
  assert.match(text, /Mot de passe\s: Entrez votre mot de passe\./);
  assert.doesNotMatch(text, /Ce champ est obligatoire/);
  assert.match(response.body, /id="champ-userCode"[^>]*aria-invalid="true"/);
  assert.match(response.body, /id="champ-password"[^>]*aria-invalid="true"/);
  assert.deepEqual(await Promise.all([countRows("session"), countRows("sign_in_failure")]), before);
});

// 3. Throttling

test("after 10 failures in 15 minutes the 11th attempt, even with the right password, waits (429, Retry-After), then succeeds", async () => {
  const user = await newUser();
  const agent = browserAt();
  // Ten failures spread over nine minutes: all inside the 15-minute window.
  for (let i = 0; i < 10; i++) {
    if (i > 0) t.clock.advance(MINUTE);
    const response = await postSignIn(agent, user.userCode, `Mauvais-essai-${i}`);
    assert.equal(response.statusCode, 401, `failure ${i + 1}`);
  }
  const sessionsBefore = await countRows("session");
  const refused = await postSignIn(agent, user.userCode, TEST_PASSWORD);
  assert.equal(refused.statusCode, 429);
  const retryAfter = Number(refused.headers["retry-after"]);
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1,
    `Retry-After: ${refused.headers["retry-after"]}`,
  );
  assert.ok(
    textOf(refused.body).includes(
      `Trop de tentatives infructueuses. Veuillez réessayer dans ${retryAfter} s.`,
    ),
    textOf(refused.body),
  );
  assert.equal(await countRows("session"), sessionsBefore);
  assert.equal((await failuresOf(user.userCode)).length, 10, "a refused attempt is not a failure");
  const denied = await auditOf("auth.signIn", user.userCode);
  assert.deepEqual(denied.at(-1), {
    outcome: "denied",
    reason: "throttled",
    target_type: "user_code",
    target_id: user.userCode,
  });

  t.clock.advance(retryAfter * 1000);
  const allowed = await postSignIn(agent, user.userCode, TEST_PASSWORD);
  assert.equal(allowed.statusCode, 303, "never locked out for good");
  assert.equal((await agent.get("/")).statusCode, 200);
});

test("failures older than 15 minutes no longer count towards the delay", async () => {
  const user = await newUser();
  const agent = browserAt();
  for (let i = 0; i < 9; i++) await postSignIn(agent, user.userCode, `Mauvais-essai-${i}`);
  t.clock.advance(16 * MINUTE);
  const failure = await postSignIn(agent, user.userCode, "Mauvais-essai-10");
  assert.equal(failure.statusCode, 401);
  const allowed = await postSignIn(agent, user.userCode, TEST_PASSWORD);
  assert.equal(allowed.statusCode, 303);
});

test("the delay doubles with each further failure and is capped at 5 minutes", async () => {
  const user = await newUser();
  const agent = browserAt();
  for (let i = 0; i < 10; i++) await postSignIn(agent, user.userCode, `Mauvais-essai-${i}`);
  const waits: number[] = [];
  // Ten more rounds take 811 seconds in all: every failure stays inside the 15-minute window.
  for (let i = 0; i < 10; i++) {
    const refused = await postSignIn(agent, user.userCode, "Encore-mauvais-0");
    assert.equal(refused.statusCode, 429);
    const wait = Number(refused.headers["retry-after"]);
    waits.push(wait);
    // Just before the delay is over the attempt is still refused; once over, it is a plain failure again.
    t.clock.advance(wait * 1000 - 1000);
    assert.equal((await postSignIn(agent, user.userCode, "Encore-mauvais-1")).statusCode, 429);
    t.clock.advance(1000);
    assert.equal((await postSignIn(agent, user.userCode, `Encore-mauvais-${i + 2}`)).statusCode, 401);
  }
  // 2^9 = 512 seconds would come next: the cap holds it to 300.
  assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]);
  const capped = await postSignIn(agent, user.userCode, TEST_PASSWORD);
  assert.equal(capped.statusCode, 429);
  assert.equal(capped.headers["retry-after"], "300");

  t.clock.advance(300_000);
  assert.equal((await postSignIn(agent, user.userCode, TEST_PASSWORD)).statusCode, 303);
});

/** Fails one sign-in, waiting out any delay first, so that the failure is counted. */
async function failOnce(agent: Agent, userCode: string, password: string): Promise<void> {
  let response = await postSignIn(agent, userCode, password);
  if (response.statusCode === 429) {
    t.clock.advance(Number(response.headers["retry-after"]) * 1000);
    response = await postSignIn(agent, userCode, password);
  }
  assert.equal(response.statusCode, 401);
}

test("a browser that signed in before is not delayed by failures made from other browsers", async () => {
  const user = await newUser();
  const ip = "10.2.0.1";
  const own = new Agent(t.app, ip);
  await postSignIn(own, user.userCode, TEST_PASSWORD);
  assert.ok(own.cookies.get(DEVICE_COOKIE), "a successful sign-in leaves a device cookie");
  await own.post("/deconnexion", {});
  assert.equal(own.cookies.get(SESSION_COOKIE), undefined);

  // Someone else behind the same address (an office behind one router) guesses this account 12 times
  // and 20 others once each: past both the account's threshold (10) and the address's (30).
  const guesser = new Agent(t.app, ip);
  for (let i = 0; i < 12; i++) await failOnce(guesser, user.userCode, `Devinette-${i}`);
  for (let i = 0; i < 20; i++) await failOnce(guesser, `ZY${String(10000 + i)}`, `Devinette-${i}`);

  const sessionsBefore = await countRows("session");
  assert.equal((await postSignIn(guesser, user.userCode, TEST_PASSWORD)).statusCode, 429);
  const freshBrowser = await postSignIn(new Agent(t.app, "10.2.0.2"), user.userCode, TEST_PASSWORD);
  assert.equal(freshBrowser.statusCode, 429, "an unknown browser elsewhere is delayed as well");
  assert.equal(await countRows("session"), sessionsBefore);

  const realUser = await postSignIn(own, user.userCode, TEST_PASSWORD);
  assert.equal(realUser.statusCode, 303, "the real user still gets in");
  assert.equal((await own.get("/")).statusCode, 200);
});

test("failures made from a known browser are still throttled for its account", async () => {
  const user = await newUser();
  const own = browserAt();
  await postSignIn(own, user.userCode, TEST_PASSWORD);
  for (let i = 0; i < 10; i++) await failOnce(own, user.userCode, `Devinette-${i}`);
  assert.equal((await postSignIn(own, user.userCode, TEST_PASSWORD)).statusCode, 429);
  assert.equal((await postSignIn(browserAt(), user.userCode, TEST_PASSWORD)).statusCode, 303);
});

test("a device cookie counts only for the account that signed in with it", async () => {
  const org = await t.factories.organization();
  const owner = await t.factories.user(org);
  const target = await t.factories.user(org);
  const agent = browserAt();
  await postSignIn(agent, owner.userCode, TEST_PASSWORD);
  for (let i = 0; i < 10; i++) await postSignIn(agent, target.userCode, `Devinette-${i}`);
  const refused = await postSignIn(agent, target.userCode, TEST_PASSWORD);
  assert.equal(refused.statusCode, 429);
});

test("30 failures from one address over different accounts delay that address, and only that address", async () => {
  const org = await t.factories.organization();
  const targets = await Promise.all([1, 2, 3, 4, 5].map(() => t.factories.user(org)));
  const victim = await t.factories.user(org);
  const guesser = new Agent(t.app, "10.0.0.9");
  for (const target of targets) {
    for (let i = 0; i < 6; i++) {
      const response = await postSignIn(guesser, target.userCode, `Devinette-${i}`);
      assert.equal(response.statusCode, 401, "no account reached its own threshold");
    }
  }
  const sessionsBefore = await countRows("session");
  const refused = await postSignIn(guesser, victim.userCode, TEST_PASSWORD);
  assert.equal(refused.statusCode, 429);
  assert.ok(Number(refused.headers["retry-after"]) >= 1);
  assert.ok(textOf(refused.body).includes("Trop de tentatives infructueuses."));
  assert.equal(await countRows("session"), sessionsBefore);

  const elsewhere = new Agent(t.app, "10.0.0.10");
  assert.equal((await postSignIn(elsewhere, victim.userCode, TEST_PASSWORD)).statusCode, 303);
  for (const target of targets) {
    const response = await postSignIn(new Agent(t.app, "10.0.0.11"), target.userCode, TEST_PASSWORD);
    assert.equal(response.statusCode, 303, "the accounts guessed at are not locked either");
  }
});

// 4. Sessions

test("a session idle for 30 minutes ends: the next request goes to sign-in with « Votre session a pris fin », and its row is deleted", async () => {
  const user = await newUser();
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  t.clock.advance(29 * MINUTE);
  assert.equal((await agent.get("/")).statusCode, 200, "29 minutes idle is still fine");
  t.clock.advance(30 * MINUTE);
  const response = await agent.get("/");
  assertRedirectsToSignIn(response);
  const cleared = cookieFrom(response, SESSION_COOKIE);
  assert.ok(cleared && cleared.value === "", "the session cookie is cleared");
  assert.equal((await sessionsOf(user.id)).length, 0);
  const signInPage = await agent.follow(response);
  assert.ok(textOf(signInPage.body).includes("Votre session a pris fin"), textOf(signInPage.body));
});

test("activity every 20 minutes keeps a session alive up to 12 hours in all, then it ends", async () => {
  const user = await newUser();
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  // 35 steps of 20 minutes: 11 h 40 min.
  for (let step = 1; step <= 35; step++) {
    t.clock.advance(20 * MINUTE);
    assert.equal((await agent.get("/")).statusCode, 200, `after ${step * 20} minutes`);
  }
  t.clock.advance(20 * MINUTE);
  const response = await agent.get("/");
  assertRedirectsToSignIn(response);
  assert.equal((await sessionsOf(user.id)).length, 0);
  assert.ok(textOf((await agent.follow(response)).body).includes("Votre session a pris fin"));
});

test("a session ends at its next request once its user is disabled", async () => {
  const user = await newUser();
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  assert.equal((await agent.get("/")).statusCode, 200);
  await t.database.db
    .updateTable("app_user")
    .set({ disabled_at: t.clock() })
    .where("id", "=", user.id)
    .execute();
  assertRedirectsToSignIn(await agent.get("/"));
  assert.equal((await sessionsOf(user.id)).length, 0);
});

test("« Déconnexion » ends the session: row gone, cookie cleared, « / » leads to sign-in", async () => {
  const user = await newUser();
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  const token = agent.cookies.get(SESSION_COOKIE);
  assert.ok(token);
  const home = await agent.get("/");
  assert.ok(textOf(home.body).includes("Déconnexion"));
  const response = await agent.post("/deconnexion", {});
  assert.equal(response.statusCode, 303);
  const cleared = cookieFrom(response, SESSION_COOKIE);
  assert.ok(cleared && cleared.value === "", "the session cookie is cleared");
  assert.equal((await sessionsOf(user.id)).length, 0);
  assertRedirectsToSignIn(await agent.get("/"));
  const replay = browserAt();
  replay.cookies.set(SESSION_COOKIE, token);
  assertRedirectsToSignIn(await replay.get("/"));
  assert.deepEqual(
    (await auditOf("auth.signOut", user.id)).map((event) => event.outcome),
    ["success"],
  );
});

// 5. Own password

async function changePassword(
  agent: Agent,
  fields: { current: string; password: string; confirmation: string },
) {
  await agent.get("/profil");
  return agent.post("/profil/mot-de-passe", fields);
}

test("« Mon profil » shows the user's own data and no form to edit names (the RSE makes such changes)", async () => {
  const user = await newUser({ firstName: "Hélène", lastName: "Tremblay" });
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  const response = await agent.get("/profil");
  assert.equal(response.statusCode, 200);
  const text = textOf(response.body);
  for (const fact of [user.userCode, "Hélène Tremblay", user.email, user.actor.organizationName]) {
    assert.ok(text.includes(fact), fact);
  }
  assert.doesNotMatch(response.body, /name="(firstName|lastName|email|phone|jobTitle|civility)"/);
  const actions = [...response.body.matchAll(/<form[^>]*action="([^"]+)"/g)].map((match) => match[1]);
  assert.deepEqual(actions.sort(), ["/deconnexion", "/langue", "/profil/mot-de-passe"]);
});

test("changing one's password is refused, changing nothing, when the current password is wrong or the new one unfit", async () => {
  const user = await newUser();
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  const hashBefore = await passwordHashOf(user.id);
  const cases = [
    {
      fields: { current: "Pas-le-bon-42", password: "Nouveau-secret-77", confirmation: "Nouveau-secret-77" },
      message: "Le mot de passe actuel est incorrect.",
    },
    {
      fields: { current: TEST_PASSWORD, password: "Court1!", confirmation: "Court1!" },
      message: "Le mot de passe doit contenir au moins 8 caractères.",
    },
    {
      fields: { current: TEST_PASSWORD, password: "password123", confirmation: "password123" },
      message: "Ce mot de passe est trop courant. Choisissez-en un autre.",
    },
    {
      fields: { current: TEST_PASSWORD, password: "Nouveau-secret-77", confirmation: "Nouveau-secret-78" },
      message: "Les deux mots de passe ne sont pas identiques.",
    },
    {
      fields: { current: "", password: "Nouveau-secret-77", confirmation: "Nouveau-secret-77" },
      message: "Entrez votre mot de passe actuel.",
    },
    {
      fields: { current: TEST_PASSWORD, password: "", confirmation: "" },
      message: "Entrez le nouveau mot de passe.",
    },
  ];
  for (const { fields, message } of cases) {
    const response = await changePassword(agent, fields);
    assert.equal(response.statusCode, 400, message);
    assert.ok(textOf(response.body).includes(message), message);
    assert.match(response.body, /role="alert"/);
    assert.equal(await passwordHashOf(user.id), hashBefore, message);
  }
  assert.deepEqual(await auditOf("profile.changePassword", user.id), []);
  assert.equal((await postSignIn(browserAt(), user.userCode, TEST_PASSWORD)).statusCode, 303);
});

test("after changing one's password the new one signs in and the old one no longer does", async () => {
  const user = await newUser();
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  const newPassword = "Nouveau-secret-77";
  const response = await changePassword(agent, {
    current: TEST_PASSWORD,
    password: newPassword,
    confirmation: newPassword,
  });
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, "/profil");
  assert.ok(textOf((await agent.follow(response)).body).includes("Votre mot de passe a été changé."));

  assert.equal((await postSignIn(browserAt(), user.userCode, TEST_PASSWORD)).statusCode, 401);
  assert.equal((await postSignIn(browserAt(), user.userCode, newPassword)).statusCode, 303);
});

test("changing a password needs a signed-in user", async () => {
  const agent = browserAt();
  const response = await agent.post("/profil/mot-de-passe", {
    current: TEST_PASSWORD,
    password: "Nouveau-secret-77",
    confirmation: "Nouveau-secret-77",
  });
  assert.equal(response.statusCode, 401);
  assertRedirectsToSignIn(await agent.get("/profil"));
});

// 6. Password storage

test("passwords are stored as argon2id hashes, never in plain text", async () => {
  const user = await newUser();
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  const newPassword = "Stocké-haché-2026";
  const before = await passwordHashOf(user.id);
  const changed = await changePassword(agent, {
    current: TEST_PASSWORD,
    password: newPassword,
    confirmation: newPassword,
  });
  assert.equal(changed.statusCode, 303);
  const hash = (await passwordHashOf(user.id)) ?? "";
  assert.notEqual(hash, before);
  assert.match(hash, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
  assert.ok(!hash.includes(newPassword));
  const all = await t.database.db.selectFrom("app_user").select("password_hash").execute();
  for (const row of all) {
    if (row.password_hash !== null) assert.match(row.password_hash, /^\$argon2id\$/);
  }
});

test("a 128-character password with emoji works end to end, and one differing only in its last character is refused", async () => {
  const user = await newUser();
  const codePoints = [..."Érable🍁-Sapin🌲-Lac💧-".repeat(10)].slice(0, 127);
  const password = `${codePoints.join("")}🦫`;
  const almost = `${codePoints.join("")}🦆`;
  assert.equal([...password].length, 128);
  const agent = browserAt();
  await postSignIn(agent, user.userCode, TEST_PASSWORD);
  const changed = await changePassword(agent, { current: TEST_PASSWORD, password, confirmation: password });
  assert.equal(changed.statusCode, 303);

  assert.equal((await postSignIn(browserAt(), user.userCode, almost)).statusCode, 401);
  assert.equal((await postSignIn(browserAt(), user.userCode, password.slice(0, -2))).statusCode, 401);
  const ok = browserAt();
  assert.equal((await postSignIn(ok, user.userCode, password)).statusCode, 303);
  assert.equal((await ok.get("/")).statusCode, 200);

  const tooLong = `${password}x`;
  const refused = await changePassword(ok, { current: password, password: tooLong, confirmation: tooLong });
  assert.equal(refused.statusCode, 400);
  assert.ok(textOf(refused.body).includes("Le mot de passe doit contenir au plus 128 caractères."));
});
