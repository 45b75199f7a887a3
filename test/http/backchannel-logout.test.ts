// Back-channel logout: when a Guichet session ends (sign-out, idle, disabled account, password reset, factor reset),
// each relying service that holds it receives a logout token signed by Guichet, through the outbox, with its retries.
// The services' endpoints are real HTTP servers on the loopback, as the demo PAVL is.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { createLocalJWKSet, type JWTPayload, jwtVerify } from "jose";
import { sql } from "kysely";
import { SESSION_IDLE_MS } from "../../src/features/auth/auth.service.js";
import { findQueuedLogouts } from "../../src/features/federation/backchannel.queries.js";
import { MAX_ATTEMPTS, retryDelayMs } from "../../src/features/mail/mail.worker.js";
import { runJobs } from "../../src/jobs.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { linkIn, readMailbox } from "../support/mailbox.js";
import { signInTo } from "../support/oidc-browser.js";
import { RegistryFixtures } from "../support/registry-fixtures.js";
import {
  authorizationRequest,
  ISSUER,
  otherMinistry,
  type RegisteredClient,
  registerClient,
  relyingParty,
} from "../support/relying-party.js";

const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";

/** The services' back-channel endpoints: what each path received, and what it answers (200 unless told). */
class Endpoints {
  readonly received = new Map<string, string[]>();
  readonly #answers = new Map<string, (attempt: number) => number>();
  readonly #servers: Server[] = [];
  #paths = 0;

  async listen(host: string): Promise<number> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const path = request.url ?? "";
        const token = new URLSearchParams(Buffer.concat(chunks).toString()).get("logout_token") ?? "";
        const tokens = this.received.get(path) ?? [];
        tokens.push(token);
        this.received.set(path, tokens);
        response.writeHead(this.#answers.get(path)?.(tokens.length) ?? 200).end();
      });
    });
    this.#servers.push(server);
    server.listen(0, host);
    await once(server, "listening");
    return (server.address() as AddressInfo).port;
  }

  /** A fresh path; answer gives the status of each attempt (1, 2, …). */
  path(answer?: (attempt: number) => number): string {
    const path = `/backchannel-${++this.#paths}`;
    if (answer) this.#answers.set(path, answer);
    return path;
  }

  tokensAt(url: string): string[] {
    return this.received.get(new URL(url).pathname) ?? [];
  }

  async close(): Promise<void> {
    for (const server of this.#servers) {
      server.close();
      server.closeAllConnections();
    }
  }
}

let t: TestApp;
let fx: RegistryFixtures;
let city: MadeOrganization;
let officer: MadeUser;
let ministry: number;
let port: number;
let otherLoopbackPort: number;
let jwks: ReturnType<typeof createLocalJWKSet>;
const endpoints = new Endpoints();
const logs: string[] = [];

before(async () => {
  t = await startTestApp({
    env: { LOG_LEVEL: "warn" },
    logStream: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  fx = new RegistryFixtures(t);
  city = await t.factories.organization("municipality", "Ville de Lévis");
  officer = await t.factories.user(city, {
    servicesOfficer: true,
    firstName: "Odile",
    lastName: "Responsable",
  });
  ministry = await otherMinistry(t, "Ministère des Transports");
  port = await endpoints.listen("127.0.0.1");
  otherLoopbackPort = await endpoints.listen("127.0.0.2");
  const published = await t.app.inject({
    method: "GET",
    url: "/oidc/jwks",
    headers: { host: "guichet.test" },
  });
  jwks = createLocalJWKSet(published.json());
});

after(async () => {
  await endpoints.close();
  await t.close();
});

/** An external service of the ministry listening for logouts at a fresh path of the loopback endpoint. */
async function listeningService(
  answer?: (attempt: number) => number,
): Promise<RegisteredClient & { url: string }> {
  const url = `http://127.0.0.1:${port}${endpoints.path(answer)}`;
  return { ...(await registerClient(t, { ministryId: ministry, backchannel: url })), url };
}

/** Someone of the city with a procuration for the ministry, so its services let them in. */
async function person(): Promise<MadeUser> {
  const user = await t.factories.user(city);
  await fx.procuration(user, { ministryId: ministry });
  return user;
}

function deliver() {
  return t.app.guichet.outbox.deliverDue();
}

/** The provider sessions of a person, whichever browser. */
function providerSessionsOf(user: MadeUser) {
  return t.database.db
    .selectFrom("oidc_payload")
    .select(["id", "guichet_session"])
    .where("model", "=", "Session")
    .where(sql`payload ->> 'accountId'`, "=", String(user.id))
    .execute();
}

/** Checks a logout token as a service must (signature, issuer, audience, type, event, no nonce); returns its claims. */
async function verifiedLogout(token: string | undefined, client: RegisteredClient): Promise<JWTPayload> {
  assert.ok(token, "a logout token was received");
  const { payload } = await jwtVerify(token, jwks, {
    issuer: ISSUER,
    audience: client.clientId,
    typ: "logout+jwt",
  });
  assert.deepEqual(payload.events, { [BACKCHANNEL_EVENT]: {} });
  assert.equal(payload.nonce, undefined);
  assert.ok(payload.jti);
  return payload;
}

/** The logout names the session and the person as the ID token did: its sid and its pairwise sub. */
async function assertTold(
  token: string | undefined,
  client: RegisteredClient,
  idToken: { sid?: unknown; sub: string },
): Promise<void> {
  const logout = await verifiedLogout(token, client);
  assert.ok(typeof idToken.sid === "string", "the ID token carries the session's sid");
  assert.equal(logout.sid, idToken.sid);
  assert.equal(logout.sub, idToken.sub);
}

/** Delivers what is due: the service was told once, of that session. */
async function assertToldOnce(
  client: RegisteredClient & { url: string },
  idToken: { sid?: unknown; sub: string },
) {
  await deliver();
  const tokens = endpoints.tokensAt(client.url);
  assert.equal(tokens.length, 1);
  await assertTold(tokens[0], client, idToken);
}

/** The person's services officer acts on their account from its page (désactivation, réinitialisation…). */
async function officerActsOn(user: MadeUser, action: string): Promise<void> {
  const agent = await t.signIn(officer.userCode);
  await agent.get(`/utilisateurs/${user.userCode}`);
  assert.equal((await agent.post(`/utilisateurs/${user.userCode}/${action}`, {})).statusCode, 303);
}

test("signing out of Guichet: each service the session signed in to gets one logout token; the provider session is gone", async () => {
  const first = await listeningService();
  const second = await listeningService();
  const silent = await registerClient(t, { ministryId: ministry });
  const user = await person();
  const browser = await t.signIn(user.userCode);
  const other = await t.signIn(user.userCode);
  const inFirst = await signInTo(t, first, browser);
  const inSecond = await signInTo(t, second, browser);
  await signInTo(t, silent, browser);
  const otherInFirst = await signInTo(t, first, other);
  assert.equal((await providerSessionsOf(user)).length, 2);

  const signOut = await browser.post("/deconnexion", {});
  assert.equal(signOut.statusCode, 303);
  assert.equal((await findQueuedLogouts(t.database.db, first.clientId)).length, 1);
  assert.equal(
    (await findQueuedLogouts(t.database.db, silent.clientId)).length,
    0,
    "a service that does not listen",
  );
  await deliver();

  assert.equal(endpoints.tokensAt(first.url).length, 1);
  assert.equal(endpoints.tokensAt(second.url).length, 1);
  await assertTold(endpoints.tokensAt(first.url)[0], first, inFirst.claims);
  await assertTold(endpoints.tokensAt(second.url)[0], second, inSecond.claims);
  assert.notEqual(otherInFirst.claims.sid, inFirst.claims.sid);
  const rows = await findQueuedLogouts(t.database.db, first.clientId);
  assert.ok(rows.every((row) => row.sent_at !== null && row.attempts === 1));

  // The other browser's session goes on: still one provider session, and a service signs it in without a question.
  assert.equal((await providerSessionsOf(user)).length, 1);
  assert.equal((await other.get("/")).statusCode, 200);
  const again = await signInTo(t, second, other);
  assert.equal(again.claims.sub, inSecond.claims.sub);

  // The signed-out browser is asked to sign in again: the provider's session went with Guichet's.
  const request = await authorizationRequest(await relyingParty(t, first), first);
  const auth = await browser.get(request.path);
  assert.equal(auth.statusCode, 303);
  assert.match(String(auth.headers.location), /\/oidc\/interaction\/[^/]+$/);
  const interaction = await browser.follow(auth);
  assert.equal(interaction.statusCode, 303);
  assert.match(String(interaction.headers.location), /^\/connexion\?retour=/);
});

test("within seconds: the running outbox worker is woken by the sign-out, without waiting for its next round", async () => {
  const client = await listeningService();
  const user = await person();
  const browser = await t.signIn(user.userCode);
  const { claims } = await signInTo(t, client, browser);
  const outbox = t.app.guichet.outbox;
  outbox.start(10 * 60_000);
  try {
    await deliver(); // its first round, at start
    const started = Date.now();
    assert.equal((await browser.post("/deconnexion", {})).statusCode, 303);
    while (endpoints.tokensAt(client.url).length === 0 && Date.now() - started < 5_000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await assertToldOnce(client, claims);
  } finally {
    await outbox.stop();
  }
});

test("the services officer disabling the account ends every provider session of the person, each service told per session", async () => {
  const client = await listeningService();
  const user = await person();
  const sessions = [];
  for (const browser of [await t.signIn(user.userCode), await t.signIn(user.userCode)])
    sessions.push((await signInTo(t, client, browser)).claims);
  await officerActsOn(user, "desactivation");
  assert.deepEqual(await providerSessionsOf(user), []);
  await deliver();
  const tokens = endpoints.tokensAt(client.url);
  assert.equal(tokens.length, 2);
  const told = [];
  for (const token of tokens) told.push((await verifiedLogout(token, client)).sid);
  assert.deepEqual(told.sort(), sessions.map((claims) => claims.sid).sort());
  for (const logout of tokens) assert.equal((await verifiedLogout(logout, client)).sub, sessions[0]?.sub);
});

test("a password reset ends the person's provider sessions once the new password is set", async () => {
  const client = await listeningService();
  const user = await person();
  const { claims } = await signInTo(t, client, await t.signIn(user.userCode));
  await officerActsOn(user, "reinitialisation");
  await deliver();
  assert.equal(endpoints.tokensAt(client.url).length, 0, "asking for a reset ends nothing yet");
  const mail = (await readMailbox(t.config.mailDir)).findLast((m) => m.to.includes(user.email));
  const link = new URL(linkIn(mail?.text ?? "")).pathname;
  const password = "Nouveau-mot-de-passe-77";
  assert.notEqual(password, TEST_PASSWORD);
  assert.equal((await t.agent().post(link, { password, confirmation: password })).statusCode, 303);
  assert.deepEqual(await providerSessionsOf(user), []);
  await assertToldOnce(client, claims);
});

test("a factor reset by the services officer ends the person's provider sessions", async () => {
  const client = await listeningService();
  const user = await person();
  const { claims } = await signInTo(t, client, await t.signIn(user.userCode));
  await officerActsOn(user, "facteurs/reinitialisation");
  assert.deepEqual(await providerSessionsOf(user), []);
  await assertToldOnce(client, claims);
});

test("an idle session ends with its provider sessions: by the expiry job, or when the person comes back", async () => {
  const client = await listeningService();
  const byJob = await person();
  const byReturn = await person();
  const jobClaims = (await signInTo(t, client, await t.signIn(byJob.userCode))).claims;
  const returning = await t.signIn(byReturn.userCode);
  const returnClaims = (await signInTo(t, client, returning)).claims;

  t.clock.advance(SESSION_IDLE_MS + 60_000);
  assert.equal(
    (await returning.get("/")).statusCode,
    303,
    "back after the idle limit: asked to sign in again",
  );
  assert.deepEqual(await providerSessionsOf(byReturn), []);
  assert.equal((await providerSessionsOf(byJob)).length, 1, "untouched until the job runs");
  await runJobs(t.app);
  assert.deepEqual(await providerSessionsOf(byJob), []);
  await deliver();

  const told = new Map<unknown, JWTPayload>();
  for (const token of endpoints.tokensAt(client.url)) {
    const logout = await verifiedLogout(token, client);
    told.set(logout.sid, logout);
  }
  assert.equal(told.size, 2);
  assert.equal(told.get(jobClaims.sid)?.sub, jobClaims.sub);
  assert.equal(told.get(returnClaims.sid)?.sub, returnClaims.sub);
});

test("a service answering 500 twice gets its logout at the third attempt, each with a fresh token; the sign-out never fails", async () => {
  const client = await listeningService((attempt) => (attempt <= 2 ? 500 : 200));
  const user = await person();
  const browser = await t.signIn(user.userCode);
  const { claims } = await signInTo(t, client, browser);
  assert.equal((await browser.post("/deconnexion", {})).statusCode, 303);
  const row = async () => (await findQueuedLogouts(t.database.db, client.clientId))[0];

  await deliver();
  const first = await row();
  assert.equal(first?.attempts, 1);
  assert.equal(first?.sent_at, null);
  assert.match(first?.last_error ?? "", /500/);
  assert.equal(first?.next_attempt_at.getTime(), t.clock().getTime() + retryDelayMs(1));
  await deliver();
  assert.equal(endpoints.tokensAt(client.url).length, 1, "not tried again before its delay");

  t.clock.advance(retryDelayMs(1));
  await deliver();
  assert.equal((await row())?.attempts, 2);
  t.clock.advance(retryDelayMs(2));
  await deliver();
  const done = await row();
  assert.equal(done?.attempts, 3);
  assert.ok(done?.sent_at);
  assert.equal(done?.failed_at, null);

  const tokens = endpoints.tokensAt(client.url);
  assert.equal(tokens.length, 3);
  const jtis = new Set<unknown>();
  for (const token of tokens) {
    await assertTold(token, client, claims);
    jtis.add((await verifiedLogout(token, client)).jti);
  }
  assert.equal(jtis.size, 3, "a new token at each attempt: none is stored");
});

test("a service that never takes its logout is given up after the last attempt, marked failed, and no token is logged", async () => {
  const client = await listeningService(() => 500);
  const user = await person();
  const browser = await t.signIn(user.userCode);
  await signInTo(t, client, browser);
  assert.equal((await browser.post("/deconnexion", {})).statusCode, 303);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    await deliver();
    t.clock.advance(retryDelayMs(attempt));
  }
  await deliver();
  const [row] = await findQueuedLogouts(t.database.db, client.clientId);
  assert.equal(row?.attempts, MAX_ATTEMPTS);
  assert.ok(row?.failed_at);
  assert.equal(row?.sent_at, null);
  const tokens = endpoints.tokensAt(client.url);
  assert.equal(tokens.length, MAX_ATTEMPTS);

  const failures = logs.filter((line) => line.includes("back-channel logout failed"));
  assert.ok(failures.length >= MAX_ATTEMPTS);
  assert.ok(failures.some((line) => JSON.parse(line).giveUp === true));
  const written = logs.join("");
  for (const token of tokens) {
    assert.ok(!written.includes(token), "a logout token is never logged");
    assert.ok(!written.includes(token.split(".")[2] ?? token));
  }
  assert.ok(!written.includes("logout_token"));
});

test("a disabled service receives nothing: disabled before the sign-out, or by the time of delivery", async () => {
  const before = await listeningService();
  const meanwhile = await listeningService();
  const user = await person();
  const browser = await t.signIn(user.userCode);
  await signInTo(t, before, browser);
  await signInTo(t, meanwhile, browser);
  const disable = (client: RegisteredClient) =>
    t.database.db
      .updateTable("oidc_client")
      .set({ disabled_at: t.clock() })
      .where("client_id", "=", client.clientId)
      .execute();
  await disable(before);
  assert.equal((await browser.post("/deconnexion", {})).statusCode, 303);
  assert.deepEqual(await providerSessionsOf(user), [], "the provider session ends all the same");
  assert.deepEqual(await findQueuedLogouts(t.database.db, before.clientId), []);
  assert.equal((await findQueuedLogouts(t.database.db, meanwhile.clientId)).length, 1);
  await disable(meanwhile);
  await deliver();
  const [row] = await findQueuedLogouts(t.database.db, meanwhile.clientId);
  assert.ok(row?.sent_at, "nobody to tell: done");
  assert.equal(row?.failed_at, null);
  assert.deepEqual(endpoints.tokensAt(before.url), []);
  assert.deepEqual(endpoints.tokensAt(meanwhile.url), []);
});

test("loopback is reached only at http://localhost or http://127.0.0.1: any other special-use address stays refused", async () => {
  const localhost = `http://localhost:${port}${endpoints.path()}`;
  const guarded = `http://127.0.0.2:${otherLoopbackPort}${endpoints.path()}`;
  const development = await registerClient(t, { ministryId: ministry, backchannel: localhost });
  const elsewhere = await registerClient(t, { ministryId: ministry, backchannel: guarded });
  const user = await person();
  const browser = await t.signIn(user.userCode);
  const { claims } = await signInTo(t, development, browser);
  await signInTo(t, elsewhere, browser);
  assert.equal((await browser.post("/deconnexion", {})).statusCode, 303);
  await deliver();
  assert.equal(endpoints.tokensAt(localhost).length, 1);
  await assertTold(endpoints.tokensAt(localhost)[0], development, claims);
  assert.deepEqual(endpoints.tokensAt(guarded), [], "the provider's guard refused the address");
  const [row] = await findQueuedLogouts(t.database.db, elsewhere.clientId);
  assert.equal(row?.sent_at, null);
  assert.match(row?.last_error ?? "", /special-use IP address/);
});
