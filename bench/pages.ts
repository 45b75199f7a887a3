// npm run bench -- pages: authenticated « Mes services en ligne » requests per second ÷ a Fastify hello-world
// route's, both driven by autocannon (no pipelining) from a separate process, in alternating rounds of one run; and
// the resident memory of the process once idle after them, with each database.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import Fastify from "fastify";
import { TEST_PASSWORD } from "../test/support/app.js";
import { Factories } from "../test/support/factories.js";
import { startBenchServer } from "./support/server.js";
import { progress, round } from "./support/stats.js";

const run = promisify(execFile);
const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
const CONNECTIONS = 10;
const SECONDS = 4;
const ROUNDS = 3;
const SERVICES_WITH_ROLE = 6;
const IDLE_MS = 2_000;
const MIB = 1024 * 1024;

// A full collection before reading the resident memory, so that the garbage of the run (and of the other mode's
// server, closed before) is not counted. V8 gives a context `gc` once the flag is set; only this bench sets it.
setFlagsFromString("--expose-gc");
const collectGarbage: () => void = runInNewContext("gc");

/**
 * This process's resident memory (MiB) after a full collection and IDLE_MS of nothing. The server runs in this
 * process, so this is the server plus the bench's own share (the hello-world route, tsx), which the baseline, read
 * the same way before any server starts, shows.
 */
async function idleRssMb(): Promise<number> {
  collectGarbage();
  await sleep(IDLE_MS);
  return round(process.memoryUsage().rss / MIB, 1);
}

type Result = { requestsPerSecond: number; non2xx: number; errors: number; p99Ms: number };

async function autocannon(url: string, headers: Record<string, string>): Promise<Result> {
  const args = [AUTOCANNON, "--json", "-c", String(CONNECTIONS), "-d", String(SECONDS), "-p", "1"];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}=${value}`);
  args.push(url);
  const { stdout } = await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  const report: unknown = JSON.parse(stdout);
  const field = (path: string[]): number => {
    let value: unknown = report;
    for (const key of path)
      value = typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
    return typeof value === "number" ? value : Number.NaN;
  };
  return {
    requestsPerSecond: field(["requests", "average"]),
    non2xx: field(["non2xx"]),
    errors: field(["errors"]),
    p99Ms: field(["latency", "p99"]),
  };
}

type ModeResult = {
  figure: number;
  homeRequestsPerSecond: number;
  helloRequestsPerSecond: number;
  homeP99Ms: number[];
  helloP99Ms: number[];
  homeNon2xx: number;
  idleRssMb: number;
};

/** « Mes services en ligne » of a person with roles in 6 services, against hello-world, on one database. */
async function measureMode(kind: string, url: string | undefined, helloUrl: string): Promise<ModeResult> {
  progress(`pages: ${kind}: starting the server on a fresh database`);
  const server = await startBenchServer({ url });
  try {
    const db = server.database.db;
    const factories = new Factories(db, server.app.guichet.services.hasher, () => new Date());
    const organization = await factories.organization();
    const user = await factories.user(organization, { firstName: "Julie", lastName: "Perreault" });
    const services = await factories.manageServices(organization.id, user.id, SERVICES_WITH_ROLE);
    if (services !== SERVICES_WITH_ROLE) throw new Error(`the catalogue has ${services} services, not 6`);
    const cookie = await signIn(server.origin, user.userCode);
    const page = await fetch(`${server.origin}/`, { headers: { cookie } });
    const html = await page.text();
    if (page.status !== 200 || !html.includes(user.userCode))
      throw new Error(`home page not served: ${page.status}`);

    const pagesRuns: Result[] = [];
    const helloRuns: Result[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      pagesRuns.push(await autocannon(`${server.origin}/`, { cookie }));
      helloRuns.push(await autocannon(helloUrl, {}));
      progress(
        `pages: ${kind}: round ${r}/${ROUNDS} home ${round(pagesRuns.at(-1)?.requestsPerSecond ?? 0)} req/s, hello ${round(helloRuns.at(-1)?.requestsPerSecond ?? 0)} req/s`,
      );
    }
    const mean = (runs: Result[]) => runs.reduce((sum, r) => sum + r.requestsPerSecond, 0) / runs.length;
    const idle = await idleRssMb();
    progress(`pages: ${kind}: ${idle} MiB resident once idle`);
    return {
      figure: round(mean(pagesRuns) / mean(helloRuns), 3),
      homeRequestsPerSecond: round(mean(pagesRuns)),
      helloRequestsPerSecond: round(mean(helloRuns)),
      homeP99Ms: pagesRuns.map((r) => r.p99Ms),
      helloP99Ms: helloRuns.map((r) => r.p99Ms),
      homeNon2xx: pagesRuns.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      idleRssMb: idle,
    };
  } finally {
    await server.close();
  }
}

export async function benchPages(): Promise<Record<string, unknown>> {
  const hello = Fastify({ logger: false });
  hello.get("/", async () => "hello world");
  await hello.listen({ host: "127.0.0.1", port: 0 });
  const helloAddress = hello.server.address();
  if (helloAddress === null || typeof helloAddress === "string")
    throw new Error("hello-world has no TCP address");
  const helloUrl = `http://127.0.0.1:${helloAddress.port}/`;
  try {
    const baselineRssMb = await idleRssMb();
    const embedded = await measureMode("embedded", undefined, helloUrl);
    const url = process.env.DATABASE_URL;
    const postgresql = url ? await measureMode("postgresql", url, helloUrl) : undefined;
    return {
      bench: "pages",
      figure: embedded.figure,
      goal: ">= 0.25",
      figureMeaning:
        "authenticated GET / (« Mes services en ligne ») req/s ÷ Fastify hello-world req/s, autocannon, no pipelining, embedded PGlite",
      ...(postgresql
        ? {
            postgresqlFigure: postgresql.figure,
            postgresqlGoal: ">= 0.1",
            postgresqlFigureMeaning: "the same on PostgreSQL (DATABASE_URL), in the same run",
          }
        : {}),
      idleRssMb: embedded.idleRssMb,
      ...(postgresql ? { postgresqlIdleRssMb: postgresql.idleRssMb } : {}),
      baselineRssMb,
      idleRssMeaning: `resident MiB of the bench process (the server runs in it), after the rounds, a full collection and ${IDLE_MS / 1000} s idle; baselineRssMb the same before any server started (tsx, the hello-world route); PostgreSQL's is read after the embedded server closed, in the same process, so memory the allocator kept from it may count`,
      embedded,
      ...(postgresql ? { postgresql } : {}),
      connections: CONNECTIONS,
      secondsPerRun: SECONDS,
      rounds: ROUNDS,
      servicesWithRole: SERVICES_WITH_ROLE,
    };
  } finally {
    await hello.close();
  }
}

/** Signs in through the real form and returns the cookie header a browser would send afterwards. */
async function signIn(origin: string, userCode: string): Promise<string> {
  const form = await fetch(`${origin}/connexion`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  const csrfCookie = form.headers
    .getSetCookie()
    .map((h) => h.split(";")[0] ?? "")
    .join("; ");
  const response = await fetch(`${origin}/connexion`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ userCode, password: TEST_PASSWORD, _csrf: token }).toString(),
  });
  const session = response.headers
    .getSetCookie()
    .map((h) => h.split(";")[0] ?? "")
    .find((pair) => /guichet_session=/.test(pair));
  if (response.status !== 303 || !session) throw new Error(`sign-in failed: ${response.status}`);
  // What a browser sends afterwards: the session, and the CSRF secret's cookie set with the sign-in form.
  return [csrfCookie, session].filter(Boolean).join("; ");
}
