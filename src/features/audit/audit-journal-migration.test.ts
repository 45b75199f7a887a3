// Migration 0020 on a log written before it: each event gets its service and the person it was about from where it
// kept them, nothing recorded changes, and the log is append-only again afterwards.
import assert from "node:assert/strict";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { openTestDatabase } from "../../../test/support/app.js";
import type { Database } from "../../db/database.js";
import { listMigrations, migrate } from "../../db/migrate.js";

let database: Database;
let drop: () => Promise<void>;
let before0020: string;

before(async () => {
  ({ database, drop } = await openTestDatabase());
  before0020 = await mkdtemp(join(tmpdir(), "guichet-migrations-"));
  for (const file of await listMigrations())
    if (file.version < 20) await copyFile(file.path, join(before0020, file.name));
  await migrate(database, `${before0020}/`);
});
after(async () => {
  await drop();
  await rm(before0020, { recursive: true, force: true });
});

test("0020 fills service_id and subject_user_id of earlier events from their own record, and changes nothing else", async () => {
  const db = database.db;
  await sql`
    insert into audit_event (at, actor_user_id, actor_code, action, outcome, organization_id, target_type, target_id,
        details)
    values
      ('2026-11-01T12:00:00Z', null, null, 'registry.grant', 'success', null, 'access_grant', '4',
        '{"serviceId": 7, "userId": 12, "right": "requester.write"}'),
      ('2026-11-01T12:00:01Z', null, null, 'auth.signIn', 'success', null, 'user', '12', '{}'),
      ('2026-11-01T12:00:02Z', null, null, 'mandate.assign', 'success', null, 'mandate', '3',
        '{"serviceId": 8, "agentUserId": 13}'),
      ('2026-11-01T12:00:03Z', null, null, 'accessRequest.approve', 'success', null, 'access_request', '5',
        '{"serviceId": 9, "designatedUserId": 14}'),
      ('2026-11-01T12:00:04Z', null, null, 'auth.signIn', 'failure', null, 'user_code', 'ABC1234',
        '{"serviceId": "D34"}'),
      ('2026-11-01T12:00:05Z', null, null, 'procuration.create', 'success', null, 'procuration', '2', '{}')
  `.execute(db);
  const recorded = await sql<Record<string, unknown>>`select * from audit_event order by id`.execute(db);
  assert.equal((await migrate(database))[0], "0020_audit_journal.sql");
  const rows = await sql<Record<string, unknown>>`select * from audit_event order by id`.execute(db);
  assert.deepEqual(
    rows.rows.map((row) => [row.service_id, row.subject_user_id]),
    [
      [7, 12],
      [null, 12],
      [8, 13],
      [9, 14],
      [null, null],
      [null, null],
    ],
  );
  assert.deepEqual(
    rows.rows.map(({ service_id: _s, subject_user_id: _u, ...rest }) => rest),
    recorded.rows,
    "what was recorded is unchanged",
  );
  await assert.rejects(sql`update audit_event set action = 'x'`.execute(db), /append-only/);
  await assert.rejects(sql`delete from audit_event`.execute(db), /append-only/);
});
