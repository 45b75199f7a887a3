// Procurations as services: the enterprise rule at the edges of a day in Montréal, and the reminders before the end.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import type { MadeOrganization, MadeUser } from "../../../test/support/factories.js";
import { readMailbox } from "../../../test/support/mailbox.js";
import { randomKey } from "../../../test/support/text.js";
import { AppError } from "../../errors.js";
import {
  assignProcuration,
  authorizeMinistryAct,
  changeProcuration,
  createProcuration,
  endProcuration,
  removeHolder,
  sendProcurationReminders,
} from "./procurations.service.js";
import type { ScopeForm } from "./procurations.validation.js";

// 2026-11-22 at 10:00 in Montréal (EST, UTC−5).
const START = "2026-11-22T15:00:00Z";

let t: TestApp;
let ministry: MadeOrganization;
const services = new Map<string, number>();

before(async () => {
  t = await startTestApp();
  ministry = await t.factories.organization("ministry");
  for (const row of await t.database.db.selectFrom("online_service").select(["id", "code"]).execute()) {
    services.set(row.code, row.id);
  }
});
after(() => t.close());

function serviceId(code: string): number {
  const id = services.get(code);
  assert.ok(id, `service ${code} is in the catalogue`);
  return id;
}

function scopeForm(
  input: { name?: string; endDate: string; only?: string[] },
  ministryId = ministry.id,
): ScopeForm {
  return {
    name: input.name ?? "Procuration d'essai",
    endDate: input.endDate,
    ministryIds: [ministryId],
    restricted: new Map([[ministryId, input.only !== undefined]]),
    serviceIds: new Map([[ministryId, (input.only ?? []).map(serviceId)]]),
  };
}

type Team = { org: MadeOrganization; rse: MadeUser; holder: MadeUser };

/** An organization with its services officer and one employee, the clock put back on START. */
async function team(): Promise<Team> {
  t.clock.set(START);
  const org = await t.factories.organization();
  const rse = await t.factories.user(org, { servicesOfficer: true });
  const holder = await t.factories.user(org);
  return { org, rse, holder };
}

/** Creates a procuration today (by the clock) through the service, as the organization's services officer. */
async function procuration(
  rse: MadeUser,
  input: { endDate: string; only?: string[]; holders?: MadeUser[]; name?: string },
): Promise<number> {
  const result = await createProcuration(t.ctx(rse.actor), {
    form: scopeForm(input),
    holderIds: (input.holders ?? []).map((h) => h.id),
    submissionKey: randomKey(),
  });
  assert.ok(result.ok, "the procuration is valid");
  return result.procurationId;
}

/** What the enterprise rule answers now (by the clock): "allowed", or the reason of the refusal. */
async function decision(
  user: MadeUser,
  target: { serviceCode?: string | null; organizationId?: number } = {},
): Promise<string> {
  const serviceCode = target.serviceCode === undefined ? "D34-PIQM" : target.serviceCode;
  try {
    await authorizeMinistryAct(t.ctx(user.actor), {
      ministryId: ministry.id,
      serviceId: serviceCode === null ? null : serviceId(serviceCode),
      ...(target.organizationId === undefined ? {} : { organizationId: target.organizationId }),
    });
    return "allowed";
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.status, 403);
    return error.denial?.reason ?? error.code;
  }
}

/** The enterprise rule's answer at each instant, as [instant, answer] pairs. */
async function decisionsAt(user: MadeUser, instants: string[]): Promise<[string, string][]> {
  const answers: [string, string][] = [];
  for (const instant of instants) {
    t.clock.set(instant);
    answers.push([instant, await decision(user)]);
  }
  return answers;
}

// 1. The enterprise rule: acting for the organization with a ministry

test("a procuration is valid through its end date in Montréal, and absent from midnight the next day (EST)", async () => {
  const { rse, holder } = await team();
  await procuration(rse, { endDate: "2026-11-30", holders: [holder] });
  // In November Montréal is at UTC−5: 23:59 on the 30th is 04:59 UTC on December 1st.
  assert.deepEqual(
    await decisionsAt(holder, [
      "2026-11-30T15:00:00Z",
      "2026-12-01T04:59:00Z",
      "2026-12-01T04:59:59.999Z",
      "2026-12-01T05:00:00Z",
      "2026-12-02T15:00:00Z",
    ]),
    [
      ["2026-11-30T15:00:00Z", "allowed"],
      ["2026-12-01T04:59:00Z", "allowed"],
      ["2026-12-01T04:59:59.999Z", "allowed"],
      ["2026-12-01T05:00:00Z", "no_procuration"],
      ["2026-12-02T15:00:00Z", "no_procuration"],
    ],
  );
});

test("in summer time (EDT) the last day of a procuration ends at 04:00 UTC", async () => {
  const { rse, holder } = await team();
  await procuration(rse, { endDate: "2027-06-30", holders: [holder] });
  assert.deepEqual(await decisionsAt(holder, ["2027-07-01T03:59:00Z", "2027-07-01T04:00:00Z"]), [
    ["2027-07-01T03:59:00Z", "allowed"],
    ["2027-07-01T04:00:00Z", "no_procuration"],
  ]);
});

test("a procuration does not count before its start date, the day it was made in Montréal", async () => {
  const { rse, holder } = await team();
  const id = await procuration(rse, { endDate: "2027-06-30", holders: [holder] });
  const row = await t.database.db
    .selectFrom("procuration")
    .select("start_date")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  assert.equal(row.start_date, "2026-11-22");
  // 04:59 UTC on the 22nd is still 23:59 on the 21st in Montréal.
  assert.deepEqual(await decisionsAt(holder, ["2026-11-22T04:59:00Z", "2026-11-22T05:00:00Z"]), [
    ["2026-11-22T04:59:00Z", "no_procuration"],
    ["2026-11-22T05:00:00Z", "allowed"],
  ]);
});

test("a restricted procuration covers its services only; an unrestricted one covers every task of the ministry", async () => {
  const { org, rse, holder } = await team();
  const broad = await t.factories.user(org);
  await procuration(rse, { endDate: "2027-06-30", only: ["D34-PIQM", "D47-PRABAM"], holders: [holder] });
  await procuration(rse, { endDate: "2027-06-30", holders: [broad] });
  const cases: [MadeUser, string | null, string][] = [
    [holder, "D34-PIQM", "allowed"],
    [holder, "D47-PRABAM", "allowed"],
    [holder, "D41-TECQ 2019", "service_not_covered"],
    [holder, null, "service_not_covered"],
    [broad, "D41-TECQ 2019", "allowed"],
    [broad, null, "allowed"],
  ];
  for (const [user, serviceCode, expected] of cases) {
    assert.equal(await decision(user, { serviceCode }), expected, `${user.userCode} in ${serviceCode}`);
  }
  // Without any procuration, an employee has nothing.
  assert.equal(await decision(await t.factories.user(org)), "no_procuration");
});

test("the services officer holds every procuration of their organization implicitly", async () => {
  const { rse } = await team();
  for (const serviceCode of ["D34-PIQM", "D41-TECQ 2019", null]) {
    assert.equal(await decision(rse, { serviceCode }), "allowed");
  }
});

test("nobody acts for another organization, whatever procurations they hold in their own", async () => {
  const { org, rse, holder } = await team();
  await procuration(rse, { endDate: "2027-06-30", holders: [holder] });
  const other = await team();
  await procuration(other.rse, { endDate: "2027-06-30", holders: [other.holder] });
  assert.equal(await decision(other.holder), "allowed");
  assert.equal(await decision(other.holder, { organizationId: org.id }), "other_organization");
  assert.equal(await decision(other.rse, { organizationId: org.id }), "other_organization");
  assert.equal(await decision(holder, { organizationId: org.id }), "allowed");

  // Even written straight into the database, another organization's procuration gives an outsider nothing.
  const outsider = await t.factories.user(other.org);
  const ofFirst = await procuration(rse, { endDate: "2027-06-30" });
  await t.database.db
    .insertInto("procuration_holder")
    .values({
      procuration_id: ofFirst,
      user_id: outsider.id,
      assigned_at: new Date(START),
      assigned_by: rse.id,
    })
    .execute();
  assert.equal(await decision(outsider), "no_procuration");
});

test("someone who is not signed in is refused as such", async () => {
  await assert.rejects(
    authorizeMinistryAct(t.ctx(), { ministryId: ministry.id, serviceId: null }),
    (error: unknown) => error instanceof AppError && error.code === "unauthenticated",
  );
});

test("ending a procuration now refuses its holders on their very next request", async () => {
  const { rse, holder } = await team();
  const id = await procuration(rse, { endDate: "2027-06-30", holders: [holder] });
  assert.equal(await decision(holder), "allowed");
  const ended = await endProcuration(t.ctx(rse.actor), id, { endDate: "", immediately: true });
  assert.deepEqual(ended, { ok: true, changed: true, alreadyEnded: false, endDate: "2026-11-22" });
  // Same instant, same day: the next check already refuses, though the end date is today.
  assert.equal(await decision(holder), "no_procuration");
  t.clock.set("2026-11-23T15:00:00Z");
  assert.equal(await decision(holder), "no_procuration");
});

test("ending a procuration at a date keeps it valid through that day in Montréal, and not after", async () => {
  const { rse, holder } = await team();
  const id = await procuration(rse, { endDate: "2027-06-30", holders: [holder] });
  const ended = await endProcuration(t.ctx(rse.actor), id, { endDate: "2026-11-25", immediately: false });
  assert.deepEqual(ended, { ok: true, changed: true, alreadyEnded: false, endDate: "2026-11-25" });
  assert.deepEqual(await decisionsAt(holder, ["2026-11-26T04:59:00Z", "2026-11-26T05:00:00Z"]), [
    ["2026-11-26T04:59:00Z", "allowed"],
    ["2026-11-26T05:00:00Z", "no_procuration"],
  ]);
});

test("removing a holder refuses them at once, and the other holders keep the procuration", async () => {
  const { org, rse, holder } = await team();
  const stays = await t.factories.user(org);
  const id = await procuration(rse, { endDate: "2027-06-30", holders: [holder, stays] });
  assert.equal(await decision(holder), "allowed");
  assert.equal(await removeHolder(t.ctx(rse.actor), id, holder.id), true);
  assert.equal(await decision(holder), "no_procuration");
  assert.equal(await decision(stays), "allowed");
  assert.equal(await removeHolder(t.ctx(rse.actor), id, holder.id), false);
});

test("the latest end date comes from PROCURATION_MAX_YEARS", async () => {
  const app = await startTestApp({ env: { PROCURATION_MAX_YEARS: "2" } });
  try {
    const own = await app.factories.organization("ministry");
    const org = await app.factories.organization();
    const rse = await app.factories.user(org, { servicesOfficer: true });
    const form = (endDate: string): ScopeForm => ({
      name: "Longue",
      endDate,
      ministryIds: [own.id],
      restricted: new Map([[own.id, false]]),
      serviceIds: new Map([[own.id, []]]),
    });
    const refused = await createProcuration(app.ctx(rse.actor), {
      form: form("2029-11-22"),
      holderIds: [],
      submissionKey: randomKey(),
    });
    assert.deepEqual(refused, {
      ok: false,
      errors: {
        dateFin: { key: "procurations.endDate.tooFar", params: { max: "22 novembre 2028", years: 2 } },
      },
    });
    const count = async () => (await app.database.db.selectFrom("procuration").select("id").execute()).length;
    assert.equal(await count(), 0);
    const accepted = await createProcuration(app.ctx(rse.actor), {
      form: form("2028-11-22"),
      holderIds: [],
      submissionKey: randomKey(),
    });
    assert.equal(accepted.ok, true);
    assert.equal(await count(), 1);
  } finally {
    await app.close();
  }
});

// 2. Reminders before the end

/** Runs the reminder job at an instant of the test clock. */
async function remindAt(instant: string): Promise<void> {
  t.clock.set(instant);
  await sendProcurationReminders(t.database.db, t.clock(), t.config.publicUrl);
}

/** The reminder mails queued for these people, oldest first, as [address, subject]. */
async function remindersTo(people: MadeUser[]): Promise<[string, string][]> {
  const emails = people.map((p) => p.email);
  const rows = await t.database.db
    .selectFrom("mail_outbox")
    .select(["to_address", "subject"])
    .where("to_address", "in", emails)
    .orderBy("id")
    .execute();
  // Holders are also told when the procuration is assigned or changed: only the reminders count here.
  return rows
    .filter((r) => /prend fin dans|ends in/.test(r.subject))
    .map((r): [string, string] => [r.to_address, r.subject]);
}

function subject(days: number): string {
  return `Guichet — une procuration prend fin dans ${days} jours`;
}

/** Each person once, with this subject, in any order. */
function each(people: MadeUser[], days: number): [string, string][] {
  return people.map((p): [string, string] => [p.email, subject(days)]).sort();
}

async function claimed(id: number) {
  const rows = await t.database.db
    .selectFrom("procuration_reminder")
    .select(["end_date", "days_before"])
    .where("procuration_id", "=", id)
    .orderBy("end_date")
    .orderBy("days_before", "desc")
    .execute();
  return rows.map((r) => [r.end_date, r.days_before]);
}

test("reminders go to each holder and each services officer 30 and 7 days before the end, each exactly once", async () => {
  const { org, rse, holder } = await team();
  const second = await t.factories.user(org);
  const deputyOfficer = await t.factories.user(org, { servicesOfficer: true });
  const disabledOfficer = await t.factories.user(org, { servicesOfficer: true, disabled: true });
  const bystander = await t.factories.user(org);
  const everyone = [rse, holder, second, deputyOfficer, disabledOfficer, bystander];
  const recipients = [rse, holder, second, deputyOfficer];
  // Made on November 22 to end on January 1st: 40 days ahead.
  const id = await procuration(rse, {
    name: "Fin d'année",
    endDate: "2027-01-01",
    holders: [holder, second],
  });

  await remindAt(START);
  assert.deepEqual(await remindersTo(everyone), []);
  await remindAt("2026-12-01T15:00:00Z");
  assert.deepEqual(await remindersTo(everyone), [], "31 days ahead: not yet");

  // Two servers run the job at the same moment: the reminder still goes out once.
  t.clock.set("2026-12-02T15:00:00Z");
  await Promise.all([
    sendProcurationReminders(t.database.db, t.clock(), t.config.publicUrl),
    sendProcurationReminders(t.database.db, t.clock(), t.config.publicUrl),
  ]);
  assert.deepEqual((await remindersTo(everyone)).sort(), each(recipients, 30));
  assert.deepEqual(await claimed(id), [["2027-01-01", 30]]);
  const audit = await t.database.db
    .selectFrom("audit_event")
    .select(["organization_id", "details"])
    .where("action", "=", "procuration.reminder")
    .where("target_id", "=", String(id))
    .execute();
  assert.deepEqual(audit, [
    { organization_id: org.id, details: { daysBefore: 30, endDate: "2027-01-01", recipients: 4 } },
  ]);

  // Delivered, each reads when it ends and where to change it.
  await t.app.guichet.outbox.deliverDue();
  const mails = (await readMailbox(t.config.mailDir)).filter(
    (mail) => recipients.some((p) => mail.to.includes(p.email)) && mail.subject.includes("prend fin dans"),
  );
  assert.equal(mails.length, 4);
  for (const mail of mails) {
    assert.equal(mail.subject, subject(30));
    assert.match(
      mail.text,
      /La procuration «\u00a0Fin d'année\u00a0» de .* prend fin le 1 janvier 2027, dans 30 jours\./,
    );
    assert.match(mail.text, new RegExp(`http://guichet.test/procurations/${id}`));
  }

  // The same day again, and the next days: nothing more.
  await remindAt("2026-12-02T22:00:00Z");
  await remindAt("2026-12-03T15:00:00Z");
  await remindAt("2026-12-17T15:00:00Z");
  assert.equal((await remindersTo(everyone)).length, 4);

  await remindAt("2026-12-25T15:00:00Z");
  const all = await remindersTo(everyone);
  assert.deepEqual(all.slice(4).sort(), each(recipients, 7));
  await remindAt("2026-12-25T20:00:00Z");
  await remindAt("2026-12-26T15:00:00Z");
  await remindAt("2027-01-01T15:00:00Z");
  assert.equal((await remindersTo(everyone)).length, 8);
  assert.deepEqual(await claimed(id), [
    ["2027-01-01", 30],
    ["2027-01-01", 7],
  ]);
});

test("a missed 30-day run is caught up once on a later day, and the 7-day reminder still follows", async () => {
  const { rse, holder } = await team();
  const id = await procuration(rse, { endDate: "2027-01-01", holders: [holder] });
  // The job did not run on December 2; it runs again on December 12, 20 days before the end.
  await remindAt("2026-12-12T15:00:00Z");
  assert.deepEqual((await remindersTo([rse, holder])).sort(), each([rse, holder], 20));
  assert.deepEqual(await claimed(id), [["2027-01-01", 30]]);
  await remindAt("2026-12-13T15:00:00Z");
  assert.equal((await remindersTo([rse, holder])).length, 2);
  await remindAt("2026-12-25T15:00:00Z");
  assert.deepEqual((await remindersTo([rse, holder])).slice(2).sort(), each([rse, holder], 7));
});

test("changing the end date arms the reminders again for the new date", async () => {
  const { rse, holder } = await team();
  const id = await procuration(rse, { name: "Prolongée", endDate: "2027-01-01", holders: [holder] });
  await remindAt("2026-12-02T15:00:00Z");
  assert.equal((await remindersTo([holder])).length, 1);

  const changed = await changeProcuration(
    t.ctx(rse.actor),
    id,
    scopeForm({ name: "Prolongée", endDate: "2027-03-01" }),
    randomKey(),
  );
  assert.deepEqual(changed, { ok: true, repeated: false });
  await remindAt("2026-12-25T15:00:00Z");
  assert.equal((await remindersTo([holder])).length, 1, "no 7-day reminder for the old date");
  await remindAt("2027-01-30T15:00:00Z");
  assert.deepEqual((await remindersTo([holder, rse])).slice(2).sort(), each([holder, rse], 30));
  await remindAt("2027-01-31T15:00:00Z");
  assert.equal((await remindersTo([holder, rse])).length, 4);
  assert.deepEqual(await claimed(id), [
    ["2027-01-01", 30],
    ["2027-03-01", 30],
  ]);
});

test("an ended, an expired or a holderless procuration sends no reminder", async () => {
  const ended = await team();
  const endedId = await procuration(ended.rse, { endDate: "2026-12-22", holders: [ended.holder] });
  await endProcuration(t.ctx(ended.rse.actor), endedId, { endDate: "", immediately: true });

  const expired = await team();
  const expiredId = await procuration(expired.rse, { endDate: "2026-11-23", holders: [expired.holder] });

  const removed = await team();
  const removedId = await procuration(removed.rse, { endDate: "2026-12-22", holders: [removed.holder] });
  await removeHolder(t.ctx(removed.rse.actor), removedId, removed.holder.id);

  const empty = await team();
  const emptyId = await procuration(empty.rse, { endDate: "2026-12-22" });

  // The job runs for the first time two days later: the expired one ended yesterday.
  await remindAt("2026-11-24T15:00:00Z");
  const people = [ended, expired, removed, empty].flatMap((x) => [x.rse, x.holder]);
  assert.deepEqual(await remindersTo(people), []);
  for (const id of [endedId, expiredId, removedId, emptyId]) assert.deepEqual(await claimed(id), []);

  // A holder assigned later the same day is reminded at the next run: nothing was spent on the empty one.
  assert.deepEqual(await assignProcuration(t.ctx(empty.rse.actor), emptyId, [empty.holder.id], randomKey()), {
    ok: true,
    added: 1,
    repeated: false,
  });
  await remindAt("2026-11-24T18:00:00Z");
  assert.deepEqual((await remindersTo(people)).sort(), each([empty.rse, empty.holder], 28));
});

test("a procuration made with less than 7 days left gets the 7-day reminder only, naming the days actually left", async () => {
  const { rse, holder } = await team();
  const id = await procuration(rse, { endDate: "2026-11-29", holders: [holder] });
  await remindAt("2026-11-23T15:00:00Z");
  assert.deepEqual((await remindersTo([rse, holder])).sort(), each([rse, holder], 6));
  assert.deepEqual(await claimed(id), [["2026-11-29", 7]]);
  await t.app.guichet.outbox.deliverDue();
  const mails = (await readMailbox(t.config.mailDir)).filter(
    (m) => [rse.email, holder.email].some((e) => m.to.includes(e)) && m.subject.includes("prend fin dans"),
  );
  assert.deepEqual(
    mails.map((m) => m.subject),
    [subject(6), subject(6)],
  );
  assert.match(mails[0]?.text ?? "", /prend fin le 29 novembre 2026, dans 6 jours\./);
});

test("a reminder speaks each recipient's language, holders included", async () => {
  const { org, rse, holder } = await team();
  const english = await t.factories.user(org);
  await t.database.db.updateTable("app_user").set({ locale: "en" }).where("id", "=", english.id).execute();
  await procuration(rse, { name: "Bilingue", endDate: "2026-12-22", holders: [holder, english] });
  await remindAt("2026-11-22T20:00:00Z");
  assert.deepEqual(
    (await remindersTo([rse, holder, english])).sort(),
    [
      [english.email, "Guichet — a procuration ends in 30 days"],
      [holder.email, subject(30)],
      [rse.email, subject(30)],
    ].sort(),
  );
  await t.app.guichet.outbox.deliverDue();
  const mail = (await readMailbox(t.config.mailDir)).find(
    (m) => m.to.includes(english.email) && m.subject.includes("ends in"),
  );
  assert.match(mail?.text ?? "", /The procuration “Bilingue” of .* ends on December 22, 2026, in 30 days\./);
});
