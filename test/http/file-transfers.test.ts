// « Transfert de fichiers » over HTTP (issue #7): the sender's flow of seed 004, every bad file refused with nothing
// kept, the size limit to the byte, one transfer per form, who may send, receive and download, and what is recorded.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { findAuditEvents } from "../../src/features/audit/audit.queries.js";
import {
  assignRecipientStaff,
  purgeExpiredDrafts,
  removeUnrecordedFiles,
} from "../../src/features/file-transfers/file-transfers.service.js";
import { findOutboxMails } from "../../src/features/mail/outbox.queries.js";
import { openFileStore } from "../../src/storage/index.js";
import { allCatalogues, type MessageKey, translator } from "../../src/web/messages.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { badFileCorpus, minimalPdf, minimalXlsx } from "../support/bad-files.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import {
  addFile,
  cookieHeader,
  filesUnder,
  makeRecipient,
  multipartFile,
  senderWithProcuration,
} from "../support/file-transfer-client.js";
import { escapeRegExp, randomKey } from "../support/text.js";

const fr = translator("fr");
const KiB = 1024;
const SMALL = "essai-64k";
const SMALL_LIMIT = 64 * KiB;

let t: TestApp;
let ministry: MadeOrganization;
let city: MadeOrganization;
let sender: MadeUser;
let staff: MadeUser;

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const objectsDir = () => join(t.config.filesDir, "objects");
const tempDir = () => join(t.config.filesDir, "tmp");

before(async () => {
  t = await startTestApp();
  ministry = await t.factories.organization("ministry");
  city = await t.factories.organization("municipality", "Ville d'Essai-sur-Mer");
  sender = await senderWithProcuration(t, city, ministry.id, { firstName: "Julie", lastName: "Perreault" });
  await makeRecipient(t.database.db, ministry.id, { code: SMALL, maxFileBytes: SMALL_LIMIT });
  staff = await t.factories.user(ministry, { firstName: "Valérie", lastName: "Poirier" });
  await assignRecipientStaff(t.database.db, SMALL, staff.id, t.clock());
  await assignRecipientStaff(t.database.db, "pga-eau", staff.id, t.clock());
});
after(() => t.close());

/** Each test starts with no draft left by another; the start-up clean-up then removes their stored files. */
beforeEach(async () => {
  await t.database.db.deleteFrom("file_transfer_draft_file").execute();
  await t.database.db.deleteFrom("file_transfer_draft").execute();
  const store = openFileStore(t.config);
  try {
    await removeUnrecordedFiles(t.database.db, store);
  } finally {
    store.close();
  }
});

function geo(org: MadeOrganization = city): string {
  assert.ok(org.geoCode);
  return org.geoCode;
}

function flashOf(response: Response): string {
  return textOf(response.body).replace(/\s+/g, " ");
}

async function transferCount(): Promise<number> {
  const rows = await t.database.db.selectFrom("file_transfer").select("id").execute();
  return rows.length;
}

async function recordedKeys(): Promise<Set<string>> {
  const drafts = await t.database.db.selectFrom("file_transfer_draft_file").select("storage_key").execute();
  const sent = await t.database.db.selectFrom("file_transfer_file").select("storage_key").execute();
  return new Set([...drafts, ...sent].map((r) => r.storage_key));
}

/** Every stored object has its record, and no temporary file is left. */
async function assertStoreMatchesRecords(): Promise<void> {
  const stored = (await filesUnder(objectsDir())).map((path) => path.split("/").at(-1) ?? "");
  assert.deepEqual(new Set(stored), await recordedKeys());
  assert.deepEqual(await filesUnder(tempDir()), []);
}

async function signedInSender(): Promise<Agent> {
  return t.signIn(sender.userCode);
}

async function transfer(agent: Agent, code: string, fields: { certification?: string; key?: string } = {}) {
  const page = await agent.get(`/transfert-fichiers?destinataire=${code}`);
  const draft = /name="brouillon" value="(\d*)"/.exec(page.body)?.[1] ?? "";
  const key = fields.key ?? /name="cle" value="([^"]+)"/.exec(page.body)?.[1] ?? randomKey();
  return agent.post(`/transfert-fichiers/${code}/transferer`, {
    cle: key,
    brouillon: draft,
    ...(fields.certification === undefined
      ? { certification: "1" }
      : { certification: fields.certification }),
  });
}

test("seed 004 end to end: choose PGA-Eau, add three files one at a time, remove one, certify, transfer, see the number", async () => {
  const agent = await signedInSender();
  const chooser = await agent.get("/transfert-fichiers");
  assert.equal(chooser.statusCode, 200);
  assert.match(
    textOf(chooser.body),
    /Destinataire .* Veuillez choisir Commission municipale du Québec .* Plan de gestion des actifs en eau \(PGA-Eau\)/,
  );
  assert.doesNotMatch(chooser.body, /Ajouter un fichier/);

  const chosen = await agent.get("/transfert-fichiers?destinataire=pga-eau");
  const text = textOf(chosen.body);
  assert.match(text, /Veuillez SVP nommer vos fichiers en débutant par votre code géo/);
  assert.match(text, /Seules les extensions suivantes sont permises\s: pdf, xlsx/);
  assert.match(text, /La taille d'un fichier ne doit pas excéder 100 Mo\./);
  assert.match(text, new RegExp(escapeRegExp(`« ${geo()} Démarche.pdf »`)));
  assert.match(text, /Ajouter un fichier/);
  // The certification is said once, by the box to tick before « Transférer ».
  assert.equal(
    text.match(
      /je certifie que les documents ci-dessus sont conformes aux normes et consignes du destinataire/gi,
    )?.length,
    1,
  );
  assert.match(chosen.body, /<label for="champ-certification">Je certifie que les documents ci-dessus/);
  assert.match(chosen.body, /<script src="\/static\/file-transfer.js"/);

  const demarche = minimalPdf(466_903);
  const resolution = minimalPdf(1200);
  const formulaire = minimalXlsx();
  const files: [string, Buffer][] = [
    [`${geo()} Démarche.pdf`, demarche],
    [`${geo()} Résolution.pdf`, resolution],
    [`${geo()} Formulaire.xlsx`, formulaire],
  ];
  for (const [name, content] of files) {
    const added = await addFile(t, agent, "pga-eau", name, content);
    assert.equal(added.statusCode, 303, added.body);
    assert.equal(added.headers.location, "/transfert-fichiers?destinataire=pga-eau");
    const shown = await agent.follow(added);
    assert.match(flashOf(shown), new RegExp(escapeRegExp(`Le fichier « ${name} » a été ajouté.`)));
  }
  const draftPage = await agent.get("/transfert-fichiers?destinataire=pga-eau");
  const listed = textOf(draftPage.body);
  assert.match(listed, new RegExp(escapeRegExp(`${geo()} Démarche.pdf 456 Ko Supprimer`)));
  assert.match(listed, new RegExp(escapeRegExp(`${geo()} Résolution.pdf 1,2 Ko Supprimer`)));
  assert.equal(await transferCount(), 0, "files staged in a draft are not a transfer");
  await assertStoreMatchesRecords();

  // « Supprimer » on the résolution: its row and its stored file go.
  const rows = [...draftPage.body.matchAll(/<tr>[\s\S]*?<\/tr>/g)].map((m) => m[0]);
  const resolutionRow = rows.find((row) => row.includes("Résolution"));
  const action = /action="([^"]+supprimer)"/.exec(resolutionRow ?? "")?.[1];
  assert.ok(action, "a « Supprimer » for the résolution");
  const removed = await agent.post(action, {});
  assert.equal(removed.statusCode, 303);
  assert.match(flashOf(await agent.follow(removed)), /Le fichier « .* Résolution.pdf » a été retiré\./);
  await assertStoreMatchesRecords();

  // Without the box ticked, nothing is sent.
  const unchecked = await transfer(agent, "pga-eau", { certification: "" });
  assert.equal(unchecked.statusCode, 400);
  assert.match(textOf(unchecked.body), /Cochez la case de certification pour transférer les fichiers\./);
  assert.equal(await transferCount(), 0);

  const sent = await transfer(agent, "pga-eau");
  assert.equal(sent.statusCode, 303);
  assert.equal(sent.headers.location, "/transfert-fichiers");
  const confirmation = await agent.follow(sent);
  const notice = /<div class="notice notice-success" role="status">([^<]*)<\/div>/.exec(
    confirmation.body,
  )?.[1];
  const number =
    /^Le transfert s'est déroulé avec succès\. Le numéro de confirmation est le\s: (\d{10})$/.exec(
      (notice ?? "").replace(/&#x27;/g, "'"),
    )?.[1];
  assert.ok(number, `the green notice with the number: ${notice}`);
  // The page is ready for a new transfer: « Veuillez choisir » again.
  assert.doesNotMatch(confirmation.body, /<option[^>]*selected/);
  assert.doesNotMatch(confirmation.body, /Ajouter un fichier/);

  const recorded = await t.database.db
    .selectFrom("file_transfer")
    .selectAll()
    .where("confirmation_number", "=", Number(number))
    .executeTakeFirstOrThrow();
  assert.equal(recorded.sender_user_id, sender.id);
  assert.equal(recorded.organization_id, city.id);
  const sentFiles = await t.database.db
    .selectFrom("file_transfer_file")
    .selectAll()
    .where("transfer_id", "=", recorded.id)
    .orderBy("position")
    .execute();
  assert.deepEqual(
    sentFiles.map((f) => [f.position, f.name, f.size_bytes, f.sha256]),
    [
      [1, `${geo()} Démarche.pdf`, demarche.length, sha256(demarche)],
      [2, `${geo()} Formulaire.xlsx`, formulaire.length, sha256(formulaire)],
    ],
  );
  const drafts = await t.database.db.selectFrom("file_transfer_draft").select("id").execute();
  assert.deepEqual(drafts, [], "the draft is consumed");
  await assertStoreMatchesRecords();

  // The email to the sender, in the same transaction: date and time, name and code, recipient, files, number.
  const mails = await findOutboxMails(t.database.db, { to: sender.email });
  const mail = mails.at(-1);
  assert.ok(mail);
  assert.equal(mail.subject, `Guichet — transfert de fichiers, numéro de confirmation ${number}`);
  const body = mail.text_body;
  assert.match(body, new RegExp(`Numéro de confirmation\u00a0: ${number}`));
  // The test clock stands at 15:00 UTC on 2026-11-22: 10 h 00 in Montréal.
  assert.match(body, /Date et heure\s: 22 novembre 2026 (à )?10 h 00/);
  assert.match(body, new RegExp(escapeRegExp(`Utilisateur\u00a0: Julie Perreault (${sender.userCode})`)));
  assert.match(body, /Destinataire\s: Plan de gestion des actifs en eau \(PGA-Eau\)/);
  assert.match(body, new RegExp(escapeRegExp(`- ${geo()} Démarche.pdf — 456 Ko (466\u00a0903 octets)`)));
  assert.match(body, new RegExp(`SHA-256\u00a0: ${sha256(demarche)}`));
  assert.match(body, new RegExp(`SHA-256\u00a0: ${sha256(formulaire)}`));
  assert.doesNotMatch(body, /Résolution/);
  const audit = await findAuditEvents(t.database.db, { action: "fileTransfer.send" });
  assert.equal(audit[0]?.target_id, String(recorded.id));
});

test("the same « Transférer » form sent twice records one transfer and shows the same number", async () => {
  const agent = await signedInSender();
  assert.equal((await addFile(t, agent, SMALL, `${geo()} Démarche.pdf`, minimalPdf())).statusCode, 303);
  const key = randomKey();
  const before = await transferCount();
  const first = await transfer(agent, SMALL, { key });
  const second = await agent.post(`/transfert-fichiers/${SMALL}/transferer`, {
    cle: key,
    brouillon: "",
    certification: "1",
  });
  assert.equal(first.statusCode, 303);
  assert.equal(second.statusCode, 303);
  const numbers = await Promise.all(
    [first, second].map(async (r) => flashOf(await agent.follow(r)).match(/\d{10}/)?.[0]),
  );
  assert.ok(numbers[0]);
  assert.equal(numbers[1], numbers[0]);
  assert.equal(await transferCount(), before + 1);
});

test("confirmation numbers come from the sequence: ten digits, from 1000025868 on, each once", async () => {
  const agent = await signedInSender();
  const numbers: number[] = [];
  for (let i = 0; i < 3; i++) {
    assert.equal((await addFile(t, agent, SMALL, `${geo()} Lot ${i}.pdf`, minimalPdf())).statusCode, 303);
    const sent = await transfer(agent, SMALL);
    numbers.push(Number(flashOf(await agent.follow(sent)).match(/\d{10}/)?.[0]));
  }
  assert.ok(numbers.every((n) => n >= 1_000_025_868 && n <= 9_999_999_999));
  assert.equal(new Set(numbers).size, 3);
  assert.deepEqual(
    numbers,
    [...numbers].sort((a, b) => a - b),
  );
  const all = await t.database.db.selectFrom("file_transfer").select("confirmation_number").execute();
  assert.equal(new Set(all.map((r) => r.confirmation_number)).size, all.length);
  assert.ok(
    all.some((r) => r.confirmation_number === 1_000_025_868),
    "the first number is the seed's",
  );
});

test("every file of the bad corpus is refused with its message naming it, and nothing is stored", async () => {
  const agent = await signedInSender();
  const corpus = await badFileCorpus(geo());
  assert.ok(corpus.length >= 20);
  const storedBefore = await filesUnder(objectsDir());
  const failures: string[] = [];
  for (const bad of corpus) {
    const response = await addFile(t, agent, "pga-eau", bad.name, bad.content);
    // busboy drops a part whose name holds CR or LF before it reaches us: the form comes back without a file.
    const crlf = /[\r\n]/.test(bad.name);
    const key: MessageKey = crlf ? "fileTransfers.refusal.noFile" : bad.key;
    // The reason, as the catalogue words it after the file's name (which the page may show with unsafe characters
    // replaced); values such as the allowed extensions are left out.
    const template = fr(key);
    // The page's text has its no-break spaces read as spaces, as the template's must be.
    const reason = (
      (template.includes("» ") ? template.slice(template.indexOf("» ") + 2) : template).split("{")[0] ?? ""
    ).replace(/\s+/g, " ");
    const shown = textOf(response.body);
    if (response.statusCode !== 400) failures.push(`${bad.label}: status ${response.statusCode}`);
    else if (!shown.includes(reason.trim()) || (!crlf && !shown.includes("Le fichier « ")))
      failures.push(`${bad.label}: expected « ${reason} » in « ${shown.slice(0, 600)} »`);
  }
  assert.deepEqual(failures, []);
  const rows = await t.database.db.selectFrom("file_transfer_draft_file").select("id").execute();
  assert.deepEqual(rows, []);
  assert.deepEqual(await filesUnder(objectsDir()), storedBefore);
  await assertStoreMatchesRecords();
});

test("a file of exactly the recipient's limit is accepted; one byte more is refused with 413 and nothing kept", async () => {
  const agent = await signedInSender();
  const exact = await addFile(t, agent, SMALL, `${geo()} Limite.pdf`, minimalPdf(SMALL_LIMIT));
  assert.equal(exact.statusCode, 303, textOf(exact.body));
  const stored = await t.database.db.selectFrom("file_transfer_draft_file").select(["size_bytes"]).execute();
  assert.deepEqual(stored, [{ size_bytes: SMALL_LIMIT }]);

  const over = await addFile(t, agent, SMALL, `${geo()} Trop gros.pdf`, minimalPdf(SMALL_LIMIT + 1));
  assert.equal(over.statusCode, 413);
  assert.equal(over.headers.connection, "close");
  assert.match(
    textOf(over.body),
    new RegExp(
      escapeRegExp(
        `Le fichier « ${geo()} Trop gros.pdf » est refusé : il dépasse la taille maximale de 64 Ko permise pour ce destinataire. Rien n'en a été conservé.`,
      ),
    ),
  );
  const after = await t.database.db.selectFrom("file_transfer_draft_file").select(["name"]).execute();
  assert.deepEqual(
    after.map((r) => r.name),
    [`${geo()} Limite.pdf`],
  );
  await assertStoreMatchesRecords();

  // The script's request gets the same refusal as JSON.
  const json = await addFile(t, agent, SMALL, `${geo()} Trop gros.pdf`, minimalPdf(SMALL_LIMIT + 1), {
    json: true,
  });
  assert.equal(json.statusCode, 413);
  assert.match(json.json<{ message: string }>().message, /dépasse la taille maximale de 64 Ko/);
  await assertStoreMatchesRecords();
});

test("TRANSFER_MAX_FILE_BYTES caps every recipient's own limit", async () => {
  const capped = await startTestApp({ env: { TRANSFER_MAX_FILE_BYTES: "2048" } });
  try {
    const ministryOfCapped = await capped.factories.organization("ministry");
    const town = await capped.factories.organization("municipality");
    const user = await senderWithProcuration(capped, town, ministryOfCapped.id);
    const agent = await capped.signIn(user.userCode);
    assert.ok(town.geoCode);
    const over = await addFile(capped, agent, "pga-eau", `${town.geoCode} Démarche.pdf`, minimalPdf(2049));
    assert.equal(over.statusCode, 413);
    assert.match(textOf(over.body), /taille maximale de 2 Ko/);
    const fits = await addFile(capped, agent, "pga-eau", `${town.geoCode} Démarche.pdf`, minimalPdf(2048));
    assert.equal(fits.statusCode, 303);
  } finally {
    await capped.close();
  }
});

test("with the page's script, an added file answers in JSON with where to go next", async () => {
  const agent = await signedInSender();
  const response = await addFile(t, agent, SMALL, `${geo()} Démarche.pdf`, minimalPdf(), { json: true });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { ok: true, location: `/transfert-fichiers?destinataire=${SMALL}` });
  const page = await agent.get(`/transfert-fichiers?destinataire=${SMALL}`);
  assert.match(
    textOf(page.body),
    new RegExp(escapeRegExp(`Le fichier « ${geo()} Démarche.pdf » a été ajouté.`)),
  );
});

test("a file added again under the same name replaces the first, and the first's stored file goes", async () => {
  const agent = await signedInSender();
  await addFile(t, agent, SMALL, `${geo()} Démarche.pdf`, minimalPdf(1000));
  const again = await addFile(t, agent, SMALL, `${geo()} Démarche.pdf`, minimalPdf(2000));
  assert.match(flashOf(await agent.follow(again)), /a remplacé le fichier du même nom/);
  const rows = await t.database.db.selectFrom("file_transfer_draft_file").select(["size_bytes"]).execute();
  assert.deepEqual(rows, [{ size_bytes: 2000 }]);
  await assertStoreMatchesRecords();
});

test("a transfer without any file is refused and records nothing", async () => {
  const agent = await signedInSender();
  const before = await transferCount();
  const response = await transfer(agent, SMALL);
  assert.equal(response.statusCode, 400);
  assert.match(textOf(response.body), /Ajoutez au moins un fichier avant de transférer\./);
  assert.equal(await transferCount(), before);
});

test("a firm's user and a user without procuration may not send: the page says why, the forms answer 403", async () => {
  const firm = await t.factories.organization("firm");
  const firmUser = await t.factories.user(firm);
  const bare = await t.factories.user(city);
  for (const [user, notice] of [
    [firmUser, /offert aux utilisateurs des municipalités et des organismes/],
    [bare, /vous devez détenir une procuration de Ville d'Essai-sur-Mer pour le MAMH/],
  ] as const) {
    const agent = await t.signIn(user.userCode);
    const page = await agent.get("/transfert-fichiers?destinataire=pga-eau");
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page.body), notice);
    assert.doesNotMatch(page.body, /enctype="multipart\/form-data"/);
    const token = agent.csrfToken ?? "";
    const { body, contentType } = multipartFile(`${geo()} Démarche.pdf`, minimalPdf());
    const upload = await t.app.inject({
      method: "POST",
      url: `/transfert-fichiers/pga-eau/fichiers?_csrf=${encodeURIComponent(token)}`,
      headers: { cookie: cookieHeader(agent), "content-type": contentType },
      payload: body,
    });
    assert.equal(upload.statusCode, 403);
    const send = await agent.post("/transfert-fichiers/pga-eau/transferer", {
      cle: randomKey(),
      brouillon: "",
      certification: "1",
    });
    assert.equal(send.statusCode, 403);
    assert.equal((await agent.get("/transfert-fichiers/historique")).statusCode, 403);
  }
  const denials = await findAuditEvents(t.database.db, { action: "fileTransfer.send" });
  const reasons = new Set(denials.filter((d) => d.outcome === "denied").map((d) => d.reason));
  assert.ok(reasons.has("not_sending_organization") && reasons.has("no_procuration"));
  await assertStoreMatchesRecords();
});

test("an upload without the CSRF token in its address is refused before anything is read", async () => {
  const agent = await signedInSender();
  const { body, contentType } = multipartFile(`${geo()} Démarche.pdf`, minimalPdf());
  const response = await t.app.inject({
    method: "POST",
    url: `/transfert-fichiers/${SMALL}/fichiers`,
    headers: { cookie: cookieHeader(agent), "content-type": contentType },
    payload: body,
  });
  assert.equal(response.statusCode, 403);
  await assertStoreMatchesRecords();
});

test("another user's draft, even in the same organization, can be neither sent nor emptied", async () => {
  const owner = await signedInSender();
  await addFile(t, owner, SMALL, `${geo()} Démarche.pdf`, minimalPdf());
  const draft = await t.database.db.selectFrom("file_transfer_draft").selectAll().executeTakeFirstOrThrow();
  const file = await t.database.db
    .selectFrom("file_transfer_draft_file")
    .selectAll()
    .executeTakeFirstOrThrow();

  const otherTown = await t.factories.organization("municipality");
  const stranger = await senderWithProcuration(t, otherTown, ministry.id);
  const colleague = await senderWithProcuration(t, city, ministry.id);
  for (const [user, reason] of [
    [stranger, "other_organization"],
    [colleague, "not_own_draft"],
  ] as const) {
    const agent = await t.signIn(user.userCode);
    await agent.get(`/transfert-fichiers?destinataire=${SMALL}`);
    const send = await agent.post(`/transfert-fichiers/${SMALL}/transferer`, {
      cle: randomKey(),
      brouillon: String(draft.id),
      certification: "1",
    });
    assert.equal(send.statusCode, 403);
    const remove = await agent.post(`/transfert-fichiers/fichiers/${file.id}/supprimer`, {});
    assert.equal(remove.statusCode, 403);
    const audit = await findAuditEvents(t.database.db, {
      action: "fileTransfer.editDraft",
      actorUserId: user.id,
    });
    assert.ok(
      audit.some((a) => a.reason === reason),
      `${user.userCode} refused as ${reason}`,
    );
  }
  const still = await t.database.db.selectFrom("file_transfer_draft_file").select("id").execute();
  assert.deepEqual(still, [{ id: file.id }]);
});

test("the receiving staff see the inbox and download each file: streamed attachment, safe names, nosniff, audited", async () => {
  const agent = await signedInSender();
  const content = minimalPdf(5000);
  const name = `${geo()} Démarche "finale"; été.pdf`;
  assert.equal((await addFile(t, agent, SMALL, name, content)).statusCode, 303);
  const number = flashOf(await agent.follow(await transfer(agent, SMALL))).match(/\d{10}/)?.[0];
  assert.ok(number);

  const receiver = await t.signIn(staff.userCode);
  const home = await receiver.get("/");
  assert.match(textOf(home.body), /TRANSFERT-FICHIERS — Transfert de fichiers — Fichiers reçus/);
  const inboxes = await receiver.get("/transfert-fichiers/reception");
  assert.match(inboxes.body, new RegExp(`href="/transfert-fichiers/reception/${SMALL}"`));
  const inbox = await receiver.get(`/transfert-fichiers/reception/${SMALL}`);
  assert.equal(inbox.statusCode, 200);
  const inboxText = textOf(inbox.body);
  assert.match(inboxText, new RegExp(number));
  assert.match(inboxText, /Ville d'Essai-sur-Mer/);
  assert.match(inboxText, new RegExp(escapeRegExp(`Julie Perreault (${sender.userCode})`)));
  const link = /href="(\/transfert-fichiers\/reception\/fichiers\/\d+)"/.exec(inbox.body)?.[1];
  assert.ok(link);

  const download = await receiver.get(link);
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers["content-type"], "application/pdf");
  assert.equal(download.headers["x-content-type-options"], "nosniff");
  assert.equal(
    download.headers["content-disposition"],
    `attachment; filename="${geo()} Demarche _finale__ ete.pdf"; filename*=UTF-8''${encodeURIComponent(name).replace(/'/g, "%27")}`,
  );
  assert.equal(sha256(download.rawPayload), sha256(content));
  const audit = await findAuditEvents(t.database.db, {
    action: "fileTransfer.download",
    actorUserId: staff.id,
  });
  assert.equal(audit[0]?.outcome, "success");
  assert.equal(audit[0]?.target_type, "file_transfer_file");
  assert.equal(audit[0]?.target_id, link.split("/").at(-1));
  assert.equal(audit[0]?.organization_id, city.id);
  assert.equal(audit[0]?.details.confirmationNumber, Number(number));

  // Not the sender, another ministry user, nor staff of another recipient.
  const otherStaff = await t.factories.user(ministry);
  await assignRecipientStaff(t.database.db, "fdt", otherStaff.id, t.clock());
  for (const user of [sender, otherStaff, await t.factories.user(ministry)]) {
    const outsider = await t.signIn(user.userCode);
    assert.equal((await outsider.get(link)).statusCode, 403, `${user.userCode} may not download`);
    assert.equal((await outsider.get(`/transfert-fichiers/reception/${SMALL}`)).statusCode, 403);
  }
  const denied = await findAuditEvents(t.database.db, { action: "fileTransfer.download" });
  assert.ok(denied.filter((d) => d.outcome === "denied").length >= 3);
});

test("the inbox calls its files « Fichiers reçus » (the history « Fichiers transférés »), its date on one short line", async () => {
  const agent = await signedInSender();
  assert.equal((await addFile(t, agent, SMALL, `${geo()} Reçu.pdf`, minimalPdf())).statusCode, 303);
  assert.equal((await transfer(agent, SMALL)).statusCode, 303);
  const history = textOf((await agent.get("/transfert-fichiers/historique")).body);
  assert.match(history, /Fichiers transférés/);
  assert.doesNotMatch(history, /Fichiers à transférer/);

  const receiver = await t.signIn(staff.userCode);
  const inbox = await receiver.get(`/transfert-fichiers/reception/${SMALL}`);
  const heading = /<thead>([\s\S]*?)<\/thead>/.exec(inbox.body)?.[1] ?? "";
  assert.match(textOf(heading), /Date .* Fichiers reçus$/);
  assert.doesNotMatch(textOf(inbox.body), /Fichiers à transférer/);
  const date = /<td class="nowrap">([^<]*)<\/td>/.exec(inbox.body)?.[1];
  assert.match(
    date ?? "",
    /^\d{4}-\d{2}-\d{2} \d{1,2} h \d{2}$/,
    "the short date and time, in a cell that does not wrap",
  );
  const css = await receiver.get("/static/guichet.css");
  assert.match(css.body, /\.nowrap \{ white-space: nowrap; \}/);

  await receiver.post("/langue", { locale: "en", retour: `/transfert-fichiers/reception/${SMALL}` });
  const english = await receiver.get(`/transfert-fichiers/reception/${SMALL}`);
  assert.match(textOf(/<thead>([\s\S]*?)<\/thead>/.exec(english.body)?.[1] ?? ""), /Files received$/);
  assert.doesNotMatch(textOf(english.body), /Files to transfer/);
  assert.match(english.body, /<td class="nowrap">\d{4}-\d{2}-\d{2}, \d{1,2}:\d{2}/);
});

test("senders see their organization's history, never another's", async () => {
  const agent = await signedInSender();
  await addFile(t, agent, SMALL, `${geo()} Historique.pdf`, minimalPdf());
  const number = flashOf(await agent.follow(await transfer(agent, SMALL))).match(/\d{10}/)?.[0];
  assert.ok(number);
  const history = await agent.get("/transfert-fichiers/historique");
  assert.equal(history.statusCode, 200);
  const text = textOf(history.body);
  assert.match(text, new RegExp(`${number} .* Destinataire d'essai ${SMALL} Julie Perreault`));
  assert.match(text, new RegExp(escapeRegExp(`${geo()} Historique.pdf`)));

  const otherTown = await t.factories.organization("municipality");
  const other = await t.signIn((await senderWithProcuration(t, otherTown, ministry.id)).userCode);
  const theirs = textOf((await other.get("/transfert-fichiers/historique")).body);
  assert.doesNotMatch(theirs, new RegExp(number));
  assert.match(theirs, /Aucun transfert\./);
});

test("« Mes services en ligne » lists « Transfert de fichiers » for those who may send, and not for a firm", async () => {
  const agent = await signedInSender();
  const home = await agent.get("/");
  assert.match(
    textOf(home.body),
    /Autres TRANSFERT-FICHIERS — Transfert de fichiers — Transmettre des fichiers/,
  );
  assert.match(home.body, /href="\/transfert-fichiers"/);
  const firmUser = await t.factories.user(await t.factories.organization("firm"));
  const firmHome = await (await t.signIn(firmUser.userCode)).get("/");
  assert.doesNotMatch(textOf(firmHome.body), /Transfert de fichiers/);
});

test("an expired draft and its stored files are removed by the hourly job", async () => {
  const agent = await signedInSender();
  await addFile(t, agent, SMALL, `${geo()} Oublié.pdf`, minimalPdf());
  assert.equal((await filesUnder(objectsDir())).length, (await recordedKeys()).size);
  const store = openFileStore(t.config);
  try {
    assert.equal(await purgeExpiredDrafts(t.database.db, store, t.clock()), 0, "not expired yet");
    const later = new Date(t.clock().getTime() + 24 * 3_600_000 + 1000);
    assert.equal(await purgeExpiredDrafts(t.database.db, store, later), 1);
  } finally {
    store.close();
  }
  assert.deepEqual(await t.database.db.selectFrom("file_transfer_draft").select("id").execute(), []);
  await assertStoreMatchesRecords();
});

test("the notification speaks the sender's language", async () => {
  const town = await t.factories.organization("municipality", "Town of Testville");
  const english = await senderWithProcuration(t, town, ministry.id, { firstName: "Ann", lastName: "Smith" });
  await t.database.db.updateTable("app_user").set({ locale: "en" }).where("id", "=", english.id).execute();
  const agent = await t.signIn(english.userCode);
  assert.ok(town.geoCode);
  await addFile(t, agent, SMALL, `${town.geoCode} Report.pdf`, minimalPdf(3000));
  const sent = await transfer(agent, SMALL);
  assert.equal(sent.statusCode, 303);
  const mail = (await findOutboxMails(t.database.db, { to: english.email })).at(-1);
  assert.ok(mail);
  assert.match(mail.subject, /^Guichet — file transfer, confirmation number \d{10}$/);
  assert.match(mail.text_body, /Date and time: November 22, 2026(,| at) 10:00/);
  assert.match(mail.text_body, new RegExp(escapeRegExp(`User: Ann Smith (${english.userCode})`)));
  assert.match(mail.text_body, /2\.9 KB \(3,000 bytes\)/);
});

test("the message catalogue has every file transfer text in French and English", () => {
  const { fr: french, en } = allCatalogues();
  const keys = Object.keys(french).filter(
    (k) => k.startsWith("fileTransfers.") || k.startsWith("mail.fileTransfer"),
  );
  assert.ok(keys.length > 40);
  for (const key of keys) {
    assert.ok(Reflect.get(en, key), key);
  }
});
