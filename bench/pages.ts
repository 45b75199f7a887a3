// npm run bench -- pages: authenticated « Mes services en ligne » requests per second ÷ a Fastify hello-world
// route's, both driven by autocannon (no pipelining) from a separate process, in alternating rounds of one run.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import Fastify from "fastify";
import { insertRole } from "../src/features/service-roles/service-roles.queries.js";
import { TEST_PASSWORD } from "../test/support/app.js";
import { Factories } from "../test/support/factories.js";
import { startBenchServer } from "./support/server.js";
import { progress, round } from "./support/stats.js";

const run = promisify(execFile);
const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
const CONNECTIONS = 10;
const SECONDS = 4;
const ROUNDS = 3;

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

export async function benchPages(): Promise<Record<string, unknown>> {
  progress("pages: starting the server on a fresh in-memory PGlite database");
  const server = await startBenchServer();
  const hello = Fastify({ logger: false });
  hello.get("/", async () => "hello world");
  await hello.listen({ host: "127.0.0.1", port: 0 });
  const helloAddress = hello.server.address();
  if (helloAddress === null || typeof helloAddress === "string")
    throw new Error("hello-world has no TCP address");
  try {
    const db = server.database.db;
    const factories = new Factories(db, server.app.guichet.services.hasher, () => new Date());
    const organization = await factories.organization();
    const user = await factories.user(organization, { firstName: "Julie", lastName: "Perreault" });
    const services = await db
      .selectFrom("online_service")
      .select("id")
      .orderBy("sort_order")
      .limit(6)
      .execute();
    for (const [index, service] of services.entries()) {
      await insertRole(db, {
        role: index === 0 ? "local_manager" : "deputy",
        organizationId: organization.id,
        servicePointId: null,
        serviceId: service.id,
        userId: user.id,
        grantedBy: null,
        accessRequestId: null,
        now: new Date(),
      });
    }
    const cookie = await signIn(server.origin, user.userCode);
    const page = await fetch(`${server.origin}/`, { headers: { cookie } });
    const html = await page.text();
    if (page.status !== 200 || !html.includes(user.userCode))
      throw new Error(`home page not served: ${page.status}`);

    const pagesRuns: Result[] = [];
    const helloRuns: Result[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      pagesRuns.push(await autocannon(`${server.origin}/`, { cookie }));
      helloRuns.push(await autocannon(`http://127.0.0.1:${helloAddress.port}/`, {}));
      progress(
        `pages: round ${r}/${ROUNDS} home ${round(pagesRuns.at(-1)?.requestsPerSecond ?? 0)} req/s, hello ${round(helloRuns.at(-1)?.requestsPerSecond ?? 0)} req/s`,
      );
    }
    const mean = (runs: Result[]) => runs.reduce((sum, r) => sum + r.requestsPerSecond, 0) / runs.length;
    const pagesRate = mean(pagesRuns);
    const helloRate = mean(helloRuns);
    return {
      bench: "pages",
      figure: round(pagesRate / helloRate, 3),
      goal: ">= 0.25",
      figureMeaning:
        "authenticated GET / (« Mes services en ligne ») req/s ÷ Fastify hello-world req/s, autocannon, no pipelining",
      homeRequestsPerSecond: round(pagesRate),
      helloRequestsPerSecond: round(helloRate),
      homeP99Ms: pagesRuns.map((r) => r.p99Ms),
      helloP99Ms: helloRuns.map((r) => r.p99Ms),
      homeNon2xx: pagesRuns.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      connections: CONNECTIONS,
      secondsPerRun: SECONDS,
      rounds: ROUNDS,
      servicesWithRole: services.length,
    };
  } finally {
    await hello.close();
    await server.close();
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
