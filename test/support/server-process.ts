// The real server (`src/server.ts`) as a child process, with the flags `npm start` gives it, its settings for a test,
// and its command line: for the crash and shutdown tests, `npm start`'s, the federation journey and the upload bench.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { SERVER_NODE_FLAGS, serverEnvironment, WASM_NODE_FLAGS } from "../../src/node-flags.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** The settings of a test's server process, and where its data lives. */
export type ServerProcessSettings = {
  env: Record<string, string>;
  dataDir: string;
  /** Removes the data directory, and on PostgreSQL the schema. */
  remove(): Promise<void>;
};

/**
 * Settings for a server process of its own: a data directory (and on PostgreSQL a schema, named after `prefix`), a
 * free port, quick password hashing, no demo data, the outbox left alone; `settings` over these.
 */
export async function serverProcessSettings(
  prefix: string,
  settings: Record<string, string> = {},
): Promise<ServerProcessSettings> {
  const dataDir = await mkdtemp(join(tmpdir(), `guichet-${prefix}-`));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: String(await freePort()),
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    ARGON2_MEMORY_KIB: "1024",
    ARGON2_TIME_COST: "1",
    LOG_LEVEL: "info",
    SEED_DEMO: "false",
    OUTBOX_POLL_MS: "600000",
    ...settings,
  };
  const schema = await serverSchema(prefix);
  if (schema) env.DATABASE_URL = schema.databaseUrl;
  return {
    env,
    dataDir,
    remove: async () => {
      await schema?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the server with these settings over the environment's; resolves once it listens. `onOutput` is given all it
 * writes (stdout and stderr), from its first line: what it logs while starting included.
 */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 120_000,
  onOutput?: (text: string) => void,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    env: serverEnvironment({ ...process.env, ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (onOutput) {
    child.stdout?.on("data", (chunk: Buffer) => onOutput(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => onOutput(chunk.toString()));
  }
  await untilListening(child, timeoutMs);
  return child;
}

/**
 * Resolves once the server the child runs (directly, or through `npm start`) says it listens; kills the child and
 * rejects with its output when it ends first or takes longer than `timeoutMs`.
 */
export async function untilListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  let output = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Guichet écoute sur")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the server stopped (${code}):\n${output}`));
      });
    });
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  child.removeAllListeners("exit");
}

/** Sends a signal and waits for the process to end. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  await exited;
}

/** Runs a command of the admin command line (`npm run guichet -- …`) with these settings; resolves to its output. */
export async function runGuichetCli(env: Record<string, string>, args: string[]): Promise<string> {
  const result = await guichetCommand(env, args);
  if (result.code !== 0)
    throw new Error(`guichet ${args.join(" ")} failed: ${result.stderr || `exit code ${result.code}`}`);
  return result.stdout;
}

/**
 * A schema of its own on the test server for a server process, reached through the connection string's search_path;
 * `drop` removes it. Undefined on the embedded database (no DATABASE_URL): the process's data directory isolates it.
 */
export async function serverSchema(
  prefix: string,
): Promise<{ databaseUrl: string; schema: string; drop(): Promise<void> } | undefined> {
  const url = process.env.DATABASE_URL;
  if (!url) return undefined;
  const schema = `${prefix}_${randomBytes(6).toString("hex")}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create schema ${schema}`);
  const separator = url.includes("?") ? "&" : "?";
  return {
    databaseUrl: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    schema,
    drop: () => run(`drop schema ${schema} cascade`),
  };
}

export type CommandResult = { code: number; stdout: string; stderr: string };

/** Runs a command of the admin command line with these settings, whatever its exit code; resolves to both outputs. */
export function guichetCommand(env: Record<string, string>, args: string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...WASM_NODE_FLAGS, "--import", "tsx", "src/cli.ts", ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
