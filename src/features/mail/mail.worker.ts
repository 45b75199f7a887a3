// The outbox worker: delivers due mails, retrying failures with growing delays; survives restarts because state is in the table.

import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { Clock } from "../../clock.js";
import type { DB } from "../../db/schema.js";
import type { MailTransport } from "./mail.transport.js";
import { claimDueMails, markMailAttemptFailed, markMailSent } from "./outbox.queries.js";

export const MAX_ATTEMPTS = 10;
const LEASE_MS = 60_000;
const BATCH = 20;

/** 30 s, 1 min, 2 min … capped at 1 hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export type DeliveryReport = { sent: number; failed: number };

export class OutboxWorker {
  readonly #db: Kysely<DB>;
  readonly #transport: MailTransport;
  readonly #clock: Clock;
  readonly #from: string;
  readonly #log: FastifyBaseLogger | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<DeliveryReport> | undefined;

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

  /** Delivers every mail due now; concurrent calls share one run. */
  deliverDue(): Promise<DeliveryReport> {
    this.#running ??= this.#deliver().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #deliver(): Promise<DeliveryReport> {
    const report = { sent: 0, failed: 0 };
    for (;;) {
      const batch = await claimDueMails(this.#db, this.#clock(), LEASE_MS, BATCH);
      if (batch.length === 0) return report;
      for (const mail of batch) {
        try {
          await this.#transport.send({
            id: mail.id,
            from: this.#from,
            to: mail.to_address,
            subject: mail.subject,
            text: mail.text_body,
            date: mail.created_at,
          });
          await markMailSent(this.#db, mail.id, this.#clock());
          report.sent++;
        } catch (error) {
          const attempts = mail.attempts + 1;
          const now = this.#clock();
          const next = attempts >= MAX_ATTEMPTS ? null : new Date(now.getTime() + retryDelayMs(attempts));
          const text = error instanceof Error ? error.message : String(error);
          await markMailAttemptFailed(this.#db, mail.id, text, next, now);
          report.failed++;
          this.#log?.warn(
            { mailId: mail.id, attempts, giveUp: next === null, err: text },
            "mail delivery failed",
          );
        }
      }
      if (batch.length < BATCH) return report;
    }
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

  /** Asks for a run soon, e.g. right after a change queued a mail. */
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
