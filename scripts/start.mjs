// `npm start`: builds dist/ when the sources changed since its last build (scripts/build.mjs), then becomes the
// compiled server with its V8 flags and environment (src/node-flags.ts). Development, the tests and the command line run the
// TypeScript through tsx instead.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildIfStale } from "./build.mjs";

const root = resolve(import.meta.dirname, "..");
try {
  buildIfStale(root);
} catch (error) {
  process.stderr.write(`Guichet\u00a0: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
// The flags come from the build itself, so that the list stays in one place.
const { SERVER_NODE_FLAGS, serverEnvironment } = await import(
  pathToFileURL(join(root, "dist", "node-flags.js")).href
);
const args = [...SERVER_NODE_FLAGS, join(root, "dist", "server.js"), ...process.argv.slice(2)];

if (typeof process.execve === "function") {
  // This process becomes the server (same pid): a signal sent to it, by npm or a supervisor, reaches the server
  // itself, and nothing stands between them.
  process.execve(process.execPath, [process.execPath, ...args], serverEnvironment(process.env));
} else {
  // Where a process cannot replace itself (Windows): a child, to which every stopping signal is passed on, and whose
  // end is this process's end.
  const server = spawn(process.execPath, args, { stdio: "inherit", env: serverEnvironment(process.env) });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
