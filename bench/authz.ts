// npm run bench -- authz: does the authorization check (both layers, one statement) stay as fast over a million
// grants as over a thousand, and how does it compare with the cheapest possible query, a primary-key select?
import { randomBytes } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { loadConfig } from "../src/config.js";
import type { AppServices, Ctx } from "../src/context.js";
import { PASS_THROUGH } from "../src/db/read-cache.js";
import { PasswordHasher } from "../src/features/auth/password-hasher.js";
import { THROTTLE } from "../src/features/auth/throttle.js";
import { checkService } from "../src/features/registry/registry.service.js";
import { montrealDay } from "../src/util/days.js";
import {
  grantsOf,
  LARGE,
  openRegistry,
  PROBES,
  type Probe,
  type Registry,
  SMALL,
} from "./support/registry.js";
import { percentile, progress, round, summarize } from "./support/stats.js";

const ROUNDS = 6;
const WARMUP_PASSES = 1;

function appServices(): AppServices {
  const config = loadConfig({
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    MFA_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
    LOG_LEVEL: "silent",
  });
  return {
    // No worker thread: the check never hashes.
    hasher: new PasswordHasher(config.argon2, 0),
    publicUrl: config.publicUrl,
    mfaKey: config.mfaEncryptionKey,
    stepUpMs: config.stepUpMinutes * 60_000,
    review: { days: config.review.days, unconfirmed: config.review.unconfirmed },
    factorGraceMs: config.mfaGraceDays * 24 * 3_600_000,
    throttle: THROTTLE,
    procurationMaxYears: config.procurationMaxYears,
    rightRequestDays: config.rightRequestDays,
    readCache: PASS_THROUGH,
    mailQueued: () => undefined,
    signInFailed: () => undefined,
  };
}

type Samples = { checkMs: number[]; pkMs: number[]; decisions: Record<string, number> };

const emptySamples = (): Samples => ({ checkMs: [], pkMs: [], decisions: {} });

/** One probe: the whole check, then a primary-key select, on the same connection. */
async function probeOnce(
  registry: Registry,
  index: number,
  app: AppServices,
  now: Date,
  into: Samples,
): Promise<void> {
  const { db } = registry.database;
  const probe = registry.probes[index];
  if (!probe) throw new Error(`no probe ${index}`);
  const ctx: Ctx = { db, actor: probe.actor, now, ip: null, app };
  let started = performance.now();
  const decision = await checkService(ctx, "registry.grant", probe.target);
  into.checkMs.push(performance.now() - started);
  const outcome = decision.allowed ? "allowed" : decision.reason;
  into.decisions[outcome] = (into.decisions[outcome] ?? 0) + 1;
  started = performance.now();
  await db
    .selectFrom("access_grant")
    .select(["id", "organization_id", "service_id", "user_id", "access_right", "valid_until", "ended_at"])
    .where("id", "=", registry.grantIds[index] ?? 1)
    .executeTakeFirst();
  into.pkMs.push(performance.now() - started);
}

type Pair = { small: Registry; large: Registry };
type PairSamples = { small: Samples; large: Samples };

/**
 * One pass over every probe of both sizes, alternating between them probe by probe (and which goes first), so that
 * a busy moment on a shared machine falls on both sizes alike rather than on one round of one size.
 */
async function pass(pair: Pair, app: AppServices, now: Date, into: PairSamples): Promise<void> {
  for (let index = 0; index < PROBES; index++) {
    const order = index % 2 === 0 ? (["small", "large"] as const) : (["large", "small"] as const);
    for (const size of order) await probeOnce(pair[size], index, app, now, into[size]);
  }
}

/**
 * EXPLAIN ANALYZE of the facts statement (BENCH_EXPLAIN=1), on stderr: the body of registry_service_facts,
 * prepared as the function's PL/pgSQL prepares it, for a few probes; then once more after enough executions for
 * the plan cache to settle on a generic plan, which is what the function runs from then on.
 */
async function explainFacts(registry: Registry, today: string, count: number): Promise<void> {
  const { db } = registry.database;
  const fn = await sql<{ body: string; names: string[]; types: string }>`
    select prosrc as body, proargnames as names, pg_get_function_identity_arguments(oid) as types
    from pg_proc where proname = 'registry_service_facts'
  `.execute(db);
  const source = fn.rows[0];
  const query = source ? /return query([\s\S]*?);\s*end;/i.exec(source.body)?.[1] : undefined;
  if (!source || !query) throw new Error("registry_service_facts not found");
  const types = source.types.split(",").map((argument) => argument.trim().split(/\s+/).slice(1).join(" "));
  const statement = source.names
    .slice(0, types.length)
    .reduce(
      (text, name, index) => text.replace(new RegExp(`\\b${name}\\b`, "g"), () => `$${index + 1}`),
      query,
    );
  await sql.raw(`prepare bench_facts (${types.join(", ")}) as ${statement}`).execute(db);
  try {
    const explain = async (probe: Probe, label: string) => {
      const args = [
        probe.actor.userId,
        probe.actor.organizationId,
        probe.target.organizationId,
        probe.target.service.id,
        probe.target.service.ministry_id,
      ].join(", ");
      const plan = await sql
        .raw<Record<string, string>>(`explain (analyze, buffers) execute bench_facts (${args}, '${today}')`)
        .execute(db);
      progress(
        `authz: ${registry.shape.label} facts plan (${label}) for user ${probe.actor.userId}, organization ${probe.target.organizationId}, service ${probe.target.service.id}:\n${plan.rows.map((row) => Object.values(row).join("")).join("\n")}`,
      );
    };
    const probes = registry.probes.slice(0, count);
    for (const probe of probes) await explain(probe, "custom plan");
    for (const probe of registry.probes.slice(0, 6)) await explain(probe, "settling");
    for (const probe of probes) await explain(probe, "after five executions");
  } finally {
    await sql.raw("deallocate bench_facts").execute(db);
  }
}

type ModeResult = {
  figure: number;
  figure2: number;
  figure2AtSmall: number;
  figurePerRound: number[];
  figure2PerRound: number[];
  checkMs: { small: ReturnType<typeof summarize>; large: ReturnType<typeof summarize> };
  pkMs: { small: ReturnType<typeof summarize>; large: ReturnType<typeof summarize> };
  decisions: { small: Record<string, number>; large: Record<string, number> };
  grants: { small: number; large: number };
  populateSeconds: { small: number; large: number; largeCpuOfThisProcess: number };
};

/**
 * Both sizes on databases of the same kind, open side by side; after a warm-up pass, each round probes both,
 * alternating probe by probe.
 */
async function measureMode(url: string | undefined, app: AppServices, now: Date): Promise<ModeResult> {
  const kind = url ? "PostgreSQL" : "PGlite";
  const today = montrealDay(now);
  progress(`authz: ${kind}: generating ${grantsOf(SMALL)} grants in SQL`);
  const small = await openRegistry(SMALL, url, today, 1);
  try {
    progress(`authz: ${kind}: generating ${grantsOf(LARGE).toLocaleString("en")} grants in SQL`);
    const large = await openRegistry(LARGE, url, today, 2);
    try {
      progress(
        `authz: ${kind}: populated in ${round(small.populateMs / 1000, 1)} s and ${round(large.populateMs / 1000, 1)} s (${round(large.populateCpuMs / 1000, 1)} s of this process's CPU); warming up`,
      );
      if (process.env.BENCH_EXPLAIN) await explainFacts(large, today, 3);
      const pair = { small, large };
      for (let n = 0; n < WARMUP_PASSES; n++)
        await pass(pair, app, now, { small: emptySamples(), large: emptySamples() });
      const all = { small: emptySamples(), large: emptySamples() };
      const figurePerRound: number[] = [];
      const figure2PerRound: number[] = [];
      for (let r = 1; r <= ROUNDS; r++) {
        const round_ = { small: emptySamples(), large: emptySamples() };
        await pass(pair, app, now, round_);
        for (const size of ["small", "large"] as const) {
          all[size].checkMs.push(...round_[size].checkMs);
          all[size].pkMs.push(...round_[size].pkMs);
          for (const [outcome, n] of Object.entries(round_[size].decisions))
            all[size].decisions[outcome] = (all[size].decisions[outcome] ?? 0) + n;
        }
        figurePerRound.push(
          round(percentile(round_.large.checkMs, 99) / percentile(round_.small.checkMs, 99)),
        );
        figure2PerRound.push(round(percentile(round_.large.checkMs, 50) / percentile(round_.large.pkMs, 50)));
        progress(
          `authz: ${kind}: round ${r}/${ROUNDS} check p99 1M ÷ 1k ${figurePerRound.at(-1)}, check p50 ÷ pk p50 ${figure2PerRound.at(-1)}`,
        );
      }
      return {
        figure: round(percentile(all.large.checkMs, 99) / percentile(all.small.checkMs, 99)),
        figure2: round(percentile(all.large.checkMs, 50) / percentile(all.large.pkMs, 50)),
        figure2AtSmall: round(percentile(all.small.checkMs, 50) / percentile(all.small.pkMs, 50)),
        figurePerRound,
        figure2PerRound,
        checkMs: { small: summarize(all.small.checkMs), large: summarize(all.large.checkMs) },
        pkMs: { small: summarize(all.small.pkMs), large: summarize(all.large.pkMs) },
        decisions: { small: all.small.decisions, large: all.large.decisions },
        grants: { small: small.grants, large: large.grants },
        populateSeconds: {
          small: round(small.populateMs / 1000, 1),
          large: round(large.populateMs / 1000, 1),
          largeCpuOfThisProcess: round(large.populateCpuMs / 1000, 1),
        },
      };
    } finally {
      await large.drop();
    }
  } finally {
    await small.drop();
  }
}

export async function benchAuthz(): Promise<Record<string, unknown>> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const app = appServices();
  const now = new Date();
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const embedded = await measureMode(undefined, app, now);
    const url = process.env.DATABASE_URL;
    const postgresql = url ? await measureMode(url, app, now) : undefined;
    return {
      bench: "authz",
      figure: embedded.figure,
      goal: "<= 1.3",
      figureMeaning: `p99 of checkService(ctx, "registry.grant", target) at ${grantsOf(LARGE).toLocaleString("en")} grants ÷ at ${grantsOf(SMALL).toLocaleString("en")} grants, embedded PGlite`,
      figure2: embedded.figure2,
      goal2: "<= 2",
      figure2Meaning:
        "p50 of that check ÷ p50 of select … from access_grant where id = $1, same connection, at 1M grants",
      ...(postgresql
        ? {
            postgresqlFigure: postgresql.figure,
            postgresqlFigure2: postgresql.figure2,
          }
        : {}),
      embedded,
      ...(postgresql ? { postgresql } : {}),
      probesPerSize: PROBES,
      seconds: {
        wall: round((performance.now() - started) / 1000, 1),
        // PGlite's work and the client's; PostgreSQL's own work is in its server process.
        thisProcessCpu: round((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6, 1),
      },
      rounds: ROUNDS,
      cpus: availableParallelism(),
      loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? Number.NaN, 2) },
      node: process.version,
    };
  } finally {
    await app.hasher.close();
  }
}
