// Files for the transfer tests, made by code (no binary fixtures): good PDFs and XLSX workbooks, and a corpus of bad ones.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createDeflateRaw, deflateRawSync } from "node:zlib";
import type { RecipientRules } from "../../src/features/file-transfers/file-checks.js";
import type { MessageKey } from "../../src/web/messages.js";

const MiB = 1024 * 1024;

/** The rules of « Plan de gestion des actifs en eau (PGA-Eau) », as seed 004 states them. */
export const PGA_EAU_RULES: RecipientRules = {
  allowedExtensions: ["pdf", "xlsx"],
  maxFileBytes: 104_857_600,
  nameRule: "geo_code_prefix",
};

// --- PDF ---

const PDF_HEADER = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n";
const PDF_OBJECTS = [
  "<< /Type /Catalog /Pages 2 0 R >>",
  "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
];

/**
 * Objects, cross-reference table and trailer of a one-page PDF whose objects start at offset `base`; every offset
 * takes ten characters (trailing spaces after startxref's), so the length never depends on `base`.
 */
function pdfBody(base: number): Buffer {
  let body = "";
  const offsets: number[] = [];
  PDF_OBJECTS.forEach((object, index) => {
    offsets.push(base + Buffer.byteLength(body, "latin1"));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = base + Buffer.byteLength(body, "latin1");
  const rows = offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  body += `xref\n0 ${PDF_OBJECTS.length + 1}\n0000000000 65535 f \n${rows}`;
  body += `trailer\n<< /Size ${PDF_OBJECTS.length + 1} /Root 1 0 R >>\nstartxref\n${String(xrefAt).padEnd(10, " ")}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/**
 * A valid one-page PDF of exactly `size` bytes, in chunks of at most 64 KiB, so that a 100 MB file is never
 * held whole: the header, then blank lines (whitespace a PDF allows between objects), then the objects.
 */
export function* pdfChunks(size?: number): Generator<Buffer> {
  const header = Buffer.from(PDF_HEADER, "latin1");
  const smallest = header.length + pdfBody(0).length;
  const target = size ?? smallest;
  if (target < smallest) throw new Error(`a PDF takes at least ${smallest} bytes`);
  yield header;
  const blank = Buffer.alloc(64 * 1024, "\n");
  for (let left = target - smallest; left > 0; left -= blank.length)
    yield blank.subarray(0, Math.min(left, blank.length));
  yield pdfBody(target - (smallest - header.length));
}

/** A valid PDF (one blank page); with a size, padded to exactly that many bytes. */
export function minimalPdf(size?: number): Buffer {
  return Buffer.concat([...pdfChunks(size)]);
}

/** A stream of a valid PDF of exactly `size` bytes, for uploads of the size limit and beyond. */
export function pdfStream(size: number): Readable {
  return Readable.from(pdfChunks(size), { objectMode: false });
}

/** A PDF whose first bytes are PostScript's, not %PDF-. */
export function pdfWithWrongMagic(): Buffer {
  const pdf = minimalPdf();
  pdf.write("%!PS-", 0, "latin1");
  return pdf;
}

/** A PDF cut before its end: no %%EOF. */
export function truncatedPdf(): Buffer {
  const pdf = minimalPdf();
  return pdf.subarray(0, pdf.lastIndexOf("startxref"));
}

// --- Executables ---

/** The start of a 64-bit Linux ELF executable. */
export function elfExecutable(): Buffer {
  const file = Buffer.alloc(256);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(file, 0);
  file.writeUInt16LE(2, 16); // ET_EXEC
  file.writeUInt16LE(0x3e, 18); // x86-64
  return file;
}

/** The start of a Windows PE executable: the MZ stub pointing at the PE signature. */
export function windowsExecutable(): Buffer {
  const file = Buffer.alloc(256);
  file.write("MZ", 0, "latin1");
  file.writeUInt32LE(0x40, 0x3c);
  file.write("PE\0\0", 0x40, "latin1");
  return file;
}

/** Deterministic bytes that look random (SHA-256 in counter mode): no magic number by chance. */
export function noise(size: number, seed = 1): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * 32 < size; counter++) {
    blocks.push(createHash("sha256").update(`${seed}:${counter}`).digest());
  }
  const bytes = Buffer.concat(blocks).subarray(0, size);
  bytes[0] = 0x42; // never PK, MZ or ELF
  return bytes;
}

// --- ZIP ---

export type ZipEntrySpec = {
  name: string;
  data: string | Buffer;
  /** Deflate unless told; stored entries keep their bytes as they are. */
  method?: "store" | "deflate";
  /** Sets the "encrypted" flag (the bytes themselves are not encrypted). */
  encrypted?: boolean;
  /** An uncompressed size to declare instead of the true one: headers that lie. */
  declaredSize?: number;
};

type RawEntry = {
  name: Buffer;
  method: number;
  flags: number;
  crc: number;
  size: number;
  compressed: Buffer;
};

const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;
const FLAG_UTF8 = 0x0800;

function rawEntry(spec: ZipEntrySpec): RawEntry {
  const data = typeof spec.data === "string" ? Buffer.from(spec.data, "utf8") : spec.data;
  const store = spec.method === "store";
  return {
    name: Buffer.from(spec.name, "utf8"),
    method: store ? 0 : 8,
    flags: FLAG_UTF8 | (spec.encrypted ? 1 : 0),
    crc: crc32(data),
    size: spec.declaredSize ?? data.length,
    compressed: store ? data : deflateRawSync(data),
  };
}

function writeZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags, 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.compressed.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(entry.name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    local.copy(central, 6, 4, 30); // version needed … name length, extra length: the same fields
    central.writeUInt32LE(offset, 42);
    locals.push(local, entry.name, entry.compressed);
    centrals.push(central, entry.name);
    offset += local.length + entry.name.length + entry.compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A ZIP archive of the given entries, written by this tiny writer (stored or deflated, with true CRC-32s). */
export function zipArchive(entries: readonly ZipEntrySpec[]): Buffer {
  return writeZip(entries.map(rawEntry));
}

// --- XLSX ---

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
export const WORKBOOK_CONTENT_TYPE =
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
export const MACRO_WORKBOOK_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";

/** The [Content_Types].xml of a one-sheet workbook, with the workbook's content type and any extra declarations. */
export function contentTypesXml(workbookType = WORKBOOK_CONTENT_TYPE, extra = ""): string {
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `${extra}<Override PartName="/xl/workbook.xml" ContentType="${workbookType}"/>` +
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
    "</Types>"
  );
}

/** The five parts of a minimal one-sheet workbook, A1 holding `cell`. */
export function xlsxParts(contentTypes = contentTypesXml(), cell = "Formulaire"): ZipEntrySpec[] {
  return [
    { name: "[Content_Types].xml", data: contentTypes },
    {
      name: "_rels/.rels",
      data: `${XML_HEAD}<Relationships xmlns="${RELATIONSHIPS}"><Relationship Id="rId1" Type="${OFFICE_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: "xl/workbook.xml",
      data: `${XML_HEAD}<workbook xmlns="${SPREADSHEET}" xmlns:r="${OFFICE_RELATIONSHIPS}"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: `${XML_HEAD}<Relationships xmlns="${RELATIONSHIPS}"><Relationship Id="rId1" Type="${OFFICE_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    {
      name: "xl/worksheets/sheet1.xml",
      data: `${XML_HEAD}<worksheet xmlns="${SPREADSHEET}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${cell}</t></is></c></row></sheetData></worksheet>`,
    },
  ];
}

/** A valid minimal XLSX workbook (a real OOXML zip). */
export function minimalXlsx(cell?: string): Buffer {
  return zipArchive(xlsxParts(contentTypesXml(), cell));
}

/** An .xlsm in disguise: a VBA project part, declared as such. */
export function xlsxWithMacroPart(): Buffer {
  const declaration = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>';
  return zipArchive([
    ...xlsxParts(contentTypesXml(WORKBOOK_CONTENT_TYPE, declaration)),
    { name: "xl/vbaProject.bin", data: noise(512) },
  ]);
}

/** A workbook without a VBA part whose content types declare a macro-enabled workbook. */
export function xlsxMacroEnabled(): Buffer {
  return zipArchive(xlsxParts(contentTypesXml(MACRO_WORKBOOK_CONTENT_TYPE)));
}

/** A well-formed zip with every part but xl/workbook.xml. */
export function xlsxWithoutWorkbook(): Buffer {
  return zipArchive(xlsxParts().filter((part) => part.name !== "xl/workbook.xml"));
}

/** A workbook with one extra entry, e.g. an unsafe name or an encrypted part. */
export function xlsxWithEntry(entry: ZipEntrySpec): Buffer {
  return zipArchive([...xlsxParts(), entry]);
}

/**
 * A workbook whose [Content_Types].xml inflates to `actualBytes` (default 2 MiB) while both headers declare
 * its true-looking small size: only the inflate itself can catch it.
 */
export function xlsxWithLyingContentTypes(actualBytes = 2 * MiB): Buffer {
  const honest = contentTypesXml();
  const padded = honest.replace(
    "</Types>",
    `<!--${" ".repeat(Math.max(actualBytes - honest.length - 7, 0))}--></Types>`,
  );
  const [contentTypes, ...rest] = xlsxParts(padded);
  if (!contentTypes) throw new Error("xlsxParts lost [Content_Types].xml");
  return zipArchive([{ ...contentTypes, declaredSize: honest.length }, ...rest]);
}

/**
 * A zip bomb shaped as an XLSX: a valid workbook plus an entry of `uncompressedBytes` zeros (default 200 MiB),
 * deflated as a stream so that the zeros are never allocated whole. The archive itself is a few hundred KB.
 */
export async function zipBombXlsx(uncompressedBytes = 200 * MiB): Promise<Buffer> {
  const zeros = Buffer.alloc(MiB);
  let crc = 0;
  function* source(): Generator<Buffer> {
    for (let left = uncompressedBytes; left > 0; left -= zeros.length) {
      const piece = zeros.subarray(0, Math.min(left, zeros.length));
      crc = crc32(piece, crc);
      yield piece;
    }
  }
  const compressed: Buffer[] = [];
  await pipeline(
    Readable.from(source()),
    createDeflateRaw({ level: 9 }),
    async (deflated: AsyncIterable<Buffer>) => {
      for await (const chunk of deflated) compressed.push(chunk);
    },
  );
  const bomb: RawEntry = {
    name: Buffer.from("xl/sharedStrings.xml"),
    method: 8,
    flags: FLAG_UTF8,
    crc,
    size: uncompressedBytes,
    compressed: Buffer.concat(compressed),
  };
  return writeZip([...xlsxParts().map(rawEntry), bomb]);
}

// --- Names and the corpus ---

/** A geoCode that is not `geoCode`, for the wrong-prefix case. */
function otherGeoCode(geoCode: string): string {
  return geoCode === "99999" ? "11111" : "99999";
}

/** Names the PGA-Eau rules accept for a sender of this geoCode (NFC and NFD spellings both). */
export function goodFileNames(geoCode: string): string[] {
  return [
    `${geoCode} Démarche.pdf`,
    `${geoCode} Résolution.pdf`.normalize("NFD"),
    `${geoCode} Plan d'intervention.xlsx`,
    `${geoCode} Plan d'intervention.xlsx`.normalize("NFD"),
  ];
}

export type BadFile = { label: string; name: string; content: Buffer; key: MessageKey };

/** Names refused under the PGA-Eau rules, each with a valid PDF body, and the refusal each must meet. */
export function badFileNames(geoCode: string): BadFile[] {
  const pdf = minimalPdf();
  const named = (label: string, name: string, key: MessageKey, content = pdf): BadFile => ({
    label,
    name,
    content,
    key,
  });
  return [
    named("a parent path (../)", `../${geoCode} Démarche.pdf`, "fileCheck.namePathSeparator"),
    named("a Windows path (..\\)", `..\\${geoCode} Démarche.pdf`, "fileCheck.namePathSeparator"),
    named("a NUL character", `${geoCode} Démarche\u0000.pdf`, "fileCheck.nameControlCharacters"),
    named("a CR/LF", `${geoCode} Démarche\r\n.pdf`, "fileCheck.nameControlCharacters"),
    named("a right-to-left override", `${geoCode} Démarche\u202efdp.exe`, "fileCheck.nameBidiCharacters"),
    named(
      "300 characters",
      `${geoCode} ${"D".repeat(300 - geoCode.length - 5)}.pdf`,
      "fileCheck.nameTooLong",
    ),
    named("the wrong geoCode prefix", `${otherGeoCode(geoCode)} Démarche.pdf`, "fileCheck.nameGeoCodePrefix"),
    named("no geoCode prefix", "Démarche.pdf", "fileCheck.nameGeoCodePrefix"),
    named("no document type", `${geoCode}.pdf`, "fileCheck.nameDocumentTypeMissing"),
    named("a hidden name", `.${geoCode} Démarche.pdf`, "fileCheck.nameEdge"),
    named("an .exe", `${geoCode} Démarche.exe`, "fileCheck.extensionNotAllowed", windowsExecutable()),
    named("a .docx", `${geoCode} Démarche.docx`, "fileCheck.extensionNotAllowed"),
  ];
}

/** Files whose names pass the PGA-Eau rules but whose content must be refused. */
export async function badFileContents(
  geoCode: string,
  options: { bombBytes?: number } = {},
): Promise<BadFile[]> {
  const pdfName = `${geoCode} Démarche.pdf`;
  const xlsxName = `${geoCode} Formulaire.xlsx`;
  const file = (label: string, name: string, content: Buffer, key: MessageKey): BadFile => ({
    label,
    name,
    content,
    key,
  });
  return [
    file("an ELF executable renamed .pdf", pdfName, elfExecutable(), "fileCheck.executable"),
    file("a Windows executable renamed .pdf", pdfName, windowsExecutable(), "fileCheck.executable"),
    file("a PDF with the wrong magic bytes", pdfName, pdfWithWrongMagic(), "fileCheck.pdfMagic"),
    file("a PDF without its end", pdfName, truncatedPdf(), "fileCheck.pdfNoEnd"),
    file("an empty file", pdfName, Buffer.alloc(0), "fileCheck.empty"),
    file("an XLSX with a macro part", xlsxName, xlsxWithMacroPart(), "fileCheck.xlsxMacro"),
    file("an XLSX declared macroEnabled", xlsxName, xlsxMacroEnabled(), "fileCheck.xlsxMacro"),
    file(
      "a zip bomb shaped as an XLSX",
      xlsxName,
      await zipBombXlsx(options.bombBytes),
      "fileCheck.xlsxZipBomb",
    ),
    file("a bomb whose headers lie", xlsxName, xlsxWithLyingContentTypes(), "fileCheck.xlsxZipBomb"),
    file("random bytes named .xlsx", xlsxName, noise(4096), "fileCheck.xlsxNotZip"),
    file("a zip without xl/workbook.xml", xlsxName, xlsxWithoutWorkbook(), "fileCheck.xlsxMissingPart"),
    file(
      "an XLSX with an encrypted part",
      xlsxName,
      xlsxWithEntry({ name: "xl/styles.xml", data: noise(64), encrypted: true }),
      "fileCheck.xlsxEncrypted",
    ),
    file(
      "an XLSX with a ../ entry",
      xlsxName,
      xlsxWithEntry({ name: "../../evil.sh", data: "#!/bin/sh\n" }),
      "fileCheck.xlsxUnsafeEntryName",
    ),
  ];
}

/** The whole corpus: bad names, then bad contents. */
export async function badFileCorpus(
  geoCode: string,
  options: { bombBytes?: number } = {},
): Promise<BadFile[]> {
  return [
    ...badFileNames(geoCode),
    // A name with CR/LF as a browser sends it: the HTML standard escapes CR, LF and « " » in multipart headers, and
    // the upload reads them back before the name is checked (formDataFileName).
    {
      label: "a CR/LF, as a browser sends it",
      name: `${geoCode} Démarche%0D%0A.pdf`,
      content: minimalPdf(),
      key: "fileCheck.nameControlCharacters",
    },
    ...(await badFileContents(geoCode, options)),
  ];
}
