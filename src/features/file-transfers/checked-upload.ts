// One uploaded file, kept only once checked: its name before a byte is read, then its bytes streamed to a temporary
// file (hashed, counted, cut off past the limit, fsynced), its content, the move into the store, and the caller's
// record. A refusal, or a record that fails, leaves nothing stored. File transfers and application attachments use it.
import { rm } from "node:fs/promises";
import type { Readable } from "node:stream";
import { type FileStore, newStorageKey, receiveToTemp, TooLargeError } from "../../storage/file-store.js";
import { type Locale, type MessageKey, type Params, translator } from "../../web/messages.js";
import { checkFileContent, checkFileName, type RecipientRules } from "./file-checks.js";
import { formatSize } from "./file-size.js";

export type Refusal = { key: MessageKey; params?: Params };
export type UploadPart = { filename: string; stream: Readable };
export type StoredFile = { name: string; sizeBytes: number; sha256: string; storageKey: string };
export type CheckedUpload<T> =
  | { ok: true; name: string; value: T }
  | { ok: false; status: 400 | 413; refusal: Refusal };

export type UploadChecks = {
  rules: RecipientRules;
  geoCode: string | null;
  locale: Locale;
  /** The refusal of a file over rules.maxFileBytes; it receives the name and the limit as « max ». */
  tooLarge: MessageKey;
};

/**
 * busboy's buffers for an upload: its default of 16 KiB is a quarter of one socket read, so the request was paused
 * and resumed at every read of a large file. 256 KiB lets four reads queue while the file is hashed and written.
 */
export const UPLOAD_BUFFERS = { highWaterMark: 256 * 1024, fileHwm: 256 * 1024 } as const;

/**
 * A file name as the sender's system wrote it. Browsers cannot put a line break or a quote inside the multipart
 * header, so the HTML standard has them send LF, CR and « " » as %0A, %0D and %22 (and nothing else escaped): the
 * name is read back the same way, so that a name with a line break is refused by name like any other bad name.
 * A client that sends a raw line break (RFC 5987 filename*) never gets here: busboy drops such a part, and the
 * form is refused as having no file.
 */
export function formDataFileName(sent: string): string {
  return sent.replace(/%0A/gi, "\n").replace(/%0D/gi, "\r").replace(/%22/gi, '"').normalize("NFC");
}

/** Removes stored objects; one left behind has no record, and the clean-up at the next start removes it. */
export async function deleteObjects(store: FileStore, keys: readonly string[]): Promise<void> {
  await Promise.all(keys.map((key) => store.delete(key).catch(() => undefined)));
}

/** Streams, checks and stores one file, then hands it to `record`; if record throws, the stored object goes. */
export async function storeCheckedUpload<T>(
  store: FileStore,
  part: UploadPart | undefined,
  checks: UploadChecks,
  record: (file: StoredFile) => Promise<T>,
): Promise<CheckedUpload<T>> {
  if (!part || part.filename === "") {
    part?.stream.resume();
    return { ok: false, status: 400, refusal: { key: "fileTransfers.refusal.noFile" } };
  }
  const name = formDataFileName(part.filename);
  const nameRefusal = checkFileName(name, checks.rules, checks.geoCode);
  if (nameRefusal) {
    part.stream.destroy();
    return { ok: false, status: 400, refusal: nameRefusal };
  }
  const limit = checks.rules.maxFileBytes;
  let staged: Awaited<ReturnType<typeof receiveToTemp>>;
  try {
    staged = await receiveToTemp(part.stream, store.tempDir, limit);
  } catch (error) {
    if (!(error instanceof TooLargeError)) throw error;
    const max = formatSize(limit, translator(checks.locale), checks.locale);
    return { ok: false, status: 413, refusal: { key: checks.tooLarge, params: { name, max } } };
  }
  try {
    if (staged.size === 0)
      return { ok: false, status: 400, refusal: { key: "fileTransfers.refusal.empty", params: { name } } };
    const contentRefusal = await checkFileContent(staged.path, name, staged.size);
    if (contentRefusal) return { ok: false, status: 400, refusal: contentRefusal };
    const storageKey = newStorageKey();
    await store.putFile(storageKey, staged.path);
    try {
      const value = await record({ name, sizeBytes: staged.size, sha256: staged.sha256, storageKey });
      return { ok: true, name, value };
    } catch (error) {
      await deleteObjects(store, [storageKey]);
      throw error;
    }
  } finally {
    await rm(staged.path, { force: true });
  }
}
