// « Adding a program needs no code » (issue #6): a form definition loaded as data (what `npm run guichet --
// form:load` does) gives a service its own fields, rules and transmission requirements, in the pages and on the
// server; an application started before keeps the form it was started with.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadProgramForm } from "../../src/features/applications/program-forms.js";
import { type Agent, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import {
  applicationPath,
  createThroughPage,
  grant,
  makeLocalManager,
  type Service,
  saveThroughPage,
  serviceByCode,
  transmitThroughPage,
  userWithProcuration,
} from "../support/application-fixtures.js";
import type { MadeOrganization } from "../support/factories.js";

const PROGRAM_FILE = fileURLToPath(new URL("../fixtures/charging-stations-program.json", import.meta.url));

let t: TestApp;
let service: Service;
let city: MadeOrganization;
let writer: Agent;
let startedBefore: number;

async function draft(title: string): Promise<number> {
  const { response, number } = await createThroughPage(writer, service, city.id, title);
  assert.equal(response.statusCode, 303, response.body);
  assert.ok(number);
  return number;
}

const pageText = async (number: number) => textOf((await writer.get(applicationPath(service, number))).body);

before(async () => {
  t = await startTestApp();
  service = await serviceByCode(t, "D40-FIMEAU");
  city = await t.factories.organization("municipality", "Ville de Bornes-sur-Lac");
  const manager = await makeLocalManager(t, city, service);
  const user = await userWithProcuration(t, city, service, { firstName: "Julie", lastName: "Tremblay" });
  await grant(t, manager, { service, organizationId: city.id }, user, "requester.write");
  writer = await t.signIn(user.userCode);
  startedBefore = await draft("Projet commencé avec le formulaire standard");
  await loadProgramForm(t.database.db, service.code, PROGRAM_FILE, t.clock());
});
after(() => t.close());

test("a new application follows the loaded form; one started before keeps the standard form", async () => {
  const number = await draft("Bornes de recharge du centre-ville");
  const page = await pageText(number);
  for (const label of [
    "Nombre de bornes de recharge",
    "Coût des installations",
    "Aide demandée",
    "Date de mise en service",
  ])
    assert.match(page, new RegExp(label));
  assert.doesNotMatch(page, /Résolution du conseil|Coût estimé du projet/);

  const older = await pageText(startedBefore);
  assert.match(older, /Résolution du conseil/);
  assert.doesNotMatch(older, /Nombre de bornes de recharge/);
});

test("the loaded form's rules are enforced on the server, in French, next to the field", async () => {
  const number = await draft("Bornes de recharge du port");
  const tooMuch = await saveThroughPage(writer, service, number, {
    title: "Bornes de recharge du port",
    stations: "8",
    site_cost: "100 000",
    grant: "150 000",
  });
  assert.equal(tooMuch.statusCode, 400);
  assert.match(textOf(tooMuch.body), /Ce montant ne peut dépasser le champ « Coût des installations »/);
  const decimals = await saveThroughPage(writer, service, number, {
    title: "Bornes de recharge du port",
    site_cost: "100 000,125",
  });
  assert.equal(decimals.statusCode, 400);
  assert.match(textOf(decimals.body), /Le montant compte au plus 2 décimales/);
  const stored = await t.database.db
    .selectFrom("application")
    .select(["data", "revision"])
    .where("number", "=", number)
    .executeTakeFirstOrThrow();
  assert.deepEqual(stored.data, { title: "Bornes de recharge du port" }, "a refused save changes nothing");
});

test("transmission asks for what the loaded form requires, and only that: no council resolution here", async () => {
  const number = await draft("Bornes de recharge de la marina");
  // « Transmettre » on an incomplete draft: the confirmation page lists what the loaded form still needs.
  const incomplete = await writer.get(`${applicationPath(service, number)}/transmettre`);
  assert.equal(incomplete.statusCode, 400);
  const missing = textOf(incomplete.body);
  assert.match(missing, /Nombre de bornes de recharge/);
  assert.match(missing, /Aide demandée/);
  assert.doesNotMatch(missing, /Résolution du conseil/);

  const saved = await saveThroughPage(writer, service, number, {
    title: "Bornes de recharge de la marina",
    stations: "12",
    site_cost: "250 000",
    grant: "125 000,50",
    commissioning: "2027-06-01",
  });
  assert.equal(saved.statusCode, 303, textOf(saved.body));
  const sent = await transmitThroughPage(writer, service, number);
  assert.equal(sent.statusCode, 303, textOf(sent.body));
  const row = await t.database.db
    .selectFrom("application")
    .select(["status", "data", "transmission_number"])
    .where("number", "=", number)
    .executeTakeFirstOrThrow();
  assert.equal(row.status, "transmitted");
  assert.ok(row.transmission_number);
  assert.deepEqual(row.data, {
    title: "Bornes de recharge de la marina",
    stations: "12",
    site_cost: 25_000_000,
    grant: 12_500_050,
    commissioning: "2027-06-01",
  });
});
