// argon2id hashing off the event loop, with a bound on how many hashes run at once.
import { hash, verify } from "@node-rs/argon2";
import type { Argon2Settings } from "../../config.js";
import { Semaphore } from "../../util/semaphore.js";
import { normalizePassword } from "./password-policy.js";

export class PasswordHasher {
  readonly #settings: Argon2Settings;
  readonly #slots: Semaphore;
  #dummy: Promise<string> | undefined;

  constructor(settings: Argon2Settings, concurrency: number) {
    this.#settings = settings;
    this.#slots = new Semaphore(concurrency);
  }

  /** @node-rs/argon2 defaults to argon2id; the whole password is hashed, never truncated. */
  hash(password: string): Promise<string> {
    return this.#slots.run(() => hash(normalizePassword(password), this.#settings));
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    return this.#slots.run(async () => {
      try {
        return await verify(passwordHash, normalizePassword(password));
      } catch {
        return false;
      }
    });
  }

  /** Spends the same time as a real check, so that an unknown user code cannot be told from a wrong password. */
  async verifyNothing(password: string): Promise<false> {
    this.#dummy ??= hash("guichet-dummy-password", this.#settings);
    await this.verify(await this.#dummy, password);
    return false;
  }
}
