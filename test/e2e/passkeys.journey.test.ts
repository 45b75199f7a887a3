// A browser journey with a passkey: a user registers one in « Sécurité du compte » through Chromium's virtual
// authenticator (DevTools protocol), keeps the recovery codes, signs out, signs in again with the password then the
// passkey, and then from the first page with the passkey alone. WebAuthn checks the origin, so the app's PUBLIC_URL is the address the browser uses: localhost (an IP
// address is no valid relying party id) on a port chosen before the app starts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import { launchBrowser, screenshotOnFailure } from "../support/browser.js";
import type { MadeUser } from "../support/factories.js";
import { button, field, heading, link, newPage, pathOf, rowsOf, signIn } from "../support/journey.js";
import { freePort } from "../support/server-process.js";

let t: TestApp | undefined;
let baseUrl = "";
let launched: Browser | undefined;
let user: MadeUser | undefined;

before(async () => {
  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  t = await startTestApp({ env: { PUBLIC_URL: baseUrl } });
  await t.app.listen({ port, host: "localhost" });
  launched = await launchBrowser();
  user = await t.factories.user(await t.factories.organization(), { firstName: "Lina", lastName: "Caron" });
});

after(async () => {
  await launched?.close();
  await t?.close();
});

/** A platform authenticator that holds discoverable credentials and verifies its user, like a laptop's. */
async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

/** How the person's latest session was opened. */
async function latestAmr(app: TestApp, person: MadeUser): Promise<string[]> {
  const session = await app.database.db
    .selectFrom("session")
    .select("amr")
    .where("user_id", "=", person.id)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  return session.amr;
}

test("a user registers a passkey through Chromium's virtual authenticator and signs in with it, at the second step and from the first page", async () => {
  assert.ok(t && launched && user);
  const app = t;
  const person = user;
  const { context, page } = await newPage(launched);
  try {
    await screenshotOnFailure(page, "passkeys-journey", async () => {
      await addVirtualAuthenticator(page);
      await signIn(page, baseUrl, person);

      await page.goto(`${baseUrl}/profil/securite`);
      await heading(page, "Sécurité du compte");
      // With JavaScript and a browser that can, the form shows and the « needs JavaScript » note hides.
      assert.equal(await page.getByText(/L'ajout d'une clé d'accès demande JavaScript/).isVisible(), false);
      await field(page, "Nom de la clé d'accès").fill("Portable bureau");
      await button(page, "Ajouter une clé d'accès").click();
      await heading(page, "Vos codes de récupération");
      await page.getByText("La clé d'accès est associée à votre compte.").waitFor();
      assert.equal(await page.locator(".recovery-codes li").count(), 10);
      await link(page, "J'ai conservé mes codes").click();
      await heading(page, "Sécurité du compte");
      const rows = await rowsOf(page, "passkeys");
      assert.equal(rows.length, 1);
      assert.match(rows[0] ?? "", /^Portable bureau .* Jamais Retirer$/);

      await button(page, "Déconnexion").click();
      // A second later, so each session is told apart by its start.
      app.clock.advance(1000);
      await field(page, "Code d'utilisateur (7 lettres et chiffres)").fill(person.userCode);
      await field(page, "Mot de passe").fill(TEST_PASSWORD);
      await button(page, "Continuer").click();
      await heading(page, "Authentification de l'utilisateur — deuxième étape");
      await button(page, "Utiliser une clé d'accès").click();
      await page.getByText(`Bonjour Lina Caron (${person.userCode})`).waitFor();
      assert.equal(pathOf(page), "/");

      // Chromium's virtual authenticator makes device-bound credentials (not backup eligible): a hardware key.
      assert.deepEqual(await latestAmr(app, person), ["pwd", "hwk"]);
      await page.goto(`${baseUrl}/profil/securite`);
      assert.doesNotMatch((await rowsOf(page, "passkeys"))[0] ?? "", /Jamais/, "the last use is shown");

      // Signed out again: from the first page, the passkey alone (discoverable, with user verification).
      await button(page, "Déconnexion").click();
      await heading(page, "Authentification de l'utilisateur");
      app.clock.advance(1000);
      await button(page, "Utiliser une clé d'accès").click();
      await page.getByText(`Bonjour Lina Caron (${person.userCode})`).waitFor();
      assert.deepEqual(await latestAmr(app, person), ["hwk", "user", "mfa"]);
    });
  } finally {
    await context.close();
  }
});
