// Files on local disk: objects under <dir>/objects, staged uploads under <dir>/tmp on the same disk, so the move
// into place is one atomic rename, made durable by fsyncing the directory it lands in.
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { type FileStore, isStorageKey, type StoredObject } from "./file-store.js";

export class LocalFileStore implements FileStore {
  readonly kind = "local";
  readonly tempDir: string;
  readonly #objectsDir: string;

  constructor(root: string) {
    this.tempDir = join(root, "tmp");
    this.#objectsDir = join(root, "objects");
  }

  #pathOf(key: string): string {
    if (!isStorageKey(key)) throw new Error("invalid storage key");
    return join(this.#objectsDir, key.slice(0, 2), key);
  }

  async putFile(key: string, tempPath: string): Promise<void> {
    const target = this.#pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    await rename(tempPath, target);
    const directory = await open(dirname(target), "r");
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  async openRead(key: string): Promise<Readable> {
    const handle = await open(this.#pathOf(key), "r");
    return handle.createReadStream();
  }

  async delete(key: string): Promise<void> {
    await rm(this.#pathOf(key), { force: true });
  }

  async listObjects(): Promise<StoredObject[]> {
    let shards: string[];
    try {
      shards = await readdir(this.#objectsDir);
    } catch {
      return [];
    }
    const objects: StoredObject[] = [];
    for (const shard of shards) {
      for (const name of await readdir(join(this.#objectsDir, shard)).catch(() => [])) {
        if (!isStorageKey(name)) continue;
        // A file deleted since the directory was read is simply not listed.
        const written = await stat(join(this.#objectsDir, shard, name)).catch(() => null);
        if (written) objects.push({ key: name, modifiedAt: written.mtime, size: written.size });
      }
    }
    return objects;
  }

  async ready(): Promise<void> {}

  close(): void {}
}
