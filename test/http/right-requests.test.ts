// « Demander un accès » over HTTP (issue #15, section 1): the form from a service's page, the managers' mail and queue,
// an approval that is a grant made by the approving manager, a refusal with its reason, the person told either way;
// the refusal page that says what is missing and who gives it; the agent whose association comes first; expiry after
// RIGHT_REQUEST_DAYS; and every bad input with its French message and nothing written.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../src/config.js";
import { createApplication } from "../../src/features/applications/applications.service.js";
import { associate } from "../../src/features/registry/registry.service.js";
import { newSubmissionKey } from "../../src/features/submissions/submissions.service.js";
import { runJobs } from "../../src/jobs.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import {
  applicationPath,
  type Firm,
  grant,
  makeFirm,
  makeLocalManager,
  type Service,
  serviceByCode,
  userWithProcuration,
} from "../support/application-fixtures.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { giveRole, keyOf, locationOf, mailsTo, registryState } from "../support/registry-pages.js";

let t: TestApp;
let service: Service;
let city: MadeOrganization;
let otherCity: MadeOrganization;
let manager: MadeUser;
let deputy: MadeUser;
let otherManager: MadeUser;
let firm: Firm;
let applicationNumber: number;

const ASK = (code: string) => `/services/${encodeURIComponent(code)}/demander-un-acces`;
const OWN = "/demandes-d-acces";
const RECEIVED = "/demandes-d-acces/recues";

before(async () => {
  t = await startTestApp();
  service = await serviceByCode(t);
  city = await t.factories.organization("municipality", "Val-des-Demandes");
  otherCity = await t.factories.organization("municipality", "Mont-Ailleurs");
  manager = await makeLocalManager(t, city, service);
  deputy = await userWithProcuration(t, city, service, { firstName: "Denise", lastName: "Adjointe" });
  await giveRole(t, { role: "deputy", org: city, user: deputy, service, by: manager });
  otherManager = await makeLocalManager(t, otherCity, service);
  const writer = await userWithProcuration(t, city, service, { firstName: "Rémi", lastName: "Rédacteur" });
  await grant(t, manager, { service, organizationId: city.id }, writer, "requester.write");
  const created = await createApplication(
    t.ctx(writer.actor),
    { service, organizationId: city.id },
    { title: "Réfection du pont", key: newSubmissionKey() },
  );
  assert.ok(created.ok);
  applicationNumber = created.number;
  firm = await makeFirm(t, service);
});
after(() => t.close());

function text(response: Response): string {
  return textOf(response.body);
}

async function as(user: MadeUser): Promise<Agent> {
  return t.signIn(user.userCode);
}

async function ask(
  agent: Agent,
  fields: { organisation: string; droit: string; dossier?: string; message?: string },
  code = service.code,
): Promise<Response> {
  const form = await agent.get(ASK(code));
  assert.equal(form.statusCode, 200, form.body);
  return agent.post(ASK(code), {
    organisation: fields.organisation,
    droit: fields.droit,
    dossier: fields.dossier ?? "",
    message: fields.message ?? "",
    cle: keyOf(form),
  });
}

async function requestsOf(user: MadeUser) {
  return t.database.db
    .selectFrom("right_request")
    .selectAll()
    .where("user_id", "=", user.id)
    .orderBy("id")
    .execute();
}

async function stateNow() {
  const state = await registryState(t);
  const requests = await t.database.db.selectFrom("right_request").selectAll().orderBy("id").execute();
  return { ...state, requests };
}

/** Nothing changed but the audit rows appended since, which are returned. */
async function auditedOnly(before: Awaited<ReturnType<typeof stateNow>>) {
  const now = await stateNow();
  assert.deepEqual({ ...now, audit: now.audit.slice(0, before.audit.length) }, before);
  return now.audit.slice(before.audit.length);
}

async function approve(agent: Agent, requestId: number): Promise<Response> {
  const page = await agent.get(`${RECEIVED}/${requestId}`);
  assert.equal(page.statusCode, 200, page.body);
  return agent.post(`${RECEIVED}/${requestId}/approbation`, { cle: keyOf(page) });
}

test("a staff member asks from the service's page; the managers are mailed and see it in their queue; approval grants it as the manager's grant, and the person is told", async () => {
  const staff = await userWithProcuration(t, city, service, { firstName: "Sophie", lastName: "Demandeuse" });
  const agent = await as(staff);
  const space = await agent.get(`/services/${encodeURIComponent(service.code)}`);
  assert.match(space.body, new RegExp(`href="${ASK(service.code)}"`));
  const catalogue = await agent.get("/services");
  assert.match(catalogue.body, /demander-un-acces/);

  const form = await agent.get(ASK(service.code));
  assert.match(text(form), /Demander un accès/);
  assert.match(form.body, new RegExp(`<option value="${city.id}" selected>Val-des-Demandes</option>`));
  assert.doesNotMatch(form.body, new RegExp(`<option value="${otherCity.id}"`), "not another municipality");
  const sent = await ask(agent, { organisation: String(city.id), droit: "requester.read", message: "Suivi" });
  assert.equal(sent.statusCode, 303, text(sent));
  assert.equal(locationOf(sent), OWN);
  const own = await agent.follow(sent);
  assert.match(
    text(own),
    /Votre demande du droit « Requérant – Consultation » pour Val-des-Demandes est envoyée\./,
  );
  assert.match(text(own), /Requérant – Consultation — En attente \(expire le 22 décembre 2026\)/);

  const [request] = await requestsOf(staff);
  assert.ok(request);
  assert.equal(request.status, "open");
  assert.equal(request.message, "Suivi");
  for (const recipient of [manager, deputy]) {
    const mails = await mailsTo(t, recipient);
    assert.ok(
      mails.some(
        (mail) =>
          mail.subject === "Guichet — demande d'accès dans D34-PIQM" &&
          /Sophie Demandeuse .* demande le droit «\u00a0Requérant – Consultation\u00a0» pour Val-des-Demandes/.test(
            mail.text_body,
          ) &&
          mail.text_body.includes("/demandes-d-acces/recues"),
      ),
      recipient.userCode,
    );
  }
  assert.equal((await mailsTo(t, otherManager)).length, 0);

  const managerAgent = await as(manager);
  const home = await managerAgent.get("/");
  assert.match(home.body, /href="\/demandes-d-acces\/recues"/);
  const queue = await managerAgent.get(RECEIVED);
  assert.match(text(queue), /Demandes d'accès reçues/);
  assert.match(
    text(queue),
    new RegExp(
      `Sophie Demandeuse \\(${staff.userCode}\\) Val-des-Demandes D34-PIQM — .* Requérant – Consultation — En attente`,
    ),
  );
  const deputyQueue = await (await as(deputy)).get(RECEIVED);
  assert.match(text(deputyQueue), /Sophie Demandeuse/);
  const elsewhere = await as(otherManager);
  assert.doesNotMatch(text(await elsewhere.get(RECEIVED)), /Sophie Demandeuse/);
  assert.equal((await elsewhere.get(`${RECEIVED}/${request.id}`)).statusCode, 404);

  const approved = await approve(managerAgent, request.id);
  assert.equal(approved.statusCode, 303, text(approved));
  assert.match(text(await managerAgent.follow(approved)), /La demande de Sophie Demandeuse est approuvée/);
  const grantRow = await t.database.db
    .selectFrom("access_grant")
    .selectAll()
    .where("user_id", "=", staff.id)
    .executeTakeFirstOrThrow();
  assert.equal(grantRow.access_right, "requester.read");
  assert.equal(grantRow.granted_by, manager.id);
  const after = (await requestsOf(staff))[0];
  assert.equal(after?.status, "approved");
  assert.equal(after?.grant_id, grantRow.id);
  assert.equal(after?.decided_by, manager.id);
  const told = await mailsTo(t, staff);
  assert.ok(
    told.some((mail) => mail.subject === "Guichet — votre demande d'accès dans D34-PIQM est approuvée"),
  );
  const actions = (
    await t.database.db
      .selectFrom("audit_event")
      .select("action")
      .where("subject_user_id", "=", staff.id)
      .where("action", "not like", "auth.%")
      .orderBy("id")
      .execute()
  ).map((row) => row.action);
  assert.deepEqual(actions, ["rightRequest.file", "registry.grant", "rightRequest.approve"]);
  assert.match(text(await agent.get(OWN)), /Approuvée par Gabrielle/);
});

test("bad input, each with its French message and nothing written: a right already held, asking twice, an organization one cannot act for", async () => {
  const staff = await userWithProcuration(t, city, service, { firstName: "Bruno", lastName: "Doublon" });
  await grant(t, manager, { service, organizationId: city.id }, staff, "requester.read");
  const agent = await as(staff);

  let before = await stateNow();
  const held = await ask(agent, { organisation: String(city.id), droit: "requester.read" });
  assert.equal(held.statusCode, 409);
  assert.match(text(held), /Vous détenez déjà ce droit pour Val-des-Demandes dans ce service\./);
  assert.deepEqual(await auditedOnly(before), []);

  const other = await userWithProcuration(t, city, service, { firstName: "Odile", lastName: "Deuxfois" });
  const otherAgent = await as(other);
  assert.equal(
    (await ask(otherAgent, { organisation: String(city.id), droit: "requester.write" })).statusCode,
    303,
  );
  before = await stateNow();
  const twice = await ask(otherAgent, { organisation: String(city.id), droit: "requester.write" });
  assert.equal(twice.statusCode, 409);
  assert.match(text(twice), /Vous avez déjà une demande ouverte pour ce droit/);
  assert.deepEqual(await auditedOnly(before), []);

  // Two submissions at once, each with its own form: one request (the partial unique index), one refused.
  const third = await userWithProcuration(t, city, service, { firstName: "Tina", lastName: "Simultanée" });
  const thirdAgent = await as(third);
  const [formA, formB] = [await thirdAgent.get(ASK(service.code)), await thirdAgent.get(ASK(service.code))];
  const both = await Promise.all(
    [formA, formB].map((form) =>
      thirdAgent.post(ASK(service.code), {
        organisation: String(city.id),
        droit: "requester.write",
        dossier: "",
        message: "",
        cle: keyOf(form),
      }),
    ),
  );
  assert.deepEqual(both.map((response) => response.statusCode).sort(), [303, 409]);
  assert.equal((await requestsOf(third)).length, 1);

  before = await stateNow();
  const foreign = await ask(agent, { organisation: String(otherCity.id), droit: "requester.write" });
  assert.equal(foreign.statusCode, 403);
  assert.match(
    text(foreign),
    /Vous ne pouvez pas demander un droit de requérant pour Mont-Ailleurs\s: ce droit est réservé au personnel de l'organisation\./,
  );
  const [denial] = await auditedOnly(before);
  assert.equal(denial?.action, "rightRequest.file");
  assert.equal(denial?.outcome, "denied");
  assert.equal(denial?.reason, "other_organization");

  before = await stateNow();
  const agentRight = await ask(agent, { organisation: String(city.id), droit: "agent.write" });
  assert.equal(agentRight.statusCode, 403);
  assert.match(text(agentRight), /un droit de mandataire est demandé par le personnel d'une firme/);
  assert.equal((await auditedOnly(before)).length, 1);

  before = await stateNow();
  const unknownDossier = await ask(otherAgent, {
    organisation: String(city.id),
    droit: "requester.read",
    dossier: "999999",
  });
  assert.equal(unknownDossier.statusCode, 400);
  assert.match(text(unknownDossier), /Un dossier ne se nomme qu'avec un droit de mandataire\./);
  const empty = await ask(otherAgent, { organisation: "", droit: "" });
  assert.equal(empty.statusCode, 400);
  assert.match(text(empty), /Choisissez l'organisation pour laquelle vous demandez le droit\./);
  assert.deepEqual(await auditedOnly(before), []);
});

test("a refusal needs a reason, which the person is told; a decided request cannot be approved; an expired one neither", async () => {
  const staff = await userWithProcuration(t, city, service, { firstName: "Rachel", lastName: "Refusée" });
  const agent = await as(staff);
  assert.equal(
    (await ask(agent, { organisation: String(city.id), droit: "requester.write" })).statusCode,
    303,
  );
  const [request] = await requestsOf(staff);
  assert.ok(request);
  const managerAgent = await as(manager);

  let before = await stateNow();
  const noReason = await managerAgent.post(`${RECEIVED}/${request.id}/refus`, { motif: "" });
  assert.equal(noReason.statusCode, 400);
  assert.match(text(noReason), /Indiquez le motif du refus/);
  assert.deepEqual(await auditedOnly(before), []);

  const refused = await managerAgent.post(`${RECEIVED}/${request.id}/refus`, {
    motif: "Pas dans vos tâches.",
  });
  assert.equal(refused.statusCode, 303, text(refused));
  const mail = (await mailsTo(t, staff)).at(-1);
  assert.equal(mail?.subject, "Guichet — votre demande d'accès dans D34-PIQM est refusée");
  assert.match(mail?.text_body ?? "", /Motif\s: Pas dans vos tâches\./);
  assert.match(text(await agent.get(OWN)), /Refusée par Gabrielle .*: Pas dans vos tâches\./);

  before = await stateNow();
  // The page shows no form any more; a form kept open from before is sent anyway.
  const again = await managerAgent.post(`${RECEIVED}/${request.id}/approbation`, { cle: newSubmissionKey() });
  assert.equal(again.statusCode, 409);
  assert.match(text(again), /Cette demande a déjà été décidée\s; rien n'a changé\./);
  assert.deepEqual(await auditedOnly(before), []);

  // A request filed 31 days ago, past RIGHT_REQUEST_DAYS (30): approving it is refused, nothing granted.
  t.clock.advance(-31 * 86_400_000);
  try {
    const earlier = await as(staff);
    assert.equal(
      (await ask(earlier, { organisation: String(city.id), droit: "requester.write" })).statusCode,
      303,
    );
  } finally {
    t.clock.advance(31 * 86_400_000);
  }
  const fresh = (await requestsOf(staff)).at(-1);
  assert.ok(fresh);
  const managerNow = await as(manager);
  const page = await managerNow.get(`${RECEIVED}/${fresh.id}`);
  assert.match(text(page), /Expirée sans décision/);
  before = await stateNow();
  const expired = await managerNow.post(`${RECEIVED}/${fresh.id}/approbation`, { cle: newSubmissionKey() });
  assert.equal(expired.statusCode, 409);
  assert.match(text(expired), /Cette demande a expiré sans décision\s: elle ne peut plus être approuvée\./);
  assert.deepEqual(await auditedOnly(before), []);
  // The hourly job marks it, audits it and tells the person; the same right may then be asked again.
  await runJobs(t.app);
  const marked = (await requestsOf(staff)).at(-1);
  assert.equal(marked?.status, "expired");
  assert.equal(
    (await mailsTo(t, staff)).at(-1)?.subject,
    "Guichet — votre demande d'accès dans D34-PIQM a expiré",
  );
  const expiry = await t.database.db
    .selectFrom("audit_event")
    .select("action")
    .where("action", "=", "rightRequest.expire")
    .where("target_id", "=", String(fresh.id))
    .execute();
  assert.equal(expiry.length, 1);
  assert.equal(
    (await ask(agent, { organisation: String(city.id), droit: "requester.write" })).statusCode,
    303,
  );
});

test("a deputy who lost the role in between is refused, told what is missing, and nothing is granted", async () => {
  const staff = await userWithProcuration(t, city, service, { firstName: "Paul", lastName: "Entredeux" });
  assert.equal(
    (await ask(await as(staff), { organisation: String(city.id), droit: "requester.read" })).statusCode,
    303,
  );
  const [request] = await requestsOf(staff);
  assert.ok(request);
  const formerDeputy = await userWithProcuration(t, city, service, {
    firstName: "Ancien",
    lastName: "Adjoint",
  });
  const { roleId } = await giveRole(t, {
    role: "deputy",
    org: city,
    user: formerDeputy,
    service,
    by: manager,
  });
  const agent = await as(formerDeputy);
  const page = await agent.get(`${RECEIVED}/${request.id}`);
  assert.equal(page.statusCode, 200);
  await t.database.db
    .updateTable("service_role")
    .set({ ended_at: t.clock(), ended_by: manager.id, end_reason: "removed" })
    .where("id", "=", roleId)
    .execute();
  const before = await stateNow();
  const refused = await agent.post(`${RECEIVED}/${request.id}/approbation`, { cle: keyOf(page) });
  assert.equal(refused.statusCode, 403);
  assert.match(text(refused), /Ce qui vous manque/);
  assert.match(text(refused), /le rôle de gestionnaire local ou d'adjoint de ce service\./);
  assert.match(text(refused), /Le gestionnaire local nomme les adjoints\s: Gabrielle/);
  const [denial] = await auditedOnly(before);
  assert.equal(denial?.action, "rightRequest.decide");
  assert.equal(denial?.reason, "not_registry_manager");
  assert.equal((await requestsOf(staff))[0]?.status, "open");
});

test("an agent refused a dossier reads what is missing and who gives it, asks; the agent manager is told to associate first; once associated, the approval grants the right and the mandate", async () => {
  const consultant = await userWithProcuration(t, firm.organization, service, {
    firstName: "Agathe",
    lastName: "Mandataire",
  });
  const agent = await as(consultant);
  const refused = await agent.get(applicationPath(service, applicationNumber));
  assert.equal(refused.statusCode, 403);
  const seen = text(refused);
  assert.match(seen, /Ce qui vous manque/);
  assert.match(seen, /l'association de votre compte à ce service\./);
  assert.match(seen, /La fait le gestionnaire de mandataires de votre firme\s: /);
  assert.match(seen, /le droit « Mandataire – Rédaction » ou « Mandataire – Consultation »\./);
  assert.match(
    seen,
    /Le donnent le gestionnaire local des droits d'accès de l'organisation et ses adjoints\s: Gabrielle .*Denise Adjointe/,
  );
  assert.match(seen, /un mandat sur ce dossier\./);
  const link = /<a class="button" href="([^"]+)">Demander un accès<\/a>/
    .exec(refused.body)?.[1]
    ?.replaceAll("&amp;", "&");
  assert.ok(link, "the refusal page offers the form");
  assert.equal(
    link,
    `${ASK(service.code)}?organisation=${city.id}&droit=agent.read&dossier=${applicationNumber}`,
  );
  const form = await agent.get(link);
  assert.match(form.body, new RegExp(`<option value="${city.id}" selected>`));
  assert.match(form.body, /<option value="agent.read" selected>/);
  assert.match(form.body, new RegExp(`name="dossier" type="text" value="${applicationNumber}"`));
  const sent = await agent.post(ASK(service.code), {
    organisation: String(city.id),
    droit: "agent.read",
    dossier: String(applicationNumber),
    message: "Je prépare ce dossier pour la ville.",
    cle: keyOf(form),
  });
  assert.equal(sent.statusCode, 303, text(sent));
  const amMail = (await mailsTo(t, firm.agentManager)).at(-1);
  assert.match(amMail?.text_body ?? "", /associez d'abord cette personne au service/);
  const managerMail = (await mailsTo(t, manager)).at(-1);
  assert.match(managerMail?.text_body ?? "", /n'est pas encore associée au service/);
  // « Mes demandes d'accès » says what the request waits for; the refusal page, that it is on its way.
  assert.match(
    text(await agent.get(OWN)),
    /Mandataire – Consultation .* En attente \(expire le 22 décembre 2026\)\s: le gestionnaire de mandataires de la firme doit d'abord associer la personne au service/,
  );
  assert.match(
    text(await agent.get(applicationPath(service, applicationNumber))),
    /Vous avez déjà demandé ce droit le/,
  );

  const [request] = await requestsOf(consultant);
  assert.ok(request);
  const managerAgent = await as(manager);
  const review = await managerAgent.get(`${RECEIVED}/${request.id}`);
  assert.match(
    text(review),
    /n'est pas encore associé\(e\) à ce service par le gestionnaire de mandataires de sa firme/,
  );
  let before = await stateNow();
  const early = await managerAgent.post(`${RECEIVED}/${request.id}/approbation`, { cle: keyOf(review) });
  assert.equal(early.statusCode, 409);
  assert.match(text(early), /l'approbation sera possible après l'association/);
  assert.deepEqual(await auditedOnly(before), []);

  const associated = await associate(t.ctx(firm.agentManager.actor), firm.target, consultant.userCode);
  assert.ok(associated.ok);
  before = await stateNow();
  const approved = await approve(managerAgent, request.id);
  assert.equal(approved.statusCode, 303, text(approved));
  const mandate = await t.database.db
    .selectFrom("mandate")
    .innerJoin("application", "application.id", "mandate.application_id")
    .select(["mandate.assigned_by", "application.number"])
    .where("mandate.agent_user_id", "=", consultant.id)
    .where("mandate.ended_at", "is", null)
    .execute();
  assert.deepEqual(mandate, [{ assigned_by: manager.id, number: applicationNumber }]);
  const opened = await agent.get(applicationPath(service, applicationNumber));
  assert.equal(opened.statusCode, 200);
  assert.match(text(opened), /Réfection du pont/);
  assert.ok(before.audit.length > 0);
});

test("an unauthenticated visitor is sent to sign in; « Mes demandes d'accès » lists only one's own", async () => {
  const anonymous = await t.agent().get(OWN);
  assert.equal(anonymous.statusCode, 303);
  assert.match(locationOf(anonymous), /^\/connexion/);
  const nobody = await userWithProcuration(t, otherCity, service, {
    firstName: "Nadia",
    lastName: "Personne",
  });
  const page = await (await as(nobody)).get(OWN);
  assert.equal(page.statusCode, 200);
  assert.match(text(page), /Vous n'avez fait aucune demande d'accès\./);
  // « Transfert de fichiers » keeps no registry: nothing to ask there.
  const transfers = await (await as(nobody)).get(ASK("TRANSFERT-FICHIERS"));
  assert.equal(transfers.statusCode, 404);
  const catalogue = await (await as(nobody)).get("/services");
  assert.doesNotMatch(catalogue.body, /TRANSFERT-FICHIERS\/demander-un-acces/);
  assert.match(catalogue.body, new RegExp(`href="${ASK(service.code)}"`));
});

test("RIGHT_REQUEST_DAYS sets how long a request stays open; asking again after it expired marks the old one, audited", async () => {
  // Secrets given, so that reading the settings writes no file of its own.
  const secrets = {
    COOKIE_SECRET: "x".repeat(32),
    MFA_ENCRYPTION_KEY: "0".repeat(64),
    OIDC_PAIRWISE_SECRET: "y".repeat(32),
  };
  assert.equal(loadConfig(secrets).rightRequestDays, 30);
  assert.throws(() => loadConfig({ ...secrets, RIGHT_REQUEST_DAYS: "0" }), /RIGHT_REQUEST_DAYS/);
  const short = await startTestApp({ env: { RIGHT_REQUEST_DAYS: "7" } });
  try {
    const d34 = await serviceByCode(short);
    const town = await short.factories.organization("municipality", "Saint-Bref");
    await makeLocalManager(short, town, d34);
    const staff = await userWithProcuration(short, town, d34, { firstName: "Brigitte", lastName: "Brève" });
    const fileOnce = async () => {
      const agent = await short.signIn(staff.userCode);
      const form = await agent.get(ASK(d34.code));
      assert.match(textOf(form.body), /elle expire après 7 jours/);
      return agent.post(ASK(d34.code), {
        organisation: String(town.id),
        droit: "requester.read",
        dossier: "",
        message: "",
        cle: keyOf(form),
      });
    };
    assert.equal((await fileOnce()).statusCode, 303);
    const [first] = await short.database.db.selectFrom("right_request").selectAll().execute();
    assert.ok(first);
    assert.equal(first.expires_at.getTime() - first.created_at.getTime(), 7 * 86_400_000);
    short.clock.advance(8 * 86_400_000);
    assert.equal((await fileOnce()).statusCode, 303, "the expired request no longer counts");
    const rows = await short.database.db
      .selectFrom("right_request")
      .select(["id", "status"])
      .orderBy("id")
      .execute();
    assert.deepEqual(
      rows.map((row) => row.status),
      ["expired", "open"],
    );
    const expiry = await short.database.db
      .selectFrom("audit_event")
      .select("target_id")
      .where("action", "=", "rightRequest.expire")
      .execute();
    assert.deepEqual(
      expiry.map((row) => row.target_id),
      [String(first.id)],
    );
  } finally {
    await short.close();
  }
});

test("a staff member without a procuration is told both what the services officer gives and what the managers give", async () => {
  const staff = await t.factories.user(city, { firstName: "Nadine", lastName: "Sansprocuration" });
  const refused = await (await as(staff)).get(applicationPath(service, applicationNumber));
  assert.equal(refused.statusCode, 403);
  const seen = text(refused);
  assert.match(
    seen,
    /Pour consulter cette demande d'aide pour Val-des-Demandes dans D34-PIQM — .*, il vous manque\s:/,
  );
  assert.match(seen, /une procuration de votre organisation couvrant ce service\./);
  assert.match(
    seen,
    /La donne le responsable des services électroniques \(RSE\) de votre organisation\s: .*Gabrielle Nom\d+ \(/,
  );
  assert.match(seen, /le droit « Requérant – Rédaction » ou « Requérant – Consultation »\./);
  assert.doesNotMatch(seen, /association|mandat sur ce dossier/);
  assert.match(
    refused.body,
    new RegExp(`href="${ASK(service.code)}\\?organisation=${city.id}&amp;droit=requester.read"`),
  );
});

test("the local manager and a deputy approving at once grant the right once, and the second is told", async () => {
  const staff = await userWithProcuration(t, city, service, { firstName: "Ursule", lastName: "Unefois" });
  assert.equal(
    (await ask(await as(staff), { organisation: String(city.id), droit: "requester.read" })).statusCode,
    303,
  );
  const [request] = await requestsOf(staff);
  assert.ok(request);
  const agents = [await as(manager), await as(deputy)];
  const pages = await Promise.all(agents.map((agent) => agent.get(`${RECEIVED}/${request.id}`)));
  const answers = await Promise.all(
    agents.map((agent, index) =>
      agent.post(`${RECEIVED}/${request.id}/approbation`, { cle: keyOf(pages[index] as Response) }),
    ),
  );
  assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [303, 409]);
  const refused = answers.find((answer) => answer.statusCode === 409);
  assert.match(
    text(refused as Response),
    /Cette demande a déjà été décidée\s; rien n'a changé\.|Cette personne détient déjà un droit dans ce registre\./,
  );
  const grants = await t.database.db
    .selectFrom("access_grant")
    .select("id")
    .where("user_id", "=", staff.id)
    .execute();
  assert.equal(grants.length, 1);
  const approvals = await t.database.db
    .selectFrom("audit_event")
    .select("id")
    .where("action", "=", "rightRequest.approve")
    .where("target_id", "=", String(request.id))
    .execute();
  assert.equal(approvals.length, 1);
});
