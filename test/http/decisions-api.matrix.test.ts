// The authorization matrix asked a second time through the decision API over HTTP (#14), for the actions the API
// exposes (its schema's enum): the matrix's world, a client of the services' ministry with its client-credentials
// token, each person by the pairwise subject the ministry received, each application of the world declared by the
// service as a dossier of its own (its number as the service's id) with the same mandates. Every cell is asked alone
// (POST /api/v1/decisions) and the whole table again in batches of 100 (POST /api/v1/decisions:batch): the same
// expected table as test/authz/matrix.test.ts, 0 mismatches.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { MAX_BATCH } from "../../src/features/decisions/decisions.service.js";
import { insertSubjects } from "../../src/features/decisions-api/decisions-api.queries.js";
import { questionSchema } from "../../src/features/decisions-api/decisions-api.schemas.js";
import { pairwiseSubject } from "../../src/features/federation/provider.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { APPLICATION_KINDS, buildMatrixWorld, type MatrixWorld } from "../support/application-world.js";
import type { Answer } from "../support/authz-table.js";
import {
  decisionMatrixCells,
  type MatrixCell,
  mismatchesOf,
  userIdOf,
  verdictOf,
} from "../support/decision-matrix.js";
import { API, ApiClient, apiToken } from "../support/decisions-api.js";
import { ACTOR_KINDS, ORGANIZATION_VARIANTS, SERVICE_VARIANTS } from "../support/registry-fixtures.js";
import { registerClient } from "../support/relying-party.js";

/** Nobody signed in: a subject the ministry was never handed. */
const NOBODY = "sujet-jamais-remis";

let t: TestApp;
let w: MatrixWorld;
let api: ApiClient;
let token: string;
const subjects = new Map<number, string>();

/**
 * The service declares each application of the world as its own dossier, under the application's number, and the
 * mandates on it (current and ended) are written again on the declared dossier, as its service would have them.
 */
async function declareTwins(): Promise<void> {
  const db = t.database.db;
  for (const organization of ORGANIZATION_VARIANTS) {
    for (const service of SERVICE_VARIANTS) {
      const registry = w.world.registryTarget(organization, service);
      const applications = w.applications.of(organization, service);
      for (const kind of APPLICATION_KINDS) {
        const number = applications[kind];
        const url = `${API}/services/${encodeURIComponent(registry.service.code)}/dossiers/${number}`;
        const body = { organization: registry.organizationId, title: `Dossier ${kind} ${number}` };
        const declared = await api.call("PUT", url, { token, body });
        assert.equal(declared.statusCode, 201, declared.body);
        const twin = await db
          .selectFrom("declared_dossier")
          .select("id")
          .where("service_id", "=", registry.service.id)
          .where("external_id", "=", String(number))
          .executeTakeFirstOrThrow();
        await db
          .insertInto("mandate")
          .columns([
            "declared_dossier_id",
            "agent_user_id",
            "assigned_at",
            "assigned_by",
            "ended_at",
            "ended_by",
            "end_reason",
          ])
          .expression((eb) =>
            eb
              .selectFrom("mandate")
              .innerJoin("application", "application.id", "mandate.application_id")
              .select([
                eb.val(twin.id).as("declared_dossier_id"),
                "mandate.agent_user_id",
                "mandate.assigned_at",
                "mandate.assigned_by",
                "mandate.ended_at",
                "mandate.ended_by",
                "mandate.end_reason",
              ])
              .where("application.number", "=", number),
          )
          .execute();
      }
    }
  }
}

before(async () => {
  t = await startTestApp();
  w = await buildMatrixWorld(t);
  const client = await registerClient(t, { ministryId: w.world.mamh.id });
  api = new ApiClient(t.app);
  token = await apiToken(t, client);
  // The subjects the ministry received for each person, as its sign-ins would have handed them.
  for (const kind of ACTOR_KINDS) {
    const userId = userIdOf(w.world, kind);
    if (userId !== undefined)
      subjects.set(userId, pairwiseSubject(t.config.oidcPairwiseSecret, w.world.mamh.id, String(userId)));
  }
  await insertSubjects(
    t.database.db,
    [...subjects].map(([userId, sub]) => ({ ministryId: w.world.mamh.id, sub, userId })),
    t.clock(),
  );
  await declareTwins();
});
after(() => t.close());

type QuestionBody = {
  subject: string;
  organization: number;
  service: string;
  action: string;
  dossier?: string;
};

function question(cell: MatrixCell): QuestionBody {
  const registry = w.world.registryTarget(cell.organization, cell.service);
  const userId = userIdOf(w.world, cell.kind);
  const base = {
    subject: userId === undefined ? NOBODY : (subjects.get(userId) ?? NOBODY),
    organization: registry.organizationId,
    service: registry.service.code,
    action: cell.action,
  };
  if (cell.dossier === null) return base;
  return { ...base, dossier: String(w.applications.of(cell.organization, cell.service)[cell.dossier]) };
}

type Problem = { code: string; errors?: { pointer?: string }[] };

/**
 * The answers of one request, in the table's words: a 200's answers; a 422 answers nothing (every name must resolve),
 * so each question its problem points at is told by the problem's code (unknown_subject), and the others none.
 */
function verdictsOf(
  response: LightMyRequestResponse,
  size: number,
  pointer: (index: number) => string,
): Answer[] {
  if (response.statusCode === 200) {
    const body: { answers?: { allowed: boolean; reason: string | null }[]; allowed?: boolean } =
      response.json();
    const answers = body.answers ?? [response.json()];
    return answers.map(verdictOf);
  }
  const problem: Problem = response.json();
  const named = new Set((problem.errors ?? []).map((error) => error.pointer));
  return Array.from({ length: size }, (_, index) =>
    named.has(pointer(index)) ? problem.code : `${response.statusCode} ${problem.code}`,
  );
}

test("the authorization matrix through the decision API over HTTP: the same table, alone and in batches, 0 mismatches", async () => {
  const { cells, count } = decisionMatrixCells(questionSchema.properties.action.enum);
  const questions = cells.map(question);

  const alone: Answer[] = [];
  const aloneBodies: string[] = [];
  for (const body of questions) {
    const response = await api.call("POST", `${API}/decisions`, { token, body });
    alone.push(...verdictsOf(response, 1, (_index) => "/subject"));
    aloneBodies.push(response.body);
  }

  // A batch naming a subject the ministry never received is refused whole (422): the questions of nobody signed in
  // are asked in batches of their own, the others together, 100 at a time.
  const batched: Answer[] = Array.from({ length: cells.length }, () => "unasked");
  const batchedBodies: string[] = Array.from({ length: cells.length }, () => "");
  const indexes = [...questions.keys()];
  const groups = [
    indexes.filter((index) => questions[index]?.subject !== NOBODY),
    indexes.filter((index) => questions[index]?.subject === NOBODY),
  ];
  let batches = 0;
  for (const group of groups) {
    for (let start = 0; start < group.length; start += MAX_BATCH) {
      const chunk = group.slice(start, start + MAX_BATCH);
      const body = { questions: chunk.map((index) => questions[index]) };
      const response = await api.call("POST", `${API}/decisions:batch`, { token, body });
      batches += 1;
      const verdicts = verdictsOf(response, chunk.length, (index) => `/questions/${index}/subject`);
      const answers: unknown[] =
        response.statusCode === 200 ? (response.json() as { answers: unknown[] }).answers : [];
      chunk.forEach((index, position) => {
        batched[index] = verdicts[position] ?? "unanswered";
        const answer = answers[position];
        batchedBodies[index] = answer === undefined ? "" : JSON.stringify(answer);
      });
    }
  }

  const mismatchesAlone = mismatchesOf(cells, alone);
  const mismatchesBatched = mismatchesOf(cells, batched);
  console.log(
    `decision matrix over HTTP: ${cells.length} cells of ${count} expected; alone: ${alone.length} asked, ` +
      `${mismatchesAlone.length} mismatches; in ${batches} batches: ${mismatchesBatched.length} mismatches`,
  );
  assert.ok(count > 0, "the API exposes actions of the matrix");
  assert.equal(cells.length, count);
  assert.equal(alone.length, count);
  assert.deepEqual(mismatchesAlone, []);
  assert.deepEqual(mismatchesBatched, []);
  // Where a batch answered, it answered as the question asked alone, chain and all.
  batchedBodies.forEach((body, index) => {
    if (body !== "")
      assert.deepEqual(JSON.parse(body), JSON.parse(aloneBodies[index] ?? "null"), cells[index]?.label);
  });
});
