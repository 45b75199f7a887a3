// The provider's storage: what is saved is found again, until it expires, is consumed, destroyed or its grant revoked.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import Provider, { type AdapterPayload } from "oidc-provider";
import { openTestDatabase } from "../../../test/support/app.js";
import { manualClock } from "../../clock.js";
import type { Database } from "../../db/database.js";
import { migrate } from "../../db/migrate.js";
import { deleteExpiredOidcPayloads, OidcAdapter, oidcAdapterFactory } from "./oidc.adapter.js";
import { ACCESS_TOKEN_TTL_SECONDS, prepareSigningJwks } from "./oidc.keys.js";

let database: Database;
let drop: () => Promise<void>;

before(async () => {
  ({ database, drop } = await openTestDatabase());
  await migrate(database);
});
after(() => drop());
beforeEach(async () => {
  await database.db.deleteFrom("oidc_payload").execute();
});

const START = "2026-12-08T15:00:00Z";

function adapters(start = START) {
  const clock = manualClock(start);
  const of = (model: string) => new OidcAdapter(database.db, model, clock);
  return { clock, of };
}

async function rowCount(): Promise<number> {
  const row = await database.db
    .selectFrom("oidc_payload")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

test("a saved payload is found again whole, under its model only", async () => {
  const { of } = adapters();
  const payload: AdapterPayload = {
    jti: "at-1",
    kind: "AccessToken",
    accountId: "42",
    clientId: "pavl",
    scope: "openid profile",
    extra: { organisation: { id: 7, name: "Ville de Québec" } },
    iat: 1,
    exp: 2,
  };
  await of("AccessToken").upsert("at-1", payload, 3600);
  assert.deepEqual(await of("AccessToken").find("at-1"), payload);
  assert.equal(await of("RefreshToken").find("at-1"), undefined, "another model's row is not this one");
  assert.equal(await of("AccessToken").find("at-2"), undefined);
});

test("saving the same id again replaces the payload and the expiry", async () => {
  const { clock, of } = adapters();
  const sessions = of("Session");
  await sessions.upsert("s-1", { uid: "u-1", accountId: "1" }, 60);
  await sessions.upsert("s-1", { uid: "u-1", accountId: "2" }, 3600);
  assert.equal(await rowCount(), 1);
  clock.advance(120_000);
  assert.deepEqual(await sessions.find("s-1"), { uid: "u-1", accountId: "2" });
});

test("a payload past its expiry is absent, to the second; one saved without expiry never expires", async () => {
  const { clock, of } = adapters();
  const codes = of("AuthorizationCode");
  await codes.upsert("code-1", { grantId: "g" }, 60);
  await of("Client").upsert("pavl", { client_id: "pavl" });
  clock.advance(59_999);
  assert.ok(await codes.find("code-1"), "still there a millisecond before");
  clock.advance(1);
  assert.equal(await codes.find("code-1"), undefined, "gone at its expiry");
  clock.advance(10 * 365 * 24 * 3_600_000);
  assert.deepEqual(await of("Client").find("pavl"), { client_id: "pavl" });
});

test("a consumed code comes back with `consumed`, the time of its first use in seconds, and stays consumed", async () => {
  const { clock, of } = adapters();
  const codes = of("AuthorizationCode");
  await codes.upsert("code-1", { grantId: "g" }, 600);
  assert.equal((await codes.find("code-1"))?.consumed, undefined);
  await codes.consume("code-1");
  const firstUse = Math.floor(clock().getTime() / 1000);
  assert.equal((await codes.find("code-1"))?.consumed, firstUse);
  clock.advance(5_000);
  await codes.consume("code-1");
  assert.equal((await codes.find("code-1"))?.consumed, firstUse, "a second use keeps the first time");
  await codes.upsert("code-1", { grantId: "g" }, 600);
  assert.equal((await codes.find("code-1"))?.consumed, firstUse, "saving again does not make it usable");
  await codes.consume("unknown");
  assert.equal(await rowCount(), 1, "consuming what does not exist creates nothing");
});

test("a session is found by its uid, a device code by its user code, each only under its model and until expiry", async () => {
  const { clock, of } = adapters();
  await of("Session").upsert("s-1", { uid: "uid-1", accountId: "1" }, 600);
  await of("DeviceCode").upsert("dc-1", { userCode: "ABCD-EFGH", grantId: "g" }, 300);
  assert.deepEqual(await of("Session").findByUid("uid-1"), { uid: "uid-1", accountId: "1" });
  assert.deepEqual(await of("DeviceCode").findByUserCode("ABCD-EFGH"), {
    userCode: "ABCD-EFGH",
    grantId: "g",
  });
  assert.equal(await of("Session").findByUid("uid-2"), undefined);
  assert.equal(await of("Interaction").findByUid("uid-1"), undefined);
  assert.equal(await of("DeviceCode").findByUserCode("ABCD-EFGX"), undefined);
  clock.advance(300_000);
  assert.equal(await of("DeviceCode").findByUserCode("ABCD-EFGH"), undefined);
  assert.ok(await of("Session").findByUid("uid-1"));
});

test("revoking a grant removes every token and code of it, of any model, and nothing of another grant", async () => {
  const { of } = adapters();
  for (const model of ["AccessToken", "RefreshToken", "AuthorizationCode", "DeviceCode"]) {
    await of(model).upsert(`${model}-g1`, { grantId: "g1" }, 600);
    await of(model).upsert(`${model}-g2`, { grantId: "g2" }, 600);
  }
  await of("Grant").upsert("g1", { accountId: "1", clientId: "pavl" }, 600);
  await of("Interaction").upsert("i-1", { grantId: "g1" }, 600);
  await of("AccessToken").revokeByGrantId("g1");
  for (const model of ["AccessToken", "RefreshToken", "AuthorizationCode", "DeviceCode"]) {
    assert.equal(await of(model).find(`${model}-g1`), undefined, model);
    assert.ok(await of(model).find(`${model}-g2`), `${model} of the other grant`);
  }
  // The grant itself is the provider's to destroy (revokeGrantPolicy); an interaction is no token of it.
  assert.ok(await of("Grant").find("g1"));
  assert.ok(await of("Interaction").find("i-1"));
  await of("RefreshToken").revokeByGrantId("g1");
  await of("AccessToken").revokeByGrantId("nothing");
});

test("destroy removes one row of one model", async () => {
  const { of } = adapters();
  await of("Interaction").upsert("x", { returnTo: "/a" }, 600);
  await of("Session").upsert("x", { uid: "u" }, 600);
  await of("Interaction").destroy("x");
  assert.equal(await of("Interaction").find("x"), undefined);
  assert.ok(await of("Session").find("x"));
  await of("Interaction").destroy("x");
});

test("concurrent saves of one id leave one row, holding one of the payloads whole", async () => {
  const { of } = adapters();
  const sessions = of("Session");
  const payloads = Array.from({ length: 12 }, (_, i) => ({ uid: "u", accountId: String(i), loginTs: i }));
  await Promise.all(payloads.map((payload) => sessions.upsert("s-1", payload, 600)));
  assert.equal(await rowCount(), 1);
  const found = await sessions.find("s-1");
  assert.ok(
    payloads.some((payload) => JSON.stringify(payload) === JSON.stringify(found)),
    JSON.stringify(found),
  );
});

test("ids, uids and user codes that cannot be stored (a NUL character) are found nowhere, without an error", async () => {
  const { of } = adapters();
  const codes = of("DeviceCode");
  await codes.upsert("dc-1", { userCode: "ABCD", grantId: "g" }, 600);
  assert.equal(await codes.find("dc-1\u0000"), undefined);
  assert.equal(await codes.findByUserCode("AB\u0000CD"), undefined);
  assert.equal(await of("Session").findByUid("\u0000"), undefined);
  await codes.consume("dc-1\u0000");
  await codes.destroy("dc-1\u0000");
  await codes.revokeByGrantId("g\u0000");
  assert.equal((await codes.find("dc-1"))?.consumed, undefined);
});

test("a payload holding a NUL or a lone surrogate, as a request parameter may, is stored and read back as it was", async () => {
  const { of } = adapters();
  const payload = { params: { state: "a\u0000b", nonce: "x\ud800y", ui_locales: "fr-CA" } };
  await of("Interaction").upsert("i-1", payload, 600);
  assert.deepEqual(await of("Interaction").find("i-1"), payload);
});

test("the purge deletes expired rows only, and says how many", async () => {
  const { clock, of } = adapters();
  await of("AccessToken").upsert("short", { grantId: "g" }, 60);
  await of("AccessToken").upsert("long", { grantId: "g" }, 3600);
  await of("Client").upsert("pavl", { client_id: "pavl" });
  const now = new Date(clock().getTime() + 60_000);
  assert.equal(await deleteExpiredOidcPayloads(database.db, now), 1);
  assert.equal(await rowCount(), 2);
  assert.equal(await deleteExpiredOidcPayloads(database.db, now), 0);
});

test("oidc-provider saves and finds its models through the adapter", async () => {
  const jwks = await prepareSigningJwks(database.db, Buffer.alloc(32, 7), new Date());
  const provider = new Provider("http://127.0.0.1", {
    adapter: oidcAdapterFactory(database.db),
    jwks,
    clients: [{ client_id: "pavl", client_secret: "secret-de-test", redirect_uris: ["http://127.0.0.1/cb"] }],
    features: { devInteractions: { enabled: false } },
    ttl: { AccessToken: ACCESS_TOKEN_TTL_SECONDS, Grant: ACCESS_TOKEN_TTL_SECONDS },
  });
  const client = await provider.Client.find("pavl");
  assert.ok(client);

  const grant = new provider.Grant({ accountId: "42", clientId: "pavl" });
  grant.addOIDCScope("openid profile");
  const grantId = await grant.save();
  const accessToken = new provider.AccessToken({
    accountId: "42",
    client,
    grantId,
    gty: "authorization_code",
    scope: "openid profile",
  });
  const value = await accessToken.save();
  const found = await provider.AccessToken.find(value);
  assert.equal(found?.accountId, "42");
  assert.equal(found?.clientId, "pavl");
  assert.equal(found?.grantId, grantId);

  const session = new provider.Session();
  session.accountId = "42";
  await session.save(3600);
  const byUid = await provider.Session.findByUid(session.uid);
  assert.equal(byUid?.accountId, "42");
  assert.equal(byUid?.jti, session.jti);

  const code = new provider.AuthorizationCode({
    accountId: "42",
    client,
    grantId,
    gty: "authorization_code",
    scope: "openid",
    redirectUri: "http://127.0.0.1/cb",
    codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    codeChallengeMethod: "S256",
  });
  const codeValue = await code.save();
  await (await provider.AuthorizationCode.find(codeValue))?.consume();
  const used = await provider.AuthorizationCode.find(codeValue);
  assert.ok(used && Reflect.get(used, "consumed"), "the provider sees the code as used");

  await provider.AccessToken.revokeByGrantId(grantId);
  assert.equal(await provider.AccessToken.find(value), undefined);
  assert.equal(await provider.AuthorizationCode.find(codeValue), undefined);
  assert.ok(await provider.Session.find(session.jti), "a session outlives the revocation of one grant");
});
