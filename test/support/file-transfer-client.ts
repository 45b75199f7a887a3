// The sender's side of « Transfert de fichiers » for tests: multipart bodies as a browser builds them, uploads through
// the page's own form address (CSRF token in the query), a sender with a procuration, and what lies on disk.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Kysely } from "kysely";
import type { DB } from "../../src/db/schema.js";
import { insertTransferRecipient } from "../../src/features/catalogue/catalogue.queries.js";
import {
  insertHolders,
  insertProcuration,
  replaceScope,
} from "../../src/features/procurations/procurations.queries.js";
import type { Agent, Response } from "./agent.js";
import type { TestApp } from "./app.js";
import type { MadeOrganization, MadeUser } from "./factories.js";
import { decodeHtml } from "./text.js";

export type Multipart = { body: Buffer; contentType: string };

/**
 * One file field of a multipart body. The name goes as RFC 5987 filename* only, which busboy decodes exactly, so
 * any character (NUL, a backslash, a right-to-left override) reaches the server as it was written.
 */
export function multipartFile(filename: string, content: Buffer, field = "fichier"): Multipart {
  const boundary = `----guichet${randomBytes(12).toString("hex")}`;
  const encoded = encodeURIComponent(filename).replace(/'/g, "%27");
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${field}"; filename*=UTF-8''${encoded}\r\n` +
    "Content-Type: application/octet-stream\r\n\r\n";
  return {
    body: Buffer.concat([Buffer.from(head, "utf8"), content, Buffer.from(`\r\n--${boundary}--\r\n`, "utf8")]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export function cookieHeader(agent: Agent): string {
  return [...agent.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
}

/** The address of the page's « Ajouter un fichier » form, as the browser would post to it. */
export function uploadAction(html: string): string {
  const match = /<form method="post" action="([^"]*\/fichiers\?_csrf=[^"]*)"/.exec(html);
  assert.ok(match?.[1], "the page has an « Ajouter un fichier » form");
  return decodeHtml(match[1]);
}

/** Opens the recipient's page and adds one file through its form; returns the server's answer. */
export async function addFile(
  t: TestApp,
  agent: Agent,
  recipientCode: string,
  name: string,
  content: Buffer,
  /** reshape: what becomes of the body before it is sent (cut short, its boundary lost). */
  options: { json?: boolean; reshape?: (multipart: Multipart) => Multipart } = {},
): Promise<Response> {
  const page = await agent.get(`/transfert-fichiers?destinataire=${encodeURIComponent(recipientCode)}`);
  assert.equal(page.statusCode, 200);
  const built = multipartFile(name, content);
  const { body, contentType } = options.reshape ? options.reshape(built) : built;
  const response = await t.app.inject({
    method: "POST",
    url: uploadAction(page.body),
    headers: {
      cookie: cookieHeader(agent),
      "content-type": contentType,
      ...(options.json ? { accept: "application/json" } : {}),
    },
    payload: body,
  });
  for (const cookie of response.cookies) agent.cookies.set(cookie.name, cookie.value);
  return response;
}

/** A municipality user holding an unrestricted procuration for the ministry, valid today. */
export async function senderWithProcuration(
  t: TestApp,
  organization: MadeOrganization,
  ministryId: number,
  options: { firstName?: string; lastName?: string } = {},
): Promise<MadeUser> {
  const db = t.database.db;
  const officer = await t.factories.user(organization, { servicesOfficer: true });
  const sender = await t.factories.user(organization, options);
  const now = t.clock();
  const procurationId = await insertProcuration(db, {
    organizationId: organization.id,
    name: "Transferts au ministère",
    startDate: "2026-01-01",
    endDate: "2030-12-31",
    createdBy: officer.id,
    now,
  });
  await replaceScope(db, procurationId, [{ ministryId, restricted: false, serviceIds: [] }]);
  await insertHolders(db, procurationId, [sender.id], officer.id, now);
  return sender;
}

/** A recipient of the DGSE for tests, with its own limit and name rule. */
export async function makeRecipient(
  db: Kysely<DB>,
  ministryId: number,
  recipient: {
    code: string;
    maxFileBytes: number;
    nameRule?: "none" | "geo_code_prefix";
    extensions?: string[];
  },
): Promise<number> {
  const unit = await db
    .selectFrom("ministry_unit")
    .select("id")
    .where("organization_id", "=", ministryId)
    .where("code", "=", "DGSE")
    .executeTakeFirstOrThrow();
  await insertTransferRecipient(db, {
    code: recipient.code,
    name: `Destinataire d'essai ${recipient.code}`,
    ministry_id: ministryId,
    ministry_unit_id: unit.id,
    instructions: "Consignes d'essai.",
    allowed_extensions: recipient.extensions ?? ["pdf", "xlsx"],
    max_file_bytes: recipient.maxFileBytes,
    name_rule: recipient.nameRule ?? "geo_code_prefix",
    sort_order: 1000,
  });
  const row = await db
    .selectFrom("transfer_recipient")
    .select("id")
    .where("code", "=", recipient.code)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every file under a folder, recursively, as paths relative to it. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
  } catch {
    return [];
  }
}
