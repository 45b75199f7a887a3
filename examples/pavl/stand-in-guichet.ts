// For PAVL's tests only: a stand-in for Guichet's OpenID Provider, a real oidc-provider 9 under /oidc with PAVL
// registered as Guichet registers it, and a tiny sign-in page (a user code, no password) in place of Guichet's own.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, type JWK, jwtVerify } from "jose";
import Provider, { type Configuration, errors, type KoaContextWithOIDC } from "oidc-provider";
import { escapeHtml } from "./views.js";

export type StandInAccount = {
  claims: Record<string, unknown>;
  amr: string[];
  acr: string;
};

export type StandInGuichet = {
  issuer: string;
  provider: Provider;
  /** The private key the provider signs with (RS256), so that tests can forge tokens that differ in one respect. */
  signingKey: JWK & { kid: string };
  /** The ID tokens the token endpoint issued, most recent last. */
  idTokens: string[];
  /** Back-channel logout deliveries: the client's answer, success or error. */
  backchannel: Array<{ ok: boolean; sid: string }>;
  /** A tiny fake of Guichet's decision API under /api/v1, with the rights the tests set by pairwise subject. */
  api: FakeDecisionApi;
  close(): Promise<void>;
};

export type FakeDecisionApi = {
  /** Declared dossiers: external id → organization and title, as PAVL declared them last. */
  dossiers: Map<string, { organization: number; title: string }>;
  /** The right each subject holds in PAVL's registry (requester.write, requester.read); none when absent. */
  rights: Map<string, string>;
  /** Every call, « METHOD path », in order. */
  calls: string[];
};

export const STAND_IN_CLIENT = {
  clientId: "guichet-demo-pavl",
  clientSecret: "pavl-secret-de-test-uniquement-dans-les-tests",
} as const;

/** The path under which the stand-in serves its sign-in page; Guichet serves its own at its own address. */
const INTERACTION = "/interaction/";

export async function startStandInGuichet(options: {
  pavlUrl: string;
  accounts: Record<string, StandInAccount>;
}): Promise<StandInGuichet> {
  let provider: Provider | undefined;
  const server = createServer((req, res) => {
    if (!provider) return void res.writeHead(503).end();
    const url = req.url ?? "/";
    if (url.startsWith(INTERACTION)) {
      interaction(provider, options.accounts, req, res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      });
      return;
    }
    if (url.startsWith("/api/v1/")) {
      fakeApi(api, { issuer, audience: apiResource, publicKey }, req, res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      });
      return;
    }
    if (url === "/oidc" || url.startsWith("/oidc/") || url.startsWith("/oidc?")) {
      // Mounted as a sub-application would be: the provider reads its mount path from originalUrl.
      Object.assign(req, { originalUrl: url, url: url.slice("/oidc".length) || "/" });
      provider.callback()(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the stand-in is not listening");
  const issuer = `http://127.0.0.1:${address.port}/oidc`;

  const apiResource = `http://127.0.0.1:${address.port}/api/v1`;
  const api: FakeDecisionApi = { dossiers: new Map(), rights: new Map(), calls: [] };
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "stand-in-rs256", alg: "RS256", use: "sig" };
  const configuration: Configuration = {
    clients: [
      {
        client_id: STAND_IN_CLIENT.clientId,
        client_secret: STAND_IN_CLIENT.clientSecret,
        redirect_uris: [`${options.pavlUrl}/auth/callback`],
        post_logout_redirect_uris: [`${options.pavlUrl}/`],
        backchannel_logout_uri: `${options.pavlUrl}/auth/backchannel-logout`,
        backchannel_logout_session_required: true,
        grant_types: ["authorization_code", "client_credentials"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
        id_token_signed_response_alg: "RS256",
        subject_type: "pairwise",
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ["stand-in-cookie-key-for-tests-only"] },
    // acr and amr under the openid scope: otherwise the provider puts them in the ID token only when the client asks
    // for them by name (claims parameter). Guichet's provider must do the same for PAVL to show them.
    claims: {
      openid: ["sub", "acr", "amr"],
      profile: ["name", "given_name", "family_name", "locale"],
      email: ["email"],
      organisation: ["organisation"],
      sid: null,
      auth_time: null,
    },
    subjectTypes: ["public", "pairwise"],
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      createHash("sha256")
        .update(`${client.sectorIdentifier ?? ""}|${accountId}|stand-in`)
        .digest("base64url"),
    clientAuthMethods: ["client_secret_basic"],
    responseTypes: ["code"],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      backchannelLogout: { enabled: true },
      clientCredentials: { enabled: true },
      // As Guichet does: the API is the one resource server, for client credentials only, with JWT access tokens.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => false,
        getResourceServerInfo: (ctx, indicator) => {
          if (indicator !== apiResource || ctx.oidc.params?.grant_type !== "client_credentials")
            throw new errors.InvalidTarget();
          return {
            scope: "decisions:read dossiers:write",
            audience: apiResource,
            accessTokenTTL: 300,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    interactions: { url: (_ctx, found) => `${INTERACTION}${found.uid}` },
    findAccount: async (_ctx, accountId) => {
      const account = options.accounts[accountId];
      if (!account) return undefined;
      return { accountId, claims: async () => ({ sub: accountId, ...account.claims }) };
    },
    // The provider refuses to call loopback addresses (SSRF protection); PAVL listens on 127.0.0.1 in the tests.
    fetch: (url, init) => {
      const unguarded = { ...init };
      Reflect.deleteProperty(unguarded, "dispatcher");
      return fetch(url, unguarded);
    },
  };
  provider = new Provider(issuer, configuration);

  const idTokens: string[] = [];
  const backchannel: StandInGuichet["backchannel"] = [];
  provider.on("grant.success", (ctx: KoaContextWithOIDC) => {
    const body: unknown = ctx.body;
    if (
      typeof body === "object" &&
      body !== null &&
      "id_token" in body &&
      typeof body.id_token === "string"
    ) {
      idTokens.push(body.id_token);
    }
  });
  provider.on("backchannel.success", (_ctx, _client, _accountId, sid: string) =>
    backchannel.push({ ok: true, sid }),
  );
  provider.on("backchannel.error", (_ctx, _error, _client, _accountId, sid: string) =>
    backchannel.push({ ok: false, sid }),
  );

  return {
    issuer,
    provider,
    signingKey,
    idTokens,
    backchannel,
    api,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The decision API's two calls PAVL makes, faked: PUT …/dossiers/{id} and POST /decisions:batch, behind a check of
 * the bearer token (signature, issuer, audience). A requester.write may read and edit, a requester.read only read.
 */
async function fakeApi(
  api: FakeDecisionApi,
  token: { issuer: string; audience: string; publicKey: CryptoKey },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://stand-in");
  const json = (status: number, body: unknown) =>
    void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  api.calls.push(`${req.method} ${url.pathname}`);
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  try {
    if (!bearer) throw new Error("no token");
    await jwtVerify(bearer, token.publicKey, { issuer: token.issuer, audience: token.audience });
  } catch {
    return json(401, { code: "invalid_token", title: "Jeton invalide" });
  }
  const body: unknown = JSON.parse((await bodyOf(req)) || "null");
  const dossier = /^\/api\/v1\/services\/PAVL\/dossiers\/([^/]+)$/.exec(url.pathname);
  if (req.method === "PUT" && dossier?.[1]) {
    const { organization, title } = body as { organization: number; title: string };
    const id = decodeURIComponent(dossier[1]);
    const created = !api.dossiers.has(id);
    api.dossiers.set(id, { organization, title });
    return json(created ? 201 : 200, { service: "PAVL", externalId: id, organization, title });
  }
  if (req.method === "POST" && url.pathname === "/api/v1/decisions:batch") {
    const { questions } = body as { questions: Array<{ subject: string; action: string; dossier?: string }> };
    const procuration = { kind: "procuration", id: 1, until: "2029-12-31" };
    const answers = questions.map((question) => {
      const right = api.rights.get(question.subject);
      if (question.dossier && !api.dossiers.has(question.dossier))
        return { allowed: false, reason: "unknown_dossier", because: [], validUntil: null };
      if (!right) return { allowed: false, reason: "no_right", because: [procuration], validUntil: null };
      const because = [
        procuration,
        {
          kind: "right",
          right,
          grantedBy: { name: "Mathieu Bouchard" },
          since: "2026-12-01T15:00:00.000Z",
          until: null,
        },
      ];
      const allowed = question.action === "application.read" || right === "requester.write";
      return allowed
        ? { allowed, reason: null, because, validUntil: "2029-12-31" }
        : { allowed, reason: "read_only_right", because, validUntil: null };
    });
    return json(200, { answers });
  }
  return json(404, { code: "not_found", title: "Introuvable" });
}

/**
 * The sign-in page: GET shows a form for a user code; POST …/login signs that account in with the account's amr and
 * acr; GET …/abort refuses, as Guichet's enterprise gate does, with the reason given in ?reason=. Consent is given at
 * once (Guichet's services are its own).
 */
async function interaction(
  provider: Provider,
  accounts: Record<string, StandInAccount>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://stand-in");
  const details = await provider.interactionDetails(req, res);
  if (url.pathname.endsWith("/abort")) {
    const reason = url.searchParams.get("reason") ?? "Accès refusé.";
    await provider.interactionFinished(req, res, { error: "access_denied", error_description: reason });
    return;
  }
  if (req.method === "POST" && url.pathname.endsWith("/login")) {
    const login = new URLSearchParams(await bodyOf(req)).get("login") ?? "";
    const account = accounts[login];
    if (!account) return void res.writeHead(400, { "content-type": "text/plain" }).end("compte inconnu");
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login, amr: account.amr, acr: account.acr } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (details.prompt.name === "consent") {
    const accountId = details.session?.accountId;
    const clientId = details.params.client_id;
    if (typeof accountId !== "string" || typeof clientId !== "string")
      throw new Error("no session to consent in");
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId });
    if (!grant) throw new Error("grant not found");
    grant.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  const action = `${INTERACTION}${escapeHtml(details.uid)}/login`;
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><title>Guichet (stand-in)</title><form method="post" action="${action}">
<input name="login"><button>Se connecter</button></form>`);
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}
