// A real S3-compatible server for tests (s3rver, on 127.0.0.1, port 0), storing in a temporary directory removed on
// close. Every request it receives is named by its S3 operation, so a test can tell a multipart upload from one PUT.
import { mkdtemp, rm } from "node:fs/promises";
import { type IncomingMessage, Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

export type S3Call =
  | "ListObjectsV2"
  | "HeadBucket"
  | "CreateMultipartUpload"
  | "UploadPart"
  | "CompleteMultipartUpload"
  | "AbortMultipartUpload"
  | "PutObject"
  | "GetObject"
  | "HeadObject"
  | "DeleteObject"
  | "Other";

export type S3Server = {
  endpoint: string;
  bucket: string;
  /** s3rver's only account: it refuses any other access key. */
  accessKeyId: string;
  secretAccessKey: string;
  calls: S3Call[];
  /** Every key in the bucket, as a listing through the S3 API sees it. */
  keys(): Promise<Set<string>>;
  put(key: string, body: Buffer): Promise<void>;
  close(): Promise<void>;
};

function operationOf(request: IncomingMessage): S3Call {
  const url = new URL(request.url ?? "/", "http://s3");
  const [, , ...key] = url.pathname.split("/");
  const onObject = key.join("/") !== "";
  const query = url.searchParams;
  switch (request.method) {
    case "GET":
      if (!onObject) return query.get("list-type") === "2" ? "ListObjectsV2" : "Other";
      return "GetObject";
    case "HEAD":
      return onObject ? "HeadObject" : "HeadBucket";
    case "POST":
      if (query.has("uploads")) return "CreateMultipartUpload";
      return query.has("uploadId") ? "CompleteMultipartUpload" : "Other";
    case "PUT":
      if (!onObject) return "Other";
      return query.has("uploadId") ? "UploadPart" : "PutObject";
    case "DELETE":
      if (!onObject) return "Other";
      return query.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
    default:
      return "Other";
  }
}

export async function startS3Server(bucket = "guichet-essai"): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), "guichet-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const calls: S3Call[] = [];
  // s3rver's own HTTP server, after run(): one more listener beside its handler, in the order requests arrive.
  const httpServer: unknown = Reflect.get(server, "httpServer");
  if (!(httpServer instanceof Server)) throw new Error("s3rver has no HTTP server");
  httpServer.on("request", (request: IncomingMessage) => calls.push(operationOf(request)));

  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return {
    endpoint,
    bucket,
    ...credentials,
    calls,
    async keys() {
      const keys = new Set<string>();
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.add(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async close() {
      client.destroy();
      httpServer.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
