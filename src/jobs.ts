// Periodic work of a running server: procuration reminders, ending grants past their last day, and clearing expired
// sessions, the OpenID Provider's expired tokens, old sign-in failures and old registry changes.
import type { FastifyInstance } from "fastify";
import { UNRECORDED_GRACE_MS } from "./bootstrap.js";
import { deleteOldChanges } from "./db/snapshot-cache.js";
import { deleteExpiredPendingSignIns, deleteOldSignInFailures } from "./features/auth/auth.queries.js";
import { endExpiredSessions } from "./features/auth/auth.service.js";
import { deleteOldHeldActs } from "./features/factors/step-up.queries.js";
import { deleteExpiredOidcPayloads } from "./features/federation/oidc.adapter.js";
import {
  purgeExpiredDrafts,
  removeUnrecordedFiles,
} from "./features/file-transfers/file-transfers.service.js";
import { sendProcurationReminders } from "./features/procurations/procurations.service.js";
import { endExpiredGrants } from "./features/registry/registry.service.js";
import { openFileStore } from "./storage/index.js";

const HOUR = 3_600_000;
const EXPIRY_BATCH = 500;

/**
 * When the periodic jobs last succeeded, so the metrics can tell how far behind their schedule they are: 0 while each
 * run completes within its interval, then the time past it (a run that fails, hangs or never comes).
 */
export class JobSchedule {
  #intervalMs: number | undefined;
  #startedAt = 0;
  /** The start of the last run that completed. */
  #lastSuccess: number | undefined;

  started(intervalMs: number, now: Date): void {
    this.#intervalMs = intervalMs;
    this.#startedAt = now.getTime();
  }

  succeeded(runStartedAt: Date): void {
    this.#lastSuccess = Math.max(this.#lastSuccess ?? 0, runStartedAt.getTime());
  }

  /** Seconds past the moment the next run should have completed; 0 when the jobs do not run in this process. */
  lagSeconds(now: Date): number {
    if (this.#intervalMs === undefined) return 0;
    const since = this.#lastSuccess ?? this.#startedAt;
    return Math.max(0, now.getTime() - since - this.#intervalMs) / 1000;
  }

  /** When the last run that completed began, in seconds since the epoch; 0 before any. */
  lastSuccessSeconds(): number {
    return (this.#lastSuccess ?? 0) / 1000;
  }
}

export async function runJobs(app: FastifyInstance): Promise<void> {
  const { database, clock, config, services, jobs } = app.guichet;
  const now = clock();
  const reminders = await sendProcurationReminders(database.db, now, config.publicUrl);
  if (reminders > 0) services.mailQueued();
  // An expired grant already counts for nothing; this records its end and tells the grantee, in batches, so a
  // backlog (after a stop, or a day when many end) drains in one run.
  for (;;) {
    const ended = await endExpiredGrants({ db: database.db, now, app: services }, EXPIRY_BATCH);
    if (ended < EXPIRY_BATCH) break;
  }
  // The services that held an expired session are told (back-channel logout, through the outbox).
  if ((await endExpiredSessions(database.db, now)) > 0) services.mailQueued();
  await deleteExpiredPendingSignIns(database.db, now);
  await deleteOldHeldActs(database.db, now);
  await deleteExpiredOidcPayloads(database.db, now);
  await deleteOldSignInFailures(database.db, new Date(now.getTime() - 24 * HOUR));
  await deleteOldChanges(database.db);
  const store = openFileStore(config);
  try {
    await purgeExpiredDrafts(database.db, store, now);
    // What a crash left unrecorded while other servers kept the start-up clean-up from removing it.
    await removeUnrecordedFiles(database.db, store, new Date(now.getTime() - UNRECORDED_GRACE_MS));
  } finally {
    store.close();
  }
  jobs.succeeded(now);
}

/** Runs the jobs now and every hour; returns a function that stops them. */
export function startJobs(app: FastifyInstance, intervalMs = HOUR): () => void {
  app.guichet.jobs.started(intervalMs, app.guichet.clock());
  const run = () => {
    runJobs(app).catch((error: unknown) => app.log.error({ err: error }, "periodic jobs failed"));
  };
  run();
  const timer = setInterval(run, intervalMs);
  return () => clearInterval(timer);
}
