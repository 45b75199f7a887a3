// The ministry's back office over HTTP: who may do what (truth table), approvals and rejections with their emails,
// replacements at one instant, the one-manager rule under 50 concurrent approvals, the managers' search, deputies,
// and identification codes shown once and kept only hashed.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import type { ManagerRole } from "../../src/db/schema.js";
import * as backOfficeMessages from "../../src/features/back-office/back-office.messages.js";
import { verifyIdentificationCode } from "../../src/features/identification-codes/identification-codes.service.js";
import { grantManagerRole, RoleTaken } from "../../src/features/service-roles/service-roles.service.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { readMailbox } from "../support/mailbox.js";
import { randomKey } from "../support/text.js";

let t: TestApp;
let ministry: MadeOrganization;
let otherMinistry: MadeOrganization;
let admin: MadeUser;
let adminAgent: Agent;
let otherAdmin: MadeUser;
/** Online service ids by code (D34-PIQM…). */
const services = new Map<string, number>();
/** Everything the app logged, to prove a secret never reaches the logs. */
const logged: string[] = [];

before(async () => {
  const logStream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      logged.push(chunk.toString());
      callback();
    },
  });
  t = await startTestApp({ env: { LOG_LEVEL: "info" }, logStream });
  ministry = await t.factories.organization("ministry");
  for (const row of await t.database.db.selectFrom("online_service").select(["id", "code"]).execute()) {
    services.set(row.code, row.id);
  }
  admin = await t.factories.user(ministry, {
    serviceAdminUnit: "DGI",
    firstName: "Diane",
    lastName: "Administratrice",
  });
  adminAgent = await t.signIn(admin.userCode);
  otherMinistry = await anotherMinistry();
  otherAdmin = await serviceAdminOf(otherMinistry);
});
after(() => t.close());

// --- Fixtures

function serviceId(code: string): number {
  const id = services.get(code);
  assert.ok(id, `service ${code} is in the catalogue`);
  return id;
}

function locationOf(response: Response): string {
  return String(response.headers.location);
}

/** Another ministry, with a unit and one online service of its own, as the catalogue would hold it. */
async function anotherMinistry(): Promise<MadeOrganization> {
  const db = t.database.db;
  const row = await db
    .insertInto("organization")
    .values({ kind: "ministry", name: "Ministère des Transports (essai)", acronym: "MTESSAI" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const unit = await db
    .insertInto("ministry_unit")
    .values({ organization_id: row.id, code: "DGT", name: "Direction générale des transports" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("online_service")
    .values({
      code: "T01-ESSAI",
      name: "Service des transports (essai)",
      category: "other",
      ministry_id: row.id,
      ministry_unit_id: unit.id,
    })
    .execute();
  return { id: row.id, name: "Ministère des Transports (essai)", kind: "ministry", geoCode: null, neq: null };
}

/** A service administrator of a ministry other than the MAMH: made a user, then given that ministry's unit. */
async function serviceAdminOf(organization: MadeOrganization): Promise<MadeUser> {
  const user = await t.factories.user(organization, { firstName: "Olivier", lastName: "Autreministère" });
  const unit = await t.database.db
    .selectFrom("ministry_unit")
    .select("id")
    .where("organization_id", "=", organization.id)
    .executeTakeFirstOrThrow();
  await t.database.db
    .updateTable("app_user")
    .set({ is_service_admin: true, ministry_unit_id: unit.id })
    .where("id", "=", user.id)
    .execute();
  return { ...user, actor: { ...user.actor, isServiceAdmin: true, ministryUnitId: unit.id } };
}

type Client = { org: MadeOrganization; filer: MadeUser; designated: MadeUser; colleague: MadeUser };

async function clientOrganization(
  kind: "municipality" | "body" | "firm" = "municipality",
  name?: string,
): Promise<Client> {
  const org = await t.factories.organization(kind, name);
  const filer = await t.factories.user(org, { firstName: "Francis", lastName: "Demandeur" });
  const designated = await t.factories.user(org, { firstName: "Gabrielle", lastName: "Désignée" });
  const colleague = await t.factories.user(org, { firstName: "Camille", lastName: "Collègue" });
  return { org, filer, designated, colleague };
}

/** A request as the filing forms would insert it (those forms are another feature's). */
async function fileRequest(input: {
  org: MadeOrganization;
  filer: MadeUser;
  designated: MadeUser;
  service?: string;
  role?: ManagerRole;
  servicePointId?: number | null;
  replacement?: boolean;
  reason?: string | null;
  details?: Record<string, string>;
  authorityEmail?: string;
}): Promise<number> {
  const row = await t.database.db
    .insertInto("access_request")
    .values({
      role: input.role ?? "local_manager",
      replacement: input.replacement ?? false,
      organization_id: input.org.id,
      service_point_id: input.servicePointId ?? null,
      service_id: serviceId(input.service ?? "D34-PIQM"),
      filed_by: input.filer.id,
      filed_at: t.clock(),
      authority_civility: "M.",
      authority_last_name: "Tremblay",
      authority_first_name: "Gilles",
      authority_job_title: "Directeur général",
      authority_phone: "418 555-0199",
      authority_phone_extension: "12",
      authority_email: input.authorityEmail ?? `dg-${input.org.id}@autorite.example`,
      designated_user_id: input.designated.id,
      organization_details: JSON.stringify(input.details ?? {}),
      reason: input.reason ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function servicePointOf(org: MadeOrganization, name: string): Promise<number> {
  const row = await t.database.db
    .insertInto("service_point")
    .values({ organization_id: org.id, name, street: "rue du Pont", city: "Lévis", postal_code: "G6V 1A1" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

// --- What the database holds

async function state() {
  const db = t.database.db;
  return {
    requests: await db.selectFrom("access_request").selectAll().orderBy("id").execute(),
    roles: await db.selectFrom("service_role").selectAll().orderBy("id").execute(),
    codes: await db.selectFrom("identification_code").selectAll().orderBy("organization_id").execute(),
    submissions: await db.selectFrom("form_submission").selectAll().orderBy("key").execute(),
    outbox: await db.selectFrom("mail_outbox").selectAll().orderBy("id").execute(),
    audit: await db.selectFrom("audit_event").selectAll().orderBy("id").execute(),
  };
}
type State = Awaited<ReturnType<typeof state>>;
type AuditRow = State["audit"][number];

/** Asserts that nothing changed since `before` except appended audit rows, and returns those rows. */
async function auditAddedSince(before: State): Promise<AuditRow[]> {
  const now = await state();
  assert.deepEqual({ ...now, audit: now.audit.slice(0, before.audit.length) }, before);
  return now.audit.slice(before.audit.length);
}

async function assertNothingChanged(before: State): Promise<void> {
  assert.deepEqual(await auditAddedSince(before), []);
}

async function currentRoles(org: MadeOrganization, role: "local_manager" | "deputy" | "agent_manager") {
  return t.database.db
    .selectFrom("service_role")
    .selectAll()
    .where("organization_id", "=", org.id)
    .where("role", "=", role)
    .where("ended_at", "is", null)
    .orderBy("id")
    .execute();
}

async function requestRow(id: number) {
  return t.database.db
    .selectFrom("access_request")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

async function successAudit(since: number) {
  return t.database.db
    .selectFrom("audit_event")
    .select(["action", "outcome", "actor_user_id", "organization_id", "target_type", "target_id", "details"])
    .where("id", ">", since)
    .where("outcome", "=", "success")
    .orderBy("id")
    .execute();
}

async function lastAuditId(): Promise<number> {
  const row = await t.database.db
    .selectFrom("audit_event")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

async function mailsTo(address: string) {
  await t.app.guichet.outbox.deliverDue();
  return (await readMailbox(t.config.mailDir)).filter((mail) => mail.to.includes(address));
}

function approve(agent: Agent, id: number): Promise<Response> {
  return agent.post(`/ministere/demandes/${id}/approbation`, {});
}

function reject(agent: Agent, id: number, motif: string): Promise<Response> {
  return agent.post(`/ministere/demandes/${id}/refus`, { motif });
}

// 1. Who may do what

type Who = "admin" | "otherAdmin" | "rse" | "plain" | "anonymous";
const WHO: readonly Who[] = ["admin", "otherAdmin", "rse", "plain", "anonymous"];

type Fixture = Client & { requestId: number };

type Route = {
  name: string;
  /** The action a refusal is audited under. */
  action: string;
  request(agent: Agent, f: Fixture): Promise<Response>;
};

const NSA = "403 not_service_admin";
const OM = "403 other_ministry";

// Written by hand from DOMAIN.md: the back office belongs to the service administrators of the ministry that owns
// the service. Another ministry's administrator reaches their own (empty) pages, never the MAMH's requests, roles
// or codes. A GET without a session goes to the sign-in page, a POST without one gets 401.
const EXPECTED: Record<string, Record<Who, string>> = {
  "GET /ministere": { admin: "200", otherAdmin: "200", rse: NSA, plain: NSA, anonymous: "303" },
  "GET /ministere/demandes": { admin: "200", otherAdmin: "200", rse: NSA, plain: NSA, anonymous: "303" },
  "GET /ministere/demandes/:id": { admin: "200", otherAdmin: OM, rse: NSA, plain: NSA, anonymous: "303" },
  "POST /ministere/demandes/:id/approbation": {
    admin: "303",
    otherAdmin: OM,
    rse: NSA,
    plain: NSA,
    anonymous: "401",
  },
  "POST /ministere/demandes/:id/refus": {
    admin: "303",
    otherAdmin: OM,
    rse: NSA,
    plain: NSA,
    anonymous: "401",
  },
  "GET /ministere/gestionnaires": { admin: "200", otherAdmin: OM, rse: NSA, plain: NSA, anonymous: "303" },
  "POST /ministere/gestionnaires/adjoints": {
    admin: "303",
    otherAdmin: OM,
    rse: NSA,
    plain: NSA,
    anonymous: "401",
  },
  "GET /ministere/services-sans-gestionnaire": {
    admin: "200",
    otherAdmin: OM,
    rse: NSA,
    plain: NSA,
    anonymous: "303",
  },
  "GET /ministere/codes-identification": {
    admin: "200",
    otherAdmin: OM,
    rse: NSA,
    plain: NSA,
    anonymous: "303",
  },
  "POST /ministere/codes-identification/:id": {
    admin: "200",
    otherAdmin: OM,
    rse: NSA,
    plain: NSA,
    anonymous: "401",
  },
};

const ROUTES: Route[] = [
  { name: "GET /ministere", action: "accessRequest.review", request: (a) => a.get("/ministere") },
  {
    name: "GET /ministere/demandes",
    action: "accessRequest.review",
    request: (a) => a.get("/ministere/demandes"),
  },
  {
    name: "GET /ministere/demandes/:id",
    action: "accessRequest.review",
    request: (a, f) => a.get(`/ministere/demandes/${f.requestId}`),
  },
  {
    name: "POST /ministere/demandes/:id/approbation",
    action: "accessRequest.decide",
    request: (a, f) => approve(a, f.requestId),
  },
  {
    name: "POST /ministere/demandes/:id/refus",
    action: "accessRequest.decide",
    request: (a, f) => reject(a, f.requestId, "La personne en autorité n'a pas signé."),
  },
  {
    name: "GET /ministere/gestionnaires",
    action: "serviceRole.search",
    request: (a, f) =>
      a.get(`/ministere/gestionnaires?organisationId=${f.org.id}&service=${serviceId("D34-PIQM")}`),
  },
  {
    name: "POST /ministere/gestionnaires/adjoints",
    action: "serviceRole.nameDeputyAsAdmin",
    request: (a, f) =>
      a.post("/ministere/gestionnaires/adjoints", {
        organisationId: String(f.org.id),
        service: String(serviceId("D34-PIQM")),
        utilisateur: f.colleague.userCode,
      }),
  },
  {
    name: "GET /ministere/services-sans-gestionnaire",
    action: "serviceRole.listGaps",
    request: (a) => a.get(`/ministere/services-sans-gestionnaire?service=${serviceId("D34-PIQM")}`),
  },
  {
    name: "GET /ministere/codes-identification",
    action: "identificationCode.issue",
    request: (a, f) => a.get(`/ministere/codes-identification?organisation=${f.org.geoCode ?? ""}`),
  },
  {
    name: "POST /ministere/codes-identification/:id",
    action: "identificationCode.issue",
    request: (a, f) => a.post(`/ministere/codes-identification/${f.org.id}`, { cle: randomKey() }),
  },
];

test("each back-office page and action is open to the owning ministry's service administrators only (truth table)", async () => {
  const client = await clientOrganization();
  const rse = await t.factories.user(client.org, { servicesOfficer: true });
  const anonymous = t.agent();
  await anonymous.get("/connexion");
  const agents: Record<Who, Agent> = {
    admin: adminAgent,
    otherAdmin: await t.signIn(otherAdmin.userCode),
    rse: await t.signIn(rse.userCode),
    plain: await t.signIn(client.filer.userCode),
    anonymous,
  };
  const people: Record<Who, MadeUser | null> = {
    admin,
    otherAdmin,
    rse,
    plain: client.filer,
    anonymous: null,
  };
  assert.deepEqual(Object.keys(EXPECTED).sort(), ROUTES.map((r) => r.name).sort());

  const mismatches: string[] = [];
  let checked = 0;
  for (const route of ROUTES) {
    for (const who of WHO) {
      const expected = EXPECTED[route.name]?.[who];
      assert.ok(expected, `${route.name} × ${who} is in the table`);
      // A fresh organization and request per case, so that an allowed decision never changes the next case.
      const client = await clientOrganization();
      const fixture: Fixture = { ...client, requestId: await fileRequest(client) };
      const before = await state();
      const response = await route.request(agents[who], fixture);
      checked += 1;
      const added = (await state()).audit.slice(before.audit.length);
      const denial = added.find((row) => row.outcome === "denied");
      const got = `${response.statusCode}${response.statusCode === 403 ? ` ${denial?.reason ?? "(no audit)"}` : ""}`;
      const label = `${route.name} as ${who}`;
      if (got !== expected) {
        mismatches.push(`${label}: expected ${expected}, got ${got}`);
        continue;
      }
      if (
        expected === "303" &&
        who === "anonymous" &&
        !locationOf(response).startsWith("/connexion?retour=")
      ) {
        mismatches.push(`${label}: sent to ${locationOf(response)}`);
      }
      if (expected === "200" || expected === "303") {
        if (denial) mismatches.push(`${label}: allowed, yet a denial was audited`);
        continue;
      }
      // Refused: nothing written but the audit row of the refusal (none for a visitor who is not signed in).
      try {
        const rows = await auditAddedSince(before);
        const person = people[who];
        assert.deepEqual(
          rows.map((row) => ({
            action: row.action,
            outcome: row.outcome,
            reason: row.reason,
            actor: row.actor_user_id,
          })),
          response.statusCode === 403 && person
            ? [{ action: route.action, outcome: "denied", reason: expected.slice(4), actor: person.id }]
            : [],
        );
      } catch (error) {
        mismatches.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  assert.equal(checked, ROUTES.length * WHO.length);
  assert.deepEqual(mismatches, []);
});

test("the home page shows « Administration des services en ligne » to service administrators only", async () => {
  const home = await adminAgent.get("/");
  assert.match(home.body, /href="\/ministere"/);
  assert.match(textOf(home.body), /Administration des services en ligne/);
  const client = await clientOrganization();
  const rse = await t.factories.user(client.org, { servicesOfficer: true });
  for (const user of [rse, client.filer]) {
    const page = await (await t.signIn(user.userCode)).get("/");
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /href="\/ministere"/);
  }
});

// 2. The queue and one request

test("the queue shows only the actor's ministry's requests, filtered in SQL by status, service and organization", async () => {
  const a = await clientOrganization("municipality", "Ville de Saint-Filtre");
  const b = await clientOrganization("body", "Régie des eaux du Filtre");
  const piqm = await fileRequest({ ...a, service: "D34-PIQM" });
  const tecq = await fileRequest({ ...b, service: "D41-TECQ 2019" });

  const all = textOf((await adminAgent.get("/ministere/demandes")).body);
  assert.match(all, /Ville de Saint-Filtre/);
  assert.match(all, /Régie des eaux du Filtre/);

  const byService = await adminAgent.get(`/ministere/demandes?service=${serviceId("D41-TECQ 2019")}`);
  assert.equal(byService.statusCode, 200);
  assert.match(byService.body, new RegExp(`/ministere/demandes/${tecq}"`));
  assert.doesNotMatch(byService.body, new RegExp(`/ministere/demandes/${piqm}"`));

  assert.ok(a.org.geoCode);
  const byGeoCode = await adminAgent.get(`/ministere/demandes?organisation=${a.org.geoCode}`);
  assert.match(byGeoCode.body, new RegExp(`/ministere/demandes/${piqm}"`));
  assert.doesNotMatch(byGeoCode.body, new RegExp(`/ministere/demandes/${tecq}"`));
  assert.ok(b.org.neq);
  const byNeq = await adminAgent.get(`/ministere/demandes?organisation=${b.org.neq}`);
  assert.match(byNeq.body, new RegExp(`/ministere/demandes/${tecq}"`));
  assert.doesNotMatch(byNeq.body, new RegExp(`/ministere/demandes/${piqm}"`));
  const byName = await adminAgent.get(
    `/ministere/demandes?organisation=${encodeURIComponent("saint-filtre")}`,
  );
  assert.match(byName.body, new RegExp(`/ministere/demandes/${piqm}"`));
  // A « % » is a character to find, not a wildcard.
  const wildcard = await adminAgent.get("/ministere/demandes?organisation=%25");
  assert.doesNotMatch(wildcard.body, /\/ministere\/demandes\/\d+"/);

  assert.equal((await reject(adminAgent, tecq, "Doublon.")).statusCode, 303);
  const pending = await adminAgent.get("/ministere/demandes");
  assert.doesNotMatch(pending.body, new RegExp(`/ministere/demandes/${tecq}"`), "pending is the default");
  const rejected = await adminAgent.get("/ministere/demandes?statut=refusee");
  assert.match(rejected.body, new RegExp(`/ministere/demandes/${tecq}"`));
  assert.doesNotMatch(rejected.body, new RegExp(`/ministere/demandes/${piqm}"`));
  const every = await adminAgent.get("/ministere/demandes?statut=toutes");
  assert.match(every.body, new RegExp(`/ministere/demandes/${tecq}"`));
  assert.match(every.body, new RegExp(`/ministere/demandes/${piqm}"`));

  // Another ministry's administrator sees their own queue: none of the MAMH's requests.
  const other = await t.signIn(otherAdmin.userCode);
  const theirs = await other.get("/ministere/demandes?statut=toutes");
  assert.equal(theirs.statusCode, 200);
  assert.doesNotMatch(theirs.body, /\/ministere\/demandes\/\d+"/);
  assert.match(textOf(theirs.body), /T01-ESSAI/);
  assert.doesNotMatch(textOf(theirs.body), /D34-PIQM/);
  // Asking for a MAMH service is refused as a filter that is not offered, and nothing is listed.
  const forged = await other.get(`/ministere/demandes?service=${serviceId("D34-PIQM")}`);
  assert.equal(forged.statusCode, 400);
  assert.match(textOf(forged.body), /Choisissez un service en ligne de la liste\./);
  assert.doesNotMatch(forged.body, /\/ministere\/demandes\/\d+"/);
});

test("filters that are not offered are refused with a clear message", async () => {
  const before = await state();
  const status = await adminAgent.get("/ministere/demandes?statut=perdue");
  assert.equal(status.statusCode, 400);
  assert.match(textOf(status.body), /Choisissez un état de la liste\./);
  const service = await adminAgent.get("/ministere/demandes?service=999999");
  assert.equal(service.statusCode, 400);
  assert.match(textOf(service.body), /Choisissez un service en ligne de la liste\./);
  await assertNothingChanged(before);
});

test("a request's page shows the person in authority, the designated person, the organization and the body's details", async () => {
  const client = await clientOrganization("body", "Régie intermunicipale du Détail");
  const id = await fileRequest({
    ...client,
    replacement: true,
    reason: "Départ à la retraite de l'ancien gestionnaire.",
    details: {
      category: "Régie intermunicipale",
      name: "Régie intermunicipale du Détail",
      street: "rue Principale",
      city: "Rimouski",
      postalCode: "G5L 1A1",
      provincialRiding: "Rimouski",
      federalRiding: "Rimouski-Neigette",
    },
  });
  const page = await adminAgent.get(`/ministere/demandes/${id}`);
  assert.equal(page.statusCode, 200);
  const text = textOf(page.body);
  for (const expected of [
    `Demande d'accès no ${id}`,
    "D34-PIQM",
    "Gestionnaire local des droits d'accès",
    "Remplacement d'un gestionnaire Oui",
    "Départ à la retraite de l'ancien gestionnaire.",
    "M. Gilles Tremblay",
    "Directeur général",
    "418 555-0199, poste 12",
    `dg-${client.org.id}@autorite.example`,
    "Gabrielle Désignée",
    client.designated.userCode,
    client.designated.email,
    "Régie intermunicipale du Détail",
    `NEQ ${client.org.neq ?? ""}`,
    "Catégorie de l'organisme Régie intermunicipale",
    "Circonscription électorale fédérale Rimouski-Neigette",
    `Francis Demandeur (${client.filer.userCode})`,
    "En attente",
  ]) {
    assert.ok(text.includes(expected), `the page shows « ${expected} »`);
  }
  assert.match(page.body, new RegExp(`action="/ministere/demandes/${id}/approbation"`));
  assert.match(page.body, new RegExp(`action="/ministere/demandes/${id}/refus"`));
  const missing = await adminAgent.get("/ministere/demandes/99999999");
  assert.equal(missing.statusCode, 404);
});

test("a municipality's request has no « Renseignements sur l'organisme » heading for details it never gives", async () => {
  const client = await clientOrganization("municipality", "Municipalité de Sans-Détail");
  const id = await fileRequest({ ...client, replacement: false });
  const text = textOf((await adminAgent.get(`/ministere/demandes/${id}`)).body);
  assert.ok(text.includes("Municipalité de Sans-Détail"));
  assert.doesNotMatch(text, /Renseignements sur l'organisme|Aucun renseignement additionnel/);
  // A public body without details says so under the heading.
  const body = await clientOrganization("body", "Organisme sans détail");
  const bodyId = await fileRequest({ ...body, replacement: false });
  assert.match(
    textOf((await adminAgent.get(`/ministere/demandes/${bodyId}`)).body),
    /Renseignements sur l'organisme\s+Aucun renseignement additionnel/,
  );
});

// 3. Approvals and rejections

test("approving names the designated person local manager in one step, audits it and emails the rights and responsibilities", async () => {
  const client = await clientOrganization();
  const id = await fileRequest(client);
  const since = await lastAuditId();
  const now = t.clock();

  const response = await approve(adminAgent, id);
  assert.equal(response.statusCode, 303, response.body);
  const shown = await adminAgent.follow(response);
  assert.match(
    textOf(shown.body),
    /La demande a été approuvée\. Gabrielle Désignée est maintenant gestionnaire local des droits d'accès/,
  );
  assert.doesNotMatch(
    shown.body,
    /action="\/ministere\/demandes\/\d+\/approbation"/,
    "no decision form once decided",
  );

  const request = await requestRow(id);
  assert.equal(request.status, "approved");
  assert.equal(request.decided_by, admin.id);
  assert.deepEqual(request.decided_at, now);
  const roles = await currentRoles(client.org, "local_manager");
  assert.equal(roles.length, 1);
  assert.equal(roles[0]?.user_id, client.designated.id);
  assert.equal(roles[0]?.service_id, serviceId("D34-PIQM"));
  assert.equal(roles[0]?.access_request_id, id);
  assert.equal(roles[0]?.granted_by, admin.id);
  assert.deepEqual(roles[0]?.granted_at, now);

  const audit = await successAudit(since);
  assert.deepEqual(
    audit.map((row) => [row.action, row.actor_user_id, row.organization_id]),
    [
      ["serviceRole.grant", admin.id, client.org.id],
      ["accessRequest.approve", admin.id, client.org.id],
    ],
  );
  assert.equal(audit[1]?.target_type, "access_request");
  assert.equal(audit[1]?.target_id, String(id));

  const mails = await mailsTo(client.designated.email);
  assert.equal(mails.length, 1);
  const mail = mails[0];
  assert.ok(mail);
  assert.match(mail.subject, /nomination\s: gestionnaire local des droits d'accès, D34-PIQM/);
  assert.match(mail.text, /Votre désignation comme gestionnaire local des droits d'accès est confirmée\./);
  assert.doesNotMatch(mail.text, /nommé\(e\)|est désigné /);
  assert.match(mail.text, /attribuez, modifiez et retirez les droits d'accès/);
  assert.match(mail.text, /nommer des gestionnaires locaux adjoints/);
  assert.match(mail.text, /aucun accès aux formulaires du service/);
  assert.match(mail.text, /http:\/\/guichet\.test\//);
});

test("approving an agent manager names them for the service point; the email says they have no deputies", async () => {
  const client = await clientOrganization("firm", "Firme-conseil Mandataire");
  const point = await servicePointOf(client.org, "Bureau de Lévis");
  const id = await fileRequest({ ...client, role: "agent_manager", servicePointId: point });
  const page = await adminAgent.get(`/ministere/demandes/${id}`);
  assert.match(textOf(page.body), /Point de service Bureau de Lévis/);
  assert.equal((await approve(adminAgent, id)).statusCode, 303);
  const roles = await currentRoles(client.org, "agent_manager");
  assert.equal(roles.length, 1);
  assert.equal(roles[0]?.service_point_id, point);
  assert.equal(roles[0]?.user_id, client.designated.id);
  const [mail] = await mailsTo(client.designated.email);
  assert.ok(mail);
  assert.match(
    mail.text,
    /gestionnaire de mandataires pour le point de service «\u00a0Bureau de Lévis\u00a0»/,
  );
  assert.match(mail.text, /vous ne pouvez pas nommer d'adjoints/);
  assert.match(mail.text, /associez au service en ligne le personnel de votre point de service/);
});

test("approving twice is a clear conflict « Cette demande a déjà été traitée », and nothing changes", async () => {
  const client = await clientOrganization();
  const id = await fileRequest(client);
  assert.equal((await approve(adminAgent, id)).statusCode, 303);
  const before = await state();
  const again = await approve(adminAgent, id);
  assert.equal(again.statusCode, 409);
  assert.match(textOf(again.body), /Cette demande a déjà été traitée\. Rien n'a été changé\./);
  const rejectAfter = await reject(adminAgent, id, "Trop tard.");
  assert.equal(rejectAfter.statusCode, 409);
  assert.match(textOf(rejectAfter.body), /Cette demande a déjà été traitée/);
  await assertNothingChanged(before);
});

test("rejecting needs a reason: without one, a clear message and nothing changes", async () => {
  const client = await clientOrganization();
  const id = await fileRequest(client);
  const before = await state();
  for (const motif of ["", "   "]) {
    const response = await reject(adminAgent, id, motif);
    assert.equal(response.statusCode, 400);
    assert.match(textOf(response.body), /Motif du refus\s: Indiquez le motif du refus\./);
  }
  const control = await reject(adminAgent, id, "Motif\u0007 sonore");
  assert.equal(control.statusCode, 400);
  assert.match(textOf(control.body), /Ce champ contient des caractères non permis\./);
  await assertNothingChanged(before);
});

test("rejecting tells the person who filed and the person in authority why, and gives no role", async () => {
  const client = await clientOrganization();
  const id = await fileRequest(client);
  const since = await lastAuditId();
  const reason = "La personne désignée n'est pas sous l'autorité directe de la municipalité.";
  const response = await reject(adminAgent, id, reason);
  assert.equal(response.statusCode, 303);
  assert.match(textOf((await adminAgent.follow(response)).body), /La demande a été refusée\./);
  const request = await requestRow(id);
  assert.equal(request.status, "rejected");
  assert.equal(request.rejection_reason, reason);
  assert.equal(request.decided_by, admin.id);
  assert.deepEqual(await currentRoles(client.org, "local_manager"), []);
  const audit = await successAudit(since);
  assert.deepEqual(
    audit.map((row) => row.action),
    ["accessRequest.reject"],
  );
  for (const address of [client.filer.email, `dg-${client.org.id}@autorite.example`]) {
    const mails = await mailsTo(address);
    assert.equal(mails.length, 1, `one mail to ${address}`);
    assert.match(mails[0]?.subject ?? "", /demande d'accès refusée\s: D34-PIQM/);
    assert.ok(mails[0]?.text.includes(reason), `the reason is in the mail to ${address}`);
    assert.match(mails[0]?.text ?? "", /Gabrielle Désignée à titre de gestionnaire local des droits d'accès/);
  }
  assert.deepEqual(await mailsTo(client.designated.email), []);
});

test("approving when a manager is in office and the request is not a replacement is refused: « c'est un remplacement »", async () => {
  const client = await clientOrganization();
  assert.equal((await approve(adminAgent, await fileRequest(client))).statusCode, 303);
  const second = await fileRequest({ ...client, designated: client.colleague });
  const page = await adminAgent.get(`/ministere/demandes/${second}`);
  assert.match(textOf(page.body), /n'est pas une demande de remplacement/);
  const before = await state();
  // The code does not look first: the insert meets the unique index, and the refusal is a 409, not a 500.
  const response = await approve(adminAgent, second);
  assert.equal(response.statusCode, 409);
  assert.match(textOf(response.body), /c'est un remplacement/);
  assert.match(textOf(response.body), /Rien n'a été changé/);
  await assertNothingChanged(before);
  assert.equal((await requestRow(second)).status, "pending");
});

test("a replacement ends the current manager's role at the very instant the new manager's begins", async () => {
  const client = await clientOrganization();
  assert.equal((await approve(adminAgent, await fileRequest(client))).statusCode, 303);
  const [old] = await currentRoles(client.org, "local_manager");
  assert.ok(old);
  t.clock.advance(5 * 60_000);
  const now = t.clock();
  const id = await fileRequest({
    ...client,
    designated: client.colleague,
    replacement: true,
    reason: "Départ de Gabrielle.",
  });
  const page = await adminAgent.get(`/ministere/demandes/${id}`);
  assert.match(textOf(page.body), /Gabrielle Désignée perdra ce rôle au même moment\./);
  const since = await lastAuditId();

  assert.equal((await approve(adminAgent, id)).statusCode, 303);
  const ended = await t.database.db
    .selectFrom("service_role")
    .selectAll()
    .where("id", "=", old.id)
    .executeTakeFirstOrThrow();
  const current = await currentRoles(client.org, "local_manager");
  assert.equal(current.length, 1);
  const fresh = current[0];
  assert.ok(fresh);
  assert.equal(fresh.user_id, client.colleague.id);
  assert.deepEqual(ended.ended_at, now);
  assert.deepEqual(fresh.granted_at, now);
  assert.deepEqual(ended.ended_at, fresh.granted_at, "the same instant");
  assert.equal(ended.ended_by, admin.id);
  assert.equal(ended.end_reason, "replaced");
  assert.deepEqual(
    (await successAudit(since)).map((row) => row.action),
    ["serviceRole.end", "serviceRole.grant", "accessRequest.approve"],
  );
  const [named] = await mailsTo(client.colleague.email);
  assert.match(named?.subject ?? "", /nomination/);
  const toOld = (await mailsTo(client.designated.email)).filter((m) => /fin de votre rôle/.test(m.subject));
  assert.equal(toOld.length, 1);
  assert.match(
    toOld[0]?.text ?? "",
    /la désignation de Camille Collègue comme gestionnaire local des droits d'accès/,
  );
});

test("a replacement that names the manager already in office, or a designated person since disabled, is refused", async () => {
  const client = await clientOrganization();
  assert.equal((await approve(adminAgent, await fileRequest(client))).statusCode, 303);
  const same = await fileRequest({ ...client, replacement: true, reason: "Erreur." });
  let before = await state();
  const response = await approve(adminAgent, same);
  assert.equal(response.statusCode, 409);
  assert.match(textOf(response.body), /La personne désignée occupe déjà ce rôle/);
  await assertNothingChanged(before);
  assert.equal((await reject(adminAgent, same, "Erreur de saisie.")).statusCode, 303);

  const other = await clientOrganization();
  const id = await fileRequest(other);
  await t.database.db
    .updateTable("app_user")
    .set({ disabled_at: t.clock() })
    .where("id", "=", other.designated.id)
    .execute();
  assert.match(
    textOf((await adminAgent.get(`/ministere/demandes/${id}`)).body),
    /compte de cette personne est désactivé/,
  );
  before = await state();
  const disabled = await approve(adminAgent, id);
  assert.equal(disabled.statusCode, 409);
  assert.match(textOf(disabled.body), /n'est plus un utilisateur actif de l'organisation/);
  await assertNothingChanged(before);
});

test("an administrator of another ministry cannot approve: 403, audited, nothing else written", async () => {
  const client = await clientOrganization();
  const id = await fileRequest(client);
  const other = await t.signIn(otherAdmin.userCode);
  const before = await state();
  const response = await approve(other, id);
  assert.equal(response.statusCode, 403);
  const added = await auditAddedSince(before);
  assert.deepEqual(
    added.map((row) => [row.action, row.outcome, row.reason, row.actor_user_id, row.organization_id]),
    [["accessRequest.decide", "denied", "other_ministry", otherAdmin.id, client.org.id]],
  );
});

// 4. The one-manager rule under concurrency

test("50 concurrent approvals of one request leave exactly one manager; every other attempt gets a clear 409, no 500", async () => {
  const client = await clientOrganization();
  const id = await fileRequest(client);
  const since = await lastAuditId();
  const responses = await Promise.all(Array.from({ length: 50 }, () => approve(adminAgent, id)));
  const statuses = responses.map((r) => r.statusCode);
  assert.equal(statuses.filter((s) => s === 303).length, 1, `statuses: ${statuses.join(",")}`);
  assert.equal(statuses.filter((s) => s === 409).length, 49);
  for (const response of responses.filter((r) => r.statusCode === 409)) {
    assert.match(textOf(response.body), /Cette demande a déjà été traitée/);
  }
  assert.equal((await currentRoles(client.org, "local_manager")).length, 1);
  assert.deepEqual(
    (await successAudit(since)).map((row) => row.action),
    ["serviceRole.grant", "accessRequest.approve"],
  );
  assert.equal((await mailsTo(client.designated.email)).length, 1);
});

test("50 concurrent grants of the local manager role for one organization and service: the unique index keeps one, 49 clean conflicts", async () => {
  const org = await t.factories.organization();
  const people = await Promise.all(Array.from({ length: 50 }, () => t.factories.user(org)));
  const service = serviceId("D34-PIQM");
  const outcomes = await Promise.allSettled(
    people.map((person) =>
      t.database.db.transaction().execute((trx) =>
        grantManagerRole(
          { ...t.ctx(admin.actor), db: trx },
          {
            role: "local_manager",
            organizationId: org.id,
            servicePointId: null,
            serviceId: service,
            userId: person.id,
            accessRequestId: null,
            replaceCurrent: false,
          },
        ),
      ),
    ),
  );
  const granted = outcomes.filter((o) => o.status === "fulfilled");
  const refused = outcomes.filter((o) => o.status === "rejected");
  assert.equal(granted.length, 1);
  assert.equal(refused.length, 49);
  for (const outcome of refused) {
    assert.ok(outcome.reason instanceof RoleTaken, `a clean conflict, not ${String(outcome.reason)}`);
    assert.equal(outcome.reason.role, "local_manager");
  }
  const current = await currentRoles(org, "local_manager");
  assert.equal(current.length, 1);
  // The rolled-back attempts left no trace: one grant in the audit log.
  const grants = await t.database.db
    .selectFrom("audit_event")
    .select("id")
    .where("action", "=", "serviceRole.grant")
    .where("organization_id", "=", org.id)
    .execute();
  assert.equal(grants.length, 1);
});

// 5. Who manages an organization in a service

test("the search answers who is the local manager of an organization in a service, and who are the deputies", async () => {
  const client = await clientOrganization("municipality", "Municipalité de Cherche-Loin");
  assert.equal((await approve(adminAgent, await fileRequest(client))).statusCode, 303);
  const piqm = serviceId("D34-PIQM");
  const named = await adminAgent.post("/ministere/gestionnaires/adjoints", {
    organisationId: String(client.org.id),
    service: String(piqm),
    utilisateur: client.colleague.userCode,
  });
  assert.equal(named.statusCode, 303);

  assert.ok(client.org.geoCode);
  for (const text of ["Cherche-Loin", client.org.geoCode]) {
    const page = await adminAgent.get(
      `/ministere/gestionnaires?organisation=${encodeURIComponent(text)}&service=${piqm}`,
    );
    assert.equal(page.statusCode, 200, `search by ${text}`);
    const body = textOf(page.body);
    assert.match(body, /Gestionnaire local des droits d'accès/);
    assert.match(
      page.body,
      new RegExp(
        `<tr class="local-manager"><td>Gabrielle Désignée</td><td>${client.designated.userCode}</td>`,
      ),
    );
    assert.match(
      page.body,
      new RegExp(`<tr class="deputy"><td>Camille Collègue</td><td>${client.colleague.userCode}</td>`),
    );
  }
  // In another service, nobody.
  const elsewhere = await adminAgent.get(
    `/ministere/gestionnaires?organisationId=${client.org.id}&service=${serviceId("D41-TECQ 2019")}`,
  );
  assert.match(textOf(elsewhere.body), /Aucun gestionnaire local n'est en fonction\./);
  assert.match(textOf(elsewhere.body), /Aucun adjoint n'est en fonction\./);

  // A body by its NEQ.
  const body = await clientOrganization("body", "Organisme du NEQ");
  assert.ok(body.org.neq);
  const byNeq = await adminAgent.get(`/ministere/gestionnaires?organisation=${body.org.neq}&service=${piqm}`);
  assert.equal(byNeq.statusCode, 200);
  assert.match(textOf(byNeq.body), /Organisme du NEQ/);
});

test("a search that matches several organizations offers a choice", async () => {
  await clientOrganization("municipality", "Village des Jumeaux-Est");
  await clientOrganization("municipality", "Village des Jumeaux-Ouest");
  const page = await adminAgent.get(
    `/ministere/gestionnaires?organisation=Jumeaux&service=${serviceId("D34-PIQM")}`,
  );
  assert.equal(page.statusCode, 200);
  assert.match(textOf(page.body), /Plusieurs organisations correspondent/);
  assert.equal(
    [...page.body.matchAll(/href="\/ministere\/gestionnaires\?organisationId=\d+&amp;service=\d+"/g)].length,
    2,
  );
});

test("an unknown organization or service in the search gets a clear message, and nothing changes", async () => {
  const before = await state();
  const piqm = serviceId("D34-PIQM");
  const cases: [string, RegExp][] = [
    [
      `organisation=Nulle-Part-Introuvable&service=${piqm}`,
      /Aucune organisation ne correspond à « Nulle-Part-Introuvable »\./,
    ],
    [`organisationId=99999999&service=${piqm}`, /Cette organisation n'existe pas\./],
    ["organisation=Ville&service=99999999", /Ce service en ligne n'existe pas\./],
    ["organisation=Ville&service=abc", /Ce service en ligne n'existe pas\./],
    ["organisation=Ville&service=", /Choisissez un service en ligne\./],
    [`organisation=&service=${piqm}`, /Indiquez le nom, le code géographique ou le NEQ de l'organisation\./],
  ];
  for (const [query, message] of cases) {
    const response = await adminAgent.get(`/ministere/gestionnaires?${query}`);
    assert.equal(response.statusCode, 400, query);
    assert.match(textOf(response.body), message, query);
  }
  await assertNothingChanged(before);
});

// 6. Deputies named by the ministry

function nameDeputy(agent: Agent, org: MadeOrganization, code: string): Promise<Response> {
  return agent.post("/ministere/gestionnaires/adjoints", {
    organisationId: String(org.id),
    service: String(serviceId("D34-PIQM")),
    utilisateur: code,
  });
}

test("the ministry names a deputy when the manager cannot: role, audit and email; the same deputy twice is a conflict", async () => {
  const client = await clientOrganization();
  const since = await lastAuditId();
  const response = await nameDeputy(adminAgent, client.org, client.colleague.userCode.toLowerCase());
  assert.equal(response.statusCode, 303);
  assert.match(
    textOf((await adminAgent.follow(response)).body),
    /Camille Collègue est maintenant gestionnaire local adjoint/,
  );
  const deputies = await currentRoles(client.org, "deputy");
  assert.deepEqual(
    deputies.map((d) => [d.user_id, d.service_id, d.granted_by]),
    [[client.colleague.id, serviceId("D34-PIQM"), admin.id]],
  );
  const audit = await successAudit(since);
  assert.deepEqual(
    audit.map((row) => [row.action, row.organization_id]),
    [["serviceRole.nameDeputy", client.org.id]],
  );
  const [mail] = await mailsTo(client.colleague.email);
  assert.match(mail?.subject ?? "", /gestionnaire local adjoint des droits d'accès, D34-PIQM/);
  assert.match(mail?.text ?? "", /Vous ne pouvez pas nommer d'autres adjoints\./);

  const before = await state();
  const again = await nameDeputy(adminAgent, client.org, client.colleague.userCode);
  assert.equal(again.statusCode, 409);
  assert.match(textOf(again.body), /Cette personne est déjà gestionnaire local adjoint/);
  await assertNothingChanged(before);
});

test("20 concurrent namings of the same deputy leave one role: the unique index answers the others with 409", async () => {
  const client = await clientOrganization();
  const responses = await Promise.all(
    Array.from({ length: 20 }, () => nameDeputy(adminAgent, client.org, client.colleague.userCode)),
  );
  const statuses = responses.map((r) => r.statusCode);
  assert.equal(statuses.filter((s) => s === 303).length, 1, statuses.join(","));
  assert.equal(statuses.filter((s) => s === 409).length, 19);
  assert.equal((await currentRoles(client.org, "deputy")).length, 1);
});

test("a deputy must be an enabled user of the organization, and not its local manager", async () => {
  const client = await clientOrganization("municipality", "Municipalité de l'Adjoint");
  const stranger = await t.factories.user(await t.factories.organization(), { lastName: "Étranger" });
  const disabled = await t.factories.user(client.org, { disabled: true });
  const before = await state();
  const cases: [string, number, RegExp][] = [
    [stranger.userCode, 400, /Cette personne n'est pas un utilisateur de Municipalité de l'Adjoint\./],
    [disabled.userCode, 400, /Le compte de cette personne est désactivé\./],
    ["ZZZ9999", 400, /Aucun utilisateur ne correspond à ce code\./],
    ["n'importe", 400, /Aucun utilisateur ne correspond à ce code\./],
    ["", 400, /Indiquez le code d'utilisateur de l'adjoint\./],
  ];
  for (const [code, status, message] of cases) {
    const response = await nameDeputy(adminAgent, client.org, code);
    assert.equal(response.statusCode, status, code);
    assert.match(textOf(response.body), message, code);
  }
  await assertNothingChanged(before);

  assert.equal((await approve(adminAgent, await fileRequest(client))).statusCode, 303);
  const beforeManager = await state();
  const manager = await nameDeputy(adminAgent, client.org, client.designated.userCode);
  assert.equal(manager.statusCode, 409);
  assert.match(textOf(manager.body), /Cette personne est le gestionnaire local/);
  await assertNothingChanged(beforeManager);

  const unknownOrganization = await adminAgent.post("/ministere/gestionnaires/adjoints", {
    organisationId: "99999999",
    service: String(serviceId("D34-PIQM")),
    utilisateur: client.colleague.userCode,
  });
  assert.equal(unknownOrganization.statusCode, 400);
  assert.match(textOf(unknownOrganization.body), /Cette organisation n'existe pas\./);
});

// 7. Identification codes

async function allDatabaseText(): Promise<string> {
  const db = t.database.db;
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  assert.ok(tables.rows.length > 10);
  const dumps: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(
      db,
    );
    dumps.push(...rows.rows.map((r) => r.row));
  }
  return dumps.join("\n");
}

test("an identification code is shown once on a printable letter, stored hashed, and written nowhere else", async () => {
  const { org } = await clientOrganization("municipality", "Municipalité de Code-Secret");
  await t.database.db
    .updateTable("organization")
    .set({ civic_number: "123", street: "rue du Parc", city: "Sainte-Lettre", postal_code: "G0A 1B0" })
    .where("id", "=", org.id)
    .execute();
  assert.ok(org.geoCode);
  const list = await adminAgent.get(`/ministere/codes-identification?organisation=${org.geoCode}`);
  assert.equal(list.statusCode, 200);
  assert.match(textOf(list.body), /Municipalité de Code-Secret/);
  assert.match(textOf(list.body), /Aucun code émis/);
  const key = /name="cle" value="([^"]+)"/.exec(list.body)?.[1];
  assert.ok(key);
  const since = await lastAuditId();

  const letter = await adminAgent.post(`/ministere/codes-identification/${org.id}`, { cle: key });
  assert.equal(letter.statusCode, 200);
  assert.equal(letter.headers["cache-control"], "no-store");
  const code = /<p class="identification-code">([A-Z0-9-]+)<\/p>/.exec(letter.body)?.[1];
  assert.ok(code, "the code in large type");
  assert.match(code, /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  const text = textOf(letter.body);
  for (const expected of [
    "Municipalité de Code-Secret",
    "123, rue du Parc",
    "Sainte-Lettre G0A 1B0",
    ministry.name,
    "Objet : Code d'identification de la municipalité",
    "désigner son gestionnaire local des droits d'accès",
    "Il remplace tout code émis précédemment",
    "Ce code n'est affiché qu'une seule fois",
  ]) {
    assert.ok(text.includes(expected), `the letter shows « ${expected} »`);
  }
  assert.match(letter.body, /<link rel="stylesheet" href="\/ministere\/lettre\.css"\/?>/);
  const css = await adminAgent.get("/ministere/lettre.css");
  assert.equal(css.statusCode, 200);
  assert.match(String(css.headers["content-type"]), /^text\/css/);
  assert.match(css.body, /@media print/);
  assert.match(css.body, /\.site-header[^{]*\{ display: none/);

  // Kept hashed: the code proves authority, in any case, with or without dashes.
  const stored = await t.database.db
    .selectFrom("identification_code")
    .selectAll()
    .where("organization_id", "=", org.id)
    .executeTakeFirstOrThrow();
  assert.match(stored.code_hash, /^\$argon2/);
  assert.equal(stored.issued_by, admin.id);
  const ctx = t.ctx(admin.actor);
  assert.deepEqual(await verifyIdentificationCode(ctx, org.id, code.toLowerCase().replace(/-/g, " ")), {
    ok: true,
  });

  // Nowhere in clear: not in any table (audit log included), not in the logs.
  const bare = code.replace(/-/g, "");
  const everything = await allDatabaseText();
  assert.ok(!everything.includes(code) && !everything.includes(bare), "the code is nowhere in the database");
  const logs = logged.join("");
  assert.ok(logs.length > 0, "the app logged something");
  assert.ok(!logs.includes(code) && !logs.includes(bare), "the code is nowhere in the logs");
  const audit = await successAudit(since);
  assert.deepEqual(
    audit.map((row) => [row.action, row.organization_id, row.details]),
    [["identificationCode.issue", org.id, {}]],
  );

  // The same form again issues nothing: the letter was shown once.
  const before = await state();
  const repeat = await adminAgent.post(`/ministere/codes-identification/${org.id}`, { cle: key });
  assert.equal(repeat.statusCode, 303);
  const told = await adminAgent.follow(repeat);
  assert.match(textOf(told.body), /le code a été affiché une seule fois/);
  assert.doesNotMatch(told.body, /identification-code/);
  await assertNothingChanged(before);

  // Re-issuing replaces the code: the old one no longer proves anything.
  const page = await adminAgent.get(`/ministere/codes-identification?organisation=${org.geoCode}`);
  assert.match(textOf(page.body), /Émettre un nouveau code/);
  const newKey = /name="cle" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(newKey);
  const second = await adminAgent.post(`/ministere/codes-identification/${org.id}`, { cle: newKey });
  const newCode = /<p class="identification-code">([A-Z0-9-]+)<\/p>/.exec(second.body)?.[1];
  assert.ok(newCode);
  assert.notEqual(newCode, code);
  assert.deepEqual(await verifyIdentificationCode(ctx, org.id, newCode), { ok: true });
  assert.deepEqual(await verifyIdentificationCode(ctx, org.id, code), { ok: false, reason: "wrong" });
});

test("a code is issued for a municipality only: another organization or an unknown id is a 404, nothing written", async () => {
  const { org } = await clientOrganization("body", "Organisme sans code");
  const before = await state();
  for (const id of [org.id, 99999999]) {
    const response = await adminAgent.post(`/ministere/codes-identification/${id}`, { cle: randomKey() });
    assert.equal(response.statusCode, 404, String(id));
  }
  await assertNothingChanged(before);
});

// 8. Texts

test("every back-office text exists in French and English with the same placeholders", () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const { fr, en } = backOfficeMessages;
  const keys = Object.keys(fr);
  assert.deepEqual(Object.keys(en).sort(), [...keys].sort());
  const mismatches = keys.filter((key) => {
    const french = Reflect.get(fr, key);
    const english = Reflect.get(en, key);
    return typeof french !== "string" || typeof english !== "string"
      ? true
      : placeholders(french).join() !== placeholders(english).join();
  });
  assert.deepEqual(mismatches, []);
});
