// The same transfers on an S3-compatible store (s3rver): large files go up as multipart uploads,
// come back whole on download, and the start-up clean-up removes objects that no record names.
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import {
  assignRecipientStaff,
  removeUnrecordedFiles,
} from "../../src/features/file-transfers/file-transfers.service.js";
import { openFileStore } from "../../src/storage/index.js";
import { textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { minimalPdf } from "../support/bad-files.js";
import type { MadeUser } from "../support/factories.js";
import {
  addFile,
  filesUnder,
  makeRecipient,
  senderWithProcuration,
} from "../support/file-transfer-client.js";
import { type S3Server, startS3Server } from "../support/s3-server.js";

const MiB = 1024 * 1024;
const RECIPIENT = "essai-s3";

let s3: S3Server;
let t: TestApp;
let sender: MadeUser;
let staff: MadeUser;
let geoCode: string;

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

before(async () => {
  s3 = await startS3Server();
  t = await startTestApp({
    env: {
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_REGION: "ca-central-1",
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
  });
  const ministry = await t.factories.organization("ministry");
  const city = await t.factories.organization("municipality");
  assert.ok(city.geoCode);
  geoCode = city.geoCode;
  sender = await senderWithProcuration(t, city, ministry.id);
  await makeRecipient(t.database.db, ministry.id, { code: RECIPIENT, maxFileBytes: 12 * MiB });
  staff = await t.factories.user(ministry);
  await assignRecipientStaff(t.database.db, RECIPIENT, staff.id, t.clock());
});
after(async () => {
  await t.close();
  await s3.close();
});

test("the configuration picks the S3 store when S3_BUCKET is set", () => {
  const store = openFileStore(t.config);
  try {
    assert.equal(store.kind, "s3");
  } finally {
    store.close();
  }
});

test("the readiness check asks the bucket (HeadBucket) and finds it", async () => {
  s3.calls.length = 0;
  const response = await t.app.inject({ method: "GET", url: "/sante/pret" });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json().checks, { database: "ok", migrations: "ok", s3: "ok" });
  assert.deepEqual(s3.calls, ["HeadBucket"]);
});

test("a 9 MiB file goes up in parts, a small one in one PUT; both are transferred and downloaded whole", async () => {
  const agent = await t.signIn(sender.userCode);
  const large = minimalPdf(9 * MiB);
  const small = minimalPdf(2000);
  s3.calls.length = 0;
  assert.equal((await addFile(t, agent, RECIPIENT, `${geoCode} Plan.pdf`, large)).statusCode, 303);
  assert.deepEqual(s3.calls, [
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPart",
    "CompleteMultipartUpload",
  ]);
  s3.calls.length = 0;
  assert.equal((await addFile(t, agent, RECIPIENT, `${geoCode} Annexe.pdf`, small)).statusCode, 303);
  assert.deepEqual(s3.calls, ["PutObject"]);
  assert.deepEqual(await filesUnder(t.config.filesDir), [], "nothing stays on local disk");

  const page = await agent.get(`/transfert-fichiers?destinataire=${RECIPIENT}`);
  const draft = /name="brouillon" value="(\d+)"/.exec(page.body)?.[1];
  const key = /name="cle" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(draft && key);
  const sent = await agent.post(`/transfert-fichiers/${RECIPIENT}/transferer`, {
    cle: key,
    brouillon: draft,
    certification: "1",
  });
  assert.equal(sent.statusCode, 303);
  assert.match(textOf((await agent.follow(sent)).body), /Le numéro de confirmation est le\s: \d{10}/);

  const receiver = await t.signIn(staff.userCode);
  const inbox = await receiver.get(`/transfert-fichiers/reception/${RECIPIENT}`);
  const links = [...inbox.body.matchAll(/href="(\/transfert-fichiers\/reception\/fichiers\/\d+)"/g)].map(
    (m) => m[1],
  );
  assert.equal(links.length, 2);
  const sums = new Set<string>();
  for (const link of links) {
    assert.ok(link);
    const download = await receiver.get(link);
    assert.equal(download.statusCode, 200);
    sums.add(sha256(download.rawPayload));
  }
  assert.deepEqual(sums, new Set([sha256(large), sha256(small)]));
});

test("a file over the limit leaves no object in the bucket", async () => {
  const agent = await t.signIn(sender.userCode);
  const before = await s3.keys();
  const over = await addFile(t, agent, RECIPIENT, `${geoCode} Trop.pdf`, minimalPdf(12 * MiB + 1));
  assert.equal(over.statusCode, 413);
  assert.deepEqual(await s3.keys(), before);
});

test("the start-up clean-up deletes objects no record names, and keeps the others", async () => {
  const orphan = `transferts/${randomUUID()}`;
  await s3.put(orphan, Buffer.from("orphelin"));
  const foreign = "autre-logiciel/garder.txt";
  await s3.put(foreign, Buffer.from("pas à nous"));
  const store = openFileStore(t.config);
  try {
    const recorded = await t.database.db.selectFrom("file_transfer_file").select("storage_key").execute();
    const result = await removeUnrecordedFiles(t.database.db, store);
    assert.equal(result.orphans, 1);
    const kept = await s3.keys();
    assert.ok(!kept.has(orphan));
    assert.ok(kept.has(foreign), "objects outside the store's prefix are never touched");
    for (const row of recorded) assert.ok(kept.has(`transferts/${row.storage_key}`));
  } finally {
    store.close();
  }
});
