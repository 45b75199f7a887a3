// A browser journey through the registry (seeds 000 and 001): a firm's agent manager associates a consultant with
// D34-PIQM (user code, the person shown, « OK », « Confirmer »); the municipality's local manager grants
// « Mandataire – Rédaction » to that consultant and « Requérant – Consultation » to a colleague (« Chercher », « + »,
// end date, « Confirmer »); « Qui a accès » shows the chain; the consultant finds the service in « Mes services en ligne ».
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import {
  launchBrowser,
  type ServedApp,
  screenshot,
  screenshotOnFailure,
  startServedApp,
} from "../support/browser.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { heading, link, newPage, openService, rowsOf, signIn, squeeze } from "../support/journey.js";
import {
  associateInBrowser,
  journeyCast,
  openUtility,
  registerInBrowser,
  serviceByCode,
} from "../support/registry-pages.js";

const SERVICE_TITLE = "D34-PIQM — Programme d'infrastructures Québec-Municipalités";

type Cast = {
  city: MadeOrganization;
  manager: MadeUser;
  colleague: MadeUser;
  firm: MadeOrganization;
  agentManager: MadeUser;
  consultant: MadeUser;
};

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: Cast | undefined;
/** What the earlier journeys did, for the journeys that build on it. */
const done = { associated: false, granted: false };

before(async () => {
  served = await startServedApp();
  launched = await launchBrowser();
  const t = served;
  const service = await serviceByCode(t, "D34-PIQM");
  const { city, manager, colleague, firm, agentManager, consultant } = await journeyCast(t, service);
  cast = { city, manager, colleague, firm, agentManager, consultant };
});

after(async () => {
  await launched?.close();
  await served?.close();
});

function setup(): { t: ServedApp; browser: Browser; people: Cast } {
  assert.ok(served && launched && cast, "the app, the browser and the people should have been set up");
  return { t: served, browser: launched, people: cast };
}

test("the agent manager associates a consultant: user code, the person shown, « OK », « Confirmer »", async () => {
  const { t, browser, people } = setup();
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "registry-association-journey", async () => {
      await signIn(page, t.baseUrl, people.agentManager);
      await openUtility(page, SERVICE_TITLE, "Association des mandataires");
      await page.getByText("Personne n'est associé à ce service pour ce point de service.").waitFor();

      // Typed in lower case: the code is found all the same.
      const typed = people.consultant.userCode.toLowerCase();
      const shown = await associateInBrowser(page, people.consultant, typed);
      assert.match(shown, /Génie Laurier inc\./);
      assert.match(shown, /Non associée/);
      assert.deepEqual(await rowsOf(page, "associations"), [
        `Amélie Côté ${people.consultant.userCode} Alexandre Roy 22 novembre 2026 Dissocier : Amélie Côté`,
      ]);
    });
    done.associated = true;
  } finally {
    await context.close();
  }
});

test("the local manager grants « Mandataire – Rédaction » to the consultant and « Requérant – Consultation » to a colleague; « Qui a accès » shows the chain", async () => {
  const { t, browser, people } = setup();
  assert.ok(done.associated, "the agent manager's journey should have associated the consultant");
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "registry-grant-journey", async () => {
      await signIn(page, t.baseUrl, people.manager);
      await openUtility(page, SERVICE_TITLE, "Registre des droits d'accès");
      await page.getByText("Aucun droit d'accès n'est accordé dans ce registre.").waitFor();

      await registerInBrowser(page, people.consultant, "Mandataire – Rédaction", "2027-03-01");
      // A colleague is offered requester rights only; the consultant was offered agent rights only.
      await registerInBrowser(page, people.colleague, "Requérant – Consultation");

      const rows = await rowsOf(page, "grants");
      assert.equal(rows.length, 2);
      assert.match(
        rows[0] ?? "",
        /^Amélie Côté \(\w+\) Mandataire – Rédaction Génie Laurier inc\., point de service Bureau de Lévis Marc Tremblay 22 novembre 2026 1 mars 2027/,
      );
      assert.match(
        rows[1] ?? "",
        /^Sophie Morin \(\w+\) Requérant – Consultation Marc Tremblay 22 novembre 2026 aucune date de fin/,
      );

      await link(page, "Qui a accès").click();
      await heading(page, "Qui a accès");
      const chains = await rowsOf(page, "who-has-access");
      assert.ok(
        chains.some((row) =>
          row.includes(
            "Firme Génie Laurier inc., point de service Bureau de Lévis, associé par Alexandre Roy → Mandataire – Rédaction accordé par Marc Tremblay le 2026-11-22 jusqu'au 2027-03-01",
          ),
        ),
        chains.join("\n"),
      );
      assert.ok(
        chains.some(
          (row) => row.startsWith("Marc Tremblay") && row.includes("Gestionnaire local des droits d'accès"),
        ),
      );
      assert.ok(
        chains.some((row) =>
          row.includes("Requérant – Consultation accordé par Marc Tremblay le 2026-11-22 sans date de fin"),
        ),
      );
      await page.getByRole("link", { name: "Exporter en CSV", exact: true }).waitFor();
      await screenshot(page, "registry-qui-a-acces");
    });
    done.granted = true;
  } finally {
    await context.close();
  }
});

test("the consultant finds D34-PIQM in « Mes services en ligne » and, in it, the municipality they act for", async () => {
  const { t, browser, people } = setup();
  assert.ok(done.granted, "the local manager's journey should have granted the agent right");
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "registry-consultant-journey", async () => {
      await signIn(page, t.baseUrl, people.consultant);
      const mine = page.getByRole("region", { name: "Mes services en ligne", exact: true });
      const items = (await mine.getByRole("listitem").allTextContents()).map(squeeze);
      assert.deepEqual(items, [`${SERVICE_TITLE} (Mandataire – Rédaction)`]);
      await openService(page, SERVICE_TITLE);
      const actingFor = page.getByRole("region", {
        name: "Organisations pour lesquelles vous agissez",
        exact: true,
      });
      assert.equal(
        squeeze(await actingFor.getByRole("listitem").textContent()),
        "Municipalité de Val-des-Essais : Mandataire – Rédaction (fin : 1 mars 2027)",
      );
      assert.equal(await page.getByRole("region", { name: "Utilitaires", exact: true }).count(), 0);
    });
  } finally {
    await context.close();
  }
});
