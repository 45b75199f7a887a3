// The real Redis of the Redis tests, at 127.0.0.1:6379: each test writes under a prefix of its own and removes its keys.
// Where none answers, the tests that need it are skipped, saying so (as those that need DATABASE_URL are).
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const TEST_REDIS = { host: "127.0.0.1", port: 6379 } as const;
export const TEST_REDIS_URL = `redis://${TEST_REDIS.host}:${TEST_REDIS.port}`;

/** A connection to the test Redis, or the reason to skip when it does not answer a PING. */
export async function testRedis(): Promise<
  { redis: Redis; skip: false } | { redis: undefined; skip: string }
> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return { redis, skip: false };
  } catch {
    redis.disconnect();
    return { redis: undefined, skip: `needs a Redis answering at ${TEST_REDIS_URL}` };
  }
}

/** A prefix no other run uses, under the one every Redis test writes beneath. */
export function freshPrefix(): string {
  return `guichet-test-redis:${randomBytes(6).toString("hex")}:`;
}

export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
}

export async function removeKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}
