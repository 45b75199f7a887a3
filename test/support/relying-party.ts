// A relying service in tests: openid-client 6 speaking to the app through inject(), and an OpenID client registered
// straight in the database, as « Services en ligne externes » would.
import type { FastifyInstance } from "fastify";
import * as oidc from "openid-client";
import {
  insertClient,
  insertExternalService,
} from "../../src/features/external-services/external-services.queries.js";
import { hashClientSecret } from "../../src/features/external-services/external-services.service.js";
import { insertOrganization } from "../../src/features/organizations/organizations.queries.js";
import { newToken } from "../../src/util/tokens.js";
import type { TestApp } from "./app.js";

export const ISSUER = "http://guichet.test/oidc";
export const SCOPE = "openid profile email organisation";

/** fetch over app.inject(): the relying service's requests reach the app without a socket. */
export function injectFetch(app: FastifyInstance): oidc.CustomFetch {
  return async (url, options) => {
    const target = new URL(url);
    const headers = Object.fromEntries(new Headers(options.headers as HeadersInit).entries());
    const body = options.body;
    const response = await app.inject({
      method: (options.method ?? "GET") as "GET" | "POST",
      url: `${target.pathname}${target.search}`,
      headers: { ...headers, host: target.host },
      ...(body === undefined || body === null
        ? {}
        : {
            payload:
              typeof body === "string" || body instanceof URLSearchParams
                ? body.toString()
                : Buffer.from(body as Uint8Array),
          }),
    });
    const answer = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const item of Array.isArray(value) ? value : [value])
        if (item !== undefined) answer.append(name, String(item));
    }
    const status = response.statusCode;
    return new Response([101, 204, 205, 304].includes(status) ? null : new Uint8Array(response.rawPayload), {
      status,
      headers: answer,
    });
  };
}

let sequence = 0;

export type RegisteredClient = {
  clientId: string;
  serviceCode: string;
  secret: string;
  serviceId: number;
  ministryId: number;
  redirectUri: string;
};

/** An external service of a ministry and its client (client_secret_basic), registered as the back office would. */
export async function registerClient(
  t: TestApp,
  options: {
    ministryId: number;
    minAssurance?: "password" | "mfa";
    disabled?: boolean;
    backchannel?: string;
  },
): Promise<RegisteredClient> {
  const n = ++sequence;
  const redirectUri = `http://localhost:${4000 + n}/auth/callback`;
  const db = t.database.db;
  const serviceCode = `EXT${process.pid % 1000}${n}`;
  const serviceId = await insertExternalService(db, {
    code: serviceCode,
    name: `Service externe ${n}`,
    category: "other",
    ministryId: options.ministryId,
    ministryUnitId: null,
    externalUrl: `http://localhost:${4000 + n}/`,
  });
  const secret = newToken();
  const clientId = `guichet-test-client-${process.pid}-${n}`;
  await insertClient(db, {
    client_id: clientId,
    online_service_id: serviceId,
    ministry_id: options.ministryId,
    name: `Service externe ${n}`,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [`http://localhost:${4000 + n}/`],
    backchannel_logout_uri: options.backchannel ?? null,
    auth_method: "client_secret_basic",
    jwks_uri: null,
    secret_hash: hashClientSecret(secret),
    min_assurance: options.minAssurance ?? "password",
    created_at: t.clock(),
    updated_at: t.clock(),
    disabled_at: options.disabled ? t.clock() : null,
    secret_rotated_at: t.clock(),
  });
  return { clientId, serviceCode, secret, serviceId, ministryId: options.ministryId, redirectUri };
}

export async function otherMinistry(t: TestApp, name = "Ministère d'essai"): Promise<number> {
  return insertOrganization(t.database.db, {
    kind: "ministry",
    name: `${name} ${++sequence}`,
    acronym: `ME${sequence}`,
  });
}

/** The relying service's view of the provider, discovered through inject(). */
export async function relyingParty(t: TestApp, client: Pick<RegisteredClient, "clientId" | "secret">) {
  const fetch = injectFetch(t.app);
  const configuration = await oidc.discovery(
    new URL(ISSUER),
    client.clientId,
    undefined,
    oidc.ClientSecretBasic(client.secret),
    {
      execute: [oidc.allowInsecureRequests],
      [oidc.customFetch]: fetch,
    },
  );
  configuration[oidc.customFetch] = fetch;
  return configuration;
}

/** A fresh authorization request: its URL (path only, for the browser agent) and what the callback must check. */
export async function authorizationRequest(
  configuration: oidc.Configuration,
  client: Pick<RegisteredClient, "redirectUri">,
  extra: Record<string, string> = {},
) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: client.redirectUri,
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  return { path: `${url.pathname}${url.search}`, url, verifier, state, nonce };
}

export { oidc };
