// Password policy: length in code points, any character allowed, common passwords and the user code refused.
import { readFileSync } from "node:fs";

export type PasswordProblem =
  | "password.tooShort"
  | "password.tooLong"
  | "password.common"
  | "password.sameAsCode";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

// NFC folds at most 6 UTF-16 units into one code point, so an input longer than this can never
// come back under the maximum: refusing it early spares normalising whatever megabytes were posted.
const RAW_UNITS_MAX = PASSWORD_MAX * 8;

// People "strengthen" a listed password by tacking on a year or a final mark; that adds nothing an
// attacker's rules do not already try.
const TRAILING_MARKS = new Set(["!", "?", ".", "*"]);

let commonPasswords: Set<string> | undefined;

function loadCommonPasswords(): Set<string> {
  if (commonPasswords === undefined) {
    const text = readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8");
    const entries = new Set<string>();
    for (const line of text.split("\n")) {
      // The file is edited by hand, so tolerate CRLF and stray case or composition.
      const entry = line.trim().normalize("NFC").toLowerCase();
      if (entry !== "" && !entry.startsWith("#")) entries.add(entry);
    }
    commonPasswords = entries;
  }
  return commonPasswords;
}

/** Normalises to NFC; the length is counted in Unicode code points; nothing is ever truncated. */
export function normalizePassword(password: string): string {
  // The same password typed on a Mac, a phone or Windows may arrive composed or decomposed; it must hash the same.
  return password.normalize("NFC");
}

// Counts code points but stops past `limit`, so the cost is bounded whatever the input.
function codePointCountUpTo(text: string, limit: number): number {
  let count = 0;
  for (const _codePoint of text) {
    count += 1;
    if (count > limit) break;
  }
  return count;
}

function isAsciiDigit(char: string | undefined): boolean {
  return char !== undefined && char >= "0" && char <= "9";
}

export function isCommonPassword(password: string): boolean {
  const list = loadCommonPasswords();
  const lower = normalizePassword(password).toLowerCase();
  if (list.has(lower)) return true;
  const stem = TRAILING_MARKS.has(lower.slice(-1)) ? lower.slice(0, -1) : lower;
  // Listed entries may themselves end in digits ("password1"), so every cut inside the trailing run counts.
  for (let end = stem.length; end > 0; end -= 1) {
    if (list.has(stem.slice(0, end))) return true;
    if (!isAsciiDigit(stem[end - 1])) return false;
  }
  return false;
}

export function checkPassword(password: string, userCode?: string): PasswordProblem | null {
  if (password.length > RAW_UNITS_MAX) return "password.tooLong";
  const normalized = normalizePassword(password);
  const length = codePointCountUpTo(normalized, PASSWORD_MAX);
  if (length < PASSWORD_MIN) return "password.tooShort";
  if (length > PASSWORD_MAX) return "password.tooLong";
  if (isCommonPassword(normalized)) return "password.common";
  if (userCode !== undefined && userCode !== "") {
    const code = userCode.normalize("NFC").toLowerCase();
    if (normalized.toLowerCase().includes(code)) return "password.sameAsCode";
  }
  return null;
}
