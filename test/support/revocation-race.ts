// « No stale allow », shared by decisions.race.test.ts and `npm run bench -- decisions`: decisions asked while
// revocations commit from another connection to the same database — a right revoked, a procuration ended, an account
// disabled, a mandate ended — and not one of them may say « allowed » once its revocation's commit has returned. On
// PostgreSQL the two connections are two pools on one schema; embedded, two databases on one engine, each with its
// own read cache. The decisions are asked through the reading side's cache, as the decision API asks them: it must
// see the writing side's commit (the engine's write epoch is shared), or the stale answer is counted.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";
import { sql } from "kysely";
import { prepareDatabase } from "../../src/bootstrap.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { setUserEnabled } from "../../src/features/accounts/accounts.service.js";
import {
  assignMandate,
  createApplication,
  endMandate,
} from "../../src/features/applications/applications.service.js";
import {
  type Answer,
  decide,
  decideBatch,
  type Question,
} from "../../src/features/decisions/decisions.service.js";
import { endProcuration } from "../../src/features/procurations/procurations.service.js";
import { revokeRight, type ServiceTarget } from "../../src/features/registry/registry.service.js";
import { newSubmissionKey } from "../../src/features/submissions/submissions.service.js";
import type { Actor } from "../../src/policy/actor.js";
import type { Reason } from "../../src/policy/decision.js";
import { processEngine, type TestApp } from "./app.js";
import { Factories, type MadeUser } from "./factories.js";
import { RegistryFixtures } from "./registry-fixtures.js";

/** The decisions asked during the race. */
export const RACE_DECISIONS = 10_000;
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

export type RevocationRace = {
  /** The reading side, on which the decisions are asked. */
  reader: Database;
  subjects: Subject[];
  /** Drops the race's schema and closes both connections. */
  close(): Promise<void>;
};

export type RaceResult = {
  asked: number;
  revocations: number;
  /** Every subject's revocation returned by the end. */
  allRevoked: boolean;
  allowedBefore: number;
  deniedAfter: number;
  wrongfulAllows: number;
  /** Up to five wrongful allows, and denials after a revocation for another reason than its own. */
  wrongs: string[];
  seconds: number;
};

/**
 * Two databases on one schema: the same PostgreSQL server through two pools (url), or two on the process's one
 * embedded engine (test/support/app.ts): a second engine in a test process has aborted V8 (nodejs/node#64500), seen
 * again here in CI. On the engine the two take its single connection in turn, as two connections would.
 */
async function twoConnections(
  url: string | undefined,
): Promise<{ reader: Database; writer: Database; schema: string }> {
  const schema = `test_race_${randomBytes(6).toString("hex")}`;
  const engine = url ? undefined : await processEngine();
  const open = () => openDatabase(url ? { url, schema, poolSize: 3 } : { engine, schema });
  const first = await open();
  await prepareDatabase(first);
  return { reader: first, writer: await open(), schema };
}

/**
 * The race's world on its own schema: a service, a municipality with its local manager, an application, and
 * PER_KIND people per kind of revocation, each allowed to read until revoked. `t` gives the services and the clock;
 * `url` the PostgreSQL server, or none for the embedded engine.
 */
export async function prepareRevocationRace(t: TestApp, url: string | undefined): Promise<RevocationRace> {
  const { reader, writer, schema } = await twoConnections(url);
  const subjects: Subject[] = [];
  const close = async () => {
    await sql`drop schema ${sql.id(schema)} cascade`.execute(writer.db);
    await writer.close();
    await reader.close();
  };
  try {
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
    return { reader, subjects, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The race: every subject is first checked allowed (or this throws), then `decisions` decisions are asked, WORKERS at
 * once (one stream of batches of BATCH), while the revocations start one by one at even intervals; each answer is
 * counted by whether its subject's revocation had returned before it was asked.
 */
export async function runRevocationRace(
  race: RevocationRace,
  now: () => Date,
  decisions = RACE_DECISIONS,
): Promise<RaceResult> {
  const { reader, subjects } = race;
  for (const subject of subjects) {
    const answer = await decide(reader.db, now(), subject.question, reader.registryCache);
    if (!answer.allowed) throw new Error(`${subject.kind}: not allowed before the race`);
  }
  let asked = 0;
  let wrongful = 0;
  let allowedBefore = 0;
  let deniedAfter = 0;
  const wrongs: string[] = [];
  const revocations: Promise<void>[] = [];
  /**
   * The next subject to ask about. Every decisions / (subjects + 1) questions, the next revocation starts, alongside
   * the questions (the embedded engine answers in microtasks, so a revoker waiting on a timer would never get a turn).
   */
  const next = (): Subject | undefined => {
    const index = asked++;
    const due = Math.floor(((revocations.length + 1) * decisions) / (subjects.length + 1));
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
  // Each question waits for the event loop's next turn, as a request arriving over HTTP does: answers from the read
  // cache come in microtasks, and the engine's on its own thread come as messages (engine.ts), so askers that never
  // gave the loop a turn would starve the revocations of theirs.
  const single = async () => {
    while (asked < decisions) {
      await nextTurn();
      if (asked >= decisions) return;
      const subject = next();
      if (!subject) return;
      const revokedBefore = subject.revoked;
      const answer = await decide(reader.db, now(), subject.question, reader.registryCache);
      record(subject, revokedBefore, answer);
    }
  };
  const batched = async () => {
    while (asked < decisions) {
      await nextTurn();
      if (asked >= decisions) return;
      const batch: Subject[] = [];
      while (batch.length < BATCH && asked < decisions) {
        const subject = next();
        if (subject) batch.push(subject);
      }
      const revokedBefore = batch.map((subject) => subject.revoked);
      const questions = batch.map((subject) => subject.question);
      const answers = await decideBatch(reader.db, now(), questions, reader.registryCache);
      batch.forEach((subject, index) => {
        record(subject, revokedBefore[index] ?? false, answers[index]);
      });
    }
  };
  const started = performance.now();
  await Promise.all([batched(), ...Array.from({ length: WORKERS - 1 }, single)]);
  await Promise.all(revocations);
  return {
    asked,
    revocations: subjects.length,
    allRevoked: subjects.every((subject) => subject.revoked),
    allowedBefore,
    deniedAfter,
    wrongfulAllows: wrongful,
    wrongs,
    seconds: (performance.now() - started) / 1000,
  };
}
