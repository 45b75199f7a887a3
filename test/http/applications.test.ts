// « Demandes d'aide financière » over HTTP (issue #6): create, save, attach, transmit once with its receipt, new
// version, versions; every bad input refused with a French message and nothing changed; two editors of one draft;
// « Transmettre » twice and in two tabs; read-only rights; agents and other clients' numbers.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { findAuditEvents } from "../../src/features/audit/audit.queries.js";
import { findOutboxMails } from "../../src/features/mail/outbox.queries.js";
import { type Agent, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import {
  applicationPath,
  applicationTables,
  associatedConsultant,
  COMPLETE_FIELDS,
  createThroughPage,
  grant,
  listPath,
  makeFirm,
  makeLocalManager,
  openRevision,
  otherMinistryAdmin,
  type Service,
  saveThroughPage,
  serviceByCode,
  transmitThroughPage,
  uploadThroughPage,
  userWithProcuration,
} from "../support/application-fixtures.js";
import { minimalPdf, pdfWithWrongMagic } from "../support/bad-files.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { filesUnder } from "../support/file-transfer-client.js";
import { decodeHtml } from "../support/text.js";

let t: TestApp;
let service: Service;
let city: MadeOrganization;
let otherCity: MadeOrganization;
let manager: MadeUser;
let writer: MadeUser;
let colleague: MadeUser;
let reader: MadeUser;
let consultant: MadeUser;
let otherClientClerk: MadeUser;

before(async () => {
  t = await startTestApp();
  service = await serviceByCode(t);
  city = await t.factories.organization("municipality", "Ville d'Essai-sur-Mer");
  otherCity = await t.factories.organization("municipality", "Ville de l'Autre-Rive");
  manager = await makeLocalManager(t, city, service);
  const target = { service, organizationId: city.id };
  writer = await userWithProcuration(t, city, service, { firstName: "Julie", lastName: "Tremblay" });
  colleague = await userWithProcuration(t, city, service, { firstName: "Marc", lastName: "Gagnon" });
  reader = await userWithProcuration(t, city, service, { firstName: "Lise", lastName: "Consultation" });
  await grant(t, manager, target, writer, "requester.write");
  await grant(t, manager, target, colleague, "requester.write");
  await grant(t, manager, target, reader, "requester.read");
  const firm = await makeFirm(t, service);
  consultant = await associatedConsultant(t, firm, { firstName: "Alexandre", lastName: "Roy" });
  await grant(t, manager, target, consultant, "agent.write");
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

async function newDraft(agent: Agent, title = "Réfection de la rue Principale"): Promise<number> {
  const { response, number } = await createThroughPage(agent, service, city.id, title);
  assert.equal(response.statusCode, 303, response.body);
  assert.ok(number);
  return number;
}

async function row(number: number) {
  return t.database.db
    .selectFrom("application")
    .selectAll()
    .where("number", "=", number)
    .executeTakeFirstOrThrow();
}

/** What a field of the page's form holds. */
function inputValue(html: string, name: string): string | undefined {
  const value = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
  return value === undefined ? undefined : decodeHtml(value);
}

/** « Ajouter » the council resolution, a real PDF of 2 000 bytes. */
async function attachResolution(agent: Agent, number: number) {
  const added = await uploadThroughPage(
    t,
    agent,
    service,
    number,
    "resolution",
    "Résolution 2026-114.pdf",
    minimalPdf(2000),
  );
  assert.equal(added.statusCode, 303, added.body);
  return added;
}

/** The draft filled in completely, with its council resolution attached. */
async function completeDraft(agent: Agent, title: string = COMPLETE_FIELDS.title): Promise<number> {
  const number = await newDraft(agent, title);
  const saved = await saveThroughPage(agent, service, number, { ...COMPLETE_FIELDS, title });
  assert.equal(saved.statusCode, 303, saved.body);
  await attachResolution(agent, number);
  return number;
}

test("a requester creates a draft, fills it in, attaches the resolution, transmits it with a receipt, then makes a new version", async () => {
  const agent = await t.signIn(writer.userCode);
  const list = await agent.get(listPath(service, city.id));
  assert.equal(list.statusCode, 200);
  assert.match(
    textOf(list.body),
    /Demandes d'aide financière D34-PIQM .* Ville d'Essai-sur-Mer Nouvelle demande Titre du projet/,
  );

  const { response, number } = await createThroughPage(
    agent,
    service,
    city.id,
    "Réfection de la rue Principale",
  );
  assert.equal(response.statusCode, 303);
  assert.ok(number);
  const opened = await agent.follow(response);
  assert.match(textOf(opened.body), new RegExp(`La demande no ${number} a été créée comme brouillon\\.`));
  assert.match(textOf(opened.body), new RegExp(`Demande no ${number} — Réfection de la rue Principale`));
  assert.match(textOf(opened.body), /Projet Titre du projet \* Description du projet \*/);

  const saved = await saveThroughPage(agent, service, number, { ...COMPLETE_FIELDS });
  assert.equal(saved.statusCode, 303, saved.body);
  const form = await agent.follow(saved);
  assert.match(textOf(form.body), /La demande a été enregistrée\./);
  // Money is stored in cents and shown again as a clerk writes it.
  assert.equal(inputValue(form.body, "estimated_cost"), "1\u00a0250\u00a0000,00");
  assert.equal(inputValue(form.body, "amount_requested"), "1\u00a0000\u00a0000,00");
  // Each box as wide as its answer: an amount, a date, a phone number; the title keeps the column's width.
  for (const [name, width] of [
    ["estimated_cost", "input-sm"],
    ["start_date", "input-date"],
    ["contact_phone", "input-sm"],
  ]) {
    assert.match(form.body, new RegExp(`<input[^>]*name="${name}"[^>]*class="${width}"`), name);
  }
  assert.doesNotMatch(form.body, /<input[^>]*name="title"[^>]*class=/);
  const stored = await row(number);
  assert.equal(stored.data.estimated_cost, 125_000_000);
  assert.equal(stored.data.amount_requested, 100_000_000);

  const added = await attachResolution(agent, number);
  const withFile = await agent.follow(added);
  assert.match(textOf(withFile.body), /Le fichier « Résolution 2026-114\.pdf » a été joint à la demande\./);
  assert.match(textOf(withFile.body), /Résolution 2026-114\.pdf \(2 Ko\) Supprimer/);
  const download = await agent.get(
    /href="([^"]*\/pieces-jointes\/\d+)"/.exec(withFile.body)?.[1] ?? "/introuvable",
  );
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers["content-type"], "application/pdf");
  assert.deepEqual(download.rawPayload, minimalPdf(2000));

  const confirmation = await agent.get(`${applicationPath(service, number)}/transmettre`);
  assert.equal(confirmation.statusCode, 200);
  assert.match(
    textOf(confirmation.body),
    /Transmettre la demande no \d+ .* Coût estimé du projet \(\$\) 1 250 000,00 \$/,
  );
  assert.match(textOf(confirmation.body), /Confirmer la transmission/);
  assert.equal((await row(number)).status, "draft", "the confirmation page transmits nothing");

  const transmitted = await transmitThroughPage(agent, service, number);
  assert.equal(transmitted.statusCode, 303);
  const done = await agent.follow(transmitted);
  const after = await row(number);
  assert.equal(after.status, "transmitted");
  assert.ok(after.transmission_number);
  assert.match(
    textOf(done.body),
    new RegExp(
      `La demande a été transmise avec succès le 22 novembre 2026 .*10 h 00.* Le numéro de transmission est le : ${after.transmission_number}`,
    ),
  );

  const receipts = await findOutboxMails(t.database.db, { to: writer.email });
  const receipt = receipts.find((mail) => mail.subject.includes("accusé de réception"));
  assert.ok(receipt, "a receipt is queued");
  assert.match(receipt.subject, new RegExp(`transmission ${after.transmission_number}`));
  assert.match(receipt.text_body, new RegExp(`Numéro de transmission\u00a0: ${after.transmission_number}`));
  assert.match(receipt.text_body, /Date et heure\s: 22 novembre 2026 10 h 00/);

  // Frozen: the page shows values, no form, and « Créer une nouvelle version ».
  const frozen = await agent.get(applicationPath(service, number));
  assert.doesNotMatch(frozen.body, /name="revision"/);
  assert.match(textOf(frozen.body), /État\s: Transmise .* Créer une nouvelle version/);
  const refused = await saveThroughPage(agent, service, number, { ...COMPLETE_FIELDS, title: "Autre" }, "3");
  assert.equal(refused.statusCode, 409);
  assert.match(
    textOf(refused.body),
    /Cette demande a déjà été transmise\s: elle ne peut plus être modifiée\./,
  );
  assert.equal((await row(number)).title, COMPLETE_FIELDS.title);

  const versions = await agent.get(`${applicationPath(service, number)}/versions`);
  assert.match(textOf(versions.body), /Version 3 Transmise .* Version 2 Brouillon .* Version 1 Brouillon/);
  assert.match(textOf(versions.body), /Julie Tremblay/);
  const first = await agent.get(`${applicationPath(service, number)}/versions/1`);
  assert.equal(first.statusCode, 200);
  assert.match(textOf(first.body), /Description du projet Non rempli/);

  const next = await agent.post(`${applicationPath(service, number)}/nouvelle-version`, {});
  assert.equal(next.statusCode, 303);
  const nextNumber = Number(/\/demandes\/(\d+)$/.exec(String(next.headers.location))?.[1]);
  assert.notEqual(nextNumber, number);
  const again = await agent.post(`${applicationPath(service, number)}/nouvelle-version`, {});
  assert.equal(again.headers.location, next.headers.location, "a second click opens the same new version");
  const copy = await agent.follow(next);
  assert.match(textOf(copy.body), new RegExp(`créée comme nouvelle version de la demande no ${number}`));
  assert.equal(inputValue(copy.body, "estimated_cost"), "1\u00a0250\u00a0000,00");
  assert.match(textOf(copy.body), /Résolution 2026-114\.pdf \(2 Ko\) Supprimer/);
  const copies = await t.database.db
    .selectFrom("application_attachment")
    .innerJoin("application", "application.id", "application_attachment.application_id")
    .select(["application.number", "application_attachment.storage_key", "application_attachment.sha256"])
    .where("application_attachment.removed_at", "is", null)
    .where("application.number", "in", [number, nextNumber])
    .execute();
  assert.equal(copies.length, 2, "the attachment is copied once into the new version");
  assert.notEqual(copies[0]?.storage_key, copies[1]?.storage_key);
  assert.deepEqual(copies[0]?.sha256, copies[1]?.sha256);

  const listed = textOf((await agent.get(listPath(service, city.id))).body);
  assert.match(
    listed,
    new RegExp(`${nextNumber} Réfection de la rue Principale Brouillon .* Julie Tremblay`),
  );
  assert.match(listed, new RegExp(`${number} Réfection de la rue Principale Transmise`));
});

test("« Nouvelle demande » sent twice creates one draft; an empty title is refused in French", async () => {
  const agent = await t.signIn(writer.userCode);
  const before = await applicationTables(t);
  const empty = await createThroughPage(agent, service, city.id, "   ");
  assert.equal(empty.response.statusCode, 400);
  assert.match(
    textOf(empty.response.body),
    /Le formulaire contient des erreurs .* Titre du projet\s: Entrez le titre du projet\./,
  );
  assert.deepEqual(await applicationTables(t), before);

  const { response, key } = await createThroughPage(agent, service, city.id, "Bassin de rétention");
  const twice = await agent.post(listPath(service, city.id), { cle: key, titre: "Bassin de rétention" });
  assert.equal(twice.headers.location, response.headers.location);
  const rows = await t.database.db
    .selectFrom("application")
    .select("number")
    .where("title", "=", "Bassin de rétention")
    .execute();
  assert.equal(rows.length, 1);
});

test("amounts negative, not numbers or with three decimals: each refused in French next to its field and in the summary, nothing saved", async () => {
  const agent = await t.signIn(writer.userCode);
  const number = await newDraft(agent);
  const revision = await openRevision(agent, service, number);
  const cases: [Record<string, string>, RegExp][] = [
    [{ estimated_cost: "-5 000" }, /Le montant ne peut pas être négatif\./],
    [{ estimated_cost: "mille dollars" }, /Entrez un montant en dollars et en cents, en chiffres seulement/],
    [{ estimated_cost: "1 234,567" }, /Le montant compte au plus 2 décimales \(les cents\)\./],
    [{ estimated_cost: "1e6" }, /Entrez un montant en dollars et en cents/],
  ];
  for (const [fields, message] of cases) {
    const before = await applicationTables(t);
    const response = await saveThroughPage(
      agent,
      service,
      number,
      { ...COMPLETE_FIELDS, ...fields },
      revision,
    );
    assert.equal(response.statusCode, 400, JSON.stringify(fields));
    const text = textOf(response.body);
    assert.match(
      text,
      new RegExp(`Le formulaire contient des erreurs .* Coût estimé du projet \\(\\$\\) : ${message.source}`),
    );
    // Next to the field, tied to it for screen readers, and the user's input kept.
    assert.match(response.body, /<p class="error-message" id="champ-estimated_cost-erreur">/);
    assert.match(response.body, /aria-describedby="champ-estimated_cost-aide champ-estimated_cost-erreur"/);
    assert.equal(inputValue(response.body, "estimated_cost"), Object.values(fields)[0]);
    assert.deepEqual(await applicationTables(t), before, JSON.stringify(fields));
  }
  const more = await saveThroughPage(
    agent,
    service,
    number,
    { ...COMPLETE_FIELDS, amount_requested: "2 000 000" },
    revision,
  );
  assert.equal(more.statusCode, 400);
  assert.match(textOf(more.body), /Ce montant ne peut dépasser le champ « Coût estimé du projet \(\$\) »\./);
});

test("a required field left empty, and the resolution missing, at transmission: the form names each one and nothing is transmitted", async () => {
  const agent = await t.signIn(writer.userCode);
  const number = await newDraft(agent);
  const { description: _omitted, ...withoutDescription } = COMPLETE_FIELDS;
  assert.equal((await saveThroughPage(agent, service, number, withoutDescription)).statusCode, 303);
  const before = await applicationTables(t);
  const transmit = await agent.get(`${applicationPath(service, number)}/transmettre`);
  assert.equal(transmit.statusCode, 400);
  const text = textOf(transmit.body);
  assert.match(text, /Veuillez corriger 2 erreurs ci-dessous/);
  assert.match(text, /Description du projet\s: Remplissez le champ «\sDescription du projet\s»\./);
  assert.match(text, /Résolution du conseil \(PDF\)\s: Joignez au moins un fichier PDF\./);
  assert.match(transmit.body, /href="#champ-description"/);
  assert.match(transmit.body, /href="#champ-resolution"/);
  // Straight to « Confirmer » with a forged form: the same refusal.
  const forged = await agent.post(`${applicationPath(service, number)}/transmettre`, {
    revision: String((await row(number)).revision),
  });
  assert.equal(forged.statusCode, 400);
  assert.match(
    textOf(forged.body),
    /Description du projet\s: Remplissez le champ «\sDescription du projet\s»\./,
  );
  assert.deepEqual(await applicationTables(t), before);
  assert.equal(
    (await findOutboxMails(t.database.db, { to: writer.email })).filter((m) =>
      m.subject.includes(String(number)),
    ).length,
    0,
  );
});

test("attachments: a real PDF is kept; a PDF in name only, a Word file and a renamed executable are refused with their message and nothing is stored", async () => {
  const agent = await t.signIn(writer.userCode);
  const number = await newDraft(agent);
  const objects = join(t.config.filesDir, "objects");
  const temp = join(t.config.filesDir, "tmp");
  const refusals: [string, Buffer, RegExp][] = [
    [
      "Plans.pdf",
      pdfWithWrongMagic(),
      /Le fichier « Plans\.pdf » est refusé\s: son contenu n'est pas celui d'un PDF/,
    ],
    [
      "Plans.docx",
      Buffer.from("PK\u0003\u0004 pas un pdf"),
      /Le fichier « Plans\.docx » est refusé\s: seuls les fichiers PDF \(\.pdf\) sont acceptés\./,
    ],
    [
      "Plans.pdf",
      Buffer.from("MZ\u0090\u0000programme"),
      /Le fichier « Plans\.pdf » est refusé\s: c'est un programme exécutable/,
    ],
    ["Plans", minimalPdf(), /Le fichier « Plans » est refusé\s: seuls les fichiers PDF/],
  ];
  for (const [name, content, message] of refusals) {
    const before = await applicationTables(t);
    const storedBefore = await filesUnder(objects);
    const response = await uploadThroughPage(t, agent, service, number, "plans", name, content);
    assert.equal(response.statusCode, 400, name);
    const text = textOf(response.body);
    assert.match(text, new RegExp(`Plans et devis \\(PDF\\) : ${message.source}`), name);
    assert.match(response.body, /<p class="error-message" id="champ-plans-erreur">/);
    assert.deepEqual(await applicationTables(t), before, name);
    assert.deepEqual(await filesUnder(objects), storedBefore, name);
    assert.deepEqual(await filesUnder(temp), [], name);
  }
  const kept = await uploadThroughPage(
    t,
    agent,
    service,
    number,
    "plans",
    "Plans et devis.pdf",
    minimalPdf(5000),
  );
  assert.equal(kept.statusCode, 303);
  const attachment = await t.database.db
    .selectFrom("application_attachment")
    .selectAll()
    .where("name", "=", "Plans et devis.pdf")
    .executeTakeFirstOrThrow();
  assert.equal(attachment.size_bytes, 5000);
  assert.ok((await filesUnder(objects)).some((path) => path.endsWith(attachment.storage_key)));

  // « Supprimer »: the row stays for the versions, ended; the bytes go. A second time changes nothing.
  const page = await agent.get(applicationPath(service, number));
  const remove = /action="([^"]*\/pieces-jointes\/\d+\/supprimer)"/.exec(page.body)?.[1];
  assert.ok(remove);
  const removed = await agent.post(remove, {});
  assert.match(
    textOf((await agent.follow(removed)).body),
    /Le fichier « Plans et devis\.pdf » a été retiré de la demande\./,
  );
  const gone = await t.database.db
    .selectFrom("application_attachment")
    .select(["removed_at", "removed_by"])
    .where("id", "=", attachment.id)
    .executeTakeFirstOrThrow();
  assert.ok(gone.removed_at);
  assert.equal(gone.removed_by, writer.id);
  assert.ok(!(await filesUnder(objects)).some((path) => path.endsWith(attachment.storage_key)));
  const twice = await agent.post(remove, {});
  assert.match(
    textOf((await agent.follow(twice)).body),
    /Ce fichier avait déjà été retiré\. Rien n'a été modifié\./,
  );
});

test("two people editing the same draft: the second save is refused with a clear message, keeps their input, and overwrites nothing", async () => {
  const julie = await t.signIn(writer.userCode);
  const marc = await t.signIn(colleague.userCode);
  const number = await newDraft(julie);
  const julieOpened = await openRevision(julie, service, number);
  const marcOpened = await openRevision(marc, service, number);
  assert.equal(julieOpened, marcOpened);

  const first = await saveThroughPage(
    julie,
    service,
    number,
    { ...COMPLETE_FIELDS, description: "La version de Julie." },
    julieOpened,
  );
  assert.equal(first.statusCode, 303);
  const before = await applicationTables(t);
  const second = await saveThroughPage(
    marc,
    service,
    number,
    { ...COMPLETE_FIELDS, description: "La version de Marc." },
    marcOpened,
  );
  assert.equal(second.statusCode, 409);
  assert.match(
    textOf(second.body),
    /Quelqu'un a enregistré cette demande depuis que vous l'avez ouverte\. Vos changements n'ont pas été enregistrés/,
  );
  assert.match(second.body, /La version de Marc\./, "Marc's input is on the page, for him to copy");
  assert.match(
    second.body,
    new RegExp(`name="revision" value="${marcOpened}"`),
    "saving again is refused again",
  );
  assert.deepEqual(await applicationTables(t), before);
  assert.equal((await row(number)).data.description, "La version de Julie.");
});

test("« Confirmer la transmission » twice, and in two tabs at once: one transmission, one receipt, a clear message for the other", async () => {
  const agent = await t.signIn(writer.userCode);
  const number = await completeDraft(agent, "Station de pompage");
  const once = await transmitThroughPage(agent, service, number);
  assert.equal(once.statusCode, 303);
  const again = await agent.post(`${applicationPath(service, number)}/transmettre`, {
    revision: String((await row(number)).revision - 1),
  });
  assert.equal(again.statusCode, 409);
  assert.match(textOf(again.body), /Cette demande a déjà été transmise/);

  const tabs = await completeDraft(agent, "Usine de filtration");
  const confirmation = await agent.get(`${applicationPath(service, tabs)}/transmettre`);
  const revision = /name="revision" value="(\d+)"/.exec(confirmation.body)?.[1] ?? "";
  const other = await t.signIn(colleague.userCode);
  await other.get(applicationPath(service, tabs));
  const answers = await Promise.all([
    agent.post(`${applicationPath(service, tabs)}/transmettre`, { revision }),
    other.post(`${applicationPath(service, tabs)}/transmettre`, { revision }),
  ]);
  assert.deepEqual(answers.map((a) => a.statusCode).sort(), [303, 409]);
  const versions = await t.database.db
    .selectFrom("application_version")
    .innerJoin("application", "application.id", "application_version.application_id")
    .select("application_version.revision")
    .where("application.number", "=", tabs)
    .where("application_version.status", "=", "transmitted")
    .execute();
  assert.equal(versions.length, 1);
  const transmitted = await row(tabs);
  const receipts = (await findOutboxMails(t.database.db)).filter((mail) =>
    mail.subject.includes(`transmission ${transmitted.transmission_number}`),
  );
  assert.equal(receipts.length, 1);
});

test("a consultation-only requester reads the application but every edit is refused with 403 and changes nothing", async () => {
  const agent = await t.signIn(writer.userCode);
  const number = await completeDraft(agent, "Parc de la Rivière");
  const lise = await t.signIn(reader.userCode);
  const list = await lise.get(listPath(service, city.id));
  assert.equal(list.statusCode, 200);
  assert.doesNotMatch(list.body, /Nouvelle demande/);
  const view = await lise.get(applicationPath(service, number));
  assert.equal(view.statusCode, 200);
  assert.doesNotMatch(view.body, /name="revision"/);
  assert.doesNotMatch(view.body, /Transmettre/);
  assert.match(textOf(view.body), /Description du projet Remplacement des conduites/);
  const before = await applicationTables(t);
  const revision = String((await row(number)).revision);
  const attempts = [
    await lise.post(applicationPath(service, number), { ...COMPLETE_FIELDS, title: "Changé", revision }),
    await lise.post(`${applicationPath(service, number)}/transmettre`, { revision }),
    await lise.get(`${applicationPath(service, number)}/transmettre`),
    await lise.post(listPath(service, city.id), { cle: "x".repeat(43), titre: "Nouvelle" }),
  ];
  for (const attempt of attempts) {
    assert.equal(attempt.statusCode, 403);
    assert.match(textOf(attempt.body), /Vous n'avez pas accès/);
  }
  assert.deepEqual(await applicationTables(t), before);
  const denials = await findAuditEvents(t.database.db, { actorUserId: reader.id });
  assert.ok(
    denials.some(
      (event) =>
        event.action === "application.edit" &&
        event.outcome === "denied" &&
        event.reason === "read_only_right",
    ),
  );
});

test("an agent opens only the applications mandated to them; another client's number gets a French 403, audited", async () => {
  const julie = await t.signIn(writer.userCode);
  const notMandated = await newDraft(julie, "Aqueduc du rang 4");
  const roy = await t.signIn(consultant.userCode);
  const refused = await roy.get(applicationPath(service, notMandated));
  assert.equal(refused.statusCode, 403);
  assert.match(textOf(refused.body), /Vous n'avez pas accès/);

  // The agent's own new application is mandated to them, and is all their list shows.
  const { response, number: own } = await createThroughPage(roy, service, city.id, "Égout pluvial");
  assert.equal(response.statusCode, 303);
  assert.ok(own);
  const list = textOf((await roy.get(listPath(service, city.id))).body);
  assert.match(list, /Égout pluvial/);
  assert.doesNotMatch(list, /Aqueduc du rang 4/);
  assert.equal((await roy.get(applicationPath(service, own))).statusCode, 200);

  const elsewhere = await t.signIn(otherClientClerk.userCode);
  const { number: foreign } = await createThroughPage(elsewhere, service, otherCity.id, "Autre client");
  assert.ok(foreign);
  const before = await applicationTables(t);
  const peek = await roy.get(applicationPath(service, foreign));
  assert.equal(peek.statusCode, 403);
  assert.match(textOf(peek.body), /Vous n'avez pas accès/);
  const edit = await roy.post(applicationPath(service, foreign), { ...COMPLETE_FIELDS, revision: "1" });
  assert.equal(edit.statusCode, 403);
  assert.deepEqual(await applicationTables(t), before);
  const denials = await findAuditEvents(t.database.db, { actorUserId: consultant.id });
  assert.ok(
    denials.some(
      (event) =>
        event.action === "application.read" &&
        event.outcome === "denied" &&
        event.organization_id === otherCity.id,
    ),
  );
  // A number that does not exist, or another service's, is a page not found.
  assert.equal((await roy.get(applicationPath(service, 99_999_999))).statusCode, 404);
  const other = await serviceByCode(t, "D26-RÉCIM");
  assert.equal((await roy.get(applicationPath(other, own))).statusCode, 404);
});

test("the ministry's service administrators read transmitted applications and their attachments, never a draft; another ministry's is refused", async () => {
  const julie = await t.signIn(writer.userCode);
  const transmitted = await completeDraft(julie, "Réservoir d'eau potable");
  assert.equal((await transmitThroughPage(julie, service, transmitted)).statusCode, 303);
  const draft = await newDraft(julie, "Brouillon confidentiel");
  const ministry = await t.factories.organization("ministry");
  const admin = await t.factories.user(ministry, { serviceAdminUnit: "DGI", firstName: "Simon" });
  const dgi = await t.signIn(admin.userCode);

  const home = await dgi.get("/ministere");
  assert.match(textOf(home.body), /Demandes d'aide transmises/);
  const list = await dgi.get("/ministere/demandes-transmises");
  assert.equal(list.statusCode, 200);
  const listed = textOf(list.body);
  const { transmission_number } = await row(transmitted);
  assert.match(
    listed,
    new RegExp(
      `${transmission_number} D34-PIQM Ville d'Essai-sur-Mer ${transmitted} — Réservoir d'eau potable`,
    ),
  );
  assert.doesNotMatch(listed, /Brouillon confidentiel/);

  const view = await dgi.get(`/ministere/demandes-transmises/${transmitted}`);
  assert.equal(view.statusCode, 200);
  assert.match(
    textOf(view.body),
    /Coût estimé du projet \(\$\) 1 250 000,00 \$ .* Résolution 2026-114\.pdf \(2 Ko\)/,
  );
  assert.doesNotMatch(view.body, /name="revision"/);
  const href = /href="(\/ministere\/demandes-transmises\/\d+\/pieces-jointes\/\d+)"/.exec(view.body)?.[1];
  assert.ok(href);
  const file = await dgi.get(href);
  assert.equal(file.statusCode, 200);
  assert.deepEqual(file.rawPayload, minimalPdf(2000));
  assert.equal((await dgi.get(`/ministere/demandes-transmises/${draft}`)).statusCode, 404);

  // Another ministry's administrator has a list of their own ministry's services, where ours never appear.
  const stranger = await t.signIn((await otherMinistryAdmin(t)).userCode);
  const theirs = await stranger.get("/ministere/demandes-transmises");
  assert.equal(theirs.statusCode, 200);
  assert.match(textOf(theirs.body), /Aucune demande transmise\./);
  for (const path of [`/ministere/demandes-transmises/${transmitted}`, href]) {
    const refused = await stranger.get(path);
    assert.equal(refused.statusCode, 403, path);
    assert.match(textOf(refused.body), /Vous n'avez pas accès/);
  }
  assert.equal((await julie.get("/ministere/demandes-transmises")).statusCode, 403);
});

test("in English the form speaks English and shows amounts as « 1 250 000.00 », which a save reads back unchanged", async () => {
  const agent = await t.signIn(writer.userCode);
  const number = await newDraft(agent, "Bridge");
  assert.equal(
    (await saveThroughPage(agent, service, number, { ...COMPLETE_FIELDS, title: "Bridge" })).statusCode,
    303,
  );
  await agent.post("/langue", { locale: "en", retour: applicationPath(service, number) });
  const page = await agent.get(applicationPath(service, number));
  assert.match(textOf(page.body), /Application no\. \d+ — Bridge .* Estimated project cost \(\$\) \*/);
  assert.equal(inputValue(page.body, "estimated_cost"), "1\u00a0250\u00a0000.00");
  const before = (await row(number)).data;
  const fields = {
    ...COMPLETE_FIELDS,
    title: "Bridge",
    estimated_cost: inputValue(page.body, "estimated_cost") ?? "",
  };
  assert.equal((await saveThroughPage(agent, service, number, fields)).statusCode, 303);
  assert.deepEqual((await row(number)).data, before);
  const refused = await saveThroughPage(agent, service, number, { ...fields, estimated_cost: "-1" });
  assert.match(textOf(refused.body), /Estimated project cost \(\$\): The amount cannot be negative\./);
  await agent.post("/langue", { locale: "fr", retour: "/" });
});
