// Where transferred files live: one interface for local disk and S3-compatible stores, and the staging area that
// receives an upload as a temporary file (hashed while written, fsynced) before it is checked and moved into place.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface FileStore {
  readonly kind: "local" | "s3";
  /** The staging area: temporary files, on local disk whatever the store. */
  readonly tempDir: string;
  /** Moves a complete, fsynced temporary file into the store under `key`; the temporary file is gone afterwards. */
  putFile(key: string, tempPath: string): Promise<void>;
  /** The stored bytes, as a stream; never read whole. */
  openRead(key: string): Promise<Readable>;
  /** Removes an object; one already gone is no error. */
  delete(key: string): Promise<void>;
  /**
   * Every object in the store, when it was last written (for the clean-up that deletes what no record names) and its
   * size (for a backup's manifest).
   */
  listObjects(): Promise<StoredObject[]>;
  /** Resolves when the store answers (S3: a HeadBucket), for the readiness check; local disk always does. */
  ready(signal: AbortSignal): Promise<void>;
  close(): void;
}

export type StoredObject = { key: string; modifiedAt: Date; size: number };

/** A new object key: random, so names chosen by users never reach a path or a bucket key. */
export function newStorageKey(): string {
  return randomUUID();
}

export function isStorageKey(key: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key);
}

export class TooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

export type StagedFile = { path: string; size: number; sha256: string };

const TEMP_SUFFIX = ".part";

/**
 * Writes a stream to a new temporary file, computing its SHA-256 on the way; the file is fsynced before this
 * resolves. More than maxBytes stops the copy at once with TooLargeError, and nothing of it is kept.
 */
export async function receiveToTemp(
  source: Readable,
  tempDir: string,
  maxBytes: number,
): Promise<StagedFile> {
  await mkdir(tempDir, { recursive: true });
  const path = join(tempDir, `${randomUUID()}${TEMP_SUFFIX}`);
  const hash = createHash("sha256");
  let size = 0;
  // Created before a byte is read: a write stream opens its file on its own time, and a refusal that came first
  // (the first chunk already over the limit) would remove the file before it was created, leaving it behind.
  const file = await open(path, "wx", 0o600);
  try {
    await pipeline(
      source,
      async function* count(chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > maxBytes) throw new TooLargeError(maxBytes);
          hash.update(chunk);
          yield chunk;
        }
      },
      // flush: the data reaches the disk (fsync) before the stream closes the file.
      file.createWriteStream({ flush: true }),
    );
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
  return { path, size, sha256: hash.digest("hex") };
}

/**
 * Removes the temporary files last written before `before`, or all of them without it (at start, when no other
 * server shares the store, none belongs to an upload still running).
 */
export async function clearTempDir(tempDir: string, before?: Date): Promise<number> {
  let names: string[];
  try {
    names = await readdir(tempDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith(TEMP_SUFFIX))) {
    const path = join(tempDir, name);
    if (before) {
      const written = await stat(path).catch(() => null);
      if (!written || written.mtime >= before) continue;
    }
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}
