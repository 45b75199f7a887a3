// Step-up before sensitive acts, and the second factor that a role needs: through real HTTP, with an injected clock.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeUser } from "../support/factories.js";
import { addAuthenticatorApp, totpCode } from "../support/factors.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const STEP_MS = 30_000;

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

let addressSequence = 0;
function browser(): Agent {
  addressSequence += 1;
  return new Agent(t.app, `10.9.${Math.floor(addressSequence / 250)}.${addressSequence % 250}`);
}

let sequence = 0;
function newProfile() {
  sequence += 1;
  return {
    civility: "Mme",
    firstName: "Julie",
    lastName: `Pas-Deux-Fois-${sequence}`,
    jobTitle: "Greffière",
    phone: "418 691-2005",
    phoneExtension: "",
    email: `julie.${sequence}@exemple.qc.ca`,
  };
}

/** A services officer with an authenticator app, signed in with it; the clock is past the codes used. */
async function officerWithApp(): Promise<{ officer: MadeUser; secret: string; agent: Agent }> {
  const org = await t.factories.organization();
  const officer = await t.factories.user(org, { servicesOfficer: true });
  const first = browser();
  await first.signIn(officer.userCode, TEST_PASSWORD);
  const { secret } = await addAuthenticatorApp(first, t.clock());
  t.clock.advance(STEP_MS);
  const agent = browser();
  await agent.get("/connexion");
  await agent.post("/connexion", { userCode: officer.userCode, password: TEST_PASSWORD });
  await agent.get("/connexion/verification");
  const signedIn = await agent.post("/connexion/verification", { code: await totpCode(secret, t.clock()) });
  assert.equal(signedIn.statusCode, 303);
  t.clock.advance(STEP_MS);
  return { officer, secret, agent };
}

async function createForm(agent: Agent): Promise<string> {
  const form = await agent.get("/utilisateurs/nouveau");
  const key = /name="cle" value="([^"]+)"/.exec(form.body)?.[1];
  assert.ok(key);
  return key;
}

async function usersNamed(lastName: string) {
  return t.database.db.selectFrom("app_user").select("user_code").where("last_name", "=", lastName).execute();
}

function tokenOf(response: Response): string {
  assert.equal(response.statusCode, 303, response.body);
  const match = /^\/verification-identite\?demande=([A-Za-z0-9_-]+)$/.exec(String(response.headers.location));
  assert.ok(match?.[1], `sent to step-up, not to ${response.headers.location}`);
  return match[1];
}

test("within 10 minutes of the second factor a sensitive act goes ahead; after, it is held, the code asked, and the act sent once as it was filled in", async () => {
  const { secret, agent } = await officerWithApp();
  const fresh = newProfile();
  const direct = await agent.post("/utilisateurs", { ...fresh, cle: await createForm(agent) });
  assert.equal(direct.statusCode, 303);
  assert.match(String(direct.headers.location), /^\/utilisateurs\/[A-Z0-9]{7}$/);

  t.clock.advance(10 * MINUTE);
  const held = newProfile();
  const key = await createForm(agent);
  const response = await agent.post("/utilisateurs", { ...held, cle: key });
  const token = tokenOf(response);
  assert.deepEqual(await usersNamed(held.lastName), [], "nothing is done before the factor");

  const page = await agent.follow(response);
  assert.equal(page.statusCode, 200);
  assert.match(textOf(page.body), /Confirmez votre identité/);
  assert.match(textOf(page.body), /Opération\s: créer un compte d'utilisateur/);
  const wrong = await agent.post("/verification-identite", { demande: token, code: "000000" });
  assert.equal(wrong.statusCode, 400);
  assert.match(textOf(wrong.body), /Ce code est incorrect/);
  const malformed = await agent.post("/verification-identite", { demande: token, code: "12345" });
  assert.equal(malformed.statusCode, 400);
  assert.deepEqual(await usersNamed(held.lastName), []);

  const proved = await agent.post("/verification-identite", {
    demande: token,
    code: await totpCode(secret, t.clock()),
  });
  assert.equal(proved.statusCode, 303);
  assert.equal(proved.headers.location, `/verification-identite/confirmer?demande=${token}`);
  const summary = await agent.follow(proved);
  assert.match(textOf(summary.body), /Identité confirmée/);
  assert.match(textOf(summary.body), /créer un compte d'utilisateur/);
  assert.deepEqual(await usersNamed(held.lastName), [], "still nothing until « Confirmer »");

  const done = await agent.post("/verification-identite/confirmer", { demande: token });
  assert.equal(done.statusCode, 303);
  assert.match(String(done.headers.location), /^\/utilisateurs\/[A-Z0-9]{7}$/);
  const created = await usersNamed(held.lastName);
  assert.equal(created.length, 1);
  const userPage = await agent.follow(done);
  assert.match(textOf(userPage.body), new RegExp(held.lastName));

  // A second « Confirmer » (a double click, another tab) sends nothing.
  const again = await agent.post("/verification-identite/confirmer", { demande: token });
  assert.equal(again.statusCode, 410);
  assert.match(textOf(again.body), /n'est plus en attente/);
  assert.equal((await usersNamed(held.lastName)).length, 1);
  const audit = await t.database.db
    .selectFrom("audit_event")
    .select(["outcome", "reason", "details"])
    .where("action", "=", "auth.stepUp")
    .orderBy("id")
    .execute();
  assert.deepEqual(
    audit.slice(-2).map((a) => [a.outcome, a.reason, a.details]),
    [
      ["failure", "factors.codeWrong", { act: "account.create" }],
      ["success", null, { act: "account.create", factor: "totp" }],
    ],
  );
  // The proved factor counts for the next 10 minutes: the next act goes straight through.
  const next = await agent.post("/utilisateurs", { ...newProfile(), cle: await createForm(agent) });
  assert.match(String(next.headers.location), /^\/utilisateurs\/[A-Z0-9]{7}$/);
});

test("a held act belongs to its session: another session, a made-up token or an expired hold finds nothing", async () => {
  const { officer, secret, agent } = await officerWithApp();
  t.clock.advance(11 * MINUTE);
  const token = tokenOf(await agent.post("/utilisateurs", { ...newProfile(), cle: await createForm(agent) }));

  const other = browser();
  await other.get("/connexion");
  await other.post("/connexion", { userCode: officer.userCode, password: TEST_PASSWORD });
  await other.get("/connexion/verification");
  await other.post("/connexion/verification", { code: await totpCode(secret, t.clock()) });
  assert.equal((await other.get(`/verification-identite?demande=${token}`)).statusCode, 410);
  assert.equal((await other.post("/verification-identite/confirmer", { demande: token })).statusCode, 410);
  assert.equal((await agent.get("/verification-identite?demande=pas-un-jeton")).statusCode, 410);

  t.clock.advance(16 * MINUTE);
  await agent.get("/");
  const late = await agent.get(`/verification-identite?demande=${token}`);
  assert.equal(late.statusCode, 410);
});

test("someone with no second factor is not asked for one: the act goes ahead (their role's grace period governs)", async () => {
  const org = await t.factories.organization();
  const officer = await t.factories.user(org, { servicesOfficer: true });
  const agent = browser();
  await agent.signIn(officer.userCode, TEST_PASSWORD);
  t.clock.advance(11 * MINUTE);
  const response = await agent.post("/utilisateurs", { ...newProfile(), cle: await createForm(agent) });
  assert.match(String(response.headers.location), /^\/utilisateurs\/[A-Z0-9]{7}$/);
  t.clock.advance(20 * MINUTE);
});

test("a role that needs a second factor: a banner counts the days of grace; past them, every page leads to adding one, and adding it frees the account", async () => {
  const org = await t.factories.organization();
  const officer = await t.factories.user(org, { servicesOfficer: true });
  const plain = await t.factories.user(org);
  const plainAgent = browser();
  await plainAgent.signIn(plain.userCode, TEST_PASSWORD);
  assert.doesNotMatch(textOf((await plainAgent.get("/")).body), /exige un deuxième facteur/);

  const first = browser();
  await first.signIn(officer.userCode, TEST_PASSWORD);
  const home = textOf((await first.get("/")).body);
  assert.match(
    home,
    /Votre rôle exige un deuxième facteur\. Ajoutez-en un au plus tard le .* \(jours restants\s: 7\)/,
  );

  // Three days later, a new sign-in: the grace started at the first one.
  t.clock.advance(3 * DAY);
  const second = browser();
  await second.signIn(officer.userCode, TEST_PASSWORD);
  assert.match(textOf((await second.get("/")).body), /jours restants : 4/);

  t.clock.advance(5 * DAY);
  const late = browser();
  await late.signIn(officer.userCode, TEST_PASSWORD);
  for (const path of ["/", "/utilisateurs", "/profil", "/services"]) {
    const page = await late.get(path);
    assert.equal(page.statusCode, 303, path);
    assert.equal(page.headers.location, "/profil/securite", path);
  }
  const blockedPost = await late.post("/utilisateurs", { ...newProfile(), cle: "x" });
  assert.equal(blockedPost.headers.location, "/profil/securite");
  const security = await late.get("/profil/securite");
  assert.equal(security.statusCode, 200);
  assert.match(textOf(security.body), /le délai pour en ajouter un est écoulé/);

  await addAuthenticatorApp(late, t.clock());
  const freed = await late.get("/");
  assert.equal(freed.statusCode, 200);
  assert.doesNotMatch(textOf(freed.body), /exige un deuxième facteur/);
  t.clock.advance(STEP_MS);
});

test("someone whose role needs a second factor cannot remove their only one; removing it is itself a step-up act", async () => {
  const { secret, agent } = await officerWithApp();
  const refused = await agent.post("/profil/securite/application/retirer", {});
  assert.equal(refused.statusCode, 303);
  assert.match(
    textOf((await agent.follow(refused)).body),
    /vous ne pouvez pas retirer le seul que vous avez/,
  );
  const count = await t.database.db
    .selectFrom("totp_factor")
    .select("id")
    .where("removed_at", "is", null)
    .where("confirmed_at", "is not", null)
    .execute();
  assert.ok(count.length > 0);

  t.clock.advance(11 * MINUTE);
  const held = await agent.post("/profil/securite/application/retirer", {});
  const token = tokenOf(held);
  const page = await agent.follow(held);
  assert.match(textOf(page.body), /Opération\s: retirer un deuxième facteur/);
  await agent.post("/verification-identite", { demande: token, code: await totpCode(secret, t.clock()) });
  t.clock.advance(STEP_MS);
});

test("the step-up pages speak English when chosen", async () => {
  const { agent } = await officerWithApp();
  agent.cookies.set("guichet_lang", "en");
  t.clock.advance(11 * MINUTE);
  const response = await agent.post("/utilisateurs", { ...newProfile(), cle: await createForm(agent) });
  const page = await agent.follow(response);
  assert.match(textOf(page.body), /Confirm your identity/);
  assert.match(textOf(page.body), /Operation: create a user account/);
});

test("the grace period ends exactly at its deadline: a millisecond before, every page opens; at it, only adding a factor does", async () => {
  const org = await t.factories.organization();
  const officer = await t.factories.user(org, { servicesOfficer: true });
  const started = t.clock().getTime();
  const first = browser();
  await first.signIn(officer.userCode, TEST_PASSWORD);
  const deadline = started + 7 * DAY;
  t.clock.set(new Date(deadline - 10 * MINUTE));
  const late = browser();
  await late.signIn(officer.userCode, TEST_PASSWORD);
  assert.match(textOf((await late.get("/")).body), /jours restants : 0/);
  t.clock.set(new Date(deadline - 1));
  assert.equal((await late.get("/utilisateurs")).statusCode, 200);
  t.clock.set(new Date(deadline));
  const blocked = await late.get("/utilisateurs");
  assert.equal(blocked.statusCode, 303);
  assert.equal(blocked.headers.location, "/profil/securite");
  assert.equal((await late.get("/profil/securite")).statusCode, 200);
  t.clock.advance(STEP_MS);
});
