// argon2id hashing in a few dedicated worker threads at lower priority: off the event loop and out of libuv's pool.
import { Worker } from "node:worker_threads";
import type { Argon2Settings } from "../../config.js";
import { normalizePassword } from "./password-policy.js";

type JobRequest =
  | { op: "hash"; password: string; options: Argon2Settings }
  | { op: "verify"; hash: string; password: string };
type Reply = { id: number; ok: true; result: string | boolean } | { id: number; ok: false; error: string };

function isReply(value: unknown): value is Reply {
  return typeof value === "object" && value !== null && "id" in value && "ok" in value;
}

/** A fixed set of workers, each doing one job at a time; further jobs wait in order. */
class HashPool {
  readonly #idle: Worker[] = [];
  readonly #queue: { job: JobRequest; resolve: (reply: Reply) => void }[] = [];
  readonly #pending = new Map<number, (reply: Reply) => void>();
  readonly #workers: Worker[] = [];
  #nextId = 1;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL("./hash-worker.mjs", import.meta.url));
      worker.unref();
      worker.on("message", (message: unknown) => {
        if (!isReply(message)) return;
        const resolve = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        this.#release(worker);
        resolve?.(message);
      });
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  run(job: JobRequest): Promise<Reply> {
    return new Promise((resolve) => {
      this.#queue.push({ job, resolve });
      this.#dispatch();
    });
  }

  #release(worker: Worker): void {
    this.#idle.push(worker);
    this.#dispatch();
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.shift();
      const next = this.#queue.shift();
      if (!worker || !next) return;
      const id = this.#nextId++;
      this.#pending.set(id, next.resolve);
      worker.postMessage({ ...next.job, id });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

export class PasswordHasher {
  readonly #settings: Argon2Settings;
  readonly #pool: HashPool;
  #dummy: Promise<string> | undefined;

  constructor(settings: Argon2Settings, concurrency: number) {
    this.#settings = settings;
    this.#pool = new HashPool(concurrency);
  }

  /** @node-rs/argon2 defaults to argon2id; the whole password is hashed, never truncated. */
  async hash(password: string): Promise<string> {
    const reply = await this.#pool.run({
      op: "hash",
      password: normalizePassword(password),
      options: this.#settings,
    });
    if (!reply.ok || typeof reply.result !== "string")
      throw new Error(reply.ok ? "argon2 returned no hash" : reply.error);
    return reply.result;
  }

  /** False for a wrong password and for a malformed stored hash alike. */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    const reply = await this.#pool.run({
      op: "verify",
      hash: passwordHash,
      password: normalizePassword(password),
    });
    return reply.ok && reply.result === true;
  }

  /** Spends the same time as a real check, so that an unknown user code cannot be told from a wrong password. */
  async verifyNothing(password: string): Promise<false> {
    this.#dummy ??= this.hash("guichet-dummy-password");
    await this.verify(await this.#dummy, password);
    return false;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
