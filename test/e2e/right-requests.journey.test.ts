// A browser journey through « Demander un accès » (issue #15, section 1): a firm's consultant is refused a dossier of
// a municipality, reads what is missing and who gives it, and asks from the refusal page; the firm's agent manager
// associates them; the municipality's local manager finds the request in « Demandes d'accès reçues » and approves it,
// proving the second factor again (step-up); the consultant then opens the dossier.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createApplication } from "../../src/features/applications/applications.service.js";
import { newSubmissionKey } from "../../src/features/submissions/submissions.service.js";
import { TEST_PASSWORD } from "../support/app.js";
import { applicationPath, grant } from "../support/application-fixtures.js";
import { launchBrowser, type ServedApp, screenshotOnFailure, startServedApp } from "../support/browser.js";
import type { MadeUser } from "../support/factories.js";
import { addAuthenticatorApp, totpCode } from "../support/factors.js";
import { button, field, heading, link, newPage, pathOf, signIn, squeeze } from "../support/journey.js";
import {
  associateInBrowser,
  journeyCast,
  openUtility,
  procurationFor,
  type RegistryService,
  serviceByCode,
} from "../support/registry-pages.js";

const SERVICE_TITLE = "D34-PIQM — Programme d'infrastructures Québec-Municipalités";
const MINUTE = 60_000;
const STEP_MS = 30_000;

type Cast = {
  service: RegistryService;
  manager: MadeUser;
  managerSecret: string;
  agentManager: MadeUser;
  consultant: MadeUser;
  applicationNumber: number;
};

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: Cast | undefined;

before(async () => {
  served = await startServedApp();
  launched = await launchBrowser();
  const t = served;
  const service = await serviceByCode(t, "D34-PIQM");
  const {
    city,
    cityRse,
    manager,
    colleague: writer,
    agentManager,
    consultant,
  } = await journeyCast(t, service);
  await procurationFor(t, city, [writer], cityRse, { ministryId: service.ministry_id });
  await grant(t, manager, { service, organizationId: city.id }, writer, "requester.write");
  const created = await createApplication(
    t.ctx(writer.actor),
    { service, organizationId: city.id },
    { title: "Réfection du pont de la rivière aux Sables", key: newSubmissionKey() },
  );
  assert.ok(created.ok);
  // The local manager has an authenticator app: the approval, a grant, asks for it again past the step-up window.
  const { secret } = await addAuthenticatorApp(await t.signIn(manager.userCode), t.clock());
  cast = {
    service,
    manager,
    managerSecret: secret,
    agentManager,
    consultant,
    applicationNumber: created.number,
  };
});

after(async () => {
  await launched?.close();
  await served?.close();
});

function setup(): { t: ServedApp; browser: Browser; people: Cast } {
  assert.ok(served && launched && cast, "the app, the browser and the people should have been set up");
  return { t: served, browser: launched, people: cast };
}

/** The person's current rights, whatever the registry. */
async function rightsOf(user: MadeUser): Promise<number> {
  const rows = await setup()
    .t.database.db.selectFrom("access_grant")
    .select("id")
    .where("user_id", "=", user.id)
    .where("ended_at", "is", null)
    .execute();
  return rows.length;
}

/** As one person, in a context of their own. */
async function as(name: string, run: (page: Page) => Promise<void>): Promise<void> {
  const { browser } = setup();
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, name, () => run(page));
  } finally {
    await context.close();
  }
}

test("an agent refused a dossier asks from the refusal page; the agent manager associates them; the local manager approves with step-up; the agent opens the dossier", async () => {
  const { t, people } = setup();
  const dossier = `${t.baseUrl}${applicationPath(people.service, people.applicationNumber)}`;

  await as("right-request-agent-asks", async (page) => {
    await signIn(page, t.baseUrl, people.consultant);
    await page.goto(dossier);
    await page.getByText("Vous n'avez pas accès à cette ressource.").waitFor();
    const missing = page.getByRole("region", { name: "Ce qui vous manque", exact: true });
    const items = (await missing.getByRole("listitem").allTextContents()).map(squeeze);
    assert.deepEqual(items, [
      `l'association de votre compte à ce service. La fait le gestionnaire de mandataires de votre firme : Alexandre Roy (${people.agentManager.email}).`,
      `le droit « Mandataire – Rédaction » ou « Mandataire – Consultation ». Le donnent le gestionnaire local des droits d'accès de l'organisation et ses adjoints : Marc Tremblay (${people.manager.email}).`,
      `un mandat sur ce dossier. Le donnent le gestionnaire local et ses adjoints : Marc Tremblay (${people.manager.email}).`,
    ]);
    await link(missing, "Demander un accès").click();
    await heading(page, "Demander un accès");
    assert.equal(
      await page.locator("#champ-organisation option:checked").textContent(),
      "Municipalité de Val-des-Essais",
    );
    assert.equal(
      await page.locator("#champ-droit option:checked").textContent(),
      "Mandataire – Consultation",
    );
    assert.equal(
      await field(page, "Dossier (mandataire, facultatif)").inputValue(),
      String(people.applicationNumber),
    );
    await field(page, "Message (facultatif)").fill("Je prépare ce dossier pour la municipalité.");
    await button(page, "Envoyer la demande").click();
    await heading(page, "Mes demandes d'accès");
    await page
      .getByText(
        "Votre demande du droit « Mandataire – Consultation » pour Municipalité de Val-des-Essais est envoyée.",
        { exact: false },
      )
      .waitFor();
  });

  await as("right-request-association", async (page) => {
    await signIn(page, t.baseUrl, people.agentManager);
    await openUtility(page, SERVICE_TITLE, "Association des mandataires");
    await associateInBrowser(page, people.consultant);
  });

  await as("right-request-approval", async (page) => {
    await page.goto(`${t.baseUrl}/`);
    await field(page, "Code d'utilisateur (7 lettres et chiffres)").fill(people.manager.userCode);
    await field(page, "Mot de passe").fill(TEST_PASSWORD);
    await button(page, "Continuer").click();
    await heading(page, "Authentification de l'utilisateur — deuxième étape");
    // Each code works once: the app's next one, not the one its enrolment used.
    t.clock.advance(STEP_MS);
    await field(page, "Code de vérification").fill(await totpCode(people.managerSecret, t.clock()));
    await button(page, "Vérifier").click();
    await page.getByText("Bonjour Marc Tremblay", { exact: false }).waitFor();
    // Past the step-up window: the approval asks for the code again.
    t.clock.advance(11 * MINUTE);
    await link(page, "Demandes d'accès reçues").click();
    await heading(page, "Demandes d'accès reçues");
    await link(page, `Amélie Côté (${people.consultant.userCode})`).click();
    await heading(page, "Demande d'accès de Amélie Côté");
    await page.getByText("Je prépare ce dossier pour la municipalité.").waitFor();
    await button(page, "Approuver et accorder le droit").click();
    await heading(page, "Confirmez votre identité");
    await page.getByText("Opération : approuver une demande d'accès (accorder un droit)").waitFor();
    assert.equal(await rightsOf(people.consultant), 0, "nothing granted before the code");
    await field(page, "Code de vérification").fill(await totpCode(people.managerSecret, t.clock()));
    await button(page, "Vérifier").click();
    await heading(page, "Identité confirmée");
    await button(page, "Confirmer").click();
    await heading(page, "Demandes d'accès reçues");
    await page
      .getByText("La demande de Amélie Côté est approuvée : le droit est accordé.", { exact: false })
      .waitFor();
  });

  await as("right-request-agent-opens", async (page) => {
    await signIn(page, t.baseUrl, people.consultant);
    await link(page, "Mes demandes d'accès").click();
    await page.getByText(/Approuvée par Marc Tremblay le/).waitFor();
    await page.goto(dossier);
    await page.getByText("Réfection du pont de la rivière aux Sables").first().waitFor();
    assert.equal(pathOf(page), applicationPath(people.service, people.applicationNumber));
    assert.equal(await page.getByText("Vous n'avez pas accès à cette ressource.").count(), 0);
  });
});
