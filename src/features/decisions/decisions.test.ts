// The decision API's core: the chain behind each answer (a requester, an agent, a services officer, managers), until
// when it holds, the questions that name nobody, batches and their shared loads, the menu of a service, and declared
// dossiers (declared once, never for two organizations, closed with their mandates).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Kysely, sql } from "kysely";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import type { MadeOrganization, MadeUser } from "../../../test/support/factories.js";
import { RegistryFixtures } from "../../../test/support/registry-fixtures.js";
import type { DB } from "../../db/schema.js";
import { addDays, montrealDay } from "../../util/days.js";
import { assignMandate, createApplication } from "../applications/applications.service.js";
import { insertHolders, insertProcuration, replaceScope } from "../procurations/procurations.queries.js";
import {
  dissociate,
  type RegistryService,
  revokeRight,
  type ServiceTarget,
} from "../registry/registry.service.js";
import { newSubmissionKey } from "../submissions/submissions.service.js";
import {
  accessOf,
  BatchTooLarge,
  DECISION_ACTIONS,
  decide,
  decideBatch,
  type Link,
  MAX_BATCH,
  type Question,
} from "./decisions.service.js";
import { closeDossier, DossierError, type DossierErrorCode, declareDossier } from "./dossiers.service.js";

let t: TestApp;
let fx: RegistryFixtures;
let S: RegistryService;
let O: MadeOrganization;
let O2: MadeOrganization;
let F: MadeOrganization;
let P: number;
let today: string;
let at: string;
let u: Record<"rse" | "L" | "D" | "RW" | "RR" | "AM" | "AW" | "plain" | "gone" | "staffO2" | "L2", MadeUser>;
/** The procurations the chains name, by holder; RR holds two. */
let procurations: Record<"L" | "RW" | "AW" | "RR" | "RRshort", number>;
let draft: number;
let unmandated: number;
let otherDraft: number;

const db = (): Kysely<DB> => t.database.db;
const ask = (question: Question) => decide(db(), t.clock(), question);
const registry = (organization: MadeOrganization): ServiceTarget => ({
  service: S,
  organizationId: organization.id,
});
const name = (user: MadeUser) => `${user.actor.firstName} ${user.actor.lastName}`;

async function procurationUntil(holder: MadeUser, endDate: string): Promise<number> {
  const id = await insertProcuration(db(), {
    organizationId: holder.organizationId,
    name: `Courte ${holder.userCode}`,
    startDate: addDays(today, -10),
    endDate,
    createdBy: holder.id,
    now: t.clock(),
  });
  await replaceScope(db(), id, [{ ministryId: S.ministry_id, restricted: true, serviceIds: [S.id] }]);
  await insertHolders(db(), id, [holder.id], holder.id, t.clock());
  return id;
}

before(async () => {
  t = await startTestApp();
  fx = new RegistryFixtures(t);
  const f = t.factories;
  today = montrealDay(t.clock());
  at = t.clock().toISOString();
  S = await fx.service("D34-PIQM");
  const ministryId = S.ministry_id;
  O = await f.organization("municipality");
  O2 = await f.organization("municipality");
  F = await f.organization("firm");
  P = await fx.servicePoint(F, "Bureau de Québec");
  u = {
    rse: await f.user(O, { servicesOfficer: true }),
    L: await f.user(O, { firstName: "Louise", lastName: "Lemieux" }),
    D: await f.user(O),
    RW: await f.user(O),
    RR: await f.user(O),
    plain: await f.user(O),
    gone: await f.user(O, { disabled: true }),
    AM: await f.user(F),
    AW: await f.user(F),
    staffO2: await f.user(O2),
    L2: await f.user(O2),
  };
  procurations = {
    L: await fx.procuration(u.L, { ministryId }),
    RW: await fx.procuration(u.RW, { ministryId }),
    AW: await fx.procuration(u.AW, { ministryId }),
    RR: await fx.procuration(u.RR, { ministryId }),
    // RR also holds a shorter one, restricted to S: the chain names the one that lasts.
    RRshort: await procurationUntil(u.RR, addDays(today, 10)),
  };
  for (const user of [u.D, u.plain, u.AM, u.L2, u.staffO2]) await fx.procuration(user, { ministryId });
  await fx.role("local_manager", u.L, { organizationId: O.id, service: S });
  await fx.role("local_manager", u.L2, { organizationId: O2.id, service: S });
  await fx.nameDeputy(u.L, registry(O), u.D);
  await fx.role("agent_manager", u.AM, { organizationId: F.id, service: S, servicePointId: P });
  await fx.associate(u.AM, { service: S, organizationId: F.id, servicePointId: P }, u.AW);
  await fx.grant(u.L, registry(O), u.RW, "requester.write", addDays(today, 100));
  await fx.grant(u.L, registry(O), u.RR, "requester.read");
  await fx.grant(u.L, registry(O), u.rse, "requester.write");
  await fx.grant(u.L, registry(O), u.AW, "agent.write", addDays(today, 200));
  await fx.grant(u.L2, registry(O2), u.staffO2, "requester.write");
  const create = async (writer: MadeUser, organization: MadeOrganization, title: string) => {
    const created = await createApplication(t.ctx(writer.actor), registry(organization), {
      title,
      key: newSubmissionKey(),
    });
    assert.ok(created.ok);
    return created.number;
  };
  draft = await create(u.RW, O, "Réfection de la rue Saint-Jean");
  unmandated = await create(u.RW, O, "Remplacement des conduites");
  otherDraft = await create(u.staffO2, O2, "Demande d'O2");
  const mandated = await assignMandate(t.ctx(u.L.actor), S, draft, u.AW.userCode);
  assert.ok(mandated.ok);
});
after(() => t.close());

function about(user: MadeUser, action: Question["action"], dossier?: Question["dossier"]): Question {
  return { userId: user.id, organizationId: O.id, serviceId: S.id, action, ...(dossier ? { dossier } : {}) };
}

const application = (id: number) => ({ kind: "application" as const, id });

describe("the chain that allows", () => {
  test("a requester: their procuration, then their right, until the right's last day", async () => {
    const answer = await ask(about(u.RW, "application.edit", application(draft)));
    assert.deepEqual(answer, {
      allowed: true,
      reason: null,
      because: [
        { kind: "procuration", id: procurations.RW, until: addDays(today, 730) },
        {
          kind: "right",
          right: "requester.write",
          grantedBy: { userCode: u.L.userCode, name: "Louise Lemieux" },
          since: at,
          until: addDays(today, 100),
        },
      ],
      validUntil: addDays(today, 100),
    });
  });

  test("a right without an end: the procuration's last day is the chain's", async () => {
    const answer = await ask(about(u.RR, "application.read", application(draft)));
    assert.equal(answer.allowed, true);
    assert.deepEqual(answer.because[0], {
      kind: "procuration",
      id: procurations.RR,
      until: addDays(today, 730),
    });
    assert.equal(answer.because[1]?.kind, "right");
    assert.equal(answer.validUntil, addDays(today, 730), "the longer of two procurations holds the chain");
  });

  test("an agent: their firm's procuration, their association, their agent right, the mandate on the dossier", async () => {
    const answer = await ask(about(u.AW, "application.edit", application(draft)));
    const expected: Link[] = [
      { kind: "procuration", id: procurations.AW, until: addDays(today, 730) },
      { kind: "association", servicePointId: P, firm: { id: F.id, name: F.name }, since: at },
      {
        kind: "right",
        right: "agent.write",
        grantedBy: { userCode: u.L.userCode, name: name(u.L) },
        since: at,
        until: addDays(today, 200),
      },
      { kind: "mandate", dossier: application(draft), since: at, until: null },
    ];
    assert.deepEqual(answer, {
      allowed: true,
      reason: null,
      because: expected,
      validUntil: addDays(today, 200),
    });
  });

  test("a services officer holds the enterprise layer by their role: no procuration, no end", async () => {
    const answer = await ask(about(u.rse, "application.transmit", application(draft)));
    assert.equal(answer.allowed, true);
    assert.deepEqual(
      answer.because.map((link) => link.kind),
      ["servicesOfficer", "right"],
    );
    assert.equal(answer.validUntil, null);
  });

  test("managers: the local manager's and the deputy's role, after their procuration", async () => {
    const manager = await ask(about(u.L, "registry.view"));
    assert.deepEqual(manager.because, [
      { kind: "procuration", id: procurations.L, until: addDays(today, 730) },
      { kind: "localManager", since: at },
    ]);
    const deputy = await ask(about(u.D, "mandate.assign"));
    assert.deepEqual(
      deputy.because.map((link) => link.kind),
      ["procuration", "deputy"],
    );
  });

  test("a requester needs no mandate: none is in their chain", async () => {
    const answer = await ask(about(u.RW, "application.read", application(unmandated)));
    assert.deepEqual(
      answer.because.map((link) => link.kind),
      ["procuration", "right"],
    );
  });
});

describe("denied: the reason, and the links found before the one missing", () => {
  test("an agent on a dossier not mandated to them", async () => {
    const answer = await ask(about(u.AW, "application.edit", application(unmandated)));
    assert.equal(answer.allowed, false);
    assert.equal(answer.reason, "not_mandated");
    assert.deepEqual(
      answer.because.map((link) => link.kind),
      ["procuration", "association", "right"],
    );
    assert.equal(answer.validUntil, null);
  });

  test("an agent without a dossier named: their mandates name one each", async () => {
    const answer = await ask(about(u.AW, "application.read"));
    assert.equal(answer.reason, "not_mandated");
  });

  test("a reader asked to write, a manager asked to read, someone with a procuration only", async () => {
    const reader = await ask(about(u.RR, "application.edit", application(draft)));
    assert.equal(reader.reason, "read_only_right");
    assert.deepEqual(
      reader.because.map((link) => link.kind),
      ["procuration"],
    );
    const manager = await ask(about(u.L, "application.read", application(draft)));
    assert.equal(manager.reason, "no_right");
    const plain = await ask(about(u.plain, "registry.view"));
    assert.equal(plain.reason, "not_registry_manager");
    assert.deepEqual(
      plain.because.map((link) => link.kind),
      ["procuration"],
    );
  });

  test("a services officer who is no manager: their role, not the registry's", async () => {
    const answer = await ask(about(u.rse, "registry.view"));
    assert.equal(answer.reason, "not_registry_manager");
    assert.deepEqual(answer.because, [{ kind: "servicesOfficer" }]);
  });

  test("another organization's registry: nothing of one's own leads there", async () => {
    const answer = await ask({ ...about(u.L, "registry.view"), organizationId: O2.id });
    assert.equal(answer.reason, "other_organization");
    assert.deepEqual(answer.because, []);
  });
});

describe("questions that name nobody Guichet knows", () => {
  test("an unknown person, a disabled one, an unknown organization, service or dossier", async () => {
    const cases: [Question, string][] = [
      [{ ...about(u.RW, "application.read"), userId: 987_654_321 }, "unknown_subject"],
      [{ ...about(u.RW, "application.read"), userId: Number.NaN }, "unknown_subject"],
      [about(u.gone, "application.read"), "user_disabled"],
      [{ ...about(u.RW, "application.read"), organizationId: 987_654_321 }, "unknown_organization"],
      [{ ...about(u.RW, "application.read"), serviceId: 987_654_321 }, "unknown_service"],
      [about(u.RW, "application.read", application(1)), "unknown_dossier"],
      // Another organization's application: the same answer, so existence never leaks.
      [about(u.RW, "application.read", application(otherDraft)), "unknown_dossier"],
      [about(u.RW, "application.read", { kind: "declared", externalId: "nulle-part" }), "unknown_dossier"],
    ];
    for (const [question, reason] of cases) {
      assert.deepEqual(
        await ask(question),
        { allowed: false, reason, because: [], validUntil: null },
        JSON.stringify(question),
      );
    }
  });

  test("an action the decision API does not answer is denied as having no rule", async () => {
    // What the type forbids, the HTTP layer's schema will refuse; the core denies it all the same.
    const question = about(u.RW, "application.read");
    Reflect.set(question, "action", "account.create");
    assert.equal((await ask(question)).reason, "no_rule");
  });
});

/** Counts the statements sent through it. */
function counting(): { db: Kysely<DB>; count: () => number } {
  let statements = 0;
  const counted = db().withPlugin({
    transformQuery: (args) => {
      statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { db: counted, count: () => statements };
}

describe("batches", () => {
  test("a batch answers each question as asked alone, in order", async () => {
    const questions = [
      about(u.RW, "application.edit", application(draft)),
      about(u.AW, "application.edit", application(unmandated)),
      about(u.gone, "application.read"),
      about(u.L, "registry.view"),
      about(u.AW, "application.edit", application(draft)),
    ];
    const alone = [];
    for (const question of questions) alone.push(await ask(question));
    assert.deepEqual(await decideBatch(db(), t.clock(), questions), alone);
    assert.deepEqual(await decideBatch(db(), t.clock(), []), []);
  });

  test("one statement answers a batch; the facts of each (person, organization, service) are read once", async () => {
    const questions = Array.from({ length: MAX_BATCH }, (_, index) => ({
      ...about(
        index < 50 ? u.AW : u.RW,
        DECISION_ACTIONS[index % DECISION_ACTIONS.length] ?? "application.read",
        application(index % 2 === 0 ? draft : unmandated),
      ),
    }));
    const probe = counting();
    const calls = await probe.db.transaction().execute(async (trx) => {
      // The calls of PL/pgSQL functions made in this transaction, as PostgreSQL counts them.
      await sql`set local track_functions = 'pl'`.execute(trx);
      const before = probe.count();
      const answers = await decideBatch(trx, t.clock(), questions);
      assert.equal(answers.length, MAX_BATCH);
      assert.equal(probe.count() - before, 1, "one statement for the whole batch");
      const counted = await sql<{ facts: number | null }>`
        select pg_stat_get_xact_function_calls('registry_service_facts'::regproc) as facts`.execute(trx);
      return counted.rows[0]?.facts;
    });
    assert.equal(calls, 2, "two people in one registry: their facts read once each, whatever the dossiers");
    const single = counting();
    await decide(single.db, t.clock(), about(u.AW, "application.edit", application(draft)));
    assert.equal(single.count(), 1);
  });

  test("a batch of 101 is refused whole, before anything is read", async () => {
    const probe = counting();
    const questions = Array.from({ length: MAX_BATCH + 1 }, () => about(u.RW, "application.read"));
    await assert.rejects(decideBatch(probe.db, t.clock(), questions), (error: unknown) => {
      assert.ok(error instanceof BatchTooLarge);
      assert.equal(error.size, 101);
      assert.equal(error.limit, 100);
      return true;
    });
    assert.equal(probe.count(), 0);
  });
});

describe("what a person may do in a service, for whom (the menu)", () => {
  test("requesters, agents, managers, and someone with nothing there", async () => {
    const menu = async (user: MadeUser) =>
      (await accessOf(db(), t.clock(), user.id, S.id)).map((access) => ({
        organization: access.organization.id,
        actions: access.actions,
      }));
    const dossierActions = [
      "application.list",
      "application.create",
      "application.read",
      "application.edit",
      "application.transmit",
    ];
    assert.deepEqual(await menu(u.RW), [{ organization: O.id, actions: dossierActions }]);
    assert.deepEqual(await menu(u.RR), [
      { organization: O.id, actions: ["application.list", "application.read"] },
    ]);
    // The agent acts for the client, not for the firm; the dossiers each need their mandate.
    assert.deepEqual(await menu(u.AW), [
      { organization: O.id, actions: ["application.list", "application.create"] },
    ]);
    const managing = DECISION_ACTIONS.filter((action) => !action.startsWith("application."));
    assert.deepEqual(await menu(u.L), [{ organization: O.id, actions: managing }]);
    assert.deepEqual(await menu(u.D), [
      { organization: O.id, actions: managing.filter((action) => !action.startsWith("deputy.")) },
    ]);
    assert.deepEqual(await menu(u.plain), []);
    assert.deepEqual(
      await menu(u.AM),
      [],
      "an agent manager's role is about their firm's point, not a registry",
    );
    assert.deepEqual(await menu(u.gone), []);
    assert.deepEqual(await accessOf(db(), t.clock(), u.RW.id, 987_654_321), []);
  });
});

describe("declared dossiers", () => {
  const declared = (externalId: string) => ({ kind: "declared" as const, externalId });

  async function mandateOn(dossierId: number, agent: MadeUser): Promise<number> {
    const row = await db()
      .insertInto("mandate")
      .values({
        declared_dossier_id: dossierId,
        agent_user_id: agent.id,
        assigned_at: t.clock(),
        assigned_by: u.L.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A declaration of a dossier of O in S. */
  const ofO = (externalId: string, title: string) => ({
    serviceId: S.id,
    externalId,
    organizationId: O.id,
    title,
  });
  const declareOfO = (externalId: string, title: string) =>
    declareDossier(db(), t.clock(), ofO(externalId, title));

  async function refusedWith(work: Promise<unknown>, code: DossierErrorCode) {
    await assert.rejects(work, (error: unknown) => error instanceof DossierError && error.code === code);
  }

  async function mandateRow(id: number) {
    return db().selectFrom("mandate").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  }

  test("declaring is idempotent for the same organization: one dossier, its title as given last", async () => {
    const input = ofO("PAVL-2026-001", "Rang Saint-Joseph");
    const first = await declareDossier(db(), t.clock(), input);
    assert.equal(first.created, true);
    const again = await declareDossier(db(), t.clock(), { ...input, title: "Rang Saint-Joseph, phase 2" });
    assert.equal(again.created, false);
    assert.equal(again.dossier.id, first.dossier.id);
    assert.equal(again.dossier.title, "Rang Saint-Joseph, phase 2");
    assert.equal(again.dossier.declaredAt.getTime(), first.dossier.declaredAt.getTime());
  });

  test("declared again for another organization, for one that does not exist, or malformed: refused, nothing changed", async () => {
    const input = ofO("PAVL-2026-002", "Pont du ruisseau");
    const first = await declareDossier(db(), t.clock(), input);
    const refusal = (change: Partial<typeof input>, code: DossierErrorCode) =>
      refusedWith(declareDossier(db(), t.clock(), { ...input, ...change }), code);
    await refusal({ organizationId: O2.id, title: "Autre titre" }, "organization_conflict");
    await refusal({ organizationId: 987_654_321 }, "unknown_organization");
    await refusal({ externalId: "PAVL-9", organizationId: 987_654_321 }, "unknown_organization");
    await refusal({ serviceId: 987_654_321 }, "unknown_service");
    await refusal({ title: "  " }, "invalid_dossier");
    await refusal({ externalId: "x".repeat(201) }, "invalid_dossier");
    const row = await db()
      .selectFrom("declared_dossier")
      .selectAll()
      .where("id", "=", first.dossier.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.organization_id, O.id);
    assert.equal(row.title, "Pont du ruisseau");
    const count = await db()
      .selectFrom("declared_dossier")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("external_id", "=", "PAVL-9")
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  test("decisions name declared dossiers as they name applications", async () => {
    const { dossier } = await declareOfO("PAVL-2026-003", "Chemin du Lac");
    const onIt = declared("PAVL-2026-003");
    assert.equal((await ask(about(u.RW, "application.edit", onIt))).allowed, true);
    assert.equal((await ask(about(u.AW, "application.edit", onIt))).reason, "not_mandated");
    await mandateOn(dossier.id, u.AW);
    const agent = await ask(about(u.AW, "application.edit", onIt));
    assert.equal(agent.allowed, true);
    assert.deepEqual(agent.because.at(-1), { kind: "mandate", dossier: onIt, since: at, until: null });
    // Declared for O, asked about for O2: unknown there.
    const elsewhere = await ask({ ...about(u.staffO2, "application.read", onIt), organizationId: O2.id });
    assert.equal(elsewhere.reason, "unknown_dossier");
  });

  test("closing ends the mandates on the dossier at once; closing again changes nothing; declaring again reopens it", async () => {
    const key = { serviceId: S.id, externalId: "PAVL-2026-004" };
    const { dossier } = await declareOfO(key.externalId, "Aqueduc");
    const mandate = await mandateOn(dossier.id, u.AW);
    assert.equal((await ask(about(u.AW, "application.read", declared(key.externalId)))).allowed, true);
    const closed = await closeDossier(db(), t.clock(), key);
    assert.equal(closed.closed, true);
    assert.deepEqual(closed.endedMandateIds, [mandate]);
    assert.equal((await mandateRow(mandate)).end_reason, "dossier_closed");
    assert.equal(
      (await ask(about(u.AW, "application.read", declared(key.externalId)))).reason,
      "not_mandated",
    );
    // The organization's own requesters still read a closed dossier: its status is the service's to weigh.
    assert.equal((await ask(about(u.RW, "application.read", declared(key.externalId)))).allowed, true);
    const again = await closeDossier(db(), t.clock(), key);
    assert.deepEqual([again.closed, again.endedMandateIds], [false, []]);
    const reopened = await declareOfO(key.externalId, "Aqueduc");
    assert.equal(reopened.dossier.closedAt, null);
    assert.equal(
      (await ask(about(u.AW, "application.read", declared(key.externalId)))).reason,
      "not_mandated",
    );
    await refusedWith(closeDossier(db(), t.clock(), { ...key, externalId: "nulle-part" }), "unknown_dossier");
  });

  test("a mandate names one dossier exactly: an application or a declared one", async () => {
    const { dossier } = await declareOfO("PAVL-2026-005", "Trottoirs");
    const application = await db()
      .selectFrom("application")
      .select("id")
      .where("number", "=", draft)
      .executeTakeFirstOrThrow();
    const base = { agent_user_id: u.AW.id, assigned_at: t.clock(), assigned_by: u.L.id };
    await assert.rejects(
      db()
        .insertInto("mandate")
        .values({ ...base, application_id: application.id, declared_dossier_id: dossier.id })
        .execute(),
    );
    await assert.rejects(db().insertInto("mandate").values(base).execute());
  });

  test("ending the agent's right ends their mandates on declared dossiers too, as on applications", async () => {
    const point = { service: S, organizationId: F.id, servicePointId: P };
    const agentOf = async (externalId: string) => {
      const agent = await t.factories.user(F);
      await fx.procuration(agent, { ministryId: S.ministry_id });
      const association = await fx.associate(u.AM, point, agent);
      const grant = await fx.grant(u.L, registry(O), agent, "agent.read");
      const { dossier } = await declareOfO(externalId, "Éclairage");
      const mandate = await mandateOn(dossier.id, agent);
      assert.equal((await ask(about(agent, "application.read", declared(externalId)))).allowed, true);
      return { agent, association, grant, mandate };
    };
    const revoked = await agentOf("PAVL-2026-006");
    assert.ok((await revokeRight(t.ctx(u.L.actor), registry(O), revoked.grant)).ok);
    const row = await mandateRow(revoked.mandate);
    assert.deepEqual([row.end_reason, row.ended_by], ["right_ended", u.L.id]);
    // Granted again, the agent has the right but not the old mandate.
    await fx.grant(u.L, registry(O), revoked.agent, "agent.read");
    const again = await ask(about(revoked.agent, "application.read", declared("PAVL-2026-006")));
    assert.equal(again.reason, "not_mandated");
    const dissociated = await agentOf("PAVL-2026-007");
    assert.ok((await dissociate(t.ctx(u.AM.actor), point, dissociated.association)).ok);
    assert.equal((await mandateRow(dissociated.mandate)).end_reason, "dissociated");
  });
});
