// « Gestion des mandats » over HTTP (issue #6): the local manager or a deputy mandates an agent on one application and
// ends it; the agent loses access on their next request; dissociation and revocation end mandates; bad input is
// refused in French and writes nothing; only the local manager and deputies, with a valid procuration, reach the page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findAuditEvents } from "../../src/features/audit/audit.queries.js";
import { findOutboxMails } from "../../src/features/mail/outbox.queries.js";
import * as registry from "../../src/features/registry/registry.service.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import {
  applicationPath,
  applicationTables,
  associatedConsultant,
  associationIdOf,
  COMPLETE_FIELDS,
  createThroughPage,
  type Firm,
  grant,
  listPath,
  makeFirm,
  makeLocalManager,
  type Service,
  saveThroughPage,
  serviceByCode,
  transmitThroughPage,
  uploadThroughPage,
  userWithProcuration,
} from "../support/application-fixtures.js";
import { minimalPdf } from "../support/bad-files.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";

let t: TestApp;
let service: Service;
let city: MadeOrganization;
let otherCity: MadeOrganization;
let manager: MadeUser;
let deputy: MadeUser;
let writer: MadeUser;
let firm: Firm;
let consultant: MadeUser;
let sameFirm: MadeUser;
let associatedOnly: MadeUser;
let otherClientClerk: MadeUser;

before(async () => {
  t = await startTestApp();
  service = await serviceByCode(t);
  city = await t.factories.organization("municipality", "Ville d'Essai-sur-Mer");
  otherCity = await t.factories.organization("municipality", "Ville de l'Autre-Rive");
  manager = await makeLocalManager(t, city, service);
  const target = { service, organizationId: city.id };
  deputy = await userWithProcuration(t, city, service, { firstName: "Denis", lastName: "Adjoint" });
  const named = await registry.nameDeputy(t.ctx(manager.actor), target, deputy.userCode);
  assert.ok(named.ok);
  writer = await userWithProcuration(t, city, service, { firstName: "Julie", lastName: "Tremblay" });
  await grant(t, manager, target, writer, "requester.write");
  firm = await makeFirm(t, service);
  consultant = await associatedConsultant(t, firm, { firstName: "Alexandre", lastName: "Roy" });
  sameFirm = await associatedConsultant(t, firm, { firstName: "Amélie", lastName: "Côté" });
  associatedOnly = await associatedConsultant(t, firm, { firstName: "Maxime", lastName: "Dubé" });
  await grant(t, manager, target, consultant, "agent.write");
  await grant(t, manager, target, sameFirm, "agent.write");
  const otherManager = await makeLocalManager(t, otherCity, service);
  otherClientClerk = await userWithProcuration(t, otherCity, service);
  await grant(
    t,
    otherManager,
    { service, organizationId: otherCity.id },
    otherClientClerk,
    "requester.write",
  );
});
after(() => t.close());

async function draftBy(user: MadeUser, title: string, organizationId = city.id): Promise<number> {
  const agent = await t.signIn(user.userCode);
  const { response, number } = await createThroughPage(agent, service, organizationId, title);
  assert.equal(response.statusCode, 303, response.body);
  assert.ok(number);
  return number;
}

async function mandate(agent: Agent, number: number | string, agentCode: string): Promise<Response> {
  await agent.get("/mandats");
  const preview = await agent.post("/mandats/verification", { demande: String(number), agent: agentCode });
  if (preview.statusCode !== 200 || !/Confirmer le mandat/.test(preview.body)) return preview;
  return agent.post("/mandats", { demande: String(number), agent: agentCode });
}

async function currentMandates(number: number) {
  return t.database.db
    .selectFrom("mandate")
    .innerJoin("application", "application.id", "mandate.application_id")
    .select(["mandate.id", "mandate.agent_user_id", "mandate.ended_at", "mandate.end_reason"])
    .where("application.number", "=", number)
    .orderBy("mandate.id")
    .execute();
}

test("the local manager mandates a consultant; the consultant fills the application in and transmits it; the requester reads it; another consultant of the firm cannot open it", async () => {
  const number = await draftBy(writer, "Réfection du pont de la Rivière");
  const lead = await t.signIn(manager.userCode);
  const home = await lead.get("/");
  assert.match(textOf(home.body), /Gestion des mandats/);
  // Being the local manager opens no application.
  assert.equal((await lead.get(applicationPath(service, number))).statusCode, 403);

  const preview = await lead.post("/mandats/verification", {
    demande: String(number),
    agent: consultant.userCode.toLowerCase(),
  });
  assert.equal(preview.statusCode, 200);
  assert.match(
    textOf(preview.body),
    new RegExp(
      `Confirmer le mandat Demande ${number} — Réfection du pont de la Rivière .* Alexandre Roy \\(${consultant.userCode}\\)`,
    ),
  );
  assert.deepEqual(await currentMandates(number), [], "the look-up step writes nothing");
  const confirmed = await lead.post("/mandats", {
    demande: String(number),
    agent: consultant.userCode.toLowerCase(),
  });
  assert.equal(confirmed.statusCode, 303);
  const page = await lead.follow(confirmed);
  assert.match(
    textOf(page.body),
    new RegExp(`Alexandre Roy est maintenant mandaté pour la demande no ${number}\\.`),
  );
  assert.match(
    textOf(page.body),
    new RegExp(
      `D34-PIQM ${number} — Réfection du pont de la Rivière Alexandre Roy \\(${consultant.userCode}\\)`,
    ),
  );
  const mail = (await findOutboxMails(t.database.db, { to: consultant.email })).find((m) =>
    m.subject.includes("nouveau mandat"),
  );
  assert.ok(mail);
  assert.match(mail.text_body, new RegExp(`${number} — Réfection du pont de la Rivière`));

  // « Confirmer » sent twice writes once.
  const twice = await lead.post("/mandats", { demande: String(number), agent: consultant.userCode });
  assert.equal(twice.statusCode, 409);
  assert.match(textOf(twice.body), /Cette personne est déjà mandatée pour cette demande\./);
  assert.equal((await currentMandates(number)).length, 1);

  const roy = await t.signIn(consultant.userCode);
  assert.match(textOf((await roy.get(listPath(service, city.id))).body), /Réfection du pont de la Rivière/);
  assert.equal(
    (
      await saveThroughPage(roy, service, number, {
        ...COMPLETE_FIELDS,
        title: "Réfection du pont de la Rivière",
      })
    ).statusCode,
    303,
  );
  assert.equal(
    (await uploadThroughPage(t, roy, service, number, "resolution", "Résolution.pdf", minimalPdf()))
      .statusCode,
    303,
  );
  assert.equal((await transmitThroughPage(roy, service, number)).statusCode, 303);

  const julie = await t.signIn(writer.userCode);
  const read = await julie.get(applicationPath(service, number));
  assert.match(textOf(read.body), /État\s: Transmise/);
  assert.match(textOf(read.body), /Remplacement des conduites d'eau potable/);

  const cote = await t.signIn(sameFirm.userCode);
  const refused = await cote.get(applicationPath(service, number));
  assert.equal(refused.statusCode, 403);
  assert.match(textOf(refused.body), /Vous n'avez pas accès/);
  assert.doesNotMatch(textOf((await cote.get(listPath(service, city.id))).body), /Réfection du pont/);
});

test("« Mettre fin »: the agent loses the application on their next request; ending it twice says so and changes nothing", async () => {
  const number = await draftBy(writer, "Piste cyclable");
  const lead = await t.signIn(deputy.userCode);
  assert.equal((await mandate(lead, number, consultant.userCode)).statusCode, 303, "a deputy mandates too");
  const roy = await t.signIn(consultant.userCode);
  assert.equal((await roy.get(applicationPath(service, number))).statusCode, 200);

  const list = await lead.get("/mandats");
  const rowHtml = [...list.body.matchAll(/<tr>[\s\S]*?<\/tr>/g)]
    .map((m) => m[0])
    .find((r) => r.includes("Piste cyclable"));
  const end = /action="([^"]*\/mandats\/\d+\/fin)"/.exec(rowHtml ?? "")?.[1];
  assert.ok(end, "a « Mettre fin » for the mandate");
  const ended = await lead.post(end, {});
  assert.match(
    textOf((await lead.follow(ended)).body),
    new RegExp(`Le mandat sur la demande no ${number} a pris fin\\.`),
  );
  const [row] = await currentMandates(number);
  assert.ok(row?.ended_at);
  assert.equal(row?.end_reason, "ended");

  assert.equal((await roy.get(applicationPath(service, number))).statusCode, 403);
  assert.equal(
    (await roy.post(applicationPath(service, number), { ...COMPLETE_FIELDS, revision: "1" })).statusCode,
    403,
  );
  assert.doesNotMatch(textOf((await roy.get(listPath(service, city.id))).body), /Piste cyclable/);

  const before = await applicationTables(t);
  const again = await lead.post(end, {});
  assert.match(textOf((await lead.follow(again)).body), /Ce mandat a déjà pris fin\. Rien n'a été modifié\./);
  assert.deepEqual(await applicationTables(t), before);
});

test("bad input in « Gestion des mandats » is refused in French next to its field, and writes nothing", async () => {
  const number = await draftBy(writer, "Centre communautaire");
  const foreign = await draftBy(otherClientClerk, "Application d'un autre client", otherCity.id);
  const lead = await t.signIn(manager.userCode);
  const cases: [string, string, RegExp][] = [
    ["", consultant.userCode, /Numéro de la demande\s: Entrez le numéro de la demande\./],
    [
      "12a",
      consultant.userCode,
      /Numéro de la demande\s: Entrez le numéro de la demande, en chiffres seulement\./,
    ],
    [
      "99999999",
      consultant.userCode,
      /Numéro de la demande\s: Aucune demande de votre organisation ne porte ce numéro\./,
    ],
    [
      String(foreign),
      consultant.userCode,
      /Numéro de la demande\s: Aucune demande de votre organisation ne porte ce numéro\./,
    ],
    [String(number), "", /Code d'utilisateur du mandataire\s: Entrez le code d'utilisateur de la personne\./],
    [
      String(number),
      "ZZZ-99",
      /Code d'utilisateur du mandataire\s: Le code d'utilisateur contient 7 lettres et chiffres/,
    ],
    [
      String(number),
      "ZZZ9999",
      /Code d'utilisateur du mandataire\s: Aucun membre de votre organisation ni aucun mandataire associé à ce service ne porte ce code\./,
    ],
    [
      String(number),
      writer.userCode,
      /Cette personne ne détient pas de droit de mandataire pour votre organisation dans ce service\./,
    ],
    [String(number), associatedOnly.userCode, /Cette personne ne détient pas de droit de mandataire/],
  ];
  const before = await applicationTables(t);
  for (const [demande, agentCode, message] of cases) {
    for (const path of ["/mandats/verification", "/mandats"]) {
      const response = await lead.post(path, { demande, agent: agentCode });
      assert.equal(response.statusCode, 400, `${path} ${demande} ${agentCode}`);
      assert.match(
        textOf(response.body),
        new RegExp(`Le formulaire contient des erreurs .*${message.source}`),
        `${demande} ${agentCode}`,
      );
    }
  }
  assert.deepEqual(await applicationTables(t), before);
});

test("dissociating the consultant ends their mandates at once, and so does revoking their agent right", async () => {
  const lead = await t.signIn(manager.userCode);
  const first = await draftBy(writer, "Caserne de pompiers");
  const second = await draftBy(writer, "Bibliothèque");
  assert.equal((await mandate(lead, first, consultant.userCode)).statusCode, 303);
  assert.equal((await mandate(lead, second, sameFirm.userCode)).statusCode, 303);
  const roy = await t.signIn(consultant.userCode);
  const cote = await t.signIn(sameFirm.userCode);
  assert.equal((await roy.get(applicationPath(service, first))).statusCode, 200);
  assert.equal((await cote.get(applicationPath(service, second))).statusCode, 200);

  const dissociated = await registry.dissociate(
    t.ctx(firm.agentManager.actor),
    firm.target,
    await associationIdOf(t, firm, consultant),
  );
  assert.ok(dissociated.ok);
  assert.equal((await roy.get(applicationPath(service, first))).statusCode, 403);
  assert.deepEqual(
    (await currentMandates(first)).map((m) => m.end_reason),
    ["dissociated"],
  );

  const grants = await registry.listRegistry(t.ctx(manager.actor), { service, organizationId: city.id });
  const coteGrant = grants.find((g) => g.user_code === sameFirm.userCode);
  assert.ok(coteGrant);
  const revoked = await registry.revokeRight(
    t.ctx(manager.actor),
    { service, organizationId: city.id },
    coteGrant.id,
  );
  assert.ok(revoked.ok);
  assert.equal((await cote.get(applicationPath(service, second))).statusCode, 403);
  assert.deepEqual(
    (await currentMandates(second)).map((m) => m.end_reason),
    ["right_ended"],
  );
  const listed = textOf((await lead.get("/mandats")).body);
  assert.doesNotMatch(listed, /Caserne de pompiers|Bibliothèque/);
});

test("only the local manager and deputies with a valid procuration reach « Gestion des mandats »; others get a French 403, audited", async () => {
  const julie = await t.signIn(writer.userCode);
  const home = await julie.get("/");
  assert.doesNotMatch(textOf(home.body), /Gestion des mandats/);
  const own = await draftBy(writer, "Hôtel de ville");
  const before = await applicationTables(t);
  for (const attempt of [
    await julie.get("/mandats"),
    await julie.post("/mandats/verification", { demande: String(own), agent: consultant.userCode }),
    await julie.post("/mandats", { demande: String(own), agent: consultant.userCode }),
  ]) {
    assert.equal(attempt.statusCode, 403);
    assert.match(textOf(attempt.body), /Vous n'avez pas accès/);
  }
  assert.deepEqual(await applicationTables(t), before);
  const events = await findAuditEvents(t.database.db, { actorUserId: writer.id });
  assert.ok(
    events.some(
      (e) => e.action === "mandate.view" && e.outcome === "denied" && e.reason === "not_registry_manager",
    ),
  );

  // The deputy's procuration ends: the page is refused from their next request.
  const denis = await t.signIn(deputy.userCode);
  assert.equal((await denis.get("/mandats")).statusCode, 200);
  await t.database.db
    .updateTable("procuration")
    .set({ end_date: "2026-01-31" })
    .where("id", "in", (eb) =>
      eb.selectFrom("procuration_holder").select("procuration_id").where("user_id", "=", deputy.id),
    )
    .execute();
  const expired = await denis.get("/mandats");
  assert.equal(expired.statusCode, 403);
  const number = await draftBy(writer, "Aréna");
  const unchanged = await applicationTables(t);
  const refused = await denis.post("/mandats", { demande: String(number), agent: consultant.userCode });
  assert.equal(refused.statusCode, 403);
  assert.deepEqual(await applicationTables(t), unchanged);
});

test("a local manager who also holds a requester right mandates from the application's own page", async () => {
  await grant(t, manager, { service, organizationId: city.id }, manager, "requester.read");
  const fresh = await associatedConsultant(t, firm, { firstName: "Noémie", lastName: "Fortin" });
  await grant(t, manager, { service, organizationId: city.id }, fresh, "agent.read");
  const number = await draftBy(writer, "Sentier riverain");
  const lead = await t.signIn(manager.userCode);
  const page = await lead.get(applicationPath(service, number));
  assert.equal(page.statusCode, 200);
  assert.match(textOf(page.body), /Attribuer un mandat .* Code d'utilisateur du mandataire Continuer/);
  assert.match(page.body, new RegExp(`<input type="hidden" name="demande" value="${number}"/>`));
  const preview = await lead.post("/mandats/verification", {
    demande: String(number),
    agent: fresh.userCode,
  });
  assert.match(textOf(preview.body), /Confirmer le mandat .* Noémie Fortin/);
  assert.equal(
    (await lead.post("/mandats", { demande: String(number), agent: fresh.userCode })).statusCode,
    303,
  );
  assert.equal((await currentMandates(number)).length, 1);
  // A requester who is no manager sees no such form.
  const julie = await t.signIn(writer.userCode);
  assert.doesNotMatch((await julie.get(applicationPath(service, number))).body, /Attribuer un mandat/);
});
