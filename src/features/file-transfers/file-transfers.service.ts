// « Transfert de fichiers »: files are staged one at a time in the sender's draft (streamed to a temporary file,
// hashed, fsynced, checked, moved into the store, then recorded); « Transférer » turns the draft into a transfer in
// one transaction with its confirmation number, email and audit entry. The receiving staff read and download.
import type { Readable } from "node:stream";
import type { Kysely } from "kysely";
import { type Ctx, referenceRead } from "../../context.js";
import type { DB } from "../../db/schema.js";
import { AppError, isUniqueViolation } from "../../errors.js";
import type { UserActor } from "../../policy/actor.js";
import type { Decision } from "../../policy/decision.js";
import { authorize, can } from "../../policy/policy.js";
import { clearTempDir, type FileStore } from "../../storage/file-store.js";
import { TIME_ZONE } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { localizedText } from "../../web/localized.js";
import { type Locale, type MessageKey, translator } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { queueMail } from "../mail/mail.service.js";
import { today, validGrantsOf } from "../procurations/procurations.service.js";
import { once } from "../submissions/submissions.service.js";
import { deleteObjects, type Refusal, storeCheckedUpload, type UploadPart } from "./checked-upload.js";
import { extensionOf, type RecipientRules } from "./file-checks.js";
import { formatCount, formatSize } from "./file-size.js";
import * as q from "./file-transfers.queries.js";

/** A draft lives this long after its last added file. */
export const DRAFT_LIFETIME_MS = 24 * 3_600_000;
/** Lists show the most recent transfers only. */
export const LIST_LIMIT = 200;

export type TransferDeps = {
  store: FileStore;
  /** TRANSFER_MAX_FILE_BYTES: a cap over every recipient's own limit. */
  maxFileBytes: number;
};

export type Recipient = q.RecipientRow;

const CONTENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[extensionOf(name)] ?? "application/octet-stream";
}

export function limitOf(
  recipient: Pick<Recipient, "max_file_bytes">,
  deps: Pick<TransferDeps, "maxFileBytes">,
) {
  return Math.min(recipient.max_file_bytes, deps.maxFileBytes);
}

function rulesOf(recipient: Recipient, limit: number): RecipientRules {
  return {
    allowedExtensions: recipient.allowed_extensions,
    maxFileBytes: limit,
    nameRule: recipient.name_rule,
  };
}

// --- Who may send

type SendScope = {
  organizationId: number;
  ministryId: number;
  serviceId: number | null;
  procurations: Awaited<ReturnType<typeof validGrantsOf>>;
};

/** The enterprise facts for sending to a ministry's recipients: the procurations valid today, and the service they may name. */
async function sendScope(ctx: Ctx, actor: UserActor, ministryId: number): Promise<SendScope> {
  const service = await referenceRead(ctx, "transfer-service", q.findTransferService);
  return {
    organizationId: actor.organizationId,
    ministryId,
    // A restricted procuration covers transfers when it names « Transfert de fichiers » of that ministry.
    serviceId: service && service.ministry_id === ministryId ? service.id : null,
    procurations: actor.isServicesOfficer ? [] : await validGrantsOf(ctx.db, actor, today(ctx)),
  };
}

async function findRecipient(ctx: Ctx, code: string): Promise<Recipient> {
  const recipient =
    code.length > 0 && code.length <= 100
      ? await referenceRead(ctx, `recipient:${code}`, (db) => q.findRecipientByCode(db, code))
      : undefined;
  if (!recipient) throw new AppError("not_found");
  return recipient;
}

export type SendPage = {
  recipients: Recipient[];
  /** Whether the actor's organization sends at all (a firm or a ministry does not). */
  organizationDecision: Decision;
  chosen: {
    recipient: Recipient;
    decision: Decision;
    limit: number;
    geoCode: string | null;
    draft: { id: number; files: Awaited<ReturnType<typeof q.listDraftFiles>> } | null;
  } | null;
  canSeeHistory: boolean;
  staffOf: number[];
};

/** The « Transfert de fichiers » page: the recipients, and for the one chosen its rules and the actor's draft. */
export async function sendPage(
  ctx: Ctx,
  deps: TransferDeps,
  recipientCode: string | null,
): Promise<SendPage> {
  const actor = requireUser(ctx.actor);
  const recipients = await referenceRead(ctx, "recipients", q.listRecipients);
  const ministryId = recipients[0]?.ministry_id ?? 0;
  const scope = await sendScope(ctx, actor, ministryId);
  const organizationDecision = can(actor, "fileTransfer.send", scope);
  const staffOf = await referenceRead(ctx, `staff-of:${actor.userId}`, (db) =>
    q.listRecipientIdsOfStaff(db, actor.userId),
  );
  let chosen: SendPage["chosen"] = null;
  if (recipientCode) {
    const recipient = await findRecipient(ctx, recipientCode);
    const decision = can(
      actor,
      "fileTransfer.send",
      recipient.ministry_id === ministryId ? scope : await sendScope(ctx, actor, recipient.ministry_id),
    );
    const draft = decision.allowed
      ? await q.findOpenDraft(ctx.db, actor.userId, recipient.id, ctx.now)
      : undefined;
    chosen = {
      recipient,
      decision,
      limit: limitOf(recipient, deps),
      geoCode: await referenceRead(ctx, `geo-code:${actor.organizationId}`, (db) =>
        q.findGeoCode(db, actor.organizationId),
      ),
      draft: draft ? { id: draft.id, files: await q.listDraftFiles(ctx.db, draft.id) } : null,
    };
  }
  return {
    recipients,
    organizationDecision,
    chosen,
    canSeeHistory: organizationDecision.allowed,
    staffOf,
  };
}

export type UploadTarget = {
  actor: UserActor;
  recipient: Recipient;
  limit: number;
  rules: RecipientRules;
  geoCode: string | null;
};

/** Before a byte of an upload is read: may the actor send to this recipient, and how large may a file be? */
export async function openUpload(ctx: Ctx, deps: TransferDeps, recipientCode: string): Promise<UploadTarget> {
  const actor = requireUser(ctx.actor);
  const recipient = await findRecipient(ctx, recipientCode);
  authorize(actor, "fileTransfer.send", await sendScope(ctx, actor, recipient.ministry_id));
  const limit = limitOf(recipient, deps);
  return {
    actor,
    recipient,
    limit,
    rules: rulesOf(recipient, limit),
    geoCode: await referenceRead(ctx, `geo-code:${actor.organizationId}`, (db) =>
      q.findGeoCode(db, actor.organizationId),
    ),
  };
}

// --- Staging one file

export type { Refusal, UploadPart };
export type StageResult =
  | { ok: true; name: string; replaced: boolean }
  | { ok: false; status: 400 | 413; refusal: Refusal };

/** Records a stored file in the actor's draft; a file of the same name is replaced. Returns the keys no longer named. */
async function recordStagedFile(
  ctx: Ctx,
  target: UploadTarget,
  file: Omit<q.StagedFileRow, "draftId" | "now">,
): Promise<string[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const expired = await q.deleteExpiredDrafts(trx, ctx.now, {
      userId: target.actor.userId,
      recipientId: target.recipient.id,
    });
    const draftId = await q.upsertDraft(trx, {
      userId: target.actor.userId,
      organizationId: target.actor.organizationId,
      recipientId: target.recipient.id,
      now: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + DRAFT_LIFETIME_MS),
    });
    const replaced = await q.insertDraftFile(trx, { ...file, draftId, now: ctx.now });
    return replaced ? [...expired, replaced] : expired;
  });
}

/**
 * Streams one uploaded file (checked, stored, then recorded in the draft: see storeCheckedUpload). A refusal keeps
 * nothing; a file of the same name replaces the draft's, whose stored object then goes.
 */
export async function stageUpload(
  ctx: Ctx,
  deps: TransferDeps,
  target: UploadTarget,
  part: UploadPart | undefined,
  locale: Locale,
): Promise<StageResult> {
  const checks = {
    rules: target.rules,
    geoCode: target.geoCode,
    locale,
    tooLarge: "fileTransfers.refusal.tooLarge" as const,
  };
  const stored = await storeCheckedUpload(deps.store, part, checks, (stored) => {
    const file = { ...stored, contentType: contentTypeOf(stored.name) };
    // Two uploads of the same name at once: the second replaces the first, as if sent after it.
    return recordStagedFile(ctx, target, file).catch((error: unknown) => {
      if (isUniqueViolation(error)) return recordStagedFile(ctx, target, file);
      throw error;
    });
  });
  if (!stored.ok) return stored;
  await deleteObjects(deps.store, stored.value);
  return { ok: true, name: stored.name, replaced: stored.value.length > 0 };
}

/** Loads a draft and makes sure it is the actor's own. */
async function ownDraft(ctx: Ctx, draft: { organization_id: number; user_id: number }): Promise<UserActor> {
  const actor = requireUser(ctx.actor);
  return authorize(actor, "fileTransfer.editDraft", {
    organizationId: draft.organization_id,
    draftUserId: draft.user_id,
  });
}

/** « Supprimer » on a staged file: the row goes, then the stored object. */
export async function removeStagedFile(
  ctx: Ctx,
  deps: TransferDeps,
  fileId: number,
): Promise<{ removed: string | null; recipientCode: string | null }> {
  requireUser(ctx.actor);
  const file = await q.findDraftFile(ctx.db, fileId);
  if (!file) return { removed: null, recipientCode: null };
  await ownDraft(ctx, file);
  const key = await q.deleteDraftFile(ctx.db, file.id);
  if (key) await deleteObjects(deps.store, [key]);
  const recipient = await q.findRecipientById(ctx.db, file.recipient_id);
  return { removed: key ? file.name : null, recipientCode: recipient?.code ?? null };
}

// --- Sending

export type SendInput = {
  recipientCode: string;
  draftId: number | null;
  certified: boolean;
  submissionKey: string;
};

export type SendResult =
  | { ok: true; confirmationNumber: number; repeated: boolean }
  | { ok: false; errors: FieldErrors<"certification" | "fichiers"> };

class NothingToSend extends Error {}

function montrealDateTime(at: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-CA" : "en-CA", {
    timeZone: TIME_ZONE,
    dateStyle: "long",
    timeStyle: "long",
  }).format(at);
}

/**
 * « Transférer »: in one transaction, the draft's files become the transfer's, with a confirmation number from the
 * sequence, the email to the sender and the audit entry; the draft is consumed. The same form sent twice sends once.
 */
export async function sendTransfer(ctx: Ctx, deps: TransferDeps, input: SendInput): Promise<SendResult> {
  const { actor, recipient } = await openUpload(ctx, deps, input.recipientCode);
  if (input.draftId !== null) {
    const draft = await q.findDraftById(ctx.db, input.draftId);
    if (draft) {
      await ownDraft(ctx, draft);
      if (draft.recipient_id !== recipient.id) throw new AppError("bad_request");
    }
  }
  if (!input.certified)
    return { ok: false, errors: { certification: { key: "fileTransfers.certificationRequired" } } };
  const draftId = input.draftId;
  const contact = await q.findSenderContact(ctx.db, actor.userId);
  try {
    const outcome = await ctx.db.transaction().execute((trx) =>
      once(trx, { key: input.submissionKey, userId: actor.userId, now: ctx.now }, async () => {
        const draft = draftId === null ? undefined : await q.lockOpenDraft(trx, draftId, ctx.now);
        if (!draft || draft.user_id !== actor.userId) throw new NothingToSend();
        if ((await q.listDraftFiles(trx, draft.id)).length === 0) throw new NothingToSend();
        const transfer = await q.insertTransfer(trx, {
          organizationId: actor.organizationId,
          recipientId: recipient.id,
          senderUserId: actor.userId,
          now: ctx.now,
        });
        const files = await q.copyDraftFilesToTransfer(trx, draft.id, transfer.id);
        await q.deleteDraft(trx, draft.id);
        await queueMail(
          trx,
          notification(actor, contact, recipient, transfer.confirmationNumber, files, ctx.now),
          ctx.now,
        );
        await recordAudit(
          { ...ctx, db: trx },
          {
            action: "fileTransfer.send",
            organizationId: actor.organizationId,
            targetType: "file_transfer",
            targetId: transfer.id,
            details: {
              confirmationNumber: transfer.confirmationNumber,
              recipient: recipient.code,
              files: files.map((f) => ({ name: f.name, size: f.size_bytes, sha256: f.sha256 })),
            },
          },
        );
        return String(transfer.confirmationNumber);
      }),
    );
    if (!outcome.fresh) return { ok: true, confirmationNumber: Number(outcome.previous), repeated: true };
    ctx.app.mailQueued();
    return { ok: true, confirmationNumber: Number(outcome.value), repeated: false };
  } catch (error) {
    if (error instanceof NothingToSend)
      return { ok: false, errors: { fichiers: { key: "fileTransfers.noFiles" } } };
    throw error;
  }
}

function notification(
  actor: UserActor,
  contact: { email: string; locale: Locale },
  recipient: Recipient,
  confirmationNumber: number,
  files: readonly { name: string; size_bytes: number; sha256: string }[],
  now: Date,
) {
  const locale = contact.locale;
  const t = translator(locale);
  const name = `${actor.firstName} ${actor.lastName}`;
  return {
    to: contact.email,
    subject: t("mail.fileTransfer.subject", { number: confirmationNumber }),
    text: t("mail.fileTransfer.body", {
      name,
      code: actor.userCode,
      number: confirmationNumber,
      when: montrealDateTime(now, locale),
      organization: actor.organizationName,
      recipient: localizedText(locale, recipient.name, recipient.name_en),
      count: files.length,
      files: files
        .map((f) =>
          t("mail.fileTransfer.file", {
            name: f.name,
            size: formatSize(f.size_bytes, t, locale),
            bytes: formatCount(f.size_bytes, locale),
            sha256: f.sha256,
          }),
        )
        .join("\n"),
    }),
  };
}

// --- History and inboxes

async function withFiles<T extends { id: number }>(db: Kysely<DB>, transfers: T[]) {
  const files = await q.listFilesOfTransfers(
    db,
    transfers.map((t) => t.id),
  );
  return transfers.map((transfer) => ({
    ...transfer,
    files: files.filter((f) => f.transfer_id === transfer.id),
  }));
}

export type TransferWithFiles = Awaited<ReturnType<typeof withFiles<q.TransferListRow>>>[number];

/** The organization's transfers to the ministries the actor may send to: the allowed set is computed, then filtered in SQL. */
export async function transferHistory(ctx: Ctx): Promise<TransferWithFiles[]> {
  const actor = requireUser(ctx.actor);
  const recipients = await referenceRead(ctx, "recipients", q.listRecipients);
  const ministryIds = [...new Set(recipients.map((r) => r.ministry_id))];
  const allowed: number[] = [];
  let firstScope: SendScope | undefined;
  for (const ministryId of ministryIds) {
    const scope = await sendScope(ctx, actor, ministryId);
    firstScope ??= scope;
    if (can(actor, "fileTransfer.viewHistory", scope).allowed) allowed.push(ministryId);
  }
  // Nobody who may send to no ministry reads the history: the refusal is the first ministry's, for the audit log.
  if (allowed.length === 0 && firstScope) authorize(actor, "fileTransfer.viewHistory", firstScope);
  return withFiles(
    ctx.db,
    await q.listTransfersOfOrganization(ctx.db, actor.organizationId, allowed, LIST_LIMIT),
  );
}

function inboxesAmong(actor: UserActor, recipients: Recipient[], staffOf: readonly number[]): Recipient[] {
  return recipients.filter(
    (recipient) =>
      can(actor, "fileTransfer.viewInbox", {
        ministryId: recipient.ministry_id,
        recipientId: recipient.id,
        staffOf,
      }).allowed,
  );
}

/** The recipients whose inbox the actor reads. */
export async function listInboxes(ctx: Ctx): Promise<Recipient[]> {
  const actor = requireUser(ctx.actor);
  return inboxesAmong(
    actor,
    await referenceRead(ctx, "recipients", q.listRecipients),
    await referenceRead(ctx, `staff-of:${actor.userId}`, (db) => q.listRecipientIdsOfStaff(db, actor.userId)),
  );
}

export async function inbox(ctx: Ctx, recipientCode: string) {
  const actor = requireUser(ctx.actor);
  const recipient = await findRecipient(ctx, recipientCode);
  const staffOf = await referenceRead(ctx, `staff-of:${actor.userId}`, (db) =>
    q.listRecipientIdsOfStaff(db, actor.userId),
  );
  authorize(actor, "fileTransfer.viewInbox", {
    ministryId: recipient.ministry_id,
    recipientId: recipient.id,
    staffOf,
  });
  const transfers = await withFiles(
    ctx.db,
    await q.listTransfersToRecipient(ctx.db, recipient.id, LIST_LIMIT),
  );
  return { recipient, transfers };
}

export type Download = { name: string; size: number; contentType: string; sha256: string; stream: Readable };

/** A received file for the recipient's staff, streamed from the store; each download is in the audit log. */
export async function openDownload(ctx: Ctx, deps: TransferDeps, fileId: number): Promise<Download> {
  const actor = requireUser(ctx.actor);
  const file = await q.findTransferFile(ctx.db, fileId);
  const staffOf = await referenceRead(ctx, `staff-of:${actor.userId}`, (db) =>
    q.listRecipientIdsOfStaff(db, actor.userId),
  );
  if (!file) throw new AppError("not_found");
  authorize(actor, "fileTransfer.download", {
    ministryId: file.ministry_id,
    recipientId: file.recipient_id,
    staffOf,
    organizationId: file.organization_id,
  });
  const stream = await deps.store.openRead(file.storage_key);
  await recordAudit(ctx, {
    action: "fileTransfer.download",
    organizationId: file.organization_id,
    targetType: "file_transfer_file",
    targetId: file.id,
    details: {
      transferId: file.transfer_id,
      confirmationNumber: file.confirmation_number,
      name: file.name,
      sha256: file.sha256,
    },
  }).catch((error: unknown) => {
    stream.destroy();
    throw error;
  });
  return {
    name: file.name,
    size: file.size_bytes,
    contentType: file.content_type,
    sha256: file.sha256,
    stream,
  };
}

/** For « Mes services en ligne »: the pages of « Transfert de fichiers » the actor uses (send, receive, or none). */
export async function transferServiceLinks(
  ctx: Ctx,
): Promise<{ serviceCode: string; links: { href: string; label: MessageKey }[] }> {
  const actor = requireUser(ctx.actor);
  const recipients = await referenceRead(ctx, "recipients", q.listRecipients);
  const links: { href: string; label: MessageKey }[] = [];
  for (const ministryId of new Set(recipients.map((r) => r.ministry_id))) {
    if (can(actor, "fileTransfer.send", await sendScope(ctx, actor, ministryId)).allowed) {
      links.push({ href: "/transfert-fichiers", label: "fileTransfers.sendLink" });
      break;
    }
  }
  const staffOf = await referenceRead(ctx, `staff-of:${actor.userId}`, (db) =>
    q.listRecipientIdsOfStaff(db, actor.userId),
  );
  if (inboxesAmong(actor, recipients, staffOf).length > 0)
    links.push({ href: "/transfert-fichiers/reception", label: "fileTransfers.inboxes" });
  return { serviceCode: q.TRANSFER_SERVICE_CODE, links };
}

// --- Maintenance

/** The hourly job: expired drafts and their stored files go. */
export async function purgeExpiredDrafts(db: Kysely<DB>, store: FileStore, now: Date): Promise<number> {
  const keys = await db.transaction().execute((trx) => q.deleteExpiredDrafts(trx, now));
  await deleteObjects(store, keys);
  return keys.length;
}

/**
 * Temporary files are removed, and so is every stored object that no draft file, transfer file or attachment names
 * (an upload cut off between « moved into place » and « recorded »). With `before`, only those last written before
 * it: a server may be between those two steps right now. Without, everything: at start, when no other server
 * shares the store, so that afterwards every stored file has its record.
 */
export async function removeUnrecordedFiles(
  db: Kysely<DB>,
  store: FileStore,
  before?: Date,
): Promise<{ temporary: number; orphans: number }> {
  const temporary = await clearTempDir(store.tempDir, before);
  const keys = (await store.listObjects())
    .filter((object) => before === undefined || object.modifiedAt < before)
    .map((object) => object.key);
  let orphans = 0;
  for (let start = 0; start < keys.length; start += 500) {
    const batch = keys.slice(start, start + 500);
    const referenced = await q.findReferencedKeys(db, batch);
    const unreferenced = batch.filter((key) => !referenced.has(key));
    for (const key of unreferenced) await store.delete(key);
    orphans += unreferenced.length;
  }
  return { temporary, orphans };
}

/** Makes a ministry user one of the staff who receive a recipient's files (the demo does; an admin screen may later). */
export async function assignRecipientStaff(
  db: Kysely<DB>,
  recipientCode: string,
  userId: number,
  now: Date,
): Promise<void> {
  const recipient = await q.findRecipientByCode(db, recipientCode);
  if (!recipient) throw new Error(`unknown transfer recipient ${recipientCode}`);
  await q.assignRecipientStaff(db, recipient.id, userId, now);
}
