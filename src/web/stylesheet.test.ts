// The focus indicator of public/guichet.css, computed from its own colours: at least 3:1 (WCAG 1.4.11) wherever a
// control can be focused — on the page's surfaces, on the header, and around a filled button.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const css = readFileSync(new URL("../../public/guichet.css", import.meta.url), "utf8").replace(
  /\/\*[\s\S]*?\*\//g,
  "",
);

/** Each rule's selector and declarations, in order (a rule inside @media is read as one of its own). */
const rules = [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)].map((match) => ({
  selector: (match[1] ?? "").trim(),
  declarations: new Map(
    (match[2] ?? "")
      .split(";")
      .map((declaration) => declaration.split(/:(.*)/s).map((part) => part.trim()))
      .filter((pair): pair is [string, string] => pair.length >= 2 && pair[0] !== "")
      .map(([property, value]) => [property, value] as const),
  ),
}));

function declarationsOf(selector: string): Map<string, string> {
  const rule = rules.find((r) => r.selector === selector);
  assert.ok(rule, `the stylesheet has a rule for ${selector}`);
  return rule.declarations;
}

const root = declarationsOf(":root");

/** A value with its var() references replaced, looked up in `scope` first, then in :root. */
function resolve(value: string, scope: Map<string, string> = root): string {
  return value.replace(/var\((--[\w-]+)\)/g, (_, name: string) => {
    const found = scope.get(name) ?? root.get(name);
    assert.ok(found, `${name} is defined`);
    return resolve(found, scope);
  });
}

function channels(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  assert.ok(match?.[1], `${hex} is a hexadecimal colour`);
  const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join("") : match[1];
  return [0, 2, 4].map((i) => Number.parseInt(digits.slice(i, i + 2), 16) / 255) as [number, number, number];
}

/** WCAG's relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

const header = declarationsOf(".site-header, .skip-link");
const ring = resolve("var(--focus-ring)");
const halo = resolve("var(--focus-halo)");

/** Where a control sits: the page and the panels on it (footer, notices, table headings). */
const SURFACES = ["#fff", "var(--bg-soft)", "var(--bg-info)", "var(--bg-success)", "var(--bg-error)"];
/** What a control is filled with: the buttons. */
const FILLS = ["var(--blue)", "var(--error)", "#fff"];
const HEADER = "var(--blue-dark)";

test("contrast follows WCAG's formula: black on white is 21:1, the old salmon ring 2.7:1 on white", () => {
  assert.equal(contrast("#000", "#fff"), 21);
  assert.equal(Math.round(contrast("#e58271", "#fff") * 10) / 10, 2.7);
});

test("the focus ring stands out at 3:1 from every surface a control sits on", () => {
  for (const surface of SURFACES) {
    const ratio = contrast(ring, resolve(surface));
    assert.ok(ratio >= 3, `ring ${ring} on ${surface}: ${ratio.toFixed(2)}:1`);
  }
});

test("between a filled button and the ring, the halo stands out at 3:1 from both", () => {
  assert.ok(contrast(ring, halo) >= 3, `ring ${ring} against halo ${halo}`);
  for (const fill of FILLS) {
    const ratio = Math.max(contrast(halo, resolve(fill)), contrast(ring, resolve(fill)));
    assert.ok(ratio >= 3, `halo ${halo} around a ${fill} button: ${ratio.toFixed(2)}:1`);
  }
});

test("on the dark header the ring turns light, at 3:1 from the header", () => {
  const headerRing = resolve("var(--focus-ring)", header);
  const ratio = contrast(headerRing, resolve(HEADER));
  assert.ok(ratio >= 3, `ring ${headerRing} on the header: ${ratio.toFixed(2)}:1`);
  assert.ok(contrast(headerRing, resolve("var(--focus-halo)", header)) >= 3);
});

test("the focus indicator is the ring and its halo, and every background of the stylesheet is one checked above", () => {
  const focus = declarationsOf(":focus-visible");
  assert.match(focus.get("outline") ?? "", /^3px solid var\(--focus-ring\)$/);
  assert.match(focus.get("box-shadow") ?? "", /var\(--focus-halo\)$/);
  const checked = new Set([...SURFACES, ...FILLS, HEADER].map((colour) => resolve(colour).toLowerCase()));
  for (const rule of rules) {
    const background = rule.declarations.get("background");
    if (!background || background === "none") continue;
    assert.ok(
      checked.has(resolve(background).toLowerCase()),
      `${rule.selector}'s background ${background} is checked`,
    );
  }
});

test("the palette is the design system's: PIV blue, dark blue, the greys and the signal colours", () => {
  const palette = Object.fromEntries(
    [
      "--blue",
      "--blue-dark",
      "--blue-medium",
      "--muted",
      "--border",
      "--grey-light",
      "--bg-soft",
      "--error",
    ].map((name) => [name, resolve(`var(${name})`).toLowerCase()]),
  );
  assert.deepEqual(palette, {
    "--blue": "#095797",
    "--blue-dark": "#223654",
    "--blue-medium": "#19406c",
    "--muted": "#4e5662",
    "--border": "#8893a2",
    "--grey-light": "#c5cad2",
    "--bg-soft": "#f1f1f2",
    "--error": "#cb381f",
  });
});

test("text stands out at 4.5:1: body, hints and links on every surface; errors and success on the page; white on the header and buttons", () => {
  for (const colour of ["var(--text)", "var(--muted)", "var(--blue)"]) {
    for (const surface of SURFACES) {
      const ratio = contrast(resolve(colour), resolve(surface));
      assert.ok(ratio >= 4.5, `${colour} on ${surface}: ${ratio.toFixed(2)}:1`);
    }
  }
  for (const colour of ["var(--error)", "var(--success)"]) {
    const ratio = contrast(resolve(colour), "#fff");
    assert.ok(ratio >= 4.5, `${colour} on white: ${ratio.toFixed(2)}:1`);
  }
  for (const fill of [HEADER, "var(--blue)", "var(--error)"]) {
    const ratio = contrast("#fff", resolve(fill));
    assert.ok(ratio >= 4.5, `white on ${fill}: ${ratio.toFixed(2)}:1`);
  }
});

test("the type scale: 16 px text on 1.5 lines, headings from 2.5rem down, each a step below the one before", () => {
  assert.equal(root.get("font-size"), "1rem");
  assert.equal(root.get("line-height"), "1.5");
  assert.match(root.get("font-family") ?? "", /^"Open Sans"/);
  const sizes = ["--font-h1", "--font-h2", "--font-h3", "--font-h4"].map((name) =>
    Number.parseFloat(resolve(`var(${name})`)),
  );
  assert.equal(sizes[0], 2.5);
  for (let i = 1; i < sizes.length; i++)
    assert.ok((sizes[i] ?? 0) < (sizes[i - 1] ?? 0), `${sizes.join(" > ")}`);
  for (const level of [1, 2, 3, 4]) {
    assert.equal(declarationsOf(`h${level}`).get("font-size"), `var(--font-h${level})`);
  }
});

test("Open Sans comes from the portal: Latin and Latin Extended, 400, 600 and 700, each a woff2 the package ships", () => {
  const faces = rules.filter((rule) => rule.selector === "@font-face").map((rule) => rule.declarations);
  const sources = faces.map((face) => /url\("(\/static\/[^"]+)"\)/.exec(face.get("src") ?? "")?.[1]);
  const expected = ["latin", "latin-ext"].flatMap((subset) =>
    ["400", "600", "700"].map((weight) => `/static/open-sans-${subset}-${weight}-normal.woff2`),
  );
  assert.deepEqual([...sources].sort(), [...expected].sort());
  for (const face of faces) {
    assert.equal(face.get("font-family"), '"Open Sans"');
    assert.equal(face.get("font-display"), "swap");
    assert.ok(face.get("unicode-range"), "each subset is fetched only for the characters it covers");
  }
  const files = new URL("../../node_modules/@fontsource/open-sans/files/", import.meta.url);
  for (const source of expected) {
    assert.ok(
      existsSync(new URL(source.replace("/static/", ""), files)),
      `${source} is in @fontsource/open-sans`,
    );
  }
});

test("a table row's actions stand side by side, and every read-only page lists its facts in one definition-list style", () => {
  const actions = declarationsOf(".actions");
  assert.equal(actions.get("display"), "flex");
  assert.equal(declarationsOf("td .actions").get("flex-wrap"), "nowrap", "in a table, actions never wrap");
  assert.equal(
    declarationsOf("dl.details").get("display"),
    "grid",
    "the definition lists lay terms beside their values",
  );
  // Every definition list of the views is one of « details » (a person's card adds its own touch on top).
  const views = new URL("../features/", import.meta.url);
  const lists: string[] = [];
  for (const entry of readdirSync(views, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".tsx")) continue;
    const source = readFileSync(new URL(entry, views), "utf8");
    for (const match of source.matchAll(/<dl\b[^>]*>/g)) lists.push(`${entry}: ${match[0]}`);
  }
  assert.ok(lists.length >= 10, `definition lists found: ${lists.length}`);
  assert.deepEqual(
    lists.filter((list) => !/class="details( [\w-]+)*"/.test(list)),
    [],
  );
});
