// A small, valid one-page PDF for the demo's attachments: a title and a few lines in Helvetica (WinAnsi, so the
// French accents print), with a correct cross-reference table, so that it opens in any reader.

/** A line of text as a PDF string in WinAnsi: Latin-1 bytes, with the delimiters and non-ASCII bytes escaped. */
function pdfString(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "latin1")) {
    const char = String.fromCharCode(byte);
    if (char === "(" || char === ")" || char === "\\") out += `\\${char}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += char;
  }
  return `(${out})`;
}

export function demoPdf(title: string, lines: readonly string[]): Buffer {
  const text = [
    "BT /F1 16 Tf 72 760 Td",
    `${pdfString(title)} Tj`,
    "/F1 11 Tf 0 -28 Td 15 TL",
    ...lines.map((line) => `${pdfString(line)} '`),
    "ET",
  ].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    `<< /Length ${Buffer.byteLength(text, "latin1")} >>\nstream\n${text}\nendstream`,
  ];
  let body = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  for (const [index, object] of objects.entries()) {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}
