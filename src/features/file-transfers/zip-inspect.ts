// A small, bounded reader of a ZIP archive's central directory, by positioned reads: it never loads the archive whole.
import type { FileHandle } from "node:fs/promises";
import { crc32, inflateRawSync } from "node:zlib";

const MiB = 1024 * 1024;

export type ZipLimits = { maxEntries: number; maxUncompressedBytes: number; maxRatio: number };

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxUncompressedBytes: 500 * MiB,
  maxRatio: 200,
};

/** Below this declared size an entry's ratio is not judged: a few kilobytes of repetitive XML harm no one. */
export const RATIO_FLOOR_BYTES = 64 * 1024;

export type ZipEntry = {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
};

/** Why an archive or an entry was not accepted, as a machine-readable reason. */
export type ZipProblem =
  | "not_zip"
  | "malformed"
  | "zip64"
  | "encrypted"
  | "unsupported_method"
  | "unsafe_name"
  | "duplicate_name"
  | "too_many_entries"
  | "too_large"
  | "ratio"
  | "inflate_overflow";

export type ZipFailure = { ok: false; problem: ZipProblem; entry?: string };
export type ZipDirectory = { ok: true; entries: ZipEntry[]; centralDirectoryOffset: number };

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD_BYTES = 22;
const CENTRAL_HEADER_BYTES = 46;
const LOCAL_HEADER_BYTES = 30;
const MAX_COMMENT_BYTES = 0xffff;
const STORED = 0;
const DEFLATED = 8;
const AES_ENCRYPTED = 99;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const READ_CHUNK = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function fail(problem: ZipProblem, entry?: string): ZipFailure {
  return entry === undefined ? { ok: false, problem } : { ok: false, problem, entry };
}

/** Reads exactly length bytes at position, or fewer if the file ends first. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** Walks a byte range of a file front to back, a chunk at a time. */
class RangeReader {
  readonly #handle: FileHandle;
  readonly #end: number;
  #next: number;
  #pending: Buffer = Buffer.alloc(0);

  constructor(handle: FileHandle, start: number, end: number) {
    this.#handle = handle;
    this.#next = start;
    this.#end = end;
  }

  /** The next length bytes, or null when the range ends before them. */
  async take(length: number): Promise<Buffer | null> {
    if (this.#pending.length < length) {
      const wanted = Math.min(Math.max(length - this.#pending.length, READ_CHUNK), this.#end - this.#next);
      const more = await readAt(this.#handle, this.#next, Math.max(wanted, 0));
      this.#next += more.length;
      this.#pending = Buffer.concat([this.#pending, more]);
      if (this.#pending.length < length) return null;
    }
    const taken = this.#pending.subarray(0, length);
    this.#pending = this.#pending.subarray(length);
    return taken;
  }

  get exhausted(): boolean {
    return this.#pending.length === 0 && this.#next >= this.#end;
  }
}

/** Paths that could escape a folder on extraction, or that readers disagree on. */
export function isUnsafeEntryName(name: string): boolean {
  if (name === "" || name.startsWith("/") || name.includes("\\") || /^[A-Za-z]:/.test(name)) return true;
  if (/\p{Cc}/u.test(name)) return true;
  return name.split("/").some((segment) => segment === "..");
}

async function findEndRecord(handle: FileHandle, size: number): Promise<number | null> {
  const tailLength = Math.min(size, END_RECORD_BYTES + MAX_COMMENT_BYTES);
  const tailStart = size - tailLength;
  const tail = await readAt(handle, tailStart, tailLength);
  for (let at = tail.length - END_RECORD_BYTES; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END_OF_CENTRAL_DIRECTORY) continue;
    // The comment must run exactly to the end of the file: nothing may trail the archive.
    if (at + END_RECORD_BYTES + tail.readUInt16LE(at + 20) === tail.length) return tailStart + at;
  }
  return null;
}

/**
 * Reads and checks the central directory against the limits, using the sizes it declares.
 * The archive must be the whole file: no data before its first entry's offset is counted, none after its end.
 */
export async function readCentralDirectory(
  handle: FileHandle,
  size: number,
  limits: ZipLimits,
): Promise<ZipDirectory | ZipFailure> {
  if (size < END_RECORD_BYTES) return fail("not_zip");
  const endAt = await findEndRecord(handle, size);
  if (endAt === null) return fail("not_zip");
  if (endAt >= 20 && (await readAt(handle, endAt - 20, 4)).readUInt32LE(0) === ZIP64_LOCATOR) {
    return fail("zip64");
  }
  const end = await readAt(handle, endAt, END_RECORD_BYTES);
  const disk = end.readUInt16LE(4);
  const directoryDisk = end.readUInt16LE(6);
  const entriesOnDisk = end.readUInt16LE(8);
  const entryCount = end.readUInt16LE(10);
  const directorySize = end.readUInt32LE(12);
  const directoryOffset = end.readUInt32LE(16);
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    return fail("zip64");
  }
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== entryCount) return fail("malformed");
  if (entryCount > limits.maxEntries) return fail("too_many_entries");
  if (directoryOffset + directorySize !== endAt) return fail("malformed");

  const reader = new RangeReader(handle, directoryOffset, endAt);
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let totalUncompressed = 0;
  for (let index = 0; index < entryCount; index++) {
    const header = await reader.take(CENTRAL_HEADER_BYTES);
    if (header === null || header.readUInt32LE(0) !== CENTRAL_HEADER) return fail("malformed");
    const flags = header.readUInt16LE(8);
    const method = header.readUInt16LE(10);
    const compressedSize = header.readUInt32LE(20);
    const uncompressedSize = header.readUInt32LE(24);
    const nameLength = header.readUInt16LE(28);
    const variable = await reader.take(nameLength + header.readUInt16LE(30) + header.readUInt16LE(32));
    if (variable === null) return fail("malformed");
    const name = decodeName(variable.subarray(0, nameLength), flags);
    if (name === null) return fail("unsafe_name");
    const entry: ZipEntry = {
      name,
      method,
      crc32: header.readUInt32LE(16),
      compressedSize,
      uncompressedSize,
      localHeaderOffset: header.readUInt32LE(42),
    };
    const problem = entryProblem(entry, flags, header.readUInt16LE(34), directoryOffset, limits);
    if (problem) return fail(problem, name);
    const key = name.toLowerCase();
    if (seen.has(key)) return fail("duplicate_name", name);
    seen.add(key);
    totalUncompressed += uncompressedSize;
    if (totalUncompressed > limits.maxUncompressedBytes) return fail("too_large", name);
    entries.push(entry);
  }
  if (!reader.exhausted) return fail("malformed");
  return { ok: true, entries, centralDirectoryOffset: directoryOffset };
}

function decodeName(bytes: Buffer, flags: number): string | null {
  if ((flags & FLAG_UTF8) === 0) return bytes.toString("latin1");
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function entryProblem(
  entry: ZipEntry,
  flags: number,
  startDisk: number,
  directoryOffset: number,
  limits: ZipLimits,
): ZipProblem | null {
  const { compressedSize, uncompressedSize, localHeaderOffset, method } = entry;
  if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0 || method === AES_ENCRYPTED)
    return "encrypted";
  if (
    compressedSize === 0xffffffff ||
    uncompressedSize === 0xffffffff ||
    localHeaderOffset === 0xffffffff ||
    startDisk === 0xffff
  ) {
    return "zip64";
  }
  if (isUnsafeEntryName(entry.name)) return "unsafe_name";
  if (method !== STORED && method !== DEFLATED) return "unsupported_method";
  if (startDisk !== 0) return "malformed";
  if (method === STORED && compressedSize !== uncompressedSize) return "malformed";
  if (compressedSize === 0 && uncompressedSize > 0) return "malformed";
  if (localHeaderOffset + LOCAL_HEADER_BYTES + compressedSize > directoryOffset) return "malformed";
  if (uncompressedSize > RATIO_FLOOR_BYTES && uncompressedSize > compressedSize * limits.maxRatio)
    return "ratio";
  return null;
}

/**
 * The bytes of one entry, inflated with a hard cap on the output: a header that lies about the size
 * is caught here, where the data is actually inflated. The CRC-32 and the declared size must agree.
 */
export async function readEntry(
  handle: FileHandle,
  directory: ZipDirectory,
  entry: ZipEntry,
  maxBytes: number,
): Promise<{ ok: true; data: Buffer } | ZipFailure> {
  if (entry.uncompressedSize > maxBytes) return fail("too_large", entry.name);
  // Deflate never grows data by more than a few bytes per block; anything larger is not honest input.
  if (entry.compressedSize > maxBytes + 1024) return fail("too_large", entry.name);
  const local = await readAt(handle, entry.localHeaderOffset, LOCAL_HEADER_BYTES);
  if (local.length < LOCAL_HEADER_BYTES || local.readUInt32LE(0) !== LOCAL_HEADER) {
    return fail("malformed", entry.name);
  }
  if ((local.readUInt16LE(6) & FLAG_ENCRYPTED) !== 0) return fail("encrypted", entry.name);
  if (local.readUInt16LE(8) !== entry.method) return fail("malformed", entry.name);
  const dataStart =
    entry.localHeaderOffset + LOCAL_HEADER_BYTES + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataStart + entry.compressedSize > directory.centralDirectoryOffset)
    return fail("malformed", entry.name);
  const raw = await readAt(handle, dataStart, entry.compressedSize);
  if (raw.length !== entry.compressedSize) return fail("malformed", entry.name);

  let data: Buffer;
  if (entry.method === STORED) {
    data = raw;
  } else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: maxBytes });
    } catch (error) {
      const overflow =
        error instanceof RangeError && "code" in error && error.code === "ERR_BUFFER_TOO_LARGE";
      return fail(overflow ? "inflate_overflow" : "malformed", entry.name);
    }
  }
  if (data.length !== entry.uncompressedSize || crc32(data) !== entry.crc32)
    return fail("malformed", entry.name);
  return { ok: true, data };
}
