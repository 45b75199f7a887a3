// npm run bench -- decisions: the decision API (issue #14). How many single decisions per second the API answers over
// HTTP with a client's token, against a Fastify hello-world route in the same run; whether a decision stays as fast
// over a million grants as over a thousand; and whether a decision ever allows after a revocation has committed.
// On the embedded database, and on PostgreSQL as well when DATABASE_URL is set.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import Fastify, { type FastifyInstance } from "fastify";
import { SnapshotReadCache } from "../src/db/snapshot-cache.js";
import { decide, type Question } from "../src/features/decisions/decisions.service.js";
import { insertSubjects } from "../src/features/decisions-api/decisions-api.queries.js";
import { montrealDay } from "../src/util/days.js";
import { startTestApp, type TestApp } from "../test/support/app.js";
import { RegistryFixtures } from "../test/support/registry-fixtures.js";
import { otherMinistry, registerClient } from "../test/support/relying-party.js";
import { prepareRevocationRace, RACE_DECISIONS, runRevocationRace } from "../test/support/revocation-race.js";
import { grantsOf, LARGE, openRegistry, PROBES, type Registry, SMALL } from "./support/registry.js";
import { percentile, progress, round, summarize } from "./support/stats.js";

const run = promisify(execFile);
const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
const CONNECTIONS = 10;
const SECONDS = 3;
const HTTP_ROUNDS = 3;
/** Passes over the probes of both registry sizes, after one warm-up pass. */
const DECIDE_ROUNDS = 3;

type Mode = { kind: "embedded" | "postgresql"; url: string | undefined };

type Cannon = { requestsPerSecond: number; non2xx: number; errors: number; p99Ms: number };

export async function autocannon(
  url: string,
  options: { headers?: Record<string, string>; method?: string; body?: string } = {},
): Promise<Cannon> {
  const args = [AUTOCANNON, "--json", "-c", String(CONNECTIONS), "-d", String(SECONDS), "-p", "1"];
  if (options.method) args.push("-m", options.method);
  if (options.body !== undefined) args.push("-b", options.body);
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}=${value}`);
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

/** The test app of a mode: its database follows DATABASE_URL, set or cleared for the moment it opens. */
export async function startApp(mode: Mode): Promise<TestApp> {
  const saved = process.env.DATABASE_URL;
  if (mode.url) process.env.DATABASE_URL = mode.url;
  else delete process.env.DATABASE_URL;
  try {
    return await startTestApp();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

/**
 * An online service of a ministry with its client; in it, a municipality's local manager, and a firm's agent (with
 * a procuration, associated by the firm's agent manager, granted « Mandataire – Rédaction » by the local manager,
 * and mandated on one dossier the service declared). The question is the one a service asks on a dossier page: may
 * this agent edit this dossier? Allowed, through the longest chain the policy knows.
 */
export async function httpWorld(t: TestApp, origin: string): Promise<{ token: string; body: string }> {
  const fx = new RegistryFixtures(t);
  const f = t.factories;
  const ministry = await otherMinistry(t, "Ministère des Transports");
  const client = await registerClient(t, { ministryId: ministry });
  const S = await fx.service(client.serviceCode);
  const O = await f.organization("municipality", "Ville de Québec");
  const F = await f.organization("firm", "Génie-Conseil inc.");
  const P = await fx.servicePoint(F, "Bureau de Québec");
  const L = await f.user(O);
  const AM = await f.user(F);
  const agent = await f.user(F, { firstName: "Amélie", lastName: "Agente" });
  for (const user of [L, AM, agent]) await fx.procuration(user, { ministryId: ministry });
  await fx.role("local_manager", L, { organizationId: O.id, service: S });
  await fx.role("agent_manager", AM, { organizationId: F.id, service: S, servicePointId: P });
  await fx.associate(AM, { service: S, organizationId: F.id, servicePointId: P }, agent);
  await fx.grant(L, { service: S, organizationId: O.id }, agent, "agent.write");
  const sub = "bench-pairwise-subject-of-the-agent";
  await insertSubjects(t.database.db, [{ ministryId: ministry, sub, userId: agent.id }], t.clock());

  // The service's token, by client credentials over HTTP as the service gets it.
  const response = await fetch(`${origin}/oidc/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      scope: "decisions:read dossiers:write",
      resource: `${t.config.publicUrl}/api/v1`,
    }).toString(),
  });
  const tokens = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !tokens.access_token)
    throw new Error(`no token: ${response.status} ${JSON.stringify(tokens)}`);
  const token = tokens.access_token;
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${origin}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  const externalId = "PAVL-BENCH-001";
  const declared = await api("PUT", `/services/${encodeURIComponent(S.code)}/dossiers/${externalId}`, {
    organization: O.id,
    title: "Rang Saint-Joseph",
  });
  if (declared.status !== 201)
    throw new Error(`dossier not declared: ${declared.status} ${await declared.text()}`);
  // A mandate on the declared dossier, as « Gestion des mandats » writes it.
  const dossier = await t.database.db
    .selectFrom("declared_dossier")
    .select("id")
    .where("service_id", "=", S.id)
    .where("external_id", "=", externalId)
    .executeTakeFirstOrThrow();
  await t.database.db
    .insertInto("mandate")
    .values({
      declared_dossier_id: dossier.id,
      agent_user_id: agent.id,
      assigned_at: t.clock(),
      assigned_by: L.id,
    })
    .execute();

  const question = {
    subject: sub,
    organization: O.id,
    service: S.code,
    action: "application.edit",
    dossier: externalId,
  };
  const body = JSON.stringify(question);
  const answer = await api("POST", "/decisions", question);
  const decision = (await answer.json()) as { allowed?: boolean; because?: { kind: string }[] };
  if (answer.status !== 200 || decision.allowed !== true)
    throw new Error(`the bench's question is not allowed: ${answer.status} ${JSON.stringify(decision)}`);
  progress(
    `decisions: the question is allowed because of ${decision.because?.map((link) => link.kind).join(" → ")}`,
  );
  return { token, body };
}

type HttpResult = {
  ratio: number;
  decisionsPerSecond: number;
  helloRequestsPerSecond: number;
  decisionP99Ms: number[];
  helloP99Ms: number[];
  decisionNon2xx: number;
  /** PostgreSQL: round trips the registry cache made to ask whether anything changed, per decision answered. */
  cacheChecksPerDecision?: number;
};

/** Single decisions over HTTP and the hello-world route, in alternating rounds of autocannon. */
async function measureHttp(mode: Mode, t: TestApp, helloUrl: string): Promise<HttpResult> {
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  const address = t.app.server.address();
  if (address === null || typeof address === "string") throw new Error("server has no TCP address");
  const origin = `http://127.0.0.1:${address.port}`;
  const { token, body } = await httpWorld(t, origin);
  const cache = t.database.registryCache;
  const checksBefore = cache instanceof SnapshotReadCache ? cache.checks : 0;
  const decisionRuns: Cannon[] = [];
  const helloRuns: Cannon[] = [];
  for (let r = 1; r <= HTTP_ROUNDS; r++) {
    decisionRuns.push(
      await autocannon(`${origin}/api/v1/decisions`, {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      }),
    );
    helloRuns.push(await autocannon(helloUrl));
    progress(
      `decisions: ${mode.kind}: round ${r}/${HTTP_ROUNDS} decisions ${round(decisionRuns.at(-1)?.requestsPerSecond ?? 0)} req/s, hello ${round(helloRuns.at(-1)?.requestsPerSecond ?? 0)} req/s`,
    );
  }
  const mean = (runs: Cannon[]) => runs.reduce((sum, r) => sum + r.requestsPerSecond, 0) / runs.length;
  const decisionNon2xx = decisionRuns.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
  if (decisionNon2xx > 0)
    progress(`decisions: ${mode.kind}: ${decisionNon2xx} decisions answered other than 2xx`);
  return {
    ratio: round(mean(decisionRuns) / mean(helloRuns)),
    decisionsPerSecond: round(mean(decisionRuns)),
    helloRequestsPerSecond: round(mean(helloRuns)),
    decisionP99Ms: decisionRuns.map((r) => r.p99Ms),
    helloP99Ms: helloRuns.map((r) => r.p99Ms),
    decisionNon2xx,
    ...(cache instanceof SnapshotReadCache
      ? {
          cacheChecksPerDecision: round(
            (cache.checks - checksBefore) /
              decisionRuns.reduce((sum, r) => sum + r.requestsPerSecond * SECONDS, 0),
            3,
          ),
        }
      : {}),
  };
}

type ScaleResult = {
  ratio: number;
  ratioPerRound: number[];
  decideMs: { small: ReturnType<typeof summarize>; large: ReturnType<typeof summarize> };
  answers: { small: Record<string, number>; large: Record<string, number> };
  grants: { small: number; large: number };
  populateSeconds: { small: number; large: number };
};

/** The authz benchmark's probes (a person, an organization, a service) asked as decisions to read in the service. */
const questionOf = (registry: Registry, index: number): Question => {
  const probe = registry.probes[index];
  if (!probe) throw new Error(`no probe ${index}`);
  return {
    userId: probe.actor.userId,
    organizationId: probe.target.organizationId,
    serviceId: probe.target.service.id,
    action: "application.read",
  };
};

/**
 * The core decide() on registries of 1k and 1M grants generated in SQL (bench/support/registry.ts, as authz), open
 * side by side on databases of the mode's kind, alternating probe by probe and which size goes first.
 */
async function measureScale(mode: Mode, now: Date): Promise<ScaleResult> {
  const today = montrealDay(now);
  progress(`decisions: ${mode.kind}: generating ${grantsOf(SMALL)} grants in SQL`);
  const small = await openRegistry(SMALL, mode.url, today, 1, "decisions");
  try {
    progress(`decisions: ${mode.kind}: generating ${grantsOf(LARGE).toLocaleString("en")} grants in SQL`);
    const large = await openRegistry(LARGE, mode.url, today, 2, "decisions");
    try {
      progress(
        `decisions: ${mode.kind}: populated in ${round(small.populateMs / 1000, 1)} s and ${round(large.populateMs / 1000, 1)} s`,
      );
      const pair = { small, large };
      type Samples = { ms: number[]; answers: Record<string, number> };
      const pass = async (into: { small: Samples; large: Samples }) => {
        for (let index = 0; index < PROBES; index++) {
          const order = index % 2 === 0 ? (["small", "large"] as const) : (["large", "small"] as const);
          for (const size of order) {
            const registry = pair[size];
            const started = performance.now();
            const answer = await decide(registry.database.db, now, questionOf(registry, index));
            into[size].ms.push(performance.now() - started);
            const outcome = answer.allowed ? "allowed" : (answer.reason ?? "denied");
            into[size].answers[outcome] = (into[size].answers[outcome] ?? 0) + 1;
          }
        }
      };
      const empty = () => ({ small: { ms: [], answers: {} }, large: { ms: [], answers: {} } });
      await pass(empty());
      const all: { small: Samples; large: Samples } = empty();
      const ratioPerRound: number[] = [];
      for (let r = 1; r <= DECIDE_ROUNDS; r++) {
        const one: { small: Samples; large: Samples } = empty();
        await pass(one);
        for (const size of ["small", "large"] as const) {
          all[size].ms.push(...one[size].ms);
          for (const [outcome, n] of Object.entries(one[size].answers))
            all[size].answers[outcome] = (all[size].answers[outcome] ?? 0) + n;
        }
        ratioPerRound.push(round(percentile(one.large.ms, 99) / percentile(one.small.ms, 99)));
        progress(
          `decisions: ${mode.kind}: round ${r}/${DECIDE_ROUNDS} decide p99 1M ÷ 1k ${ratioPerRound.at(-1)}`,
        );
      }
      return {
        ratio: round(percentile(all.large.ms, 99) / percentile(all.small.ms, 99)),
        ratioPerRound,
        decideMs: { small: summarize(all.small.ms), large: summarize(all.large.ms) },
        answers: { small: all.small.answers, large: all.large.answers },
        grants: { small: small.grants, large: large.grants },
        populateSeconds: {
          small: round(small.populateMs / 1000, 1),
          large: round(large.populateMs / 1000, 1),
        },
      };
    } finally {
      await large.drop();
    }
  } finally {
    await small.drop();
  }
}

async function measureMode(mode: Mode, helloUrl: string) {
  const started = performance.now();
  // The registries first: their engines are closed before the app's and the race's are made.
  const scale = await measureScale(mode, new Date());
  progress(`decisions: ${mode.kind}: starting the app`);
  const t = await startApp(mode);
  try {
    const http = await measureHttp(mode, t, helloUrl);
    progress(`decisions: ${mode.kind}: revocation race, ${RACE_DECISIONS} decisions`);
    const prepared = await prepareRevocationRace(t, mode.url);
    const race = await runRevocationRace(prepared, t.clock).finally(() => prepared.close());
    if (!race.allRevoked || race.allowedBefore === 0 || race.deniedAfter === 0)
      throw new Error(`the race did not race: ${JSON.stringify(race)}`);
    progress(
      `decisions: ${mode.kind}: ${race.wrongfulAllows} wrongful allows in ${round(race.seconds, 1)} s`,
    );
    return {
      figure: http.ratio,
      figure2: scale.ratio,
      figure3: race.wrongfulAllows,
      http,
      scale,
      race: { ...race, seconds: round(race.seconds, 1) },
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await t.close();
  }
}

export async function benchDecisions(): Promise<Record<string, unknown>> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const started = performance.now();
  const hello: FastifyInstance = Fastify({ logger: false });
  hello.get("/", async () => "hello world");
  await hello.listen({ host: "127.0.0.1", port: 0 });
  const address = hello.server.address();
  if (address === null || typeof address === "string") throw new Error("hello-world has no TCP address");
  const helloUrl = `http://127.0.0.1:${address.port}/`;
  try {
    const embedded = await measureMode({ kind: "embedded", url: undefined }, helloUrl);
    const url = process.env.DATABASE_URL;
    const postgresql = url ? await measureMode({ kind: "postgresql", url }, helloUrl) : undefined;
    return {
      bench: "decisions",
      figure: embedded.figure,
      goal: ">= 0.3",
      figureMeaning:
        "POST /api/v1/decisions (one allowed question on a declared dossier, client-credentials JWT) req/s ÷ Fastify hello-world req/s, autocannon, same process and machine, embedded PGlite",
      figure2: embedded.figure2,
      goal2: "<= 1.3",
      figure2Meaning: `p99 of the core decide() (application.read, authz's probes) at ${grantsOf(LARGE).toLocaleString("en")} grants ÷ at ${grantsOf(SMALL).toLocaleString("en")} grants generated in SQL, embedded PGlite`,
      figure3: embedded.figure3,
      goal3: "0",
      figure3Meaning: `wrongful allows among ${RACE_DECISIONS} decisions raced against revocations committed from another connection, embedded PGlite`,
      ...(postgresql
        ? {
            postgresqlFigure: postgresql.figure,
            postgresqlFigure2: postgresql.figure2,
            postgresqlFigure3: postgresql.figure3,
          }
        : {}),
      embedded,
      ...(postgresql ? { postgresql } : {}),
      connections: CONNECTIONS,
      secondsPerHttpRun: SECONDS,
      httpRounds: HTTP_ROUNDS,
      decideRounds: DECIDE_ROUNDS,
      probesPerSize: PROBES,
      seconds: round((performance.now() - started) / 1000, 1),
      cpus: availableParallelism(),
      loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? Number.NaN, 2) },
      node: process.version,
    };
  } finally {
    await hello.close();
  }
}
