// A browser journey through issue #6, with JavaScript off (every page works without it): a firm's agent manager has
// associated two consultants and the municipality's manager granted them « Mandataire – Rédaction » (through the
// registry core: its pages are another feature's); a requester starts an application; the manager mandates one
// consultant from « Gestion des mandats »; the consultant fills it in, attaches the council resolution and transmits
// it; the requester reads it; the other consultant of the same firm cannot open it.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { TEST_PASSWORD } from "../support/app.js";
import {
  associatedConsultant,
  grant,
  makeFirm,
  makeLocalManager,
  type Service,
  serviceByCode,
  userWithProcuration,
} from "../support/application-fixtures.js";
import { minimalPdf } from "../support/bad-files.js";
import { launchBrowser, type ServedApp, screenshotOnFailure, startServedApp } from "../support/browser.js";
import type { MadeUser } from "../support/factories.js";

const STEP_TIMEOUT_MS = 15_000;
const CITY = "Ville de Val-des-Essais";
const TITLE = "Réfection du pont de la rivière aux Sables";

type Cast = { manager: MadeUser; requester: MadeUser; consultant: MadeUser; colleague: MadeUser };

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: Cast | undefined;
let service: Service | undefined;
let folder: string | undefined;
let resolutionPath = "";
/** What earlier steps left for later ones. */
let applicationUrl: string | undefined;
let transmissionNumber: string | undefined;

before(async () => {
  served = await startServedApp();
  launched = await launchBrowser();
  service = await serviceByCode(served);
  const city = await served.factories.organization("municipality", CITY);
  const manager = await makeLocalManager(served, city, service);
  const requester = await userWithProcuration(served, city, service, {
    firstName: "Julie",
    lastName: "Tremblay",
  });
  const target = { service, organizationId: city.id };
  await grant(served, manager, target, requester, "requester.write");
  const firm = await makeFirm(served, service);
  const consultant = await associatedConsultant(served, firm, { firstName: "Alexandre", lastName: "Roy" });
  const colleague = await associatedConsultant(served, firm, { firstName: "Amélie", lastName: "Côté" });
  await grant(served, manager, target, consultant, "agent.write");
  await grant(served, manager, target, colleague, "agent.write");
  cast = { manager, requester, consultant, colleague };
  folder = await mkdtemp(join(tmpdir(), "guichet-journey-"));
  resolutionPath = join(folder, "Résolution du conseil.pdf");
  await writeFile(resolutionPath, minimalPdf(20_000));
});

after(async () => {
  await launched?.close();
  await served?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function setup(): { t: ServedApp; browser: Browser; people: Cast } {
  assert.ok(served && launched && cast, "the app, the browser and the people should have been set up");
  return { t: served, browser: launched, people: cast };
}

async function as(
  browser: Browser,
  t: ServedApp,
  user: MadeUser,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "fr-CA", javaScriptEnabled: false });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  await page.goto(`${t.baseUrl}/`);
  await page.getByLabel(/^Code d'utilisateur/).fill(user.userCode);
  await page.getByLabel(/^Mot de passe/).fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Continuer", exact: true }).click();
  await page.getByText(`Bonjour ${user.actor.firstName} ${user.actor.lastName} (${user.userCode})`).waitFor();
  return { context, page };
}

async function journey(
  user: (people: Cast) => MadeUser,
  name: string,
  steps: (page: Page, t: ServedApp, people: Cast) => Promise<void>,
): Promise<void> {
  const { t, browser, people } = setup();
  const { context, page } = await as(browser, t, user(people));
  try {
    await screenshotOnFailure(page, name, () => steps(page, t, people));
  } finally {
    await context.close();
  }
}

const listLink = (page: Page) =>
  page.getByRole("link", { name: `D34-PIQM — demandes de ${CITY}`, exact: true });

test("a requester starts the application from the home page", () =>
  journey(
    (p) => p.requester,
    "applications-start",
    async (page) => {
      await listLink(page).click();
      await page.getByRole("heading", { level: 1, name: "Demandes d'aide financière" }).waitFor();
      await page.getByLabel(/^Titre du projet/).fill(TITLE);
      await page.getByRole("button", { name: "Créer le brouillon", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "a été créée comme brouillon" }).waitFor();
      applicationUrl = page.url();
      assert.match(applicationUrl, /\/services\/D34-PIQM\/demandes\/\d+$/);
    },
  ));

test("the municipality's manager mandates a consultant on it from « Gestion des mandats »", () =>
  journey(
    (p) => p.manager,
    "applications-mandate",
    async (page, _t, people) => {
      const number = /(\d+)$/.exec(applicationUrl ?? "")?.[1];
      assert.ok(number, "the requester's step ran first");
      await page.getByRole("link", { name: "Gestion des mandats", exact: true }).click();
      await page.getByLabel(/^Numéro de la demande/).fill(number);
      await page.getByLabel(/^Code d'utilisateur du mandataire/).fill(people.consultant.userCode);
      await page.getByRole("button", { name: "Continuer", exact: true }).click();
      await page.getByText(`Alexandre Roy (${people.consultant.userCode})`, { exact: false }).waitFor();
      await page.getByRole("button", { name: "Confirmer", exact: true }).click();
      await page
        .getByRole("status")
        .filter({ hasText: `Alexandre Roy est maintenant mandaté pour la demande no ${number}.` })
        .waitFor();
      await page.getByRole("row").filter({ hasText: TITLE }).waitFor();
    },
  ));

test("the consultant fills it in, attaches the resolution, and transmits it", () =>
  journey(
    (p) => p.consultant,
    "applications-transmit",
    async (page) => {
      await listLink(page).click();
      await page.getByRole("row").filter({ hasText: TITLE }).getByRole("link").click();
      await page.getByLabel(/^Description du projet/).fill("Remplacement du tablier et des garde-corps.");
      await page.getByLabel(/^Coût estimé du projet/).fill("2 400 000,00");
      await page.getByLabel(/^Montant de l'aide demandée/).fill("1 800 000");
      await page.getByLabel(/^Début des travaux/).fill("2027-06-01");
      await page.getByLabel(/^Fin des travaux/).fill("2027-10-15");
      await page.getByLabel(/^Nom de la personne-ressource/).fill("Alexandre Roy");
      await page.getByLabel(/^Téléphone/).fill("418 555-0142");
      await page.getByLabel(/^Courriel/).fill("alexandre.roy@firme.example");
      await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "La demande a été enregistrée." }).waitFor();
      assert.equal(await page.getByLabel(/^Coût estimé du projet/).inputValue(), "2\u00a0400\u00a0000,00");

      await page.getByLabel(/^Fichier PDF à joindre : Résolution du conseil/).setInputFiles(resolutionPath);
      await page.getByRole("button", { name: "Ajouter", exact: true }).first().click();
      await page.getByText("Le fichier « Résolution du conseil.pdf » a été joint à la demande.").waitFor();

      await page.getByRole("button", { name: "Transmettre", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: /^Transmettre la demande no \d+$/ }).waitFor();
      await page.getByText(/^2\s400\s000,00\s\$$/).waitFor();
      await page.getByRole("button", { name: "Confirmer la transmission", exact: true }).click();
      const notice = page.getByRole("status").filter({ hasText: "La demande a été transmise avec succès" });
      const text = (await notice.textContent()) ?? "";
      transmissionNumber = /Le numéro de transmission est le : (\d{10})$/.exec(text.trim())?.[1];
      assert.ok(transmissionNumber, `the notice: ${text}`);
    },
  ));

test("the requester reads the transmitted application", () =>
  journey(
    (p) => p.requester,
    "applications-read",
    async (page) => {
      assert.ok(applicationUrl && transmissionNumber, "the earlier steps ran first");
      await listLink(page).click();
      await page
        .getByRole("row")
        .filter({ hasText: TITLE })
        .filter({ hasText: "Transmise" })
        .getByRole("link")
        .click();
      await page.getByText(`numéro de transmission ${transmissionNumber}`, { exact: false }).waitFor();
      await page.getByText("Remplacement du tablier et des garde-corps.").waitFor();
      await page.getByRole("link", { name: "Résolution du conseil.pdf", exact: true }).waitFor();
      assert.equal(await page.getByRole("button", { name: "Enregistrer" }).count(), 0);
    },
  ));

test("another consultant of the same firm, not mandated, cannot open it", () =>
  journey(
    (p) => p.colleague,
    "applications-refused",
    async (page) => {
      assert.ok(applicationUrl, "the requester's step ran first");
      const response = await page.goto(applicationUrl);
      assert.equal(response?.status(), 403);
      await page.getByText("Vous n'avez pas accès à cette ressource.").waitFor();
      await page.goto(new URL(applicationUrl).origin);
      await listLink(page).click();
      await page.getByText("Aucune demande à afficher.").waitFor();
    },
  ));
