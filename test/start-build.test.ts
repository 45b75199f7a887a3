// `npm start` runs the compiled server: it builds dist/ when it is missing or was built from other sources, and only
// then; the server it starts answers from dist/ with its V8 flags, and a SIGTERM to npm stops it cleanly. On a copy of
// the project (its sources, beside the same node_modules), so that the checkout's own dist/ is left alone. One build,
// reused by the later tests; the last one builds again after a source changes.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, cp, mkdtemp, readFile, realpath, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { SERVER_ENVIRONMENT, SERVER_NODE_FLAGS } from "../src/node-flags.js";
import { SAME_IN_BOTH_MODES } from "./support/modes.js";
import { freePort, serverProcessSettings, untilListening } from "./support/server-process.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** What the build reads, and the server at run time outside dist/. */
const PROJECT = [
  "src",
  "scripts",
  "migrations",
  "public",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
];
const BUILDING = "compilation de src/ dans dist/";
const START_TIMEOUT_MS = 280_000;

let copy: string;
let env: Record<string, string>;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  if (SAME_IN_BOTH_MODES) return;
  const base = await mkdtemp(join(tmpdir(), "guichet-start-"));
  cleanups.push(() => rm(base, { recursive: true, force: true }));
  copy = join(base, "guichet");
  for (const entry of PROJECT) await cp(join(ROOT, entry), join(copy, entry), { recursive: true });
  await symlink(await realpath(join(ROOT, "node_modules")), join(copy, "node_modules"), "dir");
  const settings = await serverProcessSettings("start", { npm_config_update_notifier: "false" });
  cleanups.push(settings.remove);
  env = settings.env;
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** `npm start` in the copy, on a port of its own; resolves once the server listens, with everything it printed. */
async function npmStart(): Promise<{ npm: ChildProcess; port: number; output: string[] }> {
  const port = await freePort();
  const npm = spawn("npm", ["start"], {
    cwd: copy,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(async () => {
    if (npm.exitCode === null && npm.signalCode === null) npm.kill("SIGKILL");
  });
  const output: string[] = [];
  npm.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  npm.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  await untilListening(npm, START_TIMEOUT_MS);
  return { npm, port, output };
}

/** SIGTERM to npm, as a supervisor stops it: resolves with npm's exit code once it has ended. */
async function stop(npm: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
  npm.kill("SIGTERM");
  return exited;
}

/** The pid the server's log lines carry (pino's `pid`): the process npm started, become the server. */
function serverPid(output: string[]): number {
  const pid = /"pid":(\d+)/.exec(output.join(""))?.[1];
  assert.ok(pid, output.join(""));
  return Number(pid);
}

/** `node scripts/build.mjs` in the copy; resolves with what it printed. */
function runBuild(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["scripts/build.mjs"], { cwd: copy }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout + stderr);
    });
  });
}

const fingerprintOf = (dir: string) => readFile(join(dir, "dist", ".fingerprint"), "utf8");

test("without dist/, npm start builds it and serves from the compiled JavaScript, with the server's flags and environment; SIGTERM to npm stops it cleanly", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const { npm, port, output } = await npmStart();
  assert.match(output.join(""), new RegExp(BUILDING));
  const health = await fetch(`http://127.0.0.1:${port}/sante`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, "ok");
  assert.match(await fingerprintOf(copy), /^[0-9a-f]{64}\n$/);

  const pid = serverPid(output);
  if (process.platform === "linux") {
    const command = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
    assert.ok(command.includes(join(copy, "dist", "server.js")), command.join(" "));
    for (const flag of SERVER_NODE_FLAGS)
      assert.ok(command.includes(flag), `${flag} in ${command.join(" ")}`);
    const environment = (await readFile(`/proc/${pid}/environ`, "utf8")).split("\0");
    for (const [name, value] of Object.entries(SERVER_ENVIRONMENT))
      assert.ok(environment.includes(`${name}=${value}`), `${name}=${value} in the server's environment`);
  }
  assert.doesNotMatch(output.join(""), /started without the node flags/);

  assert.equal(await stop(npm), 0);
  assert.match(output.join(""), /"signal":"SIGTERM".*"msg":"shut down cleanly"/);
  assert.throws(() => process.kill(pid, 0), "the server has ended too");
});

test("with dist/ built from the same sources, npm start does not build again", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const before = await stat(join(copy, "dist", "server.js"));
  const { npm, port, output } = await npmStart();
  assert.doesNotMatch(output.join(""), new RegExp(BUILDING));
  assert.equal((await fetch(`http://127.0.0.1:${port}/sante`)).status, 200);
  assert.equal(await stop(npm), 0);
  assert.equal((await stat(join(copy, "dist", "server.js"))).mtimeMs, before.mtimeMs, "dist/ left as it was");
});

test("a test file added does not make dist/ stale; a source changed does, and the build then carries the change", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const built = await fingerprintOf(copy);
  await writeFile(join(copy, "src", "start-build.test.ts"), "// a test: not part of the build\n");
  assert.match(await runBuild(), /dist\/ est à jour/);

  const marker = `build-${randomBytes(4).toString("hex")}`;
  await appendFile(join(copy, "src", "clock.ts"), `\nexport const startBuildMarker = "${marker}";\n`);
  assert.match(await runBuild(), new RegExp(BUILDING));
  assert.notEqual(await fingerprintOf(copy), built);
  assert.match(await readFile(join(copy, "dist", "clock.js"), "utf8"), new RegExp(marker));
  assert.match(await runBuild(), /dist\/ est à jour/);
});
