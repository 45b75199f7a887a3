// SIGTERM on the real server: it stops accepting connections, lets a request in flight finish with its normal answer,
// and exits with 0 within SHUTDOWN_SECONDS; a request that never ends does not keep it past that limit.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigError, loadConfig } from "../src/config.js";
import { serverProcessSettings, startServerProcess, stopProcess } from "./support/server-process.js";

const START_TIMEOUT_MS = 180_000;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A server of its own (data directory, and on PostgreSQL a schema), started; with its output from then on. */
async function startServer(
  shutdownSeconds: number,
): Promise<{ child: ChildProcess; port: number; output: string[] }> {
  const { env, remove } = await serverProcessSettings("shutdown", {
    SHUTDOWN_SECONDS: String(shutdownSeconds),
  });
  cleanups.push(remove);
  const port = Number(env.PORT);
  const child = await startServerProcess(env, START_TIMEOUT_MS);
  cleanups.push(() => stopProcess(child, "SIGKILL"));
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  return { child, port, output };
}

/** The sign-in form's cookies and CSRF token, as a browser holding the page has them. */
async function signInForm(port: number): Promise<{ cookie: string; csrf: string }> {
  const page = await fetch(`http://127.0.0.1:${port}/connexion`);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(csrf, "the sign-in page carries its CSRF token");
  const cookie = page.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return { cookie, csrf };
}

type Answer = { status: number; body: string };

/**
 * A sign-in whose body is sent in two halves: the request is in flight from its headers until `finish` sends the rest.
 * The server is a few hundred milliseconds into it when this resolves.
 */
async function slowSignIn(port: number): Promise<{ finish(): void; answer: Promise<Answer> }> {
  const { cookie, csrf } = await signInForm(port);
  const body = Buffer.from(
    new URLSearchParams({ _csrf: csrf, userCode: "INCONNU", password: "x".repeat(4_000) }).toString(),
  );
  const half = Math.floor(body.length / 2);
  const req = request({
    host: "127.0.0.1",
    port,
    method: "POST",
    path: "/connexion",
    agent: false,
    headers: {
      cookie,
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(body.length),
    },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      response.on("error", reject);
    });
    req.on("error", reject);
  });
  answer.catch(() => undefined);
  req.write(body.subarray(0, half));
  await sleep(300);
  return { finish: () => req.end(body.subarray(half)), answer };
}

/** A server with this SHUTDOWN_SECONDS, sent SIGTERM while a slow sign-in is in flight. */
async function terminatedDuringRequest(shutdownSeconds: number) {
  const { child, port, output } = await startServer(shutdownSeconds);
  const inFlight = await slowSignIn(port);
  const exited = exitOf(child);
  const sentAt = Date.now();
  child.kill("SIGTERM");
  return { child, port, output, inFlight, exited, sentAt };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; at: number }> {
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, at: Date.now() })));
}

/** Whether a new TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

test("SIGTERM: new connections are refused, the request in flight gets its normal answer, the process exits with 0", async () => {
  const { child, port, output, inFlight, exited, sentAt } = await terminatedDuringRequest(10);

  let closed = false;
  for (let i = 0; i < 50 && !closed; i++) {
    closed = await refused(port);
    if (!closed) await sleep(50);
  }
  assert.ok(closed, "a new connection is refused once the server is shutting down");
  assert.equal(child.exitCode, null, "the process waits for the request in flight");

  inFlight.finish();
  const answer = await inFlight.answer;
  // An unknown person's sign-in, read through to the database: the form again, with its 401.
  assert.equal(answer.status, 401, `the request in flight is answered normally, not ${answer.status}`);
  assert.match(answer.body, /<html/i);

  const { code, at } = await exited;
  assert.equal(code, 0, output.join(""));
  assert.ok(at - sentAt < 10_000, `exited ${at - sentAt} ms after SIGTERM`);
  assert.match(output.join(""), /shut down cleanly/);
});

test("SIGTERM with a request that never ends: the process exits anyway by SHUTDOWN_SECONDS, saying so", async () => {
  const { output, inFlight, exited, sentAt } = await terminatedDuringRequest(2);

  const { code, at } = await exited;
  const elapsed = at - sentAt;
  assert.ok(elapsed >= 1_900 && elapsed < 3_500, `exited ${elapsed} ms after SIGTERM (limit 2 s)`);
  assert.equal(code, 1, "an exit past the deadline is not a clean one");
  assert.match(output.join(""), /shutdown deadline passed with work still in flight: exiting anyway/);
  await inFlight.answer.catch(() => undefined);
});

test("SHUTDOWN_SECONDS is 10 by default, and a whole number of seconds from 1 to 3600", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "guichet-shutdown-config-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const base = { COOKIE_SECRET: randomBytes(32).toString("base64url"), DATA_DIR: dataDir };
  assert.equal(loadConfig(base).shutdownSeconds, 10);
  assert.equal(loadConfig({ ...base, SHUTDOWN_SECONDS: "2" }).shutdownSeconds, 2);
  for (const bad of ["0", "-1", "1.5", "dix", "3601"]) {
    assert.throws(() => loadConfig({ ...base, SHUTDOWN_SECONDS: bad }), ConfigError, bad);
  }
});
