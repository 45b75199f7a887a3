// The outbox worker: delivers due mails, and the back-channel logouts of relying services, retrying failures with
// growing delays; survives restarts because state is in the tables.

import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Clock } from "../../clock.js";
import type { DB } from "../../db/schema.js";
import { type MailTransport, serverUnavailable } from "./mail.transport.js";
import {
  claimDueLogouts,
  claimDueMails,
  markAttemptFailed,
  markDelivered,
  type OutboxTable,
  releaseClaimed,
  renewLease,
} from "./outbox.queries.js";

export const MAX_ATTEMPTS = 10;
const LEASE_MS = 60_000;
const BATCH = 20;
/** How long mail waits after the server proved unreachable: doubling from 5 s with each run that finds it so, to 1 min. */
const SERVER_RETRY_MS = 5_000;
const SERVER_RETRY_MAX_MS = 60_000;

/** 5 s, 10 s, 20 s … capped at 1 minute, by the number of runs in a row that found the mail server unreachable. */
export function serverRetryDelayMs(outages: number): number {
  return Math.min(SERVER_RETRY_MS * 2 ** Math.max(0, outages - 1), SERVER_RETRY_MAX_MS);
}

/** 30 s, 1 min, 2 min … capped at 1 hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export type DeliveryReport = { sent: number; failed: number };

/** One back-channel logout to deliver: whom to tell (the client), of whose session. */
export type Logout = { clientId: string; accountId: string; sid: string };

/**
 * Delivers a back-channel logout (features/federation/backchannel.ts, on the provider): resolves once the service
 * took it, or when there is nobody to tell any more (client unknown or disabled); throws when it must be tried again.
 */
export type LogoutSender = (logout: Logout) => Promise<void>;

export class OutboxWorker {
  readonly #db: Kysely<DB>;
  readonly #transport: MailTransport;
  readonly #clock: Clock;
  readonly #from: string;
  readonly #log: FastifyBaseLogger | undefined;
  #logouts: LogoutSender | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<DeliveryReport> | undefined;
  /** Runs in a row that found the mail server unreachable, and until when mail waits for it (clock time, ms). */
  #outages = 0;
  #serverBackAt = 0;

  constructor(options: {
    db: Kysely<DB>;
    transport: MailTransport;
    clock: Clock;
    from: string;
    log?: FastifyBaseLogger;
  }) {
    this.#db = options.db;
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#from = options.from;
    this.#log = options.log;
  }

  /** Lets the worker deliver back-channel logouts too, once the OpenID Provider exists; until then they wait. */
  deliverLogoutsWith(sender: LogoutSender): void {
    this.#logouts = sender;
  }

  /** Delivers every mail and back-channel logout due now; concurrent calls share one run. */
  deliverDue(): Promise<DeliveryReport> {
    this.#running ??= this.#deliver().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #deliver(): Promise<DeliveryReport> {
    const report = { sent: 0, failed: 0 };
    if (this.#clock().getTime() >= this.#serverBackAt)
      await this.#drain(
        "mail_outbox",
        report,
        () => claimDueMails(this.#db, this.#clock(), LEASE_MS, BATCH),
        (mail) =>
          this.#transport.send({
            id: mail.id,
            from: this.#from,
            to: mail.to_address,
            subject: mail.subject,
            text: mail.text_body,
            date: mail.created_at,
          }),
      );
    const logouts = this.#logouts;
    if (logouts) {
      await this.#drain(
        "backchannel_outbox",
        report,
        () => claimDueLogouts(this.#db, this.#clock(), LEASE_MS, BATCH),
        (logout) => logouts({ clientId: logout.client_id, accountId: logout.account_id, sid: logout.sid }),
      );
    }
    return report;
  }

  /**
   * Claims due rows of one table batch after batch, delivers each, and records the outcome or the next attempt. Mails go
   * one after the other on the transport; the logouts of a batch go out together, each to its own service, so one
   * service that does not answer (the provider waits 2.5 s) holds up neither the others nor the mail.
   *
   * A mail server that cannot be reached is no fault of the mail: the run stops at the first such failure and gives
   * the batch back without counting an attempt against any of it, and mail waits a while (serverRetryDelayMs) before
   * the next try. Otherwise one run during an outage would spend an attempt of every waiting mail, and an outage of
   * a few hours would give up on all of them.
   */
  async #drain<Row extends { id: number; attempts: number; locked_until: Date | null }>(
    table: OutboxTable,
    report: DeliveryReport,
    claim: () => Promise<Row[]>,
    deliver: (row: Row) => Promise<void>,
  ): Promise<void> {
    /** Delivers one row and records how it went; returns the error when the mail server proved unreachable. */
    const attempt = async (row: Row): Promise<string | undefined> => {
      try {
        await deliver(row);
        await markDelivered(this.#db, table, row.id, this.#clock());
        report.sent++;
        if (table === "mail_outbox") this.#outages = 0;
        return undefined;
      } catch (error) {
        const now = this.#clock();
        const text = error instanceof Error ? error.message : String(error);
        report.failed++;
        if (table === "mail_outbox" && serverUnavailable(error)) {
          this.#outages++;
          const waitMs = serverRetryDelayMs(this.#outages);
          this.#serverBackAt = now.getTime() + waitMs;
          this.#log?.warn(
            { outbox: table, id: row.id, waitMs, err: text },
            "mail server unavailable: mail waits",
          );
          return text;
        }
        const attempts = row.attempts + 1;
        const next = attempts >= MAX_ATTEMPTS ? null : new Date(now.getTime() + retryDelayMs(attempts));
        await markAttemptFailed(this.#db, table, row.id, text, next, now);
        this.#log?.warn(
          { outbox: table, id: row.id, attempts, giveUp: next === null, err: text },
          table === "mail_outbox" ? "mail delivery failed" : "back-channel logout failed",
        );
        return undefined;
      }
    };
    for (;;) {
      const batch = await claim();
      if (batch.length === 0) return;
      if (table === "mail_outbox") {
        for (const [index, row] of batch.entries()) {
          if (!(await this.#stillHeld(table, row))) continue;
          const unavailable = await attempt(row);
          if (unavailable === undefined) continue;
          const rest = batch.slice(index).map((r) => r.id);
          await releaseClaimed(this.#db, table, rest, unavailable, row.id);
          return;
        }
      } else await Promise.all(batch.map(attempt));
      if (batch.length < BATCH) return;
    }
  }

  /**
   * Mails go one after the other, so a slow server may bring the worker to the last of a batch long after its claim.
   * Past half its lease, a row's lease is renewed before sending, if it is still this worker's: when it ran out and
   * another worker claimed the row meanwhile, that one sends it, and sending it here as well would deliver it twice.
   */
  async #stillHeld(table: OutboxTable, row: { id: number; locked_until: Date | null }): Promise<boolean> {
    const now = this.#clock().getTime();
    const lease = row.locked_until;
    if (lease === null) return false;
    if (lease.getTime() - now > LEASE_MS / 2) return true;
    return renewLease(this.#db, table, row.id, lease, new Date(now + LEASE_MS));
  }

  start(intervalMs: number): void {
    if (this.#timer) return;
    const tick = () => {
      this.deliverDue()
        .catch((error: unknown) => this.#log?.error({ err: error }, "outbox worker run failed"))
        .finally(() => {
          if (this.#timer) this.#timer = setTimeout(tick, intervalMs);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Asks for a run soon, e.g. right after a change queued a mail or a back-channel logout. */
  nudge(): void {
    if (!this.#timer) return;
    setImmediate(() => {
      this.deliverDue().catch((error: unknown) =>
        this.#log?.error({ err: error }, "outbox worker run failed"),
      );
    });
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
    this.#transport.close();
  }
}
