// SGQRI 008 3.0 (WCAG 2.1 AA), issue #17: axe-core on every page the journeys visit, in French and in English, and
// again after an empty submission of each form; each of those pages also reflows at 640 and 320 CSS pixels (200 % and
// 400 % zoom) without the page scrolling sideways. Then what axe cannot see: a procuration's nested choices hidden
// until their ministry is ticked, group errors tied to their controls, and where the focus lands after « Ajouter un
// fichier ». One browser, one app, one signed-in context per person and per JavaScript setting.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createApplication } from "../../src/features/applications/applications.service.js";
import { assignRecipientStaff } from "../../src/features/file-transfers/file-transfers.service.js";
import { launchCampaign } from "../../src/features/reviews/reviews.service.js";
import { fileRequest } from "../../src/features/right-requests/right-requests.service.js";
import { newSubmissionKey } from "../../src/features/submissions/submissions.service.js";
import { LOCALE_COOKIE } from "../../src/web/session.js";
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
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { newPage, signIn } from "../support/journey.js";
import { SAME_IN_BOTH_MODES } from "../support/modes.js";

const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WIDE = { width: 1280, height: 720 };
/** WCAG 1.4.10: a 1280-pixel window at 200 % and at 400 % zoom. */
const NARROW_WIDTHS = [640, 320];
/**
 * axe-core itself, put in every page of a context by the browser. AxeBuilder would otherwise send its 500 kB source
 * over the wire twice per analysis, which made each page take seconds; it is then given an empty source to inject.
 */
const AXE_PATH = createRequire(import.meta.resolve("@axe-core/playwright")).resolve("axe-core/axe.min.js");

type Cast = {
  service: Service;
  city: MadeOrganization;
  /** Services officer and local manager of D34-PIQM: most pages of the portal. */
  manager: MadeUser;
  /** Services officer of a municipality without a local manager: the designation form. */
  designator: MadeUser;
  designatorGeoCode: string;
  /** Service administrator of the DGI and staff of PGA-Eau's inbox: the back office. */
  admin: MadeUser;
  /** The city's access review of D34-PIQM, launched by the ministry. */
  campaignId: number;
  /** A request for a right in the manager's registry, and an application the manager may not open. */
  rightRequestId: number;
  applicationNumber: number;
};

/** A page as checked: axe's violations (rule and first elements), and the narrow widths where the page scrolls sideways. */
type Finding = { page: string; violations: string[]; scrollsAt: string[] };

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: Cast | undefined;
let folder: string | undefined;
const findings: Finding[] = [];
const contexts = new Map<string, Promise<BrowserContext>>();

before(async () => {
  if (SAME_IN_BOTH_MODES) return;
  served = await startServedApp();
  launched = await launchBrowser();
  const t = served;
  const service = await serviceByCode(t);
  const ministry = await t.factories.organization("ministry");
  const admin = await t.factories.user(ministry, {
    serviceAdminUnit: "DGI",
    firstName: "Denis",
    lastName: "Roy",
  });
  await assignRecipientStaff(t.database.db, "pga-eau", admin.id, t.clock());
  const city = await t.factories.organization("municipality", "Municipalité de Val-des-Essais");
  const manager = await makeLocalManager(t, city, service);
  const requester = await userWithProcuration(t, city, service, { firstName: "Julie", lastName: "Tremblay" });
  const target = { service, organizationId: city.id };
  await grant(t, manager, target, requester, "requester.write");
  const firm = await makeFirm(t, service);
  const consultant = await associatedConsultant(t, firm, { firstName: "Alexandre", lastName: "Roy" });
  await grant(t, manager, target, consultant, "agent.write");
  const created = await createApplication(t.ctx(requester.actor), target, {
    title: "Réfection du pont de la rivière aux Sables",
    key: newSubmissionKey(),
  });
  assert.ok(created.ok);
  const asking = await userWithProcuration(t, city, service, { firstName: "Sophie", lastName: "Demandeuse" });
  const filed = await fileRequest(t.ctx(asking.actor), service, {
    organization: String(city.id),
    right: "requester.read",
    dossier: "",
    message: "Pour suivre les demandes de la municipalité.",
    submissionKey: newSubmissionKey(),
  });
  assert.ok(filed.ok);
  const rightRequest = await t.database.db
    .selectFrom("right_request")
    .select("id")
    .where("user_id", "=", asking.id)
    .executeTakeFirstOrThrow();
  const other = await t.factories.organization("municipality", "Municipalité de Mont-Témoin");
  const designator = await t.factories.user(other, { servicesOfficer: true, firstName: "Paul" });
  const review = await launchCampaign(t.ctx(admin.actor), { service: String(service.id) });
  assert.ok(review.ok && review.opened > 0);
  const campaign = await t.database.db
    .selectFrom("review_campaign")
    .select("id")
    .where("organization_id", "=", city.id)
    .executeTakeFirstOrThrow();
  folder = await mkdtemp(join(tmpdir(), "guichet-a11y-"));
  cast = {
    service,
    city,
    manager,
    designator,
    designatorGeoCode: other.geoCode ?? "",
    admin,
    campaignId: campaign.id,
    rightRequestId: rightRequest.id,
    applicationNumber: created.number,
  };
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

/** The person's signed-in context (one per person and JavaScript setting, reused by every test that needs it). */
function contextOf(
  who: (people: Cast) => MadeUser | null,
  javaScriptEnabled = true,
): Promise<BrowserContext> {
  const { t, browser, people } = setup();
  const person = who(people);
  const key = `${person?.userCode ?? "anonymous"}:${javaScriptEnabled}`;
  let context = contexts.get(key);
  if (!context) {
    context = (async () => {
      const made = await newPage(browser, { javaScriptEnabled });
      await made.context.addInitScript({ path: AXE_PATH });
      await made.page.setViewportSize(WIDE);
      if (person)
        await screenshotOnFailure(made.page, "a11y-sign-in", () => signIn(made.page, t.baseUrl, person));
      return made.context;
    })();
    contexts.set(key, context);
  }
  return context;
}

async function pageOf(who: (people: Cast) => MadeUser | null, javaScriptEnabled = true): Promise<Page> {
  const context = await contextOf(who, javaScriptEnabled);
  const [page] = context.pages();
  assert.ok(page, "the context keeps its page");
  return page;
}

/** Runs axe on the page as it stands, then narrows the window and measures the page's width. */
async function check(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("load");
  const results = await new AxeBuilder({ page, axeSource: ";" })
    .withTags(WCAG_21_AA)
    .options({ resultTypes: ["violations"] })
    .setLegacyMode(true)
    .analyze();
  const scrollsAt: string[] = [];
  for (const width of NARROW_WIDTHS) {
    await page.setViewportSize({ ...WIDE, width });
    const wider = await page.evaluate(() => {
      const root = document.documentElement;
      if (root.scrollWidth <= root.clientWidth) return null;
      // The outermost elements that reach past the window's right edge: what to fix. (No named function in here:
      // tsx would wrap it in a helper the page does not have.)
      const edge = root.clientWidth + 0.5;
      return [...document.body.querySelectorAll("*")]
        .filter(
          (element) =>
            element.getBoundingClientRect().right > edge &&
            !((element.parentElement?.getBoundingClientRect().right ?? 0) > edge),
        )
        .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`);
    });
    if (wider) scrollsAt.push(`${width} px: ${wider.join(", ")}`);
  }
  await page.setViewportSize(WIDE);
  findings.push({
    page: name,
    violations: results.violations.map(
      (v) => `${v.id}: ${v.nodes.map((node) => node.target.join(" ")).join(" | ")}`,
    ),
    scrollsAt,
  });
}

/** A visit: how to reach the page (its address, or its form sent empty) from wherever the browser stands. */
type Visit = { name: string; open(page: Page, t: ServedApp, people: Cast): Promise<unknown> };

const go = (name: string, path: (people: Cast) => string): Visit => ({
  name,
  open: (page, t, people) => page.goto(`${t.baseUrl}${path(people)}`),
});

/** Opens the form's page, then presses its submit button (the first matching `button`) with the fields as given. */
const sentEmpty = (
  name: string,
  path: (people: Cast) => string,
  button = "main form button[type=submit]",
): Visit => ({
  name: `${name}, sent empty`,
  open: async (page, t, people) => {
    await page.goto(`${t.baseUrl}${path(people)}`);
    await Promise.all([page.waitForNavigation(), page.locator(button).first().click()]);
  },
});

/** Visits each page in French, then in English (the language cookie the header's switch sets). */
async function audit(who: (people: Cast) => MadeUser | null, name: string, visits: Visit[]): Promise<void> {
  const { t, people } = setup();
  const page = await pageOf(who);
  await screenshotOnFailure(page, name, async () => {
    for (const locale of ["fr", "en"] as const) {
      await page.context().addCookies([{ name: LOCALE_COOKIE, value: locale, url: t.baseUrl }]);
      for (const visit of visits) {
        await visit.open(page, t, people);
        await check(page, `${visit.name} (${locale})`);
      }
    }
    await page.context().addCookies([{ name: LOCALE_COOKIE, value: "fr", url: t.baseUrl }]);
  });
}

const D34 = (people: Cast) => `/services/${encodeURIComponent(people.service.code)}`;
const CITY = (people: Cast) => `${D34(people)}/organisations/${people.city.id}`;
const PGA_EAU = "/transfert-fichiers?destinataire=pga-eau";

test("the sign-in page, and after an empty submission", { skip: SAME_IN_BOTH_MODES }, () =>
  audit(() => null, "a11y-sign-in", [
    go("sign-in", () => "/connexion"),
    sentEmpty("sign-in", () => "/connexion"),
  ]),
);

test(
  "the services officer's and local manager's pages, and their forms sent empty",
  { skip: SAME_IN_BOTH_MODES },
  () =>
    audit((p) => p.manager, "a11y-manager", [
      go("home", () => "/"),
      go("services", () => "/services"),
      go("profile", () => "/profil"),
      go("account security", () => "/profil/securite"),
      sentEmpty("password change", () => "/profil", "main form[action='/profil/mot-de-passe'] button"),
      go("users", () => "/utilisateurs"),
      go("new user", () => "/utilisateurs/nouveau"),
      sentEmpty("new user", () => "/utilisateurs/nouveau"),
      go("procurations", () => "/procurations"),
      go("new procuration", () => "/procurations/nouvelle"),
      sentEmpty("new procuration", () => "/procurations/nouvelle"),
      go("access rights", () => "/droits-acces"),
      go("service space", D34),
      go("registry", (p) => `${CITY(p)}/registre`),
      go("new registration", (p) => `${CITY(p)}/registre/inscription`),
      sentEmpty("new registration", (p) => `${CITY(p)}/registre/inscription`),
      go("who has access", (p) => `${CITY(p)}/qui-a-acces`),
      go("access journal", () => "/journal"),
      go("access journal, bad filters", () => "/journal?personne=abc&du=2026-02-30&au=hier"),
      go("access journal of a service", (p) => `/journal?service=${encodeURIComponent(p.service.code)}`),
      go("my history", () => "/profil/historique"),
      go("access review of a service", (p) => `${CITY(p)}/revue`),
      go("access reviews of the organization", () => "/revues"),
      go("an access review", (p) => `/revues/${p.campaignId}`),
      go("applications", (p) => `${CITY(p)}/demandes`),
      go("mandates", () => "/mandats"),
      sentEmpty(
        "mandates",
        () => "/mandats",
        "main form[action='/mandats/verification'] button[type=submit]",
      ),
      go("file transfer", () => PGA_EAU),
      sentEmpty("file transfer's « Ajouter un fichier »", () => PGA_EAU, "main form.upload-form button"),
      sentEmpty("file transfer's « Transférer »", () => PGA_EAU, "main form.transfer-form button"),
      go("transfer history", () => "/transfert-fichiers/historique"),
      go("ask for access", (p) => `${D34(p)}/demander-un-acces`),
      sentEmpty("ask for access", (p) => `${D34(p)}/demander-un-acces?organisation=`),
      go("my access requests", () => "/demandes-d-acces"),
      go("access requests received", () => "/demandes-d-acces/recues"),
      go("access request received", (p) => `/demandes-d-acces/recues/${p.rightRequestId}`),
      sentEmpty(
        "access request's refusal",
        (p) => `/demandes-d-acces/recues/${p.rightRequestId}`,
        "main form[action$='/refus'] button[type=submit]",
      ),
      go("refusal page with what is missing", (p) => `${D34(p)}/demandes/${p.applicationNumber}`),
    ]),
);

test(
  "the designation form of a local manager, and after empty submissions",
  { skip: SAME_IN_BOTH_MODES },
  () =>
    audit((p) => p.designator, "a11y-designation", [
      go("access request", (p) => `${D34(p)}/demande-acces`),
      go("designation form", (p) => `${D34(p)}/demande-acces/municipalite`),
      sentEmpty("designation form's step 1", (p) => `${D34(p)}/demande-acces/municipalite`),
      sentEmpty(
        "designation form",
        (p) => `${D34(p)}/demande-acces/municipalite?codeGeographique=${p.designatorGeoCode}`,
        "main form button[value=soumettre]",
      ),
    ]),
);

test("the ministry's inbox and back office", { skip: SAME_IN_BOTH_MODES }, () =>
  audit((p) => p.admin, "a11y-ministry", [
    go("inboxes", () => "/transfert-fichiers/reception"),
    go("inbox", () => "/transfert-fichiers/reception/pga-eau"),
    go("back office", () => "/ministere"),
    go("access requests", () => "/ministere/demandes"),
    go("managers", () => "/ministere/gestionnaires"),
    go("identification codes", () => "/ministere/codes-identification"),
    go("transmitted applications", () => "/ministere/demandes-transmises"),
    go("access reviews' completion", () => "/ministere/revues"),
    go("access reviews' completion, bad filter", () => "/ministere/revues?service=abc"),
    go("access reviews' lines of the managers", () => "/ministere/revues/lignes"),
    sentEmpty(
      "access review launch",
      () => "/ministere/revues",
      "main form[method=post] button[type=submit]",
    ),
  ]),
);

test("every page above has no axe violation (WCAG 2.1 AA) and does not scroll sideways at 640 and 320 px", {
  skip: SAME_IN_BOTH_MODES,
}, () => {
  console.log(
    JSON.stringify({
      axeViolationsByPage: Object.fromEntries(findings.map((f) => [f.page, f.violations.length])),
      scrollingSideways: findings
        .filter((f) => f.scrollsAt.length > 0)
        .map((f) => `${f.page} at ${f.scrollsAt}`),
    }),
  );
  assert.ok(findings.length >= 70, `${findings.length} pages checked`);
  assert.deepEqual(
    findings.filter((f) => f.violations.length > 0 || f.scrollsAt.length > 0),
    [],
  );
});

/** Whether the element is shown (display: none hides it from the page and from assistive technologies). */
const shown = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((element) => element.checkVisibility());

test("without JavaScript, a procuration's nested choices are hidden, not greyed, until their ministry is ticked", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const page = await pageOf((p) => p.manager, false);
  const { t } = setup();
  await screenshotOnFailure(page, "a11y-procuration-choices", async () => {
    await page.goto(`${t.baseUrl}/procurations/nouvelle`);
    const choice = ".ministry-choice";
    assert.equal(await shown(page, `${choice} > fieldset.nested`), false, "access choices hidden");
    await page.locator(`${choice} > label input`).first().check();
    assert.equal(await shown(page, `${choice} > fieldset.nested`), true, "access choices shown once ticked");
    assert.equal(await shown(page, `${choice} fieldset.services`), false, "services hidden until restricted");
    await page.locator(`${choice} input[value=restreinte]`).first().check();
    assert.equal(await shown(page, `${choice} fieldset.services`), true);
    const opacity = await page
      .locator(`${choice} > fieldset.nested`)
      .first()
      .evaluate((element) => getComputedStyle(element).opacity);
    assert.equal(opacity, "1");
  });
});

/** The texts of the elements that the focused element's aria-describedby names. */
const focusedDescription = (page: Page) =>
  page.evaluate(() =>
    (document.activeElement?.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? ""),
  );

test("a group's error is tied to its controls, and the summary's link moves the focus to the group's first control", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const { t } = setup();
  const page = await pageOf((p) => p.manager, false);
  await screenshotOnFailure(page, "a11y-group-errors", async () => {
    // The procuration's ministries, sent with none ticked.
    await page.goto(`${t.baseUrl}/procurations/nouvelle`);
    await Promise.all([page.waitForNavigation(), page.locator("main form button[type=submit]").click()]);
    await page.getByRole("link", { name: /^Ministères et organismes\s: / }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "ministeres");
    assert.deepEqual(await focusedDescription(page), ["Sélectionnez au moins un ministère ou organisme."]);
    const described = await page
      .locator("input[name=ministeres]")
      .evaluateAll((inputs) =>
        inputs.every((input) => input.getAttribute("aria-describedby") === "champ-ministeres-erreur"),
      );
    assert.ok(described, "every ministry's checkbox is described by the group's error");

    // The transfer's files, transferred with none added: the link leads to the file field that mends it.
    await page.goto(`${t.baseUrl}${PGA_EAU}`);
    await page.locator("#champ-certification").check();
    await Promise.all([page.waitForNavigation(), page.locator("main form.transfer-form button").click()]);
    const link = page.locator(".error-summary a[href='#champ-fichier']");
    assert.equal(await link.count(), 1, "the files' error links to the file field");
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "champ-fichier");
    const description = await focusedDescription(page);
    assert.ok(
      description.includes("Ajoutez au moins un fichier avant de transférer."),
      description.join(" / "),
    );
  });
});

test("after « Ajouter un fichier » the focus lands on the list of files, with JavaScript and without", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const { t, people } = setup();
  assert.ok(folder);
  const file = join(folder, `${people.city.geoCode} Démarche.pdf`);
  await writeFile(file, minimalPdf(20_000));
  for (const javaScriptEnabled of [true, false]) {
    const page = await pageOf((p) => p.manager, javaScriptEnabled);
    await screenshotOnFailure(page, `a11y-file-added-js-${javaScriptEnabled}`, async () => {
      await page.goto(`${t.baseUrl}${PGA_EAU}`);
      await page.getByLabel("Fichier à ajouter", { exact: true }).setInputFiles(file);
      await page.getByRole("button", { name: "Ajouter un fichier", exact: true }).click();
      await page.getByText(/^Le fichier «\s.*\s» a (été ajouté|remplacé)/).waitFor();
      await page.waitForFunction(() => document.activeElement?.id === "fichiers");
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Fichiers à transférer");
    });
  }
});

test("at 320 px a wide table scrolls inside its own named, focusable region, not the page", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const { t, people } = setup();
  const page = await pageOf((p) => p.manager);
  await screenshotOnFailure(page, "a11y-table-regions", async () => {
    await page.setViewportSize({ ...WIDE, width: 320 });
    for (const [path, name] of [
      [`${CITY(people)}/registre`, "Registre des droits d'accès"],
      ["/utilisateurs", `Utilisateurs de ${people.city.name}`],
    ] as const) {
      await page.goto(`${t.baseUrl}${path}`);
      const region = page.getByRole("region", { name, exact: true });
      assert.equal(await region.getAttribute("tabindex"), "0", `${name}: the region takes the focus`);
      assert.equal(await region.getByRole("table", { name, exact: true }).count(), 1);
      const { inside, page: pageScrolls } = await region.evaluate((element) => ({
        inside: element.scrollWidth > element.clientWidth,
        page: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      }));
      assert.deepEqual({ inside, pageScrolls }, { inside: true, pageScrolls: false }, name);
    }
    await page.setViewportSize(WIDE);
  });
});
