// Files in an S3-compatible bucket: each staged file goes up as a multipart upload (lib-storage's Upload), read
// back and listed under one prefix, so the clean-up never touches what other software keeps in the bucket.
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { S3Settings } from "../config.js";
import { type FileStore, isStorageKey, type StoredObject } from "./file-store.js";

const PREFIX = "transferts/";
/** S3's smallest part (5 MiB) would mean 20 requests per 100 MB; 8 MiB parts, two in flight, keep memory low. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

export class S3FileStore implements FileStore {
  readonly kind = "s3";
  readonly tempDir: string;
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(settings: S3Settings, tempDir: string) {
    this.tempDir = tempDir;
    this.#bucket = settings.bucket;
    this.#client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.accessKeyId && settings.secretAccessKey
        ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
        : {}),
      // S3-compatible stores do not all take the SDK's newer default checksums; our own SHA-256 is in the database.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  #keyOf(key: string): string {
    if (!isStorageKey(key)) throw new Error("invalid storage key");
    return `${PREFIX}${key}`;
  }

  async putFile(key: string, tempPath: string): Promise<void> {
    const upload = new Upload({
      client: this.#client,
      params: {
        Bucket: this.#bucket,
        Key: this.#keyOf(key),
        Body: createReadStream(tempPath),
        ContentType: "application/octet-stream",
      },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      // A failed upload is aborted, so no half-uploaded parts linger in the bucket.
      leavePartsOnError: false,
    });
    await upload.done();
    await rm(tempPath, { force: true });
  }

  async openRead(key: string): Promise<Readable> {
    const object = await this.#client.send(
      new GetObjectCommand({ Bucket: this.#bucket, Key: this.#keyOf(key) }),
    );
    if (!(object.Body instanceof Readable)) throw new Error("the S3 object has no readable body");
    return object.Body;
  }

  async delete(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#keyOf(key) }));
  }

  async listObjects(): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: PREFIX, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(PREFIX.length) ?? "";
        if (isStorageKey(key))
          objects.push({ key, modifiedAt: object.LastModified ?? new Date(), size: object.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  async ready(signal: AbortSignal): Promise<void> {
    await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }), { abortSignal: signal });
  }

  close(): void {
    this.#client.destroy();
  }
}
