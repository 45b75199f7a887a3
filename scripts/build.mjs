// Compiles src/ into dist/ for `npm start`, only when the sources changed since the last build. Plain JavaScript, so
// that Node runs it before anything is compiled. `node scripts/build.mjs` builds when stale; `--force` always.
//
// dist/ mirrors src/ one to one (dist/server.js is src/server.ts), so the paths the code reads relative to itself
// resolve the same from both: `../public/`, `../../migrations/`, and node_modules found by walking up. The files of
// src/ that are not TypeScript (the worker's .mjs, the common passwords, the program's form) are copied beside.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

/** The file in dist/ that holds the fingerprint of the sources it was built from. */
export const FINGERPRINT_FILE = ".fingerprint";

/** What a build reads besides src/: a change to any of these changes the output or how it is made. */
const INPUTS = [
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
  "scripts/build.mjs",
];

const isTest = (path) => /\.test\.tsx?$/.test(path);
const isTypeScript = (path) => /\.tsx?$/.test(path);

/** Every file under `dir`, relative to `root`, sorted so that the fingerprint does not depend on the listing order. */
function filesUnder(root, dir) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * A hash of the sources' paths and contents (the tests excepted): contents rather than modification times, so that a
 * checkout or a copy that rewrites the files unchanged does not rebuild, and an edit always does.
 */
export function sourceFingerprint(root) {
  const hash = createHash("sha256");
  for (const path of [...filesUnder(root, "src").filter((path) => !isTest(path)), ...INPUTS]) {
    hash.update(path).update("\0");
    hash.update(readFileSync(join(root, path))).update("\0");
  }
  return hash.digest("hex");
}

/** The fingerprint dist/ was built from, or undefined when there is no complete build. */
function builtFingerprint(root) {
  try {
    return readFileSync(join(root, "dist", FINGERPRINT_FILE), "utf8").trim();
  } catch {
    return undefined;
  }
}

/**
 * Compiles into a directory of its own, then puts it in dist/'s place: a failed build leaves the previous one whole,
 * and a file whose source was removed does not linger. Throws with the compiler's exit code when it reports errors.
 */
export function build(root, fingerprint = sourceFingerprint(root)) {
  const next = join(root, `dist.next-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  const tsc = join(
    dirname(createRequire(join(root, "package.json")).resolve("typescript/package.json")),
    "bin/tsc",
  );
  const compiled = spawnSync(
    process.execPath,
    [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", next],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (compiled.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    throw new Error(`tsc exited with ${compiled.status ?? compiled.signal}: dist/ is left as it was`);
  }
  for (const path of filesUnder(root, "src").filter((path) => !isTypeScript(path))) {
    const target = join(next, relative("src", path));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(root, path), target);
  }
  writeFileSync(join(next, FINGERPRINT_FILE), `${fingerprint}\n`);
  const dist = join(root, "dist");
  rmSync(dist, { recursive: true, force: true });
  renameSync(next, dist);
}

/** Builds dist/ unless it was built from these very sources; says whether it built. */
export function buildIfStale(
  root,
  { force = false, log = (line) => process.stderr.write(`${line}\n`) } = {},
) {
  const fingerprint = sourceFingerprint(root);
  if (!force && builtFingerprint(root) === fingerprint) return false;
  log("Guichet\u00a0: compilation de src/ dans dist/… (building dist/ from src/)");
  const started = performance.now();
  build(root, fingerprint);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`Guichet\u00a0: dist/ compilé en ${seconds.replace(".", ",")}\u00a0s (built in ${seconds} s)`);
  return true;
}

if (import.meta.filename === process.argv[1]) {
  const root = resolve(import.meta.dirname, "..");
  try {
    if (!buildIfStale(root, { force: process.argv.includes("--force") }))
      process.stderr.write("Guichet\u00a0: dist/ est à jour (dist/ is up to date)\n");
  } catch (error) {
    process.stderr.write(`Guichet\u00a0: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
