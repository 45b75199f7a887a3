import assert from "node:assert/strict";
import { test } from "node:test";
import { translator } from "./messages.js";

test("counts agree with their noun in each language, never « erreur(s) »", () => {
  const fr = translator("fr");
  const en = translator("en");
  assert.equal(fr("form.errorCount", { count: 1 }), "Veuillez corriger 1 erreur ci-dessous.");
  assert.equal(fr("form.errorCount", { count: 0 }), "Veuillez corriger 0 erreur ci-dessous.");
  assert.equal(fr("form.errorCount", { count: 3 }), "Veuillez corriger 3 erreurs ci-dessous.");
  assert.equal(en("form.errorCount", { count: 1 }), "Please correct 1 error below.");
  assert.equal(en("form.errorCount", { count: 0 }), "Please correct 0 errors below.");
  assert.equal(en("form.errorCount", { count: 2 }), "Please correct 2 errors below.");
  assert.equal(
    fr("procurations.assigned", { count: 1 }),
    "La procuration a été assignée (1 nouveau titulaire).",
  );
  assert.equal(
    fr("procurations.assigned", { count: 2 }),
    "La procuration a été assignée (2 nouveaux titulaires).",
  );
  assert.equal(en("procurations.assigned", { count: 1 }), "The procuration was assigned (1 new holder).");
});

test("no message of either catalogue writes a plural as « (s) » or « (x) »", async () => {
  const { allCatalogues } = await import("./messages.js");
  for (const [locale, catalogue] of Object.entries(allCatalogues())) {
    for (const [key, text] of Object.entries(catalogue)) {
      assert.doesNotMatch(text, /\w\((s|x|es)\)/, `${locale} ${key}: ${text}`);
    }
  }
});

test("a label and its value are joined by each language's own colon: « Nom\u00a0: … », or Name: …", () => {
  const fr = translator("fr");
  const en = translator("en");
  assert.equal(
    fr("form.labelled", { label: "Prénom", value: "Entrez le prénom." }),
    "Prénom\u00a0: Entrez le prénom.",
  );
  assert.equal(
    en("form.labelled", { label: "First name", value: "Enter the first name." }),
    "First name: Enter the first name.",
  );
});
