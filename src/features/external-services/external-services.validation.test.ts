// The rule every URI of an external service follows, as a truth table: https, or http on localhost with a port; the
// exact string kept; no wildcard, fragment, user name, space or control character; lists without repeats, on one host.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  checkRegistration,
  checkUri,
  readUriList,
  type ServiceForm,
  URI_MAX,
  type UriRuleBreak,
  uriListError,
} from "./external-services.validation.js";

const TABLE: [string, UriRuleBreak | null][] = [
  ["https://pavl.transports.example/auth/callback", null],
  ["https://pavl.transports.example", null],
  ["https://pavl.transports.example:8443/cb?x=1", null],
  ["HTTPS://PAVL.transports.example/cb", null],
  ["http://localhost:3001/auth/callback", null],
  ["http://localhost:3001", null],
  ["http://127.0.0.1:8080/cb", null],
  ["http://localhost/cb", "scheme"],
  ["http://127.0.0.1/cb", "scheme"],
  ["http://pavl.transports.example/cb", "scheme"],
  ["http://localhost.example:3001/cb", "scheme"],
  ["http://localhost:3001@evil.example/cb", "scheme"],
  ["http://[::1]:3001/cb", "scheme"],
  ["ftp://pavl.transports.example/cb", "scheme"],
  ["javascript:alert(1)", "scheme"],
  ["https://pavl.transports.example/cb#fin", "fragment"],
  ["https://pavl.transports.example/cb#", "fragment"],
  ["https://*.transports.example/cb", "wildcard"],
  ["https://pavl.transports.example/*", "wildcard"],
  ["pavl.transports.example/cb", "notUrl"],
  ["/auth/callback", "notUrl"],
  ["https://", "notUrl"],
  ["https:/pavl.transports.example/cb", "notUrl"],
  ["https:\\\\pavl.transports.example\\cb", "notUrl"],
  ["https://pavl.transports.example\\@evil.example/", "notUrl"],
  ["https://user:pass@pavl.transports.example/cb", "userInfo"],
  ["https://user@pavl.transports.example/cb", "userInfo"],
  ["https://pavl.transports.example/a b", "spaces"],
  ["https://pavl.trans\tports.example/cb", "controlCharacters"],
  ["https://pavl.transports.example/\u0000", "controlCharacters"],
  ["https://pavl.transports.example/\u202e", "controlCharacters"],
  [`https://pavl.transports.example/${"a".repeat(URI_MAX)}`, "tooLong"],
];

test("each URI is refused for the first rule it breaks, or accepted as typed", () => {
  const mismatches = TABLE.filter(([uri, expected]) => checkUri(uri) !== expected).map(
    ([uri, expected]) => `${JSON.stringify(uri)}: expected ${expected}, got ${checkUri(uri)}`,
  );
  assert.deepEqual(mismatches, []);
});

test("a list is one URI a line, trimmed, blank lines left out; each line's error names its line", () => {
  assert.deepEqual(readUriList(" https://a.example/1 \r\n\r\nhttps://a.example/2\rhttps://a.example/3\n"), [
    "https://a.example/1",
    "https://a.example/2",
    "https://a.example/3",
  ]);
  assert.deepEqual(
    uriListError("https://a.example/1\nhttp://a.example/2", {
      required: "externalServices.required.redirects",
      oneHost: false,
    }).error,
    {
      key: "externalServices.uriLine.scheme",
      params: { uri: "http://a.example/2", line: 2 },
    },
  );
  assert.deepEqual(
    uriListError("https://a.example/1\nhttps://a.example/\u0007", {
      required: "externalServices.required.redirects",
      oneHost: false,
    }).error,
    { key: "externalServices.uriLine.controlCharacters", params: { line: 2 } },
    "a control character is never echoed",
  );
});

test("a list: required or not, no repeat (exact strings), ten at most, redirect URIs on one host", () => {
  const options = { required: "externalServices.required.redirects", oneHost: true } as const;
  assert.deepEqual(uriListError("  \n ", options).error, { key: "externalServices.required.redirects" });
  assert.equal(uriListError("", { required: null, oneHost: false }).error, undefined);
  assert.deepEqual(uriListError("https://a.example/cb\nhttps://a.example/cb", options).error, {
    key: "externalServices.uris.duplicate",
    params: { uri: "https://a.example/cb", line: 2 },
  });
  // Not the same string, so not a repeat: the provider compares exactly.
  assert.equal(uriListError("https://a.example/cb\nhttps://a.example/cb/", options).error, undefined);
  const eleven = Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`).join("\n");
  assert.deepEqual(uriListError(eleven, options).error, {
    key: "externalServices.uris.tooMany",
    params: { max: 10 },
  });
  assert.deepEqual(uriListError("https://a.example/cb\nhttps://b.example/cb", options).error, {
    key: "externalServices.uris.oneHost",
  });
  assert.deepEqual(uriListError("http://localhost:3001/cb\nhttp://localhost:3002/cb", options).error, {
    key: "externalServices.uris.oneHost",
  });
  assert.equal(
    uriListError("https://a.example/cb\nhttps://b.example/", { required: null, oneHost: false }).error,
    undefined,
    "post-logout URIs may be on several hosts",
  );
  assert.deepEqual(uriListError("https://a.example/cb\n".repeat(5000), options).error, {
    key: "field.tooLong",
    params: { max: 20020 },
  });
});

const VALID: ServiceForm = {
  code: "PAVL",
  nom: "Programme d'aide à la voirie locale",
  categorie: "infrastructures",
  adresse: "https://pavl.transports.example/",
  redirections: "https://pavl.transports.example/auth/callback",
  retours: "https://pavl.transports.example/",
  deconnexion: "https://pavl.transports.example/auth/backchannel-logout",
  methode: "client_secret_basic",
  jwks: "",
  assurance: "mfa",
};

test("a registration: every field checked, the JWKS URI only and always with private_key_jwt", () => {
  const ok = checkRegistration(VALID);
  assert.ok(ok.ok);
  assert.deepEqual(ok.value.redirectUris, ["https://pavl.transports.example/auth/callback"]);
  assert.equal(ok.value.jwksUri, null);
  assert.equal(ok.value.category, "infrastructures");

  const errorsOf = (form: Partial<ServiceForm>) => {
    const checked = checkRegistration({ ...VALID, ...form });
    return checked.ok ? {} : Object.fromEntries(Object.entries(checked.errors).map(([k, v]) => [k, v?.key]));
  };
  assert.deepEqual(errorsOf({ methode: "private_key_jwt" }), { jwks: "externalServices.required.jwks" });
  assert.deepEqual(errorsOf({ methode: "private_key_jwt", jwks: "http://keys.example/jwks" }), {
    jwks: "externalServices.uri.scheme",
  });
  assert.deepEqual(
    errorsOf({ methode: "private_key_jwt", jwks: "https://pavl.transports.example/jwks" }),
    {},
  );
  assert.deepEqual(errorsOf({ jwks: "https://pavl.transports.example/jwks" }), {
    jwks: "externalServices.jwks.onlyWithKeys",
  });
  assert.deepEqual(errorsOf({ methode: "none" }), { methode: "externalServices.method.invalid" });
  assert.deepEqual(errorsOf({ assurance: "aal3" }), { assurance: "externalServices.assurance.invalid" });
  assert.deepEqual(errorsOf({ categorie: "other" }), { categorie: "externalServices.category.invalid" });
  assert.deepEqual(errorsOf({ code: "-PAVL" }), { code: "externalServices.code.invalid" });
  assert.deepEqual(errorsOf({ code: "PAVL/2" }), { code: "externalServices.code.invalid" });
  assert.deepEqual(errorsOf({ code: "D52-PRIMA 2.0" }), {});
  assert.deepEqual(errorsOf({ code: "P".repeat(41) }), { code: "field.tooLong" });
  assert.deepEqual(errorsOf({ nom: "" }), { nom: "externalServices.required.name" });
  assert.deepEqual(errorsOf({ nom: "Voirie\u0000" }), { nom: "field.controlCharacters" });
  assert.deepEqual(errorsOf({ nom: "é".repeat(201) }), { nom: "field.tooLong" });
  assert.deepEqual(errorsOf({ adresse: "" }), { adresse: "externalServices.required.address" });
  assert.deepEqual(errorsOf({ deconnexion: "https://pavl.transports.example/#x" }), {
    deconnexion: "externalServices.uri.fragment",
  });
  assert.deepEqual(Object.keys(errorsOf({ code: "", nom: "", redirections: "" })), [
    "code",
    "nom",
    "redirections",
  ]);
});
