// A load generator on its own thread, so that the client's work never runs on the server's event loop.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parentPort } from "node:worker_threads";
import type {
  ClosedLoopJob,
  ClosedLoopResult,
  Job,
  JobResult,
  PacedJob,
  PacedResult,
  RequestSpec,
  WorkerMessage,
} from "./load-types.js";

type Answer = { status: number; ms: number; endedAt: number };

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
          resolve({ status: response.statusCode ?? 0, ms: endedAt - started, endedAt });
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

function count(statuses: Record<string, number>, status: number): void {
  statuses[status] = (statuses[status] ?? 0) + 1;
}

async function closedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
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
    const spec = job.requests[connection % job.requests.length];
    if (!spec) return;
    while (performance.now() < deadline) {
      try {
        const answer = await send(agent, origin, spec);
        answered++;
        if (answer.endedAt >= countFrom && answer.endedAt <= deadline) {
          count(statuses, answer.status);
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
  return job.kind === "closed" ? closedLoop(job) : paced(job);
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
