// Issue #15 § 3: a grant received, changed or ended tells the person by email, in their language. The registry's
// rights and deputies and the mandates assigned already did; these are the gaps filled: an association made and
// ended, a mandate ended (by a manager, or with its declared dossier), a procuration assigned, changed, brought to an end and withdrawn from one holder.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  assignMandate,
  createApplication,
  endMandate,
} from "../src/features/applications/applications.service.js";
import { closeDossier, declareDossier } from "../src/features/decisions/dossiers.service.js";
import {
  assignProcuration,
  changeProcuration,
  createProcuration,
  endProcuration,
  removeHolder,
} from "../src/features/procurations/procurations.service.js";
import type { ScopeForm } from "../src/features/procurations/procurations.validation.js";
import { dissociate, type RegistryService } from "../src/features/registry/registry.service.js";
import { newSubmissionKey } from "../src/features/submissions/submissions.service.js";
import { addDays, montrealDay } from "../src/util/days.js";
import { startTestApp, type TestApp } from "./support/app.js";
import type { MadeOrganization, MadeUser } from "./support/factories.js";
import { type PointTarget, RegistryFixtures } from "./support/registry-fixtures.js";
import { randomKey } from "./support/text.js";

let t: TestApp;
let fx: RegistryFixtures;
let S: RegistryService;

before(async () => {
  t = await startTestApp();
  fx = new RegistryFixtures(t);
  S = await fx.service("D34-PIQM");
});
after(() => t.close());

/** The emails queued for a person, oldest first. */
async function mailsTo(person: MadeUser) {
  return t.database.db
    .selectFrom("mail_outbox")
    .select(["subject", "text_body as text"])
    .where("to_address", "=", person.email)
    .orderBy("id")
    .execute();
}

async function speaksEnglish(person: MadeUser) {
  await t.database.db.updateTable("app_user").set({ locale: "en" }).where("id", "=", person.id).execute();
}

/** A firm with a service point in S, its agent manager, and one employee not yet associated. */
async function firm(): Promise<{
  firm: MadeOrganization;
  point: PointTarget;
  manager: MadeUser;
  agent: MadeUser;
}> {
  const organization = await t.factories.organization("firm");
  const pointId = await fx.servicePoint(organization);
  const manager = await t.factories.user(organization);
  const agent = await t.factories.user(organization, { firstName: "Amélie" });
  for (const user of [manager, agent]) await fx.procuration(user, { ministryId: S.ministry_id });
  await fx.role("agent_manager", manager, {
    organizationId: organization.id,
    service: S,
    servicePointId: pointId,
  });
  return {
    firm: organization,
    manager,
    agent,
    point: { service: S, organizationId: organization.id, servicePointId: pointId },
  };
}

test("an association made and an association ended each tell the person", async () => {
  const { firm: f, point, manager, agent } = await firm();
  const associationId = await fx.associate(manager, point, agent);
  assert.deepEqual(
    (await mailsTo(agent)).map((m) => m.subject),
    ["Guichet — association au service D34-PIQM"],
  );
  assert.match((await mailsTo(agent))[0]?.text ?? "", new RegExp(`gestionnaire de mandataires de ${f.name}`));

  const outcome = await dissociate(t.ctx(manager.actor), point, associationId);
  assert.equal(outcome.ok, true);
  const subjects = (await mailsTo(agent)).map((m) => m.subject);
  assert.deepEqual(subjects, [
    "Guichet — association au service D34-PIQM",
    "Guichet — fin de votre association au service D34-PIQM",
  ]);
});

test("an English-speaking person is told of their association in English", async () => {
  const { point, manager, agent } = await firm();
  await speaksEnglish(agent);
  await fx.associate(manager, point, agent);
  const [mail] = await mailsTo(agent);
  assert.equal(mail?.subject, "Guichet — associated with the service D34-PIQM");
  assert.match(mail?.text ?? "", /^Hello Amélie /);
});

test("a mandate ended by the local manager tells the agent", async () => {
  const { point, manager, agent } = await firm();
  await fx.associate(manager, point, agent);
  const org = await t.factories.organization();
  const local = await t.factories.user(org);
  const writer = await t.factories.user(org);
  for (const user of [local, writer]) await fx.procuration(user, { ministryId: S.ministry_id });
  await fx.role("local_manager", local, { organizationId: org.id, service: S });
  const registry = { service: S, organizationId: org.id };
  await fx.grant(local, registry, writer, "requester.write");
  await fx.grant(local, registry, agent, "agent.write");
  const created = await createApplication(t.ctx(writer.actor), registry, {
    title: "Réfection du pont",
    key: newSubmissionKey(),
  });
  assert.ok(created.ok);
  assert.ok((await assignMandate(t.ctx(local.actor), S, created.number, agent.userCode)).ok);
  const mandate = await t.database.db
    .selectFrom("mandate")
    .select("id")
    .where("agent_user_id", "=", agent.id)
    .where("ended_at", "is", null)
    .executeTakeFirstOrThrow();

  const ended = await endMandate(t.ctx(local.actor), S, mandate.id);
  assert.equal(ended.ok, true);
  const last = (await mailsTo(agent)).at(-1);
  assert.equal(last?.subject, "Guichet — fin d'un mandat (D34-PIQM)");
  assert.match(
    last?.text ?? "",
    new RegExp(`${org.name} a mis fin à votre mandat pour la demande ${created.number} — Réfection du pont`),
  );
  // Ending it again changes nothing and tells nobody twice.
  await endMandate(t.ctx(local.actor), S, mandate.id);
  assert.equal((await mailsTo(agent)).filter((m) => m.subject.includes("fin d'un mandat")).length, 1);

  // A mandate on a declared dossier ends when the online service closes the dossier: the agent is told too.
  const { dossier } = await declareDossier(t.database.db, t.clock(), {
    serviceId: S.id,
    externalId: `EXT-${agent.userCode}`,
    organizationId: org.id,
    title: "Chemin du Lac",
  });
  await t.database.db
    .insertInto("mandate")
    .values({
      declared_dossier_id: dossier.id,
      agent_user_id: agent.id,
      assigned_at: t.clock(),
      assigned_by: local.id,
    })
    .execute();
  const closed = await closeDossier(t.database.db, t.clock(), {
    serviceId: S.id,
    externalId: `EXT-${agent.userCode}`,
  });
  assert.equal(closed.endedMandateIds.length, 1);
  const closing = (await mailsTo(agent)).at(-1);
  assert.equal(closing?.subject, "Guichet — fin d'un mandat (D34-PIQM)");
  assert.match(
    closing?.text ?? "",
    new RegExp(`a fermé le dossier EXT-${agent.userCode} — Chemin du Lac de ${org.name}`),
  );
});

function scopeForm(endDate: string): ScopeForm {
  return {
    name: "Services du MAMH",
    endDate,
    ministryIds: [S.ministry_id],
    restricted: new Map([[S.ministry_id, false]]),
    serviceIds: new Map([[S.ministry_id, []]]),
  };
}

test("a procuration assigned, changed, brought to an earlier end, withdrawn and ended tells its holders", async () => {
  const org = await t.factories.organization();
  const rse = await t.factories.user(org, { servicesOfficer: true });
  const first = await t.factories.user(org, { firstName: "Paul" });
  const second = await t.factories.user(org, { firstName: "Pat" });
  await speaksEnglish(second);
  const today = montrealDay(t.clock());
  const ctx = () => t.ctx(rse.actor);

  const created = await createProcuration(ctx(), {
    form: scopeForm(addDays(today, 300)),
    holderIds: [first.id],
    submissionKey: randomKey(),
  });
  assert.ok(created.ok);
  const id = created.procurationId;
  assert.deepEqual(
    (await mailsTo(first)).map((m) => m.subject),
    ["Guichet — procuration attribuée\u00a0: Services du MAMH"],
  );
  assert.ok((await assignProcuration(ctx(), id, [second.id], randomKey())).ok);
  assert.deepEqual(
    (await mailsTo(second)).map((m) => m.subject),
    ["Guichet — procuration assigned: Services du MAMH"],
  );
  assert.equal((await mailsTo(first)).length, 1, "the first holder is not told of another's assignment");

  assert.ok((await changeProcuration(ctx(), id, scopeForm(addDays(today, 200)), randomKey())).ok);
  assert.equal(
    (await mailsTo(first)).at(-1)?.subject,
    "Guichet — procuration modifiée\u00a0: Services du MAMH",
  );
  assert.equal((await mailsTo(second)).at(-1)?.subject, "Guichet — procuration changed: Services du MAMH");

  assert.ok((await endProcuration(ctx(), id, { endDate: addDays(today, 100), immediately: false })).ok);
  assert.match((await mailsTo(first)).at(-1)?.text ?? "", /a avancé la fin de la procuration/);

  assert.equal(await removeHolder(ctx(), id, second.id), true);
  assert.equal((await mailsTo(second)).at(-1)?.subject, "Guichet — procuration withdrawn: Services du MAMH");
  const secondCount = (await mailsTo(second)).length;

  assert.ok((await endProcuration(ctx(), id, { endDate: "", immediately: true })).ok);
  assert.equal(
    (await mailsTo(first)).at(-1)?.subject,
    "Guichet — fin d'une procuration\u00a0: Services du MAMH",
  );
  assert.equal((await mailsTo(second)).length, secondCount, "a former holder is not told again");
  assert.deepEqual(
    (await mailsTo(rse)).map((m) => m.subject),
    [],
    "the services officer who acted gets none",
  );
});
