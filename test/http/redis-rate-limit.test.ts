// Issue #16: with REDIS_URL every instance counts its requests into the same Redis keys (the site-wide limit, the
// sign-in routes' own, the decision API's), so a client's requests spread over two instances meet one limit; without it
// each instance counts alone. A Redis that does not answer lets requests through and makes /sante/pret answer 503.
// Runs against the real Redis at 127.0.0.1:6379 (test/support/redis.ts), each test under a prefix of its own, whose keys
// it removes; skipped where none answers.
import assert from "node:assert/strict";
import { connect, createServer, type Socket } from "node:net";
import { PassThrough } from "node:stream";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { ConfigError, loadConfig } from "../../src/config.js";
import { startTestApp, type TestApp } from "../support/app.js";
import {
  freshPrefix,
  keysUnder,
  removeKeys,
  TEST_REDIS,
  TEST_REDIS_URL,
  testRedis,
} from "../support/redis.js";

const REDIS_URL = TEST_REDIS_URL;
const PASSWORD = "mot-de-passe-de-redis-42";
/** Port 1, where nothing listens (tcpmux, never served here): every connection is refused at once. */
const NOBODY_WITH_PASSWORD = `redis://:${PASSWORD}@127.0.0.1:1`;
const LIMIT = 5;

const { redis: testConnection, skip } = await testRedis();
after(() => testConnection?.quit());

/** The test Redis, in a test that runs only when it answers. */
function redis(): Redis {
  assert.ok(testConnection);
  return testConnection;
}

/** Two instances with these settings, each on its own database; closes them and removes the prefix's keys after. */
async function withTwoInstances(
  env: Record<string, string>,
  run: (a: TestApp, b: TestApp) => Promise<void>,
): Promise<void> {
  const settings = {
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    SIGN_IN_RATE_LIMIT_PER_MINUTE: String(LIMIT),
    ...env,
  };
  const a = await startTestApp({ env: settings });
  try {
    const b = await startTestApp({ env: settings });
    try {
      await run(a, b);
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
    if (env.REDIS_PREFIX) await removeKeys(redis(), env.REDIS_PREFIX);
  }
}

/** The statuses of these requests, sent in turn to the instances named (a page under the site-wide limit). */
async function statuses(
  turns: TestApp[],
  request: { method: "GET" | "POST"; url: string },
): Promise<number[]> {
  const seen: number[] = [];
  for (const instance of turns) seen.push((await instance.app.inject(request)).statusCode);
  return seen;
}

const PAGE = { method: "GET", url: "/connexion" } as const;
// A sign-in form without its CSRF token is refused (403), but counted first by the sign-in routes' own limit.
const SIGN_IN = { method: "POST", url: "/connexion" } as const;
// Without a token the decision API counts per address before it refuses (401).
const DECISION = { method: "POST", url: "/api/v1/decisions" } as const;

test("with REDIS_URL two instances share the site-wide limit: the request past it is refused by the other instance", {
  skip,
}, async () => {
  const prefix = freshPrefix();
  await withTwoInstances({ REDIS_URL, REDIS_PREFIX: prefix }, async (a, b) => {
    const seen = await statuses([a, b, a, b, a, b, a], PAGE);
    assert.deepEqual(
      seen,
      [200, 200, 200, 200, 200, 429, 429],
      "5 allowed between the two, then 429 on both",
    );
    const refused = await b.app.inject(PAGE);
    assert.equal(refused.statusCode, 429);
    assert.ok(Number(refused.headers["retry-after"]) > 0);
    assert.equal(await redis().get(`${prefix}127.0.0.1`), "8", "one count, under the configured prefix");
  });
  assert.deepEqual(await keysUnder(redis(), prefix), [], "the test's keys are removed");
});

test("with REDIS_URL the sign-in routes' limit and the decision API's are shared too", { skip }, async () => {
  const prefix = freshPrefix();
  await withTwoInstances({ REDIS_URL, REDIS_PREFIX: prefix }, async (a, b) => {
    assert.deepEqual(await statuses([a, b, a, b, a, b], SIGN_IN), [403, 403, 403, 403, 403, 429]);
    const decisions = await statuses([b, a, b, a, b, a], DECISION);
    assert.deepEqual(decisions, [401, 401, 401, 401, 401, 429]);
    const limited = await a.app.inject(DECISION);
    assert.equal(limited.json().code, "rate_limited");
    // Each limit has its own keys: the pages' limit has not been touched by either.
    assert.equal((await a.app.inject(PAGE)).statusCode, 200);
    const keys = await keysUnder(redis(), prefix);
    assert.ok(keys.length >= 3, `the three limits' keys, under the prefix: ${keys.join(", ")}`);
  });
});

test("without REDIS_URL each instance counts alone: the limit is reached on each, not between them", async () => {
  await withTwoInstances({}, async (a, b) => {
    const seen = await statuses([a, b, a, b, a, b, a, b, a, b], PAGE);
    assert.deepEqual(seen, Array(10).fill(200), "5 on each instance");
    assert.deepEqual(await statuses([a, b], PAGE), [429, 429]);
    assert.equal(a.app.guichet.redis, undefined);
  });
});

test("/sante/pret: 200 with redis ok while Redis answers, and guichet_redis_up 1; the connection ends with the app", {
  skip,
}, async () => {
  const prefix = freshPrefix();
  const answering = await startTestApp({ env: { REDIS_URL, REDIS_PREFIX: prefix } });
  try {
    const ready = await answering.app.inject({ method: "GET", url: "/sante/pret" });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), {
      status: "ready",
      checks: { database: "ok", migrations: "ok", redis: "ok" },
    });
    const metrics = await answering.app.inject({
      method: "GET",
      url: "/metrics",
      remoteAddress: "127.0.0.1",
    });
    assert.match(metrics.body, /^guichet_redis_up 1$/m);
  } finally {
    await answering.close();
    await removeKeys(redis(), prefix);
  }
  assert.equal(answering.app.guichet.redis?.status, "end", "the connection is closed with the app");
});

test("/sante/pret: 503 naming redis when nothing answers at REDIS_URL, whose limits then let requests through", async () => {
  const logs: string[] = [];
  const logStream = new PassThrough();
  logStream.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  const down = await startTestApp({
    env: { REDIS_URL: NOBODY_WITH_PASSWORD, RATE_LIMIT_PER_MINUTE: "2", LOG_LEVEL: "info" },
    logStream,
  });
  try {
    const notReady = await down.app.inject({ method: "GET", url: "/sante/pret" });
    assert.equal(notReady.statusCode, 503);
    assert.deepEqual(notReady.json(), {
      status: "not_ready",
      notReady: ["redis"],
      checks: { database: "ok", migrations: "ok", redis: "unreachable" },
    });
    assert.equal((await down.app.inject({ method: "GET", url: "/sante" })).statusCode, 200, "still alive");
    // Fail open: past the limit of 2, pages still answer, since nothing can count them.
    assert.deepEqual(await statuses([down, down, down, down], PAGE), [200, 200, 200, 200]);
    const metrics = await down.app.inject({ method: "GET", url: "/metrics", remoteAddress: "127.0.0.1" });
    assert.match(metrics.body, /^guichet_redis_up 0$/m);
    // The client goes on trying to connect; the loss is logged once, never with the URL's password.
    await sleep(500);
    const lines = logs.join("");
    assert.equal(lines.split("redis: unreachable").length - 1, 1, lines);
    assert.doesNotMatch(lines, new RegExp(PASSWORD));
  } finally {
    await down.close();
  }
  assert.equal(down.app.guichet.redis?.status, "end", "no more attempts once the app is closed");
});

/** A TCP relay to the real Redis, to cut it off and bring it back. */
async function redisRelay(): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(TEST_REDIS.port, TEST_REDIS.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  await listen(0);
  const address = server.address();
  assert.ok(address !== null && typeof address !== "string");
  return {
    port: address.port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: () => listen(address.port),
  };
}

/** Asks /sante/pret until it gives this status (the client reconnects on its own schedule, within seconds). */
async function readinessBecomes(instance: TestApp, status: number): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if ((await instance.app.inject({ method: "GET", url: "/sante/pret" })).statusCode === status) return;
    await sleep(200);
  }
  assert.fail(`/sante/pret never answered ${status}`);
}

test("Redis lost then back: requests pass uncounted meanwhile, then are counted again from where the count was", {
  skip,
}, async () => {
  const prefix = freshPrefix();
  const relay = await redisRelay();
  const limited = await startTestApp({
    env: { REDIS_URL: `redis://127.0.0.1:${relay.port}`, REDIS_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: "3" },
  });
  const count = () => redis().get(`${prefix}127.0.0.1`);
  try {
    assert.deepEqual(await statuses([limited, limited], PAGE), [200, 200]);
    assert.equal(await count(), "2");

    await relay.cut();
    await readinessBecomes(limited, 503);
    assert.deepEqual(await statuses([limited, limited, limited], PAGE), [200, 200, 200], "let through");
    assert.equal(await count(), "2", "not counted while Redis was away");

    await relay.restore();
    await readinessBecomes(limited, 200);
    assert.deepEqual(
      await statuses([limited, limited], PAGE),
      [200, 429],
      "the third of the window, then the limit",
    );
    assert.equal(await count(), "4");
  } finally {
    await limited.close();
    await relay.cut();
    await removeKeys(redis(), prefix);
  }
});

test("REDIS_URL and REDIS_PREFIX are checked at start", () => {
  // Every secret given, so that nothing is written into DATA_DIR.
  const base = {
    DATA_DIR: "/nonexistent/guichet",
    COOKIE_SECRET: "x".repeat(32),
    MFA_ENCRYPTION_KEY: "0".repeat(64),
    OIDC_PAIRWISE_SECRET: "y".repeat(32),
  };
  assert.equal(loadConfig(base).redis, undefined);
  assert.deepEqual(loadConfig({ ...base, REDIS_URL }).redis, { url: REDIS_URL, prefix: "guichet:" });
  assert.deepEqual(
    loadConfig({ ...base, REDIS_URL: "rediss://cache.example:6380", REDIS_PREFIX: "portail:" }).redis,
    {
      url: "rediss://cache.example:6380",
      prefix: "portail:",
    },
  );
  for (const bad of [
    { REDIS_URL: "http://127.0.0.1:6379" },
    { REDIS_URL: "127.0.0.1:6379" },
    { REDIS_URL: "redis://" },
    { REDIS_PREFIX: "guichet:" },
    { REDIS_URL, REDIS_PREFIX: "avec espace" },
    { REDIS_URL, REDIS_PREFIX: "x".repeat(65) },
  ]) {
    assert.throws(() => loadConfig({ ...base, ...bad }), ConfigError, JSON.stringify(bad));
  }
});
