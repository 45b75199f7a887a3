// Picks the file store the configuration asks for: S3 when S3_BUCKET is set, local disk otherwise.
import { join } from "node:path";
import type { Config } from "../config.js";
import type { FileStore } from "./file-store.js";
import { LocalFileStore } from "./local-store.js";
import { S3FileStore } from "./s3-store.js";

export function openFileStore(config: Pick<Config, "filesDir" | "s3">): FileStore {
  if (config.s3) return new S3FileStore(config.s3, join(config.filesDir, "tmp"));
  return new LocalFileStore(config.filesDir);
}
