// What browser journeys share: a French page with a generous step timeout, and finding things as a person does —
// by heading, label, button and link names — then signing in through the real form.
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { TEST_PASSWORD } from "./app.js";
import type { MadeUser } from "./factories.js";
import { escapeRegExp } from "./text.js";

// Generous, so a loaded CI machine is not mistaken for a broken page; a real failure still ends in seconds.
export const STEP_TIMEOUT_MS = 15_000;

/**
 * A page in a fresh context; `javaScriptEnabled: false` for the journeys that prove the pages work without it,
 * `acceptDownloads` for those that download files.
 */
export async function newPage(
  browser: Browser,
  options: { javaScriptEnabled?: boolean; acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "fr-CA", ...options });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  return { context, page: await context.newPage() };
}

/** The page's path, without origin or query. */
export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

/** Text as a person reads it: runs of white space as one space. */
export function squeeze(text: string | null): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}

export async function heading(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
}

/** The field with this label; required fields end their label with an asterisk hidden from screen readers. */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByLabel(new RegExp(`^${escapeRegExp(label)}(?: \\*)?$`));
}

export function button(scope: Page | Locator, name: string): Locator {
  return scope.getByRole("button", { name, exact: true });
}

export function link(scope: Page | Locator, name: string): Locator {
  return scope.getByRole("link", { name, exact: true });
}

/** Opens the portal, signs in through the form, and waits for the greeting on the home page. */
export async function signIn(page: Page, baseUrl: string, user: MadeUser): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await heading(page, "Authentification de l'utilisateur");
  await field(page, "Code d'utilisateur (7 lettres et chiffres)").fill(user.userCode);
  await field(page, "Mot de passe").fill(TEST_PASSWORD);
  await button(page, "Continuer").click();
  await page.getByText(`Bonjour ${user.actor.firstName} ${user.actor.lastName} (${user.userCode})`).waitFor();
  assert.equal(pathOf(page), "/");
}

/** From the home page, « Mes services en ligne » → the service's space, whose heading is the service's title. */
export async function openService(page: Page, serviceTitle: string): Promise<void> {
  await page
    .getByRole("region", { name: "Mes services en ligne", exact: true })
    .getByRole("link", { name: serviceTitle, exact: true })
    .click();
  await heading(page, serviceTitle);
}

/** Each row of a table's body as a person reads it: its cells, one space apart. */
export async function rowsOf(page: Page, tableClass: string): Promise<string[]> {
  const texts: string[] = [];
  for (const row of await page.locator(`table.${tableClass} tbody tr`).all())
    texts.push(squeeze((await row.getByRole("cell").allTextContents()).join(" ")));
  return texts;
}
