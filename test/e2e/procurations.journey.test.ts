// A browser journey through seed 003 « Création d'une procuration interne »: an RSE gives a user access rights
// (« Gestion des droits d'accès »), then creates a restricted procuration and assigns it to another user
// (« Gestion des procurations »); each user then finds what they hold on « Mon profil ».
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { montrealDay } from "../../src/util/days.js";
import {
  launchBrowser,
  type ServedApp,
  screenshot,
  screenshotOnFailure,
  startServedApp,
} from "../support/browser.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { button, field, heading, link, newPage, pathOf, signIn } from "../support/journey.js";
import { escapeRegExp } from "../support/text.js";

const PROCURATION_NAME = "Infrastructures – PIQM";
const PIQM = /^D34-PIQM — /;

type Cast = {
  org: MadeOrganization;
  ministry: MadeOrganization;
  officer: MadeUser;
  /** Gets unrestricted access rights through « Gestion des droits d'accès ». */
  alain: MadeUser;
  /** Holds « Infrastructures – PIQM », made and assigned through « Gestion des procurations ». */
  beatrice: MadeUser;
};

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: Cast | undefined;
/** What the earlier journeys gave, for the « Mon profil » journey that reads it. */
const granted = { alain: false, beatrice: false };

before(async () => {
  served = await startServedApp();
  launched = await launchBrowser();
  const { factories } = served;
  const org = await factories.organization("municipality", "Municipalité de Val-des-Essais");
  cast = {
    org,
    ministry: await factories.organization("ministry"),
    officer: await factories.user(org, { servicesOfficer: true, firstName: "Lucie", lastName: "Gagnon" }),
    alain: await factories.user(org, { firstName: "Alain", lastName: "Bouchard" }),
    beatrice: await factories.user(org, { firstName: "Béatrice", lastName: "Côté" }),
  };
});

after(async () => {
  await launched?.close();
  await served?.close();
});

const MONTHS_FR = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
];

/** The last day of the month `months` after today's, as a date input takes it (YYYY-MM-DD) and as a French reader sees it. */
function endOfMonthAhead(today: string, months: number): { iso: string; french: string } {
  const match = /^(\d{4})-(\d{2})-\d{2}$/.exec(today);
  assert.ok(match?.[1] && match[2], `not a day: ${today}`);
  // Day 0 of the following month is the last day of the month wanted.
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1 + months + 1, 0));
  const iso = date.toISOString().slice(0, 10);
  return { iso, french: `${date.getUTCDate()} ${MONTHS_FR[date.getUTCMonth()]} ${date.getUTCFullYear()}` };
}

function setup(): { t: ServedApp; browser: Browser; people: Cast; today: string } {
  assert.ok(served && launched && cast, "the app, the browser and the people should have been set up");
  // The server's « today » comes from the test clock (2026-11-22), not from the real date.
  return { t: served, browser: launched, people: cast, today: montrealDay(served.clock()) };
}

/** The text of the definition (dd) that follows the term (dt) with this text, in a details list. */
async function detail(page: Page, term: string): Promise<string> {
  const dd = page
    .locator("dl.details > dt", { hasText: new RegExp(`^${escapeRegExp(term)}$`) })
    .locator("xpath=following-sibling::dd[1]");
  return ((await dd.textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** The names and codes listed under « Titulaires » on a procuration's page. */
async function holdersOn(page: Page): Promise<string[]> {
  const list = page
    .getByRole("heading", { level: 2, name: "Titulaires", exact: true })
    .locator("xpath=following-sibling::*[1]");
  const items = await list.getByRole("listitem").allTextContents();
  return items.map((text) => text.replace(/\s*Retirer\s*$/, "").trim());
}

test("an RSE gives a user access rights through « Gestion des droits d'accès »", async () => {
  const { t, browser, people, today } = setup();
  const { alain, ministry } = people;
  const end = endOfMonthAhead(today, 6);
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "access-rights-journey", async () => {
      await signIn(page, t.baseUrl, people.officer);

      // Home, then the tool of the seed's first path.
      await page
        .getByRole("region", { name: "Gestion des dossiers des utilisateurs" })
        .getByRole("link", { name: "Gestion des droits d'accès", exact: true })
        .click();
      await heading(page, "Gestion des droits d'accès");

      // The user concerned, then « Continuer ».
      await field(page, "Utilisateur").selectOption({
        label: `Bouchard, Alain (${alain.userCode})`,
      });
      await button(page, "Continuer").click();
      await heading(page, "Droits d'accès de l'utilisateur");
      await page.getByText(`Procuration pour Alain Bouchard (${alain.userCode})`, { exact: true }).waitFor();

      // The end date, the ministry, and all tasks (the choice already made).
      await field(page, "Date de fin").fill(end.iso);
      await page.getByRole("checkbox", { name: ministry.name, exact: true }).check();
      const access = page.getByRole("group", { name: "Accès à MAMH", exact: true });
      const unrestricted = access.getByRole("radio", { name: /^Accès sans restriction/ });
      assert.ok(
        await unrestricted.isChecked(),
        "« Accès sans restriction » should be the choice already made",
      );
      await button(page, "Continuer").click();

      // The summary to check before « Transmettre ».
      await heading(page, "Résumé");
      await page.getByText(`Procuration pour Alain Bouchard (${alain.userCode})`, { exact: true }).waitFor();
      assert.equal(await detail(page, "Date de fin"), end.french);
      const scope = await detail(page, "Ministères et organismes");
      assert.match(scope, new RegExp(`^${escapeRegExp(ministry.name)} — Accès sans restriction`));
      assert.doesNotMatch(scope, /D\d\d-/, "an unrestricted scope lists no service");
      await button(page, "Transmettre").click();

      // Made and assigned in one step: Alain already holds it.
      await page
        .getByRole("status")
        .filter({ hasText: /La procuration a été créée et assignée à Alain Bouchard\./ })
        .waitFor();
      assert.match(pathOf(page), /^\/procurations\/\d+$/);
      assert.deepEqual(await holdersOn(page), [`Alain Bouchard (${alain.userCode})`]);
      assert.equal(await detail(page, "Date de fin"), end.french);
      assert.equal(await detail(page, "État"), "En vigueur");
    });
    granted.alain = true;
  } finally {
    await context.close();
  }
});

test("an RSE creates a restricted procuration in « Gestion des procurations », is told what is missing, and assigns it", async (testContext) => {
  const { t, browser, people, today } = setup();
  const { beatrice, ministry } = people;
  const end = endOfMonthAhead(today, 7);
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "procurations-journey", async () => {
      await signIn(page, t.baseUrl, people.officer);
      await link(page, "Gestion des procurations").click();
      await heading(page, "Gestion des procurations");
      await link(page, "Ajouter").click();
      await heading(page, "Ajouter une procuration");
      await link(page, "Interne").click();
      await heading(page, "Nouvelle procuration interne");

      await field(page, "Nom de la procuration").fill(PROCURATION_NAME);
      await field(page, "Date de fin").fill(end.iso);

      // « Continuer » with no ministry: the form comes back with an error summary that links to the field.
      await button(page, "Continuer").click();
      const alert = page.getByRole("alert");
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? "", /Le formulaire contient des erreurs/);
      const toField = alert.getByRole("link", {
        name: "Ministères et organismes : Sélectionnez au moins un ministère ou organisme.",
        exact: true,
      });
      assert.equal(await alert.getByRole("link").count(), 1, "only the missing ministry is an error");
      await heading(page, "Nouvelle procuration interne");
      // What was typed is kept.
      assert.equal(await field(page, "Nom de la procuration").inputValue(), PROCURATION_NAME);
      assert.equal(await field(page, "Date de fin").inputValue(), end.iso);
      // The link is reached from the keyboard and leads to the ministries, where the message is repeated.
      await toField.focus();
      assert.ok(
        await toField.evaluate((element) => element === document.activeElement),
        "the error link should take the focus",
      );
      // The link leads into the group: its first checkbox takes the focus, and says the group's error.
      await page.keyboard.press("Enter");
      await page.waitForURL((url) => url.hash === "#champ-ministeres");
      const ministries = page.getByRole("group", { name: "Ministères et organismes", exact: true });
      const first = ministries.getByRole("checkbox").first();
      assert.ok(
        await first.evaluate((element) => element === document.activeElement),
        "the ministries' first checkbox should take the focus",
      );
      const described = await first.evaluate((element) =>
        (element.getAttribute("aria-describedby") ?? "")
          .split(" ")
          .map((id) => document.getElementById(id)?.textContent ?? ""),
      );
      assert.deepEqual(described, ["Sélectionnez au moins un ministère ou organisme."]);

      // The ministry, restricted to one online service.
      await ministries.getByRole("checkbox", { name: ministry.name, exact: true }).check();
      const access = page.getByRole("group", { name: "Accès à MAMH", exact: true });
      await access.getByRole("radio", { name: "Accès avec restriction", exact: true }).check();
      const services = access.getByRole("group", { name: "Services en ligne visés", exact: true });
      assert.equal(
        await services.getByRole("checkbox").count(),
        18,
        "the ministry offers 18 online services",
      );
      await services.getByRole("checkbox", { name: PIQM }).check();
      testContext.diagnostic(`scope form screenshot: ${await screenshot(page, "procurations-scope-form")}`);
      await button(page, "Continuer").click();

      await heading(page, "Résumé");
      assert.equal(await detail(page, "Nom de la procuration"), PROCURATION_NAME);
      assert.equal(await detail(page, "Date de fin"), end.french);
      const scope = await detail(page, "Ministères et organismes");
      assert.match(scope, new RegExp(`^${escapeRegExp(ministry.name)} — Accès avec restriction`));
      assert.match(scope, /D34-PIQM — Programme d'infrastructures Québec-Municipalités/);
      assert.doesNotMatch(scope, /D35-/, "only the chosen service is listed");
      await button(page, "Transmettre").click();

      await page.getByRole("status").filter({ hasText: "La procuration a été créée." }).waitFor();
      await heading(page, `Procuration : ${PROCURATION_NAME}`);
      assert.deepEqual(await holdersOn(page), []);
      await page.getByText("Personne ne détient cette procuration.", { exact: true }).waitFor();

      // Assigning it: details, « Continuer », the users, « Continuer », the summary, « Transmettre ».
      await link(page, "Assigner").click();
      await heading(page, `Assigner la procuration : ${PROCURATION_NAME}`);
      assert.equal(await detail(page, "Date de fin"), end.french);
      await link(page, "Continuer").click();
      await heading(page, `Assigner la procuration : ${PROCURATION_NAME}`);
      await page
        .getByRole("group", { name: "Utilisateurs", exact: true })
        .getByRole("checkbox", { name: `Côté, Béatrice (${beatrice.userCode})`, exact: true })
        .check();
      await button(page, "Continuer").click();

      await heading(page, "Résumé");
      assert.equal(await detail(page, "Utilisateurs"), `Béatrice Côté (${beatrice.userCode})`);
      await button(page, "Transmettre").click();

      await page.getByRole("status").filter({ hasText: "La procuration a été assignée" }).waitFor();
      await heading(page, `Procuration : ${PROCURATION_NAME}`);
      assert.deepEqual(await holdersOn(page), [`Béatrice Côté (${beatrice.userCode})`]);

      // The list shows both procurations, each held by one person.
      await link(page, "Retour").click();
      await heading(page, "Gestion des procurations");
      const row = page.getByRole("row").filter({ hasText: PROCURATION_NAME });
      const cells = (await row.getByRole("cell").allTextContents()).map((c) => c.replace(/\s+/g, " ").trim());
      assert.equal(cells[0], PROCURATION_NAME);
      assert.equal(cells[2], end.french);
      assert.equal(cells[3], "1");
      assert.equal(cells[4], "En vigueur");
      assert.equal(
        await page.getByRole("row").filter({ hasText: "Procuration — Alain Bouchard" }).count(),
        1,
      );
      testContext.diagnostic(`list screenshot: ${await screenshot(page, "procurations-list")}`);
    });
    granted.beatrice = true;
  } finally {
    await context.close();
  }
});

test("each holder finds their procuration on « Mon profil »", async () => {
  const { t, browser, people, today } = setup();
  assert.ok(granted.alain && granted.beatrice, "the two earlier journeys should have given the procurations");
  const expected = [
    {
      user: people.alain,
      scope: "Accès sans restriction (toutes les tâches)",
      until: endOfMonthAhead(today, 6),
    },
    {
      user: people.beatrice,
      scope: "Accès avec restriction\u00a0: D34-PIQM",
      until: endOfMonthAhead(today, 7),
    },
  ];
  for (const { user, scope, until } of expected) {
    const { context, page } = await newPage(browser);
    try {
      await screenshotOnFailure(page, `profile-journey-${user.userCode}`, async () => {
        await signIn(page, t.baseUrl, user);
        // Not an RSE: no management tools on the home page.
        assert.equal(await link(page, "Gestion des procurations").count(), 0);
        await link(page, "Mon profil").click();
        await heading(page, "Mon profil");
        const mine = page.getByRole("region", { name: "Mes procurations", exact: true });
        const rows = mine.getByRole("row");
        const cells = (await rows.nth(1).getByRole("cell").allTextContents()).map((c) => c.trim());
        assert.deepEqual(cells, [people.ministry.name, scope, until.french]);
        assert.equal(await rows.count(), 2, `${user.userCode} should hold exactly one procuration`);
      });
    } finally {
      await context.close();
    }
  }
});
