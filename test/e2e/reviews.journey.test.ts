// A browser journey through « Revue des accès » (issue #15, section 2): the ministry's service administrator launches a
// review of D34-PIQM from the back office; the municipality's local manager opens it from the service's « Utilitaires »,
// confirms two lines and removes one; at the deadline (the hourly job on an injected clock) the line nobody reviewed
// ends and its holder gets the email, while the confirmed rights stay.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { runJobs } from "../../src/jobs.js";
import { grant } from "../support/application-fixtures.js";
import { launchBrowser, type ServedApp, screenshotOnFailure, startServedApp } from "../support/browser.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { button, field, heading, link, newPage, rowsOf, signIn, squeeze } from "../support/journey.js";
import { giveRole, openUtility, procurationFor, serviceByCode } from "../support/registry-pages.js";

const SERVICE_TITLE = "D34-PIQM — Programme d'infrastructures Québec-Municipalités";
const DAY = 24 * 3_600_000;

type Cast = {
  city: MadeOrganization;
  admin: MadeUser;
  manager: MadeUser;
  /** Two the manager confirms, one they remove, one nobody reviews. */
  sophie: MadeUser;
  paul: MadeUser;
  julie: MadeUser;
  hugo: MadeUser;
};

let served: ServedApp | undefined;
let launched: Browser | undefined;
let cast: Cast | undefined;
const done = { launched: false, reviewed: false };

before(async () => {
  served = await startServedApp();
  launched = await launchBrowser();
  const t = served;
  const service = await serviceByCode(t, "D34-PIQM");
  const ministry = await t.factories.organization("ministry");
  const admin = await t.factories.user(ministry, {
    serviceAdminUnit: "DGI",
    firstName: "Denis",
    lastName: "Roy",
  });
  const city = await t.factories.organization("municipality", "Municipalité de Val-des-Essais");
  const rse = await t.factories.user(city, { servicesOfficer: true, firstName: "Lucie", lastName: "Gagnon" });
  const manager = await t.factories.user(city, { firstName: "Marc", lastName: "Tremblay" });
  const people = {
    sophie: await t.factories.user(city, { firstName: "Sophie", lastName: "Morin" }),
    paul: await t.factories.user(city, { firstName: "Paul", lastName: "Bélanger" }),
    julie: await t.factories.user(city, { firstName: "Julie", lastName: "Côté" }),
    hugo: await t.factories.user(city, { firstName: "Hugo", lastName: "Lavoie" }),
  };
  await procurationFor(t, city, [manager], rse, { ministryId: service.ministry_id });
  await giveRole(t, {
    role: "local_manager",
    org: city,
    user: manager,
    service,
    by: null,
    approvedBy: admin,
  });
  for (const person of Object.values(people))
    await grant(t, manager, { service, organizationId: city.id }, person, "requester.write");
  cast = { city, admin, manager, ...people };
});

after(async () => {
  await launched?.close();
  await served?.close();
});

function setup(): { t: ServedApp; browser: Browser; people: Cast } {
  assert.ok(served && launched && cast, "the app, the browser and the people should have been set up");
  return { t: served, browser: launched, people: cast };
}

const who = (person: MadeUser) => `${person.actor.firstName} ${person.actor.lastName} (${person.userCode})`;

test("the ministry's service administrator launches a review of D34-PIQM from the back office", async () => {
  const { t, browser, people } = setup();
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "reviews-launch-journey", async () => {
      await signIn(page, t.baseUrl, people.admin);
      await page.goto(`${t.baseUrl}/ministere`);
      await link(page, "Revues des accès").click();
      await heading(page, "Revues des accès");
      await page.getByText("Aucune revue des accès dans ces services.").waitFor();
      await field(page, "Service à revoir").selectOption({ label: SERVICE_TITLE });
      await button(page, "Lancer une revue").click();
      await page.getByText("Revue lancée pour 1 organisation\u00a0; 0 en avait déjà une en cours.").waitFor();
      const rows = await rowsOf(page, "review-completion");
      assert.ok(
        rows.some((row) => row.startsWith("Municipalité de Val-des-Essais 1 0 sur 4 (0 %)")),
        rows.join("\n"),
      );
    });
    done.launched = true;
  } finally {
    await context.close();
  }
});

test("the local manager confirms two lines and removes one; at the deadline the unreviewed line ends and its holder gets the email", async () => {
  const { t, browser, people } = setup();
  assert.ok(done.launched, "the ministry's journey should have launched the review");
  const { context, page } = await newPage(browser);
  try {
    await screenshotOnFailure(page, "reviews-manager-journey", async () => {
      await signIn(page, t.baseUrl, people.manager);
      await openUtility(page, SERVICE_TITLE, "Revue des accès");
      await page.getByText("0 ligne décidée sur 4").waitFor();

      for (const person of [people.sophie, people.paul]) {
        await button(page, `Confirmer : ${who(person)}`).click();
        await page
          .getByText(`L'accès de ${person.actor.firstName} ${person.actor.lastName} est confirmé.`)
          .waitFor();
      }
      await button(page, `Retirer : ${who(people.julie)}`).click();
      await page.getByText(`L'accès de Julie Côté est retiré.`).waitFor();
      await page.getByText("3 lignes décidées sur 4").waitFor();

      const rows = (await rowsOf(page, "review-lines")).map(squeeze);
      const rowOf = (person: MadeUser) => rows.find((row) => row.startsWith(who(person))) ?? "";
      assert.match(rowOf(people.sophie), /Confirmé par Marc Tremblay le 22 novembre 2026/);
      assert.match(rowOf(people.paul), /Confirmé par Marc Tremblay/);
      assert.match(rowOf(people.julie), /Retiré par Marc Tremblay/);
      assert.match(rowOf(people.hugo), /À décider Confirmer : Hugo Lavoie .*Retirer : Hugo Lavoie/);
      // Julie's right ended at once, through the registry: she is told now.
      assert.equal(await endedMails(t, people.julie), 1);
    });
    done.reviewed = true;
  } finally {
    await context.close();
  }

  // The deadline, 30 days after the launch: the hourly job ends Hugo's right (nobody reviewed it) and tells him.
  assert.equal(await endedMails(t, people.hugo), 0);
  t.clock.set(new Date(t.clock().getTime() + 30 * DAY + 3_600_000));
  await runJobs(t.app);
  assert.equal(await endedMails(t, people.hugo), 1, "Hugo gets the email");
  const [mail] = await mailsTo(t, people.hugo);
  assert.match(
    mail?.text_body ?? "",
    /Votre droit d'accès «\u00a0Requérant – Rédaction\u00a0» dans le service en ligne D34-PIQM .*a pris fin/s,
  );
  const current = await t.database.db
    .selectFrom("access_grant")
    .select("user_id")
    .where("organization_id", "=", people.city.id)
    .where("ended_at", "is", null)
    .execute();
  assert.deepEqual(
    current.map((row) => row.user_id).sort((a, b) => a - b),
    [people.sophie.id, people.paul.id].sort((a, b) => a - b),
    "the two confirmed rights stay; the removed and the unreviewed ones ended",
  );
  assert.equal(await endedMails(t, people.sophie), 0);
});

async function mailsTo(t: ServedApp, person: MadeUser) {
  return t.database.db
    .selectFrom("mail_outbox")
    .select(["subject", "text_body"])
    .where("to_address", "=", person.email)
    .where("subject", "like", "Guichet — fin d'un droit d'accès%")
    .execute();
}

async function endedMails(t: ServedApp, person: MadeUser): Promise<number> {
  return (await mailsTo(t, person)).length;
}
