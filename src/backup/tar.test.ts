// The backup's tar: what it writes, it and GNU tar read back byte for byte; a damaged or cut archive is refused.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, open, readFile, rm, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { parseManifest } from "./manifest.js";
import { listEntries, readEntry, TarFormatError, TarWriter } from "./tar.js";

const run = promisify(execFile);
let dir: string;
const CONTENTS: [string, Buffer][] = [
  ["vide", Buffer.alloc(0)],
  ["base/un-bloc", randomBytes(512)],
  ["fichiers/0f/0f0e0d0c-0b0a-4908-8706-050403020100", randomBytes(70_001)],
];

async function write(path: string): Promise<{ size: number; sha256: string }[]> {
  const file = await open(path, "wx");
  try {
    const writer = new TarWriter(file, new Date("2026-12-07T12:00:00Z"));
    const written = [];
    for (const [name, bytes] of CONTENTS) {
      // In pieces, as a stream gives them.
      const pieces = [bytes.subarray(0, 1000), bytes.subarray(1000)].filter((piece) => piece.length > 0);
      written.push(await writer.add(name, Readable.from(pieces), bytes.length));
    }
    await writer.finish();
    return written;
  } finally {
    await file.close();
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "guichet-tar-"));
});

after(() => rm(dir, { recursive: true, force: true }));

test("each entry's size and SHA-256 are those of its bytes, and both readers give the bytes back", async () => {
  const path = join(dir, "a.tar");
  const written = await write(path);
  assert.deepEqual(
    written,
    CONTENTS.map(([, bytes]) => ({
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    })),
  );
  const file = await open(path, "r");
  const entries = await listEntries(file).finally(() => file.close());
  assert.deepEqual(
    entries.map((entry) => entry.name),
    CONTENTS.map(([name]) => name),
  );
  for (const [index, entry] of entries.entries()) {
    const chunks: Buffer[] = [];
    for await (const chunk of readEntry(path, entry)) chunks.push(chunk);
    assert.deepEqual(Buffer.concat(chunks), CONTENTS[index]?.[1]);
  }
  const out = join(dir, "extrait");
  await run("mkdir", ["-p", out]);
  await run("tar", ["-xf", path, "-C", out]);
  for (const [name, bytes] of CONTENTS) assert.deepEqual(await readFile(join(out, name)), bytes, name);
});

test("a stream longer or shorter than announced is an error: a file that changed during the copy", async () => {
  const file = await open(join(dir, "b.tar"), "wx");
  try {
    const writer = new TarWriter(file, new Date());
    await assert.rejects(
      writer.add("x", Readable.from([Buffer.alloc(10)]), 11),
      /10 octets lus, 11 attendus/,
    );
  } finally {
    await file.close();
  }
});

test("a damaged header or a cut archive is refused when listed", async () => {
  const path = join(dir, "c.tar");
  await write(path);
  const file = await open(path, "r+");
  try {
    await file.write(Buffer.from("X"), 0, 1, 0);
    await assert.rejects(listEntries(file), TarFormatError);
  } finally {
    await file.close();
  }
  const cut = join(dir, "d.tar");
  await write(cut);
  await truncate(cut, 2048);
  const short = await open(cut, "r");
  await assert.rejects(listEntries(short), TarFormatError).finally(() => short.close());
});

test("a manifest of another program, another version or missing fields is refused in French", () => {
  assert.throws(() => parseManifest("pas du JSON"), /illisible/);
  assert.throws(() => parseManifest('{"format":"autre"}'), /n'est pas une sauvegarde de Guichet/);
  assert.throws(() => parseManifest('{"format":"guichet-sauvegarde","version":2}'), /version 2/);
  assert.throws(
    () => parseManifest('{"format":"guichet-sauvegarde","version":1,"mode":"embedded"}'),
    /incomplet/,
  );
});
