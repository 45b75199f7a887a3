// A load generator on its own thread, so that the client's work never runs on the server's event loop.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parentPort } from "node:worker_threads";
import { generate } from "otplib";
import type {
  ClosedLoopJob,
  ClosedLoopResult,
  Job,
  JobResult,
  PacedJob,
  PacedResult,
  RequestSpec,
  TotpAccount,
  TotpSignInJob,
  WorkerMessage,
} from "./load-types.js";

type Answer = {
  status: number;
  ms: number;
  endedAt: number;
  setCookies: string[];
  location?: string;
  /** Counted under this key instead of the status, for an answer whose status alone would read as a success. */
  label?: string;
};

function send(agent: http.Agent, origin: URL, spec: RequestSpec): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.body !== undefined) headers["content-length"] = String(Buffer.byteLength(spec.body));
    const started = performance.now();
    const request = http.request(
      { agent, host: origin.hostname, port: origin.port, method: spec.method, path: spec.path, headers },
      (response) => {
        response.on("error", reject);
        response.on("end", () => {
          const endedAt = performance.now();
          resolve({
            status: response.statusCode ?? 0,
            ms: endedAt - started,
            endedAt,
            setCookies: response.headers["set-cookie"] ?? [],
            location: response.headers.location,
          });
        });
        response.resume();
      },
    );
    request.on("error", reject);
    request.end(spec.body);
  });
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.threadCpuUsage(start);
  return (used.user + used.system) / 1000;
}

function count(statuses: Record<string, number>, status: number | string): void {
  statuses[status] = (statuses[status] ?? 0) + 1;
}

/** One unit of work of a closed loop (a request, or a whole sign-in), answered with its final status. */
type Unit = (agent: http.Agent, origin: URL, connection: number) => Promise<Answer | null>;

async function closedLoop(
  job: Omit<ClosedLoopJob, "kind" | "requests">,
  unit: Unit,
): Promise<ClosedLoopResult> {
  const origin = new URL(job.origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const start = performance.now();
  const countFrom = start + job.rampMs;
  const deadline = start + job.durationMs;
  const statuses: Record<string, number> = {};
  const latenciesMs: number[] = [];
  let errors = 0;
  let answered = 0;
  const cpu = process.threadCpuUsage();
  const loop = async (connection: number): Promise<void> => {
    while (performance.now() < deadline) {
      try {
        const answer = await unit(agent, origin, connection);
        if (!answer) return;
        answered++;
        if (answer.endedAt >= countFrom && answer.endedAt <= deadline) {
          count(statuses, answer.label ?? answer.status);
          latenciesMs.push(answer.ms);
        }
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, (_, i) => loop(i)));
  agent.destroy();
  return {
    kind: "closed",
    statuses,
    completed: latenciesMs.length,
    errors,
    windowMs: job.durationMs - job.rampMs,
    latenciesMs,
    answered,
    cpuMs: cpuMsSince(cpu),
  };
}

function fixedRequests(job: ClosedLoopJob): Unit {
  return async (agent, origin, connection) => {
    const spec = job.requests[connection % job.requests.length];
    return spec ? send(agent, origin, spec) : null;
  };
}

const TOTP_STEP_MS = 30_000;

/**
 * Hands out accounts round-robin, each at most once per 30-second step (the server refuses a code used before).
 * Accounts persist across jobs in this worker, so a step's use is remembered from one job to the next.
 */
class AccountPool {
  readonly #lastStep = new Map<string, number>();
  #cursor = 0;
  waits = 0;

  async take(
    accounts: TotpAccount[],
    deadline: number,
  ): Promise<{ account: TotpAccount; step: number } | null> {
    for (;;) {
      const step = Math.floor(Date.now() / TOTP_STEP_MS);
      for (let tried = 0; tried < accounts.length; tried++) {
        const account = accounts[this.#cursor++ % accounts.length];
        if (!account || (this.#lastStep.get(account.userCode) ?? -1) >= step) continue;
        this.#lastStep.set(account.userCode, step);
        return { account, step };
      }
      this.waits++;
      const wait = (step + 1) * TOTP_STEP_MS - Date.now() + 50;
      if (performance.now() + wait >= deadline) return null;
      await sleep(wait);
    }
  }
}

const pool = new AccountPool();

function cookiePair(setCookies: string[], name: string): string | undefined {
  return setCookies.map((header) => header.split(";")[0] ?? "").find((pair) => pair.startsWith(`${name}=`));
}

function totpSignIns(job: TotpSignInJob): Unit {
  const form = "application/x-www-form-urlencoded";
  const deadline = performance.now() + job.durationMs;
  return async (agent, origin) => {
    const taken = await pool.take(job.accounts, deadline);
    if (!taken) return null;
    const first = await send(agent, origin, {
      method: "POST",
      path: "/connexion",
      headers: { cookie: job.csrf.cookie, "content-type": form },
      body: new URLSearchParams({
        userCode: taken.account.userCode,
        password: job.password,
        _csrf: job.csrf.token,
      }).toString(),
    });
    const pending = cookiePair(first.setCookies, job.pendingCookie);
    if (first.status !== 303 || !pending) return { ...first, label: `first step ${first.status}` };
    const code = await generate({ secret: taken.account.secret, epoch: taken.step * (TOTP_STEP_MS / 1000) });
    const second = await send(agent, origin, {
      method: "POST",
      path: "/connexion/verification",
      headers: { cookie: `${job.csrf.cookie}; ${pending}`, "content-type": form },
      body: new URLSearchParams({ code, _csrf: job.csrf.token }).toString(),
    });
    const ms = second.endedAt - (first.endedAt - first.ms);
    // A refused code sends the person back to a form (400) or, when the sign-in has lapsed, to the first page.
    const label = second.location?.startsWith("/connexion") ? `second step to ${second.location}` : undefined;
    return { ...second, ms, label };
  };
}

async function totpLoop(job: TotpSignInJob): Promise<ClosedLoopResult> {
  const waitsBefore = pool.waits;
  const result = await closedLoop(job, totpSignIns(job));
  return { ...result, accountWaits: pool.waits - waitsBefore };
}

async function paced(job: PacedJob): Promise<PacedResult> {
  const origin = new URL(job.origin);
  const cpu = process.threadCpuUsage();
  await sleep(job.startDelayMs);
  const start = performance.now();
  const deadline = start + job.durationMs;
  const perPath = await Promise.all(
    job.paths.map(async (path) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const statuses: Record<string, number> = {};
      const latenciesMs: number[] = [];
      let errors = 0;
      for (let i = 0; ; i++) {
        const due = start + i * job.intervalMs;
        if (due >= deadline) break;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        try {
          const answer = await send(agent, origin, { method: "GET", path, headers: {} });
          count(statuses, answer.status);
          latenciesMs.push(answer.ms);
        } catch {
          errors++;
        }
      }
      agent.destroy();
      return { path, statuses, errors, latenciesMs };
    }),
  );
  return { kind: "paced", perPath, cpuMs: cpuMsSince(cpu) };
}

function run(job: Job): Promise<JobResult> {
  if (job.kind === "closed") return closedLoop(job, fixedRequests(job));
  if (job.kind === "totp") return totpLoop(job);
  return paced(job);
}

const port = parentPort;
if (!port) throw new Error("load.worker.ts runs only as a worker thread");
port.on("message", (job: Job) => {
  run(job).then(
    (result) => port.postMessage({ kind: "done", result } satisfies WorkerMessage),
    (error: unknown) => port.postMessage({ kind: "failed", error: String(error) } satisfies WorkerMessage),
  );
});
port.postMessage({ kind: "ready" } satisfies WorkerMessage);
