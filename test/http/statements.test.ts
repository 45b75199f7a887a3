// Pages that list services cost the same statements whatever the number of services (issue #16): the home page's
// lists of applications and « Gestion des mandats » decide for every service in one statement, not one each.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { insertRole } from "../../src/features/service-roles/service-roles.queries.js";
import type { Agent } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";

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
  const services = await t.database.db
    .selectFrom("online_service")
    .select("id")
    .orderBy("sort_order")
    .limit(count)
    .execute();
  assert.equal(services.length, count, `the catalogue has ${count} services`);
  for (const [index, service] of services.entries())
    await insertRole(t.database.db, {
      role: index === 0 ? "local_manager" : "deputy",
      organizationId: organization.id,
      servicePointId: null,
      serviceId: service.id,
      userId: user.id,
      grantedBy: null,
      accessRequestId: null,
      now: t.clock(),
    });
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
