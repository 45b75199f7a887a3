// Access requests over HTTP: the catalogue, « Mes services en ligne », who may file, the three forms end to end,
// bad input, one pending request, an existing manager and the replacement request.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DEMO_PASSWORD } from "../../src/features/demo/demo.data.js";
import { formatDemoAccounts, seedDemo } from "../../src/features/demo/demo.seed.js";
import { upsertCodeHash } from "../../src/features/identification-codes/identification-codes.queries.js";
import { normalizeIdentificationCode } from "../../src/features/identification-codes/identification-codes.service.js";
import { createProcuration, endProcuration } from "../../src/features/procurations/procurations.service.js";
import { endRole, insertRole } from "../../src/features/service-roles/service-roles.queries.js";
import { openFileStore } from "../../src/storage/index.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { decodeHtml, escapeHtml, escapeRegExp, randomKey } from "../support/text.js";

let t: TestApp;
let ministry: MadeOrganization;
/** The DGI's service administrator: issues the identification codes of the fixtures. */
let issuer: MadeUser;
/** Online service ids by code. */
const services = new Map<string, number>();

before(async () => {
  t = await startTestApp();
  ministry = await t.factories.organization("ministry");
  issuer = await t.factories.user(ministry, { serviceAdminUnit: "DGI" });
  for (const row of await t.database.db.selectFrom("online_service").select(["id", "code"]).execute()) {
    services.set(row.code, row.id);
  }
});
after(() => t.close());

/** Codes with an accent and a space: links and form addresses must encode them. */
const PIQM = "D34-PIQM";
const RECIM = "D26-RÉCIM";
const TECQ = "D35-TECQ 2014";
const CODE = "ABCD-EFGH-JKMN";
const END = "2027-06-30";
const THANKS = "Merci, votre demande a été envoyée avec succès à la Direction générale des infrastructures.";

type Pairs = [string, string][];
type Fields = Record<string, string | string[]>;
type Form = "municipalite" | "organisme" | "mandataires";

function serviceId(code: string): number {
  const id = services.get(code);
  assert.ok(id, `service ${code} is in the catalogue`);
  return id;
}

// --- A browser's view of the post form: what it would send, and sending it.

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/\s([a-zA-Z_:][\w:.-]*)(?:="([^"]*)")?/g)) {
    const [, name, value] = match;
    if (name) attributes.set(name, decodeHtml(value ?? ""));
  }
  return attributes;
}

/** The fields a browser would send from the page's post form to `action`, buttons aside. */
function postFormFields(html: string, action: string): Pairs {
  const form = new RegExp(
    `<form\\b[^>]*method="post"[^>]*\\baction="${escapeRegExp(action)}"[^>]*>([\\s\\S]*?)</form>`,
  ).exec(html);
  assert.ok(form?.[1] !== undefined, `the page has a form posting to ${action}`);
  const pairs: Pairs = [];
  const tags =
    /<select\b((?:[^>"]|"[^"]*")*)>([\s\S]*?)<\/select>|<textarea\b((?:[^>"]|"[^"]*")*)>([\s\S]*?)<\/textarea>|<input\b((?:[^>"]|"[^"]*")*)>/g;
  for (const match of form[1].matchAll(tags)) {
    const [, selectAttributes, options, textareaAttributes, content, inputAttributes] = match;
    if (selectAttributes !== undefined) {
      const name = attributesOf(selectAttributes).get("name");
      const choices = [...(options ?? "").matchAll(/<option\b([^>]*)>/g)].map((o) =>
        attributesOf(o[1] ?? ""),
      );
      const chosen = choices.find((o) => o.has("selected")) ?? choices[0];
      if (name && chosen) pairs.push([name, chosen.get("value") ?? ""]);
      continue;
    }
    if (textareaAttributes !== undefined) {
      const name = attributesOf(textareaAttributes).get("name");
      if (name) pairs.push([name, decodeHtml(content ?? "")]);
      continue;
    }
    const attributes = attributesOf(inputAttributes ?? "");
    const name = attributes.get("name");
    if (!name) continue;
    const type = attributes.get("type") ?? "text";
    if ((type === "checkbox" || type === "radio") && !attributes.has("checked")) continue;
    if (type === "submit" || type === "button") continue;
    pairs.push([name, attributes.get("value") ?? ""]);
  }
  return pairs;
}

function fill(pairs: Pairs, changes: Fields): Pairs {
  const kept = pairs.filter(([name]) => !Object.hasOwn(changes, name));
  for (const [name, value] of Object.entries(changes)) {
    for (const item of Array.isArray(value) ? value : [value]) kept.push([name, item]);
  }
  return kept;
}

function pathOf(form: Form, options: { replacement?: boolean; code?: string } = {}): string {
  const code = encodeURIComponent(options.code ?? PIQM);
  return `/services/${code}/${options.replacement ? "demande-remplacement" : "demande-acces"}/${form}`;
}

function identifierOf(form: Form): string {
  return form === "municipalite" ? "codeGeographique" : "neq";
}

type Options = { replacement?: boolean; code?: string };

/** Step 1: the GET « Chercher » with the geoCode or NEQ. */
function lookUp(agent: Agent, form: Form, identifier: string, options: Options = {}): Promise<Response> {
  return agent.get(`${pathOf(form, options)}?${identifierOf(form)}=${encodeURIComponent(identifier)}`);
}

const REQUESTER: Fields = {
  civilite: "Mme",
  nomDemandeur: "Gagnon",
  prenomDemandeur: "Isabelle",
  fonction: "Directrice générale",
  telephone: "(418) 555-0199",
  poste: "12",
  courriel: "Isabelle.Gagnon@Exemple.qc.ca",
};

/** Looks the organization up, fills the form as a person would and presses the given button. */
async function fileThrough(
  agent: Agent,
  form: Form,
  identifier: string,
  changes: Fields,
  options: Options & { button?: "soumettre" | "chercher" } = {},
): Promise<Response> {
  const page = await lookUp(agent, form, identifier, options);
  assert.equal(page.statusCode, 200, textOf(page.body));
  const action = pathOf(form, options);
  return agent.post(
    action,
    fill(postFormFields(page.body, action), {
      ...REQUESTER,
      action: options.button ?? "soumettre",
      ...changes,
    }),
  );
}

// --- The people and organizations.

async function issueCode(org: MadeOrganization, code = CODE): Promise<void> {
  const hash = await t.app.guichet.services.hasher.hash(normalizeIdentificationCode(code));
  await upsertCodeHash(t.database.db, org.id, hash, issuer.id, t.clock());
}

type Municipality = { org: MadeOrganization; geoCode: string; rse: MadeUser; designated: MadeUser };

/** A municipality with its code issued, its services officer and an employee to designate. */
async function municipality(): Promise<Municipality> {
  const org = await t.factories.organization("municipality");
  await t.database.db
    .updateTable("organization")
    .set({ civic_number: "2", street: "rue des Jardins", city: "Québec", postal_code: "G1R 4S9" })
    .where("id", "=", org.id)
    .execute();
  await issueCode(org);
  const rse = await t.factories.user(org, { servicesOfficer: true, firstName: "Rachel", lastName: "Savard" });
  const designated = await t.factories.user(org, { firstName: "Étienne", lastName: "Morin" });
  assert.ok(org.geoCode);
  return { org, geoCode: org.geoCode, rse, designated };
}

/** A procuration of the organization held by the user, made by its RSE through the service. */
async function procurationFor(rse: MadeUser, holder: MadeUser, only?: string[]): Promise<number> {
  const m = ministry.id;
  const result = await createProcuration(t.ctx(rse.actor), {
    form: {
      name: "Procuration d'essai",
      endDate: END,
      ministryIds: [m],
      restricted: new Map([[m, only !== undefined]]),
      serviceIds: new Map([[m, (only ?? []).map(serviceId)]]),
    },
    holderIds: [holder.id],
    submissionKey: randomKey(),
  });
  assert.ok(result.ok, "the fixture procuration is valid");
  return result.procurationId;
}

async function grantRole(
  role: "local_manager" | "deputy" | "agent_manager",
  user: MadeUser,
  code: string,
  servicePointId: number | null = null,
): Promise<number> {
  return insertRole(t.database.db, {
    role,
    organizationId: user.organizationId,
    servicePointId,
    serviceId: serviceId(code),
    userId: user.id,
    grantedBy: issuer.id,
    accessRequestId: null,
    now: t.clock(),
  });
}

// --- What the database holds.

async function state() {
  const db = t.database.db;
  return {
    requests: await db.selectFrom("access_request").selectAll().orderBy("id").execute(),
    points: await db.selectFrom("service_point").selectAll().orderBy("id").execute(),
    roles: await db.selectFrom("service_role").selectAll().orderBy("id").execute(),
    codeFailures: await db.selectFrom("identification_code_failure").selectAll().orderBy("id").execute(),
    submissions: await db.selectFrom("form_submission").selectAll().orderBy("key").execute(),
    // Delivery columns change as the outbox worker sends earlier mail: only what was queued counts here.
    outbox: await db
      .selectFrom("mail_outbox")
      .select(["id", "to_address", "subject", "text_body"])
      .orderBy("id")
      .execute(),
    audit: await db.selectFrom("audit_event").selectAll().orderBy("id").execute(),
  };
}
type State = Awaited<ReturnType<typeof state>>;
type AuditRow = State["audit"][number];

/** Asserts that nothing changed since `before` except appended audit rows (and, when told, code failures). */
async function auditAddedSince(before: State, options: { codeFailures?: number } = {}): Promise<AuditRow[]> {
  const now = await state();
  assert.equal(now.codeFailures.length, before.codeFailures.length + (options.codeFailures ?? 0));
  assert.deepEqual(
    { ...now, audit: now.audit.slice(0, before.audit.length), codeFailures: before.codeFailures },
    before,
  );
  return now.audit.slice(before.audit.length);
}

function summary(rows: AuditRow[]) {
  return rows.map((row) => ({ action: row.action, outcome: row.outcome, reason: row.reason }));
}

/** The message is shown next to its field and, after the field's label, in the error summary on top. */
function assertFieldError(html: string, field: string, label: string, message: string): void {
  const escaped = escapeRegExp(escapeHtml(message));
  assert.match(html, /Le formulaire contient des erreurs/, `error summary for ${field}`);
  assert.match(
    html,
    new RegExp(
      `<a href="#champ-${escapeRegExp(field)}">${escapeRegExp(escapeHtml(label))}\\s: ${escaped}</a>`,
    ),
    `summary entry for ${field}: ${message}`,
  );
  const tied = new RegExp(`<p class="error-message" id="champ-${escapeRegExp(field)}-erreur">${escaped}</p>`);
  const inside = new RegExp(
    `id="champ-${escapeRegExp(field)}"(?:(?!id="champ-)[\\s\\S])*?<p(?: class="error-message")?[^>]*>${escaped}</p>`,
  );
  assert.ok(tied.test(html) || inside.test(html), `message next to ${field}: ${message}`);
}

async function requestsOf(organizationId: number) {
  return t.database.db
    .selectFrom("access_request")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .orderBy("id")
    .execute();
}

function locationOf(response: Response): string {
  return String(response.headers.location);
}

// 1. The catalogue and « Mes services en ligne »

test("« Services en ligne » shows the 18 services, 16 under Infrastructures and 2 under Autres, each with an encoded « Demander l'accès au service » link", async () => {
  const { rse } = await municipality();
  const agent = await t.signIn(rse.userCode);
  const page = await agent.get("/services");
  assert.equal(page.statusCode, 200);
  const [infrastructures = "", others = ""] = page.body.split('id="categorie-other"');
  assert.match(infrastructures, /<h2 id="categorie-infrastructures">Infrastructures<\/h2>/);
  assert.match(others, /^>Autres<\/h2>/);
  const titles = (html: string) =>
    [...html.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => decodeHtml(m[1] ?? ""));
  assert.equal(titles(infrastructures).length, 16);
  assert.deepEqual(
    titles(others).map((title) => title.split(" — ")[0]),
    ["GESTION-MANDATS", "TRANSFERT-FICHIERS"],
  );
  const links = [...page.body.matchAll(/<a class="button" href="([^"]+)">Demander l'accès au service/g)].map(
    (m) => m[1],
  );
  assert.equal(links.length, 18);
  assert.ok(links.includes("/services/D35-TECQ%202014/demande-acces"));
  assert.ok(links.includes("/services/D26-R%C3%89CIM/demande-acces"));
  const entry = await agent.get("/services/D35-TECQ%202014/demande-acces");
  assert.equal(entry.statusCode, 200);
  assert.match(textOf(entry.body), /Demande d'accès au service en ligne D35-TECQ 2014/);
});

test("the catalogue speaks English too", async () => {
  const { rse } = await municipality();
  const agent = await t.signIn(rse.userCode);
  await agent.get("/services");
  await agent.post("/langue", { locale: "en", retour: "/services" });
  const page = await agent.get("/services");
  const text = textOf(page.body);
  assert.match(text, /Online services/);
  assert.match(text, /Infrastructure/);
  assert.match(text, /Request access to the service/);
});

test("a ministry's staff read the catalogue without « Demander l'accès » links; without a session it asks to sign in", async () => {
  const admin = await t.factories.user(ministry, { serviceAdminUnit: "DGI" });
  const agent = await t.signIn(admin.userCode);
  const page = await agent.get("/services");
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /Demander l'accès au service/);
  const anonymous = await t.agent().get("/services");
  assert.equal(anonymous.statusCode, 303);
  assert.match(locationOf(anonymous), /^\/connexion\?retour=%2Fservices/);
});

/** The services listed under « Mes services en ligne », by category heading. */
function myServices(html: string): Record<string, string[]> {
  const section = html.split('id="mes-services"')[1] ?? "";
  const groups: Record<string, string[]> = {};
  for (const match of section.matchAll(
    /<h3 id="mes-services-[a-z]+">([^<]+)<\/h3>\s*<ul class="my-services">([\s\S]*?)<\/ul>/g,
  )) {
    groups[match[1] ?? ""] = [...(match[2] ?? "").matchAll(/<strong>([^<]*)<\/strong>/g)].map(
      (m) => decodeHtml(m[1] ?? "").split(" — ")[0] ?? "",
    );
  }
  return groups;
}

test("« Mes services en ligne » lists, by category, exactly the services where the user holds a role now", async () => {
  const { org, designated: user } = await municipality();
  const colleague = await t.factories.user(org);
  await grantRole("local_manager", user, PIQM);
  await grantRole("deputy", user, "GESTION-MANDATS");
  await grantRole("deputy", user, RECIM);
  // Someone else's role, and a role that has ended, are not the user's services.
  await grantRole("local_manager", colleague, TECQ);
  const ended = await grantRole("local_manager", user, "D47-PRABAM");
  assert.ok(await endRole(t.database.db, ended, issuer.id, "remplacement", t.clock()));

  const home = await (await t.signIn(user.userCode)).get("/");
  assert.equal(home.statusCode, 200);
  assert.deepEqual(myServices(home.body), {
    Infrastructures: [RECIM, PIQM],
    Autres: ["GESTION-MANDATS"],
  });
  assert.match(
    textOf(home.body),
    /D34-PIQM — Programme d'infrastructures Québec-Municipalités \(Gestionnaire local des droits d'accès\)/,
  );
  assert.match(textOf(home.body), /GESTION-MANDATS — Gestion des mandats \(Gestionnaire local adjoint\)/);

  const colleagueHome = await (await t.signIn(colleague.userCode)).get("/");
  assert.deepEqual(myServices(colleagueHome.body), { Infrastructures: [TECQ] });

  const nobody = await t.factories.user(org);
  const empty = await (await t.signIn(nobody.userCode)).get("/");
  assert.deepEqual(myServices(empty.body), {});
  assert.match(textOf(empty.body), /Vous ne détenez aucun rôle dans un service en ligne/);
});

test("an agent manager's service point role shows the service once under « Mes services en ligne »", async () => {
  const firm = await firmWithPoints();
  await grantRole("agent_manager", firm.designated, PIQM, firm.pointIds[0]);
  await grantRole("agent_manager", firm.designated, PIQM, firm.pointIds[1]);
  const home = await (await t.signIn(firm.designated.userCode)).get("/");
  assert.deepEqual(myServices(home.body), { Infrastructures: [PIQM] });
  assert.match(textOf(home.body), /\(Gestionnaire de mandataires\)/);
});

// 2. Who may file: both layers of permission

/** organizationId: the organization a denial names (the actor's own, or the one they tried to act for). */
type Filer = { agent: Agent; geoCode: string; designated: MadeUser; organizationId: number };

const CASES: {
  name: string;
  expected: { open: string; lookup: string; file: string };
  make(): Promise<Filer>;
}[] = [
  {
    name: "the municipality's services officer (RSE)",
    expected: { open: "200", lookup: "200", file: "303" },
    async make() {
      const m = await municipality();
      return { agent: await t.signIn(m.rse.userCode), ...m, organizationId: m.org.id };
    },
  },
  {
    name: "a user with a valid procuration for the MAMH, all tasks",
    expected: { open: "200", lookup: "200", file: "303" },
    async make() {
      const m = await municipality();
      const user = await t.factories.user(m.org);
      await procurationFor(m.rse, user);
      return { agent: await t.signIn(user.userCode), ...m, organizationId: m.org.id };
    },
  },
  {
    name: "a user whose procuration is restricted to this service",
    expected: { open: "200", lookup: "200", file: "303" },
    async make() {
      const m = await municipality();
      const user = await t.factories.user(m.org);
      await procurationFor(m.rse, user, [PIQM]);
      return { agent: await t.signIn(user.userCode), ...m, organizationId: m.org.id };
    },
  },
  {
    name: "a user whose procuration is restricted to another service",
    expected: {
      open: "403 service_not_covered",
      lookup: "403 service_not_covered",
      file: "403 service_not_covered",
    },
    async make() {
      const m = await municipality();
      const user = await t.factories.user(m.org);
      await procurationFor(m.rse, user, [RECIM]);
      return { agent: await t.signIn(user.userCode), ...m, organizationId: m.org.id };
    },
  },
  {
    name: "a user without procuration",
    expected: { open: "403 no_procuration", lookup: "403 no_procuration", file: "403 no_procuration" },
    async make() {
      const m = await municipality();
      const user = await t.factories.user(m.org);
      return { agent: await t.signIn(user.userCode), ...m, organizationId: m.org.id };
    },
  },
  {
    name: "a user whose procuration was ended",
    expected: { open: "403 no_procuration", lookup: "403 no_procuration", file: "403 no_procuration" },
    async make() {
      const m = await municipality();
      const user = await t.factories.user(m.org);
      const id = await procurationFor(m.rse, user);
      const ended = await endProcuration(t.ctx(m.rse.actor), id, { endDate: "", immediately: true });
      assert.ok(ended.ok && ended.changed);
      return { agent: await t.signIn(user.userCode), ...m, organizationId: m.org.id };
    },
  },
  {
    name: "the RSE of another municipality, quoting this one's geoCode",
    expected: { open: "200", lookup: "403 other_organization", file: "403 other_organization" },
    async make() {
      const m = await municipality();
      const other = await municipality();
      // The denial names the organization the user tried to act for.
      return { agent: await t.signIn(other.rse.userCode), ...m, organizationId: m.org.id };
    },
  },
  {
    name: "the ministry's services officer",
    expected: {
      open: "403 not_client_organization",
      lookup: "403 not_client_organization",
      file: "403 not_client_organization",
    },
    async make() {
      const m = await municipality();
      const officer = await t.factories.user(ministry, { servicesOfficer: true });
      return { agent: await t.signIn(officer.userCode), ...m, organizationId: ministry.id };
    },
  },
  {
    name: "a service administrator of the ministry",
    expected: {
      open: "403 not_client_organization",
      lookup: "403 not_client_organization",
      file: "403 not_client_organization",
    },
    async make() {
      const m = await municipality();
      const admin = await t.factories.user(ministry, { serviceAdminUnit: "DGI" });
      return { agent: await t.signIn(admin.userCode), ...m, organizationId: ministry.id };
    },
  },
];

async function outcome(response: Response, before: State): Promise<string> {
  if (response.statusCode !== 403) return String(response.statusCode);
  const added = await auditAddedSince(before);
  assert.equal(added.length, 1, "one denial is audited");
  const [denial] = added;
  assert.equal(denial?.action, "accessRequest.file");
  assert.equal(denial?.outcome, "denied");
  return `403 ${denial?.reason}`;
}

for (const c of CASES) {
  test(`filing for a municipality: ${c.name} → ${c.expected.file}`, async () => {
    const filer = await c.make();
    const path = pathOf("municipalite");
    // The page is read first, as a browser would: the post form comes from the lookup when it is allowed.
    let before = await state();
    const open = await filer.agent.get(path);
    const got = { open: await outcome(open, before), lookup: "", file: "" };
    before = await state();
    const found = await lookUp(filer.agent, "municipalite", filer.geoCode);
    got.lookup = await outcome(found, before);
    const key = /name="cle" value="([^"]+)"/.exec(found.body)?.[1] ?? randomKey();
    before = await state();
    const filed = await filer.agent.post(path, {
      ...REQUESTER,
      cle: key,
      codeGeographique: filer.geoCode,
      codeIdentification: CODE,
      codeUtilisateur: filer.designated.userCode,
      action: "soumettre",
    });
    got.file = await outcome(filed, before);
    assert.deepEqual(got, c.expected);
    const filedRequests = await requestsOf(filer.designated.organizationId);
    assert.equal(filedRequests.length, c.expected.file === "303" ? 1 : 0);
    if (c.expected.file !== "303") {
      const [denial] = (await state()).audit.slice(-1);
      assert.equal(
        denial?.organization_id,
        filer.organizationId,
        "the denial names the actor's organization",
      );
    }
  });
}

// 3. Each path end to end

test("a municipality designates its local manager: geoCode found, code checked, person found, request sent to the DGI, audited and acknowledged by mail", async () => {
  const m = await municipality();
  const agent = await t.signIn(m.rse.userCode);
  const entry = await agent.get(`/services/${encodeURIComponent(RECIM)}/demande-acces`);
  assert.equal(entry.statusCode, 200);
  assert.match(entry.body, new RegExp(escapeRegExp(`href="${pathOf("municipalite", { code: RECIM })}"`)));
  assert.match(
    textOf(entry.body),
    /Formulaire de désignation d'un gestionnaire local des droits d'accès pour une municipalité/,
  );

  const blank = await agent.get(pathOf("municipalite", { code: RECIM }));
  assert.equal(blank.statusCode, 200);
  assert.doesNotMatch(
    blank.body,
    /method="post" action="\/services/,
    "the rest of the form waits for the municipality",
  );

  const found = await lookUp(agent, "municipalite", m.geoCode, { code: RECIM });
  assert.equal(found.statusCode, 200);
  const shown = textOf(found.body);
  assert.match(
    shown,
    new RegExp(`Municipalité ${escapeRegExp(m.org.name)} Adresse 2 rue des Jardins, Québec G1R 4S9`),
  );

  const action = pathOf("municipalite", { code: RECIM });
  const searched = await agent.post(
    action,
    fill(postFormFields(found.body, action), {
      ...REQUESTER,
      codeIdentification: "abcd efgh jkmn",
      codeUtilisateur: m.designated.userCode.toLowerCase(),
      action: "chercher",
    }),
  );
  assert.equal(searched.statusCode, 200, textOf(searched.body));
  const person = textOf(searched.body);
  assert.match(person, /Personne désignée Nom Morin Prénom Étienne Fonction Agente Téléphone 418 555-0100/);
  assert.match(person, new RegExp(escapeRegExp(m.designated.email)));

  const before = await state();
  const sent = await agent.post(action, fill(postFormFields(searched.body, action), { action: "soumettre" }));
  assert.equal(sent.statusCode, 303, textOf(sent.body));
  assert.equal(locationOf(sent), `/services/${encodeURIComponent(RECIM)}/demande-acces/envoyee`);
  const thanks = await agent.follow(sent);
  assert.match(textOf(thanks.body), new RegExp(escapeRegExp(THANKS)));

  const [request] = await requestsOf(m.org.id);
  assert.ok(request);
  assert.equal(request.role, "local_manager");
  assert.equal(request.replacement, false);
  assert.equal(request.status, "pending");
  assert.equal(request.service_id, serviceId(RECIM));
  assert.equal(request.service_point_id, null);
  assert.equal(request.filed_by, m.rse.id);
  assert.equal(request.designated_user_id, m.designated.id);
  assert.deepEqual(
    [
      request.authority_civility,
      request.authority_last_name,
      request.authority_first_name,
      request.authority_job_title,
      request.authority_phone,
      request.authority_phone_extension,
      request.authority_email,
    ],
    [
      "Mme",
      "Gagnon",
      "Isabelle",
      "Directrice générale",
      "418 555-0199",
      "12",
      "isabelle.gagnon@exemple.qc.ca",
    ],
  );

  const now = await state();
  const audit = now.audit.slice(before.audit.length);
  assert.deepEqual(summary(audit), [{ action: "accessRequest.file", outcome: "success", reason: null }]);
  assert.equal(audit[0]?.target_type, "access_request");
  assert.equal(audit[0]?.target_id, String(request.id));
  assert.deepEqual(audit[0]?.details, {
    serviceId: serviceId(RECIM),
    serviceCode: RECIM,
    role: "local_manager",
    replacement: false,
    designatedUserId: m.designated.id,
    designatedUserCode: m.designated.userCode,
    servicePointId: null,
    servicePointCreated: false,
    identificationCodeChecked: true,
  });
  const mails = now.outbox.slice(before.outbox.length);
  assert.equal(mails.length, 1);
  assert.equal(mails[0]?.to_address, "isabelle.gagnon@exemple.qc.ca");
  assert.match(mails[0]?.subject ?? "", /demande d'accès au service D26-RÉCIM/);
  assert.match(mails[0]?.text_body ?? "", new RegExp(`Numéro de la demande\u00a0: ${request.id}`));
  assert.match(
    mails[0]?.text_body ?? "",
    /désignation de Étienne Morin .* comme gestionnaire local des droits d'accès/,
  );
  // One wording with the nomination's mail (« Votre désignation comme … est confirmée »), never « est désigné ».
  assert.doesNotMatch(mails[0]?.text_body ?? "", /est désigné |nommé\(e\)/);
  // The identification code is a secret: never in the audit log, the mail or the one-time key's result.
  const written = JSON.stringify(now);
  for (const form of [CODE, normalizeIdentificationCode(CODE)]) assert.ok(!written.includes(form), form);
});

test("a request filed in English is acknowledged by mail in English", async () => {
  const m = await municipality();
  const agent = await t.signIn(m.rse.userCode);
  await agent.get("/services");
  await agent.post("/langue", { locale: "en", retour: "/services" });
  const action = pathOf("municipalite", { code: RECIM });
  const found = await lookUp(agent, "municipalite", m.geoCode, { code: RECIM });
  assert.equal(found.statusCode, 200);
  const searched = await agent.post(
    action,
    fill(postFormFields(found.body, action), {
      ...REQUESTER,
      codeIdentification: CODE,
      codeUtilisateur: m.designated.userCode,
      action: "chercher",
    }),
  );
  assert.equal(searched.statusCode, 200, textOf(searched.body));
  const before = await state();
  const sent = await agent.post(action, fill(postFormFields(searched.body, action), { action: "soumettre" }));
  assert.equal(sent.statusCode, 303, textOf(sent.body));
  assert.match(
    textOf((await agent.follow(sent)).body),
    /Thank you, your request was sent successfully to the/,
  );
  const [request] = await requestsOf(m.org.id);
  assert.ok(request);
  const mails = (await state()).outbox.slice(before.outbox.length);
  assert.equal(mails.length, 1);
  assert.equal(mails[0]?.subject, "Guichet — access request for the service D26-RÉCIM");
  const body = mails[0]?.text_body ?? "";
  assert.match(body, new RegExp(`Request number: ${request.id}`));
  assert.match(
    body,
    /designation of Étienne Morin \(\w+\) as local access rights manager of the online service D26-RÉCIM/,
  );
  assert.doesNotMatch(body, /Bonjour|Numéro de la demande/);
});

test("a body designates its local manager: found by NEQ, details prefilled from the organization, what was submitted kept with the request", async () => {
  const org = await t.factories.organization("body", "Régie d'essai des eaux");
  await t.database.db
    .updateTable("organization")
    .set({
      body_category: "Régie intermunicipale",
      civic_number: "1200",
      street: "rue des Érables",
      city: "Shawinigan",
      postal_code: "G9N 3X2",
      region: "Mauricie",
      provincial_riding: "Laviolette–Saint-Maurice",
      federal_riding: "Saint-Maurice—Champlain",
    })
    .where("id", "=", org.id)
    .execute();
  const rse = await t.factories.user(org, { servicesOfficer: true });
  const designated = await t.factories.user(org);
  assert.ok(org.neq);
  const agent = await t.signIn(rse.userCode);
  const found = await lookUp(agent, "organisme", org.neq);
  assert.equal(found.statusCode, 200);
  const prefilled = new Map(postFormFields(found.body, pathOf("organisme")));
  assert.equal(prefilled.get("categorie"), "Régie intermunicipale");
  assert.equal(prefilled.get("nomOrganisme"), "Régie d'essai des eaux");
  assert.equal(prefilled.get("rue"), "rue des Érables");
  assert.equal(prefilled.get("circonscriptionFederale"), "Saint-Maurice—Champlain");

  const sent = await fileThrough(agent, "organisme", org.neq, {
    codePostal: "g9n-3x2",
    numeroCivique: "1250",
    codeUtilisateur: designated.userCode,
  });
  assert.equal(sent.statusCode, 303, textOf(sent.body));
  assert.match(textOf((await agent.follow(sent)).body), new RegExp(escapeRegExp(THANKS)));
  const [request] = await requestsOf(org.id);
  assert.ok(request);
  assert.equal(request.role, "local_manager");
  assert.equal(request.designated_user_id, designated.id);
  assert.deepEqual(request.organization_details, {
    category: "Régie intermunicipale",
    name: "Régie d'essai des eaux",
    civicNumber: "1250",
    street: "rue des Érables",
    city: "Shawinigan",
    postalCode: "G9N 3X2",
    region: "Mauricie",
    provincialRiding: "Laviolette–Saint-Maurice",
    federalRiding: "Saint-Maurice—Champlain",
  });
});

type Firm = { org: MadeOrganization; neq: string; rse: MadeUser; designated: MadeUser; pointIds: number[] };

async function firmWithPoints(): Promise<Firm> {
  const org = await t.factories.organization("firm");
  assert.ok(org.neq);
  const pointIds: number[] = [];
  for (const [name, city] of [
    ["Bureau de Québec", "Québec"],
    ["Bureau de Trois-Rivières", "Trois-Rivières"],
  ] as const) {
    const row = await t.database.db
      .insertInto("service_point")
      .values({
        organization_id: org.id,
        name,
        civic_number: "10",
        street: "rue Principale",
        city,
        postal_code: "G1V 2M2",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    pointIds.push(row.id);
  }
  const rse = await t.factories.user(org, { servicesOfficer: true });
  const designated = await t.factories.user(org);
  return { org, neq: org.neq, rse, designated, pointIds };
}

function pointValue(html: string, name: string): string {
  const match = new RegExp(
    `<input type="radio" name="pointService" value="([^"]*)"[^>]*/?>\\s*(?:<strong>)?${escapeRegExp(escapeHtml(name))}`,
  ).exec(html);
  assert.ok(match?.[1], `the page offers the point « ${name} »`);
  return match[1];
}

test("a firm designates an agent manager for one of its service points", async () => {
  const firm = await firmWithPoints();
  const agent = await t.signIn(firm.rse.userCode);
  const found = await lookUp(agent, "mandataires", firm.neq);
  assert.equal(found.statusCode, 200);
  assert.match(textOf(found.body), new RegExp(`Firme ${escapeRegExp(firm.org.name)}`));
  const point = pointValue(found.body, "Bureau de Trois-Rivières");
  const before = await state();
  const sent = await fileThrough(agent, "mandataires", firm.neq, {
    pointService: point,
    codeUtilisateur: firm.designated.userCode,
  });
  assert.equal(sent.statusCode, 303, textOf(sent.body));
  const [request] = await requestsOf(firm.org.id);
  assert.ok(request);
  assert.equal(request.role, "agent_manager");
  assert.equal(request.service_point_id, Number(point));
  assert.equal(request.service_point_id, firm.pointIds[1]);
  const after = await state();
  assert.deepEqual(after.points, before.points, "no service point is added");
});

test("a firm adds a service point with its address and names its agent manager in the same transaction", async () => {
  const firm = await firmWithPoints();
  const agent = await t.signIn(firm.rse.userCode);
  const sent = await fileThrough(agent, "mandataires", firm.neq, {
    pointService: "nouveau",
    pointNom: "Bureau de Sherbrooke",
    pointNumeroCivique: "150",
    pointRue: "rue King Ouest",
    pointMunicipalite: "Sherbrooke",
    pointCodePostal: "j1h1p1",
    codeUtilisateur: firm.designated.userCode,
  });
  assert.equal(sent.statusCode, 303, textOf(sent.body));
  const point = await t.database.db
    .selectFrom("service_point")
    .selectAll()
    .where("organization_id", "=", firm.org.id)
    .where("name", "=", "Bureau de Sherbrooke")
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [point.civic_number, point.street, point.city, point.postal_code],
    ["150", "rue King Ouest", "Sherbrooke", "J1H 1P1"],
  );
  const [request] = await requestsOf(firm.org.id);
  assert.equal(request?.service_point_id, point.id);
  const [audit] = (await state()).audit.slice(-1);
  assert.equal(audit?.details.servicePointCreated, true);
});

// 4. Bad input: a clear message next to the field and in the summary, 400, nothing written

test("an unknown geoCode, or one that is not 5 digits, is refused next to the field", async () => {
  const m = await municipality();
  const agent = await t.signIn(m.rse.userCode);
  const taken = new Set(
    (await t.database.db.selectFrom("organization").select("geo_code").execute()).map((r) => r.geo_code),
  );
  const unknown = ["99999", "99998", "99997"].find((code) => !taken.has(code)) ?? "99996";
  const before = await state();
  const missing = await lookUp(agent, "municipalite", unknown);
  assert.equal(missing.statusCode, 400);
  assertFieldError(
    missing.body,
    "codeGeographique",
    "Code géographique",
    `Aucune municipalité ne correspond au code géographique ${unknown}.`,
  );
  assert.doesNotMatch(missing.body, /method="post" action="\/services/);
  const short = await lookUp(agent, "municipalite", "2302");
  assert.equal(short.statusCode, 400);
  assertFieldError(
    short.body,
    "codeGeographique",
    "Code géographique",
    "Le code géographique contient 5 chiffres, par exemple 23027.",
  );
  // A forged post with an unknown geoCode is refused the same way.
  const forged = await agent.post(pathOf("municipalite"), {
    ...REQUESTER,
    cle: randomKey(),
    codeGeographique: unknown,
    codeIdentification: CODE,
    codeUtilisateur: m.designated.userCode,
  });
  assert.equal(forged.statusCode, 400);
  assert.deepEqual(await auditAddedSince(before), []);
});

test("a wrong identification code is refused with a clear message, counted, audited without the code, and nothing else is written", async () => {
  const m = await municipality();
  const agent = await t.signIn(m.rse.userCode);
  const before = await state();
  const wrong = await fileThrough(agent, "municipalite", m.geoCode, {
    codeIdentification: "WXYZ-WXYZ-WXYZ",
    codeUtilisateur: m.designated.userCode,
  });
  assert.equal(wrong.statusCode, 400);
  assertFieldError(
    wrong.body,
    "codeIdentification",
    "Code d'identification de la municipalité",
    "Le code d'identification est incorrect. Vérifiez le code reçu par la poste.",
  );
  assert.doesNotMatch(wrong.body, /WXYZ/, "the wrong code is not written back into the form");
  const added = await auditAddedSince(before, { codeFailures: 1 });
  assert.deepEqual(summary(added), [
    { action: "accessRequest.file", outcome: "failure", reason: "wrong_identification_code" },
  ]);
  assert.ok(!JSON.stringify(added).includes("WXYZ"));
  // A municipality without an issued code is told whom to ask.
  const bare = await t.factories.organization("municipality");
  const bareRse = await t.factories.user(bare, { servicesOfficer: true });
  const bareDesignated = await t.factories.user(bare);
  assert.ok(bare.geoCode);
  const none = await fileThrough(await t.signIn(bareRse.userCode), "municipalite", bare.geoCode, {
    codeIdentification: CODE,
    codeUtilisateur: bareDesignated.userCode,
  });
  assert.equal(none.statusCode, 400);
  assert.match(textOf(none.body), /Aucun code d'identification n'a été émis pour cette municipalité/);
  assert.deepEqual(await requestsOf(bare.id), []);
});

test("after five wrong identification codes, attempts wait and the page says how long; once the wait is over the right code goes through", async () => {
  const m = await municipality();
  const agent = await t.signIn(m.rse.userCode);
  for (let i = 0; i < 5; i++) {
    const wrong = await fileThrough(agent, "municipalite", m.geoCode, {
      codeIdentification: `WRNG-CODE-${i}${i}${i}${i}`,
      codeUtilisateur: m.designated.userCode,
    });
    assert.equal(wrong.statusCode, 400);
  }
  const before = await state();
  const waiting = await fileThrough(agent, "municipalite", m.geoCode, {
    codeIdentification: CODE,
    codeUtilisateur: m.designated.userCode,
  });
  assert.equal(waiting.statusCode, 429);
  assert.equal(waiting.headers["retry-after"], "1");
  assertFieldError(
    waiting.body,
    "codeIdentification",
    "Code d'identification de la municipalité",
    "Trop de codes d'identification erronés pour cette municipalité. Veuillez réessayer dans 1 s.",
  );
  assert.deepEqual(summary(await auditAddedSince(before)), [
    { action: "accessRequest.file", outcome: "failure", reason: "identification_code_throttled" },
  ]);
  t.clock.advance(2000);
  const sent = await fileThrough(agent, "municipalite", m.geoCode, {
    codeIdentification: CODE,
    codeUtilisateur: m.designated.userCode,
  });
  assert.equal(sent.statusCode, 303, textOf(sent.body));
});

test("a NEQ of 9 digits is refused next to the field", async () => {
  const org = await t.factories.organization("body");
  const rse = await t.factories.user(org, { servicesOfficer: true });
  const agent = await t.signIn(rse.userCode);
  const before = await state();
  const short = await lookUp(agent, "organisme", "883145720");
  assert.equal(short.statusCode, 400);
  assertFieldError(
    short.body,
    "neq",
    "Numéro d'entreprise du Québec (NEQ)",
    "Le NEQ contient exactement 10 chiffres.",
  );
  // A firm's NEQ is not a body's.
  const firm = await t.factories.organization("firm");
  assert.ok(firm.neq);
  const wrongKind = await lookUp(agent, "organisme", firm.neq);
  assert.equal(wrongKind.statusCode, 400);
  assert.match(textOf(wrongKind.body), new RegExp(`Aucun organisme ne correspond au NEQ ${firm.neq}`));
  assert.deepEqual(await auditAddedSince(before), []);
});

test("a postal code in the wrong form is refused, for a body's address and for a new service point", async () => {
  const org = await t.factories.organization("body");
  const rse = await t.factories.user(org, { servicesOfficer: true });
  const designated = await t.factories.user(org);
  assert.ok(org.neq);
  const agent = await t.signIn(rse.userCode);
  const firm = await firmWithPoints();
  const firmAgent = await t.signIn(firm.rse.userCode);
  const before = await state();
  const bad = await fileThrough(agent, "organisme", org.neq, {
    categorie: "Régie intermunicipale",
    nomOrganisme: "Régie",
    rue: "rue des Érables",
    municipalite: "Shawinigan",
    codePostal: "12345",
    circonscriptionProvinciale: "Laviolette",
    circonscriptionFederale: "Saint-Maurice",
    codeUtilisateur: designated.userCode,
  });
  assert.equal(bad.statusCode, 400);
  assertFieldError(
    bad.body,
    "codePostal",
    "Code postal",
    "Entrez un code postal canadien, par exemple G1R 4J3.",
  );
  const badPoint = await fileThrough(firmAgent, "mandataires", firm.neq, {
    pointService: "nouveau",
    pointNom: "Bureau de Gatineau",
    pointRue: "rue Laval",
    pointMunicipalite: "Gatineau",
    pointCodePostal: "DFI 0O0",
    codeUtilisateur: firm.designated.userCode,
  });
  assert.equal(badPoint.statusCode, 400);
  assertFieldError(
    badPoint.body,
    "pointCodePostal",
    "Code postal",
    "Entrez un code postal canadien, par exemple G1R 4J3.",
  );
  assert.deepEqual(await auditAddedSince(before), []);
});

test("the designated person must be an enabled user of the organization: someone of another organization, or disabled, is refused", async () => {
  const m = await municipality();
  const outsider = (await municipality()).designated;
  const disabled = await t.factories.user(m.org, { disabled: true });
  const agent = await t.signIn(m.rse.userCode);
  const before = await state();
  for (const button of ["chercher", "soumettre"] as const) {
    const foreign = await fileThrough(
      agent,
      "municipalite",
      m.geoCode,
      { codeIdentification: CODE, codeUtilisateur: outsider.userCode },
      { button },
    );
    assert.equal(foreign.statusCode, 400);
    assertFieldError(
      foreign.body,
      "codeUtilisateur",
      "Code d'utilisateur de la personne désignée",
      `Aucun utilisateur de ${m.org.name} ne correspond au code ${outsider.userCode}. La personne désignée doit appartenir à votre organisation.`,
    );
    assert.doesNotMatch(
      foreign.body,
      new RegExp(escapeRegExp(outsider.email)),
      "nothing of the outsider is shown",
    );
    const off = await fileThrough(
      agent,
      "municipalite",
      m.geoCode,
      { codeIdentification: CODE, codeUtilisateur: disabled.userCode },
      { button },
    );
    assert.equal(off.statusCode, 400);
    assertFieldError(
      off.body,
      "codeUtilisateur",
      "Code d'utilisateur de la personne désignée",
      "Le compte de cette personne est désactivé. Désignez une personne dont le compte est actif.",
    );
  }
  assert.deepEqual(await auditAddedSince(before), []);
});

test("missing required fields are each named in the summary and next to the field", async () => {
  const m = await municipality();
  const agent = await t.signIn(m.rse.userCode);
  const firm = await firmWithPoints();
  const firmAgent = await t.signIn(firm.rse.userCode);
  const body = await t.factories.organization("body");
  const bodyRse = await t.factories.user(body, { servicesOfficer: true });
  const bodyAgent = await t.signIn(bodyRse.userCode);
  assert.ok(body.neq);
  const before = await state();
  const empty = await fileThrough(agent, "municipalite", m.geoCode, {
    civilite: "",
    nomDemandeur: "",
    prenomDemandeur: "",
    fonction: "",
    telephone: "",
    poste: "",
    courriel: "",
    codeIdentification: "",
    codeUtilisateur: "",
  });
  assert.equal(empty.statusCode, 400);
  assertFieldError(
    empty.body,
    "codeIdentification",
    "Code d'identification de la municipalité",
    "Entrez le code d'identification de la municipalité.",
  );
  assertFieldError(empty.body, "civilite", "Civilité", "Choisissez M. ou Mme.");
  assertFieldError(empty.body, "nomDemandeur", "Nom du demandeur", "Entrez le nom.");
  assertFieldError(empty.body, "prenomDemandeur", "Prénom du demandeur", "Entrez le prénom.");
  assertFieldError(empty.body, "fonction", "Fonction", "Entrez la fonction.");
  assertFieldError(empty.body, "telephone", "Téléphone", "Entrez le numéro de téléphone.");
  assertFieldError(empty.body, "courriel", "Courriel", "Entrez l'adresse courriel.");
  assertFieldError(
    empty.body,
    "codeUtilisateur",
    "Code d'utilisateur de la personne désignée",
    "Entrez le code d'utilisateur de la personne désignée.",
  );
  assert.match(textOf(empty.body), /Veuillez corriger 8 erreurs ci-dessous/);
  // A firm must choose or add a service point; a body must give its required details.
  const noPoint = await fileThrough(firmAgent, "mandataires", firm.neq, {
    codeUtilisateur: firm.designated.userCode,
  });
  assert.equal(noPoint.statusCode, 400);
  assertFieldError(
    noPoint.body,
    "pointService",
    "Point de service",
    "Choisissez un point de service ou ajoutez-en un.",
  );
  const noDetails = await fileThrough(bodyAgent, "organisme", body.neq, {
    codeUtilisateur: bodyRse.userCode,
  });
  assert.equal(noDetails.statusCode, 400);
  for (const [field, label, message] of [
    ["categorie", "Catégorie de l'organisme", "Entrez la catégorie de l'organisme."],
    ["rue", "Nom de la rue", "Entrez le nom de la rue."],
    ["municipalite", "Municipalité", "Entrez la municipalité."],
    ["codePostal", "Code postal", "Entrez le code postal."],
    [
      "circonscriptionProvinciale",
      "Circonscription électorale provinciale",
      "Entrez la circonscription électorale provinciale.",
    ],
    [
      "circonscriptionFederale",
      "Circonscription électorale fédérale",
      "Entrez la circonscription électorale fédérale.",
    ],
  ] as const) {
    assertFieldError(noDetails.body, field, label, message);
  }
  assert.doesNotMatch(textOf(noDetails.body), /Ce champ est obligatoire/);
  assert.deepEqual(await auditAddedSince(before), []);
});

test("a form sent twice creates one request: the repeat is told it was already sent, and writes nothing", async () => {
  const m = await municipality();
  const agent = await t.signIn(m.rse.userCode);
  const page = await lookUp(agent, "municipalite", m.geoCode);
  const action = pathOf("municipalite");
  const fields = fill(postFormFields(page.body, action), {
    ...REQUESTER,
    codeIdentification: CODE,
    codeUtilisateur: m.designated.userCode,
    action: "soumettre",
  });
  const first = await agent.post(action, fields);
  assert.equal(first.statusCode, 303);
  const before = await state();
  const again = await agent.post(action, fields);
  assert.equal(again.statusCode, 400);
  assert.match(
    textOf(again.body),
    /Ce formulaire a déjà été transmis\s: votre demande a été envoyée une seule fois et elle est en attente de traitement/,
  );
  assert.deepEqual(await auditAddedSince(before), []);
  assert.equal((await requestsOf(m.org.id)).length, 1);
});

// 5. One pending request, an existing manager, the replacement request

test("one pending request per organization and service: a second one is refused until the first is decided; another service is free", async () => {
  const m = await municipality();
  const agent = await t.signIn(m.rse.userCode);
  const fields = { codeIdentification: CODE, codeUtilisateur: m.designated.userCode };
  assert.equal((await fileThrough(agent, "municipalite", m.geoCode, fields)).statusCode, 303);
  const before = await state();
  const second = await fileThrough(agent, "municipalite", m.geoCode, fields);
  assert.equal(second.statusCode, 400);
  assert.match(textOf(second.body), /Une demande est déjà en attente pour cette organisation et ce service/);
  assert.match(second.body, /<a href="#champ-demande">Demande\s: Une demande est déjà en attente/);
  assert.deepEqual(await auditAddedSince(before), []);
  const otherService = await fileThrough(agent, "municipalite", m.geoCode, fields, { code: TECQ });
  assert.equal(otherService.statusCode, 303, textOf(otherService.body));
  assert.equal((await requestsOf(m.org.id)).length, 2);
});

test("a firm's pending request is per service point: a second for the same point is refused, another point is free", async () => {
  const firm = await firmWithPoints();
  const agent = await t.signIn(firm.rse.userCode);
  const [quebec, troisRivieres] = firm.pointIds.map(String);
  assert.ok(quebec && troisRivieres);
  const fields = { codeUtilisateur: firm.designated.userCode };
  assert.equal(
    (await fileThrough(agent, "mandataires", firm.neq, { ...fields, pointService: quebec })).statusCode,
    303,
  );
  const before = await state();
  const again = await fileThrough(agent, "mandataires", firm.neq, { ...fields, pointService: quebec });
  assert.equal(again.statusCode, 400);
  assert.match(textOf(again.body), /Une demande est déjà en attente/);
  assert.deepEqual(await auditAddedSince(before), []);
  const other = await fileThrough(agent, "mandataires", firm.neq, { ...fields, pointService: troisRivieres });
  assert.equal(other.statusCode, 303);
});

test("with a local manager in office a new request is refused, naming them and linking to the replacement form; the replacement names the new person and needs a reason", async () => {
  const m = await municipality();
  const manager = await t.factories.user(m.org, { firstName: "Louise", lastName: "Cyr" });
  await grantRole("local_manager", manager, PIQM);
  const agent = await t.signIn(m.rse.userCode);

  const found = await lookUp(agent, "municipalite", m.geoCode);
  assert.equal(found.statusCode, 200);
  assert.match(textOf(found.body), /Louise Cyr est déjà le gestionnaire local des droits d'accès/);
  const replacementLink = `${pathOf("municipalite", { replacement: true })}?codeGeographique=${m.geoCode}`;
  assert.match(
    found.body,
    new RegExp(`<a href="${escapeRegExp(replacementLink)}">Faire une demande de remplacement</a>`),
  );
  assert.doesNotMatch(
    found.body,
    /method="post" action="\/services/,
    "no request form while a manager is in office",
  );

  const before = await state();
  const forced = await agent.post(pathOf("municipalite"), {
    ...REQUESTER,
    cle: randomKey(),
    codeGeographique: m.geoCode,
    codeIdentification: CODE,
    codeUtilisateur: m.designated.userCode,
    action: "soumettre",
  });
  assert.equal(forced.statusCode, 400);
  assert.match(
    textOf(forced.body),
    /Louise Cyr est déjà le gestionnaire local des droits d'accès .* pour le remplacer, faites une demande de remplacement/,
  );
  assert.match(forced.body, new RegExp(escapeRegExp(`href="${replacementLink}"`)));
  assert.deepEqual(await auditAddedSince(before), []);

  const form = await agent.get(replacementLink);
  assert.equal(form.statusCode, 200);
  assert.match(
    textOf(form.body),
    /Demande de remplacement du gestionnaire local des droits d'accès d'une municipalité/,
  );
  assert.match(textOf(form.body), /Gestionnaire en fonction\s: Louise Cyr/);

  const noReason = await fileThrough(
    agent,
    "municipalite",
    m.geoCode,
    { codeIdentification: CODE, codeUtilisateur: m.designated.userCode, raison: "" },
    { replacement: true },
  );
  assert.equal(noReason.statusCode, 400);
  assertFieldError(noReason.body, "raison", "Raison du remplacement", "Entrez la raison du remplacement.");

  const same = await fileThrough(
    agent,
    "municipalite",
    m.geoCode,
    { codeIdentification: CODE, codeUtilisateur: manager.userCode, raison: "Départ" },
    { replacement: true },
  );
  assert.equal(same.statusCode, 400);
  assert.match(textOf(same.body), /Cette personne est déjà le gestionnaire en fonction/);
  assert.deepEqual(await auditAddedSince(before), []);

  const sent = await fileThrough(
    agent,
    "municipalite",
    m.geoCode,
    {
      codeIdentification: CODE,
      codeUtilisateur: m.designated.userCode,
      raison: "Départ à la retraite de Mme Cyr.",
    },
    { replacement: true },
  );
  assert.equal(sent.statusCode, 303, textOf(sent.body));
  const [request] = await requestsOf(m.org.id);
  assert.equal(request?.replacement, true);
  assert.equal(request?.reason, "Départ à la retraite de Mme Cyr.");
  assert.equal(request?.designated_user_id, m.designated.id);
  const [audit] = (await state()).audit.slice(-1);
  assert.equal(audit?.details.replacement, true);
});

test("a replacement with nobody in office is refused, with a link to the access request", async () => {
  const m = await municipality();
  const agent = await t.signIn(m.rse.userCode);
  const found = await lookUp(agent, "municipalite", m.geoCode, { replacement: true });
  assert.equal(found.statusCode, 200);
  assert.match(textOf(found.body), /Aucun gestionnaire n'est en fonction\s: il n'y a personne à remplacer/);
  assert.match(
    found.body,
    new RegExp(escapeRegExp(`href="${pathOf("municipalite")}?codeGeographique=${m.geoCode}"`)),
  );
  const before = await state();
  const forced = await agent.post(pathOf("municipalite", { replacement: true }), {
    ...REQUESTER,
    cle: randomKey(),
    codeGeographique: m.geoCode,
    codeIdentification: CODE,
    codeUtilisateur: m.designated.userCode,
    raison: "Essai",
  });
  assert.equal(forced.statusCode, 400);
  assert.deepEqual(await auditAddedSince(before), []);
});

test("a firm's service point with an agent manager refuses a new request and offers the replacement; its other point is free", async () => {
  const firm = await firmWithPoints();
  const manager = await t.factories.user(firm.org, { firstName: "Paul", lastName: "Roy" });
  const [quebec, troisRivieres] = firm.pointIds;
  assert.ok(quebec !== undefined && troisRivieres !== undefined);
  await grantRole("agent_manager", manager, PIQM, quebec);
  const agent = await t.signIn(firm.rse.userCode);
  const found = await lookUp(agent, "mandataires", firm.neq);
  assert.match(
    textOf(found.body),
    /Bureau de Québec .* Gestionnaire de mandataires\s: Paul Roy — Faire une demande de remplacement/,
  );
  const before = await state();
  const refused = await fileThrough(agent, "mandataires", firm.neq, {
    pointService: String(quebec),
    codeUtilisateur: firm.designated.userCode,
  });
  assert.equal(refused.statusCode, 400);
  assert.match(
    textOf(refused.body),
    /Paul Roy est déjà le gestionnaire de mandataires de ce point de service/,
  );
  assert.deepEqual(await auditAddedSince(before), []);
  const replacement = await fileThrough(
    agent,
    "mandataires",
    firm.neq,
    {
      pointService: String(quebec),
      codeUtilisateur: firm.designated.userCode,
      raison: "Changement de fonction.",
    },
    { replacement: true },
  );
  assert.equal(replacement.statusCode, 303, textOf(replacement.body));
  const other = await fileThrough(agent, "mandataires", firm.neq, {
    pointService: String(troisRivieres),
    codeUtilisateur: manager.userCode,
  });
  assert.equal(other.statusCode, 303, textOf(other.body));
  const requests = await requestsOf(firm.org.id);
  assert.deepEqual(
    requests.map((r) => [r.service_point_id, r.replacement]),
    [
      [quebec, true],
      [troisRivieres, false],
    ],
  );
});

test("the request page offers the form that fits the organization, and explains why a user without procuration cannot file", async () => {
  const m = await municipality();
  const plain = await t.factories.user(m.org);
  const page = await (await t.signIn(plain.userCode)).get(`/services/${PIQM}/demande-acces`);
  assert.equal(page.statusCode, 200);
  assert.match(textOf(page.body), /vous devez détenir une procuration valide pour MAMH/);
  assert.doesNotMatch(page.body, /demande-acces\/municipalite/);

  const firm = await firmWithPoints();
  const firmPage = await (await t.signIn(firm.rse.userCode)).get(`/services/${PIQM}/demande-acces`);
  assert.match(firmPage.body, new RegExp(escapeRegExp(`href="${pathOf("mandataires")}"`)));
  assert.doesNotMatch(firmPage.body, /demande-acces\/municipalite/);
  // The municipality form is not a firm's: it is sent back to the page that offers its own.
  const wrong = await (await t.signIn(firm.rse.userCode)).get(pathOf("municipalite"));
  assert.equal(wrong.statusCode, 303);
  assert.equal(locationOf(wrong), `/services/${PIQM}/demande-acces`);

  const unknown = await (await t.signIn(m.rse.userCode)).get("/services/INCONNU/demande-acces");
  assert.equal(unknown.statusCode, 404);
  const unknownForm = await (await t.signIn(m.rse.userCode)).get(`/services/${PIQM}/demande-acces/autre`);
  assert.equal(unknownForm.statusCode, 404);
});

test("in the demo, QCUSR01 (a procuration for the MAMH, not the RSE) files for Ville de Québec with its printed identification code", async () => {
  const demo = await startTestApp();
  try {
    const accounts = await seedDemo(
      demo.database.db,
      demo.app.guichet.services.hasher,
      demo.clock(),
      openFileStore(demo.config),
      demo.config.mfaEncryptionKey,
    );
    const printed = formatDemoAccounts(accounts);
    for (const code of ["QBEC-DEMX-2327", "MTRE-DEMX-6623", "TRVR-DEMX-3767"])
      assert.match(printed, new RegExp(code));
    assert.match(printed, /QCUSR01 .* procuration sans restriction pour le MAMH/);
    const issued = await demo.database.db
      .selectFrom("identification_code")
      .select("organization_id")
      .execute();
    assert.equal(issued.length, 3);
    // QCUSR01, a local manager in the demo, has the demo authenticator app: its code at the test's time.
    const agent = await demo.signIn("QCUSR01", DEMO_PASSWORD);
    const page = await lookUp(agent, "municipalite", "23027");
    assert.equal(page.statusCode, 200, textOf(page.body));
    assert.match(textOf(page.body), /Municipalité Ville de Québec Adresse 2 rue des Jardins, Québec G1R 4S9/);
    const action = pathOf("municipalite");
    const sent = await agent.post(
      action,
      fill(postFormFields(page.body, action), {
        ...REQUESTER,
        codeIdentification: "qbec-demx-2327",
        codeUtilisateur: "QCUSR02",
        action: "soumettre",
      }),
    );
    assert.equal(sent.statusCode, 303, textOf(sent.body));
    const requests = await demo.database.db
      .selectFrom("access_request")
      .select(["designated_user_id"])
      .execute();
    assert.equal(requests.length, 1);
  } finally {
    await demo.close();
  }
});
