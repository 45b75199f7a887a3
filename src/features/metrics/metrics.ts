// The portal's Prometheus metrics (prom-client), one registry per app: a request's duration is observed once, as its
// response goes; everything else is read when /metrics is scraped.
import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Clock } from "../../clock.js";
import type { Database } from "../../db/database.js";
import type { JobSchedule } from "../../jobs.js";
import { type Backlog, outboxBacklogs } from "../mail/mail.service.js";

/**
 * Where a sign-in failed: the password, the second step's code, a passkey from the first page, or a password or code
 * typed again in an open session.
 */
const SIGN_IN_STEPS = ["password", "second_factor", "passkey", "signed_in"] as const;
export type SignInFailureStep = (typeof SIGN_IN_STEPS)[number];

export type MetricSources = {
  database: Database;
  jobs: JobSchedule;
  clock: Clock;
  log: FastifyBaseLogger;
  /** The rate limits' shared store, when REDIS_URL is set. */
  redis?: Redis | undefined;
};

/** Pages answer in milliseconds; uploads and sign-ins (argon2id) take longer. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Node's own metrics under their usual names (process_resident_memory_bytes, nodejs_heap_size_used_bytes,
 * nodejs_external_memory_bytes, nodejs_eventloop_lag_seconds, nodejs_gc_duration_seconds…): what a resident memory
 * that grows is made of. They describe the process, not an app, and collecting them starts an event-loop monitor and
 * a GC observer that are never stopped: one registry per process, made with its first app and shared by every app
 * (a test process builds many).
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class AppMetrics {
  /** The app's own metrics, and the process's (the same objects in every app's). */
  readonly registry: Registry;
  readonly #requestDuration: Histogram<"method" | "route" | "status_code">;
  readonly #uploads: Gauge;
  readonly #signInFailures: Counter<"step">;

  constructor(sources: MetricSources) {
    const { database, jobs, clock, log, redis } = sources;
    const own = new Registry();
    const registers = [own];
    this.#requestDuration = new Histogram({
      name: "guichet_http_request_duration_seconds",
      help: "Time to answer a request, by method, route pattern and status code.",
      labelNames: ["method", "route", "status_code"],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#uploads = new Gauge({
      name: "guichet_uploads_in_progress",
      help: "File uploads being received now.",
      registers,
    });
    this.#signInFailures = new Counter({
      name: "guichet_sign_in_failures_total",
      help: "Failed sign-in attempts (wrong password, code or passkey), by step.",
      labelNames: ["step"],
      registers,
    });
    // Every step from the start at 0, so that a rate over the first failure is not lost.
    for (const step of SIGN_IN_STEPS) this.#signInFailures.inc({ step }, 0);
    new Gauge({
      name: "guichet_db_pool_in_use",
      help: "Database connections busy now (the embedded database: its one connection).",
      registers,
      collect() {
        this.set(database.pool().inUse);
      },
    });
    new Gauge({
      name: "guichet_db_pool_waiting",
      help: "Queries or transactions waiting for a database connection.",
      registers,
      collect() {
        this.set(database.pool().waiting);
      },
    });
    // One statement for both outbox gauges, at scrape time: prom-client collects the gauges concurrently, so the
    // second shares the first's read. A database that does not answer leaves them empty rather than failing the
    // scrape: the pool gauges say more then.
    let reading: Promise<Backlog[]> | undefined;
    const readBacklogs = () => {
      reading ??= outboxBacklogs(database.db, clock())
        .catch((error: unknown) => {
          log.warn({ err: error }, "metrics: the outbox backlog could not be read");
          return [];
        })
        .finally(() => {
          reading = undefined;
        });
      return reading;
    };
    const outboxGauge = (name: string, help: string, value: (row: Backlog) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["outbox"],
        registers,
        async collect() {
          const rows = await readBacklogs();
          this.reset();
          for (const row of rows) this.set({ outbox: row.outbox }, value(row));
        },
      });
    outboxGauge(
      "guichet_outbox_backlog",
      "Messages neither delivered nor given up on, by outbox (mail, backchannel).",
      (row) => row.waiting,
    );
    outboxGauge(
      "guichet_outbox_oldest_age_seconds",
      "How long the oldest undelivered message of each outbox has waited.",
      (row) => row.oldestAgeSeconds,
    );
    if (redis) {
      new Gauge({
        name: "guichet_redis_up",
        help: "1 while the connection to Redis is ready; 0 while the shared rate limits let every request through.",
        registers,
        collect() {
          this.set(redis.status === "ready" ? 1 : 0);
        },
      });
    }
    new Gauge({
      name: "guichet_jobs_lag_seconds",
      help: "How far the hourly jobs are behind their schedule (0 while each run completes in time).",
      registers,
      collect() {
        this.set(jobs.lagSeconds(clock()));
      },
    });
    new Gauge({
      name: "guichet_jobs_last_success_timestamp_seconds",
      help: "When the last run of the hourly jobs that completed began (0 before any).",
      registers,
      collect() {
        this.set(jobs.lastSuccessSeconds());
      },
    });
    this.registry = Registry.merge([own, processMetrics()]);
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.#requestDuration.observe({ method, route, status_code: statusCode }, seconds);
  }

  /** Counts an upload as in progress until the function it returns is called. */
  uploadStarted(): () => void {
    this.#uploads.inc();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#uploads.dec();
    };
  }

  signInFailed(step: SignInFailureStep): void {
    this.#signInFailures.inc({ step });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
