// The language switch (#17) on every page: a page returns to itself (its query too); a form's answer, often at an
// address with no page of its own (/mandats/verification), returns to the page the form is on, in the other language,
// with what was typed in it (secrets left out); never to another site.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Agent, Response } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { makeLocalManager, type Service, serviceByCode } from "../support/application-fixtures.js";
import type { MadeUser } from "../support/factories.js";
import { decodeHtml } from "../support/text.js";

let t: TestApp;
let service: Service;
let manager: MadeUser;

before(async () => {
  t = await startTestApp();
  service = await serviceByCode(t);
  const city = await t.factories.organization("municipality", "Ville d'Essai-sur-Mer");
  manager = await makeLocalManager(t, city, service);
});
after(() => t.close());

/** The fields of the page's language switch, as a browser would send them. */
function switchFields(response: Response): Record<string, string> {
  const form = /<form method="post" action="\/langue"[^>]*>([\s\S]*?)<\/form>/.exec(response.body)?.[1];
  assert.ok(form, "the page has the language switch");
  const fields: Record<string, string> = {};
  // Its own inputs, and those joined to it by its id (the input carried, after the form's fields in the page).
  const joined = response.body.matchAll(/<input type="hidden" form="langue" name="([^"]+)" value="([^"]*)"/g);
  for (const input of [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g), ...joined]) {
    fields[decodeHtml(input[1] ?? "")] = decodeHtml(input[2] ?? "");
  }
  return fields;
}

/** The value of a text field of the page. */
function fieldValue(response: Response, name: string): string | undefined {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(response.body)?.[0];
  const value = input ? /value="([^"]*)"/.exec(input)?.[1] : undefined;
  return value === undefined ? undefined : decodeHtml(value);
}

async function switchLanguage(agent: Agent, from: Response): Promise<Response> {
  const switched = await agent.post("/langue", switchFields(from));
  assert.equal(switched.statusCode, 303);
  return switched;
}

test("a form's answer at an address with no page returns to the form's page, in English, with what was typed", async () => {
  const agent = await t.signIn(manager.userCode);
  await agent.get("/mandats");
  const answer = await agent.post("/mandats/verification", { demande: "", agent: "ZZZ9999" });
  assert.ok([400, 422].includes(answer.statusCode), `${answer.statusCode}`);
  assert.equal(switchFields(answer).retour, "/mandats");
  assert.equal(switchFields(answer)["saisie.agent"], "ZZZ9999");
  assert.equal(switchFields(answer)["saisie._csrf"], undefined, "the form's token is not carried");

  const switched = await switchLanguage(agent, answer);
  assert.equal(switched.headers.location, "/mandats");
  const page = await agent.follow(switched);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<html lang="en-CA">/);
  assert.equal(fieldValue(page, "agent"), "ZZZ9999");
  // Carried once: the page again is the page as it is.
  assert.equal(fieldValue(await agent.get("/mandats"), "agent") ?? "", "");
  // And back to French the same way.
  const again = await agent.post("/mandats/verification", { demande: "", agent: "YYY8888" });
  const back = await agent.follow(await switchLanguage(agent, again));
  assert.match(back.body, /<html lang="fr-CA">/);
  assert.equal(fieldValue(back, "agent"), "YYY8888");
});

test("the page the form came from, when the browser names a page of this site; another site's is ignored", async () => {
  const agent = await t.signIn(manager.userCode);
  const list = `/services/${encodeURIComponent(service.code)}/mandats?texte=conduite`;
  await agent.get(list);
  const fields = { service: service.code, demande: "", agent: "ZZZ9999" };
  const fromList = await agent.post("/mandats/verification", fields, {
    headers: { referer: `http://guichet.test${list}` },
  });
  assert.equal(switchFields(fromList).retour, list);
  const switched = await switchLanguage(agent, fromList);
  assert.equal(switched.headers.location, list);
  assert.equal((await agent.follow(switched)).statusCode, 200);

  for (const referer of [
    "https://ailleurs.example/mandats/verification",
    "http://guichet.test//ailleurs.example/x",
    "http://guichet.test/mandats/verification",
    "pas une adresse",
  ]) {
    const answer = await agent.post("/mandats/verification", fields, { headers: { referer } });
    assert.equal(switchFields(answer).retour, "/mandats", referer);
  }
});

test("a page returns to itself with its query; a secret is never carried; /langue stays on this site", async () => {
  const agent = await t.signIn(manager.userCode);
  const list = `/services/${encodeURIComponent(service.code)}/mandats?texte=conduite&page=1`;
  assert.equal(switchFields(await agent.get(list)).retour, list);

  const password = await agent.post("/profil/mot-de-passe", {
    currentPassword: "Mauvais-mot-de-passe-1",
    newPassword: "x",
    confirmPassword: "y",
  });
  assert.ok([400, 422].includes(password.statusCode), `${password.statusCode}`);
  const carried = switchFields(password);
  assert.equal(carried.retour, "/profil");
  assert.deepEqual(
    Object.keys(carried).filter((name) => name.startsWith("saisie.")),
    [],
    "no password is written into the page",
  );
  const page = await agent.follow(await switchLanguage(agent, password));
  assert.equal(page.statusCode, 200);

  for (const retour of ["//ailleurs.example/x", "https://ailleurs.example/", "/\\ailleurs.example"]) {
    const refused = await agent.post("/langue", { locale: "fr", retour });
    assert.equal(refused.headers.location, "/", retour);
  }
});
