// The provider's signing keys: made once however many servers start, sealed at rest, rotated with the old ones kept
// for verification until their tokens have expired.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, beforeEach, test } from "node:test";
import Provider, { type JWKS } from "oidc-provider";
import { openTestDatabase } from "../../../test/support/app.js";
import type { Database } from "../../db/database.js";
import { migrate } from "../../db/migrate.js";
import { sealSecret } from "../factors/factors.crypto.js";
import { oidcAdapterFactory } from "./oidc.adapter.js";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  ensureSigningKeys,
  ID_TOKEN_TTL_SECONDS,
  loadSigningJwks,
  prepareSigningJwks,
  RETIRED_KEY_KEEP_MS,
  rotateSigningKeys,
} from "./oidc.keys.js";

let database: Database;
let drop: () => Promise<void>;
const key = randomBytes(32);
const now = new Date("2026-12-08T15:00:00Z");
const HOUR = 3_600_000;

before(async () => {
  ({ database, drop } = await openTestDatabase());
  await migrate(database);
});
after(() => drop());
beforeEach(async () => {
  await database.db.deleteFrom("oidc_signing_key").execute();
});

const at = (ms: number) => new Date(now.getTime() + ms);

async function activeKeys() {
  return database.db
    .selectFrom("oidc_signing_key")
    .select(["kid", "algorithm"])
    .where("retired_at", "is", null)
    .orderBy("algorithm")
    .execute();
}

/** A provider as a server would start it, with one client that names no algorithm (so RS256) and one that asks ES256. */
async function providerWith(jwks: JWKS) {
  const provider = new Provider("http://127.0.0.1", {
    adapter: oidcAdapterFactory(database.db),
    jwks,
    clients: [
      { client_id: "default", client_secret: "secret-de-test", redirect_uris: ["http://127.0.0.1/cb"] },
      {
        client_id: "es256",
        client_secret: "secret-de-test",
        redirect_uris: ["http://127.0.0.1/cb"],
        id_token_signed_response_alg: "ES256",
      },
    ],
    features: { devInteractions: { enabled: false } },
    ttl: { IdToken: ID_TOKEN_TTL_SECONDS },
  });
  const client = async (id: string) => {
    const found = await provider.Client.find(id);
    assert.ok(found, id);
    return found;
  };
  return {
    idToken: async (clientId: string) => {
      const token = new provider.IdToken({}, { client: await client(clientId) });
      token.set("sub", "personne");
      return token.issue({ use: "idtoken" });
    },
    validate: async (clientId: string, jwt: string) => provider.IdToken.validate(jwt, await client(clientId)),
  };
}

function header(jwt: string): { kid?: string; alg?: string } {
  return JSON.parse(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString("utf8"));
}

test("the first start makes one ES256 and one RS256 key; later starts make none", async () => {
  const made = await ensureSigningKeys(database.db, key, now);
  assert.deepEqual(made.map((k) => k.algorithm).sort(), ["ES256", "RS256"]);
  assert.deepEqual(await ensureSigningKeys(database.db, key, at(HOUR)), []);
  const jwks = await loadSigningJwks(database.db, key, now);
  assert.deepEqual(
    jwks.keys.map((k) => [k.kty, k.alg, k.use, k.crv]),
    [
      ["EC", "ES256", "sig", "P-256"],
      ["RSA", "RS256", "sig", undefined],
    ],
    "ES256 first: the preferred key leads",
  );
  assert.deepEqual(
    jwks.keys.map((k) => k.kid),
    ["ES256", "RS256"].map((algorithm) => made.find((k) => k.algorithm === algorithm)?.kid),
  );
  for (const jwk of jwks.keys)
    assert.equal(typeof jwk.d, "string", "the provider gets the private key to sign");
});

test("servers starting together make one key set between them", async () => {
  await Promise.all(Array.from({ length: 4 }, () => ensureSigningKeys(database.db, key, now)));
  assert.deepEqual(
    (await activeKeys()).map((k) => k.algorithm),
    ["ES256", "RS256"],
  );
  const all = await database.db.selectFrom("oidc_signing_key").select("kid").execute();
  assert.equal(all.length, 2, "the keys that lost the race were not stored");
  assert.equal((await loadSigningJwks(database.db, key, now)).keys.length, 2);
});

test("the database refuses a second active key of one algorithm", async () => {
  await ensureSigningKeys(database.db, key, now);
  const [es] = await activeKeys();
  assert.ok(es);
  await assert.rejects(
    database.db
      .insertInto("oidc_signing_key")
      .values({
        kid: "autre",
        algorithm: es.algorithm,
        private_jwk_ciphertext: Buffer.alloc(40),
        created_at: now,
        activated_at: now,
      })
      .execute(),
  );
});

test("a rotation activates new keys, and the old ones verify but no longer sign until their keeping time ends", async () => {
  const before = await prepareSigningJwks(database.db, key, now);
  const oldKids = before.keys.map((k) => k.kid);
  const oldProvider = await providerWith(before);
  const oldRs = await oldProvider.idToken("default");
  const oldEs = await oldProvider.idToken("es256");
  assert.deepEqual([header(oldRs).alg, header(oldEs).alg], ["RS256", "ES256"]);

  const made = await rotateSigningKeys(database.db, key, at(HOUR), 24 * HOUR);
  assert.equal(made.length, 2);
  for (const k of made) assert.ok(!oldKids.includes(k.kid), "new kids");

  const during = await loadSigningJwks(database.db, key, at(HOUR));
  assert.deepEqual(
    during.keys.map((k) => k.kid),
    [...["ES256", "RS256"].map((a) => made.find((k) => k.algorithm === a)?.kid), ...oldKids],
    "the active keys first, the retired ones after",
  );
  assert.deepEqual(
    during.keys.map((k) => k.key_ops),
    [undefined, undefined, ["verify"], ["verify"]],
  );
  const rotated = await providerWith(during);
  const newRs = await rotated.idToken("default");
  const newEs = await rotated.idToken("es256");
  assert.deepEqual(
    [header(newRs).kid, header(newEs).kid],
    ["RS256", "ES256"].map((a) => made.find((k) => k.algorithm === a)?.kid),
    "the provider signs with the new keys only",
  );
  await rotated.validate("default", oldRs);
  await rotated.validate("es256", oldEs);
  // Even listed first, a retired key does not sign: it is limited to verifying.
  const retiredFirst = await providerWith({ keys: [...during.keys].reverse() });
  assert.equal(
    header(await retiredFirst.idToken("es256")).kid,
    made.find((k) => k.algorithm === "ES256")?.kid,
  );

  assert.equal((await loadSigningJwks(database.db, key, at(25 * HOUR - 1))).keys.length, 4);
  const afterwards = await loadSigningJwks(database.db, key, at(25 * HOUR));
  assert.deepEqual(
    afterwards.keys.map((k) => k.kid),
    ["ES256", "RS256"].map((a) => made.find((k) => k.algorithm === a)?.kid),
    "forgotten once their keeping time is over",
  );
  const forgotten = await providerWith(afterwards);
  await assert.rejects(forgotten.validate("default", oldRs));
  await forgotten.validate("default", newRs);
});

test("by default a retired key is kept a day, well past the longest-lived signed token", async () => {
  await ensureSigningKeys(database.db, key, now);
  await rotateSigningKeys(database.db, key, now);
  const retired = await database.db
    .selectFrom("oidc_signing_key")
    .select(["retired_at", "forget_after"])
    .where("retired_at", "is not", null)
    .execute();
  assert.equal(retired.length, 2);
  for (const row of retired) {
    assert.equal(row.forget_after?.getTime(), now.getTime() + RETIRED_KEY_KEEP_MS);
  }
  assert.ok(RETIRED_KEY_KEEP_MS >= Math.max(ID_TOKEN_TTL_SECONDS, ACCESS_TOKEN_TTL_SECONDS) * 1000);
});

test("a rotation deletes the keys whose keeping time is over, and keeps the others", async () => {
  await ensureSigningKeys(database.db, key, now);
  await rotateSigningKeys(database.db, key, at(HOUR), HOUR);
  await rotateSigningKeys(database.db, key, at(90 * 60_000), HOUR);
  assert.equal((await database.db.selectFrom("oidc_signing_key").select("kid").execute()).length, 6);
  await rotateSigningKeys(database.db, key, at(2 * HOUR), HOUR);
  assert.equal((await database.db.selectFrom("oidc_signing_key").select("kid").execute()).length, 6);
  assert.equal((await activeKeys()).length, 2);
});

test("rotations at the same time never leave two active keys of one algorithm", async () => {
  await ensureSigningKeys(database.db, key, now);
  const results = await Promise.allSettled([
    rotateSigningKeys(database.db, key, at(HOUR)),
    rotateSigningKeys(database.db, key, at(HOUR)),
  ]);
  // PostgreSQL refuses the later one on the unique index; PGlite, with one connection, runs them one after the other.
  const done = results.filter((r) => r.status === "fulfilled").length;
  assert.ok(done >= 1);
  assert.deepEqual(
    (await activeKeys()).map((k) => k.algorithm),
    ["ES256", "RS256"],
  );
  assert.equal((await loadSigningJwks(database.db, key, at(HOUR))).keys.length, 2 + 2 * done);
});

test("the private key is never stored in clear", async () => {
  const jwks = await prepareSigningJwks(database.db, key, now);
  const rows = await database.db.selectFrom("oidc_signing_key").selectAll().execute();
  assert.equal(rows.length, 2);
  for (const row of rows) {
    const jwk = jwks.keys.find((k) => k.kid === row.kid);
    assert.ok(jwk?.d);
    const stored = row.private_jwk_ciphertext;
    for (const text of [stored.toString("utf8"), stored.toString("latin1"), JSON.stringify(row)]) {
      assert.ok(!text.includes('"d"'), "no d parameter");
      assert.ok(!text.includes(jwk.d), "no private exponent");
    }
    assert.ok(!stored.includes(Buffer.from(jwk.d, "base64url")), "nor its raw bytes");
  }
});

test("a key sealed for another purpose, another row or under another encryption key does not open", async () => {
  await ensureSigningKeys(database.db, key, now);
  const [es, rs] = await database.db
    .selectFrom("oidc_signing_key")
    .select(["kid", "private_jwk_ciphertext"])
    .orderBy("algorithm")
    .execute();
  assert.ok(es && rs);
  await assert.rejects(loadSigningJwks(database.db, randomBytes(32), now), /does not open/);

  // The ES256 key's bytes moved onto the RS256 row.
  await database.db
    .updateTable("oidc_signing_key")
    .set({ private_jwk_ciphertext: es.private_jwk_ciphertext })
    .where("kid", "=", rs.kid)
    .execute();
  await assert.rejects(loadSigningJwks(database.db, key, now), new RegExp(`${rs.kid} does not open`));

  // A JWK sealed by the same key for an authenticator app, as a factor's column holds it.
  await database.db
    .updateTable("oidc_signing_key")
    .set({ private_jwk_ciphertext: sealSecret(key, 1, JSON.stringify({ kty: "EC", kid: rs.kid })) })
    .where("kid", "=", rs.kid)
    .execute();
  await assert.rejects(loadSigningJwks(database.db, key, now), /does not open/);
});
