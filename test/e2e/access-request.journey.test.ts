// A browser journey through an access request (seed 002): a municipality's RSE designates a local access rights manager
// for D34-PIQM (« Services en ligne », the designation form with its « Chercher » steps and the identification code),
// the ministry's service administrator approves it in the back office, and the person designated finds the service in
// « Mes services en ligne » and their nomination in their mailbox. Then a wrong identification code, which files nothing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { issueIdentificationCode } from "../../src/features/identification-codes/identification-codes.service.js";
import {
  launchBrowser,
  type ServedApp,
  screenshot,
  screenshotOnFailure,
  startServedApp,
} from "../support/browser.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { button, field, heading, link, newPage, pathOf, signIn, squeeze } from "../support/journey.js";
import { readMailbox } from "../support/mailbox.js";
import { escapeRegExp } from "../support/text.js";

const SERVICE = "D34-PIQM";
const SERVICE_TITLE = "D34-PIQM — Programme d'infrastructures Québec-Municipalités";
const FORM_TITLE =
  "Formulaire de désignation d'un gestionnaire local des droits d'accès pour une municipalité";
const DESIGNATED_STEP = "Étape 2 – Identifiez le gestionnaire local des droits d'accès";
const THANKS = "Merci, votre demande a été envoyée avec succès à la Direction générale des infrastructures.";
const LOCAL_MANAGER = "Gestionnaire local des droits d'accès";

/** The person in authority, as the RSE types them. */
const AUTHORITY = {
  civility: "Mme",
  lastName: "Lavoie",
  firstName: "Hélène",
  jobTitle: "Directrice générale",
  phone: "418 555-0199",
  extension: "123",
  email: "direction@val-des-essais.example",
};

/** A municipality with its services officer, the person to designate and its identification code. */
type Municipality = {
  org: MadeOrganization;
  geoCode: string;
  officer: MadeUser;
  designated: MadeUser;
  code: string;
};

type Cast = {
  /** Files the request that is approved. */
  main: Municipality;
  /** Types a wrong identification code. */
  other: Municipality;
  /** The DGI's service administrator, in the ministry that offers D34-PIQM. */
  admin: MadeUser;
};

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: Cast | undefined;
/** What the earlier journeys did, for the journeys that build on it. */
const done = { filed: false, approved: false };

async function municipality(
  t: ServedApp,
  admin: MadeUser,
  name: string,
  address: { civic: string; street: string; city: string; postalCode: string },
  people: { officer: [string, string]; designated: [string, string] },
): Promise<Municipality> {
  const org = await t.factories.organization("municipality", name);
  assert.ok(org.geoCode, "a municipality has a geoCode");
  await t.database.db
    .updateTable("organization")
    .set({
      civic_number: address.civic,
      street: address.street,
      city: address.city,
      postal_code: address.postalCode,
    })
    .where("id", "=", org.id)
    .execute();
  const [officerFirst, officerLast] = people.officer;
  const [designatedFirst, designatedLast] = people.designated;
  const officer = await t.factories.user(org, {
    servicesOfficer: true,
    firstName: officerFirst,
    lastName: officerLast,
  });
  const designated = await t.factories.user(org, { firstName: designatedFirst, lastName: designatedLast });
  // The code the municipality would have received by mail; only the service administrator may issue it.
  const { code } = await issueIdentificationCode(t.ctx(admin.actor), org.id);
  return { org, geoCode: org.geoCode, officer, designated, code };
}

before(async () => {
  served = await startServedApp();
  launched = await launchBrowser();
  const ministry = await served.factories.organization("ministry");
  const admin = await served.factories.user(ministry, {
    serviceAdminUnit: "DGI",
    firstName: "Denis",
    lastName: "Roy",
  });
  cast = {
    admin,
    main: await municipality(
      served,
      admin,
      "Municipalité de Val-des-Essais",
      { civic: "12", street: "rue de l'Hôtel-de-Ville", city: "Val-des-Essais", postalCode: "G0A 1A0" },
      { officer: ["Lucie", "Gagnon"], designated: ["Marc", "Tremblay"] },
    ),
    other: await municipality(
      served,
      admin,
      "Municipalité de Mont-Témoin",
      { civic: "3", street: "chemin du Lac", city: "Mont-Témoin", postalCode: "J0T 1B0" },
      { officer: ["Paul", "Fortin"], designated: ["Sophie", "Morin"] },
    ),
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

/** The text of the definition (dd) that follows the first term (dt) with this text, inside scope. */
async function detail(scope: Page | Locator, term: string): Promise<string> {
  const dd = scope
    .locator("dt", { hasText: new RegExp(`^${escapeRegExp(term)}$`) })
    .first()
    .locator("xpath=following-sibling::dd[1]");
  return squeeze(await dd.textContent());
}

/** From the home page: « Services en ligne », D34-PIQM under Infrastructures, then the municipality's form. */
async function openDesignationForm(page: Page): Promise<void> {
  await page
    .getByRole("region", { name: "Mes services en ligne", exact: true })
    .getByRole("link", { name: "Tous les services en ligne", exact: true })
    .click();
  await heading(page, "Services en ligne");
  const card = page
    .getByRole("region", { name: "Infrastructures", exact: true })
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: SERVICE_TITLE, exact: true }) });
  assert.equal(await card.count(), 1, `${SERVICE} is listed once under Infrastructures`);
  await card.getByRole("link", { name: `Demander l'accès au service : ${SERVICE}`, exact: true }).click();
  await heading(page, `Demande d'accès au service en ligne ${SERVICE}`);
  await link(page, FORM_TITLE).click();
  await heading(page, FORM_TITLE);
}

/** Step 1: the municipality by its geoCode; its name and address then appear, read-only. */
async function findMunicipality(page: Page, who: Municipality): Promise<void> {
  await field(page, "Code géographique").fill(who.geoCode);
  await button(page, "Chercher").click();
  await field(page, "Code d'identification de la municipalité").waitFor();
  assert.equal(await detail(page, "Municipalité"), who.org.name);
}

async function fillAuthority(page: Page): Promise<void> {
  const requester = page.getByRole("group", { name: "Demandeur", exact: true });
  await field(requester, "Civilité").selectOption({ label: AUTHORITY.civility });
  await field(requester, "Nom du demandeur").fill(AUTHORITY.lastName);
  await field(requester, "Prénom du demandeur").fill(AUTHORITY.firstName);
  await field(requester, "Fonction").fill(AUTHORITY.jobTitle);
  await field(requester, "Téléphone").fill(AUTHORITY.phone);
  await field(requester, "Poste").fill(AUTHORITY.extension);
  await field(requester, "Courriel").fill(AUTHORITY.email);
}

/** What the form holds for the person in authority, as the page shows it. */
async function authorityOnForm(page: Page): Promise<typeof AUTHORITY> {
  const requester = page.getByRole("group", { name: "Demandeur", exact: true });
  return {
    civility: await field(requester, "Civilité").inputValue(),
    lastName: await field(requester, "Nom du demandeur").inputValue(),
    firstName: await field(requester, "Prénom du demandeur").inputValue(),
    jobTitle: await field(requester, "Fonction").inputValue(),
    phone: await field(requester, "Téléphone").inputValue(),
    extension: await field(requester, "Poste").inputValue(),
    email: await field(requester, "Courriel").inputValue(),
  };
}

async function requestsFor(t: ServedApp, organizationId: number) {
  return t.database.db
    .selectFrom("access_request")
    .select(["id", "status", "designated_user_id", "filed_by"])
    .where("organization_id", "=", organizationId)
    .execute();
}

test("an RSE designates a local manager for D34-PIQM through « Services en ligne »", async (testContext) => {
  const { t, browser, people } = setup();
  const { main } = people;
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "access-request-journey", async () => {
      await signIn(page, t.baseUrl, main.officer);
      await openDesignationForm(page);

      // Step 1: the geoCode, « Chercher », and the municipality's coordinates, read-only.
      await page.getByRole("heading", { level: 2, name: "Étape 1 – Identifiez la municipalité" }).waitFor();
      await findMunicipality(page, main);
      assert.equal(await detail(page, "Adresse"), "12 rue de l'Hôtel-de-Ville, Val-des-Essais G0A 1A0");
      assert.equal(await field(page, "Code géographique").inputValue(), main.geoCode);

      // The identification code received by mail, typed as a person might: lower case, without dashes.
      await field(page, "Code d'identification de la municipalité").fill(
        main.code.replace(/-/g, "").toLowerCase(),
      );
      await fillAuthority(page);

      // Step 2: the designated person's user code, « Chercher », and their coordinates, read-only.
      const designatedStep = page.getByRole("group", { name: DESIGNATED_STEP, exact: true });
      await field(designatedStep, "Code d'utilisateur de la personne désignée").fill(
        main.designated.userCode.toLowerCase(),
      );
      await button(designatedStep, "Chercher").click();
      const found = page
        .getByRole("group", { name: DESIGNATED_STEP, exact: true })
        .getByRole("heading", { level: 3, name: "Personne désignée", exact: true });
      await found.waitFor();
      const step2 = page.getByRole("group", { name: DESIGNATED_STEP, exact: true });
      assert.equal(await detail(step2, "Nom"), "Tremblay");
      assert.equal(await detail(step2, "Prénom"), "Marc");
      assert.equal(await detail(step2, "Fonction"), "Agente");
      assert.equal(await detail(step2, "Téléphone"), "418 555-0100");
      assert.equal(await detail(step2, "Courriel"), main.designated.email);
      assert.equal(
        await step2.getByRole("textbox").count(),
        1,
        "only the user code can be typed in step 2: the coordinates are read-only",
      );
      // What was typed before « Chercher » is still there.
      assert.deepEqual(await authorityOnForm(page), AUTHORITY);
      assert.equal(await field(page, "Municipalité").count(), 0, "the municipality is not an input");
      assert.equal(await detail(page, "Municipalité"), main.org.name);
      assert.equal(await page.getByRole("alert").count(), 0, "no error after the searches");
      testContext.diagnostic(`filled form screenshot: ${await screenshot(page, "access-request-form")}`);

      await button(page, "Soumettre").click();
      await page.getByRole("status").filter({ hasText: THANKS }).waitFor();
      await heading(page, "Demande d'accès envoyée");
      assert.equal(pathOf(page), `/services/${SERVICE}/demande-acces/envoyee`);

      const filed = await requestsFor(t, main.org.id);
      assert.equal(filed.length, 1, "one request was filed");
      assert.equal(filed[0]?.status, "pending");
      assert.equal(filed[0]?.designated_user_id, main.designated.id);
      assert.equal(filed[0]?.filed_by, main.officer.id);
    });
    done.filed = true;
  } finally {
    await context.close();
  }
});

test("the service administrator finds the request in the back office queue and approves it", async (testContext) => {
  const { t, browser, people } = setup();
  assert.ok(done.filed, "the RSE's journey should have filed the request");
  const { main, admin } = people;
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "access-request-approval-journey", async () => {
      await signIn(page, t.baseUrl, admin);
      await page
        .getByRole("region", { name: "Administration des services en ligne", exact: true })
        .getByRole("link", { name: "Administration des services en ligne", exact: true })
        .click();
      await heading(page, "Administration des services en ligne");
      await link(page, "Demandes d'accès").click();
      await heading(page, "Demandes d'accès");
      assert.equal(pathOf(page), "/ministere/demandes");

      const designatedLabel = `Marc Tremblay (${main.designated.userCode})`;
      const row = page.getByRole("row").filter({ hasText: main.org.name });
      assert.equal(await row.count(), 1, "the request is in the queue once");
      const cells = (await row.getByRole("cell").allTextContents()).map((c) => squeeze(c));
      assert.equal(cells[1], SERVICE);
      assert.equal(cells[2], `${main.org.name} (${main.geoCode})`);
      assert.equal(cells[3], LOCAL_MANAGER);
      assert.equal(cells[4], designatedLabel);
      assert.equal(cells[5], "En attente");
      testContext.diagnostic(`queue screenshot: ${await screenshot(page, "access-request-queue")}`);

      const [filed] = await requestsFor(t, main.org.id);
      assert.ok(filed, "the request was filed");
      await row
        .getByRole("link", { name: `Consulter : Demande d'accès no ${filed.id}`, exact: true })
        .click();
      await heading(page, `Demande d'accès no ${filed.id}`);
      assert.equal(await detail(page, "Service en ligne"), SERVICE_TITLE);
      assert.equal(await detail(page, "État"), "En attente");
      assert.equal(
        await detail(page, "Transmise par"),
        `Lucie Gagnon (${main.officer.userCode}) — ${main.officer.email}`,
      );
      const authority = page
        .getByRole("heading", { level: 2, name: "Demandeur (personne en autorité)", exact: true })
        .locator("xpath=following-sibling::dl[1]");
      assert.equal(await detail(authority, "Nom"), "Mme Hélène Lavoie");
      assert.equal(await detail(authority, "Fonction"), AUTHORITY.jobTitle);
      assert.equal(await detail(authority, "Téléphone"), "418 555-0199, poste 123");
      assert.equal(await detail(authority, "Courriel"), AUTHORITY.email);

      await page
        .getByRole("region", { name: "Approuver la demande", exact: true })
        .getByRole("button", { name: "Approuver", exact: true })
        .click();
      await page
        .getByRole("status")
        .filter({
          hasText:
            "La demande a été approuvée. Marc Tremblay est maintenant gestionnaire local des droits d'accès ; un courriel lui a été envoyé.",
        })
        .waitFor();
      assert.equal(await detail(page, "État"), "Approuvée");
      assert.equal(
        await button(page, "Approuver").count(),
        0,
        "a decided request offers no decision any more",
      );
      const [request] = await requestsFor(t, main.org.id);
      assert.equal(request?.status, "approved");
    });
    done.approved = true;
  } finally {
    await context.close();
  }
});

test("the person designated finds D34-PIQM in « Mes services en ligne » and their nomination by email", async () => {
  const { t, browser, people } = setup();
  assert.ok(done.approved, "the administrator's journey should have approved the request");
  const { main } = people;
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "access-request-designated-journey", async () => {
      await signIn(page, t.baseUrl, main.designated);
      const mine = page.getByRole("region", { name: "Mes services en ligne", exact: true });
      const items = (await mine.getByRole("listitem").allTextContents()).map((c) => squeeze(c));
      assert.deepEqual(
        items,
        [`${SERVICE_TITLE} (${LOCAL_MANAGER})`],
        "only the service where the person holds a role is listed",
      );
      assert.deepEqual(await mine.getByRole("heading", { level: 3 }).allTextContents(), ["Infrastructures"]);
      assert.equal(await mine.getByText(/Vous ne détenez aucun rôle/).count(), 0);
    });
  } finally {
    await context.close();
  }

  // Someone with no role sees none: the RSE who filed it holds nothing.
  const { context: other, page: rsePage } = await newPage(browser);
  try {
    await screenshotOnFailure(rsePage, "access-request-rse-home", async () => {
      await signIn(rsePage, t.baseUrl, main.officer);
      const mine = rsePage.getByRole("region", { name: "Mes services en ligne", exact: true });
      // No role in any service; « Transfert de fichiers » is listed because an RSE may send files (seed 004).
      const items = (await mine.getByRole("listitem").allTextContents()).map((c) => squeeze(c));
      assert.deepEqual(items, ["TRANSFERT-FICHIERS — Transfert de fichiers — Transmettre des fichiers"]);
    });
  } finally {
    await other.close();
  }

  await t.app.guichet.outbox.deliverDue();
  const mails = await readMailbox(t.config.mailDir);
  const nominations = mails.filter(
    (mail) => mail.to.includes(main.designated.email) && mail.subject.startsWith("Guichet — nomination"),
  );
  assert.equal(nominations.length, 1, "the person designated is emailed their nomination once");
  const [nomination] = nominations;
  assert.ok(nomination);
  assert.match(nomination.subject, /gestionnaire local des droits d'accès, D34-PIQM/);
  assert.match(nomination.text, /^Bonjour Marc Tremblay,/);
  assert.match(nomination.text, new RegExp(escapeRegExp(main.org.name)));
  assert.match(nomination.text, new RegExp(escapeRegExp(SERVICE_TITLE)));
  assert.match(nomination.text, /Vos droits et responsabilités\u00a0:/);
  assert.ok(nomination.text.includes(t.config.publicUrl), "the email links to the portal");
  const acknowledgements = mails.filter((mail) => mail.to.includes(AUTHORITY.email));
  assert.equal(acknowledgements.length, 1, "the person in authority got the acknowledgement");
});

test("a wrong identification code shows the error summary and files nothing", async () => {
  const { t, browser, people } = setup();
  const { other } = people;
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "access-request-wrong-code", async () => {
      await signIn(page, t.baseUrl, other.officer);
      await openDesignationForm(page);
      await findMunicipality(page, other);

      // A well-formed code, but not this municipality's (the other one's, in fact).
      const wrong = people.main.code === other.code ? "ABCD-EFGH-JKMN" : people.main.code;
      await field(page, "Code d'identification de la municipalité").fill(wrong);
      await fillAuthority(page);
      const designatedStep = page.getByRole("group", { name: DESIGNATED_STEP, exact: true });
      await field(designatedStep, "Code d'utilisateur de la personne désignée").fill(
        other.designated.userCode,
      );
      await button(page, "Soumettre").click();

      const summary = page.getByRole("alert").filter({ hasText: "Le formulaire contient des erreurs" });
      await summary.waitFor();
      assert.match(squeeze(await summary.textContent()), /Veuillez corriger 1 erreur ci-dessous\./);
      const message = "Le code d'identification est incorrect. Vérifiez le code reçu par la poste.";
      const toField = summary.getByRole("link", {
        name: `Code d'identification de la municipalité : ${message}`,
        exact: true,
      });
      assert.equal(await toField.count(), 1);
      assert.equal(await summary.getByRole("link").count(), 1, "only the identification code is wrong");
      assert.equal(await toField.getAttribute("href"), "#champ-codeIdentification");

      // Still the form: the message beside the field, which is emptied; the rest is kept.
      await heading(page, FORM_TITLE);
      const codeField = field(page, "Code d'identification de la municipalité");
      assert.equal(await codeField.inputValue(), "");
      assert.equal(await codeField.getAttribute("aria-invalid"), "true");
      await page.locator("#champ-codeIdentification-erreur", { hasText: message }).waitFor();
      assert.deepEqual(await authorityOnForm(page), AUTHORITY);
      assert.equal(
        await field(designatedStep, "Code d'utilisateur de la personne désignée").inputValue(),
        other.designated.userCode,
      );
      assert.equal(await page.getByRole("status").filter({ hasText: THANKS }).count(), 0);
    });
  } finally {
    await context.close();
  }
  assert.deepEqual(await requestsFor(t, other.org.id), [], "nothing was filed");
});
