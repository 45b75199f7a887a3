import assert from "node:assert/strict";
import { createHash, pbkdf2 } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { receiveToTemp, TooLargeError } from "./file-store.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "guichet-staging-"));
});
after(() => rm(dir, { recursive: true, force: true }));

test("a stream is staged whole: its size, its SHA-256, its bytes", async () => {
  const bytes = Buffer.from("%PDF-1.7\nquelques octets\n");
  const staged = await receiveToTemp(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]), dir, 100);
  assert.equal(staged.size, bytes.length);
  assert.equal(staged.sha256, createHash("sha256").update(bytes).digest("hex"));
  assert.deepEqual(await readFile(staged.path), bytes);
  await rm(staged.path);
});

test("over the limit, even on the very first chunk, nothing is left behind, not even later", async () => {
  // With libuv's threads busy, a file's creation and its removal may run on two threads in either order.
  const busy = Array.from({ length: 16 }, () => promisify(pbkdf2)("x", "y", 200_000, 32, "sha256"));
  for (let i = 0; i < 50; i++) {
    await assert.rejects(
      receiveToTemp(Readable.from([Buffer.alloc(2_000, 1)]), dir, 1_000),
      (error) => error instanceof TooLargeError,
    );
    await assert.rejects(
      receiveToTemp(Readable.from([Buffer.alloc(500), Buffer.alloc(501)]), dir, 1_000),
      (error) => error instanceof TooLargeError,
    );
  }
  await Promise.all(busy);
  // A file a write stream was still opening would appear after the refusal.
  await sleep(50);
  assert.deepEqual(await readdir(dir), []);
});

test("a source that fails leaves nothing behind", async () => {
  const failing = new Readable({
    read() {
      this.destroy(new Error("connexion coupée"));
    },
  });
  await assert.rejects(receiveToTemp(failing, dir, 1_000), /connexion coupée/);
  await sleep(50);
  assert.deepEqual(await readdir(dir), []);
});
