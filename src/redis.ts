// The Redis connection through which the instances share the request rate limits' counts (REDIS_URL).
import type { FastifyBaseLogger } from "fastify";
import { Redis } from "ioredis";
import type { RedisSettings } from "./config.js";

/**
 * A request must never wait on Redis: without a connection a command fails at once (no offline queue), and one that
 * gets no answer fails after COMMAND_TIMEOUT_MS; the rate limit then lets the request through (see app.ts).
 */
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2000;

/**
 * Opens the connection and waits for it, at most CONNECT_TIMEOUT_MS, so that the first requests are counted; a Redis
 * that does not answer is logged, never fatal, and the client keeps reconnecting. The URL (which may hold a password)
 * is never logged.
 */
export async function openRedis(settings: RedisSettings, log: FastifyBaseLogger): Promise<Redis> {
  const redis = new Redis(settings.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionName: "guichet",
  });
  // ioredis reports every failed reconnection: log when the connection is lost and when it is back, not each attempt.
  let reachable = true;
  redis.on("error", (error: Error) => {
    if (!reachable) return;
    reachable = false;
    log.warn({ err: { message: error.message } }, "redis: unreachable; the rate limits let requests through");
  });
  redis.on("ready", () => {
    if (reachable) return;
    reachable = true;
    log.info("redis: answering again");
  });
  await redis.connect().catch(() => {
    // Already logged by the error listener; the client retries on its own.
  });
  return redis;
}

/** Waits for the replies under way when connected; otherwise just stops reconnecting. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status !== "ready") {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}
