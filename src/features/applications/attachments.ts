// PDF attachments of financial-aid applications, in the portal's file store: added one at a time to a draft (checked
// like a transferred file, recorded only once stored, nothing kept on refusal), removed while it is a draft (the row
// stays for the versions, the bytes go), downloaded by whoever may read the application, copied into a new version.
import { rm } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { Ctx } from "../../context.js";
import { AppError } from "../../errors.js";
import { type FileStore, newStorageKey, receiveToTemp } from "../../storage/file-store.js";
import type { Locale } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import {
  deleteObjects,
  type Refusal,
  storeCheckedUpload,
  type UploadChecks,
  type UploadPart,
} from "../file-transfers/checked-upload.js";
import type { RegistryService } from "../registry/registry.service.js";
import * as q from "./applications.queries.js";
import { getTransmittedForMinistry, loadApplication, newVersion } from "./applications.service.js";
import { type FieldDefinition, fieldsOf } from "./form-definition.js";

export type AttachmentDeps = {
  store: FileStore;
  /** TRANSFER_MAX_FILE_BYTES: the largest file the portal takes. */
  maxFileBytes: number;
};

export type AttachmentTarget = {
  applicationId: number;
  number: number;
  organizationId: number;
  serviceId: number;
  field: FieldDefinition;
  maxFiles: number;
};

export type AttachmentRefusal = { ok: false; status: 400 | 404 | 409 | 413; refusal: Refusal };

/** A refusal while recording: the stored bytes are removed by storeCheckedUpload, and the page says why. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.key);
  }
}

function roomLeft(target: AttachmentTarget, counts: Record<string, number>): Refusal | null {
  return (counts[target.field.name] ?? 0) >= target.maxFiles
    ? { key: "applications.attachment.tooMany", params: { max: target.maxFiles } }
    : null;
}

/**
 * Before a byte of an upload is read: the actor may edit the application, it is still a draft, the field is one of
 * its form's PDF fields, and the field has room for one more file.
 */
export async function openAttachmentUpload(
  ctx: Ctx,
  service: RegistryService,
  number: number,
  fieldName: string,
): Promise<{ ok: true; target: AttachmentTarget } | AttachmentRefusal> {
  const { application, form } = await loadApplication(ctx, service, number, "application.edit");
  const field = fieldsOf(form).find((f) => f.name === fieldName && f.type === "pdf");
  if (!field) throw new AppError("not_found");
  if (application.status !== "draft")
    return { ok: false, status: 409, refusal: { key: "applications.alreadyTransmitted" } };
  const target = {
    applicationId: application.id,
    number: application.number,
    organizationId: application.organization_id,
    serviceId: application.service_id,
    field,
    maxFiles: field.maxFiles ?? 10,
  };
  const full = roomLeft(target, await q.countAttachments(ctx.db, application.id));
  return full ? { ok: false, status: 409, refusal: full } : { ok: true, target };
}

/** Names and extensions are checked like a transfer's; the message for a wrong one speaks of PDF, not of a recipient. */
function asAttachmentRefusal(refusal: Refusal, name: string): Refusal {
  if (refusal.key === "fileCheck.extensionNotAllowed" || refusal.key === "fileCheck.nameNoExtension")
    return { key: "applications.attachment.notPdf", params: { name: String(refusal.params?.name ?? name) } };
  return refusal;
}

/** What an attachment must be: a real PDF within the size limit, under any name. */
export function attachmentChecks(maxFileBytes: number, locale: Locale): UploadChecks {
  return {
    rules: { allowedExtensions: ["pdf"], maxFileBytes, nameRule: "none" },
    geoCode: null,
    locale,
    tooLarge: "applications.attachment.tooLarge",
  };
}

/**
 * « Ajouter »: streams one file into the store, checks that it is a real PDF, and records it on the draft in one
 * transaction that locks the application, so that a transmission or another upload cannot slip in between.
 */
export async function addAttachment(
  ctx: Ctx,
  deps: AttachmentDeps,
  target: AttachmentTarget,
  part: UploadPart | undefined,
  locale: Locale,
): Promise<{ ok: true; name: string } | AttachmentRefusal> {
  const actor = requireUser(ctx.actor);
  const checks = attachmentChecks(deps.maxFileBytes, locale);
  try {
    const stored = await storeCheckedUpload(deps.store, part, checks, (file) =>
      ctx.db.transaction().execute(async (trx) => {
        const application = await q.lockApplication(trx, target.applicationId);
        if (application.status !== "draft") throw new Refused({ key: "applications.alreadyTransmitted" });
        const full = roomLeft(target, await q.countAttachments(trx, target.applicationId));
        if (full) throw new Refused(full);
        const id = await q.insertAttachment(trx, {
          applicationId: target.applicationId,
          field: target.field.name,
          ...file,
          by: actor.userId,
          now: ctx.now,
        });
        await recordAudit(
          { ...ctx, db: trx },
          {
            action: "application.attachment.add",
            organizationId: target.organizationId,
            serviceId: target.serviceId,
            targetType: "application",
            targetId: target.number,
            details: {
              attachmentId: id,
              field: target.field.name,
              name: file.name,
              size: file.sizeBytes,
              sha256: file.sha256,
            },
          },
        );
        return id;
      }),
    );
    if (!stored.ok) return { ...stored, refusal: asAttachmentRefusal(stored.refusal, part?.filename ?? "") };
    return { ok: true, name: stored.name };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, status: 409, refusal: error.refusal };
    throw error;
  }
}

/** « Supprimer »: the attachment leaves the draft (its row stays for the versions) and its bytes leave the store. */
export async function removeAttachment(
  ctx: Ctx,
  deps: AttachmentDeps,
  service: RegistryService,
  number: number,
  attachmentId: number,
): Promise<{ ok: true; name: string | null } | AttachmentRefusal> {
  const actor = requireUser(ctx.actor);
  const { application } = await loadApplication(ctx, service, number, "application.edit");
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const locked = await q.lockApplication(trx, application.id);
    if (locked.status !== "draft") return null;
    const removed = await q.removeAttachment(trx, {
      applicationId: application.id,
      attachmentId,
      by: actor.userId,
      now: ctx.now,
    });
    if (!removed) return { removed: undefined };
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: "application.attachment.remove",
        organizationId: application.organization_id,
        serviceId: application.service_id,
        targetType: "application",
        targetId: application.number,
        details: { attachmentId, field: removed.field, name: removed.name },
      },
    );
    return { removed };
  });
  if (outcome === null)
    return { ok: false, status: 409, refusal: { key: "applications.alreadyTransmitted" } };
  if (!outcome.removed) return { ok: true, name: null };
  await deleteObjects(deps.store, [outcome.removed.storage_key]);
  return { ok: true, name: outcome.removed.name };
}

export type AttachmentDownload = { name: string; size: number; stream: Readable };

async function download(
  ctx: Ctx,
  deps: AttachmentDeps,
  application: { id: number; number: number; organization_id: number; service_id: number },
  attachmentId: number,
): Promise<AttachmentDownload> {
  const attachment = Number.isSafeInteger(attachmentId)
    ? await q.findCurrentAttachment(ctx.db, application.id, attachmentId)
    : undefined;
  if (!attachment) throw new AppError("not_found");
  const stream = await deps.store.openRead(attachment.storage_key);
  try {
    await recordAudit(ctx, {
      action: "application.attachment.download",
      organizationId: application.organization_id,
      serviceId: application.service_id,
      targetType: "application",
      targetId: application.number,
      details: { attachmentId, name: attachment.name },
    });
  } catch (error) {
    stream.destroy();
    throw error;
  }
  return { name: attachment.name, size: attachment.size_bytes, stream };
}

/** A current attachment, for whoever may read the application. */
export async function openAttachment(
  ctx: Ctx,
  deps: AttachmentDeps,
  service: RegistryService,
  number: number,
  attachmentId: number,
): Promise<AttachmentDownload> {
  const { application } = await loadApplication(ctx, service, number, "application.read");
  return download(ctx, deps, application, attachmentId);
}

/** An attachment of a transmitted application, for the owning ministry's service administrators. */
export async function openAttachmentAsMinistry(
  ctx: Ctx,
  deps: AttachmentDeps,
  number: number,
  attachmentId: number,
): Promise<AttachmentDownload> {
  const { application } = await getTransmittedForMinistry(ctx, number);
  return download(ctx, deps, application, attachmentId);
}

/**
 * « Créer une nouvelle version »: the new draft copies the transmitted application, its attachments included. The
 * copy happens once: under the new draft's lock, only while it has never held an attachment; a copied file whose
 * digest differs from its record is refused rather than carried over.
 */
export async function newVersionWithAttachments(
  ctx: Ctx,
  deps: AttachmentDeps,
  service: RegistryService,
  number: number,
): Promise<number> {
  const actor = requireUser(ctx.actor);
  const nextNumber = await newVersion(ctx, service, number);
  const previous = await q.findApplicationByNumber(ctx.db, number);
  const next = await q.findApplicationByNumber(ctx.db, nextNumber);
  if (!previous || !next) throw new AppError("not_found");
  const copied: string[] = [];
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const locked = await q.lockApplication(trx, next.id);
      if (locked.status !== "draft" || (await q.hasAnyAttachment(trx, next.id))) return;
      for (const attachment of await q.listStoredAttachments(trx, previous.id)) {
        const storageKey = await copyObject(deps.store, attachment.storage_key, attachment.sha256);
        copied.push(storageKey);
        await q.insertAttachment(trx, {
          applicationId: next.id,
          field: attachment.field,
          name: attachment.name,
          sizeBytes: attachment.size_bytes,
          sha256: attachment.sha256.toString("hex"),
          storageKey,
          by: actor.userId,
          now: ctx.now,
        });
      }
    });
  } catch (error) {
    await deleteObjects(deps.store, copied);
    throw error;
  }
  return nextNumber;
}

/** A stored object's bytes under a new key, through a temporary file, checked against the digest on record. */
async function copyObject(store: FileStore, key: string, sha256: Buffer): Promise<string> {
  const staged = await receiveToTemp(await store.openRead(key), store.tempDir, Number.MAX_SAFE_INTEGER);
  try {
    if (staged.sha256 !== sha256.toString("hex"))
      throw new Error(`stored object ${key} does not match its digest`);
    const copy = newStorageKey();
    await store.putFile(copy, staged.path);
    return copy;
  } finally {
    await rm(staged.path, { force: true });
  }
}
