// The decision API's access tokens, both halves of one contract: what the OpenID Provider issues (client credentials,
// a JWT for the resource `${PUBLIC_URL}/api/v1`, five minutes, the scopes asked for among two), and how the API checks
// one (jose, against the provider's own keys, in process).
import { createLocalJWKSet, errors, type JWK, jwtVerify } from "jose";
import type { ResourceServer } from "oidc-provider";

export const API_PREFIX = "/api/v1";

/** What a token may allow: asking decisions (and reading the registry), declaring and closing dossiers. */
export const SCOPES = { read: "decisions:read", write: "dossiers:write" } as const;
export type ApiScope = (typeof SCOPES)[keyof typeof SCOPES];

/** Short: a revoked client's token ends soon even without the database (which the API reads anyway, see Caller). */
export const API_TOKEN_TTL_SECONDS = 300;

/** The algorithm the provider signs the API's tokens with, and the only one the API accepts. */
export const API_TOKEN_ALGORITHM = "ES256";

/** The resource indicator (RFC 8707) a client names to get a token for the API: also the tokens' audience. */
export function apiResource(publicUrl: string): string {
  return `${publicUrl}${API_PREFIX}`;
}

/** features.resourceIndicators.getResourceServerInfo's answer for the API. */
export function apiResourceServer(publicUrl: string): ResourceServer {
  return {
    scope: Object.values(SCOPES).join(" "),
    audience: apiResource(publicUrl),
    accessTokenTTL: API_TOKEN_TTL_SECONDS,
    accessTokenFormat: "jwt",
    jwt: { sign: { alg: API_TOKEN_ALGORITHM } },
  };
}

/** A token that checked out: its client, and what it may do. */
export type Bearer = { clientId: string; scopes: ReadonlySet<string> };

/** Why no token was accepted: none was sent, it has expired, or it is not one of Guichet's for the API. */
export type TokenRefusal = "missing" | "expired" | "invalid";

export type TokenCheck = { ok: true; bearer: Bearer } | { ok: false; refusal: TokenRefusal };

/** The members of a JWK that are public; the provider's keys come with their private parts. */
const PUBLIC_MEMBERS = ["kty", "crv", "x", "y", "n", "e", "kid", "alg", "use"] as const;

function publicJwkOf(jwk: object): JWK {
  const key: JWK = {};
  for (const member of PUBLIC_MEMBERS) {
    const value: unknown = Reflect.get(jwk, member);
    if (typeof value === "string") key[member] = value;
  }
  return key;
}

/** RFC 6750's b64token; a JWT of Guichet's is far shorter than the cap. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const MAX_TOKEN_LENGTH = 4096;

/** How many verified tokens are remembered: a few per client, with room to spare. */
const REMEMBERED_TOKENS = 1000;

/**
 * The API's check of a bearer token: a JWT access token (typ at+jwt) signed by one of the provider's keys with the
 * API's algorithm, from the provider (iss), for the API (aud), not expired, naming its client (client_id, which a
 * client credentials token also has as sub: a token issued for a person is no client's).
 */
export function tokenChecker(options: {
  issuer: string;
  audience: string;
  keys: readonly object[];
}): (authorization: string | undefined) => Promise<TokenCheck> {
  const keySet = createLocalJWKSet({ keys: options.keys.map(publicJwkOf) });
  // jose's verdict on each token that passed, until the token's exp: a service sends the same token for minutes, and
  // nothing in the verdict but the time can change (the keys are those of this start; the client's standing is read
  // from the database at every request all the same).
  const verified = new Map<string, { bearer: Bearer; expiresAt: number }>();
  return async (authorization) => {
    const token =
      authorization && authorization.length <= MAX_TOKEN_LENGTH && BEARER.exec(authorization)?.[1];
    if (!token) return { ok: false, refusal: "missing" };
    const known = verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAt) return { ok: true, bearer: known.bearer };
      verified.delete(token);
      return { ok: false, refusal: "expired" };
    }
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [API_TOKEN_ALGORITHM],
        typ: "at+jwt",
        requiredClaims: ["exp", "iat", "jti", "sub", "client_id"],
      });
      const clientId = payload.client_id;
      if (typeof clientId !== "string" || payload.sub !== clientId) return { ok: false, refusal: "invalid" };
      const scope = typeof payload.scope === "string" ? payload.scope : "";
      const bearer: Bearer = { clientId, scopes: new Set(scope.split(" ").filter(Boolean)) };
      if (verified.size >= REMEMBERED_TOKENS) {
        const oldest = verified.keys().next();
        if (!oldest.done) verified.delete(oldest.value);
      }
      verified.set(token, { bearer, expiresAt: Number(payload.exp) * 1000 });
      return { ok: true, bearer };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, refusal: "expired" };
      if (error instanceof errors.JOSEError) return { ok: false, refusal: "invalid" };
      throw error;
    }
  };
}
