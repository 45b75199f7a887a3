// Passkeys through real HTTP: registering one in « Sécurité du compte », the second step of a sign-in and step-up with
// one, and every refusal (another user's key, another origin, a replay, a counter that does not increase, an unknown
// key) in French or English, audited, with nothing changed. The attestations and assertions are built with node:crypto
// (test/support/passkeys.ts); @simplewebauthn/server verifies them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Agent, textOf } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeUser } from "../support/factories.js";
import { secretOf, totpCode } from "../support/factors.js";
import { type CreationOptions, type RequestOptions, SoftAuthenticator } from "../support/passkeys.js";

const ORIGIN = "http://guichet.test";
const SECOND_STEP = "/connexion/verification";
const MINUTE = 60_000;

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

let addressSequence = 0;
/** Each browser from its own address, so that per-address failure counts never leak between tests. */
function browser(): Agent {
  addressSequence += 1;
  return new Agent(t.app, `10.9.${Math.floor(addressSequence / 250)}.${addressSequence % 250}`);
}

async function newUser(options: { servicesOfficer?: boolean } = {}): Promise<MadeUser> {
  return t.factories.user(await t.factories.organization(), options);
}

async function signedIn(user: MadeUser): Promise<Agent> {
  const agent = browser();
  await agent.signIn(user.userCode, TEST_PASSWORD);
  return agent;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The options a page's script fetches (a form post with its CSRF token), as JSON. */
async function optionsFrom(agent: Agent, url: string, fields: Record<string, string> = {}): Promise<unknown> {
  const response = await agent.post(url, fields);
  assert.equal(response.statusCode, 200, response.body);
  const value: unknown = JSON.parse(response.body);
  assert.ok(isRecord(value) && typeof value.challenge === "string", "options carry a challenge");
  return value;
}

function creationOptions(value: unknown): CreationOptions {
  assert.ok(isRecord(value) && typeof value.challenge === "string");
  assert.ok(isRecord(value.rp) && isRecord(value.user) && typeof value.user.id === "string");
  return {
    challenge: value.challenge,
    rp: typeof value.rp.id === "string" ? { id: value.rp.id } : {},
    user: { id: value.user.id },
  };
}

function requestOptions(value: unknown): RequestOptions {
  assert.ok(isRecord(value) && typeof value.challenge === "string");
  return { challenge: value.challenge, ...(typeof value.rpId === "string" ? { rpId: value.rpId } : {}) };
}

/** Registers a passkey of this authenticator through « Sécurité du compte »; returns the page the form led to. */
async function registerPasskey(agent: Agent, authenticator: SoftAuthenticator, name: string) {
  await agent.get("/profil/securite");
  const options = creationOptions(await optionsFrom(agent, "/profil/securite/cles/options", { name }));
  return agent.post("/profil/securite/cles", { name, credential: authenticator.create(options, ORIGIN) });
}

async function userWithPasskey(
  options: { synced?: boolean; servicesOfficer?: boolean } = {},
): Promise<{ user: MadeUser; authenticator: SoftAuthenticator }> {
  const user = await newUser({ servicesOfficer: options.servicesOfficer ?? false });
  const authenticator = new SoftAuthenticator({ synced: options.synced ?? false });
  const agent = await signedIn(user);
  const added = await registerPasskey(agent, authenticator, "Portable bureau");
  assert.equal(added.statusCode, 200, added.body);
  return { user, authenticator };
}

/** The first step of a sign-in: the browser is sent to the second. */
async function passwordStep(user: MadeUser, agent = browser()): Promise<Agent> {
  await agent.get("/connexion");
  const response = await agent.post("/connexion", { userCode: user.userCode, password: TEST_PASSWORD });
  assert.equal(response.headers.location, SECOND_STEP);
  await agent.get(SECOND_STEP);
  return agent;
}

async function secondStepChallenge(agent: Agent): Promise<RequestOptions> {
  return requestOptions(await optionsFrom(agent, `${SECOND_STEP}/cle/options`));
}

async function passkeysOf(userId: number) {
  return t.database.db
    .selectFrom("passkey")
    .select(["id", "name", "sign_count", "last_used_at", "removed_at", "device_type"])
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
}

async function sessionsOf(userId: number) {
  return t.database.db
    .selectFrom("session")
    .select(["amr", "factor_at"])
    .where("user_id", "=", userId)
    .execute();
}

async function failuresOf(userCode: string): Promise<number> {
  const rows = await t.database.db
    .selectFrom("sign_in_failure")
    .select("id")
    .where("user_code", "=", userCode)
    .execute();
  return rows.length;
}

async function auditOf(action: string, userId: number) {
  return t.database.db
    .selectFrom("audit_event")
    .select(["outcome", "reason", "details"])
    .where("action", "=", action)
    .where("target_id", "=", String(userId))
    .orderBy("id")
    .execute();
}

async function mailsTo(email: string) {
  return t.database.db
    .selectFrom("mail_outbox")
    .select(["subject"])
    .where("to_address", "=", email)
    .execute();
}

test("« Sécurité du compte » lists no passkey and says that adding one needs JavaScript; the form waits hidden for the script", async () => {
  const agent = await signedIn(await newUser());
  const page = await agent.get("/profil/securite");
  assert.equal(page.statusCode, 200);
  const text = textOf(page.body);
  assert.match(text, /Clés d'accès/);
  assert.match(text, /Aucune clé d'accès n'est associée à votre compte/);
  assert.match(text, /L'ajout d'une clé d'accès demande JavaScript/);
  assert.match(
    page.body,
    /<form method="post" action="\/profil\/securite\/cles" data-passkey="create"[^>]* hidden/,
  );
  assert.match(page.body, /<script src="\/static\/passkeys.js" defer><\/script>/);
  const script = await agent.get("/static/passkeys.js");
  assert.equal(script.statusCode, 200);
});

test("a first passkey is registered with its name, comes with ten recovery codes, is audited and mailed, and is listed", async () => {
  const user = await newUser();
  const agent = await signedIn(user);
  const added = await registerPasskey(agent, new SoftAuthenticator(), "Portable bureau");
  assert.equal(added.statusCode, 200, added.body);
  assert.match(textOf(added.body), /La clé d'accès est associée à votre compte/);
  assert.equal([...added.body.matchAll(/<li><code>([0-9A-Z-]{19})<\/code><\/li>/g)].length, 10);
  const [passkey] = await passkeysOf(user.id);
  assert.equal(passkey?.name, "Portable bureau");
  assert.equal(passkey?.device_type, "singleDevice");
  const audit = await auditOf("factor.add", user.id);
  assert.equal(audit.at(-1)?.outcome, "success");
  assert.deepEqual(isRecord(audit.at(-1)?.details) ? audit.at(-1)?.details.factor : null, "passkey");
  assert.equal((await mailsTo(user.email)).length, 1);
  const page = textOf((await agent.get("/profil/securite")).body);
  assert.match(page, /Portable bureau/);
  assert.match(page, /Jamais/);
  assert.match(page, /Codes inutilisés\s: 10 sur 10/);

  // A second passkey brings no new codes.
  const second = await registerPasskey(agent, new SoftAuthenticator({ synced: true }), "Téléphone");
  assert.equal(second.statusCode, 303);
  assert.equal((await passkeysOf(user.id)).length, 2);
});

test("a passkey needs a name of 1 to 60 characters, and an answer to a challenge of this session: otherwise nothing is added", async () => {
  const user = await newUser();
  const agent = await signedIn(user);
  const empty = await registerPasskey(agent, new SoftAuthenticator(), "  ");
  assert.equal(empty.statusCode, 400);
  assert.match(textOf(empty.body), /Donnez un nom à la clé d'accès/);
  const long = await registerPasskey(agent, new SoftAuthenticator(), "x".repeat(61));
  assert.equal(long.statusCode, 400);
  assert.match(textOf(long.body), /60 caractères au plus/);
  const none = await agent.post("/profil/securite/cles", { name: "Portable", credential: "" });
  assert.equal(none.statusCode, 400);
  assert.match(textOf(none.body), /La réponse de la clé d'accès est absente ou illisible/);
  // An answer to a challenge given to another session is refused.
  const other = await signedIn(user);
  await other.get("/profil/securite");
  const options = creationOptions(await optionsFrom(other, "/profil/securite/cles/options", { name: "x" }));
  const stolen = await agent.post("/profil/securite/cles", {
    name: "Portable",
    credential: new SoftAuthenticator().create(options, ORIGIN),
  });
  assert.equal(stolen.statusCode, 400);
  assert.match(textOf(stolen.body), /a expiré ou a déjà servi/);
  // Created on another site: refused.
  await agent.get("/profil/securite");
  const mine = creationOptions(await optionsFrom(agent, "/profil/securite/cles/options", { name: "x" }));
  const elsewhere = await agent.post("/profil/securite/cles", {
    name: "Portable",
    credential: new SoftAuthenticator().create(mine, "http://evil.test"),
  });
  assert.equal(elsewhere.statusCode, 400);
  assert.match(textOf(elsewhere.body), /ne vient pas de l'adresse de Guichet/);
  assert.equal((await passkeysOf(user.id)).length, 0);
});

test("a passkey makes the sign-in ask for a second step, which the passkey ends: amr pwd+hwk for a device-bound key", async () => {
  const { user, authenticator } = await userWithPasskey();
  const agent = await passwordStep(user);
  const page = await agent.get(SECOND_STEP);
  assert.match(textOf(page.body), /Utiliser une clé d'accès/);
  const options = await secondStepChallenge(agent);
  const done = await agent.post(`${SECOND_STEP}/cle`, { credential: authenticator.get(options, ORIGIN) });
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, "/");
  assert.ok(agent.cookies.has("guichet_session"));
  const sessions = await sessionsOf(user.id);
  assert.deepEqual(sessions.at(-1)?.amr, ["pwd", "hwk"]);
  assert.ok(sessions.at(-1)?.factor_at);
  const [passkey] = await passkeysOf(user.id);
  assert.equal(passkey?.sign_count, 1);
  assert.ok(passkey?.last_used_at);
});

test("a synced passkey signs in with amr pwd+swk", async () => {
  const { user, authenticator } = await userWithPasskey({ synced: true });
  const agent = await passwordStep(user);
  const done = await agent.post(`${SECOND_STEP}/cle`, {
    credential: authenticator.get(await secondStepChallenge(agent), ORIGIN),
  });
  assert.equal(done.statusCode, 303);
  assert.deepEqual((await sessionsOf(user.id)).at(-1)?.amr, ["pwd", "swk"]);
});

test("a replayed assertion (the same challenge) is refused: the challenge works once", async () => {
  const { user, authenticator } = await userWithPasskey();
  const first = await passwordStep(user);
  const assertion = authenticator.get(await secondStepChallenge(first), ORIGIN);
  assert.equal((await first.post(`${SECOND_STEP}/cle`, { credential: assertion })).statusCode, 303);
  const sessions = (await sessionsOf(user.id)).length;
  const again = await passwordStep(user);
  const replay = await again.post(`${SECOND_STEP}/cle`, { credential: assertion });
  assert.equal(replay.statusCode, 400);
  assert.match(textOf(replay.body), /Cette demande de clé d'accès a expiré ou a déjà servi/);
  assert.equal((await sessionsOf(user.id)).length, sessions, "no new session");
  assert.equal(await failuresOf(user.userCode), 1, "the refusal counts toward the throttle");
  assert.equal((await auditOf("auth.secondFactor", user.id)).at(-1)?.reason, "passkeys.challengeUnknown");
});

test("user A's passkey never signs in user B, even answering B's own challenge", async () => {
  const a = await userWithPasskey();
  const b = await userWithPasskey();
  const agent = await passwordStep(b.user);
  const options = await secondStepChallenge(agent);
  const refused = await agent.post(`${SECOND_STEP}/cle`, {
    credential: a.authenticator.get(options, ORIGIN),
  });
  assert.equal(refused.statusCode, 400);
  assert.match(textOf(refused.body), /Cette clé d'accès n'est pas associée à ce compte/);
  assert.equal(agent.cookies.has("guichet_session"), false);
  assert.equal((await sessionsOf(b.user.id)).length, 1, "only the session that registered the passkey");
  assert.equal((await auditOf("auth.secondFactor", b.user.id)).at(-1)?.reason, "passkeys.unknown");
  const [aKey] = await passkeysOf(a.user.id);
  assert.equal(aKey?.last_used_at, null, "A's passkey is not recorded as used");
});

test("an assertion made for another origin is refused, in English when the page is in English", async () => {
  const { user, authenticator } = await userWithPasskey();
  const agent = await passwordStep(user);
  agent.cookies.set("guichet_lang", "en");
  const refused = await agent.post(`${SECOND_STEP}/cle`, {
    credential: authenticator.get(await secondStepChallenge(agent), "http://evil.test"),
  });
  assert.equal(refused.statusCode, 400);
  assert.match(textOf(refused.body), /This passkey answer does not come from Guichet's address/);
  assert.equal(agent.cookies.has("guichet_session"), false);
  assert.equal((await auditOf("auth.secondFactor", user.id)).at(-1)?.reason, "passkeys.origin");
  assert.equal((await passkeysOf(user.id))[0]?.sign_count, 0, "the counter is unchanged");
});

test("a signature counter that does not increase is refused (a cloned key), and the stored counter stays", async () => {
  const { user, authenticator } = await userWithPasskey();
  const first = await passwordStep(user);
  await first.post(`${SECOND_STEP}/cle`, {
    credential: authenticator.get(await secondStepChallenge(first), ORIGIN),
  });
  assert.equal((await passkeysOf(user.id))[0]?.sign_count, 1);
  const agent = await passwordStep(user);
  const refused = await agent.post(`${SECOND_STEP}/cle`, {
    credential: authenticator.get(await secondStepChallenge(agent), ORIGIN, { counter: 1 }),
  });
  assert.equal(refused.statusCode, 400);
  assert.match(textOf(refused.body), /Le compteur de cette clé d'accès n'a pas augmenté/);
  assert.equal((await passkeysOf(user.id))[0]?.sign_count, 1);
  assert.equal((await auditOf("auth.secondFactor", user.id)).at(-1)?.reason, "passkeys.counter");
});

test("an unknown credential, or a malformed answer, is refused with a message and never a 500", async () => {
  const { user } = await userWithPasskey();
  const stranger = new SoftAuthenticator();
  stranger.create({ challenge: "AAAA", rp: {}, user: { id: "AAAA" } }, ORIGIN);
  const agent = await passwordStep(user);
  const unknown = await agent.post(`${SECOND_STEP}/cle`, {
    credential: stranger.get(await secondStepChallenge(agent), ORIGIN),
  });
  assert.equal(unknown.statusCode, 400);
  assert.match(textOf(unknown.body), /Cette clé d'accès n'est pas associée à ce compte/);
  for (const credential of ["", "{", '{"type":"public-key"}', JSON.stringify({ id: 1, response: [] })]) {
    const bad = await agent.post(`${SECOND_STEP}/cle`, { credential });
    assert.equal(bad.statusCode, 400, credential);
    assert.match(textOf(bad.body), /absente ou illisible/);
  }
  assert.equal(agent.cookies.has("guichet_session"), false);
});

test("without a pending sign-in, passkey options and answers end at the first page", async () => {
  const agent = browser();
  await agent.get("/connexion");
  const options = await agent.post(`${SECOND_STEP}/cle/options`, {});
  assert.equal(options.statusCode, 410);
  const answer = await agent.post(`${SECOND_STEP}/cle`, { credential: "{}" });
  assert.equal(answer.statusCode, 303);
  assert.equal(answer.headers.location, "/connexion");
});

test("removing a passkey asks for step-up, which a passkey proves; the last factor of a services officer stays", async () => {
  const { user, authenticator } = await userWithPasskey({ servicesOfficer: true });
  const agent = await passwordStep(user);
  await agent.post(`${SECOND_STEP}/cle`, {
    credential: authenticator.get(await secondStepChallenge(agent), ORIGIN),
  });
  const [passkey] = await passkeysOf(user.id);
  assert.ok(passkey);
  t.clock.advance(11 * MINUTE);
  await agent.get("/profil/securite");
  const held = await agent.post(`/profil/securite/cles/${passkey.id}/retirer`, {});
  const token = /^\/verification-identite\?demande=([A-Za-z0-9_-]+)$/.exec(
    String(held.headers.location),
  )?.[1];
  assert.ok(token, "the removal is held for step-up");
  const stepUp = await agent.get(`/verification-identite?demande=${token}`);
  assert.match(textOf(stepUp.body), /Utiliser une clé d'accès/);
  const options = requestOptions(
    await optionsFrom(agent, "/verification-identite/cle/options", { demande: token }),
  );
  const proved = await agent.post("/verification-identite/cle", {
    demande: token,
    credential: authenticator.get(options, ORIGIN),
  });
  assert.equal(proved.headers.location, `/verification-identite/confirmer?demande=${token}`);
  await agent.get(String(proved.headers.location));
  const done = await agent.post("/verification-identite/confirmer", { demande: token });
  assert.equal(done.statusCode, 303);
  const flash = textOf((await agent.follow(done)).body);
  assert.match(flash, /Votre rôle exige un deuxième facteur/);
  assert.equal((await passkeysOf(user.id))[0]?.removed_at, null, "the only factor stays");

  // With an app as well, the passkey may go: the owner is told and the audit log keeps it.
  const started = await agent.follow(await agent.post("/profil/securite/application", {}));
  const confirmed = await agent.post("/profil/securite/application/confirmer", {
    code: await totpCode(secretOf(started.body), t.clock()),
  });
  assert.equal(confirmed.statusCode, 303, "no new recovery codes: the passkey brought them");
  await agent.get("/profil/securite");
  const removed = await agent.post(`/profil/securite/cles/${passkey.id}/retirer`, {});
  assert.equal(removed.statusCode, 303);
  assert.match(textOf((await agent.follow(removed)).body), /La clé d'accès a été retirée de votre compte/);
  assert.ok((await passkeysOf(user.id))[0]?.removed_at);
  assert.equal((await auditOf("factor.remove", user.id)).at(-1)?.outcome, "success");
  assert.ok((await mailsTo(user.email)).length >= 3);
});

test("someone else's passkey cannot be removed: the same message as an unknown one, nothing changed", async () => {
  const owner = await userWithPasskey();
  const [passkey] = await passkeysOf(owner.user.id);
  assert.ok(passkey);
  const other = await signedIn(await newUser());
  await other.get("/profil/securite");
  const refused = await other.post(`/profil/securite/cles/${passkey.id}/retirer`, {});
  assert.match(textOf((await other.follow(refused)).body), /n'existe pas ou a déjà été retirée/);
  assert.equal((await passkeysOf(owner.user.id))[0]?.removed_at, null);
});

test("from the first page, without a user code, a discoverable passkey opens the session: amr hwk+user+mfa", async () => {
  const { user, authenticator } = await userWithPasskey();
  const agent = browser();
  const page = await agent.get("/connexion?retour=%2Fprofil");
  assert.match(page.body, /<form method="post" action="\/connexion\/cle" data-passkey="get"[^>]* hidden/);
  assert.match(textOf(page.body), /sans entrer votre code d'utilisateur/);
  const options = await optionsFrom(agent, "/connexion/cle/options");
  assert.ok(isRecord(options));
  assert.deepEqual(
    options.allowCredentials ?? [],
    [],
    "no credential list: the authenticator offers its own",
  );
  assert.equal(options.userVerification, "required");
  const done = await agent.post("/connexion/cle", {
    retour: "/profil",
    credential: authenticator.get(requestOptions(options), ORIGIN),
  });
  assert.equal(done.statusCode, 303, done.body);
  assert.equal(done.headers.location, "/profil");
  assert.ok(agent.cookies.has("guichet_session"));
  const sessions = await sessionsOf(user.id);
  assert.deepEqual(sessions.at(-1)?.amr, ["hwk", "user", "mfa"]);
  assert.ok(sessions.at(-1)?.factor_at, "the session counts as having proved a factor");

  // The same answer again: the challenge was taken.
  const other = browser();
  await other.get("/connexion");
  const replay = await other.post("/connexion/cle", {
    credential: authenticator.get(requestOptions(options), ORIGIN),
  });
  assert.equal(replay.statusCode, 400);
  assert.match(textOf(replay.body), /a expiré ou a déjà servi/);
  assert.equal(other.cookies.has("guichet_session"), false);
});

test("from the first page, an unknown key, another origin or a disabled account opens nothing, and failures are counted", async () => {
  const { user, authenticator } = await userWithPasskey({ synced: true });
  const agent = browser();
  await agent.get("/connexion");
  const stranger = new SoftAuthenticator();
  stranger.create({ challenge: "AAAA", rp: {}, user: { id: "AAAA" } }, ORIGIN);
  const unknown = await agent.post("/connexion/cle", {
    credential: stranger.get(requestOptions(await optionsFrom(agent, "/connexion/cle/options")), ORIGIN),
  });
  assert.equal(unknown.statusCode, 400);
  assert.match(textOf(unknown.body), /Cette clé d'accès n'est pas associée à ce compte/);
  const elsewhere = await agent.post("/connexion/cle", {
    credential: authenticator.get(
      requestOptions(await optionsFrom(agent, "/connexion/cle/options")),
      "http://evil.test",
    ),
  });
  assert.equal(elsewhere.statusCode, 400);
  assert.match(textOf(elsewhere.body), /ne vient pas de l'adresse de Guichet/);
  assert.equal(await failuresOf(user.userCode), 1, "the key's owner's account counts the failure");

  await t.database.db
    .updateTable("app_user")
    .set({ disabled_at: t.clock() })
    .where("id", "=", user.id)
    .execute();
  const disabled = await agent.post("/connexion/cle", {
    credential: authenticator.get(requestOptions(await optionsFrom(agent, "/connexion/cle/options")), ORIGIN),
  });
  assert.equal(disabled.statusCode, 400);
  assert.equal(agent.cookies.has("guichet_session"), false);
  const audit = await t.database.db
    .selectFrom("audit_event")
    .select(["outcome", "reason"])
    .where("action", "=", "auth.signIn")
    .where("ip", "=", agent.ip)
    .orderBy("id")
    .execute();
  assert.deepEqual(
    audit.map((a) => a.reason),
    ["passkeys.unknown", "passkeys.origin", "disabled"],
  );
});

test("from the first page, passkey failures count toward the address's throttle", async () => {
  const agent = browser();
  await agent.get("/connexion");
  const stranger = new SoftAuthenticator();
  stranger.create({ challenge: "AAAA", rp: {}, user: { id: "AAAA" } }, ORIGIN);
  let last = 0;
  for (let i = 0; i < 31; i += 1) {
    const options = await agent.post("/connexion/cle/options", {});
    const challenge = requestOptions(JSON.parse(options.body));
    last = (await agent.post("/connexion/cle", { credential: stranger.get(challenge, ORIGIN) })).statusCode;
  }
  assert.equal(last, 429, "past the address's threshold, attempts wait");
  t.clock.advance(20 * MINUTE);
});

test("a services officer's reset of a user's factors removes their passkeys: the key opens nothing any more", async () => {
  const org = await t.factories.organization();
  const officer = await t.factories.user(org, { servicesOfficer: true });
  const user = await t.factories.user(org);
  const authenticator = new SoftAuthenticator();
  assert.equal((await registerPasskey(await signedIn(user), authenticator, "Clé USB")).statusCode, 200);
  const officerAgent = await signedIn(officer);
  await officerAgent.get(`/utilisateurs/${user.userCode}`);
  const reset = await officerAgent.post(`/utilisateurs/${user.userCode}/facteurs/reinitialisation`, {});
  assert.equal(reset.statusCode, 303);
  assert.ok((await passkeysOf(user.id))[0]?.removed_at, "the passkey is removed");
  assert.deepEqual(
    (await auditOf("account.resetFactors", user.id)).map((a) => a.details),
    [{ removed: 1 }],
  );
  const agent = browser();
  await agent.get("/connexion");
  const refused = await agent.post("/connexion/cle", {
    credential: authenticator.get(requestOptions(await optionsFrom(agent, "/connexion/cle/options")), ORIGIN),
  });
  assert.equal(refused.statusCode, 400);
  assert.match(textOf(refused.body), /Cette clé d'accès n'est pas associée à ce compte/);
  // Without a factor, the password alone signs in again.
  const password = await browser().post("/connexion", { userCode: user.userCode, password: TEST_PASSWORD });
  assert.equal(password.headers.location, "/");
});
