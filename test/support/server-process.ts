// The real server (`src/server.ts`) as a child process, with the flags `npm start` gives it, and its command line:
// for the crash test, the federation journey and the upload benchmark.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { SERVER_NODE_FLAGS } from "../../src/node-flags.js";

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
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  if (onOutput) {
    child.stdout?.on("data", (chunk: Buffer) => onOutput(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => onOutput(chunk.toString()));
  }
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
  return child;
}

/** Sends a signal and waits for the process to end. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  await exited;
}

/** Runs a command of the admin command line (`npm run guichet -- …`) with these settings; resolves to its output. */
export function runGuichetCli(env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli.ts", ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`guichet ${args.join(" ")} failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
  });
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
      ["--import", "tsx", "src/cli.ts", ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
