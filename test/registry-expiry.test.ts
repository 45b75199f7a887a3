// Grant expiry: a right with an end date holds through its last day in Montréal, late evening included, and not a
// moment after; the hourly job then records its end once, mails the grantee once and audits it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  grantRight,
  listRegistry,
  loadServiceFacts,
  type RegistryService,
  revokeRight,
  type ServiceTarget,
} from "../src/features/registry/registry.service.js";
import { insertRole } from "../src/features/service-roles/service-roles.queries.js";
import { runJobs } from "../src/jobs.js";
import { montrealDay } from "../src/util/days.js";
import { textOf } from "./support/agent.js";
import { startTestApp, type TestApp } from "./support/app.js";
import type { MadeUser } from "./support/factories.js";
import { readMailbox } from "./support/mailbox.js";

// 2026-11-22 at 10:00 in Montréal (EST, UTC−5).
const START = "2026-11-22T15:00:00Z";
const ENDED_SUBJECT = "Guichet — fin d'un droit d'accès (D34-PIQM)";

let t: TestApp;
let piqm: RegistryService;

before(async () => {
  t = await startTestApp();
  piqm = await t.database.db
    .selectFrom("online_service")
    .select(["id", "code", "name", "ministry_id"])
    .where("code", "=", "D34-PIQM")
    .executeTakeFirstOrThrow();
});
after(() => t.close());

type Registry = { target: ServiceTarget; manager: MadeUser; grantee: MadeUser; grantId: number };

/** A municipality whose local manager (its services officer) gives one employee Requérant – Rédaction in D34-PIQM. */
async function grantUntil(validUntil: string): Promise<Registry> {
  t.clock.set(START);
  const org = await t.factories.organization();
  const manager = await t.factories.user(org, { servicesOfficer: true });
  const grantee = await t.factories.user(org);
  await insertRole(t.database.db, {
    role: "local_manager",
    organizationId: org.id,
    servicePointId: null,
    serviceId: piqm.id,
    userId: manager.id,
    grantedBy: null,
    accessRequestId: null,
    now: t.clock(),
  });
  const target = { service: piqm, organizationId: org.id };
  const outcome = await grantRight(t.ctx(manager.actor), target, {
    userCode: grantee.userCode,
    right: "requester.write",
    validUntil,
  });
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  const row = await t.database.db
    .selectFrom("access_grant")
    .select(["id", "valid_until"])
    .where("user_id", "=", grantee.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.valid_until, validUntil === "" ? null : validUntil);
  return { target, manager, grantee, grantId: row.id };
}

/**
 * Everything that says whether the right counts now: the facts checkService decides from (read by the same call;
 * no registry rule of this branch reads the right itself, the applications' will), the manager's registry, and
 * « Mes services en ligne » as the grantee sees it.
 */
async function rightSeen(registry: Registry) {
  const { target, manager, grantee } = registry;
  const facts = await loadServiceFacts(t.database.db, grantee.actor, target, montrealDay(t.clock()));
  const listed = await listRegistry(t.ctx(manager.actor), target);
  const home = await (await t.signIn(grantee.userCode)).get("/");
  assert.equal(home.statusCode, 200);
  const mine = textOf(home.body.split('id="mes-services"')[1]?.split('href="/services"')[0] ?? "");
  return {
    right: facts.right,
    inRegistry: listed.some((row) => row.user_id === grantee.id),
    inMyServices: mine.includes("D34-PIQM") && mine.includes("Requérant – Rédaction"),
  };
}

async function grantRow(grantId: number) {
  return t.database.db
    .selectFrom("access_grant")
    .select(["ended_at", "ended_by", "end_reason"])
    .where("id", "=", grantId)
    .executeTakeFirstOrThrow();
}

async function expiryAudits(grantId: number) {
  return t.database.db
    .selectFrom("audit_event")
    .select(["at", "actor_user_id", "outcome", "organization_id", "details"])
    .where("action", "=", "registry.expire")
    .where("target_type", "=", "access_grant")
    .where("target_id", "=", String(grantId))
    .execute();
}

async function endedMails(grantee: MadeUser) {
  await t.app.guichet.outbox.deliverDue();
  return (await readMailbox(t.config.mailDir)).filter(
    (mail) => mail.to.includes(grantee.email) && mail.subject === ENDED_SUBJECT,
  );
}

test("a right counts all its last day, late evening in Montréal included, and not after midnight there", async () => {
  const registry = await grantUntil("2026-11-25");

  // 23:45 in Montréal on the last day: already the 26th in UTC.
  t.clock.set("2026-11-26T04:45:00Z");
  assert.equal(montrealDay(t.clock()), "2026-11-25");
  assert.deepEqual(await rightSeen(registry), {
    right: "requester.write",
    inRegistry: true,
    inMyServices: true,
  });
  await runJobs(t.app);
  assert.equal((await grantRow(registry.grantId)).ended_at, null, "the job leaves a right on its last day");

  // 00:00:30 the next day: the right no longer counts, before any job has marked it.
  t.clock.set("2026-11-26T05:00:30Z");
  assert.equal(montrealDay(t.clock()), "2026-11-26");
  assert.equal((await grantRow(registry.grantId)).ended_at, null);
  assert.deepEqual(await rightSeen(registry), { right: null, inRegistry: false, inMyServices: false });
});

test("in summer too (UTC−4), the last day ends at midnight in Montréal", async () => {
  const registry = await grantUntil("2027-07-15");
  t.clock.set("2027-07-16T03:50:00Z");
  assert.equal((await rightSeen(registry)).right, "requester.write");
  t.clock.set("2027-07-16T04:00:30Z");
  assert.equal((await rightSeen(registry)).right, null);
});

test("the hourly job ends an expired right once, mails the grantee once and audits it", async () => {
  const registry = await grantUntil("2026-11-25");
  const jobRan = new Date("2026-11-26T05:00:30Z");
  t.clock.set(jobRan);
  await runJobs(t.app);
  t.clock.set("2026-11-26T06:00:30Z");
  await runJobs(t.app);

  const row = await grantRow(registry.grantId);
  assert.deepEqual(row, { ended_at: jobRan, ended_by: null, end_reason: "expired" });

  const audits = await expiryAudits(registry.grantId);
  assert.equal(audits.length, 1);
  assert.deepEqual(audits[0], {
    at: jobRan,
    actor_user_id: null,
    outcome: "success",
    organization_id: registry.target.organizationId,
    details: { serviceId: piqm.id, userId: registry.grantee.id, validUntil: "2026-11-25" },
  });

  const mails = await endedMails(registry.grantee);
  assert.equal(mails.length, 1);
  assert.match(mails[0]?.text ?? "", /«\u00a0Requérant – Rédaction\u00a0»/);
  assert.match(mails[0]?.text ?? "", /D34-PIQM/);
});

test("a right revoked before its end date is not ended again, mailed again or audited as expired", async () => {
  const registry = await grantUntil("2026-11-25");
  const revoked = await revokeRight(t.ctx(registry.manager.actor), registry.target, registry.grantId);
  assert.equal(revoked.ok, true);
  t.clock.set("2026-11-27T15:00:00Z");
  await runJobs(t.app);

  assert.equal((await grantRow(registry.grantId)).end_reason, "revoked");
  assert.equal((await expiryAudits(registry.grantId)).length, 0);
  assert.equal((await endedMails(registry.grantee)).length, 1, "the revocation's mail only");
});

test("a right without an end date outlives any number of jobs", async () => {
  const registry = await grantUntil("");
  t.clock.set("2031-01-01T12:00:00Z");
  await runJobs(t.app);
  assert.equal((await grantRow(registry.grantId)).ended_at, null);
  assert.equal((await rightSeen(registry)).right, "requester.write");
});
