// Tests for the file checks: names against the recipient's rules, stored bytes against the extension, the bad-file corpus.
import assert from "node:assert/strict";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import {
  badFileContents,
  badFileNames,
  contentTypesXml,
  elfExecutable,
  goodFileNames,
  minimalPdf,
  minimalXlsx,
  noise,
  PGA_EAU_RULES,
  pdfChunks,
  pdfWithWrongMagic,
  truncatedPdf,
  windowsExecutable,
  xlsxMacroEnabled,
  xlsxParts,
  xlsxWithEntry,
  xlsxWithLyingContentTypes,
  xlsxWithMacroPart,
  xlsxWithoutWorkbook,
  zipArchive,
  zipBombXlsx,
} from "../../../test/support/bad-files.js";
import { allCatalogues } from "../../web/messages.js";
import { formDataFileName } from "./checked-upload.js";
import {
  checkFileContent,
  checkFileName,
  DEFAULT_ZIP_LIMITS,
  extensionOf,
  type FileRefusal,
  type RecipientRules,
  type ZipLimits,
} from "./file-checks.js";

const GEO = "23027";
const OPEN_RULES: RecipientRules = {
  allowedExtensions: ["pdf", "xlsx"],
  maxFileBytes: 1000,
  nameRule: "none",
};

let dir = "";
let fileCount = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "file-checks-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Stores the bytes as the transfer would, then checks them under `name`. */
async function checkBytes(
  name: string,
  bytes: Buffer,
  limits?: Partial<ZipLimits>,
): Promise<FileRefusal | null> {
  const path = join(dir, `file-${++fileCount}`);
  await writeFile(path, bytes);
  return checkFileContent(path, name, bytes.length, limits);
}

function nameKey(name: string, geoCode: string | null = GEO, rules = PGA_EAU_RULES): string | null {
  return checkFileName(name, rules, geoCode)?.key ?? null;
}

async function contentKey(name: string, bytes: Buffer, limits?: Partial<ZipLimits>): Promise<string | null> {
  return (await checkBytes(name, bytes, limits))?.key ?? null;
}

describe("file names", () => {
  test("the names of seed 004 are accepted, in NFC and in NFD", () => {
    for (const name of goodFileNames(GEO)) assert.equal(nameKey(name), null, JSON.stringify(name));
    assert.equal(nameKey("23027 Démarche.pdf"), null);
    assert.equal(nameKey("23027 Plan d'intervention.xlsx".normalize("NFD")), null);
    assert.equal(nameKey("23027 Formulaire.XLSX"), null);
  });

  test("every bad name of the corpus is refused with its own reason", () => {
    for (const bad of badFileNames(GEO)) {
      assert.equal(nameKey(bad.name), bad.key, bad.label);
    }
  });

  test("a path with ../ or a backslash is refused as a path", () => {
    assert.equal(nameKey("../23027 Démarche.pdf"), "fileCheck.namePathSeparator");
    assert.equal(nameKey("23027 x/../../etc/passwd.pdf"), "fileCheck.namePathSeparator");
    assert.equal(nameKey("C:\\Users\\x\\23027 Démarche.pdf"), "fileCheck.namePathSeparator");
    assert.equal(nameKey("..", GEO, OPEN_RULES), "fileCheck.nameEdge");
  });

  test("NUL, CR/LF, tab, DEL and C1 controls are refused", () => {
    for (const control of ["\u0000", "\r\n", "\n", "\t", "\u007f", "\u0085", "\u009b", "\u2028"]) {
      assert.equal(
        nameKey(`23027 Démarche${control}.pdf`),
        "fileCheck.nameControlCharacters",
        JSON.stringify(control),
      );
    }
  });

  test("a lone surrogate is refused as a control character", () => {
    assert.equal(nameKey("23027 D\ud800marche.pdf"), "fileCheck.nameControlCharacters");
  });

  test("the right-to-left override and the other bidi controls are refused", () => {
    // Displays as « 23027 Démarcheexe.pdf » while the real extension is .exe.
    assert.equal(nameKey("23027 Démarche\u202efdp.exe"), "fileCheck.nameBidiCharacters");
    assert.equal(nameKey("23027 Démarche\u202efdp.exe", GEO, OPEN_RULES), "fileCheck.nameBidiCharacters");
    for (const mark of ["\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"]) {
      assert.equal(
        nameKey(`23027 Dé${mark}marche.pdf`),
        "fileCheck.nameBidiCharacters",
        JSON.stringify(mark),
      );
    }
    for (const mark of ["\u200e", "\u200f", "\u061c"]) {
      assert.equal(
        nameKey(`23027 Dé${mark}marche.pdf`),
        "fileCheck.nameBidiCharacters",
        JSON.stringify(mark),
      );
    }
  });

  test("a name of 300 characters is refused; one of 255 is accepted", () => {
    const long = `23027 ${"D".repeat(290)}.pdf`;
    assert.equal(long.length, 300);
    const refusal = checkFileName(long, PGA_EAU_RULES, GEO);
    assert.equal(refusal?.key, "fileCheck.nameTooLong");
    assert.equal(refusal?.params.max, 255);
    assert.ok((refusal?.params.name.length ?? 0) < 100, "the message shows a shortened name");
    const longest = `23027 ${"D".repeat(245)}.pdf`;
    assert.equal(longest.length, 255);
    assert.equal(nameKey(longest), null);
  });

  test("the length is counted in characters after NFC: 255 decomposed « é » pass", () => {
    const name = `23027 ${"é".repeat(245)}.pdf`.normalize("NFD");
    assert.ok(name.length > 255);
    assert.equal(nameKey(name), null);
  });

  test("an empty name or one made of spaces is refused", () => {
    assert.equal(nameKey(""), "fileCheck.nameEmpty");
    assert.equal(nameKey("   "), "fileCheck.nameEmpty");
    assert.equal(nameKey("\u00a0\u3000", GEO, OPEN_RULES), "fileCheck.nameEmpty");
  });

  test("a name beginning with a dot, or beginning or ending with a space, is refused", () => {
    assert.equal(nameKey(".pdf", GEO, OPEN_RULES), "fileCheck.nameEdge");
    assert.equal(nameKey(".23027 Démarche.pdf"), "fileCheck.nameEdge");
    assert.equal(nameKey(" 23027 Démarche.pdf"), "fileCheck.nameEdge");
    assert.equal(nameKey("23027 Démarche.pdf "), "fileCheck.nameEdge");
  });

  test("a name without an extension is refused, listing the allowed ones", () => {
    const refusal = checkFileName("23027 Démarche", PGA_EAU_RULES, GEO);
    assert.equal(refusal?.key, "fileCheck.nameNoExtension");
    assert.equal(refusal?.params.allowed, "PDF, XLSX");
    assert.equal(nameKey("23027 Démarche.", GEO), "fileCheck.nameNoExtension");
  });

  test("an extension the recipient does not allow is refused, listing the allowed ones", () => {
    for (const name of [
      "23027 Démarche.exe",
      "23027 Démarche.docx",
      "23027 Démarche.xlsm",
      "23027 Démarche.pdf.exe",
    ]) {
      const refusal = checkFileName(name, PGA_EAU_RULES, GEO);
      assert.equal(refusal?.key, "fileCheck.extensionNotAllowed", name);
      assert.equal(refusal?.params.allowed, "PDF, XLSX");
    }
    assert.equal(checkFileName("23027 Démarche.docx", PGA_EAU_RULES, GEO)?.params.extension, ".docx");
  });

  test("the wrong geoCode prefix is refused, showing the expected form with the sender's geoCode", () => {
    const refusal = checkFileName("66023 Résolution.pdf", PGA_EAU_RULES, GEO);
    assert.equal(refusal?.key, "fileCheck.nameGeoCodePrefix");
    assert.equal(refusal?.params.geoCode, GEO);
    assert.equal(refusal?.params.extension, "pdf");
    for (const name of ["Démarche.pdf", "23027Démarche.pdf", "23027  Démarche.pdf", "230271 Démarche.pdf"]) {
      assert.equal(nameKey(name), "fileCheck.nameGeoCodePrefix", name);
    }
  });

  test("a name that is only the geoCode lacks its document type", () => {
    assert.equal(nameKey("23027.pdf"), "fileCheck.nameDocumentTypeMissing");
    assert.equal(nameKey("23027 .pdf"), "fileCheck.nameDocumentTypeMissing");
    assert.equal(nameKey("23027   .xlsx"), "fileCheck.nameDocumentTypeMissing");
  });

  test("a sender without a geoCode cannot satisfy the geoCode rule, and is told so", () => {
    assert.equal(nameKey("23027 Démarche.pdf", null), "fileCheck.nameRuleNeedsGeoCode");
    assert.equal(nameKey("Rapport annuel.pdf", null, OPEN_RULES), null);
  });

  test("the extension is the name's last one, in lower case", () => {
    assert.equal(extensionOf("23027 Formulaire.XLSX"), "xlsx");
    assert.equal(extensionOf("23027 v1.2 Démarche.pdf"), "pdf");
    assert.equal(extensionOf("sans extension"), "");
  });

  test("every refusal message names the file and its reason in French and in English", () => {
    const catalogues = allCatalogues();
    for (const bad of badFileNames(GEO)) {
      const refusal = checkFileName(bad.name, PGA_EAU_RULES, GEO);
      assert.ok(refusal, bad.label);
      for (const locale of ["fr", "en"] as const) {
        const text = catalogues[locale][refusal.key];
        assert.match(text, /\{name\}/, `${locale} ${refusal.key}`);
        for (const [param] of text.matchAll(/\{(\w+)\}/g)) {
          const key = param.slice(1, -1);
          assert.ok(key in refusal.params, `${refusal.key} needs {${key}}`);
        }
      }
    }
  });

  test("a name shown in a message carries no control or bidi character", () => {
    const refusal = checkFileName("23027 Démarche\u202efdp.exe", PGA_EAU_RULES, GEO);
    assert.equal(refusal?.params.name, "23027 Démarche\ufffdfdp.exe");
  });

  test("property: checkFileName never throws, and an accepted name has no control, bidi or path character", () => {
    const interesting = fc.constantFrom(
      "/",
      "\\",
      ".",
      " ",
      "\u0000",
      "\r",
      "\n",
      "\u0085",
      "\u202e",
      "\u2066",
      "\u200f",
      "\u061c",
      "\ud800",
      "\udc00",
      "e\u0301",
      "23027 ",
      ".pdf",
      ".xlsx",
    );
    const piece = fc.oneof(
      interesting,
      fc.string({ unit: "binary", maxLength: 8 }),
      fc.string({ unit: "grapheme", maxLength: 8 }),
    );
    const names = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(""));
    const forbidden = /[\p{Cc}\p{Cs}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069/\\]/u;
    fc.assert(
      fc.property(
        names,
        fc.constantFrom(PGA_EAU_RULES, OPEN_RULES),
        fc.constantFrom(GEO, null),
        (name, rules, geo) => {
          const refusal = checkFileName(name, rules, geo);
          if (refusal === null) {
            const normalized = name.normalize("NFC");
            assert.doesNotMatch(normalized, forbidden);
            assert.ok(!normalized.startsWith("."));
            assert.ok([...normalized].length <= 255);
            assert.ok(rules.allowedExtensions.includes(extensionOf(name)));
          } else {
            assert.match(refusal.key, /^fileCheck\./);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("file content", () => {
  test("the minimal PDF and the minimal XLSX pass", async () => {
    assert.equal(await contentKey("23027 Démarche.pdf", minimalPdf()), null);
    assert.equal(await contentKey("23027 Plan d'intervention.xlsx", minimalXlsx()), null);
    assert.equal(await contentKey("23027 Plan d'intervention.xlsx".normalize("NFD"), minimalXlsx()), null);
    assert.equal(await contentKey("23027 Formulaire.XLSX", minimalXlsx()), null);
  });

  test("a PDF padded to an exact size passes, and has that size", async () => {
    const pdf = Buffer.concat([...pdfChunks(300_000)]);
    assert.equal(pdf.length, 300_000);
    assert.equal(await contentKey("23027 Démarche.pdf", pdf), null);
  });

  test("every bad content of the corpus is refused with its own reason", async () => {
    for (const bad of await badFileContents(GEO, { bombBytes: 8 * 1024 * 1024 })) {
      assert.equal(await contentKey(bad.name, bad.content), bad.key, bad.label);
    }
  });

  test("an executable renamed .pdf is refused as an executable", async () => {
    assert.equal(await contentKey("23027 Démarche.pdf", elfExecutable()), "fileCheck.executable");
    assert.equal(await contentKey("23027 Démarche.pdf", windowsExecutable()), "fileCheck.executable");
    assert.equal(await contentKey("23027 Formulaire.xlsx", windowsExecutable()), "fileCheck.executable");
  });

  test("a PDF with the wrong magic bytes is refused; the magic must be at offset 0", async () => {
    assert.equal(await contentKey("a.pdf", pdfWithWrongMagic()), "fileCheck.pdfMagic");
    assert.equal(
      await contentKey("a.pdf", Buffer.concat([Buffer.from("\n"), minimalPdf()])),
      "fileCheck.pdfMagic",
    );
    assert.equal(await contentKey("a.pdf", Buffer.from("%PDF-x")), "fileCheck.pdfMagic");
    assert.equal(await contentKey("a.pdf", Buffer.from("%PD")), "fileCheck.pdfMagic");
  });

  test("a PDF without %%EOF in its last 1024 bytes is refused", async () => {
    assert.equal(await contentKey("a.pdf", truncatedPdf()), "fileCheck.pdfNoEnd");
    const trailing = Buffer.concat([minimalPdf(), Buffer.alloc(2000, " ")]);
    assert.equal(await contentKey("a.pdf", trailing), "fileCheck.pdfNoEnd");
  });

  test("an empty file is refused", async () => {
    assert.equal(await contentKey("23027 Démarche.pdf", Buffer.alloc(0)), "fileCheck.empty");
  });

  test("an extension the checks do not know is refused", async () => {
    const refusal = await checkBytes("rapport.docx", minimalXlsx());
    assert.equal(refusal?.key, "fileCheck.typeUnsupported");
    assert.equal(refusal?.params.extension, ".docx");
    assert.equal(await contentKey("données.csv", Buffer.from("a;b\n1;2\n")), "fileCheck.typeUnsupported");
  });

  test("an XLSX with a macro part is refused, whatever the case of its name", async () => {
    assert.equal(await contentKey("a.xlsx", xlsxWithMacroPart()), "fileCheck.xlsxMacro");
    const upper = xlsxWithEntry({ name: "XL/VBAPROJECT.BIN", data: noise(100) });
    assert.equal(await contentKey("a.xlsx", upper), "fileCheck.xlsxMacro");
    const macroSheet = xlsxWithEntry({ name: "xl/macrosheets/sheet1.xml", data: "<xm/>" });
    assert.equal(await contentKey("a.xlsx", macroSheet), "fileCheck.xlsxMacro");
  });

  test("an XLSX whose content types say macroEnabled is refused", async () => {
    assert.equal(await contentKey("a.xlsx", xlsxMacroEnabled()), "fileCheck.xlsxMacro");
  });

  test("a zip bomb of 200 MB of zeros shaped as an XLSX is refused", async () => {
    const bomb = await zipBombXlsx(200 * 1024 * 1024);
    assert.ok(bomb.length < 1024 * 1024, "the bomb itself is small");
    const refusal = await checkBytes("23027 Formulaire.xlsx", bomb);
    assert.equal(refusal?.key, "fileCheck.xlsxZipBomb");
  });

  test("a bomb whose headers lie about its size is still refused where it is inflated", async () => {
    assert.equal(await contentKey("a.xlsx", xlsxWithLyingContentTypes()), "fileCheck.xlsxZipBomb");
    // Lying within the cap: the inflated size does not match the declared one.
    assert.equal(await contentKey("a.xlsx", xlsxWithLyingContentTypes(100_000)), "fileCheck.xlsxInvalid");
  });

  test("random bytes named .xlsx are refused as not a zip", async () => {
    assert.equal(await contentKey("a.xlsx", noise(100_000)), "fileCheck.xlsxNotZip");
    assert.equal(await contentKey("a.xlsx", Buffer.from("PK\u0003\u0004")), "fileCheck.xlsxNotZip");
  });

  test("a zip missing xl/workbook.xml or [Content_Types].xml is refused, naming the part", async () => {
    const refusal = await checkBytes("a.xlsx", xlsxWithoutWorkbook());
    assert.equal(refusal?.key, "fileCheck.xlsxMissingPart");
    assert.equal(refusal?.params.part, "xl/workbook.xml");
    const noTypes = zipArchive(xlsxParts().filter((part) => part.name !== "[Content_Types].xml"));
    assert.equal((await checkBytes("a.xlsx", noTypes))?.params.part, "[Content_Types].xml");
  });

  test("a zip whose content types declare no workbook is refused", async () => {
    const wordType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    const document = zipArchive(xlsxParts(contentTypesXml(wordType)));
    assert.equal(await contentKey("a.xlsx", document), "fileCheck.xlsxNotWorkbook");
  });

  test("an encrypted entry is refused", async () => {
    const encrypted = xlsxWithEntry({ name: "xl/styles.xml", data: "<styleSheet/>", encrypted: true });
    assert.equal(await contentKey("a.xlsx", encrypted), "fileCheck.xlsxEncrypted");
  });

  test("entry names with .., an absolute path or a backslash are refused", async () => {
    for (const name of [
      "../evil.xml",
      "xl/../../evil.xml",
      "/etc/cron.d/evil",
      "xl\\evil.xml",
      "C:/evil.xml",
    ]) {
      assert.equal(
        await contentKey("a.xlsx", xlsxWithEntry({ name, data: "x" })),
        "fileCheck.xlsxUnsafeEntryName",
        name,
      );
    }
  });

  test("two entries with one name are refused", async () => {
    const twice = xlsxWithEntry({ name: "XL/Workbook.xml", data: "<workbook/>" });
    assert.equal(await contentKey("a.xlsx", twice), "fileCheck.xlsxInvalid");
  });

  test("more entries than the limit are refused", async () => {
    const refusal = await checkBytes("a.xlsx", minimalXlsx(), { maxEntries: 4 });
    assert.equal(refusal?.key, "fileCheck.xlsxTooManyEntries");
    assert.equal(refusal?.params.max, 4);
    assert.equal(await contentKey("a.xlsx", minimalXlsx(), { maxEntries: 5 }), null);
  });

  test("10,000 entries pass and 10,001 are refused under the default limits", async () => {
    const withEntries = (count: number): Buffer =>
      zipArchive([
        ...xlsxParts(),
        ...Array.from({ length: count - 5 }, (_, index) => ({
          name: `xl/media/image${index}.txt`,
          data: "x",
          method: "store" as const,
        })),
      ]);
    assert.equal(await contentKey("a.xlsx", withEntries(10_000)), null);
    assert.equal(await contentKey("a.xlsx", withEntries(10_001)), "fileCheck.xlsxTooManyEntries");
  });

  test("a declared uncompressed total over the limit is refused", async () => {
    const refusal = await checkBytes("a.xlsx", minimalXlsx(), { maxUncompressedBytes: 1000 });
    assert.equal(refusal?.key, "fileCheck.xlsxTooLarge");
    assert.equal(DEFAULT_ZIP_LIMITS.maxUncompressedBytes, 500 * 1024 * 1024);
  });

  test("an entry compressed beyond the ratio is refused; the default limits hold 10,000 entries and a ratio of 200", async () => {
    assert.deepEqual(DEFAULT_ZIP_LIMITS, {
      maxEntries: 10_000,
      maxUncompressedBytes: 500 * 1024 * 1024,
      maxRatio: 200,
    });
    const repetitive = xlsxWithEntry({ name: "xl/sharedStrings.xml", data: "<si/>".repeat(100_000) });
    assert.equal(await contentKey("a.xlsx", repetitive), "fileCheck.xlsxZipBomb");
    assert.equal(await contentKey("a.xlsx", repetitive, { maxRatio: 5000 }), null);
  });

  test("data before the archive (an executable with a zip appended) or after it is refused", async () => {
    const prefixed = Buffer.concat([Buffer.from("JUNK"), minimalXlsx()]);
    assert.equal(await contentKey("a.xlsx", prefixed), "fileCheck.xlsxNotZip");
    const trailing = Buffer.concat([minimalXlsx(), Buffer.from("JUNK")]);
    assert.equal(await contentKey("a.xlsx", trailing), "fileCheck.xlsxNotZip");
  });

  test("a truncated XLSX is refused", async () => {
    const xlsx = minimalXlsx();
    assert.equal(await contentKey("a.xlsx", xlsx.subarray(0, xlsx.length - 30)), "fileCheck.xlsxNotZip");
  });

  test("ZIP64 markers are refused", async () => {
    const xlsx = Buffer.from(minimalXlsx());
    xlsx.writeUInt32LE(0xffffffff, xlsx.length - 22 + 16);
    assert.equal(await contentKey("a.xlsx", xlsx), "fileCheck.xlsxInvalid");
  });

  test("a 100 MB file is checked without being read whole", async () => {
    const path = join(dir, "large.pdf");
    await writeFile(
      path,
      (async function* () {
        yield* pdfChunks(100 * 1024 * 1024);
      })(),
    );
    const { size } = await stat(path);
    const heapBefore = process.memoryUsage().arrayBuffers;
    assert.equal(await checkFileContent(path, "23027 Démarche.pdf", size), null);
    assert.ok(process.memoryUsage().arrayBuffers - heapBefore < 16 * 1024 * 1024);
  });
});

test("a file name is read back as the browser escaped it: %0A, %0D and %22, nothing else", () => {
  assert.equal(formDataFileName("23027 Démarche%0D%0A.pdf"), "23027 Démarche\r\n.pdf");
  assert.equal(formDataFileName("23027 %22Plan%22 %0a.pdf"), '23027 "Plan" \n.pdf');
  assert.equal(formDataFileName("23027 Taux 100%25 %41.pdf"), "23027 Taux 100%25 %41.pdf");
  assert.equal(formDataFileName("23027 De\u0301marche.pdf"), "23027 Démarche.pdf", "NFC");
  assert.equal(nameKey(formDataFileName(`${GEO} Démarche%0A.pdf`)), "fileCheck.nameControlCharacters");
});
