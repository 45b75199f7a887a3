// « No service left without a manager » (issue #15, section 5): a local manager or agent manager who can no longer act
// (disabled, without the procuration their role rests on, removed) is announced once to the organization's services
// officers, the deputies and the owning ministry's service administrators, with the replacement request pre-filled;
// the back office lists the scopes with current rights and no manager able to act, with the days since.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setUserEnabled } from "../../src/features/accounts/accounts.service.js";
import { listServicesWithoutManager } from "../../src/features/back-office/back-office.service.js";
import { alertManagersUnableToAct } from "../../src/features/manager-gaps/manager-gaps.service.js";
import {
  insertHolders,
  insertProcuration,
  replaceScope,
} from "../../src/features/procurations/procurations.queries.js";
import { removeHolder } from "../../src/features/procurations/procurations.service.js";
import * as registry from "../../src/features/registry/registry.service.js";
import { endRole, insertRole } from "../../src/features/service-roles/service-roles.queries.js";
import { runJobs } from "../../src/jobs.js";
import { ANONYMOUS } from "../../src/policy/actor.js";
import { textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { grant, otherMinistryAdmin, type Service, serviceByCode } from "../support/application-fixtures.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";

let t: TestApp;
let service: Service;
let admin: MadeUser;
let otherAdmin: MadeUser;

// 10:00 in Montréal, a Monday.
const START = "2026-12-07T15:00:00Z";

before(async () => {
  t = await startTestApp();
  t.clock.set(START);
  service = await serviceByCode(t);
  const ministry = await t.factories.organization("ministry");
  admin = await t.factories.user(ministry, { serviceAdminUnit: "DGI", firstName: "Diane" });
  otherAdmin = await otherMinistryAdmin(t);
});
after(() => t.close());

/** A procuration of the organization for the service's ministry, held by the people given; its last day as given. */
async function procuration(
  org: MadeOrganization,
  officer: MadeUser,
  holders: MadeUser[],
  endDate = "2030-12-31",
) {
  const db = t.database.db;
  const id = await insertProcuration(db, {
    organizationId: org.id,
    name: "Services du ministère",
    startDate: "2026-01-01",
    endDate,
    createdBy: officer.id,
    now: t.clock(),
  });
  await replaceScope(db, id, [{ ministryId: service.ministry_id, restricted: false, serviceIds: [] }]);
  await insertHolders(
    db,
    id,
    holders.map((h) => h.id),
    officer.id,
    t.clock(),
  );
  return id;
}

async function role(
  role: "local_manager" | "deputy",
  org: MadeOrganization,
  user: MadeUser,
): Promise<number> {
  return insertRole(t.database.db, {
    role,
    organizationId: org.id,
    servicePointId: null,
    serviceId: service.id,
    userId: user.id,
    grantedBy: null,
    accessRequestId: null,
    now: t.clock(),
  });
}

type Scene = {
  org: MadeOrganization;
  officer: MadeUser;
  manager: MadeUser;
  deputy: MadeUser;
  roleId: number;
  procurationId: number;
};

/** A municipality whose local manager (not its RSE) holds a procuration ending at endDate, a deputy, and one right. */
async function scene(endDate?: string): Promise<Scene> {
  const org = await t.factories.organization();
  const officer = await t.factories.user(org, { servicesOfficer: true });
  const manager = await t.factories.user(org, { firstName: "Marc" });
  const deputy = await t.factories.user(org, { firstName: "Denise" });
  const staff = await t.factories.user(org);
  const procurationId = await procuration(org, officer, [manager], endDate);
  await procuration(org, officer, [deputy, staff]);
  const roleId = await role("local_manager", org, manager);
  await role("deputy", org, deputy);
  await grant(t, manager, { service, organizationId: org.id }, staff, "requester.write");
  return { org, officer, manager, deputy, roleId, procurationId };
}

async function gapMails(org: MadeOrganization) {
  const rows = await t.database.db
    .selectFrom("mail_outbox")
    .select(["to_address", "subject", "text_body"])
    .where("subject", "like", `%${org.name}%`)
    .orderBy("id")
    .execute();
  return rows.filter(
    (row) => row.subject.includes("en mesure d'agir") || row.subject.includes("able to act"),
  );
}

async function listedFor(org: MadeOrganization, actor = admin) {
  const list = await listServicesWithoutManager(t.ctx(actor.actor), { service: "" });
  return list.rows.filter((row) => row.organization_id === org.id);
}

function assertAlerted(mails: Awaited<ReturnType<typeof gapMails>>, s: Scene, cause: RegExp) {
  assert.deepEqual(
    mails.map((m) => m.to_address).sort(),
    [s.officer.email, s.deputy.email, admin.email].sort(),
  );
  for (const mail of mails) assert.match(mail.text_body, cause);
  const toOrganization = mails.find((m) => m.to_address === s.officer.email);
  assert.ok(toOrganization);
  // The existing replacement request, its municipality already searched.
  assert.ok(
    toOrganization.text_body.includes(
      `/services/${encodeURIComponent(service.code)}/demande-remplacement/municipalite?codeGeographique=${s.org.geoCode}`,
    ),
    toOrganization.text_body,
  );
  const toMinistry = mails.find((m) => m.to_address === admin.email);
  assert.ok(toMinistry?.text_body.includes(`/ministere/gestionnaires?organisationId=${s.org.id}`));
  assert.ok(toMinistry?.text_body.includes("/ministere/services-sans-gestionnaire"));
}

test("disabling a local manager tells the RSE, the deputy and the ministry at once, exactly once", async () => {
  t.clock.set(START);
  const s = await scene();
  assert.deepEqual(await listedFor(s.org), [], "an able manager leaves no gap");
  const result = await setUserEnabled(t.ctx(s.officer.actor), s.manager.userCode, false);
  assert.equal(result.changed, true);
  // In the act's own transaction: no job has run.
  assertAlerted(await gapMails(s.org), s, /compte désactivé/);
  await runJobs(t.app);
  await runJobs(t.app);
  assert.equal((await gapMails(s.org)).length, 3, "the hourly job sends nothing again");
  const alerts = await t.database.db
    .selectFrom("manager_alert")
    .selectAll()
    .where("organization_id", "=", s.org.id)
    .execute();
  assert.deepEqual(
    alerts.map((a) => [a.service_role_id, a.cause]),
    [[s.roleId, "disabled"]],
  );

  const [row] = await listedFor(s.org);
  assert.equal(row?.cause, "disabled");
  assert.equal(row?.days, 0);
  t.clock.set("2026-12-10T16:00:00Z");
  assert.equal((await listedFor(s.org))[0]?.days, 3, "three days later");

  // The organization's page of the service offers the replacement request, pre-filled, to its RSE.
  const rse = await t.signIn(s.officer.userCode);
  const entry = await rse.get(`/services/${encodeURIComponent(service.code)}/demande-acces`);
  assert.equal(entry.statusCode, 200);
  assert.match(
    textOf(entry.body),
    /Marc Nom\d+, gestionnaire local des droits d'accès de votre organisation, ne peut plus agir/,
  );
  assert.ok(
    entry.body.includes(
      `/services/${encodeURIComponent(service.code)}/demande-remplacement/municipalite?codeGeographique=${s.org.geoCode}`,
    ),
  );
  const form = await rse.get(
    `/services/${encodeURIComponent(service.code)}/demande-remplacement/municipalite?codeGeographique=${s.org.geoCode}`,
  );
  assert.equal(form.statusCode, 200);
  assert.ok(textOf(form.body).includes(s.org.name), "the form shows the municipality already found");

  // Re-enabled, the manager can act again: the scope leaves the list.
  await setUserEnabled(t.ctx(s.officer.actor), s.manager.userCode, true);
  assert.deepEqual(await listedFor(s.org), []);
  const after = await rse.get(`/services/${encodeURIComponent(service.code)}/demande-acces`);
  assert.doesNotMatch(textOf(after.body), /ne peut plus agir/);
});

test("a procuration past its last day is listed at once and alerted by the hourly job, once", async () => {
  t.clock.set(START);
  const s = await scene("2026-12-08");
  await runJobs(t.app);
  assert.deepEqual(await gapMails(s.org), [], "still valid on its last day");
  // 00:30 in Montréal on the day after its last day.
  t.clock.set("2026-12-09T05:30:00Z");
  const [row] = await listedFor(s.org);
  assert.equal(row?.cause, "no_procuration", "exact before any job runs");
  assert.equal(row?.days, 0);
  assert.deepEqual(await gapMails(s.org), []);
  await runJobs(t.app);
  assertAlerted(await gapMails(s.org), s, /aucune procuration valide couvrant le service/);
  t.clock.set("2026-12-09T06:30:00Z");
  await runJobs(t.app);
  assert.equal((await gapMails(s.org)).length, 3);
  t.clock.set("2026-12-14T06:30:00Z");
  assert.equal((await listedFor(s.org))[0]?.days, 5);

  // A new procuration: able again, no longer listed.
  await procuration(s.org, s.officer, [s.manager]);
  assert.deepEqual(await listedFor(s.org), []);
});

test("the RSE removing the manager from the procuration their role rests on alerts at once", async () => {
  t.clock.set(START);
  const s = await scene();
  assert.equal(await removeHolder(t.ctx(s.officer.actor), s.procurationId, s.manager.id), true);
  assertAlerted(await gapMails(s.org), s, /aucune procuration valide/);
  await runJobs(t.app);
  assert.equal((await gapMails(s.org)).length, 3);
  assert.equal((await listedFor(s.org))[0]?.cause, "no_procuration");
});

test("a removed manager with rights left behind is alerted in the hour and listed until someone holds the role", async () => {
  t.clock.set(START);
  const s = await scene();
  assert.equal(await endRole(t.database.db, s.roleId, s.officer.id, "removed", t.clock()), true);
  t.clock.set("2026-12-07T15:20:00Z");
  // Two servers finding the same gap at once (on PostgreSQL, two connections): the claim lets one send it.
  const ctx = { db: t.database.db, actor: ANONYMOUS, now: t.clock(), ip: null };
  const sent = await Promise.all([
    alertManagersUnableToAct(ctx, t.config.publicUrl),
    alertManagersUnableToAct(ctx, t.config.publicUrl),
  ]);
  assert.deepEqual([...sent].sort(), [0, 3]);
  await runJobs(t.app);
  assertAlerted(await gapMails(s.org), s, /retiré de son rôle/);
  await runJobs(t.app);
  assert.equal((await gapMails(s.org)).length, 3);
  t.clock.set("2026-12-09T15:00:00Z");
  const [row] = await listedFor(s.org);
  assert.equal(row?.cause, "removed");
  assert.equal(row?.days, 2);
  assert.equal(row?.role_id, s.roleId);

  // The ministry names someone (a replacement approved): able, so no longer listed.
  await role("local_manager", s.org, s.deputy);
  assert.deepEqual(await listedFor(s.org), []);
});

test("a disabled agent manager: the firm's RSE and the ministry are told, with the firm's replacement request", async () => {
  t.clock.set(START);
  const firm = await t.factories.organization("firm");
  const officer = await t.factories.user(firm, { servicesOfficer: true });
  const agentManager = await t.factories.user(firm, { firstName: "Albert" });
  const consultant = await t.factories.user(firm);
  await procuration(firm, officer, [agentManager, consultant]);
  const pointId = await t.database.db
    .insertInto("service_point")
    .values({ organization_id: firm.id, name: "Bureau de Lévis" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await insertRole(t.database.db, {
    role: "agent_manager",
    organizationId: firm.id,
    servicePointId: pointId.id,
    serviceId: service.id,
    userId: agentManager.id,
    grantedBy: null,
    accessRequestId: null,
    now: t.clock(),
  });
  const target = { service, organizationId: firm.id, servicePointId: pointId.id };
  const associated = await registry.associate(t.ctx(agentManager.actor), target, consultant.userCode);
  assert.ok(associated.ok);

  await setUserEnabled(t.ctx(officer.actor), agentManager.userCode, false);
  const mails = await gapMails(firm);
  assert.deepEqual(mails.map((m) => m.to_address).sort(), [officer.email, admin.email].sort());
  const toFirm = mails.find((m) => m.to_address === officer.email);
  assert.ok(toFirm?.text_body.includes(`/demande-remplacement/mandataires?neq=${firm.neq}`));
  const [row] = await listedFor(firm);
  assert.equal(row?.role, "agent_manager");
  assert.equal(row?.service_point_name, "Bureau de Lévis");
});

test("the page « Services sans gestionnaire »: the ministry's actions, in French and English; another ministry is refused", async () => {
  t.clock.set(START);
  const s = await scene();
  await setUserEnabled(t.ctx(s.officer.actor), s.manager.userCode, false);
  t.clock.set("2026-12-11T15:00:00Z");

  const agent = await t.signIn(admin.userCode);
  const home = await agent.get("/ministere");
  assert.match(home.body, /href="\/ministere\/services-sans-gestionnaire"/);
  const page = await agent.get(`/ministere/services-sans-gestionnaire?service=${service.id}`);
  assert.equal(page.statusCode, 200);
  const text = textOf(page.body);
  assert.ok(text.includes(s.org.name), text);
  assert.match(text, /compte désactivé/);
  assert.match(text, /4 jours/);
  assert.ok(
    page.body.includes(`/ministere/gestionnaires?organisationId=${s.org.id}&amp;service=${service.id}`),
  );
  assert.match(page.body, /Nommer un adjoint/);
  assert.match(page.body, /Demandes de remplacement/);

  const bad = await agent.get("/ministere/services-sans-gestionnaire?service=abc");
  assert.equal(bad.statusCode, 400);
  assert.match(textOf(bad.body), /service/i);

  const switched = await agent.post("/langue", {
    locale: "en",
    retour: "/ministere/services-sans-gestionnaire",
  });
  assert.equal(switched.statusCode, 303);
  const english = await agent.get("/ministere/services-sans-gestionnaire");
  assert.match(english.body, /<html lang="en-CA">/);
  const englishText = textOf(english.body);
  assert.match(englishText, /Services without a manager/);
  assert.match(englishText, /account disabled/);
  assert.match(englishText, /4 days/);
  assert.match(englishText, /Name a deputy/);

  // Another ministry's administrator: refused for the MAMH's service, and their own list never shows it.
  const other = await t.signIn(otherAdmin.userCode);
  const refused = await other.get(`/ministere/services-sans-gestionnaire?service=${service.id}`);
  assert.equal(refused.statusCode, 403);
  const own = await other.get("/ministere/services-sans-gestionnaire");
  assert.equal(own.statusCode, 200);
  assert.ok(!textOf(own.body).includes(s.org.name));
  assert.deepEqual(await listedFor(s.org, otherAdmin), []);

  const rse = await t.signIn(s.officer.userCode);
  assert.equal((await rse.get("/ministere/services-sans-gestionnaire")).statusCode, 403);
});
