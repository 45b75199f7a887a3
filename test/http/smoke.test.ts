import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test("a user signs in and is greeted by name and code", async () => {
  const org = await t.factories.organization();
  const user = await t.factories.user(org, { firstName: "Julie", lastName: "Perreault" });
  const agent = await t.signIn(user.userCode);
  const home = await agent.get("/");
  assert.equal(home.statusCode, 200);
  assert.match(textOf(home.body), new RegExp(`Bonjour Julie Perreault \\(${user.userCode}\\)`));
});
