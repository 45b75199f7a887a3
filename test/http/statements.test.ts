// Statements counted (issue #16): pages that list services cost the same whatever the number of services (the home
// page's lists of applications and « Gestion des mandats » decide for every service in one statement, not one each);
// the second step of a sign-in costs three (the sign-in storm's work on the event loop, issue #12).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Agent } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import { addAuthenticatorApp, totpCode } from "../support/factors.js";

let t: TestApp;

before(async () => {
  t = await startTestApp({ countStatements: true });
});
after(() => t.close());

/**
 * The services officer of a new municipality (who holds every procuration of it), local manager of its first of
 * `count` services and deputy in the others.
 */
async function managerOf(count: number): Promise<Agent> {
  const organization = await t.factories.organization("municipality");
  const user = await t.factories.user(organization, { servicesOfficer: true });
  assert.equal(
    await t.factories.manageServices(organization.id, user.id, count),
    count,
    `the catalogue has ${count} services`,
  );
  return t.signIn(user.userCode);
}

async function statementsOf(agent: Agent, path: string): Promise<number> {
  const before = t.statements();
  const response = await agent.get(path);
  assert.equal(response.statusCode, 200, `${path}: ${response.statusCode}`);
  return t.statements() - before;
}

test("the home page and « Gestion des mandats » cost as many statements for six services as for one", async () => {
  const one = await managerOf(1);
  const six = await managerOf(6);
  // Each person's first visit: nothing of theirs is in the read cache yet.
  const home = { one: await statementsOf(one, "/"), six: await statementsOf(six, "/") };
  const mandates = { one: await statementsOf(one, "/mandats"), six: await statementsOf(six, "/mandats") };
  assert.ok(home.one > 0, "the home page reads the database");
  assert.equal(home.six, home.one, `home page: ${JSON.stringify(home)}`);
  assert.equal(mandates.six, mandates.one, `« Gestion des mandats »: ${JSON.stringify(mandates)}`);
});

test("the second step of a sign-in with an authenticator app costs three statements", async () => {
  const organization = await t.factories.organization("municipality");
  const user = await t.factories.user(organization);
  const agent = await t.signIn(user.userCode);
  const { secret } = await addAuthenticatorApp(agent, t.clock());
  t.clock.advance(60_000);
  const fresh = t.agent();
  await fresh.get("/connexion");
  const before = t.statements();
  const first = await fresh.post("/connexion", { userCode: user.userCode, password: TEST_PASSWORD });
  assert.equal(first.statusCode, 303);
  assert.equal(first.headers.location, "/connexion/verification");
  const afterPassword = t.statements();
  const second = await fresh.post("/connexion/verification", { code: await totpCode(secret, t.clock()) });
  assert.equal(second.statusCode, 303, second.body);
  assert.notEqual(second.headers.location, "/connexion/verification");
  // The pending sign-in with the person, the throttle's counts and their app; the code's step used once; the
  // session opened as the pending sign-in ends.
  assert.equal(t.statements() - afterPassword, 3, `the password step took ${afterPassword - before}`);
});
