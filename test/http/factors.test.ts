// Second factors through real HTTP: adding an authenticator app, the second step of a sign-in, recovery codes, and
// every bad input refused in French with nothing changed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Agent, textOf } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeUser } from "../support/factories.js";
import { addAuthenticatorApp, secretOf, totpCode } from "../support/factors.js";

const SECOND_STEP = "/connexion/verification";
const STEP_MS = 30_000;
const MINUTE = 60_000;

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

let addressSequence = 0;
/** Each browser from its own address, so that per-address failure counts never leak between tests. */
function browser(): Agent {
  addressSequence += 1;
  return new Agent(t.app, `10.7.${Math.floor(addressSequence / 250)}.${addressSequence % 250}`);
}

async function newUser(): Promise<MadeUser> {
  return t.factories.user(await t.factories.organization());
}

async function signedIn(user: MadeUser): Promise<Agent> {
  const agent = browser();
  await agent.signIn(user.userCode, TEST_PASSWORD);
  return agent;
}

/** A user with an authenticator app; the clock is moved past the step of the enrolment code. */
async function userWithApp(): Promise<{ user: MadeUser; secret: string; recoveryCodes: string[] }> {
  const user = await newUser();
  const agent = await signedIn(user);
  const { secret, recoveryCodes } = await addAuthenticatorApp(agent, t.clock());
  t.clock.advance(STEP_MS);
  return { user, secret, recoveryCodes };
}

/** The first step: user code and password; the browser is sent to the second. */
async function passwordStep(user: MadeUser, agent = browser(), retour?: string): Promise<Agent> {
  await agent.get(retour ? `/connexion?retour=${encodeURIComponent(retour)}` : "/connexion");
  const response = await agent.post("/connexion", {
    userCode: user.userCode,
    password: TEST_PASSWORD,
    ...(retour ? { retour } : {}),
  });
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, SECOND_STEP);
  assert.equal(agent.cookies.has("guichet_session"), false, "no session before the second factor");
  await agent.get(SECOND_STEP);
  return agent;
}

async function sessionsOf(userId: number) {
  return t.database.db
    .selectFrom("session")
    .select(["amr", "factor_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .execute();
}

async function activeTotpCount(userId: number): Promise<number> {
  const rows = await t.database.db
    .selectFrom("totp_factor")
    .select("id")
    .where("user_id", "=", userId)
    .where("removed_at", "is", null)
    .where("confirmed_at", "is not", null)
    .execute();
  return rows.length;
}

async function mailsTo(email: string) {
  return t.database.db
    .selectFrom("mail_outbox")
    .select(["subject", "text_body"])
    .where("to_address", "=", email)
    .orderBy("id")
    .execute();
}

async function auditOf(action: string, userId: number) {
  return t.database.db
    .selectFrom("audit_event")
    .select(["outcome", "reason", "details"])
    .where("action", "=", action)
    .where("target_id", "=", String(userId))
    .orderBy("id")
    .execute();
}

test("« Sécurité du compte » adds an app: a QR code and the secret in groups of four, then ten recovery codes once the first code is confirmed", async () => {
  const user = await newUser();
  const agent = await signedIn(user);
  const profile = await agent.get("/profil");
  assert.match(profile.body, /href="\/profil\/securite"/);
  const security = await agent.get("/profil/securite");
  assert.match(textOf(security.body), /Aucune application d'authentification n'est associée à votre compte/);

  const started = await agent.post("/profil/securite/application", {});
  const page = await agent.follow(started);
  assert.match(
    page.body,
    /<img class="qr-code" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="Code QR/,
  );
  const secret = secretOf(page.body);
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.match(page.body, /<code class="secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}<\/code>/);
  assert.equal(await activeTotpCount(user.id), 0, "a factor does not count before its first code");
  // The secret is stored sealed, never as it is shown.
  const stored = await t.database.db
    .selectFrom("totp_factor")
    .select("secret_ciphertext")
    .where("user_id", "=", user.id)
    .executeTakeFirstOrThrow();
  assert.equal(stored.secret_ciphertext.includes(Buffer.from(secret)), false);

  const confirmed = await agent.post("/profil/securite/application/confirmer", {
    code: await totpCode(secret, t.clock()),
  });
  assert.equal(confirmed.statusCode, 200);
  const text = textOf(confirmed.body);
  assert.match(text, /L'application d'authentification est associée à votre compte/);
  const codes = [
    ...confirmed.body.matchAll(/<li><code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/g),
  ];
  assert.equal(codes.length, 10);
  assert.equal(await activeTotpCount(user.id), 1);
  const stored10 = await t.database.db
    .selectFrom("recovery_code")
    .select("code_hash")
    .where("user_id", "=", user.id)
    .execute();
  assert.equal(stored10.length, 10);
  assert.deepEqual(await auditOf("factor.add", user.id), [
    { outcome: "success", reason: null, details: { factor: "totp" } },
  ]);
  const mails = await mailsTo(user.email);
  assert.equal(mails.at(-1)?.subject, "Guichet — deuxième facteur ajouté à votre compte");
  assert.match(mails.at(-1)?.text_body ?? "", new RegExp(user.userCode));

  const overview = textOf((await agent.get("/profil/securite")).body);
  assert.match(overview, /Application d'authentification associée le/);
  assert.match(overview, /Codes inutilisés : 10 sur 10/);
});

test("the recovery codes download as a text file, only the codes issued to this person and still unused", async () => {
  const user = await newUser();
  const agent = await signedIn(user);
  const { recoveryCodes } = await addAuthenticatorApp(agent, t.clock());
  const file = await agent.post("/profil/securite/codes/fichier", { codes: recoveryCodes });
  assert.equal(file.statusCode, 200);
  assert.match(String(file.headers["content-type"]), /^text\/plain/);
  assert.match(
    String(file.headers["content-disposition"]),
    /attachment; filename="guichet-codes-recuperation\.txt"/,
  );
  for (const code of recoveryCodes) assert.ok(file.body.includes(code));
  assert.match(file.body, new RegExp(`codes de récupération du compte ${user.userCode}`));

  // Someone else's codes are never written into this person's file.
  const other = await userWithApp();
  const foreign = await agent.post("/profil/securite/codes/fichier", { codes: other.recoveryCodes });
  assert.equal(foreign.statusCode, 303);
  assert.match(textOf((await agent.follow(foreign)).body), /n'est pas valide ou a déjà servi/);
});

test("confirming the app: a wrong code, 5 or 7 digits, letters or nothing are refused in French, and the factor does not count", async () => {
  const user = await newUser();
  const agent = await signedIn(user);
  await agent.follow(await agent.post("/profil/securite/application", {}));
  const cases: [string, RegExp][] = [
    ["", /Entrez le code à 6 chiffres de votre application d'authentification/],
    ["12345", /exactement 6 chiffres/],
    ["1234567", /exactement 6 chiffres/],
    ["12a456", /exactement 6 chiffres/],
    ["000000", /Ce code est incorrect/],
  ];
  for (const [code, message] of cases) {
    const response = await agent.post("/profil/securite/application/confirmer", { code });
    assert.equal(response.statusCode, 400, `code « ${code} »`);
    assert.match(textOf(response.body), message, `code « ${code} »`);
    assert.match(response.body, /aria-invalid="true"/);
  }
  assert.equal(await activeTotpCount(user.id), 0);
  assert.deepEqual(await auditOf("factor.add", user.id), []);
});

test("an enrolment not confirmed within 15 minutes has expired: the right code is refused and a new one must start", async () => {
  const user = await newUser();
  const agent = await signedIn(user);
  const page = await agent.follow(await agent.post("/profil/securite/application", {}));
  const secret = secretOf(page.body);
  t.clock.advance(15 * MINUTE + 1000);
  await agent.get("/profil"); // the session stays alive across the wait
  const response = await agent.post("/profil/securite/application/confirmer", {
    code: await totpCode(secret, t.clock()),
  });
  assert.equal(response.statusCode, 400);
  assert.match(textOf(response.body), /Cette clé a expiré \(15 minutes\)/);
  assert.equal(await activeTotpCount(user.id), 0);
});

test("with an app, the sign-in asks for its code: the session opens only then, records pwd and otp, and goes where it was asked", async () => {
  const { user, secret } = await userWithApp();
  const agent = await passwordStep(user, browser(), "/profil");
  const page = await agent.get(SECOND_STEP);
  assert.equal(page.statusCode, 200);
  assert.match(textOf(page.body), /deuxième étape/);
  assert.match(page.body, /autocomplete="one-time-code"/);
  const before = (await sessionsOf(user.id)).length;

  const response = await agent.post(SECOND_STEP, { code: await totpCode(secret, t.clock()) });
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, "/profil");
  assert.ok(agent.cookies.has("guichet_session"));
  assert.equal(agent.cookies.has("guichet_second_step"), false);
  const sessions = await sessionsOf(user.id);
  assert.equal(sessions.length, before + 1);
  const latest = sessions.at(-1);
  assert.deepEqual(latest?.amr, ["pwd", "otp"]);
  assert.equal(latest?.factor_at?.getTime(), t.clock().getTime());
  assert.equal((await agent.get("/profil")).statusCode, 200);
  const audit = await auditOf("auth.signIn", user.id);
  assert.deepEqual(audit.at(-1)?.details, { amr: ["pwd", "otp"], factor: "totp" });
});

test("a code works once: the same code, or an earlier one of the window, is refused at the next sign-in; a code one step off is accepted", async () => {
  const { user, secret } = await userWithApp();
  const used = await totpCode(secret, t.clock());
  const first = await passwordStep(user);
  assert.equal((await first.post(SECOND_STEP, { code: used })).statusCode, 303);

  const second = await passwordStep(user);
  const replay = await second.post(SECOND_STEP, { code: used });
  assert.equal(replay.statusCode, 400);
  assert.match(textOf(replay.body), /Ce code a déjà servi/);
  const earlier = await second.post(SECOND_STEP, {
    code: await totpCode(secret, new Date(t.clock().getTime() - STEP_MS)),
  });
  assert.equal(earlier.statusCode, 400);
  assert.match(textOf(earlier.body), /Ce code a déjà servi/);
  assert.equal(second.cookies.has("guichet_session"), false);

  // A phone whose clock runs one step ahead: accepted.
  t.clock.advance(STEP_MS);
  const ahead = await second.post(SECOND_STEP, {
    code: await totpCode(secret, new Date(t.clock().getTime() + STEP_MS)),
  });
  assert.equal(ahead.statusCode, 303);
  // Two steps off is not drift any more.
  t.clock.advance(3 * STEP_MS);
  const third = await passwordStep(user);
  const far = await third.post(SECOND_STEP, {
    code: await totpCode(secret, new Date(t.clock().getTime() + 2 * STEP_MS)),
  });
  assert.equal(far.statusCode, 400);
  assert.match(textOf(far.body), /Ce code est incorrect/);
  t.clock.advance(3 * STEP_MS);
});

test("the second step refuses, in French and without opening a session, a code of 5 or 7 digits, letters, nothing, or a wrong code", async () => {
  const { user } = await userWithApp();
  const agent = await passwordStep(user);
  const cases: [string, number, RegExp][] = [
    ["", 400, /Entrez le code à 6 chiffres/],
    ["12345", 400, /Entrez les 6 chiffres de votre application, ou un code de récupération/],
    ["1234567", 400, /Entrez les 6 chiffres de votre application, ou un code de récupération/],
    ["12b456", 400, /Entrez les 6 chiffres de votre application, ou un code de récupération/],
    ["000000", 400, /Ce code est incorrect/],
  ];
  for (const [code, status, message] of cases) {
    const response = await agent.post(SECOND_STEP, { code });
    assert.equal(response.statusCode, status, `code « ${code} »`);
    assert.match(textOf(response.body), message, `code « ${code} »`);
  }
  assert.equal(agent.cookies.has("guichet_session"), false);
  // Only the wrong code counts as a guess; slips of form do not.
  const failures = await t.database.db
    .selectFrom("sign_in_failure")
    .select("id")
    .where("user_code", "=", user.userCode)
    .execute();
  assert.equal(failures.length, 1);
  assert.deepEqual(
    (await auditOf("auth.secondFactor", user.id)).map((a) => [a.outcome, a.reason]),
    [["failure", "factors.codeWrong"]],
  );
});

test("a recovery code signs in once, typed in any case and with spaces; used twice it is refused", async () => {
  const { user, recoveryCodes } = await userWithApp();
  const code = recoveryCodes[0] ?? "";
  const first = await passwordStep(user);
  const typed = ` ${code.toLowerCase().replace(/-/g, " ")} `;
  const response = await first.post(SECOND_STEP, { code: typed });
  assert.equal(response.statusCode, 303);
  const audit = await auditOf("auth.signIn", user.id);
  assert.deepEqual(audit.at(-1)?.details, { amr: ["pwd", "otp"], factor: "recovery_code" });

  const second = await passwordStep(user);
  const again = await second.post(SECOND_STEP, { code });
  assert.equal(again.statusCode, 400);
  assert.match(textOf(again.body), /Ce code de récupération n'est pas valide ou a déjà servi/);
  assert.equal(second.cookies.has("guichet_session"), false);
  const security = textOf(
    (await (await signedInWithCode(user, recoveryCodes[1] ?? "")).get("/profil/securite")).body,
  );
  assert.match(security, /Codes inutilisés : 8 sur 10/);
});

async function signedInWithCode(user: MadeUser, code: string): Promise<Agent> {
  const agent = await passwordStep(user);
  const response = await agent.post(SECOND_STEP, { code });
  assert.equal(response.statusCode, 303);
  return agent;
}

test("new recovery codes void the old ones", async () => {
  const { user, secret, recoveryCodes } = await userWithApp();
  const agent = await signedInWithCode(user, await totpCode(secret, t.clock()));
  const renewed = await agent.post("/profil/securite/codes", {});
  assert.equal(renewed.statusCode, 200);
  const fresh = [...renewed.body.matchAll(/<li><code>([0-9A-Z-]{19})<\/code>/g)].map((m) => m[1] ?? "");
  assert.equal(fresh.length, 10);
  assert.equal(
    fresh.some((c) => recoveryCodes.includes(c)),
    false,
  );
  const old = await passwordStep(user);
  assert.equal((await old.post(SECOND_STEP, { code: recoveryCodes[2] ?? "" })).statusCode, 400);
  assert.equal((await old.post(SECOND_STEP, { code: fresh[0] ?? "" })).statusCode, 303);
});

test("wrong codes are throttled with the passwords' own counts; the owner is told by email once the slowing starts", async () => {
  const { user, secret } = await userWithApp();
  const agent = await passwordStep(user);
  const { accountThreshold } = t.app.guichet.services.throttle;
  for (let i = 0; i < accountThreshold; i++) {
    const response = await agent.post(SECOND_STEP, { code: "000000" });
    assert.equal(response.statusCode, 400, `attempt ${i + 1}`);
  }
  const throttled = await agent.post(SECOND_STEP, { code: await totpCode(secret, t.clock()) });
  assert.equal(throttled.statusCode, 429);
  assert.match(textOf(throttled.body), /Trop de tentatives infructueuses/);
  assert.ok(Number(throttled.headers["retry-after"]) > 0);
  assert.equal(agent.cookies.has("guichet_session"), false);
  const warned = (await mailsTo(user.email)).filter(
    (m) => m.subject === "Guichet — codes de vérification refusés à répétition",
  );
  assert.equal(warned.length, 1);
  // The slowing ends: once its wait is over, the right code goes through (nobody is locked out for good).
  t.clock.advance(10 * MINUTE);
  const later = await agent.post(SECOND_STEP, { code: await totpCode(secret, t.clock()) });
  assert.equal(later.statusCode, 303);
  t.clock.advance(20 * MINUTE);
});

test("the second step ends after 10 minutes, and a browser without it is sent back to the first step", async () => {
  const { user, secret } = await userWithApp();
  const agent = await passwordStep(user);
  t.clock.advance(10 * MINUTE + 1000);
  const late = await agent.post(SECOND_STEP, { code: await totpCode(secret, t.clock()) });
  assert.equal(late.statusCode, 303);
  assert.equal(late.headers.location, "/connexion");
  assert.match(textOf((await agent.follow(late)).body), /L'étape de vérification a pris fin/);
  assert.equal(agent.cookies.has("guichet_session"), false);

  const stranger = browser();
  const direct = await stranger.get(SECOND_STEP);
  assert.equal(direct.statusCode, 303);
  assert.equal(direct.headers.location, "/connexion");
});

test("removing the app: the password alone signs in again, the recovery codes stop working, and the owner is told", async () => {
  const { user, secret, recoveryCodes } = await userWithApp();
  const agent = await signedInWithCode(user, await totpCode(secret, t.clock()));
  const removed = await agent.post("/profil/securite/application/retirer", {});
  assert.equal(removed.statusCode, 303);
  assert.match(textOf((await agent.follow(removed)).body), /L'application d'authentification a été retirée/);
  assert.equal(await activeTotpCount(user.id), 0);
  const usable = await t.database.db
    .selectFrom("recovery_code")
    .select("id")
    .where("user_id", "=", user.id)
    .where("used_at", "is", null)
    .where("voided_at", "is", null)
    .execute();
  assert.deepEqual(usable, []);
  assert.equal(
    (await mailsTo(user.email)).at(-1)?.subject,
    "Guichet — deuxième facteur retiré de votre compte",
  );
  assert.deepEqual(await auditOf("factor.remove", user.id), [
    { outcome: "success", reason: null, details: { factor: "totp" } },
  ]);
  const again = browser();
  const signIn = await again.signIn(user.userCode, TEST_PASSWORD);
  assert.equal(signIn.headers.location, "/");
  assert.ok(again.cookies.has("guichet_session"));
  assert.equal(recoveryCodes.length, 10);
  // Removing what is not there changes nothing.
  const twice = await agent.post("/profil/securite/application/retirer", {});
  assert.match(
    textOf((await agent.follow(twice)).body),
    /Aucun deuxième facteur n'est associé à votre compte/,
  );
});

test("a second app cannot be added over the first; someone signed out reaches none of these pages", async () => {
  const { user, secret } = await userWithApp();
  const agent = await signedInWithCode(user, await totpCode(secret, t.clock()));
  await agent.post("/profil/securite/application", {});
  const response = await agent.post("/profil/securite/application/confirmer", { code: "123456" });
  assert.equal(response.statusCode, 400);
  assert.match(textOf(response.body), /déjà associée à votre compte/);
  assert.equal(await activeTotpCount(user.id), 1);

  const stranger = browser();
  for (const path of ["/profil/securite", "/profil/securite/application"]) {
    const page = await stranger.get(path);
    assert.equal(page.statusCode, 303, path);
    assert.match(String(page.headers.location), /^\/connexion/);
  }
});

test("the second step and the security page speak English when chosen", async () => {
  const { user, secret } = await userWithApp();
  const agent = browser();
  agent.cookies.set("guichet_lang", "en");
  await passwordStep(user, agent);
  const page = await agent.get(SECOND_STEP);
  assert.match(textOf(page.body), /User authentication — second step/);
  const wrong = await agent.post(SECOND_STEP, { code: "12345" });
  assert.match(textOf(wrong.body), /Enter the 6 digits of your app, or a 16-character recovery code/);
  await agent.post(SECOND_STEP, { code: await totpCode(secret, t.clock()) });
  const security = textOf((await agent.get("/profil/securite")).body);
  assert.match(security, /Account security/);
  assert.match(security, /Authenticator app linked on/);
});

test("a services officer resets a user's factors after step-up: the app and codes stop working, sessions end, the user is emailed; never their own, never another organization's", async () => {
  const org = await t.factories.organization();
  const officer = await t.factories.user(org, { servicesOfficer: true });
  const user = await t.factories.user(org);
  const userAgent = await signedIn(user);
  const { secret, recoveryCodes } = await addAuthenticatorApp(userAgent, t.clock());
  t.clock.advance(STEP_MS);
  const officerAgent = await signedIn(officer);

  const page = await officerAgent.get(`/utilisateurs/${user.userCode}`);
  assert.match(textOf(page.body), /Réinitialiser les facteurs d'authentification/);
  const reset = await officerAgent.post(`/utilisateurs/${user.userCode}/facteurs/reinitialisation`, {});
  assert.equal(reset.statusCode, 303);
  assert.match(
    textOf((await officerAgent.follow(reset)).body),
    /sont réinitialisés\. Un courriel l'en avise/,
  );
  assert.equal(await activeTotpCount(user.id), 0);
  assert.equal((await sessionsOf(user.id)).length, 0, "every session of the person ends");
  assert.equal((await userAgent.get("/profil")).statusCode, 303, "the user's open session is gone");
  const mails = await mailsTo(user.email);
  assert.equal(mails.at(-1)?.subject, "Guichet — vos facteurs d'authentification ont été réinitialisés");
  const audit = await t.database.db
    .selectFrom("audit_event")
    .select(["actor_user_id", "details"])
    .where("action", "=", "account.resetFactors")
    .where("target_id", "=", String(user.id))
    .execute();
  assert.deepEqual(audit, [{ actor_user_id: officer.id, details: { removed: 1 } }]);
  // The password alone signs in again; neither the old app nor a recovery code is asked or accepted.
  const again = browser();
  const signIn = await again.signIn(user.userCode, TEST_PASSWORD);
  assert.equal(signIn.headers.location, "/");
  assert.equal(secret.length, 32);
  assert.equal(recoveryCodes.length, 10);

  // Their own: refused; another organization's user: refused; nothing changes.
  const officerWithOwnApp = await t.factories.user(org, { servicesOfficer: true });
  const own = await signedIn(officerWithOwnApp);
  await addAuthenticatorApp(own, t.clock());
  const ownReset = await own.post(
    `/utilisateurs/${officerWithOwnApp.userCode}/facteurs/reinitialisation`,
    {},
  );
  assert.equal(ownReset.statusCode, 403);
  assert.equal(await activeTotpCount(officerWithOwnApp.id), 1);
  const stranger = await t.factories.user(await t.factories.organization());
  const strangerAgent = await signedIn(stranger);
  await addAuthenticatorApp(strangerAgent, t.clock());
  const foreign = await officerAgent.post(`/utilisateurs/${stranger.userCode}/facteurs/reinitialisation`, {});
  assert.equal(foreign.statusCode, 403);
  assert.equal(await activeTotpCount(stranger.id), 1);
  // A plain user cannot reset anyone's.
  const plainAgent = await signedIn(await t.factories.user(org));
  const plain = await plainAgent.post(`/utilisateurs/${officer.userCode}/facteurs/reinitialisation`, {});
  assert.equal(plain.statusCode, 403);
  t.clock.advance(STEP_MS);
});
