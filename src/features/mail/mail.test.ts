// The outbox: mail is written with the change that causes it, delivered later, retried with back-off, never lost.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { openTestDatabase } from "../../../test/support/app.js";
import { readMailbox } from "../../../test/support/mailbox.js";
import { freePort } from "../../../test/support/server-process.js";
import { startSmtpSink } from "../../../test/support/smtp-server.js";
import { manualClock } from "../../clock.js";
import type { Database } from "../../db/database.js";
import { migrate } from "../../db/migrate.js";
import { queueMail } from "./mail.service.js";
import { fileTransport, type MailTransport, type Message, smtpTransport } from "./mail.transport.js";
import { MAX_ATTEMPTS, OutboxWorker, retryDelayMs, serverRetryDelayMs } from "./mail.worker.js";
import { claimDueMails, findOutboxMails } from "./outbox.queries.js";

let database: Database;
let drop: () => Promise<void>;
let dir: string;
const clock = manualClock("2026-11-22T15:00:00Z");
const FROM = "Guichet <ne-pas-repondre@guichet.test>";

before(async () => {
  ({ database, drop } = await openTestDatabase());
  await migrate(database);
});
after(() => drop());
beforeEach(async () => {
  await database.db.deleteFrom("mail_outbox").execute();
  dir = await mkdtemp(join(tmpdir(), "guichet-mail-"));
  return async () => rm(dir, { recursive: true, force: true });
});

function worker(transport: MailTransport) {
  return new OutboxWorker({ db: database.db, transport, clock, from: FROM });
}

test("a mail queued in a transaction that rolls back is never sent", async () => {
  await assert.rejects(
    database.db.transaction().execute(async (trx) => {
      await queueMail(trx, { to: "a@exemple.test", subject: "Jamais", text: "x" }, clock());
      throw new Error("the change failed");
    }),
  );
  const report = await worker(fileTransport(dir)).deliverDue();
  assert.deepEqual(report, { sent: 0, failed: 0 });
  assert.equal((await findOutboxMails(database.db)).length, 0);
  assert.equal((await readMailbox(dir)).length, 0);
});

test("committed mails are delivered as .eml files once, and marked sent", async () => {
  await database.db.transaction().execute(async (trx) => {
    await queueMail(
      trx,
      { to: "julie@exemple.test", subject: "Numéro 1000025868", text: "Bonjour Julie,\nvoici." },
      clock(),
    );
    await queueMail(
      trx,
      { to: "marc@exemple.test", subject: "Deuxième", text: "Texte accentué : é à ç" },
      clock(),
    );
  });
  const w = worker(fileTransport(dir));
  assert.deepEqual(await w.deliverDue(), { sent: 2, failed: 0 });
  assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 0 });
  const mails = await readMailbox(dir);
  assert.equal(mails.length, 2);
  assert.equal(mails[0]?.subject, "Numéro 1000025868");
  assert.match(mails[0]?.to ?? "", /julie@exemple\.test/);
  assert.match(mails[1]?.text ?? "", /Texte accentué\s: é à ç/);
  const rows = await findOutboxMails(database.db);
  assert.ok(rows.every((row) => row.sent_at !== null && row.attempts === 1));
});

test("a failed delivery is retried later with growing delays, then given up after the last attempt", async () => {
  let calls = 0;
  const failing: MailTransport = {
    kind: "smtp",
    send: async () => {
      calls++;
      throw new Error("connection refused");
    },
    close: () => undefined,
  };
  await queueMail(database.db, { to: "a@exemple.test", subject: "Essai", text: "x" }, clock());
  const w = worker(failing);
  assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 1 });
  assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 0 }, "not retried before its delay");
  const first = (await findOutboxMails(database.db))[0];
  assert.equal(first?.attempts, 1);
  assert.equal(first?.next_attempt_at.getTime(), clock().getTime() + retryDelayMs(1));
  assert.match(first?.last_error ?? "", /connection refused/);
  assert.ok(retryDelayMs(2) > retryDelayMs(1) && retryDelayMs(3) > retryDelayMs(2));

  for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
    clock.advance(retryDelayMs(attempt - 1));
    assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 1 });
  }
  const last = (await findOutboxMails(database.db))[0];
  assert.equal(last?.attempts, MAX_ATTEMPTS);
  assert.ok(last?.failed_at);
  clock.advance(retryDelayMs(MAX_ATTEMPTS));
  assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 0 }, "given up: no further attempt");
  assert.equal(calls, MAX_ATTEMPTS);
});

test("a transport that recovers delivers the mail at the next attempt", async () => {
  let fail = true;
  const delivered: Message[] = [];
  const flaky: MailTransport = {
    kind: "smtp",
    send: async (message) => {
      if (fail) throw new Error("temporary failure");
      delivered.push(message);
    },
    close: () => undefined,
  };
  await queueMail(database.db, { to: "a@exemple.test", subject: "Reprise", text: "x" }, clock());
  const w = worker(flaky);
  await w.deliverDue();
  fail = false;
  clock.advance(retryDelayMs(1));
  assert.deepEqual(await w.deliverDue(), { sent: 1, failed: 0 });
  assert.equal(delivered[0]?.subject, "Reprise");
});

test("a mail claimed by a worker that died is delivered by another once its lease runs out", async () => {
  await queueMail(database.db, { to: "a@exemple.test", subject: "Survivant", text: "x" }, clock());
  const claimed = await claimDueMails(database.db, clock(), 60_000, 10);
  assert.equal(claimed.length, 1, "the first worker claimed it, then died before sending");
  const w = worker(fileTransport(dir));
  assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 0 }, "still leased to the dead worker");
  clock.advance(60_001);
  assert.deepEqual(await w.deliverDue(), { sent: 1, failed: 0 });
  assert.equal((await readMailbox(dir))[0]?.subject, "Survivant");
});

test("with SMTP_URL, mail goes over SMTP, and a server's temporary refusal is retried", async () => {
  const sink = await startSmtpSink({ failFirst: 1 });
  try {
    await queueMail(
      database.db,
      { to: "julie@exemple.test", subject: "Par SMTP", text: "Bonjour par SMTP" },
      clock(),
    );
    const w = worker(smtpTransport(`smtp://127.0.0.1:${sink.port}`));
    assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 1 });
    clock.advance(retryDelayMs(1));
    assert.deepEqual(await w.deliverDue(), { sent: 1, failed: 0 });
    await w.stop();
    assert.equal(sink.messages.length, 1);
    assert.match(sink.messages[0] ?? "", /Subject: Par SMTP/);
    assert.match(sink.messages[0] ?? "", /Bonjour par SMTP/);
    assert.match(sink.messages[0] ?? "", /Message-ID: <outbox-\d+@guichet>/i);
  } finally {
    await sink.close();
  }
});

test("a mail server that cannot be reached costs no mail an attempt: the run stops, mail waits, and goes once it is back", async () => {
  for (const subject of ["Un", "Deux", "Trois"])
    await queueMail(database.db, { to: "a@exemple.test", subject, text: "x" }, clock());
  const port = await freePort();
  const w = worker(smtpTransport(`smtp://127.0.0.1:${port}`));
  try {
    assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 1 }, "stopped at the first refused connection");
    const rows = await findOutboxMails(database.db);
    assert.deepEqual(
      rows.map((row) => [row.attempts, row.locked_until, row.failed_at]),
      [
        [0, null, null],
        [0, null, null],
        [0, null, null],
      ],
      "no attempt counted, every claim given back",
    );
    assert.match(rows[0]?.last_error ?? "", /ECONNREFUSED/);

    const sink = await startSmtpSink({ port });
    try {
      assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 0 }, "mail waits a while for the server");
      clock.advance(serverRetryDelayMs(1));
      assert.deepEqual(await w.deliverDue(), { sent: 3, failed: 0 });
      assert.equal(sink.messages.length, 3);
    } finally {
      await sink.close();
    }
  } finally {
    await w.stop();
  }
});

test("a batch that outlasts its lease on a slow server leaves the rest of it to the worker that claimed it since", async () => {
  for (const subject of ["Un", "Deux", "Trois"])
    await queueMail(database.db, { to: "a@exemple.test", subject, text: "x" }, clock());
  let answer = () => {};
  const slowServerAnswers = new Promise<void>((resolve) => {
    answer = resolve;
  });
  const sentBy = { slow: [] as string[], other: [] as string[] };
  const slow: MailTransport = {
    kind: "smtp",
    send: async (message) => {
      if (message.subject === "Un") await slowServerAnswers;
      sentBy.slow.push(message.subject);
    },
    close: () => undefined,
  };
  const other: MailTransport = {
    kind: "smtp",
    send: async (message) => {
      sentBy.other.push(message.subject);
    },
    close: () => undefined,
  };
  const first = worker(slow).deliverDue();
  while ((await findOutboxMails(database.db)).some((row) => row.locked_until === null))
    await new Promise((resolve) => setImmediate(resolve));
  clock.advance(60_001);
  assert.deepEqual(
    await worker(other).deliverDue(),
    { sent: 3, failed: 0 },
    "the leases ran out: claimed again",
  );
  answer();
  await first;
  assert.deepEqual(sentBy.other, ["Un", "Deux", "Trois"]);
  assert.deepEqual(sentBy.slow, ["Un"], "the first worker sends nothing it no longer holds");
});

test("a server that takes connections but never answers is unreachable too, once the transport's timeouts pass", async () => {
  await queueMail(database.db, { to: "a@exemple.test", subject: "Muet", text: "x" }, clock());
  const sockets = new Set<Socket>();
  const mute = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
  const address = mute.address();
  assert.ok(address !== null && typeof address !== "string");
  const w = worker(
    smtpTransport(`smtp://127.0.0.1:${address.port}`, {
      connectionTimeout: 200,
      greetingTimeout: 200,
      socketTimeout: 200,
    }),
  );
  try {
    assert.deepEqual(await w.deliverDue(), { sent: 0, failed: 1 });
    const [row] = await findOutboxMails(database.db);
    assert.equal(row?.attempts, 0, "no attempt counted");
    assert.equal(row?.locked_until, null, "given back");
    assert.match(
      row?.last_error ?? "",
      /greeting never received|timeout/i,
      "the timeout, which of them passed first",
    );
  } finally {
    await w.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => mute.close(() => resolve()));
  }
});
