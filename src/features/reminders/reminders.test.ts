// Reminders before an access right's last day, driven through the hourly job with a manual clock: once at 30 days and
// once at 7 for each end date, to the holder and to the registry's local manager and deputies, one email per person
// per day in Québec bundling all of theirs, in their language.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import type { MadeOrganization, MadeUser } from "../../../test/support/factories.js";
import { runJobs } from "../../jobs.js";
import { addDays, daysBetween, montrealDay } from "../../util/days.js";
import {
  changeRight,
  grantRight,
  type RegistryService,
  revokeRight,
  type ServiceTarget,
} from "../registry/registry.service.js";
import { insertRole } from "../service-roles/service-roles.queries.js";
import { sendEndReminders } from "./reminders.service.js";

// 2026-11-22 at 10:00 in Montréal (EST, UTC−5); every date of this file is in winter time.
const START = "2026-11-22T15:00:00Z";
const TODAY = "2026-11-22";

/** An instant on a day in Montréal, in winter (UTC−5). */
function at(day: string, time: string): Date {
  const [hours = "0", minutes = "0"] = time.split(":");
  return new Date(Date.UTC(...ymd(day), Number(hours) + 5, Number(minutes)));
}

function ymd(day: string): [number, number, number] {
  const [y = 0, m = 1, d = 1] = day.split("-").map(Number);
  return [y, m - 1, d];
}

let t: TestApp;
const services = new Map<string, RegistryService>();

before(async () => {
  t = await startTestApp();
  const rows = await t.database.db
    .selectFrom("online_service")
    .select(["id", "code", "name", "name_en", "ministry_id"])
    .execute();
  for (const row of rows) services.set(row.code, row);
});
after(() => t.close());

function service(code: string): RegistryService {
  const found = services.get(code);
  assert.ok(found, `${code} is in the catalogue`);
  return found;
}

type Registry = { org: MadeOrganization; manager: MadeUser; deputy: MadeUser };

/** A municipality whose services officer is local manager, with a deputy, in each of the given services. */
async function registries(codes: readonly string[]): Promise<Registry> {
  t.clock.set(START);
  const org = await t.factories.organization();
  const manager = await t.factories.user(org, { servicesOfficer: true, firstName: "Gaston" });
  const deputy = await t.factories.user(org, { firstName: "Denise" });
  for (const code of codes) {
    for (const [role, user] of [
      ["local_manager", manager],
      ["deputy", deputy],
    ] as const)
      await insertRole(t.database.db, {
        role,
        organizationId: org.id,
        servicePointId: null,
        serviceId: service(code).id,
        userId: user.id,
        grantedBy: null,
        accessRequestId: null,
        now: t.clock(),
      });
  }
  return { org, manager, deputy };
}

function target(registry: Registry, code: string): ServiceTarget {
  return { service: service(code), organizationId: registry.org.id };
}

async function grant(
  registry: Registry,
  code: string,
  holder: MadeUser,
  validUntil: string,
): Promise<number> {
  const outcome = await grantRight(t.ctx(registry.manager.actor), target(registry, code), {
    userCode: holder.userCode,
    right: "requester.write",
    validUntil,
  });
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  const row = await t.database.db
    .selectFrom("access_grant")
    .select("id")
    .where("user_id", "=", holder.id)
    .where("service_id", "=", service(code).id)
    .where("ended_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.id;
}

const REMINDER_SUBJECT = /^Guichet — (rappel|reminder)/;

/** The reminder emails queued for a person, oldest first, with the day in Montréal each was queued. */
async function reminders(person: MadeUser) {
  const rows = await t.database.db
    .selectFrom("mail_outbox")
    .select(["subject", "text_body", "created_at"])
    .where("to_address", "=", person.email)
    .orderBy("id")
    .execute();
  return rows
    .filter((row) => REMINDER_SUBJECT.test(row.subject))
    .map((row) => ({ day: montrealDay(row.created_at), subject: row.subject, text: row.text_body }));
}

async function runAt(instant: Date) {
  t.clock.set(instant);
  await runJobs(t.app);
}

test("a right is reminded once 30 days and once 7 days before its last day, however often the job runs", async () => {
  const registry = await registries(["D34-PIQM"]);
  const holder = await t.factories.user(registry.org, { firstName: "Hélène" });
  const grantId = await grant(registry, "D34-PIQM", holder, "2027-01-10");

  // Every fourth day at noon from today to past the last day, and around each boundary (day 30 is 2026-12-11, day 7
  // is 2027-01-03) twice a day, a few minutes either side of midnight in Montréal.
  const boundaries = new Set([
    "2026-12-10",
    "2026-12-11",
    "2026-12-12",
    "2027-01-02",
    "2027-01-03",
    "2027-01-04",
  ]);
  for (let day = TODAY; day <= "2027-01-12"; day = addDays(day, 1)) {
    if (boundaries.has(day)) {
      await runAt(at(day, "00:05"));
      await runAt(at(day, "23:55"));
    } else if (daysBetween(TODAY, day) % 4 === 0) await runAt(at(day, "12:00"));
  }

  for (const person of [holder, registry.manager, registry.deputy]) {
    const mails = await reminders(person);
    assert.deepEqual(
      mails.map((m) => m.day),
      ["2026-12-11", "2027-01-03"],
      `${person.userCode}: one on day 30, one on day 7`,
    );
    assert.match(mails[0]?.text ?? "", /dernier jour le 10 janvier 2027, dans 30 jours/);
    assert.match(mails[1]?.text ?? "", /dernier jour le 10 janvier 2027, dans 7 jours/);
  }
  const holderMail = (await reminders(holder))[0];
  assert.equal(holderMail?.subject, "Guichet — rappel\u00a0: 1 droit d'accès prend fin bientôt");
  assert.match(holderMail?.text ?? "", /Vos accès qui prennent fin bientôt/);
  assert.doesNotMatch(holderMail?.text ?? "", /pouvez prolonger/);
  // Under the right, who can extend it, by name and address.
  const renewers = /Peut le prolonger\u00a0: (.*)/.exec(holderMail?.text ?? "")?.[1] ?? "";
  assert.match(renewers, new RegExp(`Gaston [^,]*\\(${registry.manager.email}\\)`));
  assert.match(renewers, new RegExp(`Denise [^,]*\\(${registry.deputy.email}\\)`));
  const managerMail = (await reminders(registry.manager))[0];
  assert.match(managerMail?.text ?? "", /Accès que vous pouvez prolonger/);
  assert.match(
    managerMail?.text ?? "",
    new RegExp(`Hélène .*\\(${holder.userCode}\\), «\u00a0Requérant – Rédaction\u00a0»`),
  );
  assert.match(
    managerMail?.text ?? "",
    new RegExp(`/services/D34-PIQM/organisations/${registry.org.id}/registre`),
  );

  const claims = await t.database.db
    .selectFrom("end_reminder")
    .select(["days_before", "end_date"])
    .where("kind", "=", "access_grant")
    .where("item_id", "=", grantId)
    .orderBy("days_before", "desc")
    .execute();
  assert.deepEqual(claims, [
    { days_before: 30, end_date: "2027-01-10" },
    { days_before: 7, end_date: "2027-01-10" },
  ]);
  const audits = await t.database.db
    .selectFrom("audit_event")
    .select(["actor_user_id", "organization_id", "details"])
    .where("action", "=", "registry.reminder")
    .where("target_id", "=", String(grantId))
    .orderBy("id")
    .execute();
  assert.equal(audits.length, 2);
  assert.equal(audits[0]?.actor_user_id, null, "nobody's act");
  assert.equal(audits[0]?.organization_id, registry.org.id);
  assert.deepEqual(audits[1]?.details, {
    serviceId: service("D34-PIQM").id,
    userId: holder.id,
    daysBefore: 7,
    daysLeft: 7,
    endDate: "2027-01-10",
    recipients: [holder.id, registry.manager.id, registry.deputy.id].sort((a, b) => a - b),
  });
});

test("a person with three rights ending gets one email listing all three; the manager one listing all three too", async () => {
  const codes = ["D34-PIQM", "D32-PRIMEAU", "D40-FIMEAU"];
  const registry = await registries(codes);
  const holder = await t.factories.user(registry.org);
  // 20, 25 and 28 days left: all three past day 30 already, so the first run reminds all three.
  for (const [index, code] of codes.entries())
    await grant(registry, code, holder, addDays(TODAY, [20, 25, 28][index] ?? 0));

  await runAt(at(TODAY, "11:00"));
  await runAt(at(TODAY, "12:00"));

  const mails = await reminders(holder);
  assert.equal(mails.length, 1);
  assert.equal(mails[0]?.subject, "Guichet — rappel\u00a0: 3 droits d'accès prennent fin bientôt");
  for (const code of codes) assert.match(mails[0]?.text ?? "", new RegExp(`${code} — `));
  for (const days of [20, 25, 28]) assert.match(mails[0]?.text ?? "", new RegExp(`dans ${days} jours`));
  const managerMails = await reminders(registry.manager);
  assert.equal(managerMails.length, 1);
  assert.equal(managerMails[0]?.text.match(/\/registre/g)?.length, 3);
  assert.equal((await reminders(registry.deputy)).length, 1);
});

test("an English-speaking holder and renewer are reminded in English", async () => {
  const registry = await registries(["D34-PIQM"]);
  const holder = await t.factories.user(registry.org, { firstName: "Holly" });
  await t.database.db
    .updateTable("app_user")
    .set({ locale: "en" })
    .where("id", "in", [holder.id, registry.deputy.id])
    .execute();
  await grant(registry, "D34-PIQM", holder, addDays(TODAY, 6));
  await runAt(at(TODAY, "11:00"));

  const [mail] = await reminders(holder);
  assert.equal(mail?.subject, "Guichet — reminder: 1 access right ends soon");
  assert.match(mail?.text ?? "", /^Hello Holly /);
  assert.match(
    mail?.text ?? "",
    /“Requester – Write”, D34-PIQM — .*: last day on November 28, 2026, in 6 days/,
  );
  const [deputyMail] = await reminders(registry.deputy);
  assert.match(deputyMail?.text ?? "", /Access you can extend/);
  const [managerMail] = await reminders(registry.manager);
  assert.match(managerMail?.text ?? "", /^Bonjour /, "the French-speaking manager in French");
});

test("a revoked right gets no reminder, nor does a disabled person's", async () => {
  const registry = await registries(["D34-PIQM", "D32-PRIMEAU"]);
  const holder = await t.factories.user(registry.org);
  const other = await t.factories.user(registry.org);
  const grantId = await grant(registry, "D34-PIQM", holder, addDays(TODAY, 20));
  await grant(registry, "D32-PRIMEAU", other, addDays(TODAY, 20));
  const revoked = await revokeRight(t.ctx(registry.manager.actor), target(registry, "D34-PIQM"), grantId);
  assert.equal(revoked.ok, true);
  await t.database.db
    .updateTable("app_user")
    .set({ disabled_at: t.clock() })
    .where("id", "=", other.id)
    .execute();

  for (let day = TODAY; day <= addDays(TODAY, 21); day = addDays(day, 3)) await runAt(at(day, "09:00"));

  assert.deepEqual(await reminders(holder), []);
  assert.deepEqual(await reminders(other), []);
  assert.deepEqual(await reminders(registry.manager), []);
  const claims = await t.database.db
    .selectFrom("end_reminder")
    .select("item_id")
    .where("item_id", "=", grantId)
    .execute();
  assert.deepEqual(claims, []);
});

test("a right whose end date is moved later is reminded again for its new date", async () => {
  const registry = await registries(["D34-PIQM"]);
  const holder = await t.factories.user(registry.org);
  const grantId = await grant(registry, "D34-PIQM", holder, "2026-12-12");
  await runAt(at(TODAY, "11:00"));
  assert.deepEqual(
    (await reminders(holder)).map((m) => m.day),
    [TODAY],
    "20 days left: the 30-day reminder at once",
  );

  t.clock.set(at("2026-11-23", "10:00"));
  const changed = await changeRight(t.ctx(registry.manager.actor), target(registry, "D34-PIQM"), grantId, {
    right: "requester.write",
    validUntil: "2027-02-20",
  });
  assert.equal(changed.ok, true, JSON.stringify(changed));
  // The old date and the day after it, then around day 30 (2027-01-21) and day 7 (2027-02-13) of the new one.
  const days = [
    "2026-11-23",
    "2026-12-05",
    "2026-12-12",
    "2026-12-13",
    "2027-01-20",
    "2027-01-21",
    "2027-01-22",
  ];
  for (const day of [...days, "2027-02-12", "2027-02-13", "2027-02-14", "2027-02-21"])
    await runAt(at(day, "08:00"));

  assert.deepEqual(
    (await reminders(holder)).map((m) => m.day),
    [TODAY, "2027-01-21", "2027-02-13"],
    "nothing at the old date; day 30 and day 7 of the new one",
  );
  const claims = await t.database.db
    .selectFrom("end_reminder")
    .select(["days_before", "end_date"])
    .where("item_id", "=", grantId)
    .orderBy("end_date")
    .orderBy("days_before", "desc")
    .execute();
  assert.deepEqual(claims, [
    { days_before: 30, end_date: "2026-12-12" },
    { days_before: 30, end_date: "2027-02-20" },
    { days_before: 7, end_date: "2027-02-20" },
  ]);
});

test("a reminder that falls due after the day's email waits for the next day's", async () => {
  const registry = await registries(["D34-PIQM", "D32-PRIMEAU"]);
  const holder = await t.factories.user(registry.org);
  await grant(registry, "D34-PIQM", holder, addDays(TODAY, 20));
  await runAt(at(TODAY, "11:00"));
  t.clock.set(at(TODAY, "14:00"));
  await grant(registry, "D32-PRIMEAU", holder, addDays(TODAY, 10));
  await runAt(at(TODAY, "15:00"));
  await runAt(at(TODAY, "23:59"));
  assert.equal((await reminders(holder)).length, 1, "one email on the first day");
  assert.equal((await reminders(registry.manager)).length, 1);

  await runAt(at(addDays(TODAY, 1), "00:01"));
  const mails = await reminders(holder);
  assert.deepEqual(
    mails.map((m) => m.day),
    [TODAY, addDays(TODAY, 1)],
  );
  assert.match(mails[1]?.text ?? "", /D32-PRIMEAU — .*dans 9 jours/);
  assert.doesNotMatch(mails[1]?.text ?? "", /D34-PIQM/);
});

test("two runs at once send each reminder once", async () => {
  const registry = await registries(["D34-PIQM"]);
  const holder = await t.factories.user(registry.org);
  await grant(registry, "D34-PIQM", holder, addDays(TODAY, 15));
  t.clock.set(at(TODAY, "11:00"));
  const sent = await Promise.all([
    sendEndReminders(t.database.db, t.clock(), t.config.publicUrl),
    sendEndReminders(t.database.db, t.clock(), t.config.publicUrl),
  ]);
  assert.ok(sent.every((n) => n >= 0));
  assert.equal((await reminders(holder)).length, 1);
  assert.equal((await reminders(registry.manager)).length, 1);
  assert.equal((await reminders(registry.deputy)).length, 1);
});
