// A browser journey: a services officer creates a user, who activates the account from the email and signs in.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { TEST_PASSWORD } from "../support/app.js";
import {
  launchBrowser,
  type ServedApp,
  screenshot,
  screenshotOnFailure,
  startServedApp,
} from "../support/browser.js";
import { linkIn, readMailbox } from "../support/mailbox.js";

// Generous, so a loaded CI machine is not mistaken for a broken page; a real failure still ends in seconds, not minutes.
const STEP_TIMEOUT_MS = 15_000;

let served: ServedApp | undefined;
let launched: Browser | undefined;

before(async () => {
  served = await startServedApp();
  launched = await launchBrowser();
});

after(async () => {
  await launched?.close();
  await served?.close();
});

/** The page's path, without origin or query. */
function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

async function heading(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
}

/**
 * The field with this label. Required fields end their label with an asterisk hidden from screen readers
 * (the input's required attribute says it instead); getByLabel reads the label's text, asterisk included.
 */
function field(page: Page, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return page.getByLabel(new RegExp(`^${escaped}(?: \\*)?$`));
}

async function signIn(page: Page, userCode: string, password: string): Promise<void> {
  await field(page, "Code d'utilisateur (7 lettres et chiffres)").fill(userCode);
  await field(page, "Mot de passe").fill(password);
  await page.getByRole("button", { name: "Continuer", exact: true }).click();
}

test("an officer creates a user, who activates the account from the email and signs in", async (testContext) => {
  const t = served;
  const browser = launched;
  assert.ok(t && browser, "the app and the browser should have started");
  const org = await t.factories.organization("municipality", "Municipalité de Saint-Essai");
  const officer = await t.factories.user(org, {
    servicesOfficer: true,
    firstName: "Lucie",
    lastName: "Gagnon",
  });
  const context = await browser.newContext({ locale: "fr-CA" });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();

  try {
    await screenshotOnFailure(page, "accounts-journey", async () => {
      // A visitor who is not signed in is sent to the sign-in page.
      await page.goto(`${t.baseUrl}/`);
      await heading(page, "Authentification de l'utilisateur");
      assert.equal(pathOf(page), "/connexion");

      // Keyboard users reach the skip link first, and it takes them to the main content.
      await page.keyboard.press("Tab");
      assert.equal(
        (await page.locator(":focus").textContent())?.trim(),
        "Passer au contenu principal",
        "the first Tab should land on the skip link",
      );
      await page.keyboard.press("Enter");
      await page.locator("main#contenu:focus").waitFor();

      // A mistyped password is announced to assistive technology as an alert, and nothing opens.
      await signIn(page, officer.userCode, `${TEST_PASSWORD}-faux`);
      const alert = page.getByRole("alert");
      await alert.waitFor();
      assert.match(
        (await alert.textContent()) ?? "",
        /Le code d'utilisateur ou le mot de passe est incorrect\./,
      );
      assert.equal(await page.getByRole("button", { name: "Déconnexion" }).count(), 0);

      // The officer signs in and is greeted by name and code.
      await signIn(page, officer.userCode, TEST_PASSWORD);
      await page.getByText(`Bonjour Lucie Gagnon (${officer.userCode})`, { exact: true }).waitFor();
      assert.equal(pathOf(page), "/");

      // … opens the organization's users and creates one.
      await page.getByRole("link", { name: "Utilisateurs de mon organisation", exact: true }).click();
      await heading(page, `Utilisateurs de ${org.name}`);
      await page.getByRole("link", { name: "Créer un utilisateur", exact: true }).click();
      await heading(page, "Créer un utilisateur");
      await field(page, "Prénom").fill("Julie");
      await field(page, "Nom").fill("Tremblay");
      await field(page, "Fonction").fill("Technicienne en administration");
      await field(page, "Téléphone").fill("418 555-0199");
      await field(page, "Courriel").fill("julie.tremblay@essai.example");
      await page.getByRole("button", { name: "Créer un utilisateur", exact: true }).click();

      const notice = page.getByRole("status").filter({ hasText: "a été créé" });
      await notice.waitFor();
      const created = /Le compte ([A-Z0-9]{7}) a été créé\. Un lien d'activation a été envoyé à (\S+)\./.exec(
        (await notice.textContent()) ?? "",
      );
      const newCode = created?.[1];
      assert.ok(newCode, `no new user code in the notice: ${await notice.textContent()}`);
      assert.equal(created?.[2], "julie.tremblay@essai.example");
      assert.equal(pathOf(page), `/utilisateurs/${newCode}`);

      // The activation email reaches the new user, with a link to the site's public address.
      await t.app.guichet.outbox.deliverDue();
      const mails = await readMailbox(t.config.mailDir);
      const mail = mails.find((m) => m.to.includes("julie.tremblay@essai.example"));
      assert.ok(mail, `no email to the new user among ${mails.length}: ${mails.map((m) => m.to).join("; ")}`);
      assert.match(mail.text, new RegExp(`Votre code d'utilisateur\u00a0: ${newCode}`));
      const link = linkIn(mail.text);
      assert.ok(link.startsWith(`${t.config.publicUrl}/activation/`), `unexpected link ${link}`);

      // The officer signs out; the greeting is gone.
      await page.getByRole("button", { name: "Déconnexion", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "Vous êtes déconnecté." }).waitFor();
      assert.equal(pathOf(page), "/connexion");
      assert.equal(await page.getByText(/^Bonjour /).count(), 0);

      // The new user opens the link and chooses a password.
      await page.goto(t.local(link));
      await heading(page, "Activation de votre compte");
      await page.getByText(`Votre code d'utilisateur est ${newCode}`).waitFor();
      const password = "Érable-en-automne-2026";
      await field(page, "Nouveau mot de passe").fill(password);
      await field(page, "Confirmer le nouveau mot de passe").fill(password);
      await page.getByRole("button", { name: "Enregistrer le mot de passe", exact: true }).click();

      await page.getByRole("status").filter({ hasText: "Votre mot de passe est enregistré" }).waitFor();
      await heading(page, "Authentification de l'utilisateur");
      assert.equal(pathOf(page), "/connexion");

      // … signs in with the new code and password, and is greeted.
      await signIn(page, newCode, password);
      await page.getByText(`Bonjour Julie Tremblay (${newCode})`, { exact: true }).waitFor();
      assert.equal(pathOf(page), "/");
      // A user who is not the officer does not see the user management tools.
      assert.equal(await page.getByRole("link", { name: "Utilisateurs de mon organisation" }).count(), 0);

      const shot = await screenshot(page, "accounts-journey-home");
      testContext.diagnostic(`home page screenshot: ${shot}`);
    });
  } finally {
    await context.close();
  }
});
