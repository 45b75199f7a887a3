// Statements counted (issue #16): pages that list services cost the same whatever the number of services (the home
// page's lists of applications and « Gestion des mandats » decide for every service in one statement, not one each);
// on PostgreSQL, the authenticated pages cost at most three once the catalogue has been read, even just after a write
// (the session comes with the cache's check, the catalogue from the reference scope); the second step of a sign-in
// costs three (the sign-in storm's work on the event loop, issue #12).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { assignRecipientStaff } from "../../src/features/file-transfers/file-transfers.service.js";
import { launchCampaign } from "../../src/features/reviews/reviews.service.js";
import { fileRequest } from "../../src/features/right-requests/right-requests.service.js";
import { newSubmissionKey } from "../../src/features/submissions/submissions.service.js";
import type { Agent } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import {
  associatedConsultant,
  grant,
  makeFirm,
  makeLocalManager,
  serviceByCode,
  userWithProcuration,
} from "../support/application-fixtures.js";
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

/** A write to a table every page's cache watches (and no reference table): the next page finds its data cache cold. */
async function writeSomething(): Promise<void> {
  await sql`delete from known_device where false`.execute(t.database.db);
}

test("the home page and « Gestion des mandats » cost as many statements for six services as for one", async () => {
  const first = await managerOf(1);
  const one = await managerOf(1);
  const six = await managerOf(6);
  // A first visit reads the catalogue (the reference scope on PostgreSQL) for everyone after; then each person's
  // first visit, just after a write: nothing of theirs is in the read cache.
  await statementsOf(first, "/");
  await statementsOf(first, "/mandats");
  const after = async (path: string, agent: Agent) => {
    await writeSomething();
    return statementsOf(agent, path);
  };
  const home = { one: await after("/", one), six: await after("/", six) };
  const mandates = { one: await after("/mandats", one), six: await after("/mandats", six) };
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

/**
 * The pages of the local manager (who is also the services officer), a requester, an agent and a ministry's service
 * administrator, each right after a write: on PostgreSQL each costs at most three statements (the check with the
 * session, what the page shows, one more).
 */
test("on PostgreSQL, each authenticated page costs at most three statements just after a write", async (context) => {
  if (t.database.kind !== "postgresql")
    return context.skip(
      "the budget is PostgreSQL's: the embedded engine keeps every read of its own in memory",
    );
  const service = await serviceByCode(t);
  const ministry = await t.factories.organization("ministry");
  const admin = await t.factories.user(ministry, { serviceAdminUnit: "DGI" });
  await assignRecipientStaff(t.database.db, "pga-eau", admin.id, t.clock());
  const city = await t.factories.organization("municipality");
  const manager = await makeLocalManager(t, city, service);
  const requester = await userWithProcuration(t, city, service, {});
  const target = { service, organizationId: city.id };
  await grant(t, manager, target, requester, "requester.write");
  const firm = await makeFirm(t, service);
  const agent = await associatedConsultant(t, firm, {});
  await grant(t, manager, target, agent, "agent.write");
  // A request for a right, for « Demandes d'accès reçues » and its page.
  const asking = await userWithProcuration(t, city, service, {});
  const filed = await fileRequest(t.ctx(asking.actor), service, {
    organization: String(city.id),
    right: "requester.read",
    dossier: "",
    message: "",
    submissionKey: newSubmissionKey(),
  });
  assert.ok(filed.ok);
  const requestId = (
    await t.database.db
      .selectFrom("right_request")
      .select("id")
      .where("user_id", "=", asking.id)
      .executeTakeFirstOrThrow()
  ).id;
  const space = `/services/${encodeURIComponent(service.code)}`;
  const cityPages = `${space}/organisations/:city`;
  const pages = {
    manager: [
      manager,
      [
        "/",
        "/services",
        "/profil",
        "/profil/securite",
        "/utilisateurs",
        "/utilisateurs/nouveau",
        "/procurations",
        "/procurations/nouvelle",
        "/droits-acces",
        space,
        `${cityPages}/registre`,
        `${cityPages}/qui-a-acces`,
        "/mandats",
        "/transfert-fichiers?destinataire=pga-eau",
        "/transfert-fichiers/historique",
        "/journal",
        "/profil/historique",
        `${cityPages}/revue`,
        "/revues",
        "/revues/:campaign",
        "/demandes-d-acces/recues",
        `/demandes-d-acces/recues/${requestId}`,
      ],
    ],
    requester: [
      requester,
      ["/", space, `${cityPages}/demandes`, `${space}/demander-un-acces`, "/demandes-d-acces"],
    ],
    agent: [agent, ["/", space]],
    ministry: [
      admin,
      [
        "/",
        "/transfert-fichiers/reception",
        "/transfert-fichiers/reception/pga-eau",
        "/ministere",
        "/ministere/demandes",
        "/ministere/gestionnaires",
        "/ministere/codes-identification",
        "/ministere/demandes-transmises",
        "/ministere/revues",
        "/ministere/revues/lignes",
        `/ministere/revues?service=${service.id}`,
      ],
    ],
  } as const;
  // « Revue des accès » of the city, launched by the ministry: the manager's lines, the history, one campaign.
  const launched = await launchCampaign(t.ctx(admin.actor), { service: String(service.id) });
  assert.ok(launched.ok && launched.opened > 0);
  const campaign = await t.database.db
    .selectFrom("review_campaign")
    .select("id")
    .where("organization_id", "=", city.id)
    .executeTakeFirstOrThrow();
  const at = (path: string) =>
    path.replace(":city", String(city.id)).replace(":campaign", String(campaign.id));
  const over: string[] = [];
  for (const [who, [person, paths]] of Object.entries(pages)) {
    const signedIn = await t.signIn(person.userCode);
    // Each page once, so that the reference scope holds what it reads of the catalogue.
    for (const path of paths) await signedIn.get(at(path));
    for (const path of paths) {
      await writeSomething();
      const cost = await statementsOf(signedIn, at(path));
      if (cost > 3) over.push(`${who} ${path}: ${cost}`);
    }
  }
  assert.deepEqual(over, [], "pages above three statements");
});
