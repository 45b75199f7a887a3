// A browser journey through seed 004 « Procédure de transfert des fichiers … PGA-Eau »: a municipal user sends three
// files to PGA-Eau (each with the progress bar) and reads the confirmation number in the green notice; the receiving
// unit then downloads them from its inbox, and the SHA-256 of each download matches the file sent. Also: the same
// page without JavaScript.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { assignRecipientStaff } from "../../src/features/file-transfers/file-transfers.service.js";
import { minimalPdf, minimalXlsx } from "../support/bad-files.js";
import { launchBrowser, type ServedApp, screenshotOnFailure, startServedApp } from "../support/browser.js";
import type { MadeUser } from "../support/factories.js";
import { senderWithProcuration } from "../support/file-transfer-client.js";
import { newPage, signIn } from "../support/journey.js";
import { escapeRegExp } from "../support/text.js";

const PGA_EAU = "Plan de gestion des actifs en eau (PGA-Eau)";

type Cast = { sender: MadeUser; receiver: MadeUser; files: { name: string; path: string; sha256: string }[] };

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: Cast | undefined;
let folder: string | undefined;
/** What the sending journey got, for the receiving one. */
let confirmationNumber: string | undefined;

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

before(async () => {
  served = await startServedApp();
  launched = await launchBrowser();
  const ministry = await served.factories.organization("ministry");
  const city = await served.factories.organization("municipality", "Ville de Val-des-Essais");
  const sender = await senderWithProcuration(served, city, ministry.id, {
    firstName: "Julie",
    lastName: "Perreault",
  });
  const receiver = await served.factories.user(ministry, { firstName: "Valérie", lastName: "Poirier" });
  await assignRecipientStaff(served.database.db, "pga-eau", receiver.id, served.clock());
  folder = await mkdtemp(join(tmpdir(), "guichet-journey-"));
  const geoCode = city.geoCode ?? "";
  const files = [];
  for (const [name, content] of [
    [`${geoCode} Démarche.pdf`, minimalPdf(466_903)],
    [`${geoCode} Résolution.pdf`, minimalPdf(120_000)],
    [`${geoCode} Formulaire.xlsx`, minimalXlsx()],
  ] as const) {
    const path = join(folder, name);
    await writeFile(path, content);
    files.push({ name, path, sha256: sha256(content) });
  }
  cast = { sender, receiver, files };
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

/**
 * From « Mes services en ligne » to PGA-Eau's instructions, as steps 3 and 4 of the seed: with the page's script,
 * choosing is enough (the instructions come at once and « Afficher les consignes » is not shown); without it, the
 * button shows them.
 */
async function openPgaEau(page: Page, scripted = true): Promise<void> {
  await page
    .getByRole("region", { name: "Mes services en ligne", exact: true })
    .getByRole("link", { name: "Transmettre des fichiers", exact: true })
    .click();
  await page.getByRole("heading", { level: 1, name: "Transfert de fichiers", exact: true }).waitFor();
  const recipient = page.getByLabel("Destinataire", { exact: true });
  assert.equal(await recipient.locator("option").first().textContent(), "Veuillez choisir");
  const show = page.getByRole("button", { name: "Afficher les consignes", exact: true });
  const chosen = page.getByRole("heading", { level: 2, name: PGA_EAU, exact: true });
  if (scripted) {
    await show.waitFor({ state: "hidden" });
    await recipient.selectOption({ label: PGA_EAU });
  } else {
    await recipient.selectOption({ label: PGA_EAU });
    assert.equal(await chosen.count(), 0, "without the script, nothing before the button");
    await show.click();
  }
  await chosen.waitFor();
  await page.getByText("Seules les extensions suivantes sont permises : pdf, xlsx").waitFor();
  assert.match(page.url(), /[?&]destinataire=pga-eau\b/);
}

test("a municipal user sends three files to PGA-Eau through the progress-bar script, and sees the confirmation number", async () => {
  const { t, browser, people } = setup();
  const { context, page } = await newPage(browser, { acceptDownloads: true });
  try {
    await screenshotOnFailure(page, "transfer-send", async () => {
      const scripted: string[] = [];
      page.on("request", (request) => {
        if (request.method() === "POST" && request.url().includes("/fichiers?_csrf="))
          scripted.push(request.headers().accept ?? "");
      });
      await signIn(page, t.baseUrl, people.sender);
      await openPgaEau(page);
      for (const file of people.files) {
        await page.getByLabel("Fichier à ajouter", { exact: true }).setInputFiles(file.path);
        await page.getByRole("button", { name: "Ajouter un fichier", exact: true }).click();
        await page.getByText(`Le fichier « ${file.name} » a été ajouté.`, { exact: true }).waitFor();
      }
      assert.equal(scripted.length, 3);
      assert.ok(
        scripted.every((accept) => accept.includes("application/json")),
        "each file went through the page's script (XMLHttpRequest with its progress bar)",
      );
      const rows = page.locator("table.staged-files tbody tr");
      assert.equal(await rows.count(), 3);
      const first = people.files[0];
      assert.ok(first);
      await page
        .getByRole("row", { name: new RegExp(`^${escapeRegExp(first.name)} 456 Ko Supprimer`) })
        .waitFor();
      await page
        .getByRole("checkbox", { name: /^Je certifie que les documents ci-dessus sont conformes/ })
        .check();
      await page.getByRole("button", { name: "Transférer", exact: true }).click();
      const notice = page.getByRole("status").filter({ hasText: "Le transfert s'est déroulé avec succès." });
      const text = (await notice.textContent()) ?? "";
      const match =
        /^Le transfert s'est déroulé avec succès\. Le numéro de confirmation est le\s: (\d{10})$/.exec(
          text.trim(),
        );
      assert.ok(match?.[1], `the green notice: ${text}`);
      confirmationNumber = match[1];
      assert.equal(await page.getByLabel("Destinataire", { exact: true }).inputValue(), "");
    });
  } finally {
    await context.close();
  }
});

test("the receiving unit finds the transfer in its inbox and downloads the three files unchanged", async () => {
  const { t, browser, people } = setup();
  assert.ok(confirmationNumber, "the sending journey ran first");
  const { context, page } = await newPage(browser, { acceptDownloads: true });
  try {
    await screenshotOnFailure(page, "transfer-receive", async () => {
      await signIn(page, t.baseUrl, people.receiver);
      await page
        .getByRole("region", { name: "Mes services en ligne", exact: true })
        .getByRole("link", { name: "Fichiers reçus", exact: true })
        .click();
      await page.getByRole("link", { name: PGA_EAU, exact: true }).click();
      await page.getByRole("heading", { level: 1, name: `Fichiers reçus — ${PGA_EAU}` }).waitFor();
      const row = page.getByRole("row").filter({ hasText: confirmationNumber ?? "" });
      await row.waitFor();
      assert.match((await row.textContent()) ?? "", /Ville de Val-des-Essais/);
      for (const file of people.files) {
        const downloading = page.waitForEvent("download");
        await row.getByRole("link", { name: file.name, exact: true }).click();
        const download = await downloading;
        assert.equal(download.suggestedFilename(), file.name);
        const saved = await download.path();
        assert.equal(sha256(await readFile(saved)), file.sha256, `${file.name} arrives unchanged`);
      }
    });
  } finally {
    await context.close();
  }
});

test("without JavaScript the same page adds a file and removes it", async () => {
  const { t, browser, people } = setup();
  const { context, page } = await newPage(browser, { acceptDownloads: true, javaScriptEnabled: false });
  try {
    await screenshotOnFailure(page, "transfer-no-js", async () => {
      await signIn(page, t.baseUrl, people.sender);
      await openPgaEau(page, false);
      const file = people.files[2];
      assert.ok(file);
      await page.getByLabel("Fichier à ajouter", { exact: true }).setInputFiles(file.path);
      await page.getByRole("button", { name: "Ajouter un fichier", exact: true }).click();
      // « remplacé » when an earlier journey left the same name in the draft.
      await page
        .getByText(new RegExp(`^Le fichier «\\s${escapeRegExp(file.name)}\\s» a (été ajouté|remplacé)`))
        .waitFor();
      await page.getByRole("button", { name: `Supprimer : ${file.name}`, exact: true }).click();
      await page.getByText(`Le fichier « ${file.name} » a été retiré.`, { exact: true }).waitFor();
      await page.getByText("Aucun fichier n'a encore été ajouté.").waitFor();
    });
  } finally {
    await context.close();
  }
});
