// « No stale allow »: ten thousand decisions, asked while revocations commit from another connection to the same
// database — a right revoked, a procuration ended, an account disabled, a mandate ended — and not one of them may say
// « allowed » once its revocation's commit has returned. On PostgreSQL the two connections are two pools on one
// schema; embedded, two databases on one engine, each with its own read cache, so a decision answered from the
// reading side's cache would miss the writing side's commit and be counted here.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import { Factories, type MadeUser } from "../../../test/support/factories.js";
import { RegistryFixtures } from "../../../test/support/registry-fixtures.js";
import { prepareDatabase } from "../../bootstrap.js";
import { createEngine, type Database, openDatabase } from "../../db/database.js";
import type { Actor } from "../../policy/actor.js";
import type { Reason } from "../../policy/decision.js";
import { setUserEnabled } from "../accounts/accounts.service.js";
import { assignMandate, createApplication, endMandate } from "../applications/applications.service.js";
import { endProcuration } from "../procurations/procurations.service.js";
import { revokeRight, type ServiceTarget } from "../registry/registry.service.js";
import { newSubmissionKey } from "../submissions/submissions.service.js";
import { type Answer, decide, decideBatch, type Question } from "./decisions.service.js";

/** The decisions asked during the race. */
const DECISIONS = 10_000;
/** People whose access is revoked during the race, for each kind of revocation. */
const PER_KIND = 5;
/** Decisions asked at once: single questions, and one stream of small batches. */
const WORKERS = 4;
const BATCH = 5;

type Revocation = "right revoked" | "procuration ended" | "account disabled" | "mandate ended";

type Subject = {
  kind: Revocation;
  question: Question;
  /** Why the policy denies once the revocation has committed. */
  reason: Reason;
  revoke: () => Promise<void>;
  /** Set once the revocation's commit has returned: from then on, every decision asked must deny. */
  revoked: boolean;
};

let t: TestApp;
let reader: Database;
let writer: Database;
let schema: string;
const subjects: Subject[] = [];

/** Two databases on one schema: the same PostgreSQL server through two pools, or the same embedded engine. */
async function twoConnections(): Promise<{ reader: Database; writer: Database }> {
  const url = process.env.DATABASE_URL;
  schema = `test_race_${randomBytes(6).toString("hex")}`;
  // A second engine of this process, as test/support/app.ts keeps its own: never closed (nodejs/node#64500).
  const engine = url ? undefined : await createEngine();
  const open = () => openDatabase(url ? { url, schema, poolSize: 3 } : { engine, schema });
  const first = await open();
  await prepareDatabase(first);
  return { reader: first, writer: await open() };
}

before(async () => {
  t = await startTestApp();
  ({ reader, writer } = await twoConnections());
  // The test app's services and clock, on the race's own database.
  const own: TestApp = {
    ...t,
    database: reader,
    factories: new Factories(reader.db, t.app.guichet.services.hasher, t.clock),
    ctx: (actor?: Actor) => ({ ...t.ctx(actor), db: reader.db }),
  };
  const fx = new RegistryFixtures(own);
  const f = own.factories;
  const S = await fx.service("D34-PIQM");
  const ministryId = S.ministry_id;
  const O = await f.organization("municipality");
  const F = await f.organization("firm");
  const P = await fx.servicePoint(F);
  const rse = await f.user(O, { servicesOfficer: true });
  const L = await f.user(O);
  const AM = await f.user(F);
  const writerRow = await f.user(O);
  for (const user of [L, AM, writerRow]) await fx.procuration(user, { ministryId });
  const target: ServiceTarget = { service: S, organizationId: O.id };
  await fx.role("local_manager", L, { organizationId: O.id, service: S });
  await fx.role("agent_manager", AM, { organizationId: F.id, service: S, servicePointId: P });
  await fx.grant(L, target, writerRow, "requester.write");
  const created = await createApplication(own.ctx(writerRow.actor), target, {
    title: "Course",
    key: newSubmissionKey(),
  });
  assert.ok(created.ok);
  const dossier = { kind: "application" as const, id: created.number };
  // Revocations go through the other connection.
  const from = (user: MadeUser) => ({ ...t.ctx(user.actor), db: writer.db });
  const ask = (user: MadeUser, withDossier = false): Question => ({
    userId: user.id,
    organizationId: O.id,
    serviceId: S.id,
    action: "application.read",
    ...(withDossier ? { dossier } : {}),
  });

  for (let n = 0; n < PER_KIND; n++) {
    const requester = await f.user(O);
    await fx.procuration(requester, { ministryId });
    const grant = await fx.grant(L, target, requester, "requester.read");
    subjects.push({
      kind: "right revoked",
      reason: "no_right",
      question: ask(requester),
      revoke: async () => assert.ok((await revokeRight(from(L), target, grant)).ok),
      revoked: false,
    });

    const holder = await f.user(O);
    const procuration = await fx.procuration(holder, { ministryId });
    await fx.grant(L, target, holder, "requester.read");
    subjects.push({
      kind: "procuration ended",
      reason: "no_procuration",
      question: ask(holder),
      revoke: async () => {
        const ended = await endProcuration(from(rse), procuration, { endDate: "", immediately: true });
        assert.ok(ended.ok && ended.changed);
      },
      revoked: false,
    });

    const person = await f.user(O);
    await fx.procuration(person, { ministryId });
    await fx.grant(L, target, person, "requester.read");
    subjects.push({
      kind: "account disabled",
      reason: "user_disabled",
      question: ask(person),
      revoke: async () => assert.ok((await setUserEnabled(from(rse), person.userCode, false)).changed),
      revoked: false,
    });

    const agent = await f.user(F);
    await fx.procuration(agent, { ministryId });
    await fx.associate(AM, { service: S, organizationId: F.id, servicePointId: P }, agent);
    await fx.grant(L, target, agent, "agent.read");
    assert.ok((await assignMandate(own.ctx(L.actor), S, created.number, agent.userCode)).ok);
    const mandate = await reader.db
      .selectFrom("mandate")
      .select("id")
      .where("agent_user_id", "=", agent.id)
      .where("ended_at", "is", null)
      .executeTakeFirstOrThrow();
    subjects.push({
      kind: "mandate ended",
      reason: "not_mandated",
      question: ask(agent, true),
      revoke: async () => assert.ok((await endMandate(from(L), S, mandate.id)).ok),
      revoked: false,
    });
  }
});

after(async () => {
  await sql`drop schema ${sql.id(schema)} cascade`.execute(writer.db);
  await writer.close();
  await reader.close();
  await t.close();
});

test(`no stale allow: ${DECISIONS} decisions interleaved with revocations from another connection, 0 wrongful allows`, async () => {
  for (const subject of subjects) {
    const answer = await decide(reader.db, t.clock(), subject.question);
    assert.ok(answer.allowed, `${subject.kind}: allowed before the race`);
  }
  let asked = 0;
  let wrongful = 0;
  let allowedBefore = 0;
  let deniedAfter = 0;
  const wrongs: string[] = [];
  const revocations: Promise<void>[] = [];
  /**
   * The next subject to ask about. Every DECISIONS / (subjects + 1) questions, the next revocation starts, alongside
   * the questions (the embedded engine answers in microtasks, so a revoker waiting on a timer would never get a turn).
   */
  const next = (): Subject | undefined => {
    const index = asked++;
    const due = Math.floor(((revocations.length + 1) * DECISIONS) / (subjects.length + 1));
    const revoked = subjects[revocations.length];
    if (revoked && index === due) {
      revocations.push(
        revoked.revoke().then(() => {
          revoked.revoked = true;
        }),
      );
    }
    return subjects[index % subjects.length];
  };
  /** Each answer, by whether its subject's revocation had returned before it was asked; a denial must say why. */
  const record = (subject: Subject, revokedBefore: boolean, answer: Answer | undefined) => {
    if (answer?.allowed && revokedBefore) {
      wrongful++;
      if (wrongs.length < 5) wrongs.push(`${subject.kind} (${subject.question.userId})`);
    }
    if (answer?.allowed && !revokedBefore) allowedBefore++;
    if (!answer?.allowed && revokedBefore) {
      deniedAfter++;
      if (answer?.reason !== subject.reason && wrongs.length < 5)
        wrongs.push(`${subject.kind}: denied as ${answer?.reason}, not ${subject.reason}`);
    }
  };
  const single = async () => {
    while (asked < DECISIONS) {
      const subject = next();
      if (!subject) return;
      const revokedBefore = subject.revoked;
      const answer = await decide(reader.db, t.clock(), subject.question);
      record(subject, revokedBefore, answer);
    }
  };
  const batched = async () => {
    while (asked < DECISIONS) {
      const batch: Subject[] = [];
      while (batch.length < BATCH && asked < DECISIONS) {
        const subject = next();
        if (subject) batch.push(subject);
      }
      const revokedBefore = batch.map((subject) => subject.revoked);
      const questions = batch.map((subject) => subject.question);
      const answers = await decideBatch(reader.db, t.clock(), questions);
      batch.forEach((subject, index) => {
        record(subject, revokedBefore[index] ?? false, answers[index]);
      });
    }
  };
  const started = performance.now();
  await Promise.all([batched(), ...Array.from({ length: WORKERS - 1 }, single)]);
  await Promise.all(revocations);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `no stale allow: ${asked} decisions in ${seconds.toFixed(1)} s (${Math.round(asked / seconds)}/s), ` +
      `${subjects.length} revocations, ${allowedBefore} allowed before theirs, ${deniedAfter} denied after, ` +
      `${wrongful} wrongful allows`,
  );
  assert.equal(asked, DECISIONS);
  assert.ok(subjects.every((subject) => subject.revoked));
  assert.ok(allowedBefore > 0 && deniedAfter > 0, "the race both allowed and denied");
  assert.deepEqual(wrongs, []);
  assert.equal(wrongful, 0);
});
