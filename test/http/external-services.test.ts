// « Services en ligne externes » over HTTP: who reaches it, a registration whose secret is shown once and kept only
// hashed, every bad input refused in words with nothing changed, a double registration that creates one client, one
// ministry never seeing another's, rotation, changes, disabling, the audit log, step-up, and « Mes services en ligne »
// leading straight to an external service.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import type { Insertable } from "kysely";
import type { OidcClientTable } from "../../src/db/schema.js";
import {
  clientMetadataFor,
  clientSecretMatches,
} from "../../src/features/external-services/client-metadata.js";
import type { ServiceForm } from "../../src/features/external-services/external-services.validation.js";
import { newSubmissionKey } from "../../src/features/submissions/submissions.service.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { addAuthenticatorApp, totpCode } from "../support/factors.js";
import { RegistryFixtures } from "../support/registry-fixtures.js";

const BASE = "/ministere/services-externes";
const MINUTE = 60_000;

let t: TestApp;
let fx: RegistryFixtures;
let ministry: MadeOrganization;
let admin: MadeUser;
let adminAgent: Agent;
let other: Awaited<ReturnType<RegistryFixtures["otherMinistry"]>>;
let otherAgent: Agent;
/** Everything the app logged, to prove a secret never reaches the logs. */
const logged: string[] = [];

before(async () => {
  const logStream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      logged.push(chunk.toString());
      callback();
    },
  });
  t = await startTestApp({ env: { LOG_LEVEL: "info" }, logStream });
  fx = new RegistryFixtures(t);
  ministry = await t.factories.organization("ministry");
  admin = await t.factories.user(ministry, { serviceAdminUnit: "DGI" });
  adminAgent = await t.signIn(admin.userCode);
  other = await fx.otherMinistry();
  const otherAdmin = await fx.serviceAdminOf(other.ministry, other.unitId);
  otherAgent = await t.signIn(otherAdmin.userCode);
});
after(() => t.close());

// --- Fixtures

let sequence = 0;
function nextCode(): string {
  sequence += 1;
  return `EXT-${sequence}`;
}

/** A registration that follows every rule, under a fresh code. */
function validForm(code = nextCode()): ServiceForm {
  const host = `https://${code.toLowerCase()}.transports.example`;
  return {
    code,
    nom: `Service externe ${code}`,
    categorie: "infrastructures",
    adresse: `${host}/`,
    redirections: `${host}/auth/callback`,
    retours: `${host}/`,
    deconnexion: `${host}/auth/backchannel-logout`,
    methode: "client_secret_basic",
    jwks: "",
    assurance: "mfa",
  };
}

function secretOf(response: Response): string {
  const secret = /<code class="secret" id="secret-client">([^<]+)<\/code>/.exec(response.body)?.[1];
  assert.ok(secret, `the page shows the secret: ${textOf(response.body)}`);
  return secret;
}

async function clientRow(code: string) {
  return t.database.db
    .selectFrom("oidc_client")
    .innerJoin("online_service", "online_service.id", "oidc_client.online_service_id")
    .selectAll("oidc_client")
    .select(["online_service.external_url", "online_service.name as service_name"])
    .where("online_service.code", "=", code)
    .executeTakeFirstOrThrow();
}

/** Registers through the form (the page first, for its CSRF token); returns the response and the client's row id. */
async function register(agent: Agent, form: Record<string, string>): Promise<Response> {
  await agent.get(`${BASE}/nouveau`);
  return agent.post(BASE, form);
}

async function registered(agent: Agent, form: ServiceForm = validForm()) {
  const response = await register(agent, form);
  assert.equal(response.statusCode, form.methode === "private_key_jwt" ? 303 : 200, textOf(response.body));
  const row = await clientRow(form.code);
  return { response, row, code: form.code };
}

/** What a refused request must leave as it was. */
async function state() {
  const db = t.database.db;
  return {
    services: await db.selectFrom("online_service").selectAll().orderBy("id").execute(),
    clients: await db.selectFrom("oidc_client").selectAll().orderBy("id").execute(),
    audit: await db
      .selectFrom("audit_event")
      .select("id")
      .where("action", "like", "externalService.%")
      .where("outcome", "=", "success")
      .orderBy("id")
      .execute(),
  };
}

async function auditOf(action: string, targetId: number) {
  return t.database.db
    .selectFrom("audit_event")
    .select(["actor_code", "organization_id", "target_type", "details", "outcome"])
    .where("action", "=", action)
    .where("target_id", "=", String(targetId))
    .orderBy("id")
    .execute();
}

function submissionKeyOf(html: string): string {
  const key = /name="cle" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(key, "the form carries a one-time key");
  return key;
}

// --- Who

test("only a ministry's service administrators reach « Services en ligne externes », linked from the back office", async () => {
  const anonymous = await t.agent().get(BASE);
  assert.equal(anonymous.statusCode, 303);
  assert.match(String(anonymous.headers.location), /^\/connexion/);
  const town = await t.factories.organization();
  const officer = await t.factories.user(town, { servicesOfficer: true });
  const ministryOfficer = await t.factories.user(ministry, { servicesOfficer: true });
  for (const user of [officer, ministryOfficer, await t.factories.user(town)]) {
    const agent = await t.signIn(user.userCode);
    for (const path of [BASE, `${BASE}/nouveau`]) {
      assert.equal((await agent.get(path)).statusCode, 403, `${user.userCode} ${path}`);
    }
    const before = await state();
    assert.equal((await agent.post(BASE, validForm())).statusCode, 403);
    assert.deepEqual(await state(), before);
    const denials = await t.database.db
      .selectFrom("audit_event")
      .select(["reason", "organization_id"])
      .where("action", "=", "externalService.manage")
      .where("outcome", "=", "denied")
      .where("actor_code", "=", user.userCode)
      .execute();
    assert.equal(denials.length, 3, "each refusal is in the audit log with its reason");
    assert.ok(
      denials.every((d) => d.reason === "not_service_admin" && d.organization_id === user.organizationId),
    );
  }
  const home = await adminAgent.get("/ministere");
  assert.match(home.body, /href="\/ministere\/services-externes">Services en ligne externes</);
  const list = await adminAgent.get(BASE);
  assert.equal(list.statusCode, 200);
  assert.match(textOf(list.body), /Inscrire un service en ligne externe/);
});

// --- Registration and its secret

test("a registration with a shared secret shows the secret once, keeps only its SHA-256, and adds the service to the catalogue", async () => {
  const form = validForm();
  const before = await state();
  const { response, row, code } = await registered(adminAgent, form);
  const secret = secretOf(response);
  assert.match(secret, /^[A-Za-z0-9_-]{43}$/, "256 random bits");
  assert.match(textOf(response.body), /Ce secret n'est affiché qu'une seule fois/);
  assert.ok(response.body.includes(row.client_id));

  assert.equal(row.auth_method, "client_secret_basic");
  assert.equal(row.secret_hash?.toString("hex"), createHash("sha256").update(secret).digest("hex"));
  assert.ok(row.secret_rotated_at);
  assert.equal(row.ministry_id, ministry.id);
  assert.deepEqual(row.redirect_uris, [form.redirections]);
  assert.deepEqual(row.post_logout_redirect_uris, [form.retours]);
  assert.equal(row.backchannel_logout_uri, form.deconnexion);
  assert.equal(row.min_assurance, "mfa");
  assert.equal(row.external_url, form.adresse);
  assert.match(row.client_id, /^[A-Za-z0-9_-]{22}$/);
  const after = await state();
  assert.equal(after.services.length, before.services.length + 1);
  assert.equal(after.clients.length, before.clients.length + 1);

  // The secret is nowhere else: not on the service's page, the list, the audit log or the logs.
  const page = await adminAgent.get(`${BASE}/${row.id}`);
  assert.equal(page.statusCode, 200);
  assert.ok(!page.body.includes(secret));
  assert.match(textOf(page.body), new RegExp(`${code} — Service externe ${code}`));
  assert.ok(!(await adminAgent.get(BASE)).body.includes(secret));
  const [audit] = await auditOf("externalService.register", row.id);
  assert.ok(audit);
  assert.equal(audit.actor_code, admin.userCode);
  assert.equal(audit.organization_id, ministry.id);
  assert.equal(audit.target_type, "oidc_client");
  const details = JSON.stringify(audit.details);
  assert.ok(details.includes(row.client_id) && details.includes(form.redirections));
  for (const leak of [
    secret,
    row.secret_hash?.toString("hex") ?? "",
    row.secret_hash?.toString("base64url") ?? "",
  ])
    assert.ok(!details.includes(leak), "neither the secret nor its hash in the audit log");
  assert.ok(!logged.join("").includes(secret), "the secret is not logged");

  // The provider's view: the metadata, and the secret checked against the hash.
  const metadata = await clientMetadataFor(t.database.db, row.client_id);
  assert.ok(metadata);
  assert.equal(metadata.token_endpoint_auth_method, "client_secret_basic");
  assert.equal(metadata.guichet_ministry_id, ministry.id);
  assert.equal(metadata.guichet_min_assurance, "mfa");
  assert.equal(clientSecretMatches(metadata.client_secret, secret), true);
  assert.equal(clientSecretMatches(metadata.client_secret, `${secret}x`), false);
  assert.equal(
    clientSecretMatches(metadata.client_secret, metadata.client_secret),
    false,
    "the hash is no secret",
  );

  const catalogue = await adminAgent.get("/services");
  assert.match(textOf(catalogue.body), new RegExp(`${code} — Service externe ${code}`));
  assert.ok(catalogue.body.includes(`href="${form.adresse}"`));
});

test("a registration with private_key_jwt keeps its JWKS URI and no secret", async () => {
  const form = {
    ...validForm(),
    methode: "private_key_jwt",
    jwks: "https://keys.transports.example/jwks.json",
  };
  const { response, row } = await registered(adminAgent, form);
  assert.equal(response.headers.location, `${BASE}/${row.id}`);
  const page = await adminAgent.follow(response);
  assert.match(textOf(page.body), new RegExp(`Le service en ligne externe ${form.code} est inscrit`));
  assert.doesNotMatch(textOf(page.body), /Générer un nouveau secret/);
  assert.equal(row.secret_hash, null);
  assert.equal(row.jwks_uri, form.jwks);
  const metadata = await clientMetadataFor(t.database.db, row.client_id);
  assert.equal(metadata?.jwks_uri, form.jwks);
  assert.equal(metadata?.client_secret, undefined);
  const before = await state();
  const rotation = await adminAgent.post(`${BASE}/${row.id}/secret`, { cle: newSubmissionKey() });
  assert.equal(rotation.statusCode, 303);
  assert.match(
    textOf((await adminAgent.follow(rotation)).body),
    /il n'a pas de secret à remplacer\. Rien n'a été changé/,
  );
  assert.deepEqual(await state(), before);
});

// --- Bad input

/** Each bad input: the fields changed, the message a person reads (French), and its English. */
const BAD_INPUTS: { name: string; fields: Partial<ServiceForm>; fr: RegExp; en: RegExp }[] = [
  {
    name: "missing name",
    fields: { nom: "" },
    fr: /Nom du service\s: Entrez le nom du service\./,
    en: /Service name: Enter the service name\./,
  },
  {
    name: "a redirect URI in http, not on localhost",
    fields: { redirections: "http://svc.transports.example/auth/callback" },
    fr: /Ligne 1\s: l'adresse « http:\/\/svc\.transports\.example\/auth\/callback » doit commencer par https:\/\//,
    en: /Line 1: the address “http:\/\/svc\.transports\.example\/auth\/callback” must start with https:\/\//,
  },
  {
    name: "http on localhost without a port",
    fields: { redirections: "http://localhost/auth/callback" },
    fr: /doit commencer par https:\/\/ \(http:\/\/ seulement pour http:\/\/localhost:port/,
    en: /must start with https:\/\/ \(http:\/\/ only for http:\/\/localhost:port/,
  },
  {
    name: "a redirect URI with a fragment",
    fields: { redirections: "https://svc.transports.example/auth/callback#jeton" },
    fr: /contient un fragment \(#\)\s: retirez-le/,
    en: /contains a fragment \(#\): remove it/,
  },
  {
    name: "a redirect URI with a wildcard",
    fields: { redirections: "https://*.transports.example/auth/callback" },
    fr: /contient un caractère générique \(\*\)/,
    en: /contains a wildcard \(\*\)/,
  },
  {
    name: "not a URL",
    fields: { redirections: "svc.transports.example/auth/callback" },
    fr: /« svc\.transports\.example\/auth\/callback » n'est pas une adresse web valide/,
    en: /“svc\.transports\.example\/auth\/callback” is not a valid web address/,
  },
  {
    name: "duplicate URIs",
    fields: {
      redirections:
        "https://svc.transports.example/a\nhttps://svc.transports.example/b\nhttps://svc.transports.example/a",
    },
    fr: /Ligne 3\s: l'adresse « https:\/\/svc\.transports\.example\/a » figure déjà plus haut/,
    en: /Line 3: the address “https:\/\/svc\.transports\.example\/a” is already listed above/,
  },
  {
    name: "a back-channel logout URI in http",
    fields: { deconnexion: "http://svc.transports.example/logout" },
    fr: /Adresse de déconnexion par canal arrière \(back-channel logout\)\s: L'adresse .* doit commencer par https:\/\//,
    en: /Back-channel logout URI: The address .* must start with https:\/\//,
  },
  {
    name: "private_key_jwt without a JWKS URI",
    fields: { methode: "private_key_jwt", jwks: "" },
    fr: /Adresse JWKS \(clés publiques du service\)\s: Entrez l'adresse JWKS du service\./,
    en: /JWKS URI \(the service's public keys\): Enter the service's JWKS URI\./,
  },
  {
    name: "an unknown assurance",
    fields: { assurance: "aal3" },
    fr: /Niveau d'authentification minimal\s: Choisissez un niveau d'authentification\./,
    en: /Minimum authentication level: Choose an authentication level\./,
  },
  {
    name: "an unknown method",
    fields: { methode: "client_secret_post" },
    fr: /Méthode d'authentification\s: Choisissez une méthode d'authentification\./,
    en: /Authentication method: Choose an authentication method\./,
  },
  {
    name: "control characters in the name",
    fields: { nom: "Voirie\u0007locale" },
    fr: /Nom du service\s: Ce champ contient des caractères non permis\./,
    en: /Service name: This field contains characters that are not allowed\./,
  },
  {
    name: "a NUL byte in a redirect URI",
    fields: { redirections: "https://svc.transports.example/\u0000" },
    fr: /Ligne 1\s: l'adresse contient des caractères non permis\./,
    en: /Line 1: the address contains characters that are not allowed\./,
  },
  {
    name: "a name too long",
    fields: { nom: "é".repeat(201) },
    fr: /Nom du service\s: Ce champ ne peut dépasser 200 caractères\./,
    en: /Service name: This field cannot exceed 200 characters\./,
  },
  {
    name: "a URI too long",
    fields: { adresse: `https://svc.transports.example/${"a".repeat(2000)}` },
    fr: /Adresse du service\s: L'adresse est trop longue\s: 2 000 caractères au plus\./,
    en: /Service address: The address is too long: 2,000 characters at most\./,
  },
  {
    name: "redirect URIs on two hosts",
    fields: { redirections: "https://a.transports.example/cb\nhttps://b.transports.example/cb" },
    fr: /doivent toutes être sur le même site/,
    en: /must all be on the same site/,
  },
  {
    name: "a code that is not one",
    fields: { code: "EXT/1" },
    fr: /Code du service\s: Le code contient des lettres, des chiffres/,
    en: /Service code: The code holds letters, digits/,
  },
];

test("each bad input is refused with a clear message, in French or English, nothing changed, never a 500", async () => {
  const english = await t.signIn(admin.userCode);
  await english.post("/langue", { locale: "en", retour: "/" });
  const before = await state();
  for (const bad of BAD_INPUTS) {
    const form = { ...validForm(), ...bad.fields };
    for (const [agent, expected] of [
      [adminAgent, bad.fr],
      [english, bad.en],
    ] as const) {
      const response = await register(agent, form);
      assert.equal(response.statusCode, 400, `${bad.name}: ${response.statusCode}`);
      const text = textOf(response.body);
      assert.match(text, expected, `${bad.name}: ${text.slice(0, 600)}`);
      assert.match(response.body, /class="error-summary"/);
    }
  }
  // The same rules on a change.
  const { row } = await registered(adminAgent);
  const afterRegistration = await state();
  for (const bad of BAD_INPUTS.filter((b) => !("code" in b.fields))) {
    const form = { ...validForm(), ...bad.fields };
    await adminAgent.get(`${BASE}/${row.id}/modifier`);
    const response = await adminAgent.post(`${BASE}/${row.id}`, form);
    assert.equal(response.statusCode, 400, `change, ${bad.name}`);
    assert.match(textOf(response.body), bad.fr, `change, ${bad.name}`);
  }
  assert.deepEqual(await state(), afterRegistration);
  assert.equal(afterRegistration.clients.length, before.clients.length + 1);
});

test("the same registration sent five times at once creates one service and one client; the others are told so clearly", async () => {
  const form = validForm();
  await adminAgent.get(`${BASE}/nouveau`);
  const responses = await Promise.all(Array.from({ length: 5 }, () => adminAgent.post(BASE, form)));
  const statuses = responses.map((r) => r.statusCode).sort();
  assert.deepEqual(statuses, [200, 409, 409, 409, 409]);
  const refused = responses.find((r) => r.statusCode === 409);
  assert.match(
    textOf(refused?.body ?? ""),
    new RegExp(`Un service en ligne porte déjà le code ${form.code} : rien n'a été créé`),
  );
  const clients = await t.database.db
    .selectFrom("oidc_client")
    .innerJoin("online_service", "online_service.id", "oidc_client.online_service_id")
    .select("oidc_client.id")
    .where("online_service.code", "=", form.code)
    .execute();
  assert.equal(clients.length, 1);
  const again = await register(adminAgent, form);
  assert.equal(again.statusCode, 409);
  assert.equal((await auditOf("externalService.register", clients[0]?.id ?? 0)).length, 1);
});

// --- One ministry, its own services

test("a ministry sees and manages only its own: another ministry's client is the same 404 as one that does not exist", async () => {
  const { row: mamh, code: mamhCode } = await registered(adminAgent);
  const { row: theirs, code: theirCode } = await registered(otherAgent);
  assert.equal(theirs.ministry_id, other.ministry.id);

  const ownList = textOf((await adminAgent.get(BASE)).body);
  assert.match(ownList, new RegExp(mamhCode));
  assert.doesNotMatch(ownList, new RegExp(`${theirCode} `));
  assert.doesNotMatch(textOf((await otherAgent.get(BASE)).body), new RegExp(`${mamhCode} `));

  const unknown = 99_999_999;
  const before = await state();
  for (const [agent, id, missing] of [
    [otherAgent, mamh.id, unknown],
    [adminAgent, theirs.id, unknown],
  ] as const) {
    const foreign = await agent.get(`${BASE}/${id}`);
    const absent = await agent.get(`${BASE}/${missing}`);
    assert.equal(foreign.statusCode, 404);
    assert.equal(absent.statusCode, 404);
    assert.equal(textOf(foreign.body), textOf(absent.body), "the same page: existence never leaks");
    assert.equal((await agent.get(`${BASE}/${id}/modifier`)).statusCode, 404);
    assert.equal((await agent.post(`${BASE}/${id}`, validForm())).statusCode, 404);
    assert.equal((await agent.post(`${BASE}/${id}/secret`, { cle: newSubmissionKey() })).statusCode, 404);
    assert.equal((await agent.post(`${BASE}/${id}/desactivation`, {})).statusCode, 404);
    assert.equal((await agent.post(`${BASE}/${id}/reactivation`, {})).statusCode, 404);
  }
  assert.deepEqual(await state(), before);
});

// --- Rotation, change, disabling

test("rotating the secret shows a new one once; the old one stops working at once; a double submission rotates once", async () => {
  const { response, row, code } = await registered(adminAgent);
  const first = secretOf(response);
  const page = await adminAgent.get(`${BASE}/${row.id}`);
  const key = submissionKeyOf(page.body);
  t.clock.advance(MINUTE);
  const rotated = await adminAgent.post(`${BASE}/${row.id}/secret`, { cle: key });
  assert.equal(rotated.statusCode, 200);
  const second = secretOf(rotated);
  assert.notEqual(second, first);
  const metadata = await clientMetadataFor(t.database.db, row.client_id);
  assert.equal(clientSecretMatches(metadata?.client_secret, first), false, "the old secret no longer works");
  assert.equal(clientSecretMatches(metadata?.client_secret, second), true);
  const after = await clientRow(code);
  assert.equal(after.secret_hash?.toString("hex"), createHash("sha256").update(second).digest("hex"));
  assert.equal(after.secret_rotated_at?.getTime(), t.clock().getTime());

  const repeated = await adminAgent.post(`${BASE}/${row.id}/secret`, { cle: key });
  assert.equal(repeated.statusCode, 303);
  assert.match(textOf((await adminAgent.follow(repeated)).body), /Ce formulaire avait déjà été transmis/);
  assert.equal((await clientRow(code)).secret_hash?.toString("hex"), after.secret_hash?.toString("hex"));
  const audit = await auditOf("externalService.rotateSecret", row.id);
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit).includes(second));
});

test("a change is saved and audited field by field; to private_key_jwt it forgets the secret, back to a shared secret it shows a new one once", async () => {
  const { row, code } = await registered(adminAgent);
  const form = {
    ...validForm(code),
    nom: "Nouveau nom",
    redirections: "https://new.transports.example/cb\nhttps://new.transports.example/cb2",
    assurance: "password",
  };
  const edit = await adminAgent.get(`${BASE}/${row.id}/modifier`);
  assert.match(edit.body, /<textarea id="champ-redirections" name="redirections"/);
  const changed = await adminAgent.post(`${BASE}/${row.id}`, form);
  assert.equal(changed.statusCode, 303, textOf(changed.body));
  assert.match(
    textOf((await adminAgent.follow(changed)).body),
    new RegExp(`Les changements de ${code} sont enregistrés`),
  );
  const saved = await clientRow(code);
  assert.deepEqual(saved.redirect_uris, [
    "https://new.transports.example/cb",
    "https://new.transports.example/cb2",
  ]);
  assert.equal(saved.min_assurance, "password");
  assert.equal(saved.name, "Nouveau nom");
  assert.equal(saved.service_name, "Nouveau nom");
  assert.equal(saved.secret_hash?.toString("hex"), row.secret_hash?.toString("hex"), "the secret stays");
  const [audit] = await auditOf("externalService.change", row.id);
  assert.deepEqual(Reflect.get(audit?.details ?? {}, "changed"), {
    name: { from: `Service externe ${code}`, to: "Nouveau nom" },
    redirectUris: {
      from: [`https://${code.toLowerCase()}.transports.example/auth/callback`],
      to: ["https://new.transports.example/cb", "https://new.transports.example/cb2"],
    },
    minAssurance: { from: "mfa", to: "password" },
  });

  const toKeys = await adminAgent.post(`${BASE}/${row.id}`, {
    ...form,
    methode: "private_key_jwt",
    jwks: "https://new.transports.example/jwks",
  });
  assert.equal(toKeys.statusCode, 303);
  const keyed = await clientRow(code);
  assert.equal(keyed.secret_hash, null);
  assert.equal(keyed.secret_rotated_at, null);
  assert.equal(keyed.jwks_uri, "https://new.transports.example/jwks");

  const toSecret = await adminAgent.post(`${BASE}/${row.id}`, form);
  assert.equal(toSecret.statusCode, 200);
  const secret = secretOf(toSecret);
  const back = await clientRow(code);
  assert.equal(back.jwks_uri, null);
  assert.equal(back.secret_hash?.toString("hex"), createHash("sha256").update(secret).digest("hex"));
  const changes = await auditOf("externalService.change", row.id);
  assert.deepEqual(
    changes.map((a) => Reflect.get(a.details, "secretIssued")),
    [false, false, true],
  );
});

test("a disabled client is unknown to the provider until enabled again; each audited, a second click changes nothing", async () => {
  const { row, code } = await registered(adminAgent);
  await adminAgent.get(`${BASE}/${row.id}`);
  const disabled = await adminAgent.post(`${BASE}/${row.id}/desactivation`, {});
  assert.equal(disabled.statusCode, 303);
  const page = await adminAgent.follow(disabled);
  assert.match(textOf(page.body), new RegExp(`Le client de ${code} est désactivé`));
  assert.match(textOf(page.body), /État Désactivé/);
  assert.equal(await clientMetadataFor(t.database.db, row.client_id), undefined);
  assert.match(textOf((await adminAgent.get(BASE)).body), new RegExp(`${code} .* Désactivé`));

  const again = await adminAgent.post(`${BASE}/${row.id}/desactivation`, {});
  assert.match(textOf((await adminAgent.follow(again)).body), /était déjà désactivé\. Rien n'a été changé/);

  const enabled = await adminAgent.post(`${BASE}/${row.id}/reactivation`, {});
  assert.match(
    textOf((await adminAgent.follow(enabled)).body),
    new RegExp(`Le client de ${code} est réactivé`),
  );
  assert.ok(await clientMetadataFor(t.database.db, row.client_id));
  assert.equal((await auditOf("externalService.disable", row.id)).length, 1);
  assert.equal((await auditOf("externalService.enable", row.id)).length, 1);
  for (const action of ["externalService.disable", "externalService.enable"]) {
    const [audit] = await auditOf(action, row.id);
    assert.equal(audit?.actor_code, admin.userCode);
    assert.equal(audit?.organization_id, ministry.id);
    assert.equal(audit?.outcome, "success");
  }
});

// --- Step-up

test("registering, changing and rotating a secret ask for the second factor again after 10 minutes; the secret is shown once the act is confirmed", async () => {
  const ministryAdmin = await t.factories.user(ministry, { serviceAdminUnit: "DGI" });
  const first = await t.signIn(ministryAdmin.userCode);
  const { secret: totp } = await addAuthenticatorApp(first, t.clock());
  t.clock.advance(30_000);
  const agent = t.agent();
  await agent.get("/connexion");
  await agent.post("/connexion", { userCode: ministryAdmin.userCode, password: TEST_PASSWORD });
  await agent.get("/connexion/verification");
  const signedIn = await agent.post("/connexion/verification", { code: await totpCode(totp, t.clock()) });
  assert.equal(signedIn.statusCode, 303);

  t.clock.advance(11 * MINUTE);
  const form = validForm();
  const before = await state();
  const held = await register(agent, form);
  assert.equal(held.statusCode, 303);
  const token = /^\/verification-identite\?demande=([A-Za-z0-9_-]+)$/.exec(
    String(held.headers.location),
  )?.[1];
  assert.ok(token, String(held.headers.location));
  assert.deepEqual(await state(), before, "nothing before the factor");
  const asked = await agent.follow(held);
  assert.match(textOf(asked.body), /Opération\s: inscrire un service en ligne externe/);
  const proved = await agent.post("/verification-identite", {
    demande: token,
    code: await totpCode(totp, t.clock()),
  });
  assert.equal(proved.statusCode, 303);
  await agent.follow(proved);
  const done = await agent.post("/verification-identite/confirmer", { demande: token });
  assert.equal(done.statusCode, 200);
  const secret = secretOf(done);
  const row = await clientRow(form.code);
  assert.equal(row.secret_hash?.toString("hex"), createHash("sha256").update(secret).digest("hex"));

  // Past the window again: a rotation and a change are held too; disabling is not (it only takes access away).
  t.clock.advance(11 * MINUTE);
  const page = await agent.get(`${BASE}/${row.id}`);
  const rotation = await agent.post(`${BASE}/${row.id}/secret`, { cle: submissionKeyOf(page.body) });
  assert.match(String(rotation.headers.location), /^\/verification-identite\?demande=/);
  assert.match(
    textOf((await agent.follow(rotation)).body),
    /générer un nouveau secret pour un service en ligne externe/,
  );
  const change = await agent.post(`${BASE}/${row.id}`, { ...form, assurance: "password" });
  assert.match(String(change.headers.location), /^\/verification-identite\?demande=/);
  assert.match(textOf((await agent.follow(change)).body), /modifier un service en ligne externe/);
  assert.equal((await clientRow(form.code)).min_assurance, "mfa");
  const disable = await agent.post(`${BASE}/${row.id}/desactivation`, {});
  assert.equal(disable.headers.location, `${BASE}/${row.id}`);
});

// --- « Mes services en ligne »

test("« Mes services en ligne » leads straight to an external service's address, marked « site externe », with the registry for its managers", async () => {
  const form = validForm();
  const { row } = await registered(adminAgent, form);
  const service = await fx.service(form.code);
  const town = await t.factories.organization();
  const manager = await t.factories.user(town);
  await fx.role("local_manager", manager, { organizationId: town.id, service });
  const internal = await fx.service("D32-PRIMEAU");
  await fx.role("local_manager", manager, { organizationId: town.id, service: internal });
  const home = await (await t.signIn(manager.userCode)).get("/");
  assert.ok(
    home.body.includes(`<a href="${form.adresse}" rel="external">`),
    "the entry goes out, in the same tab",
  );
  assert.doesNotMatch(home.body, /target="_blank"/);
  assert.match(
    textOf(home.body),
    new RegExp(
      `${form.code} — Service externe ${form.code} ↗ \\(site externe\\) \\(Gestionnaire local des droits d'accès\\) — Gestion des accès`,
    ),
  );
  assert.ok(home.body.includes(`href="/services/${form.code}">Gestion des accès</a>`));
  assert.match(home.body, /href="\/services\/D32-PRIMEAU"><strong>D32-PRIMEAU/);
  assert.equal(row.external_url, form.adresse);
});

// --- The database's invariants

test("the database holds the invariants: a client's ministry is its service's, one client a service, a secret only with its method", async () => {
  const db = t.database.db;
  const { row } = await registered(adminAgent);
  const base = {
    client_id: "aaaaaaaaaaaaaaaaaaaaaa",
    name: "Essai",
    redirect_uris: ["https://essai.example/cb"],
    post_logout_redirect_uris: [],
    auth_method: "private_key_jwt" as const,
    jwks_uri: "https://essai.example/jwks",
    min_assurance: "mfa" as const,
    created_at: t.clock(),
    updated_at: t.clock(),
  };
  const refused = async (values: Insertable<OidcClientTable>) => {
    await assert.rejects(db.insertInto("oidc_client").values(values).execute());
  };
  // Another ministry's client for the MAMH's service: the composite foreign key refuses it.
  await refused({ ...base, online_service_id: row.online_service_id, ministry_id: other.ministry.id });
  // A second client for the same service.
  await refused({ ...base, online_service_id: row.online_service_id, ministry_id: ministry.id });
  const service = await fx.service("D34-PIQM");
  await refused({ ...base, online_service_id: service.id, ministry_id: ministry.id, jwks_uri: null });
  await refused({
    ...base,
    online_service_id: service.id,
    ministry_id: ministry.id,
    auth_method: "client_secret_basic",
    jwks_uri: null,
  });
  await refused({ ...base, online_service_id: service.id, ministry_id: ministry.id, redirect_uris: [] });
  await assert.rejects(
    db
      .updateTable("online_service")
      .set({ external_url: "http://svc.example/" })
      .where("id", "=", service.id)
      .execute(),
    "plain http elsewhere than on localhost",
  );
  assert.equal(
    (await db.selectFrom("oidc_client").select("id").where("online_service_id", "=", service.id).execute())
      .length,
    0,
  );
});
