// Guichet as the OpenID Provider of other ministries' services: discovery, the code flow with PKCE, the claims and
// pairwise subjects, the enterprise layer at the door, single sign-on and signing out, and every refused request.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sealSecret } from "../../src/features/factors/factors.crypto.js";
import { insertConfirmedTotp } from "../../src/features/factors/factors.queries.js";
import { ACR_MFA, ACR_PASSWORD } from "../../src/features/federation/provider.js";
import type { Agent } from "../support/agent.js";
import { textOf } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { addAuthenticatorApp, totpCode } from "../support/factors.js";
import { browse, signInTo as signInThrough } from "../support/oidc-browser.js";
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

const signInTo = (client: RegisteredClient, agent: Agent) => signInThrough(t, client, agent);

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

test("the subject is pairwise per ministry: one for every service of a ministry, another for another ministry", async () => {
  const firstOfA = await registerClient(t, { ministryId: ministryA });
  const secondOfA = await registerClient(t, { ministryId: ministryA });
  const ofB = await registerClient(t, { ministryId: ministryB });
  const agent = await t.signIn(holder.userCode);
  const subOf = async (client: RegisteredClient) => (await signInTo(client, agent)).claims?.sub;
  const [a1, a2, b] = [await subOf(firstOfA), await subOf(secondOfA), await subOf(ofB)];
  assert.ok(a1 && b);
  assert.equal(a1, a2);
  assert.notEqual(a1, b);
  assert.notEqual(a1, String(holder.id));
});

test("single sign-on: signed in to Guichet, a service signs the person in without asking anything", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(holder.userCode);
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client);
  const first = await agent.get(request.path);
  assert.equal(first.statusCode, 303);
  const landing = await browse(agent, request.path);
  assert.match(String(landing.headers.location), /^http:\/\/localhost:\d+\/auth\/callback\?code=/);
});

test("not signed in to Guichet: the service's request leads to Guichet's own sign-in page, and back", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = t.agent();
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client);
  const page = await browse(agent, request.path);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /name="userCode"/);
  // The sign-in form's own (the language switch's comes first and returns to this page).
  const retour = [...page.body.matchAll(/name="retour" value="([^"]+)"/g)]
    .map((m) => m[1])
    .find((v) => v?.startsWith("/oidc/"));
  assert.match(retour ?? "", /^\/oidc\/interaction\//);
  const signedIn = await agent.post("/connexion", {
    userCode: holder.userCode,
    password: TEST_PASSWORD,
    retour: retour ?? "",
  });
  assert.equal(signedIn.headers.location, retour);
  const landing = await browse(agent, String(retour));
  const callback = new URL(String(landing.headers.location));
  const tokens = await oidc.authorizationCodeGrant(rp, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  assert.equal(tokens.claims()?.name, "Hugo Titulaire");
});

test("without a procuration for the service's ministry: a French page names the RSE, and the service gets access_denied", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(stranger.userCode);
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client);
  const page = await browse(agent, request.path);
  assert.equal(page.statusCode, 403);
  const text = textOf(page.body);
  assert.match(text, /il vous faut une procuration valide de votre organisation couvrant le Ministère A/);
  assert.match(text, /Rosalie Servant/);
  const uid = /\/oidc\/interaction\/([^/"]+)\/refus/.exec(page.body)?.[1];
  assert.ok(uid);
  const back = await agent.post(`/oidc/interaction/${uid}/refus`, {});
  const landing = await browse(agent, String(back.headers.location).replace(/^https?:\/\/[^/]+/, ""));
  const callback = new URL(String(landing.headers.location));
  assert.equal(callback.searchParams.get("error"), "access_denied");
  assert.equal(callback.searchParams.get("state"), request.state);
  assert.equal(callback.searchParams.get("code"), null);
});

test("a procuration restricted to other services of the ministry does not open this one", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const other = await registerClient(t, { ministryId: ministryA });
  const restricted = await t.factories.user(city, { firstName: "Rita", lastName: "Restreinte" });
  const otherService = await fx.service(other.serviceCode);
  await fx.procuration(restricted, { ministryId: ministryA, only: [otherService] });
  const agent = await t.signIn(restricted.userCode);
  const rp = await relyingParty(t, client);
  const page = await browse(agent, (await authorizationRequest(rp, client)).path);
  assert.equal(page.statusCode, 403);
  assert.match(textOf(page.body), /limitée à certains services/);
  // The service its procuration names opens.
  const { claims } = await signInTo(other, agent);
  assert.equal(claims?.name, "Rita Restreinte");
});

test("the services officer holds every procuration of their organization: no refusal", async () => {
  const client = await registerClient(t, { ministryId: ministryB });
  const agent = await t.signIn(officer.userCode);
  const { claims } = await signInTo(client, agent);
  assert.equal(claims?.name, "Rosalie Servant");
});

test("a service whose minimum is mfa: someone with no second factor is refused, and the service gets access_denied", async () => {
  const client = await registerClient(t, { ministryId: ministryA, minAssurance: "mfa" });
  const agent = await t.signIn(holder.userCode);
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client);
  const page = await browse(agent, request.path);
  assert.equal(page.statusCode, 403);
  assert.match(textOf(page.body), /exige un deuxième facteur/);
  const uid = /\/oidc\/interaction\/([^/"]+)\/refus/.exec(page.body)?.[1];
  const back = await agent.post(`/oidc/interaction/${uid}/refus`, {});
  const landing = await browse(agent, String(back.headers.location).replace(/^https?:\/\/[^/]+/, ""));
  assert.equal(new URL(String(landing.headers.location)).searchParams.get("error"), "access_denied");
});

test("a service whose minimum is mfa: a sign-in with the second factor is let through with acr mfa", async () => {
  const client = await registerClient(t, { ministryId: ministryA, minAssurance: "mfa" });
  const person = await t.factories.user(city, { firstName: "Fabienne", lastName: "Facteur" });
  await fx.procuration(person, { ministryId: ministryA });
  const enrolling = await t.signIn(person.userCode);
  const { secret } = await addAuthenticatorApp(enrolling, t.clock());
  t.clock.advance(60_000);
  const agent = t.agent();
  const first = await agent.post("/connexion", { userCode: person.userCode, password: TEST_PASSWORD });
  assert.equal(first.headers.location, "/connexion/verification");
  await agent.get("/connexion/verification");
  const second = await agent.post("/connexion/verification", { code: await totpCode(secret, t.clock()) });
  assert.equal(second.statusCode, 303);
  const { claims } = await signInTo(client, agent);
  assert.equal(claims?.acr, ACR_MFA);
  assert.deepEqual(claims?.amr, ["pwd", "otp"]);
});

test("a service whose minimum is mfa, a session without the factor: Guichet asks for it, a wrong code changes nothing", async () => {
  const client = await registerClient(t, { ministryId: ministryA, minAssurance: "mfa" });
  const person = await t.factories.user(city, { firstName: "Paul", lastName: "Tardif" });
  await fx.procuration(person, { ministryId: ministryA });
  const agent = await t.signIn(person.userCode);
  // The factor is added after this session began (as from another browser): the session has not proved it.
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  await insertConfirmedTotp(
    t.database.db,
    person.id,
    sealSecret(t.config.mfaEncryptionKey, person.id, secret),
    t.clock(),
  );
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client);
  const page = await browse(agent, request.path);
  assert.equal(page.statusCode, 200);
  assert.match(
    textOf(page.body),
    /Ce service exige un deuxième facteur\s: confirmez votre identité pour continuer/,
  );
  const action = /action="(\/oidc\/interaction\/[^"]+\/facteur)"/.exec(page.body)?.[1];
  assert.ok(action);
  const wrong = await agent.post(action, { code: "000000" });
  assert.equal(wrong.statusCode, 400);
  assert.match(textOf(wrong.body), /Le code n'est pas le bon|code/i);
  const right = await agent.post(action, { code: await totpCode(secret, t.clock()) });
  assert.equal(right.statusCode, 303);
  const landing = await browse(agent, String(right.headers.location));
  const callback = new URL(String(landing.headers.location));
  const tokens = await oidc.authorizationCodeGrant(rp, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  assert.equal(tokens.claims()?.acr, ACR_MFA);
});

/** An authorization request written by hand, to send what openid-client never would. */
function rawAuthorization(client: RegisteredClient, params: Record<string, string | null>) {
  const query = new URLSearchParams();
  const all: Record<string, string | null> = {
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: "code",
    scope: "openid",
    state: "etat-123",
    nonce: "nonce-123",
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGlSTe4Sh4VmYvZx5g",
    code_challenge_method: "S256",
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== null) query.set(name, value);
  return `/oidc/auth?${query}`;
}

test("refused authorization requests: unknown or disabled client, unregistered redirect URI — an error page, no redirect", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const disabled = await registerClient(t, { ministryId: ministryA, disabled: true });
  const agent = await t.signIn(holder.userCode);
  const cases = [
    rawAuthorization(client, { client_id: "guichet-client-inconnu-0000" }),
    rawAuthorization(disabled, {}),
    rawAuthorization(client, { redirect_uri: "https://attaquant.example/cb" }),
    rawAuthorization(client, { redirect_uri: `${client.redirectUri}/` }),
  ];
  for (const path of cases) {
    const response = await agent.get(path);
    assert.equal(response.statusCode, 400, path);
    assert.equal(response.headers.location, undefined, path);
    assert.match(textOf(response.body), /Connexion impossible/, path);
  }
});

test("refused authorization requests: no PKCE, or plain PKCE — the service gets invalid_request, and no code", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(holder.userCode);
  for (const params of [
    { code_challenge: null, code_challenge_method: null },
    { code_challenge: "un-defi-en-clair-un-defi-en-clair-un-defi-en-clair", code_challenge_method: "plain" },
  ]) {
    const response = await agent.get(rawAuthorization(client, params));
    assert.equal(response.statusCode, 303);
    const back = new URL(String(response.headers.location));
    assert.equal(`${back.origin}${back.pathname}`, client.redirectUri);
    assert.equal(back.searchParams.get("error"), "invalid_request");
    assert.equal(back.searchParams.get("code"), null);
  }
});

test("a code works once: used twice, the second is refused and the tokens of the first stop working", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(holder.userCode);
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client);
  const landing = await browse(agent, request.path);
  const callback = new URL(String(landing.headers.location));
  const checks = {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  };
  const tokens = await oidc.authorizationCodeGrant(rp, callback, checks);
  const sub = tokens.claims()?.sub ?? "";
  await oidc.fetchUserInfo(rp, tokens.access_token, sub);
  await assert.rejects(oidc.authorizationCodeGrant(rp, callback, checks), { error: "invalid_grant" });
  await assert.rejects(
    oidc.fetchUserInfo(rp, tokens.access_token, sub),
    (error: { status?: number }) => error.status === 401,
  );
});

test("a code is the client's own: sent by another client, or after its 60 seconds, it is refused", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const thief = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(holder.userCode);
  const rp = await relyingParty(t, client);
  const thiefRp = await relyingParty(t, thief);
  const request = await authorizationRequest(rp, client);
  const callback = new URL(String((await browse(agent, request.path)).headers.location));
  const checks = {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  };
  await assert.rejects(oidc.authorizationCodeGrant(thiefRp, callback, checks), { error: "invalid_grant" });

  const late = await authorizationRequest(rp, client);
  const lateCallback = new URL(String((await browse(agent, late.path)).headers.location));
  t.clock.advance(61_000);
  await assert.rejects(
    oidc.authorizationCodeGrant(rp, lateCallback, {
      pkceCodeVerifier: late.verifier,
      expectedState: late.state,
      expectedNonce: late.nonce,
    }),
    { error: "invalid_grant" },
  );
});

test("a wrong client secret is refused with invalid_client", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(holder.userCode);
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client);
  const callback = new URL(String((await browse(agent, request.path)).headers.location));
  const impostor = await relyingParty(t, { clientId: client.clientId, secret: "pas-le-bon-secret" });
  await assert.rejects(
    oidc.authorizationCodeGrant(impostor, callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    }),
    (error: { status?: number; cause?: { parameters?: { error?: string } }[] }) =>
      error.status === 401 && error.cause?.[0]?.parameters?.error === "invalid_client",
  );
});

test("signing out from a service (RP-initiated) ends the Guichet session too", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(holder.userCode);
  const { rp, tokens } = await signInTo(client, agent);
  const end = oidc.buildEndSessionUrl(rp, {
    id_token_hint: tokens.id_token ?? "",
    post_logout_redirect_uri: client.redirectUri.replace("/auth/callback", "/"),
  });
  const confirm = await agent.get(`${end.pathname}${end.search}`);
  assert.equal(confirm.statusCode, 200);
  assert.match(textOf(confirm.body), /Voulez-vous vous déconnecter de Guichet/);
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? "";
  const done = await agent.post("/oidc/session/end/confirm", { xsrf, logout: "yes" }, { csrf: false });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, client.redirectUri.replace("/auth/callback", "/"));
  const home = await agent.get("/profil");
  assert.equal(home.statusCode, 303);
  assert.match(String(home.headers.location), /^\/connexion/);
  const audit = await t.database.db
    .selectFrom("audit_event")
    .select(["actor_user_id"])
    .where("action", "=", "auth.signOut")
    .where("actor_user_id", "=", holder.id)
    .execute();
  assert.equal(audit.length, 1, "the sign-out is in the audit log, under the person's name");
});

test("signing out from a service and answering « Non, rester connecté » keeps the Guichet session", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(officer.userCode);
  const { rp, tokens } = await signInTo(client, agent);
  const end = oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token ?? "" });
  const confirm = await agent.get(`${end.pathname}${end.search}`);
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? "";
  const done = await agent.post("/oidc/session/end/confirm", { xsrf }, { csrf: false });
  assert.equal(done.statusCode, 303);
  assert.equal((await agent.get("/profil")).statusCode, 200, "still signed in to Guichet");
});

test("a procuration for ministry B does not open a service of ministry A", async () => {
  const ofA = await registerClient(t, { ministryId: ministryA });
  const onlyB = await t.factories.user(city, { firstName: "Béatrice", lastName: "Bé" });
  await fx.procuration(onlyB, { ministryId: ministryB });
  const agent = await t.signIn(onlyB.userCode);
  const rp = await relyingParty(t, ofA);
  const page = await browse(agent, (await authorizationRequest(rp, ofA)).path);
  assert.equal(page.statusCode, 403);
  assert.match(textOf(page.body), /couvrant le Ministère A/);
});

test("the provider's pages speak English when the person chose it", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const agent = await t.signIn(stranger.userCode);
  await agent.post("/langue", { locale: "en", retour: "/" });
  const rp = await relyingParty(t, client);
  const page = await browse(agent, (await authorizationRequest(rp, client)).path);
  assert.equal(page.statusCode, 403);
  assert.match(
    textOf(page.body),
    /you need a valid procuration from your organization covering the Ministère A/,
  );
  const error = await agent.get(rawAuthorization(client, { client_id: "guichet-client-inconnu-0000" }));
  assert.match(textOf(error.body), /Sign-in impossible/);
});

test("max_age: a proof older than the service allows is asked again (the second factor, or the sign-in itself)", async () => {
  const client = await registerClient(t, { ministryId: ministryA });
  const person = await t.factories.user(city, { firstName: "Maxime", lastName: "Âge" });
  await fx.procuration(person, { ministryId: ministryA });
  const enrolling = await t.signIn(person.userCode);
  const { secret } = await addAuthenticatorApp(enrolling, t.clock());
  t.clock.advance(60_000);
  const agent = t.agent();
  await agent.post("/connexion", { userCode: person.userCode, password: TEST_PASSWORD });
  await agent.get("/connexion/verification");
  await agent.post("/connexion/verification", { code: await totpCode(secret, t.clock()) });
  t.clock.advance(5 * 60_000);
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client, { max_age: "60" });
  const page = await browse(agent, request.path);
  assert.equal(page.statusCode, 200);
  const action = /action="(\/oidc\/interaction\/[^"]+\/facteur)"/.exec(page.body)?.[1] ?? "";
  const proved = await agent.post(action, { code: await totpCode(secret, t.clock()) });
  const landing = await browse(agent, String(proved.headers.location));
  const tokens = await oidc.authorizationCodeGrant(rp, new URL(String(landing.headers.location)), {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  assert.equal(tokens.claims()?.auth_time, Math.floor(t.clock().getTime() / 1000));

  // Without a factor, the only fresh proof is a new sign-in: the session ends and the sign-in page opens.
  const plain = await t.signIn(holder.userCode);
  t.clock.advance(5 * 60_000);
  const again = await authorizationRequest(rp, client, { max_age: "60" });
  const signIn = await browse(plain, again.path);
  assert.match(signIn.body, /name="userCode"/);
  assert.equal((await plain.get("/profil")).statusCode, 303);
});
