// The session read along with the cache's check (snapshot-cache.ts, getWithCheck) comes back as JSON: decoded, it is
// the very row the plain read gives, times included, in both modes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import {
  findSessionWithActor,
  sessionFromJson,
  sessionWithActorQuery,
} from "../../src/features/auth/auth.queries.js";
import { startTestApp, type TestApp } from "../support/app.js";

let t: TestApp;

before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test("a session read as JSON decodes to the row read plainly", async () => {
  const organization = await t.factories.organization("municipality");
  const user = await t.factories.user(organization, { servicesOfficer: true });
  await t.signIn(user.userCode);
  const { token_hash } = await t.database.db
    .selectFrom("session")
    .select("token_hash")
    .where("user_id", "=", user.id)
    .executeTakeFirstOrThrow();
  const plain = await findSessionWithActor(t.database.db, token_hash);
  assert.ok(plain, "the session is found");
  const { rows } = await sql<{ rider: unknown }>`
    select (select to_jsonb(r) from (${sessionWithActorQuery(t.database.db, token_hash)}) r limit 1) as rider
  `.execute(t.database.db);
  assert.deepEqual(sessionFromJson(rows[0]?.rider), plain);
  assert.ok(plain.created_at instanceof Date && plain.last_seen_at instanceof Date);
});
