// The CSV cell: whatever a spreadsheet could run as a formula gets an apostrophe, however it hides its first sign.
import assert from "node:assert/strict";
import { test } from "node:test";
import { csvCell } from "./who-has-access.js";

const SIGNS = ["=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫"];

/** Characters drawn as nothing, or as a blank, that a reader does not notice before the sign. */
const HIDDEN = {
  "a space": " ",
  "a no-break space": "\u00a0",
  "a narrow no-break space": "\u202f",
  "an ideographic space": "\u3000",
  "a zero-width space": "\u200b",
  "a zero-width joiner": "\u200d",
  "a word joiner": "\u2060",
  "a byte-order mark": "\ufeff",
  "a soft hyphen": "\u00ad",
  "a left-to-right mark": "\u200e",
  "a Hangul filler": "\u3164",
  "a tab": "\t",
  "a line feed": "\n",
  "a NUL": "\u0000",
  "several of them": "\u200b\u00a0\ufeff ",
};

/** What the cell holds once its quotes (added for « ; », quotes and line breaks) are read back. */
function unquoted(cell: string): string {
  return cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
}

test("a cell starting with = + - @, in ASCII or full width, gets an apostrophe", () => {
  for (const sign of SIGNS) assert.equal(unquoted(csvCell(`${sign}1+1`)), `'${sign}1+1`, sign);
});

test("a formula sign behind invisible or blank characters gets an apostrophe too", () => {
  for (const [name, hidden] of Object.entries(HIDDEN)) {
    for (const sign of SIGNS) {
      const value = `${hidden}${sign}HYPERLINK("x")`;
      assert.equal(unquoted(csvCell(value)), `'${value}`, `${name} then ${sign}`);
    }
  }
});

test("a cell starting with a tab or a carriage return keeps its apostrophe, as before", () => {
  assert.equal(unquoted(csvCell("\tx")), "'\tx");
  assert.equal(unquoted(csvCell("\rx")), "'\rx");
});

test("ordinary cells are left as they are: a sign inside, a hyphenated name, a date, accents", () => {
  for (const value of ["Jean-Pierre", "2026-11-22", "a=b", "Côté", "5 + 3", "", "QCUSR01", "\u200bÉtienne"])
    assert.equal(unquoted(csvCell(value)), value, JSON.stringify(value));
});
