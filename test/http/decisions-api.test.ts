// The decision API over HTTP (issue #14): a service's token by client credentials, decisions about the people it
// signed in (their pairwise subjects) with the chain behind each answer, its dossiers declared and mandated, the
// registry by pages, every refusal a problem document, and every answer what the OpenAPI document says.
import assert from "node:assert/strict";
import { after, before, describe, mock, test } from "node:test";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import type { DB } from "../../src/db/schema.js";
import { closeDossier } from "../../src/features/decisions/dossiers.service.js";
import {
  type RegistryService,
  revokeRight,
  type ServiceTarget,
} from "../../src/features/registry/registry.service.js";
import { addDays, montrealDay } from "../../src/util/days.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { API, ApiClient, apiToken, RESOURCE, routesUnder } from "../support/decisions-api.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { browse, signInTo } from "../support/oidc-browser.js";
import { RegistryFixtures } from "../support/registry-fixtures.js";
import {
  authorizationRequest,
  ISSUER,
  otherMinistry,
  type RegisteredClient,
  registerClient,
  relyingParty,
} from "../support/relying-party.js";

type World = {
  fx: RegistryFixtures;
  client: RegisteredClient;
  otherClient: RegisteredClient;
  S: RegistryService;
  O: MadeOrganization;
  O2: MadeOrganization;
  F: MadeOrganization;
  u: Record<"L" | "RW" | "RR" | "AW" | "AM" | "plain", MadeUser>;
  procurationRW: number;
};

/**
 * A service of one ministry (with its client) and another ministry's; in the service, Québec's registry: a local
 * manager, a writer (until a day 100 days ahead), a reader, and a firm's agent associated by its agent manager.
 */
async function buildWorld(t: TestApp): Promise<World> {
  const fx = new RegistryFixtures(t);
  const today = montrealDay(t.clock());
  const ministry = await otherMinistry(t, "Ministère des Transports");
  const secondMinistry = await otherMinistry(t, "Ministère de la Culture");
  const client = await registerClient(t, { ministryId: ministry });
  const otherClient = await registerClient(t, { ministryId: secondMinistry });
  const S = await fx.service(client.serviceCode);
  const f = t.factories;
  const O = await f.organization("municipality", "Ville de Québec");
  const O2 = await f.organization("municipality", "Ville de Lévis");
  const F = await f.organization("firm", "Génie-Conseil inc.");
  const P = await fx.servicePoint(F, "Bureau de Québec");
  const u = {
    L: await f.user(O, { firstName: "Louise", lastName: "Lemieux" }),
    RW: await f.user(O, { firstName: "Rémi", lastName: "Rédacteur" }),
    RR: await f.user(O),
    plain: await f.user(O),
    AM: await f.user(F),
    AW: await f.user(F, { firstName: "Amélie", lastName: "Agente" }),
  };
  let procurationRW = 0;
  for (const [role, user] of Object.entries(u)) {
    const id = await fx.procuration(user, { ministryId: ministry });
    if (role === "RW") procurationRW = id;
  }
  await fx.procuration(u.RW, { ministryId: secondMinistry });
  const inO = { service: S, organizationId: O.id };
  await fx.role("local_manager", u.L, inO);
  await fx.role("agent_manager", u.AM, { organizationId: F.id, service: S, servicePointId: P });
  await fx.associate(u.AM, { service: S, organizationId: F.id, servicePointId: P }, u.AW);
  await fx.grant(u.L, inO, u.RW, "requester.write", addDays(today, 100));
  await fx.grant(u.L, inO, u.RR, "requester.read");
  await fx.grant(u.L, inO, u.AW, "agent.write");
  return { fx, client, otherClient, S, O, O2, F, u, procurationRW };
}

/**
 * The local manager mandates an agent on a declared dossier. « Gestion des mandats » does not list declared dossiers
 * yet, so the row is written as its service would write it.
 */
async function mandateOn(t: TestApp, w: World, externalId: string, agent: MadeUser): Promise<void> {
  const dossier = await t.database.db
    .selectFrom("declared_dossier")
    .select("id")
    .where("service_id", "=", w.S.id)
    .where("external_id", "=", externalId)
    .executeTakeFirstOrThrow();
  await t.database.db
    .insertInto("mandate")
    .values({
      declared_dossier_id: dossier.id,
      agent_user_id: agent.id,
      assigned_at: t.clock(),
      assigned_by: w.u.L.id,
    })
    .execute();
}

let t: TestApp;
let w: World;
let fx: RegistryFixtures;
let api: ApiClient;
let client: RegisteredClient;
let otherClient: RegisteredClient;
let S: RegistryService;
let O: MadeOrganization;
let O2: MadeOrganization;
let F: MadeOrganization;
let u: World["u"];
let sub: Record<"RW" | "RR" | "AW" | "plain", string>;
/** RW's subject for the other ministry: the same person, another subject. */
let subOtherMinistry: string;
let token: string;
let today: string;

const registry = (organization: MadeOrganization): ServiceTarget => ({
  service: S,
  organizationId: organization.id,
});
const name = (user: MadeUser) => `${user.actor.firstName} ${user.actor.lastName}`;

before(async () => {
  t = await startTestApp();
  w = await buildWorld(t);
  ({ fx, client, otherClient, S, O, O2, F, u } = w);
  api = new ApiClient(t.app);
  today = montrealDay(t.clock());
  // Each person signs in to the service through Guichet: the service learns their subject, Guichet remembers it.
  const subjectOf = async (user: MadeUser, through = client) =>
    String((await signInTo(t, through, await t.signIn(user.userCode))).claims.sub);
  sub = {
    RW: await subjectOf(u.RW),
    RR: await subjectOf(u.RR),
    AW: await subjectOf(u.AW),
    plain: await subjectOf(u.plain),
  };
  subOtherMinistry = await subjectOf(u.RW, otherClient);
  token = await apiToken(t, client);
});

after(() => t.close());

/** A decision asked with the service's token, another, or none (null). */
const ask = (body: unknown, bearer: string | null = token) =>
  api.call("POST", `${API}/decisions`, { ...(bearer === null ? {} : { token: bearer }), body });

const question = (subject: string, action: string, extra: Record<string, unknown> = {}) => ({
  subject,
  organization: O.id,
  service: S.code,
  action,
  ...extra,
});

/** A problem document: its status, its stable type and code, its titles in both languages. */
function assertProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  assert.equal(response.statusCode, status);
  assert.match(String(response.headers["content-type"]), /^application\/problem\+json/);
  const problem = response.json() as Record<string, unknown>;
  assert.equal(problem.type, `urn:guichet:problem:${code}`);
  assert.equal(problem.code, code);
  assert.equal(problem.status, status);
  assert.ok(typeof problem.title === "string" && problem.title.length > 0);
  assert.ok(typeof problem.title_en === "string" && problem.title_en.length > 0);
  return problem;
}

async function auditOf(action: string) {
  return t.database.db
    .selectFrom("audit_event")
    .selectAll()
    .where("action", "=", action)
    .orderBy("id")
    .execute();
}

/** What a refused request must leave as it was. */
async function snapshot() {
  const db = t.database.db;
  const count = async (table: keyof DB) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    dossiers: await db.selectFrom("declared_dossier").selectAll().orderBy("id").execute(),
    mandates: await db.selectFrom("mandate").selectAll().orderBy("id").execute(),
    grants: await count("access_grant"),
    subjects: await count("pairwise_subject"),
  };
}

describe("tokens", () => {
  test("a service's client gets a five-minute JWT for the API by client credentials, with the scopes it asked", async () => {
    const header = decodeProtectedHeader(token);
    assert.deepEqual([header.typ, header.alg], ["at+jwt", "ES256"]);
    const claims = decodeJwt(token);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.aud, RESOURCE);
    assert.equal(claims.client_id, client.clientId);
    assert.equal(claims.sub, client.clientId);
    assert.equal(Number(claims.exp) - Number(claims.iat), 300);
    assert.deepEqual(String(claims.scope).split(" ").sort(), ["decisions:read", "dossiers:write"]);
    const readOnly = decodeJwt(await apiToken(t, client, "decisions:read"));
    assert.equal(readOnly.scope, "decisions:read");
  });

  test("no other resource is given a token, and a person's sign-in may not ask for the API", async () => {
    const agent = await t.signIn(u.RW.userCode);
    const request = await authorizationRequest(await relyingParty(t, client), client, { resource: RESOURCE });
    const landing = await browse(agent, request.path);
    assert.equal(new URL(String(landing.headers.location)).searchParams.get("error"), "invalid_target");
    await assert.rejects(
      apiToken(t, client, "decisions:read", "https://ailleurs.example/api"),
      (error: Error) => (error.cause as { error?: string } | undefined)?.error === "invalid_target",
    );
  });
});

describe("decisions", () => {
  test("a person signed in through Guichet: the decision about their subject is allowed, with its chain", async () => {
    const response = await ask(question(sub.RW, "application.edit"));
    assert.equal(response.statusCode, 200, response.body);
    const answer = response.json();
    assert.equal(answer.allowed, true);
    assert.equal(answer.reason, null);
    assert.deepEqual(
      answer.because.map((link: { kind: string }) => link.kind),
      ["procuration", "right"],
    );
    assert.deepEqual(answer.because[0], {
      kind: "procuration",
      id: w.procurationRW,
      until: addDays(today, 730),
    });
    assert.deepEqual(answer.because[1], {
      kind: "right",
      right: "requester.write",
      grantedBy: { name: name(u.L) },
      since: t.clock().toISOString(),
      until: addDays(today, 100),
    });
    assert.equal(answer.validUntil, addDays(today, 100));
  });

  test("a reader may read, not edit: denied with the policy's reason and the links it found", async () => {
    const answer = (await ask(question(sub.RR, "application.edit"))).json();
    assert.equal(answer.allowed, false);
    assert.equal(answer.reason, "read_only_right");
    assert.equal(answer.validUntil, null);
    assert.equal((await ask(question(sub.RR, "application.list"))).json().allowed, true);
    const denials = await auditOf("api.decision");
    const last = denials.at(-1);
    assert.ok(last);
    assert.deepEqual(
      [last.outcome, last.reason, last.target_id, last.organization_id],
      ["denied", "read_only_right", String(u.RR.id), O.id],
    );
    assert.deepEqual(last.details, { client: client.clientId, service: S.code, action: "application.edit" });
  });

  test("a batch answers in order, in one call", async () => {
    const response = await api.call("POST", `${API}/decisions:batch`, {
      token,
      body: {
        questions: [
          question(sub.RW, "application.create"),
          question(sub.RR, "application.create"),
          question(sub.plain, "application.list"),
        ],
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    const { answers } = response.json();
    assert.deepEqual(
      answers.map((a: { allowed: boolean; reason: string | null }) => [a.allowed, a.reason]),
      [
        [true, null],
        [false, "read_only_right"],
        [false, "no_right"],
      ],
    );
  });

  test("the menu of the service: what a person may do, and for which organizations", async () => {
    const response = await api.call(
      "GET",
      `${API}/subjects/${sub.AW}/access?service=${encodeURIComponent(S.code)}`,
      {
        token,
      },
    );
    assert.equal(response.statusCode, 200, response.body);
    const access = response.json();
    assert.equal(access.subject, sub.AW);
    assert.deepEqual(
      access.organizations.map((entry: { organization: { id: number } }) => entry.organization.id),
      [O.id],
    );
    assert.ok(access.organizations[0].actions.includes("application.create"));
  });
});

describe("declared dossiers and mandates", () => {
  const path = (externalId: string) => `${API}/services/${encodeURIComponent(S.code)}/dossiers/${externalId}`;

  test("a declared dossier, a mandate on it: the agent may edit it, with the mandate in the chain; revoked, the next decision denies", async () => {
    const declared = await api.call("PUT", path("PAVL-2026-001"), {
      token,
      body: { organization: O.id, title: "Rang Saint-Joseph" },
    });
    assert.equal(declared.statusCode, 201, declared.body);
    assert.equal(declared.json().title, "Rang Saint-Joseph");
    const again = await api.call("PUT", path("PAVL-2026-001"), {
      token,
      body: { organization: O.id, title: "Rang Saint-Joseph, phase 2" },
    });
    assert.equal(again.statusCode, 200);
    const onIt = question(sub.AW, "application.edit", { dossier: "PAVL-2026-001" });
    assert.equal((await ask(onIt)).json().reason, "not_mandated");

    await mandateOn(t, w, "PAVL-2026-001", u.AW);
    const allowed = (await ask(onIt)).json();
    assert.equal(allowed.allowed, true);
    assert.deepEqual(
      allowed.because.map((link: { kind: string }) => link.kind),
      ["procuration", "association", "right", "mandate"],
    );
    assert.deepEqual(allowed.because.at(-1), {
      kind: "mandate",
      dossier: "PAVL-2026-001",
      since: t.clock().toISOString(),
      until: null,
    });
    const kept = (await auditOf("api.decision")).at(-1);
    assert.deepEqual(
      [kept?.outcome, kept?.target_id, kept?.details.dossier],
      ["success", String(u.AW.id), "PAVL-2026-001"],
    );

    // The manager revokes the agent's right: the very next decision denies.
    const grant = await fx.currentGrantId(registry(O), u.AW);
    assert.ok(grant !== null);
    assert.ok((await revokeRight(t.ctx(u.L.actor), registry(O), grant)).ok);
    const denied = (await ask(onIt)).json();
    assert.deepEqual([denied.allowed, denied.reason], [false, "no_right"]);
    await fx.grant(u.L, registry(O), u.AW, "agent.write");
  });

  test("closing a dossier through the API ends its mandates; declarations and closings are audited with the client", async () => {
    await api.call("PUT", path("PAVL-2026-002"), { token, body: { organization: O.id, title: "Pont" } });
    await mandateOn(t, w, "PAVL-2026-002", u.AW);
    const onIt = question(sub.AW, "application.read", { dossier: "PAVL-2026-002" });
    assert.equal((await ask(onIt)).json().allowed, true);
    const closed = await api.call("DELETE", path("PAVL-2026-002"), { token });
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal(closed.json().endedMandates, 1);
    assert.ok(closed.json().dossier.closedAt);
    assert.equal((await ask(onIt)).json().reason, "not_mandated");
    const declarations = await auditOf("dossier.declare");
    assert.ok(
      declarations.every((row) => row.details.client === client.clientId && row.actor_user_id === null),
    );
    const closings = await auditOf("dossier.close");
    const closing = closings.at(-1)?.details;
    assert.equal(closing?.closed, true);
    assert.ok(Array.isArray(closing?.endedMandateIds) && closing.endedMandateIds.length === 1);
    // Closing through the core (another path) is the same act: the dossier is closed once.
    const again = await closeDossier(t.database.db, t.clock(), {
      serviceId: S.id,
      externalId: "PAVL-2026-002",
    });
    assert.equal(again.closed, false);
  });
});

describe("the registry by pages", () => {
  test("every current grant once, page after page, each person by their subject for the client's ministry", async () => {
    const url = (query: string) =>
      `${API}/services/${encodeURIComponent(S.code)}/organizations/${O.id}/grants${query}`;
    const seen: { subject: string; right: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await api.call("GET", url(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`), { token });
      assert.equal(response.statusCode, 200, response.body);
      const page = response.json();
      assert.ok(page.items.length <= 1);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.deepEqual(
      seen.map((grant) => [grant.subject, grant.right]).sort(),
      [
        [sub.RW, "requester.write"],
        [sub.RR, "requester.read"],
        [sub.AW, "agent.write"],
      ].sort(),
    );
    const agent = (await api.call("GET", url(""), { token }))
      .json()
      .items.find((grant: { subject: string }) => grant.subject === sub.AW);
    assert.deepEqual(agent.association.firm, { id: F.id, name: "Génie-Conseil inc." });
  });
});

describe("refusals: each a problem, nothing changed", () => {
  test("no token, a malformed one, an expired one, one for another audience or signed by another key: 401", async () => {
    const before = await snapshot();
    const missing = await ask(question(sub.RW, "application.read"), null);
    assertProblem(missing, 401, "invalid_token");
    assert.equal(missing.headers["www-authenticate"], 'Bearer realm="guichet-api"');
    assertProblem(await ask(question(sub.RW, "application.read"), "pas-un-jeton"), 401, "invalid_token");

    // Five minutes and a second later, a token has expired: one already seen (its verdict remembered) and a new one.
    const unseen = await apiToken(t, client);
    mock.timers.enable({ apis: ["Date"], now: Date.now() + 301_000 });
    try {
      for (const old of [token, unseen]) {
        const expired = await ask(question(sub.RW, "application.read"), old);
        assertProblem(expired, 401, "invalid_token");
        assert.match(String(expired.headers["www-authenticate"]), /error="invalid_token"/);
      }
    } finally {
      mock.timers.reset();
    }

    // Signed by Guichet, but for the service itself (aud = client_id): an ID token is no access token for the API.
    const agent = await t.signIn(u.RW.userCode);
    const { tokens } = await signInTo(t, client, agent);
    assertProblem(await ask(question(sub.RW, "application.read"), tokens.id_token), 401, "invalid_token");
    // The sign-in's own access token is opaque, for userinfo.
    assertProblem(await ask(question(sub.RW, "application.read"), tokens.access_token), 401, "invalid_token");

    // Every claim right, but a key that is not Guichet's.
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({ client_id: client.clientId, scope: "decisions:read" })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: decodeProtectedHeader(token).kid ?? "" })
      .setIssuer(ISSUER)
      .setAudience(RESOURCE)
      .setSubject(client.clientId)
      .setJti("forged")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    assertProblem(await ask(question(sub.RW, "application.read"), forged), 401, "invalid_token");
    assert.deepEqual(await snapshot(), before);
  });

  test("a disabled client's token stops at once", async () => {
    const short = await registerClient(t, { ministryId: S.ministry_id });
    const itsToken = await apiToken(t, short);
    assert.equal((await ask(question(sub.RW, "application.read"), itsToken)).statusCode, 200);
    await t.database.db
      .updateTable("oidc_client")
      .set({ disabled_at: t.clock() })
      .where("client_id", "=", short.clientId)
      .execute();
    const refused = await ask(question(sub.RW, "application.read"), itsToken);
    assertProblem(refused, 401, "invalid_token");
    assert.match(String(refused.headers["www-authenticate"]), /error="invalid_token"/);
  });

  test("a token without the scope: 403 insufficient_scope", async () => {
    const readOnly = await apiToken(t, client, "decisions:read");
    const response = await api.call("PUT", `${API}/services/${encodeURIComponent(S.code)}/dossiers/X-1`, {
      token: readOnly,
      body: { organization: O.id, title: "Sans droit" },
    });
    assertProblem(response, 403, "insufficient_scope");
    assert.match(String(response.headers["www-authenticate"]), /scope="dossiers:write"/);
    const writeOnly = await apiToken(t, client, "dossiers:write");
    assertProblem(await ask(question(sub.RW, "application.read"), writeOnly), 403, "insufficient_scope");
  });

  test("another ministry's service: 403 other_ministry, audited", async () => {
    const before = await snapshot();
    const theirs = question(sub.RW, "application.read", { service: otherClient.serviceCode });
    const problem = assertProblem(await ask(theirs), 403, "other_ministry");
    assert.deepEqual(problem.errors, [{ pointer: "/service", detail: "a service of another ministry" }]);
    const batch = await api.call("POST", `${API}/decisions:batch`, {
      token,
      body: { questions: [question(sub.RW, "application.read"), theirs] },
    });
    assertProblem(batch, 403, "other_ministry");
    assertProblem(
      await api.call("GET", `${API}/subjects/${sub.RW}/access?service=${otherClient.serviceCode}`, { token }),
      403,
      "other_ministry",
    );
    assertProblem(
      await api.call("PUT", `${API}/services/${otherClient.serviceCode}/dossiers/X-2`, {
        token,
        body: { organization: O.id, title: "Ailleurs" },
      }),
      403,
      "other_ministry",
    );
    assertProblem(
      await api.call("GET", `${API}/services/${otherClient.serviceCode}/organizations/${O.id}/grants`, {
        token,
      }),
      403,
      "other_ministry",
    );
    const refused = await auditOf("api.refused");
    assert.equal(refused.length, 5);
    assert.ok(
      refused.every((row) => row.reason === "other_ministry" && row.details.client === client.clientId),
    );
    assert.deepEqual(await snapshot(), before);
  });

  test("an unknown service, organization or subject: 422 in a body, 404 in the path, each place named", async () => {
    const before = await snapshot();
    const unknownService = assertProblem(
      await ask(question(sub.RW, "application.read", { service: "NULLE-PART" })),
      422,
      "unknown_service",
    );
    assert.deepEqual(unknownService.errors, [{ pointer: "/service", detail: "unknown service" }]);
    assertProblem(
      await ask(question(sub.RW, "application.read", { organization: 987_654_321 })),
      422,
      "unknown_organization",
    );
    assertProblem(await ask(question("inconnu", "application.read")), 422, "unknown_subject");
    // The same person's subject for another ministry is unknown to this one: ministries cannot correlate.
    assertProblem(await ask(question(subOtherMinistry, "application.read")), 422, "unknown_subject");
    const batch = assertProblem(
      await api.call("POST", `${API}/decisions:batch`, {
        token,
        body: {
          questions: [
            question(sub.RW, "application.read"),
            question("inconnu", "application.read"),
            question(sub.RW, "application.read", { organization: 987_654_321 }),
          ],
        },
      }),
      422,
      "unknown_subject",
    );
    assert.deepEqual(batch.errors, [
      { pointer: "/questions/1/subject", detail: "unknown subject" },
      { pointer: "/questions/2/organization", detail: "unknown organization" },
    ]);
    assertProblem(
      await api.call("GET", `${API}/subjects/inconnu/access?service=${S.code}`, { token }),
      404,
      "unknown_subject",
    );
    assertProblem(
      await api.call("GET", `${API}/subjects/${sub.RW}/access?service=NULLE-PART`, { token }),
      404,
      "unknown_service",
    );
    assertProblem(
      await api.call("GET", `${API}/services/${S.code}/organizations/987654321/grants`, { token }),
      404,
      "unknown_organization",
    );
    assertProblem(
      await api.call("DELETE", `${API}/services/${S.code}/dossiers/jamais-declare`, { token }),
      404,
      "unknown_dossier",
    );
    assertProblem(
      await api.call("GET", `${API}/services/${S.code}/organizations/${O.id}/grants?cursor=pas-un-curseur`, {
        token,
      }),
      400,
      "invalid_cursor",
    );
    // A dossier never declared is no error for a decision: a denial, as for another organization's dossier.
    assert.equal(
      (await ask(question(sub.RW, "application.read", { dossier: "jamais-declare" }))).json().reason,
      "unknown_dossier",
    );
    assert.deepEqual(await snapshot(), before);
  });

  test("an unknown action, a batch of 101: 400", async () => {
    const before = await snapshot();
    const action = assertProblem(await ask(question(sub.RW, "application.delete")), 400, "unknown_action");
    assert.deepEqual(
      (action.errors as { pointer: string }[]).map((error) => error.pointer),
      ["/action"],
    );
    const tooMany = Array.from({ length: 101 }, () => question(sub.RW, "application.read"));
    assertProblem(
      await api.call("POST", `${API}/decisions:batch`, { token, body: { questions: tooMany } }),
      400,
      "batch_too_large",
    );
    const hundred = await api.call("POST", `${API}/decisions:batch`, {
      token,
      body: { questions: tooMany.slice(1) },
    });
    assert.equal(hundred.statusCode, 200);
    assert.equal(hundred.json().answers.length, 100);
    assert.deepEqual(await snapshot(), before);
  });

  test("a dossier for an organization that does not exist, or declared again for another: refused, nothing changed", async () => {
    const path = `${API}/services/${encodeURIComponent(S.code)}/dossiers/PAVL-2026-010`;
    assert.equal(
      (await api.call("PUT", path, { token, body: { organization: O.id, title: "Aqueduc" } })).statusCode,
      201,
    );
    const before = await snapshot();
    assertProblem(
      await api.call("PUT", path, { token, body: { organization: O2.id, title: "Aqueduc" } }),
      409,
      "organization_conflict",
    );
    assertProblem(
      await api.call("PUT", `${API}/services/${S.code}/dossiers/PAVL-2026-011`, {
        token,
        body: { organization: 987_654_321, title: "Nulle part" },
      }),
      422,
      "unknown_organization",
    );
    assertProblem(
      await api.call("PUT", path, { token, body: { organization: O.id, title: "   " } }),
      400,
      "invalid_dossier",
    );
    assertProblem(
      await api.call("PUT", `${API}/services/NULLE-PART/dossiers/PAVL-2026-012`, {
        token,
        body: { organization: O.id, title: "Nulle part" },
      }),
      404,
      "unknown_service",
    );
    assert.deepEqual(await snapshot(), before);
  });

  test("malformed JSON, wrong types, extra or missing properties, a form body: rejected by the schema", async () => {
    const before = await snapshot();
    const raw = (payload: string, contentType = "application/json") =>
      api.call("POST", `${API}/decisions`, { token, payload, headers: { "content-type": contentType } });
    assertProblem(await raw('{"subject": '), 400, "malformed_json");
    assertProblem(await raw(""), 400, "malformed_json");
    assertProblem(
      await raw("subject=x&organization=1", "application/x-www-form-urlencoded"),
      415,
      "unsupported_media_type",
    );
    const wrongType = assertProblem(
      await ask(question(sub.RW, "application.read", { organization: String(O.id) })),
      400,
      "invalid_request",
    );
    assert.deepEqual(wrongType.errors, [{ pointer: "/organization", detail: "must be integer" }]);
    const extra = assertProblem(
      await ask(question(sub.RW, "application.read", { admin: true })),
      400,
      "invalid_request",
    );
    assert.deepEqual(extra.errors, [{ pointer: "/admin", detail: "must NOT have additional properties" }]);
    const { subject: _left, ...missing } = question(sub.RW, "application.read");
    const noSubject = assertProblem(await ask(missing), 400, "invalid_request");
    assert.deepEqual(noSubject.errors, [
      { pointer: "/subject", detail: "must have required property 'subject'" },
    ]);
    assertProblem(await ask([question(sub.RW, "application.read")]), 400, "invalid_request");
    assertProblem(
      await api.call("PUT", `${API}/services/${S.code}/dossiers/X-3`, {
        token,
        body: { organization: O.id, title: "Titre", owner: "moi" },
      }),
      400,
      "invalid_request",
    );
    const badLimit = assertProblem(
      await api.call("GET", `${API}/services/${S.code}/organizations/${O.id}/grants?limit=0`, { token }),
      400,
      "invalid_request",
    );
    assert.deepEqual(badLimit.errors, [{ parameter: "limit", detail: "must be >= 1" }]);
    assertProblem(
      await api.call("GET", `${API}/services/${S.code}/organizations/${O.id}/grants?page=2`, { token }),
      400,
      "invalid_request",
    );
    assertProblem(await api.call("POST", `${API}/nulle-part`, { token, body: {} }), 404, "not_found");
    assert.deepEqual(await snapshot(), before);
  });
});

describe("the OpenAPI document", () => {
  test("every route under /api/v1 is in it, and every answer above matched its documented schema", async () => {
    const document = await api.document();
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map(
          (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`,
        ),
      ),
    );
    // HEAD answers as GET does; the document does not describe itself.
    const routes = routesUnder(t.app, API).filter(
      (route) => !route.startsWith("HEAD ") && route !== `GET ${API}/openapi.json`,
    );
    assert.ok(routes.length >= 6, routes.join(", "));
    assert.deepEqual([...documented].sort(), routes.sort());
    // Every operation answered here, with success and with problems, each checked against its schema (ApiClient).
    for (const route of routes) {
      const [method, path] = route.split(" ");
      const template = (path ?? "").replace(/\/:(\w+)/g, "/{$1}");
      const seen = [...api.checked].filter((each) => each.startsWith(`${method} ${template} `));
      assert.ok(
        seen.some((each) => / 2\d\d$/.test(each)),
        `${route} never answered successfully here`,
      );
      assert.ok(
        seen.some((each) => / 4\d\d$/.test(each)),
        `${route} never refused here`,
      );
    }
  });

  test("the document is OpenAPI 3.1, with the client credentials flow and its scopes", async () => {
    const response = await t.app.inject({ method: "GET", url: `${API}/openapi.json` });
    const document = response.json();
    assert.equal(document.openapi, "3.1.0");
    const flow = document.components.securitySchemes.guichet.flows.clientCredentials;
    assert.equal(flow.tokenUrl, `${ISSUER}/token`);
    assert.deepEqual(Object.keys(flow.scopes).sort(), ["decisions:read", "dossiers:write"]);
    assert.deepEqual(document.components.schemas.Answer.properties.reason.enum.slice(0, 2), [
      "not_authenticated",
      "not_services_officer",
    ]);
  });
});

describe("limits per client, and the sampled audit of allowed reads", () => {
  const LIMIT = 6;
  let small: TestApp;
  let world: World;
  let smallApi: ApiClient;

  before(async () => {
    small = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), DECISION_AUDIT_SAMPLE: "0" } });
    world = await buildWorld(small);
    smallApi = new ApiClient(small.app);
  });
  after(() => small.close());

  test("a client past its limit gets 429 problems; another client of the same address is not slowed", async () => {
    const { S: service, O: city, u: people, client: mine } = world;
    const first = await apiToken(small, mine);
    const second = await apiToken(small, await registerClient(small, { ministryId: service.ministry_id }));
    // The registry names each person by their subject, which the service may then ask about.
    const page = await smallApi.call(
      "GET",
      `${API}/services/${encodeURIComponent(service.code)}/organizations/${city.id}/grants`,
      { token: first },
    );
    assert.equal(page.statusCode, 200, page.body);
    const subjectOf = (user: MadeUser) =>
      String(page.json().items.find((grant: { name: string }) => grant.name === name(user))?.subject);
    const path = `${API}/services/${encodeURIComponent(service.code)}/dossiers/PAVL-9`;
    const declared = await smallApi.call("PUT", path, {
      token: first,
      body: { organization: city.id, title: "Égout" },
    });
    assert.equal(declared.statusCode, 201);
    await mandateOn(small, world, "PAVL-9", people.AW);
    const decide = (user: MadeUser, action: string, bearer = first) =>
      smallApi.call("POST", `${API}/decisions`, {
        token: bearer,
        body: {
          subject: subjectOf(user),
          organization: city.id,
          service: service.code,
          action,
          dossier: "PAVL-9",
        },
      });
    const read = (await decide(people.AW, "application.read")).json();
    const edit = (await decide(people.AW, "application.edit")).json();
    const denied = (await decide(people.RR, "application.edit")).json();
    assert.deepEqual([read.allowed, edit.allowed, denied.allowed], [true, true, false]);
    // DECISION_AUDIT_SAMPLE=0: the allowed read is not kept; the allowed edit and the denial are.
    const kept = await small.database.db
      .selectFrom("audit_event")
      .select(["outcome", "reason", "details"])
      .where("action", "=", "api.decision")
      .orderBy("id")
      .execute();
    assert.deepEqual(
      kept.map((row) => [row.outcome, row.reason, row.details.action]),
      [
        ["success", null, "application.edit"],
        ["denied", "read_only_right", "application.edit"],
      ],
    );
    // Five requests so far; the sixth is the last one allowed this minute.
    assert.equal((await decide(people.RW, "application.read")).statusCode, 200);
    const limited = await decide(people.RW, "application.read");
    assertProblem(limited, 429, "rate_limited");
    assert.ok(Number(limited.headers["retry-after"]) > 0);
    assert.equal((await decide(people.RW, "application.read", second)).statusCode, 200);
  });
});
