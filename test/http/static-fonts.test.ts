// Open Sans is served by the portal (issue #17): the six files the stylesheet names, through /static/, and nothing
// else of the font package.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestApp, type TestApp } from "../support/app.js";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test("the stylesheet's font files are served from /static/ as woff2, cached, without a session", async () => {
  for (const subset of ["latin", "latin-ext"]) {
    for (const weight of [400, 600, 700]) {
      const response = await t.app.inject({ url: `/static/open-sans-${subset}-${weight}-normal.woff2` });
      assert.equal(response.statusCode, 200, `${subset} ${weight}`);
      assert.equal(response.headers["content-type"], "font/woff2");
      assert.match(String(response.headers["cache-control"]), /max-age=3600/);
      assert.equal(response.rawPayload.subarray(0, 4).toString("latin1"), "wOF2");
      assert.equal(response.headers["set-cookie"], undefined);
    }
  }
});

test("the font package's other files are not served, and the portal's own files still are", async () => {
  for (const path of [
    "/static/open-sans-cyrillic-400-normal.woff2",
    "/static/open-sans-latin-400-italic.woff2",
    "/static/open-sans-latin-300-normal.woff2",
    "/static/open-sans-latin-400-normal.woff",
    "/static/400.css",
    "/static/package.json",
    "/static/../package.json",
  ]) {
    const response = await t.app.inject({ url: path });
    assert.equal(response.statusCode, 404, path);
  }
  const css = await t.app.inject({ url: "/static/guichet.css" });
  assert.equal(css.statusCode, 200);
  assert.match(css.body, /@font-face/);
});
