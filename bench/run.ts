// npm run bench -- <name>: runs one benchmark, prints its progress on stderr and ONE JSON line on stdout.

import { missingNodeFlags } from "../src/node-flags.js";
import { benchAuthz } from "./authz.js";
import { benchDecisions } from "./decisions.js";
import { benchLoad, STEADY_SECONDS } from "./load.js";
import { benchLogin } from "./login.js";
import { benchPages } from "./pages.js";
import { benchUpload } from "./upload.js";

/** watchdogSeconds: a benchmark longer than the default watchdog says how long it may take. */
type Bench = { describe: string; run: () => Promise<Record<string, unknown>>; watchdogSeconds?: number };

const BENCHES: Record<string, Bench> = {
  authz: {
    describe:
      "registry check p99 at 1M grants vs 1k; check p50 vs a primary-key select's; PGlite, and PostgreSQL when DATABASE_URL is set",
    run: benchAuthz,
  },
  decisions: {
    describe:
      "decisions/s over HTTP vs hello-world; decide p99 at 1M grants vs 1k; wrongful allows in the revocation race; PGlite, and PostgreSQL when DATABASE_URL is set",
    run: benchDecisions,
  },
  load: {
    describe:
      "two server processes behind nginx on PostgreSQL: the mix's sustained rate vs hello-world's; 100 req/s for LOAD_STEADY_SECONDS (300) with one server killed half-way: errors, p99 vs one at a time, lost writes, RSS growth",
    run: benchLoad,
    watchdogSeconds: STEADY_SECONDS + 900,
  },
  login: {
    describe: "HTTP sign-in rate vs bare argon2id rate; cheap GET p99 during a sign-in storm vs idle",
    run: benchLogin,
  },
  pages: {
    describe:
      "authenticated « Mes services en ligne » req/s vs a Fastify hello-world route's, autocannon; idle resident memory after; PGlite, and PostgreSQL when DATABASE_URL is set",
    run: benchPages,
  },
  upload: {
    describe:
      "100 MB upload MB/s over HTTP vs SHA-256 + fsync to disk in-process; server RSS growth, 4 concurrent",
    run: benchUpload,
  },
};

/**
 * No benchmark should take this long; if one hangs, the process ends anyway. BENCH_WATCHDOG_S gives more time on
 * a machine shared with other work, where wall time stretches well beyond the CPU time a benchmark needs.
 */
function watchdogMs(bench: Bench): number {
  const seconds = Number(process.env.BENCH_WATCHDOG_S || bench.watchdogSeconds || 180);
  // A mistyped value would otherwise be NaN, which setTimeout takes as 1 ms: the benchmark ended before it began.
  if (!(seconds > 0))
    throw new Error(
      `BENCH_WATCHDOG_S must be a positive number of seconds, not ${process.env.BENCH_WATCHDOG_S}`,
    );
  return seconds * 1000;
}

function usage(): string {
  const lines = Object.entries(BENCHES).map(([name, bench]) => `  ${name.padEnd(9)} ${bench.describe}`);
  return [
    "usage: npm run bench -- <name>",
    "",
    "benchmarks:",
    ...lines,
    "",
    "Progress goes to stderr; stdout gets one JSON line with the figures and their goals.",
    "BENCH_PROBE picks another path for the latency probe (default /connexion).",
    "The server runs with the configuration's defaults; HASH_CONCURRENCY, ARGON2_MEMORY_KIB and",
    "ARGON2_TIME_COST, when set in the environment, are passed to it to try alternatives.",
    "BENCH_WATCHDOG_S (default 180, load: its steady phase + 900) ends a benchmark that runs longer; BENCH_EXPLAIN=1 makes authz print",
    "EXPLAIN ANALYZE of its facts statement.",
    "load: LOAD_STEADY_SECONDS (300), LOAD_STEP_SECONDS (10) and LOAD_WARMUP_SECONDS (15) shorten it while",
    "developing; NGINX names the nginx binary; DATABASE_URL names the PostgreSQL server (the local one by default).",
    "",
  ].join("\n");
}

const name = process.argv[2];
const bench = name === undefined ? undefined : BENCHES[name];
if (!bench) {
  if (name !== undefined && name !== "--help" && name !== "-h") {
    process.stderr.write(`unknown benchmark: ${name}\n\n`);
  }
  process.stderr.write(usage());
  process.exitCode = name === "--help" || name === "-h" ? 0 : 2;
} else {
  // The login, pages, decisions and upload benchmarks run the server in this process: with other flags than the
  // server's (src/node-flags.ts) they would measure another server than the one `npm start` runs.
  const missing = missingNodeFlags();
  if (missing.length > 0)
    process.stderr.write(
      `warning: this process lacks the server's flags ${missing.join(" ")}: use npm run bench\n`,
    );
  const WATCHDOG_MS = watchdogMs(bench);
  const watchdog = setTimeout(() => {
    process.stderr.write(`benchmark ${name} did not finish within ${WATCHDOG_MS / 1000} s\n`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  try {
    const result = await bench.run();
    // Once its line is written the benchmark is over: a handle some part left open (an engine's timer, a pool) must
    // not keep the process until the watchdog ends it with a failure, as the decisions benchmark's did.
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(process.exitCode ?? 0));
  } catch (error) {
    process.stderr.write(
      `benchmark ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
