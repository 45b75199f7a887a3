// A browser journey through strong authentication: a local manager adds an authenticator app in « Sécurité du
// compte » (QR code, key in groups of four, first code), keeps the recovery codes, signs out, signs in with a code of
// the app, grants a right, and — past the step-up window — is asked for a code again before the grant, which then
// goes through as it was filled in, once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { TEST_PASSWORD } from "../support/app.js";
import { launchBrowser, type ServedApp, screenshotOnFailure, startServedApp } from "../support/browser.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { totpCode } from "../support/factors.js";
import { button, field, heading, link, newPage, pathOf, rowsOf, squeeze } from "../support/journey.js";
import {
  giveRole,
  openUtility,
  procurationFor,
  registerInBrowser,
  serviceByCode,
} from "../support/registry-pages.js";

const SERVICE_TITLE = "D34-PIQM — Programme d'infrastructures Québec-Municipalités";
const STEP_MS = 30_000;
const MINUTE = 60_000;

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: { city: MadeOrganization; manager: MadeUser; first: MadeUser; second: MadeUser } | undefined;

before(async () => {
  served = await startServedApp();
  launched = await launchBrowser();
  const t = served;
  const service = await serviceByCode(t, "D34-PIQM");
  const ministry = await t.factories.organization("ministry");
  const admin = await t.factories.user(ministry, { serviceAdminUnit: "DGI" });
  const city = await t.factories.organization("municipality", "Municipalité de Saint-Facteur");
  const rse = await t.factories.user(city, { servicesOfficer: true });
  const manager = await t.factories.user(city, { firstName: "Nadia", lastName: "Bérubé" });
  const first = await t.factories.user(city, { firstName: "Olivier", lastName: "Fortin" });
  const second = await t.factories.user(city, { firstName: "Rose", lastName: "Gauthier" });
  await procurationFor(t, city, [manager], rse, { ministryId: service.ministry_id });
  await giveRole(t, {
    role: "local_manager",
    org: city,
    user: manager,
    service,
    by: null,
    approvedBy: admin,
  });
  cast = { city, manager, first, second };
});

after(async () => {
  await launched?.close();
  await served?.close();
});

test("a local manager adds an authenticator app, signs in with its code, grants a right, and is asked for the code again past the window", async () => {
  assert.ok(served && launched && cast);
  const t = served;
  const { manager, first, second } = cast;
  const { context, page } = await newPage(launched, { javaScriptEnabled: false });
  try {
    await screenshotOnFailure(page, "factors-journey", async () => {
      // Signed in with the password alone: the role needs a factor, and a banner says so.
      await page.goto(`${t.baseUrl}/`);
      await field(page, "Code d'utilisateur (7 lettres et chiffres)").fill(manager.userCode);
      await field(page, "Mot de passe").fill(TEST_PASSWORD);
      await button(page, "Continuer").click();
      await page.getByText(/Votre rôle exige un deuxième facteur\. Ajoutez-en un au plus tard le/).waitFor();

      await link(page, "Ajouter un deuxième facteur").click();
      await heading(page, "Sécurité du compte");
      await button(page, "Ajouter une application d'authentification").click();
      await heading(page, "Ajouter une application d'authentification");
      const qr = page.getByRole("img", { name: new RegExp(`Code QR .* ${manager.userCode}`) });
      assert.ok((await qr.boundingBox())?.width, "the QR code is drawn");
      const secret = squeeze(await page.locator("code.secret").textContent()).replace(/ /g, "");
      assert.match(secret, /^[A-Z2-7]{32}$/);
      await field(page, "Code à 6 chiffres").fill(await totpCode(secret, t.clock()));
      await button(page, "Confirmer").click();
      await heading(page, "Vos codes de récupération");
      assert.equal(await page.locator(".recovery-codes li").count(), 10);
      assert.ok(await button(page, "Télécharger les codes (fichier texte)").isVisible());
      await link(page, "J'ai conservé mes codes").click();
      await heading(page, "Sécurité du compte");
      await page.getByText(/Application d'authentification associée le/).waitFor();
      assert.equal(await page.getByText(/Votre rôle exige un deuxième facteur/).count(), 0);

      // Signed out, then in again: the password, then the app's code.
      await button(page, "Déconnexion").click();
      t.clock.advance(STEP_MS);
      await field(page, "Code d'utilisateur (7 lettres et chiffres)").fill(manager.userCode);
      await field(page, "Mot de passe").fill(TEST_PASSWORD);
      await button(page, "Continuer").click();
      await heading(page, "Authentification de l'utilisateur — deuxième étape");
      await field(page, "Code de vérification").fill("000000");
      await button(page, "Vérifier").click();
      await page.getByText("Ce code est incorrect.", { exact: false }).first().waitFor();
      await field(page, "Code de vérification").fill(await totpCode(secret, t.clock()));
      await button(page, "Vérifier").click();
      await page.getByText(`Bonjour Nadia Bérubé (${manager.userCode})`).waitFor();
      assert.equal(pathOf(page), "/");

      // Within the window, a grant goes straight through.
      await openUtility(page, SERVICE_TITLE, "Registre des droits d'accès");
      await registerInBrowser(page, first, "Requérant – Rédaction");

      // Past it: the same steps, then the code again, then « Confirmer » sends the grant as it was filled in.
      t.clock.advance(11 * MINUTE);
      await field(page, "Code d'utilisateur").fill(second.userCode);
      await button(page, "Chercher").click();
      await button(page, "Ajouter le droit Requérant – Consultation").click();
      await heading(page, "Confirmer l'inscription");
      await field(page, "Date de fin (facultative)").fill("2027-06-30");
      await button(page, "Confirmer").click();
      await heading(page, "Confirmez votre identité");
      await page.getByText("Opération : accorder un droit d'accès").waitFor();
      assert.equal(await grantsOf(second), 0, "nothing granted before the code");
      await field(page, "Code de vérification").fill(await totpCode(secret, t.clock()));
      await button(page, "Vérifier").click();
      await heading(page, "Identité confirmée");
      await button(page, "Confirmer").click();
      await heading(page, "Registre des droits d'accès");
      await page
        .getByText("Le droit « Requérant – Consultation » a été accordé à Rose Gauthier.", { exact: false })
        .waitFor();
      assert.equal(await grantsOf(second), 1);
      const rows = await rowsOf(page, "grants");
      assert.ok(
        rows.some((row) => /Rose Gauthier .*Requérant – Consultation.*30 juin 2027/.test(row)),
        rows.join("\n"),
      );

      // Back to the confirmation: the act was sent and is no longer waiting; nothing can send it twice.
      await page.goBack();
      await page.getByText(/n'est plus en attente/).waitFor();
      assert.equal(await button(page, "Confirmer").count(), 0);
      assert.equal(await grantsOf(second), 1);
    });
  } finally {
    await context.close();
  }
});

async function grantsOf(person: MadeUser): Promise<number> {
  assert.ok(served);
  const rows = await served.database.db
    .selectFrom("access_grant")
    .select("id")
    .where("user_id", "=", person.id)
    .execute();
  return rows.length;
}
