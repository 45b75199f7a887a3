import assert from "node:assert/strict";
import { test } from "node:test";
import { signerFactory } from "@fastify/cookie";
import { RememberingSigner } from "./cookie-signer.js";

const SECRET = "a-secret-of-at-least-thirty-two-characters";
const OLD_SECRET = "the-previous-secret-thirty-two-characters!";

test("the remembering signer answers as @fastify/cookie's own, the first time and every time after", () => {
  const plain = signerFactory([SECRET, OLD_SECRET], "sha256");
  const remembering = new RememberingSigner([SECRET, OLD_SECRET]);
  const signed = plain.sign("valeur");
  assert.equal(remembering.sign("valeur"), signed);
  const byOld = signerFactory(OLD_SECRET, "sha256").sign("ancienne");
  const cases = [signed, `${signed}x`, "valeur.", "sans-point", `autre${signed.slice(6)}`, byOld, ""];
  for (let round = 0; round < 3; round++) {
    for (const input of cases) assert.deepEqual(remembering.unsign(input), plain.unsign(input), input);
  }
  assert.deepEqual(remembering.unsign(byOld), { valid: true, renew: true, value: "ancienne" });
  assert.equal(remembering.unsign(`${signed}x`).valid, false);
});

test("a caller changing the answer it got does not change the next one", () => {
  const signer = new RememberingSigner(SECRET);
  const signed = signer.sign("valeur");
  const first = signer.unsign(signed);
  first.value = "autre";
  first.valid = false;
  assert.deepEqual(signer.unsign(signed), { valid: true, renew: false, value: "valeur" });
});

test("past ten thousand remembered answers the memory starts again, and the answers stay right", () => {
  const signer = new RememberingSigner(SECRET);
  const kept = signer.sign("gardée");
  assert.equal(signer.unsign(kept).value, "gardée");
  for (let i = 0; i < 10_050; i++) assert.equal(signer.unsign(`${i}.faux`).valid, false);
  assert.equal(signer.unsign(kept).value, "gardée");
  assert.equal(signer.unsign(`${kept.slice(0, -1)}A`).valid, kept.endsWith("A"));
});
