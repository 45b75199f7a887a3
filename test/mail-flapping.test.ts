// Issue #16, « Tests on real servers »: the SMTP server down, then flapping, during 1,000 notices. Every notice is
// delivered once it recovers, none is lost or given up, and none arrives twice. Two outbox workers share the outbox,
// as two servers on one database do, each with its own SMTP transport, against a real SMTP server (smtp-server) that
// is stopped and started again on its port, and that refuses for a while with 4xx answers. Time is the outbox's clock:
// each round the workers run, then it moves on by the shortest retry delay (5 minutes through the long outage), as
// if they polled through hours.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { manualClock } from "../src/clock.js";
import type { Database } from "../src/db/database.js";
import { migrate } from "../src/db/migrate.js";
import { outboxBacklogs, queueMail } from "../src/features/mail/mail.service.js";
import { smtpTransport } from "../src/features/mail/mail.transport.js";
import { OutboxWorker, retryDelayMs } from "../src/features/mail/mail.worker.js";
import { findOutboxMails } from "../src/features/mail/outbox.queries.js";
import { openTestDatabase } from "./support/app.js";
import { freePort } from "./support/server-process.js";
import { type SmtpSink, startSmtpSink } from "./support/smtp-server.js";

const NOTICES = 1_000;
const PER_TRANSACTION = 250;
const STEP_MS = retryDelayMs(1);
/** Longer than the ten attempts of the back-off (about three hours) would last against a server that is down. */
const OUTAGE_MS = 4 * 3_600_000;
/** The step through the long outage: fewer rounds, and still ten attempts of every mail within it, had each counted. */
const OUTAGE_STEP_MS = 5 * 60_000;
const MAX_ROUNDS = 5_000;

let database: Database;
let drop: () => Promise<void>;
const clock = manualClock("2026-12-07T08:00:00Z");

before(async () => {
  ({ database, drop } = await openTestDatabase());
  await migrate(database);
});
after(() => drop());

/** What happens to the server once it has kept so many messages: stopped for a while, or refusing the next few. */
type Flap =
  | { after: number; stop: { forMs: number } }
  | { after: number; refuse: { stage: "rcpt" | "data"; code: number; next: number } };

const FLAPS: Flap[] = [
  { after: 150, stop: { forMs: 5 * 60_000 } },
  { after: 300, refuse: { stage: "data", code: 451, next: 40 } },
  { after: 450, refuse: { stage: "rcpt", code: 452, next: 25 } },
  { after: 600, stop: { forMs: 60_000 } },
  { after: 750, refuse: { stage: "rcpt", code: 421, next: 10 } },
  { after: 900, stop: { forMs: 0 } },
];

test("SMTP down, then flapping, during 1,000 notices: every one delivered once it recovers, none lost, no duplicate", async (t) => {
  for (let first = 0; first < NOTICES; first += PER_TRANSACTION) {
    await database.db.transaction().execute(async (trx) => {
      for (let n = first; n < first + PER_TRANSACTION; n++)
        await queueMail(
          trx,
          { to: `personne-${n}@exemple.test`, subject: `Avis ${n}`, text: `Bonjour,\navis-${n}-fin\n` },
          clock(),
        );
    });
  }

  // The server's port, on which nothing listens until the outage ends.
  const port = await freePort();
  const url = `smtp://127.0.0.1:${port}`;
  const workers = [1, 2].map(
    () =>
      new OutboxWorker({
        db: database.db,
        transport: smtpTransport(url),
        clock,
        from: "Guichet <avis@guichet.test>",
      }),
  );

  const messages: string[] = [];
  const flaps = [...FLAPS];
  let sink: SmtpSink | undefined;
  let stopping: Promise<void> | undefined;
  let upAt = clock().getTime() + OUTAGE_MS;
  let refusing: { stage: "rcpt" | "data"; code: number; left: number } | undefined;
  let stops = 0;
  let refusals = 0;

  const startSink = () =>
    startSmtpSink({
      port,
      messages,
      refuse: (stage) => {
        if (refusing?.stage !== stage || refusing.left === 0) return undefined;
        refusing.left--;
        refusals++;
        return refusing.code;
      },
      onMessage: () => {
        const flap = flaps[0];
        if (!flap || messages.length < flap.after) return;
        flaps.shift();
        if ("stop" in flap) {
          stops++;
          upAt = clock().getTime() + flap.stop.forMs;
          const closing = sink;
          sink = undefined;
          stopping = closing?.close();
        } else refusing = { ...flap.refuse, left: flap.refuse.next };
      },
    });

  let failed = 0;
  let rounds = 0;
  try {
    for (; rounds < MAX_ROUNDS; rounds++) {
      if (!sink && clock().getTime() >= upAt) {
        await stopping;
        sink = await startSink();
      }
      for (const report of await Promise.all(workers.map((worker) => worker.deliverDue())))
        failed += report.failed;
      const backlog = await outboxBacklogs(database.db, clock());
      if (backlog.every((outbox) => outbox.waiting === 0)) break;
      clock.advance(!sink && upAt - clock().getTime() > OUTAGE_STEP_MS ? OUTAGE_STEP_MS : STEP_MS);
    }
  } finally {
    for (const worker of workers) await worker.stop();
    await stopping;
    await sink?.close();
  }

  const rows = await findOutboxMails(database.db);
  const sent = rows.filter((row) => row.sent_at !== null).length;
  const givenUp = rows.filter((row) => row.failed_at !== null).length;
  const stuck = rows.length - sent - givenUp;
  const byMessageId = new Map<string, number>();
  const byNotice = new Map<number, number>();
  for (const raw of messages) {
    const id = /^Message-ID: (<[^>]+>)/im.exec(raw)?.[1] ?? "(none)";
    byMessageId.set(id, (byMessageId.get(id) ?? 0) + 1);
    const notice = /avis-(\d+)-fin/.exec(raw)?.[1];
    if (notice !== undefined) byNotice.set(Number(notice), (byNotice.get(Number(notice)) ?? 0) + 1);
  }
  const duplicates = messages.length - byMessageId.size;
  t.diagnostic(
    `${NOTICES} notices: ${messages.length} messages received, ${byMessageId.size} distinct, duplicates ${duplicates} (goal 0); ` +
      `${sent} marked sent, ${givenUp} given up, ${stuck} stuck; ${failed} failed attempts, ${stops} stops, ` +
      `${refusals} refusals, ${rounds} rounds`,
  );

  assert.equal(stuck, 0, "no notice left waiting");
  assert.equal(givenUp, 0, "none given up");
  assert.equal(sent, NOTICES);
  assert.equal(flaps.length, 0, "every flap happened");
  assert.equal(duplicates, 0, "no notice received twice");
  assert.equal(byNotice.size, NOTICES, "every notice received");
  for (let n = 0; n < NOTICES; n++) assert.equal(byNotice.get(n), 1, `notice ${n} received once`);
});
