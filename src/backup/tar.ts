// The backup archive: a plain POSIX tar (ustar), written and read here so that each entry's SHA-256 is computed
// from the very bytes that go into the archive, and an entry's name is checked before anything is written from it.
// Any tar reads it (`tar -tvf sauvegarde.tar`).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";

const BLOCK = 512;
/** The largest size an ustar header writes in octal (11 digits); beyond it, GNU tar's base-256 form. */
const OCTAL_SIZE_MAX = 0o77777777777;

export type WrittenEntry = { size: number; sha256: string };

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function header(name: string, size: number, mtime: Date): Buffer {
  const bytes = Buffer.from(name, "utf8");
  if (bytes.length > 100) throw new Error(`tar entry name too long: ${name}`);
  const block = Buffer.alloc(BLOCK);
  bytes.copy(block, 0);
  block.write(octal(0o644, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii");
  block.write(octal(0, 8), 116, "ascii");
  if (size <= OCTAL_SIZE_MAX) block.write(octal(size, 12), 124, "ascii");
  else {
    block[124] = 0x80;
    block.writeBigUInt64BE(BigInt(size), 124 + 4);
  }
  block.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, "ascii");
  block.write("        ", 148, "ascii");
  block.write("0", 156, "ascii");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return block;
}

/**
 * Writes entries one after another into an open file. An entry's header is written once its data is, so a stream of
 * unknown length (pg_dump's output) goes in without a temporary copy.
 */
export class TarWriter {
  #position = 0;

  constructor(
    readonly file: FileHandle,
    readonly mtime: Date,
  ) {}

  /** Copies the stream into the archive; `expectedSize`, when given, must be its length exactly. */
  async add(
    name: string,
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    expectedSize?: number,
  ): Promise<WrittenEntry> {
    const start = this.#position;
    let offset = start + BLOCK;
    const hash = createHash("sha256");
    for await (const chunk of source) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      hash.update(bytes);
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await this.file.write(bytes, written, bytes.length - written, offset);
        written += bytesWritten;
        offset += bytesWritten;
      }
    }
    const size = offset - start - BLOCK;
    if (expectedSize !== undefined && size !== expectedSize)
      throw new Error(
        `${name}: ${size} octets lus, ${expectedSize} attendus (le fichier a changé pendant la copie)`,
      );
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding > 0) await this.file.write(Buffer.alloc(padding), 0, padding, offset);
    await this.file.write(header(name, size, this.mtime), 0, BLOCK, start);
    this.#position = offset + padding;
    return { size, sha256: hash.digest("hex") };
  }

  /** The two empty blocks that end an archive, then the data on disk (fsync). */
  async finish(): Promise<void> {
    await this.file.write(Buffer.alloc(2 * BLOCK), 0, 2 * BLOCK, this.#position);
    await this.file.sync();
  }
}

/** Where an entry's data lies in the archive. */
export type TarEntry = { name: string; size: number; offset: number };

export class TarFormatError extends Error {}

function readSize(block: Buffer): number {
  const field = block.subarray(124, 136);
  if ((field[0] ?? 0) & 0x80) {
    const value = field.readBigUInt64BE(4);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new TarFormatError("entrée trop grande");
    return Number(value);
  }
  const text = field
    .toString("ascii")
    .replace(/[\0 ]+$/, "")
    .trim();
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError("taille d'entrée illisible");
  return Number.parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = Number.parseInt(block.subarray(148, 156).toString("ascii").replace(/[\0 ]/g, ""), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum === stored;
}

/** Every regular file entry of the archive, read from the headers alone; a damaged header is an error. */
export async function listEntries(file: FileHandle): Promise<TarEntry[]> {
  const { size: total } = await file.stat();
  const entries: TarEntry[] = [];
  const block = Buffer.alloc(BLOCK);
  let position = 0;
  while (position + BLOCK <= total) {
    const { bytesRead } = await file.read(block, 0, BLOCK, position);
    if (bytesRead < BLOCK) break;
    if (block.every((byte) => byte === 0)) return entries;
    if (!checksumOk(block)) throw new TarFormatError(`en-tête endommagé à l'octet ${position}`);
    const nameEnd = block.indexOf(0);
    const name = block.subarray(0, nameEnd === -1 || nameEnd > 100 ? 100 : nameEnd).toString("utf8");
    const prefixEnd = block.indexOf(0, 345);
    const prefix = block
      .subarray(345, prefixEnd === -1 || prefixEnd > 500 ? 500 : prefixEnd)
      .toString("utf8");
    const size = readSize(block);
    const type = String.fromCharCode(block[156] ?? 0);
    if (position + BLOCK + size > total) throw new TarFormatError(`entrée ${name} tronquée`);
    if (type === "0" || type === "\0")
      entries.push({ name: prefix ? `${prefix}/${name}` : name, size, offset: position + BLOCK });
    position += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new TarFormatError("archive tronquée : la fin de l'archive manque");
}

/** An entry's data, as a stream read from the archive file. */
export function readEntry(path: string, entry: TarEntry): Readable {
  if (entry.size === 0) return Readable.from([]);
  return createReadStream(path, { start: entry.offset, end: entry.offset + entry.size - 1 });
}
