// npm run bench -- load (issue #16): two real server processes on one fresh PostgreSQL database behind nginx, driven by
// a realistic mix (five roles browsing, sign-ins, registry grants and revocations, application saves, file transfers)
// from a child process. The highest rate it sustains against a hello-world route's through the same nginx; 100
// requests per second for LOAD_STEADY_SECONDS with one server killed half-way; acknowledged writes checked at the end.
import { type ChildProcess, execFile, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { PasswordHasher } from "../src/features/auth/password-hasher.js";
import { freePort, startServerProcess, stopProcess } from "../test/support/server-process.js";
import type { Ack, ChildMessage, ControllerMessage, WindowSummary, World } from "./support/load-mix-types.js";
import { makeWorld } from "./support/load-world.js";
import { findNginx, readAccessLog, startNginx } from "./support/nginx.js";
import { progress, round } from "./support/stats.js";

const execFileAsync = promisify(execFile);
const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number of seconds, not ${raw}`);
  return value;
}

export const STEADY_SECONDS = seconds("LOAD_STEADY_SECONDS", 300);
const STEP_SECONDS = seconds("LOAD_STEP_SECONDS", 10);
const WARMUP_SECONDS = seconds("LOAD_WARMUP_SECONDS", 15);
const STEADY_RPS = 100;
const WARMUP_RPS = 30;
const P99_LIMIT_MS = 250;
/** The search: rates doubling from the first until one fails, then bisections between the last good and the first bad. */
const FIRST_RPS = 25;
const MAX_RPS = 3200;
const BISECTIONS = 3;
const SERIAL_REQUESTS = 200;
const HELLO_PATH = "/banc/bonjour";
const HELLO_CONNECTIONS = 20;
const HELLO_SECONDS = 5;
const HELLO_RUNS = 2;

/** The PostgreSQL server to work on: DATABASE_URL's, or the local one. */
const ADMIN_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

/** The same server, another database. */
function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Removes the keys the servers kept under the run's prefix (none before the servers speak to Redis). */
async function dropRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let removed = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) removed += await redis.del(...keys);
    } while (cursor !== "0");
    return removed;
  } finally {
    redis.disconnect();
  }
}

/** The child process that drives the mix: its own event loop, not the controller's. */
class MixProcess {
  readonly #child: ChildProcess;
  #waiting: ((message: ChildMessage) => void) | undefined;
  onStarted: ((atEpochMs: number) => void) | undefined;

  constructor() {
    this.#child = fork(new URL("./support/load-mix.child.ts", import.meta.url), {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#child.on("message", (message: ChildMessage) => {
      if (message.kind === "started") {
        this.onStarted?.(message.atEpochMs);
        return;
      }
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.(message);
    });
    this.#child.on("exit", (code) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.({ kind: "failed", error: `the load generator exited (${code})` });
    });
  }

  ask(message: ControllerMessage): Promise<ChildMessage> {
    if (this.#waiting) throw new Error("the load generator is busy");
    const answer = new Promise<ChildMessage>((resolve) => {
      this.#waiting = resolve;
    });
    this.#child.send(message);
    return answer;
  }

  async phase(message: ControllerMessage): Promise<{ before: WindowSummary; after?: WindowSummary }> {
    const answer = await this.ask(message);
    if (answer.kind === "phase") return answer;
    throw new Error(`load generator: ${answer.kind === "failed" ? answer.error : answer.kind}`);
  }

  close(): void {
    if (this.#child.connected) this.#child.disconnect();
    if (this.#child.exitCode === null) this.#child.kill("SIGTERM");
  }
}

/** The resident memory of a process, in MiB. */
async function residentMiB(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return round(kib / 1024, 1);
}

const MEMORY_METRICS = {
  rss: "process_resident_memory_bytes",
  heapUsed: "nodejs_heap_size_used_bytes",
  heapTotal: "nodejs_heap_size_total_bytes",
  external: "nodejs_external_memory_bytes",
} as const;

/** What a server's resident memory is made of (MiB), from its own /metrics: V8's heap, and memory held outside it. */
async function memoryOf(port: number): Promise<Record<keyof typeof MEMORY_METRICS, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name: string) =>
    round(Number(new RegExp(`^${name} (\\S+)`, "m").exec(text)?.[1]) / 1024 / 1024, 1);
  const entries = Object.entries(MEMORY_METRICS).map(([key, name]) => [key, read(name)]);
  return Object.fromEntries(entries) as Record<keyof typeof MEMORY_METRICS, number>;
}

/** A hello-world route's requests per second through nginx, autocannon in a process of its own. */
async function helloRate(origin: string): Promise<{ rps: number; p99Ms: number; errors: number }> {
  const runs: { rps: number; p99Ms: number; errors: number }[] = [];
  for (let i = 0; i < HELLO_RUNS; i++) {
    const args = [AUTOCANNON, "--json", "-c", String(HELLO_CONNECTIONS), "-d", String(HELLO_SECONDS)];
    const { stdout } = await execFileAsync(process.execPath, [...args, `${origin}${HELLO_PATH}`], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as {
      requests: { average: number };
      latency: { p99: number };
      errors: number;
      non2xx: number;
    };
    runs.push({
      rps: report.requests.average,
      p99Ms: report.latency.p99,
      errors: report.errors + report.non2xx,
    });
  }
  return {
    rps: round(runs.reduce((sum, r) => sum + r.rps, 0) / runs.length, 1),
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

const sustained = (w: WindowSummary, rps: number) =>
  w.errors === 0 && w.latencyMs.p99 < P99_LIMIT_MS && w.achievedRps >= 0.9 * rps;

const brief = (w: WindowSummary) => ({
  achievedRps: w.achievedRps,
  p50: w.latencyMs.p50,
  p99: w.latencyMs.p99,
  errors: w.errors,
  ...(w.errors > 0 ? { errorKinds: w.errorKinds } : {}),
});

/** The highest rate of the mix with p99 under the limit and no error: doubling, then bisecting. */
async function search(mix: MixProcess): Promise<{ best: number; steps: Record<string, unknown>[] }> {
  const steps: Record<string, unknown>[] = [];
  const attempt = async (rps: number): Promise<boolean> => {
    const { before } = await mix.phase({ kind: "open", rps, durationMs: STEP_SECONDS * 1000 });
    const ok = sustained(before, rps);
    // Each scenario's p99: which part of the mix gives way first.
    const p99ByScenario = Object.fromEntries(
      Object.entries(before.perScenario).map(([name, scenario]) => [name, scenario.p99]),
    );
    steps.push({ rps, ok, ...brief(before), p99ByScenario });
    progress(`load: ${rps} req/s ${ok ? "sustained" : "not sustained"} ${JSON.stringify(brief(before))}`);
    // The queues of a failed step drain before the next.
    await sleep(ok ? 1000 : 5000);
    return ok;
  };
  let good = 0;
  let bad = MAX_RPS;
  for (let rps = FIRST_RPS; rps <= MAX_RPS; rps *= 2) {
    if (await attempt(rps)) good = rps;
    else {
      bad = rps;
      break;
    }
  }
  for (let i = 0; i < BISECTIONS && bad < MAX_RPS + 1; i++) {
    const rps = Math.round((good + bad) / 2);
    if (rps === good || rps === bad) break;
    if (await attempt(rps)) good = rps;
    else bad = rps;
  }
  return { best: good, steps };
}

/** Every acknowledged write looked up in the database: those not found are lost. */
async function missingWrites(url: string, acks: Ack[]): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const of = <K extends Ack["kind"]>(kind: K) =>
      acks.filter((a): a is Extract<Ack, { kind: K }> => a.kind === kind);
    const grants = of("grant");
    const revokes = of("revoke");
    const saves = of("save");
    const transfers = of("transfer");
    const keys = new Set(
      (
        await client.query<{ key: string }>("select key from form_submission where key = any($1::text[])", [
          grants.map((g) => g.key),
        ])
      ).rows.map((r) => r.key),
    );
    const granted = new Set(
      (
        await client.query<{ user_code: string; access_right: string }>(
          `select distinct u.user_code, g.access_right from access_grant g join app_user u on u.id = g.user_id
            where u.user_code = any($1::text[])`,
          [grants.map((g) => g.userCode)],
        )
      ).rows.map((r) => `${r.user_code} ${r.access_right}`),
    );
    const revoked = new Set(
      (
        await client.query<{ id: string }>(
          `select id::text from access_grant where id = any($1::bigint[]) and end_reason = 'revoked'`,
          [revokes.map((r) => r.grantId)],
        )
      ).rows.map((r) => Number(r.id)),
    );
    const saved = (
      await client.query<{ number: string; description: string | null }>(
        `select a.number::text, v.data->>'description' as description
           from application_version v join application a on a.id = v.application_id
          where a.number = any($1::bigint[])`,
        [[...new Set(saves.map((s) => s.number))]],
      )
    ).rows;
    const markers = new Set<string>();
    for (const row of saved) {
      const marker = /\((charge-\d+-\d+)\)$/.exec(row.description ?? "")?.[1];
      if (marker) markers.add(`${row.number} ${marker}`);
    }
    const sent = new Set(
      (
        await client.query<{ n: string }>(
          "select confirmation_number::text as n from file_transfer where confirmation_number = any($1::bigint[])",
          [transfers.map((t) => t.confirmationNumber)],
        )
      ).rows.map((r) => Number(r.n)),
    );
    const lost = {
      grants: grants.filter((g) => !keys.has(g.key) || !granted.has(`${g.userCode} ${g.right}`)).length,
      revocations: revokes.filter((r) => !revoked.has(r.grantId)).length,
      saves: saves.filter((s) => !markers.has(`${s.number} ${s.marker}`)).length,
      transfers: transfers.filter((t) => !sent.has(t.confirmationNumber)).length,
    };
    return {
      missing: lost.grants + lost.revocations + lost.saves + lost.transfers,
      missingByKind: lost,
      acknowledged: {
        grants: grants.length,
        revocations: revokes.length,
        saves: saves.length,
        transfers: transfers.length,
      },
    };
  } finally {
    await client.end();
  }
}

export async function benchLoad(): Promise<Record<string, unknown>> {
  const nginxBinary = findNginx();
  if (!nginxBinary) {
    throw new Error(
      "nginx is not installed; the load benchmark puts it in front of two servers. Install it with: apt-get install nginx",
    );
  }
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const dir = await mkdtemp(join(tmpdir(), "guichet-load-"));
  const dataDir = join(dir, "data");
  const nginxDir = join(dir, "nginx");
  await mkdir(nginxDir);
  const dbName = `guichet_load_${process.pid}`;
  const url = databaseUrl(dbName);
  const [portA, portB, nginxPort] = [await freePort(), await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${nginxPort}`;
  const env: Record<string, string> = {
    HOST: "127.0.0.1",
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    PUBLIC_URL: origin,
    TRUST_PROXY: "true",
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    MFA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    OIDC_PAIRWISE_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: "warn",
    RATE_LIMIT_PER_MINUTE: "1000000",
    SIGN_IN_RATE_LIMIT_PER_MINUTE: "1000000",
    // The roles' sign-in at the start proves the second factor for the whole run: grants ask for it again otherwise.
    STEP_UP_MINUTES: "1440",
    BENCH_HELLO_ROUTE: "true",
    REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    REDIS_PREFIX: `guichet-load:${process.pid}:`,
  };
  const servers: ChildProcess[] = [];
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  let mix: MixProcess | undefined;
  progress(`load: database ${dbName}, servers on ${portA} and ${portB}, nginx on ${nginxPort}`);
  await admin(`create database ${dbName}`);
  try {
    // The first server migrates and seeds the demo data; the second starts on a ready database.
    servers.push(await startServerProcess({ ...env, PORT: String(portA) }));
    servers.push(await startServerProcess({ ...env, PORT: String(portB) }));
    const [serverA, serverB] = servers;
    if (!serverA || !serverB) throw new Error("the servers did not start");
    nginx = await startNginx({
      binary: nginxBinary,
      dir: nginxDir,
      port: nginxPort,
      upstreams: [portA, portB],
      probePath: HELLO_PATH,
    });

    progress("load: making the world: people, sessions, drafts");
    const config = loadConfig({ ...env, PORT: "0" });
    const hasher = new PasswordHasher(config.argon2, 1);
    const database = await openDatabase({ url, poolSize: 2 });
    let world: World;
    let roles: Record<string, string>;
    try {
      ({ world, roles } = await makeWorld(database.db, hasher, origin));
    } finally {
      await hasher.close();
      await database.close();
    }
    for (const role of world.browse) progress(`load: ${role.role} browses ${role.pages.join(" ")}`);

    mix = new MixProcess();
    const ready = await mix.ask({ kind: "world", world });
    if (ready.kind !== "ready") throw new Error(`load generator: ${JSON.stringify(ready)}`);

    progress(`load: warming up at ${WARMUP_RPS} req/s for ${WARMUP_SECONDS} s`);
    const warmup = await mix.phase({ kind: "open", rps: WARMUP_RPS, durationMs: WARMUP_SECONDS * 1000 });
    progress(`load: warm-up ${JSON.stringify(brief(warmup.before))}`);
    const rssAfterWarmup = { a: await residentMiB(serverA.pid), b: await residentMiB(serverB.pid) };
    const memoryAfterWarmup = await memoryOf(portA);

    progress(`load: hello-world through nginx, autocannon ${HELLO_CONNECTIONS} connections`);
    const hello = await helloRate(origin);
    progress(`load: hello-world ${hello.rps} req/s`);

    const { best, steps } = await search(mix);
    const memoryAfterSearch = await memoryOf(portA);

    progress(`load: the same mix one request at a time (${SERIAL_REQUESTS} requests)`);
    const serial = (await mix.phase({ kind: "serial", requests: SERIAL_REQUESTS })).before;
    progress(`load: one at a time ${JSON.stringify(brief(serial))}`);

    const steadyMs = STEADY_SECONDS * 1000;
    const killAtMs = steadyMs / 2;
    progress(
      `load: ${STEADY_RPS} req/s for ${STEADY_SECONDS} s, server B killed (SIGKILL) at ${killAtMs / 1000} s`,
    );
    let killedAtEpochMs = 0;
    let killTimer: NodeJS.Timeout | undefined;
    mix.onStarted = (atEpochMs) => {
      killTimer = setTimeout(
        () => {
          killedAtEpochMs = Date.now();
          serverB.kill("SIGKILL");
          progress("load: server B killed");
        },
        Math.max(0, atEpochMs + killAtMs - Date.now()),
      );
    };
    const steady = await mix.phase({
      kind: "open",
      rps: STEADY_RPS,
      durationMs: steadyMs,
      splitAtMs: killAtMs,
    });
    clearTimeout(killTimer);
    const steadyAfter = steady.after;
    if (!steadyAfter) throw new Error("the steady phase has no second half");
    progress(`load: steady, before the kill ${JSON.stringify(brief(steady.before))}`);
    progress(`load: steady, after the kill ${JSON.stringify(brief(steadyAfter))}`);
    const rssAfterRun = await residentMiB(serverA.pid);
    const memoryAfterRun = await memoryOf(portA);

    const acks = await mix.ask({ kind: "acks" });
    if (acks.kind !== "acks") throw new Error(`load generator: ${JSON.stringify(acks)}`);
    const writes = await missingWrites(url, acks.acks);

    // nginx's log: the requests the killed server was serving when it died, and what became of them.
    const killed = `127.0.0.1:${portB}`;
    const log = await readAccessLog(nginx.accessLog);
    const inFlight = log.filter(
      (e) =>
        e.upstreams[0] === killed &&
        e.endedAtMs - e.durationMs <= killedAtEpochMs + 1 &&
        e.endedAtMs >= killedAtEpochMs - 1,
    );
    const retried = inFlight.filter((e) => e.upstreams.length > 1 && e.status < 500);
    // Answers nginx failed on the killed server alone: sent while it died, or after, on a kept-alive connection to it
    // that nginx had not yet seen closed (a POST written there is not resent).
    const failedOnKilled = log.filter(
      (e) => e.upstreams.length === 1 && e.upstreams[0] === killed && e.status >= 500,
    );
    const startedAfterKill = failedOnKilled.filter((e) => e.endedAtMs - e.durationMs > killedAtEpochMs + 1);
    // Requests sent that failed; journeys never sent (dropped) are counted apart.
    const failedRequests = steadyAfter.errors - steadyAfter.dropped;
    const servedBy = (port: number) => log.filter((e) => e.upstreams.includes(`127.0.0.1:${port}`)).length;

    return {
      bench: "load",
      figure: round(best / hello.rps, 4),
      goal: ">= 0.1",
      figureMeaning: `highest rate of the mix sustained for ${STEP_SECONDS} s with p99 < ${P99_LIMIT_MS} ms and no error, ÷ GET ${HELLO_PATH} (a plain-text route, on only with BENCH_HELLO_ROUTE) req/s through the same nginx (autocannon, ${HELLO_CONNECTIONS} connections); two servers on one PostgreSQL database`,
      sustainedRps: best,
      helloRps: hello.rps,
      steadyErrors: steady.before.errors,
      steadyErrorsGoal: "0",
      steadyErrorsMeaning: `failed requests and dropped journeys at ${STEADY_RPS} req/s with both servers (the first half of the steady phase)`,
      steadyAchievedRpsBeforeKill: steady.before.achievedRps,
      steadyDroppedJourneys: { beforeKill: steady.before.dropped, afterKill: steadyAfter.dropped },
      steadyP99Ratio: round(steady.before.latencyMs.p99 / serial.latencyMs.p99, 3),
      steadyP99RatioGoal: "<= 2",
      steadyP99RatioMeaning: `p99 at ${STEADY_RPS} req/s (both servers) ÷ p99 of the same mix sent one request at a time`,
      writesLost: writes.missing,
      writesLostGoal: "0",
      writesLostMeaning:
        "writes acknowledged (grant, revocation, application save, file transfer) and then missing from the database at the end",
      failedRequestsAfterKill: failedRequests,
      failedRequestsMeaning:
        "requests of the mix sent and failed once server B was killed (SIGKILL) half-way through the steady phase, those in flight included (journeys dropped for overload not counted: steadyDroppedJourneys); compare with inFlightOnKilled",
      inFlightOnKilled: inFlight.length,
      inFlightOnKilledByMethod: {
        GET: inFlight.filter((e) => e.method === "GET").length,
        POST: inFlight.filter((e) => e.method === "POST").length,
      },
      inFlightRetriedOnOther: retried.length,
      failedWithinInFlight: failedRequests <= inFlight.length,
      failedOnKilledByNginx: {
        startedBeforeKill: failedOnKilled.length - startedAfterKill.length,
        startedAfterKill: startedAfterKill.length,
        methods: [...new Set(failedOnKilled.map((e) => e.method))],
      },
      requestsServed: { a: servedBy(portA), b: servedBy(portB), nginx: log.length },
      rssRatio: round(rssAfterRun / rssAfterWarmup.a, 3),
      rssRatioGoal: "<= 1.2",
      rssRatioMeaning: "VmRSS of the surviving server after the run ÷ after warm-up",
      rssMiB: { afterWarmup: rssAfterWarmup, survivorAfterRun: rssAfterRun },
      survivorMemoryMiB: {
        afterWarmup: memoryAfterWarmup,
        afterSearch: memoryAfterSearch,
        afterRun: memoryAfterRun,
      },
      writes,
      steady: { rps: STEADY_RPS, seconds: STEADY_SECONDS, beforeKill: steady.before, afterKill: steadyAfter },
      serial,
      search: steps,
      warmup: brief(warmup.before),
      hello,
      roles,
      pagesPerRole: Object.fromEntries(world.browse.map((r) => [r.role, r.pages.length])),
      stepSeconds: STEP_SECONDS,
      cpus: availableParallelism(),
      loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? Number.NaN, 2) },
      node: process.version,
      note: "a shared machine: other work ran meanwhile, so the rates and latencies are noisy",
    };
  } finally {
    mix?.close();
    await nginx?.stop();
    await Promise.allSettled(servers.map((server) => stopProcess(server, "SIGTERM")));
    await admin(`drop database if exists ${dbName} with (force)`).catch((error: unknown) =>
      progress(`load: could not drop ${dbName}: ${String(error)}`),
    );
    await rm(dir, { recursive: true, force: true });
    await dropRedisKeys(env.REDIS_URL ?? "", env.REDIS_PREFIX ?? "").catch((error: unknown) =>
      progress(`load: could not remove the Redis keys: ${String(error)}`),
    );
  }
}
