// Access reviews driven through the hourly job with an injected clock: campaigns start REVIEW_INTERVAL_MONTHS after
// an organization's last ones, reminders go out at the start, halfway and 7 days before the deadline, each once however
// often the job runs, and the deadline ends exactly what nobody confirmed (with `keep`, flags it instead).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import { grant, type Service, serviceByCode } from "../../../test/support/application-fixtures.js";
import type { MadeOrganization, MadeUser } from "../../../test/support/factories.js";
import { type ReviewWorld, reviewWorld } from "../../../test/support/review-fixtures.js";
import type { ReviewLineKind } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { runJobs } from "../../jobs.js";
import {
  decideReviewLine,
  ministryReviewLines,
  sendReviewReminders,
  startDueCampaigns,
} from "./reviews.service.js";

// 2026-11-22 at 10:00 in Montréal (EST, UTC−5).
const START = "2026-11-22T15:00:00Z";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApp;
let service: Service;

before(async () => {
  t = await startTestApp();
  service = await serviceByCode(t);
});
after(() => t.close());

type World = ReviewWorld;

/** A municipality created 13 months before START (so that its scheduled campaigns are due), as reviewWorld makes it. */
async function world(): Promise<World> {
  t.clock.set(START);
  const made = await reviewWorld(t, service, ["Hélène", "Hugo", "Henri"]);
  await t.database.db
    .updateTable("organization")
    .set({ created_at: new Date(Date.parse(START) - 400 * DAY) })
    .where("id", "=", made.org.id)
    .execute();
  return made;
}

async function runAt(at: number | string) {
  t.clock.set(new Date(at));
  await runJobs(t.app);
}

const REVIEW_SUBJECT = /^Guichet — (rappel\u00a0: )?revue des accès/;

async function reviewMails(person: MadeUser) {
  const rows = await t.database.db
    .selectFrom("mail_outbox")
    .select(["subject", "text_body", "created_at"])
    .where("to_address", "=", person.email)
    .orderBy("id")
    .execute();
  return rows.filter((row) => REVIEW_SUBJECT.test(row.subject));
}

async function mailsTo(person: MadeUser) {
  return t.database.db
    .selectFrom("mail_outbox")
    .select(["subject", "text_body"])
    .where("to_address", "=", person.email)
    .orderBy("id")
    .execute();
}

async function campaignsOf(org: MadeOrganization) {
  return t.database.db
    .selectFrom("review_campaign")
    .selectAll()
    .where("organization_id", "=", org.id)
    .orderBy("id")
    .execute();
}

async function lineOf(org: MadeOrganization, userId: number, kind: ReviewLineKind = "access_grant") {
  const row = await t.database.db
    .selectFrom("review_line as l")
    .innerJoin("review_campaign as c", "c.id", "l.campaign_id")
    .select(["l.id", "l.decision", "l.outcome", "l.item_id"])
    .where("c.organization_id", "=", org.id)
    .where("l.subject_user_id", "=", userId)
    .where("l.kind", "=", kind)
    .orderBy("l.id", "desc")
    .executeTakeFirstOrThrow();
  return row;
}

async function grantOf(userId: number) {
  return t.database.db
    .selectFrom("access_grant")
    .select(["ended_at", "end_reason", "ended_by"])
    .where("user_id", "=", userId)
    .where("service_id", "=", service.id)
    .executeTakeFirstOrThrow();
}

test("a campaign starts 12 months after the organization's creation, once, with a line per right, deputy and procuration holder", async () => {
  const w = await world();
  await runAt(START);
  await runAt(Date.parse(START) + HOUR);
  const campaigns = await campaignsOf(w.org);
  assert.deepEqual(
    campaigns.map((c) => c.service_id),
    [null, service.id],
    "the procuration holders' campaign and the service's",
  );
  const [holders, registry] = campaigns;
  assert.equal(registry?.deadline.getTime(), Date.parse(START) + 30 * DAY, "REVIEW_DAYS: 30 by default");
  assert.equal(registry?.unconfirmed, "end");
  const lines = await t.database.db
    .selectFrom("review_line")
    .select(["campaign_id", "kind", "subject_user_id"])
    .where("campaign_id", "in", [holders?.id ?? 0, registry?.id ?? 0])
    .execute();
  const of = (campaignId: number | undefined, kind: string) =>
    lines
      .filter((l) => l.campaign_id === campaignId && l.kind === kind)
      .map((l) => l.subject_user_id)
      .sort((a, b) => a - b);
  assert.deepEqual(
    of(registry?.id, "access_grant"),
    w.holders.map((h) => h.id).sort((a, b) => a - b),
  );
  assert.deepEqual(of(registry?.id, "deputy"), [w.deputy.id]);
  // The deputy and the three holders each hold a procuration of the organization.
  assert.deepEqual(
    of(holders?.id, "procuration_holder"),
    [w.deputy.id, ...w.holders.map((h) => h.id)].sort((a, b) => a - b),
  );
  // Another year later, the next campaigns.
  await t.database.db
    .updateTable("review_campaign")
    .set({ closed_at: t.clock() })
    .where("organization_id", "=", w.org.id)
    .execute();
  assert.equal(
    await startDueCampaigns(t.database.db, new Date(Date.parse(START) + 200 * DAY), t.config.review),
    0,
  );
  const opened = await startDueCampaigns(
    t.database.db,
    new Date(Date.parse(START) + 366 * DAY),
    t.config.review,
  );
  assert.ok(opened >= 2);
  assert.equal((await campaignsOf(w.org)).length, 4);
});

test("reminders at the start, halfway and 7 days before the deadline, each once however often the job runs; the deadline ends exactly what was not confirmed", async () => {
  const w = await world();
  const [confirmedHolder, removedHolder, forgottenHolder] = w.holders;
  assert.ok(confirmedHolder && removedHolder && forgottenHolder);
  const start = Date.parse(START);
  await runAt(start);

  // The manager confirms one right and removes another; the deputy's line and the third right stay undecided.
  t.clock.set(new Date(start + 2 * DAY));
  const confirm = await decideReviewLine(
    t.ctx(w.manager.actor),
    (await lineOf(w.org, confirmedHolder.id)).id,
    "confirmed",
  );
  assert.equal(confirm.ok, true, JSON.stringify(confirm));
  const remove = await decideReviewLine(
    t.ctx(w.manager.actor),
    (await lineOf(w.org, removedHolder.id)).id,
    "removed",
  );
  assert.equal(remove.ok, true, JSON.stringify(remove));
  assert.notEqual((await grantOf(removedHolder.id)).ended_at, null, "removed at once, through the registry");
  assert.ok((await mailsTo(removedHolder)).some((m) => /fin d'un droit d'accès/.test(m.subject)));

  // Every 5 hours for 32 days, and twice more around halfway (day 15) and day 23.
  for (let at = start; at <= start + 32 * DAY; at += 5 * HOUR) await runAt(at);
  for (const at of [15 * DAY - 1000, 15 * DAY, 15 * DAY + 1000, 23 * DAY, 23 * DAY + 60_000])
    await runAt(start + at);

  for (const person of [w.manager, w.deputy]) {
    // The manager, also the services officer, is told of the procurations' review apart.
    const mails = (await reviewMails(person)).filter((m) => m.subject.includes(service.code));
    const subjects = mails.map((m) => m.subject);
    assert.deepEqual(
      subjects,
      [
        `Guichet — revue des accès à faire (${service.code})`,
        `Guichet — rappel\u00a0: revue des accès à mi-parcours (${service.code})`,
        `Guichet — rappel\u00a0: revue des accès, échéance dans 7 jours (${service.code})`,
      ],
      `${person.userCode}: start, halfway, 7 days before`,
    );
    const days = mails.map((m) => Math.round((m.created_at.getTime() - start) / DAY));
    assert.deepEqual(days, [0, 15, 23]);
    assert.match(mails[0]?.text_body ?? "", /4 lignes restent à confirmer ou à retirer/);
    assert.match(mails[1]?.text_body ?? "", /2 lignes restent/);
    assert.match(
      mails[0]?.text_body ?? "",
      new RegExp(`/services/${service.code}/organisations/${w.org.id}/revue`),
    );
  }
  const claims = await t.database.db
    .selectFrom("review_reminder as r")
    .innerJoin("review_campaign as c", "c.id", "r.campaign_id")
    .select(["r.stage"])
    .where("c.organization_id", "=", w.org.id)
    .where("c.service_id", "=", service.id)
    .execute();
  assert.deepEqual(claims.map((c) => c.stage).sort(), ["halfway", "start", "week"]);

  // The deadline passed: the undecided right and the deputy ended, each person told; the confirmed right stays.
  assert.equal((await grantOf(confirmedHolder.id)).ended_at, null);
  const forgotten = await grantOf(forgottenHolder.id);
  assert.notEqual(forgotten.ended_at, null);
  assert.equal(forgotten.ended_by, null, "nobody's act: the deadline's");
  assert.equal(forgotten.end_reason, "revoked");
  assert.ok((await mailsTo(forgottenHolder)).some((m) => /fin d'un droit d'accès/.test(m.subject)));
  const deputyRole = await t.database.db
    .selectFrom("service_role")
    .select(["ended_at", "end_reason"])
    .where("user_id", "=", w.deputy.id)
    .where("role", "=", "deputy")
    .executeTakeFirstOrThrow();
  assert.notEqual(deputyRole.ended_at, null);
  assert.ok((await mailsTo(w.deputy)).some((m) => /adjoint/.test(m.subject)));
  const decisions = async (userId: number, kind: ReviewLineKind = "access_grant") => {
    const line = await lineOf(w.org, userId, kind);
    return [line.decision, line.outcome];
  };
  assert.deepEqual(await decisions(confirmedHolder.id), ["confirmed", null]);
  assert.deepEqual(await decisions(removedHolder.id), ["removed", null]);
  assert.deepEqual(await decisions(forgottenHolder.id), [null, "ended"]);
  assert.deepEqual(await decisions(w.deputy.id, "deputy"), [null, "ended"]);
  const [, registry] = await campaignsOf(w.org);
  assert.equal(registry?.closed_at?.getTime(), start + 30 * DAY, "closed by the first run at its deadline");
  const closes = await t.database.db
    .selectFrom("audit_event")
    .select(["details", "actor_user_id"])
    .where("action", "=", "review.close")
    .where("target_id", "=", String(registry?.id))
    .execute();
  assert.equal(closes.length, 1);
  assert.deepEqual(closes[0]?.details, { unconfirmed: "end", ended: 2, flagged: 0, gone: 0 });
  // Deciding after the deadline: refused, nothing written.
  const late = await decideReviewLine(
    t.ctx(w.manager.actor),
    (await lineOf(w.org, forgottenHolder.id)).id,
    "confirmed",
  );
  assert.deepEqual(late.ok ? null : late.key, "reviews.alreadyDecided");
});

test("with `keep`, the deadline flags what nobody confirmed and ends nothing", async () => {
  const w = await world();
  const start = Date.parse(START);
  t.clock.set(new Date(start));
  await startDueCampaigns(t.database.db, t.clock(), { ...t.config.review, unconfirmed: "keep" });
  for (let at = start; at <= start + 31 * DAY; at += 12 * HOUR) await runAt(at);
  for (const holder of w.holders) {
    assert.equal((await grantOf(holder.id)).ended_at, null);
    assert.equal((await lineOf(w.org, holder.id)).outcome, "flagged");
    assert.ok(!(await mailsTo(holder)).some((m) => /fin d'un droit d'accès/.test(m.subject)));
  }
  assert.equal((await lineOf(w.org, w.deputy.id, "deputy")).outcome, "flagged");
});

test("bad decisions change nothing: one's own line, a line decided twice, after the deadline, another organization's", async () => {
  const w = await world();
  const start = Date.parse(START);
  await runAt(start);
  // The deputy's own line, by the deputy.
  const own = await decideReviewLine(
    t.ctx(w.deputy.actor),
    (await lineOf(w.org, w.deputy.id, "deputy")).id,
    "confirmed",
  );
  assert.deepEqual(own, {
    ok: false,
    status: 403,
    key: "reviews.ownLine",
    back: { kind: "manager", serviceCode: service.code, organizationId: w.org.id },
  });
  assert.equal((await lineOf(w.org, w.deputy.id, "deputy")).decision, null);

  const [first] = w.holders;
  assert.ok(first);
  const lineId = (await lineOf(w.org, first.id)).id;
  assert.equal((await decideReviewLine(t.ctx(w.deputy.actor), lineId, "confirmed")).ok, true);
  const twice = await decideReviewLine(t.ctx(w.manager.actor), lineId, "removed");
  assert.equal(twice.ok ? null : twice.key, "reviews.alreadyDecided");
  assert.equal((await grantOf(first.id)).ended_at, null, "the second decision ended nothing");

  // Another organization's manager, with a forged line id.
  const other = await world();
  await expectForbidden(() => decideReviewLine(t.ctx(other.manager.actor), lineId, "removed"));
  assert.equal((await lineOf(w.org, first.id)).decision, "confirmed");

  // Two removals at once of one line: one decision, one ending.
  const [, second] = w.holders;
  assert.ok(second);
  const secondLine = (await lineOf(w.org, second.id)).id;
  const both = await Promise.all([
    decideReviewLine(t.ctx(w.manager.actor), secondLine, "removed"),
    decideReviewLine(t.ctx(w.deputy.actor), secondLine, "removed"),
  ]);
  assert.equal(both.filter((r) => r.ok).length, 1);
  const ends = await t.database.db
    .selectFrom("audit_event")
    .select("id")
    .where("action", "=", "registry.revoke")
    .where("subject_user_id", "=", second.id)
    .execute();
  assert.equal(ends.length, 1);

  // After the deadline.
  t.clock.set(new Date(start + 30 * DAY + 1));
  const [, , third] = w.holders;
  assert.ok(third);
  const late = await decideReviewLine(
    t.ctx(w.manager.actor),
    (await lineOf(w.org, third.id)).id,
    "confirmed",
  );
  assert.equal(late.ok ? null : late.key, "reviews.pastDeadline");
  assert.equal((await lineOf(w.org, third.id)).decision, null);
});

test("the services officer decides the procuration holders' lines and a manager's own line, the ministry a manager's own line; two reminder runs at once send once", async () => {
  const w = await world();
  const start = Date.parse(START);
  t.clock.set(new Date(start));
  await grant(t, w.manager, { service, organizationId: w.org.id }, w.deputy, "requester.read");
  await startDueCampaigns(t.database.db, t.clock(), t.config.review);
  const sent = await Promise.all([
    sendReviewReminders(t.database.db, t.clock(), t.config.publicUrl),
    sendReviewReminders(t.database.db, t.clock(), t.config.publicUrl),
  ]);
  assert.ok(sent.every((n) => n >= 0));
  assert.equal((await reviewMails(w.deputy)).length, 1);
  // The manager is the organization's services officer: told of the service's review and of the procurations'.
  assert.equal((await reviewMails(w.manager)).length, 2);

  // The deputy's own right: not theirs to decide; another services officer (no manager) decides it.
  const ownRight = await lineOf(w.org, w.deputy.id);
  const byDeputy = await decideReviewLine(t.ctx(w.deputy.actor), ownRight.id, "confirmed");
  assert.equal(byDeputy.ok ? null : byDeputy.key, "reviews.ownLine");
  const officer = await t.factories.user(w.org, { servicesOfficer: true });
  const byOfficer = await decideReviewLine(t.ctx(officer.actor), ownRight.id, "confirmed");
  assert.equal(byOfficer.ok, true, JSON.stringify(byOfficer));
  assert.deepEqual(
    byOfficer.ok ? byOfficer.back : null,
    { kind: "officer" },
    "back to the services officer's page",
  );

  // The deputy's procuration, removed by the services officer: the procuration's own path ends the holder.
  const holderLine = await lineOf(w.org, w.deputy.id, "procuration_holder");
  const removed = await decideReviewLine(t.ctx(w.manager.actor), holderLine.id, "removed");
  assert.equal(removed.ok, true, JSON.stringify(removed));
  assert.deepEqual(removed.ok ? removed.back : null, { kind: "officer" });
  const holder = await t.database.db
    .selectFrom("procuration_holder")
    .select("ended_at")
    .where("id", "=", holderLine.item_id)
    .executeTakeFirstOrThrow();
  assert.notEqual(holder.ended_at, null);
  // The ministry's service administrator decides a manager's own line (the deputy's role), never a holder's right.
  const ministry = await t.factories.organization("ministry");
  const admin = await t.factories.user(ministry, { serviceAdminUnit: "DGI" });
  const waiting = await ministryReviewLines(t.ctx(admin.actor));
  const deputyLine = await lineOf(w.org, w.deputy.id, "deputy");
  assert.ok(waiting.some((line) => line.line_id === deputyLine.id && line.decidable));
  const byMinistry = await decideReviewLine(t.ctx(admin.actor), deputyLine.id, "confirmed");
  assert.deepEqual(byMinistry.ok ? byMinistry.back : null, { kind: "ministry" });
  const [holderOfRight] = w.holders;
  assert.ok(holderOfRight);
  assert.ok(
    !waiting.some((line) => line.subject_user_id === holderOfRight.id && line.kind === "access_grant"),
  );
  const rightLine = await lineOf(w.org, holderOfRight.id);
  await expectForbidden(() => decideReviewLine(t.ctx(admin.actor), rightLine.id, "confirmed"));
  assert.equal((await lineOf(w.org, holderOfRight.id)).decision, null);
  // A plain user cannot decide a procuration holder's line.
  const [first] = w.holders;
  assert.ok(first);
  await expectForbidden(() => decideReviewLine(t.ctx(first.actor), holderLine.id, "confirmed"));
});

async function expectForbidden(run: () => Promise<unknown>) {
  await assert.rejects(run, (error: unknown) => error instanceof AppError && error.code === "forbidden");
}
