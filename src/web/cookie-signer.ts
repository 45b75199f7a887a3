// Cookie signatures, as @fastify/cookie makes them (HMAC-SHA256 with the first secret, older secrets still read),
// with each verification remembered: every page verifies the same signed CSRF cookie again, and an HMAC per request
// was a few percent of a page's CPU. A verification depends only on the signed string, so remembering it changes
// no answer; the memory is bounded, and emptied when full.
import { signerFactory, type UnsignResult } from "@fastify/cookie";

type SignerBase = ReturnType<typeof signerFactory>;

const REMEMBERED = 10_000;

export class RememberingSigner implements SignerBase {
  readonly #inner: SignerBase;
  readonly #verified = new Map<string, UnsignResult>();

  constructor(secrets: string | string[]) {
    this.#inner = signerFactory(secrets, "sha256");
  }

  sign(value: string): string {
    return this.#inner.sign(value);
  }

  unsign(signed: string): UnsignResult {
    const known = this.#verified.get(signed);
    if (known) return { ...known };
    const result = this.#inner.unsign(signed);
    if (this.#verified.size >= REMEMBERED) this.#verified.clear();
    this.#verified.set(signed, { ...result });
    return result;
  }
}
