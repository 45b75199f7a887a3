// A browser journey through issue #6, with JavaScript off (every page works without it): a firm's agent manager
// associates two consultants with D34-PIQM from « Association des mandataires »; the municipality's local manager
// grants them « Mandataire – Rédaction » (and a colleague « Requérant – Rédaction ») from « Registre des droits
// d'accès »; the requester starts an application; the manager mandates one consultant from « Gestion des mandats »;
// the consultant fills it in, attaches the council resolution and transmits it; the requester reads it, frozen; the
// other consultant of the same firm, an agent of the municipality but not mandated, is refused it. Only what the back
// office gives is set up directly: the accounts, the procurations and the two managers' roles.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import {
  type Firm,
  makeFirm,
  makeLocalManager,
  type Service,
  serviceByCode,
  userWithProcuration,
} from "../support/application-fixtures.js";
import { minimalPdf } from "../support/bad-files.js";
import { launchBrowser, type ServedApp, screenshotOnFailure, startServedApp } from "../support/browser.js";
import type { MadeUser } from "../support/factories.js";
import { heading, newPage, rowsOf, signIn, squeeze } from "../support/journey.js";
import { associateInBrowser, openUtility, registerInBrowser } from "../support/registry-pages.js";

const CITY = "Ville de Val-des-Essais";
const SERVICE_TITLE = "D34-PIQM — Programme d'infrastructures Québec-Municipalités";
const TITLE = "Réfection du pont de la rivière aux Sables";
const DESCRIPTION = "Remplacement du tablier et des garde-corps.";

type Cast = {
  firm: Firm;
  manager: MadeUser;
  requester: MadeUser;
  consultant: MadeUser;
  colleague: MadeUser;
};

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: Cast | undefined;
let service: Service | undefined;
let folder: string | undefined;
let resolutionPath = "";
/** What earlier steps left for later ones. */
const done = { associated: false, granted: false };
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
  const firm = await makeFirm(served, service);
  const consultant = await userWithProcuration(served, firm.organization, service, {
    firstName: "Alexandre",
    lastName: "Roy",
  });
  const colleague = await userWithProcuration(served, firm.organization, service, {
    firstName: "Amélie",
    lastName: "Côté",
  });
  cast = { firm, manager, requester, consultant, colleague };
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

/** One step of the journey: signed in as one person, in a context of their own, with JavaScript off. */
async function journey(
  user: (people: Cast) => MadeUser,
  name: string,
  steps: (page: Page, t: ServedApp, people: Cast) => Promise<void>,
): Promise<void> {
  const { t, browser, people } = setup();
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  try {
    await screenshotOnFailure(page, name, async () => {
      await signIn(page, t.baseUrl, user(people));
      await steps(page, t, people);
    });
  } finally {
    await context.close();
  }
}

const fullName = (person: MadeUser) => `${person.actor.firstName} ${person.actor.lastName}`;

test("the firm's agent manager associates both consultants with D34-PIQM from « Association des mandataires »", () =>
  journey(
    (p) => p.firm.agentManager,
    "applications-associate",
    async (page, _t, people) => {
      await openUtility(page, SERVICE_TITLE, "Association des mandataires");
      await associateInBrowser(page, people.consultant);
      await associateInBrowser(page, people.colleague);
      const rows = await rowsOf(page, "associations");
      for (const person of [people.consultant, people.colleague])
        assert.ok(
          rows.some((row) =>
            row.startsWith(`${fullName(person)} ${person.userCode} ${fullName(people.firm.agentManager)}`),
          ),
          rows.join("\n"),
        );
      assert.equal(rows.length, 2);
      done.associated = true;
    },
  ));

test("the municipality's manager grants « Mandataire – Rédaction » to both consultants, and « Requérant – Rédaction » to the requester, in « Registre des droits d'accès »", () =>
  journey(
    (p) => p.manager,
    "applications-grant",
    async (page, _t, people) => {
      assert.ok(done.associated, "the agent manager's step associated the consultants");
      await openUtility(page, SERVICE_TITLE, "Registre des droits d'accès");
      await page.getByText("Aucun droit d'accès n'est accordé dans ce registre.").waitFor();
      await registerInBrowser(page, people.consultant, "Mandataire – Rédaction");
      await registerInBrowser(page, people.colleague, "Mandataire – Rédaction");
      await registerInBrowser(page, people.requester, "Requérant – Rédaction");
      const rows = await rowsOf(page, "grants");
      const firm = `${people.firm.organization.name}, point de service Bureau de Québec`;
      const by = fullName(people.manager);
      for (const [person, right] of [
        [people.consultant, `Mandataire – Rédaction ${firm}`],
        [people.colleague, `Mandataire – Rédaction ${firm}`],
        [people.requester, "Requérant – Rédaction"],
      ] as const)
        assert.ok(
          rows.some((row) => row.startsWith(`${fullName(person)} (${person.userCode}) ${right} ${by} `)),
          `${fullName(person)}: ${rows.join("\n")}`,
        );
      assert.equal(rows.length, 3);
      done.granted = true;
    },
  ));

const listLink = (page: Page) =>
  page.getByRole("link", { name: `D34-PIQM — demandes de ${CITY}`, exact: true });

test("a requester starts the application from the home page", () =>
  journey(
    (p) => p.requester,
    "applications-start",
    async (page) => {
      assert.ok(done.granted, "the manager's step granted « Requérant – Rédaction »");
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
      await page.getByLabel(/^Description du projet/).fill(DESCRIPTION);
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

      await page.getByLabel(/^Fichier PDF à joindre\s: Résolution du conseil/).setInputFiles(resolutionPath);
      await page.getByRole("button", { name: "Ajouter", exact: true }).first().click();
      await page.getByText("Le fichier « Résolution du conseil.pdf » a été joint à la demande.").waitFor();

      await page.getByRole("button", { name: "Transmettre", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: /^Transmettre la demande no \d+$/ }).waitFor();
      await page.getByText(/^2\s400\s000,00\s\$$/).waitFor();
      await page.getByRole("button", { name: "Confirmer la transmission", exact: true }).click();
      const notice = page.getByRole("status").filter({ hasText: "La demande a été transmise avec succès" });
      const text = (await notice.textContent()) ?? "";
      transmissionNumber = /Le numéro de transmission est le\s: (\d{10})$/.exec(text.trim())?.[1];
      assert.ok(transmissionNumber, `the notice: ${text}`);
    },
  ));

test("the requester reads the transmitted application: « Transmise », its transmission number, nothing left to edit", () =>
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
      assert.equal(page.url(), applicationUrl);
      const number = /(\d+)$/.exec(applicationUrl)?.[1];
      await heading(page, `Demande no ${number} — ${TITLE}`);
      const status = squeeze(
        await page
          .locator("p")
          .filter({ hasText: /^\s*État\s:/ })
          .textContent(),
      );
      assert.match(
        status,
        new RegExp(`^État : Transmise — transmise le .+, numéro de transmission ${transmissionNumber}$`),
      );
      await page.getByText(DESCRIPTION, { exact: true }).waitFor();
      await page.getByRole("link", { name: "Résolution du conseil.pdf", exact: true }).waitFor();
      // Frozen: its values are text, with no field, no file to choose, and no button that would change this version;
      // the one way on is a new version.
      assert.equal(await page.getByRole("textbox").count(), 0);
      assert.equal(await page.locator("input:not([type=hidden]), textarea, select").count(), 0);
      for (const name of [/^Enregistrer/, /^Transmettre/, /^Ajouter/, /^Supprimer/])
        assert.equal(await page.getByRole("button", { name }).count(), 0, `no button ${name}`);
      await page.getByRole("button", { name: "Créer une nouvelle version", exact: true }).waitFor();
    },
  ));

test("another consultant of the same firm, an agent of the municipality but not mandated, is refused it in French", () =>
  journey(
    (p) => p.colleague,
    "applications-refused",
    async (page, t, people) => {
      assert.ok(applicationUrl, "the requester's step ran first");
      const response = await page.goto(applicationUrl);
      assert.equal(response?.status(), 403);
      await heading(page, "Erreur");
      assert.equal(
        squeeze(await page.getByRole("alert").textContent()),
        "Vous n'avez pas accès à cette ressource.",
      );
      await page.getByRole("link", { name: "Retour à l'accueil", exact: true }).waitFor();
      // Nothing of the application shows through the refusal.
      assert.equal(await page.getByText(TITLE).count(), 0);
      assert.equal(await page.getByText(DESCRIPTION).count(), 0);
      // Refused for the right reason: the colleague holds « Mandataire – Rédaction », but no mandate on it.
      const denials = await t.database.db
        .selectFrom("audit_event")
        .select(["action", "reason"])
        .where("actor_user_id", "=", people.colleague.id)
        .where("outcome", "=", "denied")
        .execute();
      assert.deepEqual(denials, [{ action: "application.read", reason: "not_mandated" }]);

      await page.getByRole("link", { name: "Retour à l'accueil", exact: true }).click();
      await listLink(page).click();
      await page.getByText("Aucune demande à afficher.").waitFor();
    },
  ));
