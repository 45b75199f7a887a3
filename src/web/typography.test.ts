// French and English punctuation over the whole catalogue (src/web/messages.ts and every feature's *.messages.ts):
// in French a no-break space before « : » and inside « », a narrow one before « ; ! ? », so that no line of a page
// starts with a colon or a closing guillemet; in English no space before any of them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { allCatalogues } from "./messages.js";

const NBSP = "\u00a0";
const NNBSP = "\u202f";
const { fr, en } = allCatalogues();

const COLON = new RegExp(`(?<!${NBSP}):`, "g");
const OPENING = new RegExp(`«(?!${NBSP})`, "g");
const CLOSING = new RegExp(`(?<!${NBSP})»`, "g");
const HIGH_SIGNS = new RegExp(`(?<!${NNBSP})[;!?]`, "g");
const DOUBLE_SPACE = /\s\s[:;!?»]|«\s\s/g;
const LINE_START = /(?:^|\n)\s*[:;!?»]/g;
const ENGLISH_SPACE = /\s[:;!?]/g;
const GUILLEMETS = /[«»]/g;

/** A web address keeps its own colons and question marks (https://host:port/?q). */
function withoutAddresses(text: string): string {
  return text.replace(/\bhttps?:\/\/\S*/g, "");
}

/** Each place where the rule fails, with a little of its context, so that the failure says what to fix. */
function offences(text: string, rule: RegExp): string[] {
  return [...text.matchAll(rule)].map((m) =>
    JSON.stringify(text.slice(Math.max(0, m.index - 12), m.index + 12)),
  );
}

function assertNone(locale: string, rule: RegExp, what: string, catalogue: Record<string, string>): void {
  const found = Object.entries(catalogue).flatMap(([key, text]) =>
    offences(withoutAddresses(text), rule).map((where) => `${locale} ${key}: ${where}`),
  );
  assert.deepEqual(found, [], `${what}:\n${found.join("\n")}`);
}

test("French: a no-break space (U+00A0), never another space or none, before every « : »", () => {
  assertNone("fr", COLON, "a colon without a no-break space before it", fr);
});

test("French: a no-break space after « and before », never a plain space", () => {
  assertNone("fr", OPENING, "« without a no-break space after it", fr);
  assertNone("fr", CLOSING, "» without a no-break space before it", fr);
});

test("French: a narrow no-break space (U+202F), never another space or none, before « ; », « ! » and « ? »", () => {
  assertNone("fr", HIGH_SIGNS, "; ! or ? without a narrow no-break space", fr);
});

test("French: one space, never two, before a sign or inside « »", () => {
  assertNone("fr", DOUBLE_SPACE, "two spaces before a sign or inside « »", fr);
});

test("French: no message, and no line of one, starts with « : », « ; », « ! », « ? » or « »", () => {
  assertNone("fr", LINE_START, "a message or line starting with a closing sign", fr);
});

test("English: no space of any kind before ':', ';', '!' or '?', and English quotation marks, not « »", () => {
  assertNone("en", ENGLISH_SPACE, "a space before : ; ! or ?", en);
  assertNone("en", GUILLEMETS, "French guillemets in English", en);
});

test("the rules catch what they are for", () => {
  const check = (text: string, rule: RegExp) => offences(withoutAddresses(text), rule).length;
  assert.equal(check("Nom : Roy", COLON), 1);
  assert.equal(check(`Nom${NBSP}: Roy, à https://exemple.qc.ca:8443/?a=1`, COLON), 0);
  assert.equal(check("Vraiment ?", HIGH_SIGNS), 1);
  assert.equal(check(`Vraiment${NBSP}?`, HIGH_SIGNS), 1);
  assert.equal(check("« Transmettre »", OPENING), 1);
  assert.equal(check(`directe${NNBSP}${NNBSP}; vous`, DOUBLE_SPACE), 1);
  assert.equal(check("Name : Roy", ENGLISH_SPACE), 1);
});
