// « No stale allow »: ten thousand decisions, asked while revocations commit from another connection to the same
// database — a right revoked, a procuration ended, an account disabled, a mandate ended — and not one of them may say
// « allowed » once its revocation's commit has returned. On PostgreSQL the two connections are two pools on one
// schema; embedded, two databases on one engine, each with its own read cache, so a decision answered from the
// reading side's cache would miss the writing side's commit and be counted here. The race itself is in
// test/support/revocation-race.ts, which `npm run bench -- decisions` runs too.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import {
  prepareRevocationRace,
  RACE_DECISIONS,
  type RevocationRace,
  runRevocationRace,
} from "../../../test/support/revocation-race.js";

let t: TestApp;
let race: RevocationRace;

before(async () => {
  t = await startTestApp();
  race = await prepareRevocationRace(t, process.env.DATABASE_URL);
});

after(async () => {
  await race.close();
  await t.close();
});

test(`no stale allow: ${RACE_DECISIONS} decisions interleaved with revocations from another connection, 0 wrongful allows`, async () => {
  const result = await runRevocationRace(race, t.clock);
  console.log(
    `no stale allow: ${result.asked} decisions in ${result.seconds.toFixed(1)} s (${Math.round(result.asked / result.seconds)}/s), ` +
      `${result.revocations} revocations, ${result.allowedBefore} allowed before theirs, ${result.deniedAfter} denied after, ` +
      `${result.wrongfulAllows} wrongful allows`,
  );
  assert.equal(result.asked, RACE_DECISIONS);
  assert.ok(result.allRevoked);
  assert.ok(result.allowedBefore > 0 && result.deniedAfter > 0, "the race both allowed and denied");
  assert.deepEqual(result.wrongs, []);
  assert.equal(result.wrongfulAllows, 0);
});
