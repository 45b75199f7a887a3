// buildPavl(): the PAVL online service as a Fastify instance, without listening, so that tests can start it in-process.
import { timingSafeEqual } from "node:crypto";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { AuthorizationResponseError } from "openid-client";
import { type Dossier, DossierStore, TITLE_MAX } from "./dossiers.js";
import { PAVL_ERRORS, type PavlErrorCode } from "./errors.js";
import { type DossierAction, GuichetApi, GuichetApiError, type Question } from "./guichet-api.js";
import {
  type FetchLike,
  GuichetUnavailableError,
  InvalidLogoutTokenError,
  RelyingParty,
} from "./relying-party.js";
import { randomToken, SessionStore, type SignedInPerson } from "./sessions.js";
import {
  type DossierAccess,
  type DossiersView,
  errorPage,
  reasonText,
  STYLESHEET,
  signedInPage,
  signedOutPage,
} from "./views.js";

export type PavlOptions = {
  /** Guichet's issuer identifier, e.g. http://localhost:3000/oidc. */
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Where PAVL is reached, an origin such as http://localhost:3001: the redirect and logout URIs derive from it. */
  publicUrl: URL;
  /** Signs the session cookie; a random one when absent (sessions then end with the process anyway). */
  cookieSecret?: string;
  /** Lets a plain-http Guichet be used: development on localhost only. */
  allowInsecure?: boolean;
  /** The fetch used to reach Guichet (discovery, token, userinfo, keys); the global one when absent. */
  fetch?: FetchLike;
  /** PAVL's code in Guichet, the one its decision API knows it by. */
  serviceCode?: string;
  /** PAVL's own dossiers; the demo's three projects of Ville de Québec when absent. */
  dossiers?: readonly Dossier[];
  logger?: boolean;
};

export const SERVICE_CODE = "PAVL";

/** Dossiers asked about for one organization; client names it when it is not the person's own. */
type DossierGroup = { organization: number; client: string | undefined; list: Dossier[] };

const FORM_BODY_LIMIT = 64 * 1024;

export function buildPavl(options: PavlOptions): FastifyInstance {
  const app = Fastify({
    // The callback's query carries an authorization code and state: requests are logged by path only.
    logger: options.logger
      ? { serializers: { req: (request) => ({ method: request.method, path: pathOf(request.url) }) } }
      : false,
    bodyLimit: FORM_BODY_LIMIT,
  });
  const secure = options.publicUrl.protocol === "https:";
  // Behind HTTPS the __Host- prefix holds the cookie to this host, Secure, Path=/. On localhost, cookies are shared
  // across ports: the name must differ from Guichet's own (guichet_session).
  const cookieName = secure ? "__Host-pavl_session" : "pavl_session";
  const redirectUri = new URL("/auth/callback", options.publicUrl).href;
  const sessions = new SessionStore();
  const relyingParty = new RelyingParty({
    issuer: options.issuer,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri,
    postLogoutRedirectUri: new URL("/", options.publicUrl).href,
    allowInsecure: options.allowInsecure ?? false,
    fetch: options.fetch,
  });
  const api = new GuichetApi({
    relyingParty,
    issuer: options.issuer,
    service: options.serviceCode ?? SERVICE_CODE,
    fetch: options.fetch,
  });
  const dossiers = new DossierStore(options.dossiers);

  /** Guichet's organization id from the `organisation` claim; undefined when it gave none. */
  function organizationIdOf(person: SignedInPerson): number | undefined {
    const id = Number(person.organisation?.id);
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  }

  /** Declares to Guichet the dossiers it does not know yet as they are (first use, or a new title). */
  async function declare(list: Dossier[], organization: number): Promise<void> {
    for (const dossier of list) {
      if (dossiers.isDeclared(dossier, organization)) continue;
      await api.declareDossier(dossier.externalId, organization, dossier.title);
      dossiers.markDeclared(dossier, organization);
    }
  }

  function question(person: SignedInPerson, organization: number, action: DossierAction, dossier: Dossier) {
    return {
      subject: person.sub,
      organization,
      service: api.service,
      action,
      dossier: dossier.externalId,
    } satisfies Question;
  }

  /**
   * The dossiers the person might be shown, by the organization Guichet is asked about: those of their municipality
   * (declared now); and, for a firm's employee, those declared for each client Guichet says they act for in PAVL (as
   * an agent: which dossiers, their mandates decide).
   */
  async function candidateDossiers(person: SignedInPerson, own: number): Promise<DossierGroup[]> {
    const list = dossiers.ofMunicipality(person.organisation?.geoCode);
    await declare(list, own);
    const groups: DossierGroup[] = [{ organization: own, client: undefined, list }];
    if (person.organisation?.kind !== "firm") return groups;
    for (const { organization } of await api.accessOf(person.sub)) {
      if (organization.id === own) continue;
      groups.push({
        organization: organization.id,
        client: organization.name,
        list: dossiers.declaredFor(organization.id),
      });
    }
    return groups;
  }

  /** The home page's dossiers: one batch of questions, read and edit for each dossier the person might see. */
  async function dossiersFor(request: FastifyRequest, person: SignedInPerson): Promise<DossiersView> {
    const own = organizationIdOf(person);
    if (own === undefined) return { kind: "no-organisation" };
    try {
      const asked = (await candidateDossiers(person, own)).flatMap(({ organization, client, list }) =>
        list.map((dossier) => ({ organization, client, dossier })),
      );
      const answers = await api.decide(
        asked.flatMap(({ organization, dossier }) => [
          question(person, organization, "application.read", dossier),
          question(person, organization, "application.edit", dossier),
        ]),
      );
      const accesses: DossierAccess[] = [];
      let denied: string | null = null;
      asked.forEach(({ dossier, client }, index) => {
        const read = answers[2 * index];
        const edit = answers[2 * index + 1];
        if (!read || !edit) return;
        if (read.allowed) accesses.push({ dossier, client, read, edit });
        else denied ??= reasonText(read.reason);
      });
      return { kind: "listed", dossiers: accesses, denied };
    } catch (error) {
      if (!(error instanceof GuichetApiError || error instanceof GuichetUnavailableError)) throw error;
      request.log.warn({ err: error }, "Guichet's decision API failed");
      return { kind: "unavailable" };
    }
  }

  /**
   * The organization Guichet is asked about for an edit: the person's own for their municipality's dossier; for a
   * firm's employee, the client the dossier was declared for (Guichet then weighs their right and their mandate).
   */
  function organizationOfDossier(person: SignedInPerson, dossier: Dossier): number | undefined {
    if (dossier.geoCode === person.organisation?.geoCode) return organizationIdOf(person);
    return person.organisation?.kind === "firm"
      ? dossiers.declaredOrganization(dossier.externalId)
      : undefined;
  }

  // The sign-out form is posted to PAVL, which redirects to Guichet: form-action must allow both.
  const contentSecurityPolicy = [
    "default-src 'none'",
    "style-src 'self'",
    `form-action 'self' ${options.issuer.origin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");

  app.register(cookie, { secret: options.cookieSecret ?? randomToken() });
  app.register(formbody, { bodyLimit: FORM_BODY_LIMIT });

  app.addHook("onSend", async (_request, reply) => {
    reply.header("content-security-policy", contentSecurityPolicy);
    reply.header("x-content-type-options", "nosniff");
    // The callback's URL carries the authorization code: no page of PAVL sends its address anywhere.
    reply.header("referrer-policy", "no-referrer");
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
  });

  function sessionIdOf(request: FastifyRequest): string | undefined {
    const raw = request.cookies[cookieName];
    if (!raw) return undefined;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value ? unsigned.value : undefined;
  }

  function setSession(reply: FastifyReply, id: string): void {
    reply.setCookie(cookieName, id, { signed: true, httpOnly: true, sameSite: "lax", secure, path: "/" });
  }

  function clearSession(reply: FastifyReply): void {
    reply.clearCookie(cookieName, { httpOnly: true, sameSite: "lax", secure, path: "/" });
  }

  function showError(reply: FastifyReply, code: PavlErrorCode, reason?: string): FastifyReply {
    return reply
      .code(PAVL_ERRORS[code].status)
      .type("text/html; charset=utf-8")
      .send(errorPage(code, reason));
  }

  app.get<{ Querystring: { enregistre?: string } }>("/", async (request, reply) => {
    const person = sessions.person(sessionIdOf(request));
    reply.type("text/html; charset=utf-8");
    if (!person) return reply.send(signedOutPage());
    const view = await dossiersFor(request, person);
    const savedId = typeof request.query.enregistre === "string" ? request.query.enregistre : undefined;
    const saved =
      view.kind === "listed"
        ? view.dossiers.find((a) => a.dossier.externalId === savedId)?.dossier
        : undefined;
    return reply.send(signedInPage(person, view, saved));
  });

  // « Enregistrer le titre »: Guichet is asked first (application.edit on this dossier); a denial changes nothing.
  app.post<{ Params: { externalId: string } }>("/dossiers/:externalId", async (request, reply) => {
    const person = sessions.person(sessionIdOf(request));
    if (!person) return reply.redirect("/", 303);
    if (!sameToken(fieldOf(request.body, "csrf"), person.csrfToken)) return showError(reply, "form_invalid");
    const dossier = dossiers.get(request.params.externalId);
    const organization = dossier ? organizationOfDossier(person, dossier) : undefined;
    if (!dossier || organization === undefined) return showError(reply, "not_found");
    const title = (fieldOf(request.body, "titre") ?? "").trim();
    if (title.length === 0 || title.length > TITLE_MAX) return showError(reply, "title_invalid");
    try {
      await declare([dossier], organization);
      const [edit] = await api.decide([question(person, organization, "application.edit", dossier)]);
      if (!edit?.allowed) {
        request.log.info(
          { sub: person.sub, dossier: dossier.externalId, reason: edit?.reason },
          "edit refused",
        );
        return showError(reply, "edit_refused", reasonText(edit?.reason ?? null));
      }
      // Guichet learns the new title first: the dossier keeps its old one if Guichet cannot be told.
      await api.declareDossier(dossier.externalId, organization, title);
      dossiers.setTitle(dossier.externalId, title);
      dossiers.markDeclared({ ...dossier, title }, organization);
    } catch (error) {
      if (!(error instanceof GuichetApiError || error instanceof GuichetUnavailableError)) throw error;
      request.log.warn({ err: error }, "Guichet's decision API failed");
      return showError(reply, "decision_unavailable");
    }
    return reply.redirect(`/?enregistre=${encodeURIComponent(dossier.externalId)}`, 303);
  });

  app.get("/pavl.css", async (_request, reply) => {
    return reply.type("text/css; charset=utf-8").header("cache-control", "max-age=3600").send(STYLESHEET);
  });

  app.get("/auth/login", async (request, reply) => {
    const previous = sessionIdOf(request);
    if (sessions.person(previous)) return reply.redirect("/", 303);
    let started: Awaited<ReturnType<RelyingParty["startSignIn"]>>;
    try {
      started = await relyingParty.startSignIn();
    } catch (error) {
      if (error instanceof GuichetUnavailableError) {
        request.log.warn({ err: error.cause }, "Guichet unreachable");
        return showError(reply, "guichet_unavailable");
      }
      throw error;
    }
    // A sign-in started again replaces the one under way in this browser.
    sessions.end(previous);
    setSession(reply, sessions.startSignIn(started.pending));
    return reply.redirect(started.url.href, 303);
  });

  app.get("/auth/callback", async (request, reply) => {
    const pending = sessions.takePendingSignIn(sessionIdOf(request));
    clearSession(reply);
    if (!pending) return showError(reply, "sign_in_expired");
    // Guichet's answer is read against the registered redirect URI, whatever host header the request came with.
    const callbackUrl = new URL(redirectUri);
    callbackUrl.search = new URL(request.url, options.publicUrl).search;
    try {
      const person = await relyingParty.completeSignIn(callbackUrl, pending);
      setSession(reply, sessions.open({ ...person, csrfToken: randomToken() }));
      request.log.info({ sub: person.sub }, "signed in through Guichet");
      return reply.redirect("/", 303);
    } catch (error) {
      if (error instanceof AuthorizationResponseError) {
        const description = error.error_description;
        if (error.error === "access_denied") return showError(reply, "access_denied", description);
        return showError(
          reply,
          "sign_in_failed",
          description ? `${error.error} — ${description}` : error.error,
        );
      }
      if (error instanceof GuichetUnavailableError) return showError(reply, "guichet_unavailable");
      request.log.warn({ err: error }, "Guichet's answer failed a check");
      return showError(reply, "answer_unverified");
    }
  });

  app.post("/auth/logout", async (request, reply) => {
    const id = sessionIdOf(request);
    const person = sessions.person(id);
    if (!person) return reply.redirect("/", 303);
    if (!sameToken(fieldOf(request.body, "csrf"), person.csrfToken)) {
      return showError(reply, "logout_form_invalid");
    }
    sessions.end(id);
    clearSession(reply);
    try {
      return reply.redirect((await relyingParty.endSessionUrl(person.idToken)).href, 303);
    } catch (error) {
      if (!(error instanceof GuichetUnavailableError)) throw error;
      return showError(reply, "logout_guichet_unavailable");
    }
  });

  // Guichet calls this, server to server, when a Guichet session ends (OpenID Connect Back-Channel Logout 1.0).
  app.post("/auth/backchannel-logout", async (request, reply) => {
    reply.header("cache-control", "no-store");
    const token = fieldOf(request.body, "logout_token");
    if (!token)
      return reply.code(400).send({ error: "invalid_request", error_description: "logout_token missing" });
    try {
      const names = await relyingParty.verifyLogoutToken(token);
      const ended = sessions.endForLogout(names);
      request.log.info({ ...names, ended }, "back-channel logout");
      return reply.code(200).send();
    } catch (error) {
      if (error instanceof InvalidLogoutTokenError) {
        request.log.warn({ reason: error.message }, "invalid logout token");
        return reply.code(400).send({ error: "invalid_request", error_description: "invalid logout_token" });
      }
      // Guichet or its keys out of reach: a 5xx lets Guichet deliver the token again.
      request.log.error({ err: error }, "logout token could not be checked");
      return reply.code(503).send({ error: "temporarily_unavailable" });
    }
  });

  app.setNotFoundHandler(async (_request, reply) => showError(reply, "not_found"));

  app.setErrorHandler(async (error, request, reply) => {
    if (statusOf(error) < 500) return showError(reply, "bad_request");
    request.log.error({ err: error }, "unexpected error");
    return showError(reply, "internal");
  });

  return app;
}

function pathOf(url: string): string {
  return url.split("?")[0] ?? "";
}

function statusOf(error: unknown): number {
  if (
    typeof error === "object" &&
    error !== null &&
    "statusCode" in error &&
    typeof error.statusCode === "number"
  ) {
    return error.statusCode >= 400 ? error.statusCode : 500;
  }
  return 500;
}

function fieldOf(body: unknown, name: string): string | undefined {
  if (typeof body !== "object" || body === null || !(name in body)) return undefined;
  const value: unknown = Reflect.get(body, name);
  return typeof value === "string" && value !== "" ? value : undefined;
}

function sameToken(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
