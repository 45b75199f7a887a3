// Periodic work of a running server: procuration and access right reminders, ending grants past their last day, and clearing expired
// sessions, the OpenID Provider's expired tokens, old sign-in failures and old registry changes.
import { randomUUID } from "node:crypto";
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
import { alertManagersUnableToAct } from "./features/manager-gaps/manager-gaps.service.js";
import { sendProcurationReminders } from "./features/procurations/procurations.service.js";
import { endExpiredGrants } from "./features/registry/registry.service.js";
import { sendEndReminders } from "./features/reminders/reminders.service.js";
import {
  closeDueCampaigns,
  sendReviewReminders,
  startDueCampaigns,
} from "./features/reviews/reviews.service.js";
import { expireRightRequests } from "./features/right-requests/right-requests.service.js";
import { claimHourlyLease, releaseHourlyLease } from "./jobs.queries.js";
import { ANONYMOUS } from "./policy/actor.js";
import { openFileStore } from "./storage/index.js";

const HOUR = 3_600_000;
const EXPIRY_BATCH = 500;
/**
 * A server killed mid-run never releases the lease; after this long another may take it. Longer than any run should
 * last, shorter than an hour so that the next hour's run is never kept waiting by a dead server.
 */
const LEASE_MS = 30 * 60_000;

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
  // Access rights 30 and 7 days before their last day: one email per person per day.
  const endReminders = await sendEndReminders(database.db, now, config.publicUrl);
  if (reminders + endReminders > 0) services.mailQueued();
  // Managers who can no longer act for a cause no act announced (a procuration past its last day), or whose act's
  // alert failed: told once each (manager_alert).
  const gapAlerts = await alertManagersUnableToAct(
    { db: database.db, actor: ANONYMOUS, now, ip: null },
    config.publicUrl,
  );
  if (gapAlerts > 0) services.mailQueued();
  // Access reviews: the campaigns due by the schedule start, reminders go out once each, and a campaign past its
  // deadline ends (or flags) what nobody confirmed. The deadline before the reminders: a campaign closed is not reminded.
  await startDueCampaigns(database.db, now, config.review);
  await closeDueCampaigns(database.db, now, services);
  if ((await sendReviewReminders(database.db, now, config.publicUrl)) > 0) services.mailQueued();
  // An expired grant already counts for nothing; this records its end and tells the grantee, in batches, so a
  // backlog (after a stop, or a day when many end) drains in one run.
  for (;;) {
    const ended = await endExpiredGrants({ db: database.db, now, app: services }, EXPIRY_BATCH);
    if (ended < EXPIRY_BATCH) break;
  }
  // Requests for a right past RIGHT_REQUEST_DAYS already count as expired; this marks them and tells each person.
  for (;;) {
    const expired = await expireRightRequests({ db: database.db, now, app: services }, EXPIRY_BATCH);
    if (expired < EXPIRY_BATCH) break;
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

/**
 * Runs the jobs unless another server sharing the PostgreSQL database already ran them in this clock hour, or runs
 * them now; resolves to whether this server ran them. The embedded database has one process: the jobs just run.
 * A lease row (job_lease) rather than an advisory lock: a lock only keeps two runs from overlapping, while the row also
 * remembers which hour ran, so two servers whose timers fire minutes apart still run the jobs once in that hour; and
 * it needs no connection held for the run's length.
 */
export async function runHourlyJobs(app: FastifyInstance, holder: string): Promise<boolean> {
  const { database, clock } = app.guichet;
  if (database.kind === "pglite") {
    await runJobs(app);
    return true;
  }
  const now = clock();
  const hour = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  if (!(await claimHourlyLease(database.db, holder, hour, now, new Date(now.getTime() + LEASE_MS)))) {
    app.log.info({ hour }, "periodic jobs skipped: another server ran them this hour or is running them");
    // This server's schedule is kept: the metrics' lag measures each server's timer, and the hour is another's to run.
    app.guichet.jobs.succeeded(now);
    return false;
  }
  let ran = false;
  try {
    await runJobs(app);
    ran = true;
  } finally {
    await releaseHourlyLease(database.db, holder, ran ? hour : null);
  }
  return true;
}

/** Runs the jobs now and every hour (once an hour across servers); returns a function that stops them. */
export function startJobs(app: FastifyInstance, intervalMs = HOUR): () => Promise<void> {
  app.guichet.jobs.started(intervalMs, app.guichet.clock());
  const holder = randomUUID();
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = runHourlyJobs(app, holder).catch((error: unknown) =>
      app.log.error({ err: error }, "periodic jobs failed"),
    );
  };
  run();
  const timer = setInterval(run, intervalMs);
  // Stopping waits for a run under way, which then releases the lease: a server shutting down holds nothing.
  return async () => {
    clearInterval(timer);
    await running;
  };
}
