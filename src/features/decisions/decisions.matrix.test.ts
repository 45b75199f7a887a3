// The authorization matrix of test/authz/matrix.test.ts asked a second time, through the decision API's core, for the
// actions it exposes: the same world, the same expected table written by hand from DOMAIN.md, 0 mismatches. Each
// question is asked alone (decide) and again in batches (decideBatch), which must answer the same. Over HTTP:
// test/http/decisions-api.matrix.test.ts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import { buildMatrixWorld, type MatrixWorld } from "../../../test/support/application-world.js";
import {
  decisionMatrixCells,
  type MatrixCell,
  mismatchesOf,
  userIdOf,
  verdictOf,
} from "../../../test/support/decision-matrix.js";
import { DECISION_ACTIONS, decide, decideBatch, MAX_BATCH, type Question } from "./decisions.service.js";

let t: TestApp;
let w: MatrixWorld;

before(async () => {
  t = await startTestApp();
  w = await buildMatrixWorld(t);
});
after(() => t.close());

function question(cell: MatrixCell): Question {
  const registry = w.world.registryTarget(cell.organization, cell.service);
  const base = {
    // Nobody signed in: an id no account has.
    userId: userIdOf(w.world, cell.kind) ?? -1,
    organizationId: registry.organizationId,
    serviceId: registry.service.id,
    action: cell.action,
  };
  if (cell.dossier === null) return base;
  const id = w.applications.of(cell.organization, cell.service)[cell.dossier];
  return { ...base, dossier: { kind: "application", id } };
}

test("the authorization matrix through the decision API: the same table, 0 mismatches", async () => {
  const { cells, count } = decisionMatrixCells(DECISION_ACTIONS);
  const questions = cells.map(question);
  const alone: string[] = [];
  const got: string[] = [];
  for (const each of questions) {
    const answer = await decide(t.database.db, t.clock(), each);
    alone.push(JSON.stringify(answer));
    got.push(verdictOf(answer));
  }
  const batched: string[] = [];
  for (let start = 0; start < questions.length; start += MAX_BATCH) {
    for (const answer of await decideBatch(
      t.database.db,
      t.clock(),
      questions.slice(start, start + MAX_BATCH),
    ))
      batched.push(JSON.stringify(answer));
  }
  const mismatches = mismatchesOf(cells, got);
  console.log(`decision matrix: ${cells.length} cases checked, ${mismatches.length} mismatches`);
  assert.ok(count > 0);
  assert.equal(cells.length, count);
  assert.deepEqual(mismatches, []);
  assert.deepEqual(batched, alone, "a batch answers as the questions asked alone");
});
