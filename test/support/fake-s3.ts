// A small S3 stand-in for tests, on node:http, path-style (/bucket/key): just the calls the file store makes —
// PutObject, the multipart upload calls, GetObject, DeleteObject, ListObjectsV2. Objects live in memory; every call
// is written down so a test can tell a multipart upload from a single PUT. Signatures are not checked.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type S3Call =
  | "PutObject"
  | "CreateMultipartUpload"
  | "UploadPart"
  | "CompleteMultipartUpload"
  | "AbortMultipartUpload"
  | "GetObject"
  | "DeleteObject"
  | "ListObjectsV2";

export type FakeS3 = {
  endpoint: string;
  bucket: string;
  objects: Map<string, Buffer>;
  calls: S3Call[];
  close(): Promise<void>;
};

const xmlEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function xml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "application/xml" });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

export async function startFakeS3(bucket = "guichet-essai"): Promise<FakeS3> {
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const calls: S3Call[] = [];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake-s3");
    const [, bucketName = "", ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const query = url.searchParams;
    if (bucketName !== bucket) return xml(response, 404, "<Error><Code>NoSuchBucket</Code></Error>");
    const method = request.method ?? "GET";
    const uploadId = query.get("uploadId");

    if (method === "GET" && key === "" && query.get("list-type") === "2") {
      calls.push("ListObjectsV2");
      const prefix = query.get("prefix") ?? "";
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const contents = keys
        .map(
          (k) =>
            `<Contents><Key>${xmlEscape(k)}</Key><Size>${objects.get(k)?.length ?? 0}</Size><LastModified>${new Date().toISOString()}</LastModified><ETag>"x"</ETag></Contents>`,
        )
        .join("");
      return xml(
        response,
        200,
        `<ListBucketResult><Name>${bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
      );
    }
    if (method === "POST" && query.has("uploads")) {
      calls.push("CreateMultipartUpload");
      const id = randomUUID();
      uploads.set(id, { key, parts: new Map() });
      return xml(
        response,
        200,
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (uploadId !== null) {
      const upload = uploads.get(uploadId);
      if (!upload) return xml(response, 404, "<Error><Code>NoSuchUpload</Code></Error>");
      if (method === "PUT") {
        calls.push("UploadPart");
        upload.parts.set(Number(query.get("partNumber")), await bodyOf(request));
        response.writeHead(200, { etag: `"part-${query.get("partNumber")}"` });
        return void response.end();
      }
      if (method === "POST") {
        calls.push("CompleteMultipartUpload");
        await bodyOf(request);
        const ordered = [...upload.parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part);
        objects.set(upload.key, Buffer.concat(ordered));
        uploads.delete(uploadId);
        return xml(
          response,
          200,
          `<CompleteMultipartUploadResult><Location>/${bucket}/${xmlEscape(upload.key)}</Location><Bucket>${bucket}</Bucket><Key>${xmlEscape(upload.key)}</Key><ETag>"complete"</ETag></CompleteMultipartUploadResult>`,
        );
      }
      if (method === "DELETE") {
        calls.push("AbortMultipartUpload");
        uploads.delete(uploadId);
        response.writeHead(204);
        return void response.end();
      }
    }
    if (method === "PUT") {
      calls.push("PutObject");
      objects.set(key, await bodyOf(request));
      response.writeHead(200, { etag: '"put"' });
      return void response.end();
    }
    if (method === "GET") {
      calls.push("GetObject");
      const object = objects.get(key);
      if (!object)
        return xml(response, 404, "<Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>");
      response.writeHead(200, {
        "content-length": String(object.length),
        "content-type": "application/octet-stream",
      });
      return void response.end(object);
    }
    if (method === "DELETE") {
      calls.push("DeleteObject");
      objects.delete(key);
      response.writeHead(204);
      return void response.end();
    }
    xml(response, 400, "<Error><Code>NotImplemented</Code></Error>");
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === "string") throw new Error("the fake S3 has no TCP address");
  const { port } = address;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    objects,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
