// Reference data in English (issue #17): the catalogue's services, the transfer recipients and their instructions, the
// ministries and their units show their English text on English pages; a text that exists in French only is marked
// lang="fr-CA"; the French pages are unchanged; a database made before the English columns gets them at start.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ensureCatalogue } from "../../src/features/catalogue/catalogue.service.js";
import { assignRecipientStaff } from "../../src/features/file-transfers/file-transfers.service.js";
import { findOutboxMails } from "../../src/features/mail/outbox.queries.js";
import { type Agent, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { minimalPdf } from "../support/bad-files.js";
import type { MadeOrganization } from "../support/factories.js";
import { addFile, senderWithProcuration } from "../support/file-transfer-client.js";

let t: TestApp;
let ministry: MadeOrganization;
let city: MadeOrganization;

before(async () => {
  t = await startTestApp();
  ministry = await t.factories.organization("ministry");
  city = await t.factories.organization("municipality", "Ville d'Essai-sur-Mer");
});
after(() => t.close());

async function inEnglish(agent: Agent): Promise<Agent> {
  const switched = await agent.post("/langue", { locale: "en", retour: "/" });
  assert.equal(switched.statusCode, 303);
  return agent;
}

/** The element around a text: its opening tag, as the page wrote it. */
function tagAround(html: string, text: string): string {
  const at = html.indexOf(text);
  assert.ok(at >= 0, `the page shows ${text}`);
  return html.slice(html.lastIndexOf("<", at), html.indexOf(">", html.lastIndexOf("<", at)) + 1);
}

test("the catalogue in English names each service, its description and its unit in English, in an en-CA page", async () => {
  const user = await t.factories.user(city);
  const agent = await inEnglish(await t.signIn(user.userCode));
  const page = await agent.get("/services");
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<html lang="en-CA">/);
  const text = textOf(page.body);
  assert.match(text, /D32-PRIMEAU — Municipal Water Infrastructure Program/);
  assert.match(
    text,
    /Financial aid to build, renew and expand municipal drinking water and wastewater infrastructure\./,
  );
  assert.match(text, /TRANSFERT-FICHIERS — File Transfer/);
  assert.match(text, /Infrastructure Branch/);
  assert.doesNotMatch(
    text,
    /Programme d'infrastructures municipales d'eau|Direction générale des infrastructures/,
  );
  // No English text stood for French: nothing is marked French.
  assert.doesNotMatch(page.body, /lang="fr-CA">Programme/);
});

test("the catalogue in French is as it was, in an fr-CA page", async () => {
  const user = await t.factories.user(city);
  const page = await (await t.signIn(user.userCode)).get("/services");
  assert.match(page.body, /<html lang="fr-CA">/);
  const text = textOf(page.body);
  assert.match(text, /D32-PRIMEAU — Programme d'infrastructures municipales d'eau/);
  assert.match(text, /Direction générale des infrastructures/);
  assert.doesNotMatch(text, /Municipal Water Infrastructure Program/);
  assert.equal(page.body.match(/lang="fr-CA"/g)?.length, 1, "only the page itself says fr-CA");
});

test("a service without English shows its French name and description marked lang=fr-CA on the English page", async () => {
  const db = t.database.db;
  await db
    .updateTable("online_service")
    .set({ name_en: null, description_en: null })
    .where("code", "=", "D31-FPC")
    .execute();
  try {
    const user = await t.factories.user(city);
    const page = await (await inEnglish(await t.signIn(user.userCode))).get("/services");
    assert.match(page.body, /<span lang="fr-CA">Fonds des petites collectivités<\/span>/);
    assert.match(tagAround(page.body, "Aide financière pour les projets d"), /^<p lang="fr-CA"/);
  } finally {
    await ensureCatalogueEnglishAgain();
  }
});

/** Puts back the English taken away by a test, as a start of the server would on a database made before it. */
async function ensureCatalogueEnglishAgain(): Promise<void> {
  await t.database.db
    .updateTable("organization")
    .set({ name_en: null })
    .where("id", "=", ministry.id)
    .execute();
  await ensureCatalogue(t.database.db);
}

test("a transfer recipient's name and instructions are in English, and the recipient list too", async () => {
  const sender = await senderWithProcuration(t, city, ministry.id);
  const agent = await inEnglish(await t.signIn(sender.userCode));
  const page = await agent.get("/transfert-fichiers?destinataire=pga-eau");
  assert.equal(page.statusCode, 200);
  const text = textOf(page.body);
  assert.match(text, /Water Asset Management Plan \(PGA-Eau\)/);
  assert.match(text, /Please start each file's name with your geographic code/);
  assert.match(text, /Strategic Water Management Branch/);
  assert.match(page.body, /<option[^>]*value="fdt"[^>]*>FDT – Regional Development Fund<\/option>/);
  assert.doesNotMatch(text, /Plan de gestion des actifs en eau|Veuillez SVP nommer/);
});

test("the receipt emailed to an English-speaking sender and the English inbox name the recipient in English, the sender's organization marked French", async () => {
  const sender = await senderWithProcuration(t, city, ministry.id, { firstName: "Ann", lastName: "Smith" });
  await t.database.db.updateTable("app_user").set({ locale: "en" }).where("id", "=", sender.id).execute();
  const agent = await t.signIn(sender.userCode);
  const added = await addFile(t, agent, "fdt", "Rapport.pdf", minimalPdf(2000));
  assert.equal(added.statusCode, 303);
  const page = await agent.get("/transfert-fichiers?destinataire=fdt");
  const sent = await agent.post("/transfert-fichiers/fdt/transferer", {
    cle: /name="cle" value="([^"]+)"/.exec(page.body)?.[1] ?? "",
    brouillon: /name="brouillon" value="(\d*)"/.exec(page.body)?.[1] ?? "",
    certification: "1",
  });
  assert.equal(sent.statusCode, 303);
  const mail = (await findOutboxMails(t.database.db, { to: sender.email })).at(-1);
  assert.ok(mail);
  assert.match(mail.text_body, /FDT – Regional Development Fund/);
  assert.doesNotMatch(mail.text_body, /Fonds de développement du territoire/);

  // The recipient's inbox, in English: the recipient's English name, the sender's organization marked French.
  const staff = await t.factories.user(ministry, { firstName: "Valérie", lastName: "Poirier" });
  await assignRecipientStaff(t.database.db, "fdt", staff.id, t.clock());
  const inbox = await (await inEnglish(await t.signIn(staff.userCode))).get(
    "/transfert-fichiers/reception/fdt",
  );
  assert.equal(inbox.statusCode, 200);
  assert.match(textOf(inbox.body), /FDT – Regional Development Fund/);
  assert.match(inbox.body, /<td><span lang="fr-CA">Ville d(&#39;|&#x27;|')Essai-sur-Mer<\/span><\/td>/);
});

test("a recipient without English keeps its French name and instructions, marked lang=fr-CA", async () => {
  await t.database.db
    .updateTable("transfer_recipient")
    .set({ name_en: null, instructions_en: null })
    .where("code", "=", "fdt")
    .execute();
  try {
    const sender = await senderWithProcuration(t, city, ministry.id);
    const page = await (await inEnglish(await t.signIn(sender.userCode))).get(
      "/transfert-fichiers?destinataire=fdt",
    );
    assert.match(
      page.body,
      /<h2 id="consignes" lang="fr-CA">FDT – Fonds de développement du territoire<\/h2>/,
    );
    assert.match(tagAround(page.body, "Transmission des documents de reddition"), /^<p lang="fr-CA"/);
    assert.match(
      page.body,
      /<option[^>]*lang="fr-CA"[^>]*>FDT – Fonds de développement du territoire<\/option>/,
    );
  } finally {
    await ensureCatalogueEnglishAgain();
  }
});

test("the procuration form names the ministry and its services in English", async () => {
  const officer = await t.factories.user(city, { servicesOfficer: true });
  const agent = await inEnglish(await t.signIn(officer.userCode));
  const page = await agent.get("/procurations/nouvelle");
  assert.equal(page.statusCode, 200);
  const text = textOf(page.body);
  assert.match(text, /Ministry of Municipal Affairs and Housing/);
  assert.match(text, /D40-FIMEAU — Municipal Water Infrastructure Fund/);
  assert.doesNotMatch(
    text,
    /Ministère des Affaires municipales|Fonds pour l'infrastructure municipale d'eau/,
  );
});

test("a database made before the English columns gets the catalogue's English at the next start, and keeps what a ministry wrote", async () => {
  const db = t.database.db;
  await db.updateTable("online_service").set({ name_en: null, description_en: null }).execute();
  await db.updateTable("transfer_recipient").set({ name_en: null, instructions_en: null }).execute();
  await db.updateTable("ministry_unit").set({ name_en: null }).execute();
  await db
    .updateTable("online_service")
    .set({ name_en: "Our own name" })
    .where("code", "=", "D31-FPC")
    .execute();
  await ensureCatalogueEnglishAgain();
  const services = await db.selectFrom("online_service").select(["code", "name_en"]).execute();
  assert.ok(services.every((s) => s.name_en !== null));
  assert.equal(services.find((s) => s.code === "D31-FPC")?.name_en, "Our own name");
  const unit = await db
    .selectFrom("ministry_unit")
    .select("name_en")
    .where("code", "=", "DGSE")
    .executeTakeFirst();
  assert.equal(unit?.name_en, "Strategic Water Management Branch");
  const recipient = await db
    .selectFrom("transfer_recipient")
    .select("instructions_en")
    .where("code", "=", "seep")
    .executeTakeFirst();
  assert.match(recipient?.instructions_en ?? "", /Québec Drinking Water Conservation Strategy/);
  await db
    .updateTable("online_service")
    .set({ name_en: "Small Communities Fund" })
    .where("code", "=", "D31-FPC")
    .execute();
});

test("inside an English sentence, a French-only organization name is marked lang=fr-CA: the home page and the users' list", async () => {
  const officer = await t.factories.user(city, { servicesOfficer: true });
  const agent = await inEnglish(await t.signIn(officer.userCode));
  const home = await agent.get("/");
  assert.equal(home.statusCode, 200);
  assert.match(textOf(home.body), /Organization: Ville d'Essai-sur-Mer/);
  assert.equal(tagAround(home.body, "Ville d'Essai-sur-Mer"), '<span lang="fr-CA">');
  const users = await agent.get("/utilisateurs");
  assert.equal(users.statusCode, 200);
  const heading = /<h1>(.*?)<\/h1>/s.exec(users.body)?.[1] ?? "";
  assert.match(heading, /<span lang="fr-CA">Ville d'Essai-sur-Mer<\/span>/);
  // In French the same name is plain text.
  const french = await (await t.signIn(officer.userCode)).get("/");
  assert.doesNotMatch(french.body, /lang="fr-CA">Ville/);
});
