// The rules of second factors, with an injected clock: replay, drift, format; the sealing of secrets; recovery codes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { generate, generateSecret } from "otplib";
import {
  groupsOfFour,
  hashRecoveryCode,
  newRecoveryCode,
  normalizeRecoveryCode,
  openSecret,
  sealSecret,
} from "./factors.crypto.js";
import { checkTotp } from "./factors.service.js";

const secret = generateSecret();
const at = new Date("2026-12-07T15:00:10Z");
const STEP_MS = 30_000;
const codeAt = (when: Date) => generate({ secret, epoch: Math.floor(when.getTime() / 1000) });
const shifted = (steps: number) => new Date(at.getTime() + steps * STEP_MS);

test("a code of the current step passes and names its step; one step of drift either way passes; two do not", async () => {
  const now = await checkTotp(secret, await codeAt(at), at, null);
  assert.ok(now.ok);
  const step = Math.floor(at.getTime() / STEP_MS);
  assert.equal(now.step, step);
  for (const drift of [-1, 1]) {
    const result = await checkTotp(secret, await codeAt(shifted(drift)), at, null);
    assert.deepEqual(result, { ok: true, step: step + drift }, `drift ${drift}`);
  }
  for (const drift of [-2, 2]) {
    const result = await checkTotp(secret, await codeAt(shifted(drift)), at, null);
    assert.deepEqual(result, { ok: false, error: "factors.codeWrong" }, `drift ${drift}`);
  }
});

test("a code is used once: the same step, or an earlier one still inside the window, is refused as reused", async () => {
  const first = await checkTotp(secret, await codeAt(at), at, null);
  assert.ok(first.ok);
  assert.deepEqual(await checkTotp(secret, await codeAt(at), at, first.step), {
    ok: false,
    error: "factors.codeReused",
  });
  assert.deepEqual(await checkTotp(secret, await codeAt(shifted(-1)), at, first.step), {
    ok: false,
    error: "factors.codeReused",
  });
  // The next step's code, 30 seconds later, goes through.
  const next = await checkTotp(secret, await codeAt(shifted(1)), shifted(1), first.step);
  assert.deepEqual(next, { ok: true, step: first.step + 1 });
});

test("codes of 5 or 7 digits, with letters, or empty are refused by form before any check", async () => {
  for (const typed of ["12345", "1234567", "12a456", "abcdef", "12-456"]) {
    assert.deepEqual(
      await checkTotp(secret, typed, at, null),
      { ok: false, error: "factors.codeFormat" },
      typed,
    );
  }
  assert.deepEqual(await checkTotp(secret, "   ", at, null), { ok: false, error: "factors.codeRequired" });
  // Spaces inside a code, as apps show them (« 123 456 »), are ignored.
  const code = await codeAt(at);
  assert.equal((await checkTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, at, null)).ok, true);
});

test("a sealed secret opens with its key for its user only; a changed byte, another user or another key fails", () => {
  const key = randomBytes(32);
  const sealed = sealSecret(key, 42, secret);
  assert.equal(openSecret(key, 42, sealed), secret);
  assert.equal(sealed.includes(Buffer.from(secret)), false);
  assert.throws(() => openSecret(key, 43, sealed));
  assert.throws(() => openSecret(randomBytes(32), 42, sealed));
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
  assert.throws(() => openSecret(key, 42, tampered));
  assert.notDeepEqual(sealSecret(key, 42, secret), sealed, "a fresh nonce each time");
});

test("recovery codes: 16 symbols of Crockford's base 32 in groups of four, read back whatever the case, spaces or look-alikes", () => {
  const codes = new Set(Array.from({ length: 200 }, newRecoveryCode));
  assert.equal(codes.size, 200);
  for (const code of codes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  assert.equal(normalizeRecoveryCode("abcd-efgh-jkmn-pqrs"), "ABCDEFGHJKMNPQRS");
  assert.equal(normalizeRecoveryCode(" 0o1i l234 5678 9ABC "), "0011123456789ABC");
  assert.equal(normalizeRecoveryCode("ABCD-EFGH-JKMN-PQR"), null, "15 symbols");
  assert.equal(normalizeRecoveryCode("ABCD-EFGH-JKMN-PQRU"), null, "U is not a symbol");
  const a = normalizeRecoveryCode("abcd-efgh-jkmn-pqrs");
  assert.ok(a);
  assert.deepEqual(hashRecoveryCode(a), hashRecoveryCode("ABCDEFGHJKMNPQRS"));
  assert.equal(groupsOfFour("ABCDEFGHIJ"), "ABCD EFGH IJ");
});
