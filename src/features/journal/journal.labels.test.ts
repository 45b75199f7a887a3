// Every kind of event the portal records, and every action of the policy (a denial names one), has its own label
// in French and in English: the journal never shows a raw code, and no two kinds read the same.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { ACTIONS } from "../../policy/policy.js";
import { allCatalogues } from "../../web/messages.js";
import { LABELLED_ACTIONS } from "./journal.views.js";

const SRC = new URL("../../", import.meta.url).pathname;

/** The action names the sources write into the audit log: `action: "…"` in every non-test file. */
async function recordedActions(): Promise<Set<string>> {
  const found = new Set<string>();
  const entries = await readdir(SRC, { recursive: true });
  for (const entry of entries) {
    // The journal's own views name its filter fields « action: … », which are no events.
    if (!/\.tsx?$/.test(entry) || entry.includes(".test.") || entry.startsWith("features/journal/")) continue;
    const text = await readFile(join(SRC, entry), "utf8");
    for (const match of text.matchAll(/\baction: "([a-z][A-Za-z]*(?:\.[a-z][A-Za-z]*)+)"/g))
      if (match[1]) found.add(match[1]);
    for (const match of text.matchAll(
      /\? "([a-z][A-Za-z]*(?:\.[a-z][A-Za-z]*)+)" : "([a-z][A-Za-z]*(?:\.[a-z][A-Za-z]*)+)"/g,
    ))
      for (const name of [match[1], match[2]]) if (name && /^(account|auth)\./.test(name)) found.add(name);
  }
  return found;
}

test("every recorded kind of event and every policy action has a label", async () => {
  const recorded = await recordedActions();
  assert.ok(
    recorded.has("registry.grant") && recorded.has("auth.signIn") && recorded.has("account.activate"),
  );
  const missing = [...recorded, ...ACTIONS].filter((action) => !LABELLED_ACTIONS.has(action));
  assert.deepEqual([...new Set(missing)].sort(), []);
});

test("no two kinds of event read the same, in French or in English", () => {
  for (const [locale, catalogue] of Object.entries(allCatalogues())) {
    const byLabel = new Map<string, string[]>();
    for (const [key, label] of Object.entries(catalogue)) {
      if (!key.startsWith("journal.action.")) continue;
      byLabel.set(label, [...(byLabel.get(label) ?? []), key]);
    }
    const shared = [...byLabel.values()].filter((keys) => keys.length > 1);
    assert.deepEqual(shared, [], locale);
  }
});
