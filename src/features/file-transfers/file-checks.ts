// The checks of a transferred file: its name against the recipient's rules, its stored bytes against its extension.

import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import type { MessageKey } from "../../web/messages.js";
import {
  DEFAULT_ZIP_LIMITS,
  readAt,
  readCentralDirectory,
  readEntry,
  type ZipEntry,
  type ZipLimits,
  type ZipProblem,
} from "./zip-inspect.js";

export { DEFAULT_ZIP_LIMITS, type ZipLimits } from "./zip-inspect.js";

export type NameRule = "none" | "geo_code_prefix";
export type RecipientRules = {
  /** Lower-case, without the dot, e.g. ["pdf", "xlsx"]. */
  allowedExtensions: readonly string[];
  maxFileBytes: number;
  nameRule: NameRule;
};
export type FileRefusal = { key: MessageKey; params: { name: string } & Record<string, string | number> };

export const MAX_NAME_CHARACTERS = 255;
/** Longer names are cut in messages: the refusal must stay readable. */
const DISPLAY_CHARACTERS = 80;
/** [Content_Types].xml is a few kilobytes; a megabyte of it is not a workbook. */
const CONTENT_TYPES_MAX_BYTES = 1024 * 1024;
const PDF_TRAILER_WINDOW = 1024;
const MiB = 1024 * 1024;

// Unicode category Cc is C0, DEL and C1; Cs matches a lone surrogate; then the line and paragraph separators.
const CONTROL_CHARACTERS = "\\p{Cc}\\p{Cs}\\u2028\\u2029";
// Marks, embeddings, overrides and isolates that reorder text, and invisible characters that can hide a name's end.
const BIDI_OR_INVISIBLE_CHARACTERS =
  "\\u061c\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff";
const CONTROL = new RegExp(`[${CONTROL_CHARACTERS}]`, "u");
const BIDI_OR_INVISIBLE = new RegExp(`[${BIDI_OR_INVISIBLE_CHARACTERS}]`, "u");
const UNSHOWABLE = new RegExp(`[${CONTROL_CHARACTERS}${BIDI_OR_INVISIBLE_CHARACTERS}]`, "gu");

function refusal(key: MessageKey, name: string, params: Record<string, string | number> = {}): FileRefusal {
  return { key, params: { ...params, name: displayName(name) } };
}

/** The name as a message may show it: unshowable characters replaced, and cut when very long. */
export function displayName(name: string): string {
  const shown = [...name.replace(UNSHOWABLE, "\ufffd")];
  return shown.length > DISPLAY_CHARACTERS
    ? `${shown.slice(0, DISPLAY_CHARACTERS).join("")}…`
    : shown.join("");
}

/** The form in which a name is checked and kept: Unicode NFC, so « é » typed two ways is one name. */
export function normalizeFileName(name: string): string {
  return name.normalize("NFC");
}

/** The extension of a name that passed checkFileName, lower-case without the dot. */
export function extensionOf(name: string): string {
  const normalized = normalizeFileName(name);
  const dot = normalized.lastIndexOf(".");
  return dot < 0 ? "" : normalized.slice(dot + 1).toLowerCase();
}

function listExtensions(extensions: readonly string[]): string {
  return extensions.map((extension) => extension.toUpperCase()).join(", ");
}

/** Checks the name as the sender gave it. geoCode is the sender organization's geoCode (null for a body). */
export function checkFileName(
  name: string,
  rules: RecipientRules,
  geoCode: string | null,
): FileRefusal | null {
  const normalized = normalizeFileName(name);
  if (normalized.trim() === "") return refusal("fileCheck.nameEmpty", normalized);
  if (CONTROL.test(normalized)) return refusal("fileCheck.nameControlCharacters", normalized);
  if (BIDI_OR_INVISIBLE.test(normalized)) return refusal("fileCheck.nameBidiCharacters", normalized);
  if ([...normalized].length > MAX_NAME_CHARACTERS) {
    return refusal("fileCheck.nameTooLong", normalized, { max: MAX_NAME_CHARACTERS });
  }
  // A name is a name, never a path: no folder, no parent (« .. » begins with a dot, refused just below).
  if (/[/\\]/.test(normalized)) return refusal("fileCheck.namePathSeparator", normalized);
  if (normalized.startsWith(".") || /^\s|\s$/u.test(normalized))
    return refusal("fileCheck.nameEdge", normalized);

  const allowed = listExtensions(rules.allowedExtensions);
  const dot = normalized.lastIndexOf(".");
  if (dot < 0 || dot === normalized.length - 1) {
    return refusal("fileCheck.nameNoExtension", normalized, { allowed });
  }
  const extension = extensionOf(normalized);
  if (!rules.allowedExtensions.includes(extension)) {
    return refusal("fileCheck.extensionNotAllowed", normalized, { extension: `.${extension}`, allowed });
  }
  if (rules.nameRule === "geo_code_prefix") return checkGeoCodePrefix(normalized, dot, extension, geoCode);
  return null;
}

/** « <geoCode> <document type>.<ext> »: the sender's geoCode, one space, then a document type. */
function checkGeoCodePrefix(
  name: string,
  dot: number,
  extension: string,
  geoCode: string | null,
): FileRefusal | null {
  if (geoCode === null) return refusal("fileCheck.nameRuleNeedsGeoCode", name);
  const base = name.slice(0, dot);
  const params = { geoCode, extension };
  if (base === geoCode || base.trim() === geoCode)
    return refusal("fileCheck.nameDocumentTypeMissing", name, params);
  const prefix = `${geoCode} `;
  if (!base.startsWith(prefix) || /^\s/u.test(base.slice(prefix.length))) {
    return refusal("fileCheck.nameGeoCodePrefix", name, params);
  }
  return null;
}

/** Checks the stored bytes (a complete file on disk) agree with the extension. size is the file's size in bytes. */
export async function checkFileContent(
  path: string,
  name: string,
  size: number,
  limits: Partial<ZipLimits> = {},
): Promise<FileRefusal | null> {
  if (size === 0) return refusal("fileCheck.empty", name);
  const extension = extensionOf(name);
  const handle = await open(path, "r");
  try {
    const actualSize = (await handle.stat()).size;
    if (actualSize !== size)
      throw new Error(`checkFileContent: the file holds ${actualSize} bytes, not ${size}`);
    const head = await readAt(handle, 0, Math.min(size, 8));
    if (isExecutable(head))
      return refusal("fileCheck.executable", name, { extension: extension.toUpperCase() });
    switch (extension) {
      case "pdf":
        return await checkPdf(handle, name, size, head);
      case "xlsx":
        return await checkXlsx(handle, name, size, head, { ...DEFAULT_ZIP_LIMITS, ...limits });
      default:
        return refusal("fileCheck.typeUnsupported", name, { extension: `.${extension}` });
    }
  } finally {
    await handle.close();
  }
}

/** Windows (MZ), ELF, Mach-O and script (#!) executables, by their first bytes. */
function isExecutable(head: Buffer): boolean {
  const start = head.subarray(0, 2).toString("latin1");
  if (start === "MZ" || start === "#!") return true;
  const magic = head.length >= 4 ? head.readUInt32BE(0) : 0;
  return [0x7f454c46, 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic);
}

async function checkPdf(
  handle: FileHandle,
  name: string,
  size: number,
  head: Buffer,
): Promise<FileRefusal | null> {
  if (!/^%PDF-\d/.test(head.toString("latin1"))) return refusal("fileCheck.pdfMagic", name);
  const windowBytes = Math.min(size, PDF_TRAILER_WINDOW);
  const tail = await readAt(handle, size - windowBytes, windowBytes);
  if (!tail.includes("%%EOF", 0, "latin1")) return refusal("fileCheck.pdfNoEnd", name);
  return null;
}

const ZIP_REFUSALS: Record<ZipProblem, MessageKey> = {
  not_zip: "fileCheck.xlsxNotZip",
  malformed: "fileCheck.xlsxInvalid",
  zip64: "fileCheck.xlsxInvalid",
  unsupported_method: "fileCheck.xlsxInvalid",
  duplicate_name: "fileCheck.xlsxInvalid",
  encrypted: "fileCheck.xlsxEncrypted",
  unsafe_name: "fileCheck.xlsxUnsafeEntryName",
  too_many_entries: "fileCheck.xlsxTooManyEntries",
  too_large: "fileCheck.xlsxTooLarge",
  ratio: "fileCheck.xlsxZipBomb",
  inflate_overflow: "fileCheck.xlsxZipBomb",
};

function zipRefusal(problem: ZipProblem, name: string, limits: ZipLimits): FileRefusal {
  const key = ZIP_REFUSALS[problem];
  if (key === "fileCheck.xlsxTooManyEntries") return refusal(key, name, { max: limits.maxEntries });
  if (key === "fileCheck.xlsxTooLarge")
    return refusal(key, name, { max: Math.floor(limits.maxUncompressedBytes / MiB) });
  return refusal(key, name);
}

/** A VBA project (any case, any folder) or an Excel 4.0 macro sheet. */
function isMacroPart(entryName: string): boolean {
  const lower = entryName.toLowerCase();
  const base = lower.slice(lower.lastIndexOf("/") + 1);
  return (base.startsWith("vbaproject") && base.endsWith(".bin")) || lower.startsWith("xl/macrosheets/");
}

const MACRO_CONTENT_TYPE = /macroenabled|vnd\.ms-office\.vbaproject|vnd\.ms-excel\.(?:intl)?macrosheet/i;
const WORKBOOK_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";

async function checkXlsx(
  handle: FileHandle,
  name: string,
  size: number,
  head: Buffer,
  limits: ZipLimits,
): Promise<FileRefusal | null> {
  // An OOXML package starts with its first local header: nothing (such as a program) may come before.
  if (head.length < 4 || head.readUInt32LE(0) !== 0x04034b50) return refusal("fileCheck.xlsxNotZip", name);
  const directory = await readCentralDirectory(handle, size, limits);
  if (!directory.ok) return zipRefusal(directory.problem, name, limits);
  const { entries } = directory;
  if (entries.some((entry) => isMacroPart(entry.name))) return refusal("fileCheck.xlsxMacro", name);

  const find = (part: string): ZipEntry | undefined =>
    entries.find((entry) => entry.name.toLowerCase() === part.toLowerCase());
  const contentTypes = find("[Content_Types].xml");
  if (!contentTypes) return refusal("fileCheck.xlsxMissingPart", name, { part: "[Content_Types].xml" });
  if (!find("xl/workbook.xml"))
    return refusal("fileCheck.xlsxMissingPart", name, { part: "xl/workbook.xml" });

  const read = await readEntry(handle, directory, contentTypes, CONTENT_TYPES_MAX_BYTES);
  if (!read.ok) return zipRefusal(read.problem, name, limits);
  const declared = decodeXml(read.data);
  if (MACRO_CONTENT_TYPE.test(declared)) return refusal("fileCheck.xlsxMacro", name);
  if (!declared.includes(WORKBOOK_CONTENT_TYPE)) return refusal("fileCheck.xlsxNotWorkbook", name);
  return null;
}

/** XML parts are UTF-8, or UTF-16 when they open with its byte-order mark. */
function decodeXml(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString("utf16le");
  if (data[0] === 0xfe && data[1] === 0xff)
    return Buffer.from(data.subarray(2, data.length - (data.length % 2)))
      .swap16()
      .toString("utf16le");
  return data.toString("utf8");
}
