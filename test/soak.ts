// npm run test:soak -- N: the embedded-database suite N times in a row; one JSON line of crashes, failures, engines, wall time.
import { spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

const runs = Number(process.argv[2] ?? 10);
if (!Number.isInteger(runs) || runs < 1) {
  console.error("usage: npm run test:soak -- N   (N, a whole number of runs, at least 1)");
  process.exit(2);
}

/** What V8 or the process prints when the runtime itself dies, as opposed to a test failing. */
const FATAL = /# Fatal error|Check failed:|signal: '(SIGTRAP|SIGABRT|SIGSEGV|SIGILL|SIGBUS)'/g;

type Run = {
  seconds: number;
  engines: number;
  tests: number;
  failed: number;
  fatal: number;
  exit: number | null;
};

async function once(index: number, folder: string): Promise<Run> {
  const engineLog = join(folder, `engines-${index}.log`);
  const outputFile = join(folder, `run-${index}.log`);
  await rm(engineLog, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, GUICHET_ENGINE_LOG: engineLog };
  // The embedded database only: a DATABASE_URL in the environment would move the suite to PostgreSQL.
  delete env.DATABASE_URL;
  const started = performance.now();
  const chunks: Buffer[] = [];
  const exit = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("npm", ["test"], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  const seconds = (performance.now() - started) / 1000;
  const output = Buffer.concat(chunks).toString("utf8");
  await writeFile(outputFile, output);
  const engines = (await readFile(engineLog, "utf8").catch(() => "")).split("\n").filter(Boolean).length;
  const count = (label: string) =>
    Number(new RegExp(`^ℹ ${label} (\\d+)$`, "m").exec(output)?.[1] ?? Number.NaN);
  const run = {
    seconds: Math.round(seconds * 10) / 10,
    engines,
    tests: count("tests"),
    failed: count("fail"),
    fatal: output.match(FATAL)?.length ?? 0,
    exit,
  };
  console.error(`run ${index + 1}/${runs}: ${JSON.stringify(run)} (output in ${outputFile})`);
  return run;
}

const folder = join(process.cwd(), ".tmp", "soak");
await mkdir(folder, { recursive: true });
const results: Run[] = [];
for (let index = 0; index < runs; index++) results.push(await once(index, folder));
const sum = (pick: (run: Run) => number) => results.reduce((total, run) => total + pick(run), 0);
console.log(
  JSON.stringify({
    soak: "embedded-suite",
    runs,
    fatalCrashes: sum((r) => r.fatal),
    // A run whose summary is missing (the runner itself died) counts as one failure.
    testFailures: sum((r) => (Number.isNaN(r.failed) ? 1 : r.failed)),
    goal: "0 fatal crashes, 0 test failures",
    enginesPerRun: results.map((r) => r.engines),
    wallSecondsPerRun: results.map((r) => r.seconds),
    testsPerRun: results.map((r) => r.tests),
    nonZeroExits: results.filter((r) => r.exit !== 0).length,
  }),
);
