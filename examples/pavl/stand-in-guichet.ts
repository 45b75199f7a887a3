// For PAVL's tests only: a stand-in for Guichet's OpenID Provider, a real oidc-provider 9 under /oidc with PAVL
// registered as Guichet registers it, and a tiny sign-in page (a user code, no password) in place of Guichet's own.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
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
  close(): Promise<void>;
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

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
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
        grant_types: ["authorization_code"],
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
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
