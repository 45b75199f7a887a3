// Every form of every page has novalidate: errors come from Guichet's own summary, in the page's language, never from
// the browser's bubble (#17). Read from the views' source, where every form is written.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";

const SRC = new URL("../src/", import.meta.url).pathname;

async function views(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? views(join(dir, entry.name))
        : Promise.resolve(entry.name.endsWith(".tsx") ? [join(dir, entry.name)] : []),
    ),
  );
  return nested.flat();
}

/** The opening tag of each form element: from « <form » to its first « > » outside braces. */
function openingTags(source: string): string[] {
  const tags: string[] = [];
  for (const match of source.matchAll(/<form[\s>]/g)) {
    let depth = 0;
    let end = match.index + 5;
    for (; end < source.length; end++) {
      const c = source[end];
      if (c === "{") depth++;
      else if (c === "}") depth--;
      else if (c === ">" && depth === 0) break;
    }
    tags.push(source.slice(match.index, end + 1));
  }
  return tags;
}

test("every form in the views has novalidate", async () => {
  let forms = 0;
  for (const file of await views(SRC)) {
    for (const tag of openingTags(await readFile(file, "utf8"))) {
      forms++;
      assert.match(tag, /\bnovalidate\b/, `${file.slice(SRC.length)}: ${tag.replace(/\s+/g, " ")}`);
    }
  }
  assert.ok(forms > 60, `${forms} forms read`);
});
