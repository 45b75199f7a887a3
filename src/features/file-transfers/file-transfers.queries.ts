// SQL for file transfers: recipients, drafts and their staged files, transfers and their files, recipient staff.
import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema.js";

export const TRANSFER_SERVICE_CODE = "TRANSFERT-FICHIERS";

function recipientQuery(db: Kysely<DB>) {
  return db
    .selectFrom("transfer_recipient")
    .innerJoin("ministry_unit", "ministry_unit.id", "transfer_recipient.ministry_unit_id")
    .innerJoin("organization as ministry", "ministry.id", "transfer_recipient.ministry_id")
    .select([
      "ministry.name as ministry_name",
      "ministry.name_en as ministry_name_en",
      "ministry.acronym as ministry_acronym",
      "transfer_recipient.id",
      "transfer_recipient.code",
      "transfer_recipient.name",
      "transfer_recipient.name_en",
      "transfer_recipient.ministry_id",
      "transfer_recipient.instructions",
      "transfer_recipient.instructions_en",
      "transfer_recipient.allowed_extensions",
      "transfer_recipient.max_file_bytes",
      "transfer_recipient.name_rule",
      "ministry_unit.name as unit_name",
      "ministry_unit.name_en as unit_name_en",
    ]);
}

export type RecipientRow = Awaited<ReturnType<typeof listRecipients>>[number];

export async function listRecipients(db: Kysely<DB>) {
  return recipientQuery(db)
    .orderBy("transfer_recipient.sort_order")
    .orderBy("transfer_recipient.id")
    .execute();
}

export async function findRecipientByCode(db: Kysely<DB>, code: string) {
  return recipientQuery(db).where("transfer_recipient.code", "=", code).executeTakeFirst();
}

export async function findRecipientById(db: Kysely<DB>, id: number) {
  return recipientQuery(db).where("transfer_recipient.id", "=", id).executeTakeFirst();
}

/** The online service « Transfert de fichiers », which a restricted procuration may name. */
export async function findTransferService(db: Kysely<DB>) {
  return db
    .selectFrom("online_service")
    .select(["id", "ministry_id"])
    .where("code", "=", TRANSFER_SERVICE_CODE)
    .executeTakeFirst();
}

export async function findGeoCode(db: Kysely<DB>, organizationId: number): Promise<string | null> {
  const row = await db
    .selectFrom("organization")
    .select("geo_code")
    .where("id", "=", organizationId)
    .executeTakeFirst();
  return row?.geo_code ?? null;
}

// --- Drafts

export async function findOpenDraft(db: Kysely<DB>, userId: number, recipientId: number, now: Date) {
  return db
    .selectFrom("file_transfer_draft")
    .selectAll()
    .where("user_id", "=", userId)
    .where("recipient_id", "=", recipientId)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

export async function findDraftById(db: Kysely<DB>, draftId: number) {
  return db.selectFrom("file_transfer_draft").selectAll().where("id", "=", draftId).executeTakeFirst();
}

/** Locks an open draft for the transaction that sends it, so two submissions never both consume it. */
export async function lockOpenDraft(db: Kysely<DB>, draftId: number, now: Date) {
  return db
    .selectFrom("file_transfer_draft")
    .selectAll()
    .where("id", "=", draftId)
    .where("expires_at", ">", now)
    .forUpdate()
    .executeTakeFirst();
}

/** The user's draft for the recipient, made if missing (or expired), its expiry pushed back. */
export async function upsertDraft(
  db: Kysely<DB>,
  row: { userId: number; organizationId: number; recipientId: number; now: Date; expiresAt: Date },
): Promise<number> {
  const draft = await db
    .insertInto("file_transfer_draft")
    .values({
      user_id: row.userId,
      organization_id: row.organizationId,
      recipient_id: row.recipientId,
      created_at: row.now,
      expires_at: row.expiresAt,
    })
    .onConflict((oc) => oc.columns(["user_id", "recipient_id"]).doUpdateSet({ expires_at: row.expiresAt }))
    .returning("id")
    .executeTakeFirstOrThrow();
  return draft.id;
}

export async function listDraftFiles(db: Kysely<DB>, draftId: number) {
  return db
    .selectFrom("file_transfer_draft_file")
    .selectAll()
    .where("draft_id", "=", draftId)
    .orderBy("added_at")
    .orderBy("id")
    .execute();
}

export async function findDraftFile(db: Kysely<DB>, fileId: number) {
  return db
    .selectFrom("file_transfer_draft_file")
    .innerJoin("file_transfer_draft", "file_transfer_draft.id", "file_transfer_draft_file.draft_id")
    .select([
      "file_transfer_draft_file.id",
      "file_transfer_draft_file.name",
      "file_transfer_draft_file.storage_key",
      "file_transfer_draft.id as draft_id",
      "file_transfer_draft.user_id",
      "file_transfer_draft.organization_id",
      "file_transfer_draft.recipient_id",
    ])
    .where("file_transfer_draft_file.id", "=", fileId)
    .executeTakeFirst();
}

export type StagedFileRow = {
  draftId: number;
  name: string;
  sizeBytes: number;
  sha256: string;
  contentType: string;
  storageKey: string;
  now: Date;
};

/** Adds a file to a draft; a file of the same name is replaced, and the key of the one replaced comes back. */
export async function insertDraftFile(db: Kysely<DB>, file: StagedFileRow): Promise<string | null> {
  const replaced = await db
    .deleteFrom("file_transfer_draft_file")
    .where("draft_id", "=", file.draftId)
    .where("name", "=", file.name)
    .returning("storage_key")
    .executeTakeFirst();
  await db
    .insertInto("file_transfer_draft_file")
    .values({
      draft_id: file.draftId,
      name: file.name,
      size_bytes: file.sizeBytes,
      sha256: file.sha256,
      content_type: file.contentType,
      storage_key: file.storageKey,
      added_at: file.now,
    })
    .execute();
  return replaced?.storage_key ?? null;
}

export async function deleteDraftFile(db: Kysely<DB>, fileId: number): Promise<string | null> {
  const row = await db
    .deleteFrom("file_transfer_draft_file")
    .where("id", "=", fileId)
    .returning("storage_key")
    .executeTakeFirst();
  return row?.storage_key ?? null;
}

export async function deleteDraft(db: Kysely<DB>, draftId: number): Promise<void> {
  await db.deleteFrom("file_transfer_draft").where("id", "=", draftId).execute();
}

/**
 * Deletes the drafts expired at `now` (all of them, or one user's for one recipient) with their files; returns the
 * keys of the objects that no row names any more.
 */
export async function deleteExpiredDrafts(
  db: Kysely<DB>,
  now: Date,
  only?: { userId: number; recipientId: number },
): Promise<string[]> {
  let expired = db.selectFrom("file_transfer_draft").select("id").where("expires_at", "<=", now);
  if (only) expired = expired.where("user_id", "=", only.userId).where("recipient_id", "=", only.recipientId);
  const files = await db
    .deleteFrom("file_transfer_draft_file")
    .where("draft_id", "in", expired)
    .returning("storage_key")
    .execute();
  await db.deleteFrom("file_transfer_draft").where("id", "in", expired).execute();
  return files.map((f) => f.storage_key);
}

// --- Transfers

export async function insertTransfer(
  db: Kysely<DB>,
  row: { organizationId: number; recipientId: number; senderUserId: number; now: Date },
): Promise<{ id: number; confirmationNumber: number }> {
  const inserted = await db
    .insertInto("file_transfer")
    .values({
      organization_id: row.organizationId,
      recipient_id: row.recipientId,
      sender_user_id: row.senderUserId,
      sent_at: row.now,
      certified: true,
    })
    .returning(["id", "confirmation_number"])
    .executeTakeFirstOrThrow();
  return { id: inserted.id, confirmationNumber: inserted.confirmation_number };
}

/** Moves a draft's files to the transfer, in their order; the stored objects stay where they are. */
export async function copyDraftFilesToTransfer(db: Kysely<DB>, draftId: number, transferId: number) {
  return db
    .insertInto("file_transfer_file")
    .columns(["transfer_id", "position", "name", "size_bytes", "sha256", "content_type", "storage_key"])
    .expression(
      db
        .selectFrom("file_transfer_draft_file")
        .select([
          sql<number>`${transferId}::bigint`.as("transfer_id"),
          sql<number>`(row_number() over (order by added_at, id))::int`.as("position"),
          "name",
          "size_bytes",
          "sha256",
          "content_type",
          "storage_key",
        ])
        .where("draft_id", "=", draftId),
    )
    .returning(["id", "position", "name", "size_bytes", "sha256"])
    .execute();
}

function transferListQuery(db: Kysely<DB>) {
  return db
    .selectFrom("file_transfer")
    .innerJoin("transfer_recipient", "transfer_recipient.id", "file_transfer.recipient_id")
    .innerJoin("app_user as sender", "sender.id", "file_transfer.sender_user_id")
    .innerJoin("organization", "organization.id", "file_transfer.organization_id")
    .select([
      "file_transfer.id",
      "file_transfer.confirmation_number",
      "file_transfer.sent_at",
      "transfer_recipient.name as recipient_name",
      "transfer_recipient.name_en as recipient_name_en",
      "sender.user_code as sender_code",
      "sender.first_name as sender_first_name",
      "sender.last_name as sender_last_name",
      "organization.name as organization_name",
    ])
    .orderBy("file_transfer.sent_at", "desc")
    .orderBy("file_transfer.id", "desc");
}

export type TransferListRow = Awaited<ReturnType<typeof listTransfersOfOrganization>>[number];

/** The organization's transfers to recipients of the ministries given: the ones the actor may see, filtered here. */
export async function listTransfersOfOrganization(
  db: Kysely<DB>,
  organizationId: number,
  ministryIds: readonly number[],
  limit: number,
) {
  if (ministryIds.length === 0) return [];
  return transferListQuery(db)
    .where("file_transfer.organization_id", "=", organizationId)
    .where("transfer_recipient.ministry_id", "in", ministryIds)
    .limit(limit)
    .execute();
}

export async function listTransfersToRecipient(db: Kysely<DB>, recipientId: number, limit: number) {
  return transferListQuery(db).where("file_transfer.recipient_id", "=", recipientId).limit(limit).execute();
}

export async function listFilesOfTransfers(db: Kysely<DB>, transferIds: readonly number[]) {
  if (transferIds.length === 0) return [];
  return db
    .selectFrom("file_transfer_file")
    .select(["id", "transfer_id", "position", "name", "size_bytes", "sha256"])
    .where("transfer_id", "in", transferIds)
    .orderBy("transfer_id")
    .orderBy("position")
    .execute();
}

export async function findTransferFile(db: Kysely<DB>, fileId: number) {
  return db
    .selectFrom("file_transfer_file")
    .innerJoin("file_transfer", "file_transfer.id", "file_transfer_file.transfer_id")
    .innerJoin("transfer_recipient", "transfer_recipient.id", "file_transfer.recipient_id")
    .select([
      "file_transfer_file.id",
      "file_transfer_file.name",
      "file_transfer_file.size_bytes",
      "file_transfer_file.sha256",
      "file_transfer_file.content_type",
      "file_transfer_file.storage_key",
      "file_transfer.id as transfer_id",
      "file_transfer.confirmation_number",
      "file_transfer.organization_id",
      "file_transfer.recipient_id",
      "transfer_recipient.ministry_id",
    ])
    .where("file_transfer_file.id", "=", fileId)
    .executeTakeFirst();
}

// --- Recipient staff

export async function listRecipientIdsOfStaff(db: Kysely<DB>, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("transfer_recipient_staff")
    .select("recipient_id")
    .where("user_id", "=", userId)
    .execute();
  return rows.map((r) => r.recipient_id);
}

export async function assignRecipientStaff(
  db: Kysely<DB>,
  recipientId: number,
  userId: number,
  now: Date,
): Promise<void> {
  await db
    .insertInto("transfer_recipient_staff")
    .values({ recipient_id: recipientId, user_id: userId, assigned_at: now })
    .onConflict((oc) => oc.columns(["recipient_id", "user_id"]).doNothing())
    .execute();
}

// --- Clean-up

/** Of the keys given, those that a draft file, a transfer file or an application attachment names. */
export async function findReferencedKeys(db: Kysely<DB>, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom("file_transfer_draft_file")
    .select("storage_key")
    .where("storage_key", "in", keys)
    .unionAll(db.selectFrom("file_transfer_file").select("storage_key").where("storage_key", "in", keys))
    // Attachments of financial-aid applications live in the same store.
    .unionAll(db.selectFrom("application_attachment").select("storage_key").where("storage_key", "in", keys))
    .execute();
  return new Set(rows.map((r) => r.storage_key));
}

/** Where the sender's notification goes, and in which language. */
export async function findSenderContact(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("app_user")
    .select(["email", "locale"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
}
