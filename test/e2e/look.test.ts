// The look (issue #17, Québec's design system conventions) in Chromium: Open Sans is loaded from the portal itself,
// the French header stays on one line at 1280 px, and a control is as wide as the answer it expects.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, type ServedApp, screenshotOnFailure, startServedApp } from "../support/browser.js";
import type { MadeUser } from "../support/factories.js";
import { newPage, signIn } from "../support/journey.js";
import { SAME_IN_BOTH_MODES } from "../support/modes.js";

let served: ServedApp | undefined;
let browser: Browser | undefined;
let officer: MadeUser | undefined;

before(async () => {
  if (SAME_IN_BOTH_MODES) return;
  served = await startServedApp();
  browser = await launchBrowser();
  // A long name and a municipality without a local manager in D34-PIQM: the widest greeting, and the designation form.
  const city = await served.factories.organization(
    "municipality",
    "Municipalité de Saint-Essai-des-Longues-Rives",
  );
  officer = await served.factories.user(city, {
    servicesOfficer: true,
    firstName: "Marie-Ève",
    lastName: "Beauregard-Tremblay",
  });
});
after(async () => {
  await browser?.close();
  await served?.close();
});

async function signedIn(width: number): Promise<Page> {
  assert.ok(browser && served && officer);
  const { page } = await newPage(browser);
  await page.setViewportSize({ width, height: 800 });
  await signIn(page, served.baseUrl, officer);
  return page;
}

test("Open Sans is loaded from /static/ in the weights the page uses, Latin subset included", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const page = await signedIn(1280);
  await screenshotOnFailure(page, "look-font", async () => {
    const fonts: string[] = [];
    page.on("response", (response) => {
      if (response.url().endsWith(".woff2") && response.ok()) fonts.push(new URL(response.url()).pathname);
    });
    await page.reload();
    const loaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return {
        regular: document.fonts.check('400 16px "Open Sans"'),
        faces: [...document.fonts]
          .filter((face) => face.family.replace(/"/g, "") === "Open Sans" && face.status === "loaded")
          .map((face) => face.weight),
        body: getComputedStyle(document.body).fontFamily,
      };
    });
    assert.ok(loaded.regular, "document.fonts says Open Sans is ready at 400");
    assert.ok(loaded.faces.includes("400"), `loaded faces: ${loaded.faces.join(", ")}`);
    assert.ok(loaded.faces.includes("700"), "the bold of headings and the name is loaded");
    assert.match(loaded.body, /^"Open Sans"/);
    assert.ok(fonts.includes("/static/open-sans-latin-400-normal.woff2"), `fetched: ${fonts.join(", ")}`);
  });
  await page.context().close();
});

test("at 1280 px in French the header is one row: its navigation on one line, beside the name", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const page = await signedIn(1280);
  await screenshotOnFailure(page, "look-header", async () => {
    // No named function inside: the test's compiler would wrap it in a helper the page does not have.
    const header = await page.evaluate(() => {
      const [brand, nav, list, site] = [".brand", ".user-nav", ".user-nav ul", ".site-header"].map(
        (selector) => {
          const element = document.querySelector(selector);
          if (!element) throw new Error(`no ${selector}`);
          return element.getBoundingClientRect();
        },
      );
      const first = document.querySelector(".user-nav li") ?? document.body;
      return {
        lang: document.documentElement.lang,
        tops: [...document.querySelectorAll(".user-nav li")].map((li) =>
          Math.round(li.getBoundingClientRect().top),
        ),
        navHeight: list?.height ?? 0,
        brand: { height: brand?.height ?? 0, bottom: brand?.bottom ?? 0 },
        nav: { height: nav?.height ?? 0, top: nav?.top ?? 0 },
        header: { height: site?.height ?? 0 },
        line: Number.parseFloat(getComputedStyle(first).lineHeight),
        scrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      };
    });
    assert.equal(header.lang, "fr-CA");
    assert.equal(
      new Set(header.tops).size,
      1,
      `every item of the navigation on one line: tops ${header.tops.join(", ")}`,
    );
    assert.ok(
      header.navHeight < header.line * 1.5,
      `the navigation is one line high (${header.navHeight} px)`,
    );
    assert.ok(header.nav.top < header.brand.bottom, "the navigation sits beside the name, not under it");
    // One row: the header is no taller than its tallest part and its padding.
    assert.ok(
      header.header.height <= Math.max(header.brand.height, header.nav.height) + 2 * 16,
      `header ${header.header.height} px`,
    );
    assert.equal(header.scrolls, false);
  });
  await page.context().close();
});

test("the geoCode field of the designation form is as wide as five digits, not the whole column", {
  skip: SAME_IN_BOTH_MODES,
}, async () => {
  const page = await signedIn(1280);
  assert.ok(served);
  await screenshotOnFailure(page, "look-widths", async () => {
    await page.goto(`${served?.baseUrl}/services/D34-PIQM/demande-acces/municipalite`);
    const widths = await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>("input[name=codeGeographique]");
      if (!input) throw new Error("no geoCode field");
      const em = Number.parseFloat(getComputedStyle(input).fontSize);
      return {
        ems: input.getBoundingClientRect().width / em,
        column: input.parentElement?.getBoundingClientRect().width ?? 0,
        px: input.getBoundingClientRect().width,
      };
    });
    assert.ok(widths.ems < 12, `geoCode field ${widths.px} px, ${widths.ems.toFixed(1)} em`);
    assert.ok(widths.px < widths.column / 2, "narrower than half its column");
  });
  await page.context().close();
});
