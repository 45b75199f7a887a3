// « Gestion des mandats » lists the dossiers to mandate from (issues #17 and #14): for one service, the organization's
// applications and the dossiers its online service declared, never another organization's or service's, never their
// content; a filter that works without JavaScript, pages; a mandate on a declared dossier through the same summary and
// « Confirmer », ended by « Mettre fin », which the decision API's decide then follows; bad input refused next to its
// field, writing nothing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findAuditEvents } from "../../src/features/audit/audit.queries.js";
import { decide } from "../../src/features/decisions/decisions.service.js";
import { closeDossier, declareDossier } from "../../src/features/decisions/dossiers.service.js";
import * as registry from "../../src/features/registry/registry.service.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import {
  applicationTables,
  associatedConsultant,
  COMPLETE_FIELDS,
  createThroughPage,
  type Firm,
  grant,
  makeFirm,
  makeLocalManager,
  type Service,
  saveThroughPage,
  serviceByCode,
  userWithProcuration,
} from "../support/application-fixtures.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";

let t: TestApp;
let service: Service;
let otherService: Service;
let city: MadeOrganization;
let otherCity: MadeOrganization;
let manager: MadeUser;
let writer: MadeUser;
let firm: Firm;
let consultant: MadeUser;
let colleague: MadeUser;
let associatedOnly: MadeUser;
let draft: number;
let foreignDraft: number;

const LIST = "/services/D34-PIQM/mandats";

before(async () => {
  t = await startTestApp();
  service = await serviceByCode(t);
  otherService = await serviceByCode(t, "D32-PRIMEAU");
  city = await t.factories.organization("municipality", "Ville de Lac-Essai");
  otherCity = await t.factories.organization("municipality", "Ville de Rive-Lointaine");
  manager = await makeLocalManager(t, city, service);
  const target = { service, organizationId: city.id };
  writer = await userWithProcuration(t, city, service, { firstName: "Julie", lastName: "Tremblay" });
  await grant(t, manager, target, writer, "requester.write");
  firm = await makeFirm(t, service);
  consultant = await associatedConsultant(t, firm, { firstName: "Alexandre", lastName: "Roy" });
  colleague = await associatedConsultant(t, firm, { firstName: "Amélie", lastName: "Côté" });
  associatedOnly = await associatedConsultant(t, firm, { firstName: "Maxime", lastName: "Dubé" });
  await grant(t, manager, target, consultant, "agent.write");
  await grant(t, manager, target, colleague, "agent.read");

  // One application with its content saved, one of another city, and dossiers declared by the online service.
  const julie = await t.signIn(writer.userCode);
  const created = await createThroughPage(julie, service, city.id, "Réfection du pont couvert");
  assert.ok(created.number);
  draft = created.number;
  assert.equal(
    (await saveThroughPage(julie, service, draft, { ...COMPLETE_FIELDS, title: "Réfection du pont couvert" }))
      .statusCode,
    303,
  );
  const otherManager = await makeLocalManager(t, otherCity, service);
  const otherClerk = await userWithProcuration(t, otherCity, service);
  await grant(t, otherManager, { service, organizationId: otherCity.id }, otherClerk, "requester.write");
  const other = await createThroughPage(
    await t.signIn(otherClerk.userCode),
    service,
    otherCity.id,
    "Dossier voisin",
  );
  assert.ok(other.number);
  foreignDraft = other.number;

  await declare(service, city, "VL-001", "Chemin du Lac");
  await declare(service, city, "VL-002", "Rang du Nord");
  await declare(service, city, "VL-003", "Pont de la Rivière");
  await closeDossier(t.database.db, t.clock(), { serviceId: service.id, externalId: "VL-003" });
  await declare(service, otherCity, "VL-900", "Dossier d'une autre ville");
  await declare(otherService, city, "VL-800", "Dossier d'un autre service");
});
after(() => t.close());

async function declare(where: Service, organization: MadeOrganization, externalId: string, title: string) {
  await declareDossier(t.database.db, t.clock(), {
    serviceId: where.id,
    externalId,
    organizationId: organization.id,
    title,
  });
}

/** The table rows of a page, as text, by the reference they start with. */
function rowOf(html: string, reference: string): string | undefined {
  return [...html.matchAll(/<tr>[\s\S]*?<\/tr>/g)]
    .map((m) => m[0])
    .find((row) => row.includes(`<td>${reference}`));
}

function agentOfDecision(
  user: MadeUser,
  externalId: string,
  action: "application.read" | "application.edit",
) {
  return decide(t.database.db, t.clock(), {
    userId: user.id,
    organizationId: city.id,
    serviceId: service.id,
    action,
    dossier: { kind: "declared", externalId },
  });
}

async function currentMandatesOn(externalId: string) {
  return t.database.db
    .selectFrom("mandate")
    .innerJoin("declared_dossier", "declared_dossier.id", "mandate.declared_dossier_id")
    .select(["mandate.id", "mandate.agent_user_id", "mandate.ended_at", "mandate.end_reason"])
    .where("declared_dossier.external_id", "=", externalId)
    .where("mandate.ended_at", "is", null)
    .execute();
}

async function preview(agent: Agent, fields: Record<string, string>): Promise<Response> {
  await agent.get(LIST);
  return agent.post("/mandats/verification", fields);
}

test("the list of a service shows the organization's applications and declared dossiers with their status and agents, never their content, never another organization's or service's", async () => {
  const lead = await t.signIn(manager.userCode);
  const home = textOf((await lead.get("/mandats")).body);
  assert.match(home, /Dossiers à mandater .*Dossiers de D34-PIQM/);
  const page = await lead.get(LIST);
  assert.equal(page.statusCode, 200, page.body);
  const text = textOf(page.body);
  assert.match(text, /Gestion des mandats — D34-PIQM/);
  assert.match(text, /4 dossiers/);
  assert.match(
    textOf(rowOf(page.body, String(draft)) ?? ""),
    /Demande Réfection du pont couvert Brouillon Aucun/,
  );
  assert.match(
    textOf(rowOf(page.body, "VL-001") ?? ""),
    /VL-001 Dossier du service en ligne Chemin du Lac Ouvert Aucun/,
  );
  const closed = rowOf(page.body, "VL-003") ?? "";
  assert.match(textOf(closed), /Pont de la Rivière Fermé/);
  assert.doesNotMatch(closed, /name="agent"/, "a closed dossier offers no mandate");
  assert.match(rowOf(page.body, "VL-002") ?? "", /<option value="[^"]*">Alexandre Roy/);
  // Neither another city's dossiers nor this city's dossiers in another service; never the content of a dossier.
  assert.doesNotMatch(
    text,
    /Dossier d'une autre ville|Dossier d'un autre service|Dossier voisin|VL-900|VL-800/,
  );
  assert.doesNotMatch(text, new RegExp(`\\b${foreignDraft}\\b`));
  for (const content of [
    COMPLETE_FIELDS.description,
    COMPLETE_FIELDS.contact_name,
    COMPLETE_FIELDS.contact_email,
  ])
    assert.doesNotMatch(text, new RegExp(content));

  // Someone who is no manager there reaches neither the list nor another organization's through it.
  const julie = await t.signIn(writer.userCode);
  const refused = await julie.get(LIST);
  assert.equal(refused.statusCode, 403);
  assert.match(textOf(refused.body), /Vous n'avez pas accès/);
  assert.equal((await lead.get("/services/INCONNU/mandats")).statusCode, 404);
});

test("the filter (a GET form) narrows by number, id or title and by agent; a long list comes in pages that keep the filter", async () => {
  const lead = await t.signIn(manager.userCode);
  const form = (await lead.get(LIST)).body;
  assert.match(form, /<form method="get" action="\/services\/D34-PIQM\/mandats"/);
  const byTitle = textOf((await lead.get(`${LIST}?texte=lac`)).body);
  assert.match(byTitle, /1 dossier\b/);
  assert.match(byTitle, /Chemin du Lac/);
  assert.doesNotMatch(byTitle, /Rang du Nord|Réfection du pont couvert/);
  const byNumber = textOf((await lead.get(`${LIST}?texte=${draft}`)).body);
  assert.match(byNumber, /Réfection du pont couvert/);
  assert.doesNotMatch(byNumber, /Chemin du Lac/);
  // LIKE's wildcards are taken literally.
  assert.match(
    textOf((await lead.get(`${LIST}?texte=%25`)).body),
    /Aucun dossier ne correspond à ces critères\./,
  );

  for (let n = 1; n <= 20; n += 1)
    await declare(service, city, `LOT-${String(n).padStart(2, "0")}`, `Lot ${n}`);
  const first = await lead.get(`${LIST}?texte=lot`);
  assert.match(textOf(first.body), /20 dossiers/);
  assert.doesNotMatch(first.body, /Page suivante/, "twenty fit on one page");
  await declare(service, city, "LOT-21", "Lot 21");
  const paged = await lead.get(`${LIST}?texte=lot`);
  assert.match(textOf(paged.body), /21 dossiers/);
  assert.match(textOf(paged.body), /Page 1 de 2/);
  const next = /<a href="([^"]+)" rel="next">Page suivante<\/a>/.exec(paged.body)?.[1];
  assert.equal(next, `${LIST}?texte=lot&amp;page=2`);
  const second = textOf((await lead.get(`${LIST}?texte=lot&page=2`)).body);
  assert.match(second, /Page 2 de 2/);
  assert.match(second, /Lot 9/, "ordered by title, the last one comes on the second page");
  assert.doesNotMatch(second, /Chemin du Lac/);
});

test("a manager mandates an agent on a declared dossier from its row: the summary, « Confirmer », decide allows the agent on that dossier only; « Mettre fin » and decide denies", async () => {
  const lead = await t.signIn(manager.userCode);
  const list = await lead.get(LIST);
  const row = rowOf(list.body, "VL-001") ?? "";
  assert.match(row, /<input type="hidden" name="service" value="D34-PIQM"\/>/);
  assert.match(row, /<input type="hidden" name="dossier" value="VL-001"\/>/);
  assert.equal((await agentOfDecision(consultant, "VL-001", "application.edit")).reason, "not_mandated");

  const summary = await lead.post("/mandats/verification", {
    service: "D34-PIQM",
    dossier: "VL-001",
    agent: consultant.userCode,
  });
  assert.equal(summary.statusCode, 200, summary.body);
  assert.match(
    textOf(summary.body),
    new RegExp(
      `Confirmer le mandat Dossier VL-001 — Chemin du Lac Service en ligne D34-PIQM .* Alexandre Roy \\(${consultant.userCode}\\)`,
    ),
  );
  assert.deepEqual(await currentMandatesOn("VL-001"), [], "the summary writes nothing");

  const confirmed = await lead.post("/mandats", {
    service: "D34-PIQM",
    dossier: "VL-001",
    agent: consultant.userCode,
  });
  assert.equal(confirmed.statusCode, 303, confirmed.body);
  assert.equal(confirmed.headers.location, LIST);
  const after = await lead.follow(confirmed);
  assert.match(textOf(after.body), /Alexandre Roy est maintenant mandaté pour le dossier VL-001\./);
  assert.match(
    textOf(rowOf(after.body, "VL-001") ?? ""),
    new RegExp(`Alexandre Roy \\(${consultant.userCode}\\)`),
  );
  assert.match(textOf((await lead.get("/mandats")).body), /D34-PIQM VL-001 — Chemin du Lac Alexandre Roy/);
  const filtered = textOf((await lead.get(`${LIST}?mandataire=${consultant.userCode.toLowerCase()}`)).body);
  assert.match(filtered, /1 dossier\b.*Chemin du Lac/s);
  assert.doesNotMatch(textOf((await lead.get(`${LIST}?mandataire=aucun`)).body), /Chemin du Lac/);

  const allowed = await agentOfDecision(consultant, "VL-001", "application.edit");
  assert.equal(allowed.allowed, true);
  assert.equal(allowed.because.at(-1)?.kind, "mandate");
  assert.equal((await agentOfDecision(consultant, "VL-002", "application.read")).reason, "not_mandated");
  assert.equal((await agentOfDecision(colleague, "VL-001", "application.read")).reason, "not_mandated");
  const [mandate] = await currentMandatesOn("VL-001");
  assert.ok(mandate);
  const assigned = (await findAuditEvents(t.database.db, { actorUserId: manager.id })).find(
    (e) => e.action === "mandate.assign" && e.target_id === String(mandate.id),
  );
  assert.ok(assigned);
  assert.equal(assigned.details.dossier, "VL-001");

  // « Confirmer » sent twice at once, then again: one mandate.
  const again = await Promise.all([
    lead.post("/mandats", { service: "D34-PIQM", dossier: "VL-002", agent: colleague.userCode }),
    lead.post("/mandats", { service: "D34-PIQM", dossier: "VL-002", agent: colleague.userCode }),
  ]);
  assert.deepEqual(again.map((r) => r.statusCode).sort(), [303, 409]);
  const twice = await lead.post("/mandats", {
    service: "D34-PIQM",
    dossier: "VL-002",
    agent: colleague.userCode,
  });
  assert.equal(twice.statusCode, 409);
  assert.match(textOf(twice.body), /Cette personne est déjà mandatée pour ce dossier\./);
  assert.equal((await currentMandatesOn("VL-002")).length, 1);
  assert.equal((await agentOfDecision(colleague, "VL-002", "application.read")).allowed, true);

  // « Mettre fin » from the row comes back to the list; the next decision denies.
  const end = /action="([^"]*\/mandats\/\d+\/fin)"/.exec(
    rowOf((await lead.get(LIST)).body, "VL-001") ?? "",
  )?.[1];
  assert.equal(end, `/services/D34-PIQM/mandats/${mandate.id}/fin`);
  const ended = await lead.post(end, { retour: "dossiers" });
  assert.equal(ended.headers.location, LIST);
  assert.match(
    textOf((await lead.follow(ended)).body),
    /Le mandat sur le dossier VL-001 a pris fin\. Le mandataire n'y a plus accès\./,
  );
  assert.deepEqual(await currentMandatesOn("VL-001"), []);
  assert.equal((await agentOfDecision(consultant, "VL-001", "application.edit")).reason, "not_mandated");
  const endEvent = (await findAuditEvents(t.database.db, { actorUserId: manager.id })).find(
    (e) => e.action === "mandate.end" && e.target_id === String(mandate.id),
  );
  assert.equal(endEvent?.details.dossier, "VL-001");
  const before = await applicationTables(t);
  const endedTwice = await lead.post(end, { retour: "dossiers" });
  assert.match(
    textOf((await lead.follow(endedTwice)).body),
    /Ce mandat a déjà pris fin\. Rien n'a été modifié\./,
  );
  assert.deepEqual(await applicationTables(t), before);

  // Revoking the agent's right ends the mandate on a declared dossier too.
  const grants = await registry.listRegistry(t.ctx(manager.actor), { service, organizationId: city.id });
  const colleagueGrant = grants.find((g) => g.user_code === colleague.userCode);
  assert.ok(colleagueGrant);
  assert.ok(
    (
      await registry.revokeRight(
        t.ctx(manager.actor),
        { service, organizationId: city.id },
        colleagueGrant.id,
      )
    ).ok,
  );
  assert.equal((await agentOfDecision(colleague, "VL-002", "application.read")).allowed, false);
  assert.deepEqual(await currentMandatesOn("VL-002"), []);
});

test("bad input on a dossier is refused in French next to its field, writes nothing, and never fails", async () => {
  const lead = await t.signIn(manager.userCode);
  await grant(t, manager, { service, organizationId: city.id }, colleague, "agent.read");
  const mandated = await lead.post("/mandats", {
    service: "D34-PIQM",
    dossier: "VL-002",
    agent: consultant.userCode,
  });
  assert.equal(mandated.statusCode, 303);
  const unknown = /Aucun dossier de votre organisation ne porte cet identifiant dans ce service\./;
  const cases: [Record<string, string>, string, RegExp, number][] = [
    [
      { service: "D34-PIQM", dossier: "", agent: consultant.userCode },
      "dossier",
      /Entrez le numéro du dossier\./,
      400,
    ],
    [{ service: "D34-PIQM", dossier: "NULLE-PART", agent: consultant.userCode }, "dossier", unknown, 400],
    [{ service: "D34-PIQM", dossier: "VL-900", agent: consultant.userCode }, "dossier", unknown, 400],
    [{ service: "D34-PIQM", dossier: "VL-800", agent: consultant.userCode }, "dossier", unknown, 400],
    [
      { service: "D32-PRIMEAU", dossier: "VL-800", agent: consultant.userCode },
      "dossier",
      /Vous n'êtes ni gestionnaire local ni adjoint/,
      400,
    ],
    [{ service: "INCONNU", dossier: "VL-001", agent: consultant.userCode }, "dossier", unknown, 400],
    [{ service: "D34-PIQM", dossier: "x".repeat(300), agent: consultant.userCode }, "dossier", unknown, 400],
    [
      { service: "D34-PIQM", dossier: "VL-003", agent: consultant.userCode },
      "dossier",
      /Ce dossier est fermé par le service en ligne\s: on ne peut plus y attribuer de mandat\./,
      400,
    ],
    [
      { service: "D34-PIQM", demande: String(foreignDraft), agent: consultant.userCode },
      "demande",
      /Aucune demande de votre organisation ne porte ce numéro\./,
      400,
    ],
    [
      { service: "D32-PRIMEAU", demande: String(draft), agent: consultant.userCode },
      "demande",
      /Aucune demande de votre organisation ne porte ce numéro\./,
      400,
    ],
    [
      { service: "D34-PIQM", dossier: "VL-001", agent: writer.userCode },
      "agent",
      /Cette personne ne détient pas de droit de mandataire pour votre organisation dans ce service\./,
      400,
    ],
    [
      { service: "D34-PIQM", dossier: "VL-001", agent: associatedOnly.userCode },
      "agent",
      /Cette personne ne détient pas de droit de mandataire/,
      400,
    ],
    [
      { service: "D34-PIQM", dossier: "VL-001", agent: "" },
      "agent",
      /Entrez le code d'utilisateur de la personne\./,
      400,
    ],
    [
      { service: "D34-PIQM", dossier: "VL-002", agent: consultant.userCode },
      "agent",
      /Cette personne est déjà mandatée pour ce dossier\./,
      409,
    ],
  ];
  const before = await applicationTables(t);
  for (const [fields, field, message, status] of cases) {
    for (const path of ["/mandats/verification", "/mandats"]) {
      const response = await (path === "/mandats" ? lead.post(path, fields) : preview(lead, fields));
      const what = `${path} ${JSON.stringify(fields).slice(0, 120)}`;
      assert.equal(response.statusCode, status, what);
      const html = response.body;
      assert.match(textOf(html), new RegExp(`Le formulaire contient des erreurs .*${message.source}`), what);
      const next = new RegExp(`<p class="error-message" id="champ-${field}-erreur">${message.source}`);
      assert.match(html.replace(/&#x27;|&#39;/g, "'"), next, `${what}: the message stands next to its field`);
    }
  }
  assert.deepEqual(await applicationTables(t), before);
});
