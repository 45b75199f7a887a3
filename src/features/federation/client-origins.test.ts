import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Fastify from "fastify";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import { otherMinistry, registerClient } from "../../../test/support/relying-party.js";
import { registerSecurityHeaders } from "../../web/security-headers.js";
import { ClientOrigins } from "./client-origins.js";

let t: TestApp;

before(async () => {
  t = await startTestApp();
});

after(() => t.close());

test("the origins of enabled clients' redirect and post-logout addresses, read again once 30 s old", async () => {
  let now = 0;
  const origins = new ClientOrigins(t.database.db, () => now);
  await origins.refresh();
  assert.deepEqual(origins.current(), []);
  const ministry = await otherMinistry(t);
  const enabled = await registerClient(t, { ministryId: ministry });
  await registerClient(t, { ministryId: ministry, disabled: true });
  assert.deepEqual(origins.current(), [], "a list younger than 30 s is used as it is");
  now += 30_000;
  origins.current();
  await origins.refresh();
  assert.deepEqual(origins.current(), [new URL(enabled.redirectUri).origin]);
});

test("form-action allows the site and the given origins, and follows their changes", async () => {
  const app = Fastify();
  let list: string[] = [];
  registerSecurityHeaders(
    app,
    { contentSecurityPolicy: { directives: { formAction: ["'self'"] } } },
    () => list,
  );
  app.get("/", async () => "ok");
  const policy = async () =>
    String((await app.inject({ method: "GET", url: "/" })).headers["content-security-policy"]);
  assert.match(await policy(), /form-action 'self'(;|$)/);
  list = ["http://localhost:3001", "https://service.example"];
  assert.match(await policy(), /form-action 'self' http:\/\/localhost:3001 https:\/\/service\.example(;|$)/);
  list = [];
  assert.match(await policy(), /form-action 'self'(;|$)/);
  await app.close();
});
