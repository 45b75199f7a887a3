// Guichet as the OpenID Provider of other ministries' services: discovery, the code flow with PKCE, the claims and
// pairwise subjects, the enterprise layer at the door, single sign-on and signing out, and every refused request.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ACR_MFA, ACR_PASSWORD } from "../../src/features/federation/provider.js";
import type { Agent, Response } from "../support/agent.js";
import { textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { RegistryFixtures } from "../support/registry-fixtures.js";
import {
  authorizationRequest,
  ISSUER,
  oidc,
  otherMinistry,
  type RegisteredClient,
  registerClient,
  relyingParty,
} from "../support/relying-party.js";

let t: TestApp;
let fx: RegistryFixtures;
let city: MadeOrganization;
let officer: MadeUser;
let holder: MadeUser;
let stranger: MadeUser;
let ministryA: number;
let ministryB: number;

before(async () => {
  t = await startTestApp();
  fx = new RegistryFixtures(t);
  city = await t.factories.organization("municipality", "Ville de Québec");
  officer = await t.factories.user(city, {
    servicesOfficer: true,
    firstName: "Rosalie",
    lastName: "Servant",
  });
  holder = await t.factories.user(city, { firstName: "Hugo", lastName: "Titulaire" });
  stranger = await t.factories.user(city, { firstName: "Sans", lastName: "Procuration" });
  ministryA = await otherMinistry(t, "Ministère A");
  ministryB = await otherMinistry(t, "Ministère B");
  await fx.procuration(holder, { ministryId: ministryA });
  await fx.procuration(holder, { ministryId: ministryB });
});

after(() => t.close());

/** Follows the browser's redirects from a path until it leaves Guichet or reaches a page. */
async function browse(agent: Agent, path: string): Promise<Response> {
  let response = await agent.get(path);
  for (let hops = 0; hops < 10 && [302, 303].includes(response.statusCode); hops++) {
    const location = String(response.headers.location);
    if (!location.startsWith("/") && !/^https?:\/\/(localhost|guichet\.test)(:80)?\//.test(location)) break;
    if (/^http:\/\/localhost:\d{4}\//.test(location) && !location.startsWith("http://localhost/")) break;
    response = await agent.follow(response);
  }
  return response;
}

/** A whole sign-in to a service by a browser already signed in to Guichet: returns the tokens. */
async function signInTo(client: RegisteredClient, agent: Agent) {
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client);
  const landing = await browse(agent, request.path);
  assert.equal(landing.statusCode, 303, textOf(landing.body).slice(0, 300));
  const callback = new URL(String(landing.headers.location));
  assert.equal(`${callback.origin}${callback.pathname}`, client.redirectUri);
  const tokens = await oidc.authorizationCodeGrant(rp, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  return { rp, tokens, claims: tokens.claims() };
}

test("discovery states what a relying service may use: code flow, PKCE S256, pairwise subjects, no « none »", async () => {
  const response = await t.app.inject({
    method: "GET",
    url: "/.well-known/openid-configuration",
    headers: { host: "guichet.test" },
  });
  assert.equal(response.statusCode, 200);
  const discovery = response.json();
  assert.equal(discovery.issuer, ISSUER);
  assert.equal(discovery.authorization_endpoint, `${ISSUER}/auth`);
  assert.equal(discovery.token_endpoint, `${ISSUER}/token`);
  assert.deepEqual(discovery.code_challenge_methods_supported, ["S256"]);
  assert.deepEqual(discovery.response_types_supported, ["code"]);
  assert.deepEqual(discovery.subject_types_supported, ["pairwise"]);
  for (const scope of ["openid", "profile", "email", "organisation"])
    assert.ok(discovery.scopes_supported.includes(scope));
  assert.deepEqual(discovery.acr_values_supported, [ACR_PASSWORD, ACR_MFA]);
  assert.deepEqual(discovery.token_endpoint_auth_methods_supported.sort(), [
    "client_secret_basic",
    "private_key_jwt",
  ]);
  for (const list of Object.keys(discovery).filter((key) => key.endsWith("alg_values_supported"))) {
    for (const alg of discovery[list])
      assert.ok(alg !== "none" && !alg.startsWith("HS"), `${list} offers ${alg}`);
  }
  const underOidc = await t.app.inject({
    method: "GET",
    url: "/oidc/.well-known/openid-configuration",
    headers: { host: "guichet.test" },
  });
  assert.deepEqual(underOidc.json(), discovery);
});

test("a person with a procuration signs in to a service: ID token and userinfo say who and for whom", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(holder.userCode);
  const { rp, tokens, claims } = await signInTo(client, agent);
  assert.ok(claims);
  assert.equal(claims.name, "Hugo Titulaire");
  assert.equal(claims.acr, ACR_PASSWORD);
  const info = await oidc.fetchUserInfo(rp, tokens.access_token, claims.sub);
  assert.equal(info.email, holder.email);
  assert.deepEqual(info.organisation, {
    id: city.id,
    kind: "municipality",
    name: "Ville de Québec",
    geoCode: city.geoCode,
  });
});
