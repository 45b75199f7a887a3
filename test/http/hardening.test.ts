// What the external scan of #17 found, through real HTTP: control characters in addresses refused before any database
// read, a cut or malformed upload refused as the client's error with nothing kept, and one rule against framing.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { PASS_THROUGH } from "../../src/db/read-cache.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import {
  createThroughPage,
  grant,
  makeLocalManager,
  type Service,
  serviceByCode,
  uploadThroughPage,
  userWithProcuration,
} from "../support/application-fixtures.js";
import { minimalPdf } from "../support/bad-files.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import {
  addFile,
  filesUnder,
  type Multipart,
  makeRecipient,
  senderWithProcuration,
} from "../support/file-transfer-client.js";
import { offline } from "../support/offline-database.js";

const CONTROL_FR =
  "L'adresse de la page contient un caractère de contrôle invisible (comme NUL) qui n'est pas permis.";
const CONTROL_EN =
  "The page's address contains an invisible control character (such as NUL), which is not allowed.";
const MALFORMED_FR =
  "Le fichier n'a pas été reçu en entier : l'envoi a été interrompu ou mal formé. Rien n'a été conservé.";
const RECIPIENT = "essai-durci";

let t: TestApp;
const logLines: string[] = [];
let city: MadeOrganization;
let sender: MadeUser;
let service: Service;
let writer: MadeUser;

before(async () => {
  const logStream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      logLines.push(...chunk.toString().split("\n").filter(Boolean));
      callback();
    },
  });
  t = await startTestApp({ env: { LOG_LEVEL: "info" }, logStream });
  const ministry = await t.factories.organization("ministry");
  city = await t.factories.organization("municipality", "Ville de Durcissement");
  sender = await senderWithProcuration(t, city, ministry.id);
  await makeRecipient(t.database.db, ministry.id, {
    code: RECIPIENT,
    maxFileBytes: 1 << 20,
    nameRule: "none",
  });
  service = await serviceByCode(t);
  const manager = await makeLocalManager(t, city, service);
  writer = await userWithProcuration(t, city, service);
  await grant(t, manager, { service, organizationId: city.id }, writer, "requester.write");
});
after(() => t.close());

/** Traces of a stack or of SQL in a page. */
function assertNoInternals(body: string): void {
  assert.doesNotMatch(body, /\bat [^\s<]+ \(|\.tsx?:\d+|node_modules|node:internal|\/work\/|Error:/);
  assert.doesNotMatch(
    body,
    /invalid byte sequence|\bselect\b.*\bfrom\b|\binsert into\b|busboy|multipart data/i,
  );
}

// 1. Control characters in route parameters and query values

const CONTROL_ADDRESSES = [
  "/transfert-fichiers?destinataire=%00",
  `/transfert-fichiers?destinataire=${RECIPIENT}%00`,
  "/transfert-fichiers?destinataire=a%01b",
  "/transfert-fichiers?destinataire=%1F",
  "/transfert-fichiers?destinataire=%7F",
  "/transfert-fichiers?destinataire=%0A",
  // C1 controls and bidirectional overrides are refused as well, as in every typed value.
  "/transfert-fichiers?destinataire=%C2%9B",
  "/transfert-fichiers?destinataire=%E2%80%AE",
  `/transfert-fichiers?destinataire=${RECIPIENT}&destinataire=%00`,
  "/transfert-fichiers?%00=1",
  "/services/D34-PIQM%00",
  "/services/%09",
  `/services/D34-PIQM/organisations/1%00/demandes`,
  "/services/D34-PIQM/demandes/1%7F",
];

test("a control character in a route parameter or a query value is refused with 400 and a French page", async () => {
  const agent = await t.signIn(sender.userCode);
  for (const url of CONTROL_ADDRESSES) {
    const response = await agent.get(url);
    assert.equal(response.statusCode, 400, url);
    assert.match(response.body, /<html lang="fr-CA">/, url);
    assert.ok(textOf(response.body).includes(CONTROL_FR), `${url}: ${textOf(response.body)}`);
    assertNoInternals(response.body);
  }
  // The same addresses without the character still work: the recipient's page, a service's space.
  assert.equal((await agent.get(`/transfert-fichiers?destinataire=${RECIPIENT}`)).statusCode, 200);
  assert.notEqual((await agent.get("/services/D34-PIQM")).statusCode, 400);
  // Characters that are not controls are not refused: an accent, a space, a tilde.
  assert.notEqual((await agent.get("/transfert-fichiers?destinataire=%C3%A9t%C3%A9%20~")).statusCode, 400);
});

test("the refusal speaks English when the language cookie chose English", async () => {
  const agent = await t.signIn(sender.userCode);
  agent.cookies.set("guichet_lang", "en");
  const response = await agent.get("/transfert-fichiers?destinataire=%00");
  assert.equal(response.statusCode, 400);
  assert.match(response.body, /<html lang="en-CA">/);
  assert.ok(textOf(response.body).includes(CONTROL_EN), textOf(response.body));
  assertNoInternals(response.body);
  // Anonymous too: the cookie is all there is to go by.
  const anonymous = await t.app.inject({
    method: "GET",
    url: "/services/%00",
    headers: { cookie: "guichet_lang=en" },
  });
  assert.equal(anonymous.statusCode, 400);
  assert.ok(textOf(anonymous.body).includes(CONTROL_EN));
});

/** A database that runs nothing and counts each statement it is given. */
function countingDatabase(): { database: Database; statements(): number } {
  let statements = 0;
  const db = offline.withPlugin({
    transformQuery(args) {
      statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  const database: Database = {
    db,
    kind: "postgresql",
    readCache: PASS_THROUGH,
    registryCache: PASS_THROUGH,
    inTransactionScript: () => Promise.reject(new Error("no script in this test")),
    pool: () => ({ inUse: 0, waiting: 0 }),
    close: async () => undefined,
  };
  return { database, statements: () => statements };
}

test("the refusal comes before any database read, the session's included", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "guichet-test-"));
  const { database, statements } = countingDatabase();
  const config = loadConfig({
    DATA_DIR: dataDir,
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    PUBLIC_URL: "http://guichet.test",
    LOG_LEVEL: "silent",
  });
  const app = await buildApp({ config, database, logger: false });
  try {
    // What the app reads while it starts (the provider's signing keys, the services' origins) is not a request's.
    await app.ready();
    const atStart = statements();
    const headers = { cookie: `guichet_session=${randomBytes(32).toString("base64url")}` };
    for (const url of CONTROL_ADDRESSES) {
      const refused = await app.inject({ method: "GET", url, headers });
      assert.equal(refused.statusCode, 400, url);
    }
    assert.equal(statements() - atStart, 0, "no statement reached the database");
    await app.inject({ method: "GET", url: `/transfert-fichiers?destinataire=${RECIPIENT}`, headers });
    assert.ok(statements() - atStart > 0, "the same request without the character does read the session");
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

// 2. A cut or malformed multipart body

const cutShort =
  (bytesLost: number) =>
  ({ body, contentType }: Multipart): Multipart => ({
    body: body.subarray(0, body.length - bytesLost),
    contentType,
  });
const withoutBoundary = ({ body }: Multipart): Multipart => ({ body, contentType: "multipart/form-data" });

const MALFORMED: [string, (multipart: Multipart) => Multipart][] = [
  ["its closing boundary cut off", cutShort(8)],
  ["cut in the middle of the file", cutShort(3000)],
  ["cut inside the part's headers", ({ body, contentType }) => ({ body: body.subarray(0, 60), contentType })],
  ["no boundary in its content type", withoutBoundary],
];

/** The warnings logged since the given line, for a malformed upload. */
function malformedWarnings(since: number): unknown[] {
  return logLines
    .slice(since)
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.level === 40 && entry.code === "malformed_upload");
}

/**
 * Sends each malformed body through `upload`: each is refused with 400 and its French message, logged once as a
 * warning and never as an error, and leaves no file (temporary or stored) and no row in `recorded`. The same file,
 * whole, then goes through.
 */
async function assertMalformedUploadsRefused(
  upload: (reshape?: (multipart: Multipart) => Multipart) => Promise<Response>,
  recorded: () => Promise<unknown[]>,
): Promise<void> {
  const filesBefore = await filesUnder(t.config.filesDir);
  const rowsBefore = await recorded();
  for (const [label, reshape] of MALFORMED) {
    const since = logLines.length;
    const response = await upload(reshape);
    assert.equal(response.statusCode, 400, label);
    assert.ok(textOf(response.body).includes(MALFORMED_FR), `${label}: ${textOf(response.body)}`);
    assertNoInternals(response.body);
    assert.equal(malformedWarnings(since).length, 1, `${label}: one warning logged`);
    const errors = logLines.slice(since).filter((line) => JSON.parse(line).level >= 50);
    assert.deepEqual(errors, [], `${label}: nothing logged as an error`);
    assert.deepEqual(
      await filesUnder(t.config.filesDir),
      filesBefore,
      `${label}: no file, temporary or stored`,
    );
    assert.deepEqual(await recorded(), rowsBefore, `${label}: nothing recorded`);
  }
  const whole = await upload();
  assert.equal(whole.statusCode, 303, textOf(whole.body));
}

/** A valid PDF of 8 KiB, so that a body can be cut in the middle of it. */
const pdf = () => minimalPdf(8 * 1024);

test("a file transfer whose multipart body is cut or malformed gets 400, a warning in the log, and nothing is kept", async () => {
  const agent = await t.signIn(sender.userCode);
  await assertMalformedUploadsRefused(
    (reshape) => addFile(t, agent, RECIPIENT, "Document.pdf", pdf(), reshape ? { reshape } : {}),
    () => t.database.db.selectFrom("file_transfer_draft_file").select("id").execute(),
  );
});

test("an application attachment whose multipart body is cut or malformed gets 400, a warning, and nothing is kept", async () => {
  const agent = await t.signIn(writer.userCode);
  const { number } = await createThroughPage(agent, service, city.id, "Réfection de la rue du Scan");
  assert.ok(number);
  await assertMalformedUploadsRefused(
    (reshape) => uploadThroughPage(t, agent, service, number, "plans", "Plans.pdf", pdf(), reshape),
    () => t.database.db.selectFrom("application_attachment").select("id").execute(),
  );
});

// 4. Framing

test("X-Frame-Options says DENY, as the policy's frame-ancestors 'none' does", async () => {
  const agent: Agent = await t.signIn(sender.userCode);
  for (const page of [
    await t.agent().get("/connexion"),
    await agent.get("/"),
    await agent.get("/nexiste-pas"),
  ]) {
    assert.equal(page.headers["x-frame-options"], "DENY");
    assert.match(String(page.headers["content-security-policy"]), /frame-ancestors 'none'/);
  }
});
