// PAVL as Guichet's OpenID client: the redirect to Guichet, the return with a code, RP-initiated logout, and the check
// of a back-channel logout token. Every token is checked by a library (openid-client, jose), never by hand.
import { createRemoteJWKSet, errors as joseErrors, customFetch as joseFetch, jwtVerify } from "jose";
import * as oidc from "openid-client";
import type { Organisation, PendingSignIn, SignedInPerson } from "./sessions.js";

/** The scopes PAVL asks for: who the person is, and the organization they act for (Guichet's own scope). */
export const SCOPE = "openid profile email organisation";
/** The algorithm PAVL registered for its ID tokens; Guichet signs logout tokens with it too. */
export const ID_TOKEN_ALG = "RS256";
export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
/** The clocks of Guichet and of PAVL's servers may differ by this much. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** openid-client's fetch; Guichet's keys are fetched through it too. */
export type FetchLike = oidc.CustomFetch;

export type RelyingPartyOptions = {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Lets plain-http Guichet be used: development on localhost only. */
  allowInsecure: boolean;
  fetch: FetchLike | undefined;
};

/** Guichet could not be reached (discovery failed); the page says to try again later. */
export class GuichetUnavailableError extends Error {}

/** A logout token that fails a check; the endpoint answers 400 and ends no session. */
export class InvalidLogoutTokenError extends Error {}

export type SignedIn = Omit<SignedInPerson, "csrfToken">;

export class RelyingParty {
  readonly #options: RelyingPartyOptions;
  #configuration: Promise<oidc.Configuration> | undefined;
  #jwks: { uri: string; keys: ReturnType<typeof createRemoteJWKSet> } | undefined;
  #apiToken: { value: string; expiresAt: number } | undefined;

  constructor(options: RelyingPartyOptions) {
    this.#options = options;
  }

  /**
   * Guichet's metadata, discovered on first use and kept: PAVL may start before Guichet does. A failed discovery is
   * forgotten, so that the next request tries again.
   */
  configuration(): Promise<oidc.Configuration> {
    if (!this.#configuration) {
      this.#configuration = this.#discover().catch((error: unknown) => {
        this.#configuration = undefined;
        throw new GuichetUnavailableError("Guichet's discovery document could not be read", { cause: error });
      });
    }
    return this.#configuration;
  }

  /** The authorization request: PKCE S256, state and nonce, all three kept by the caller on the server. */
  async startSignIn(): Promise<{ url: URL; pending: PendingSignIn }> {
    const configuration = await this.configuration();
    const pending: PendingSignIn = {
      codeVerifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.#options.redirectUri,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: "S256",
      state: pending.state,
      nonce: pending.nonce,
      ui_locales: "fr-CA",
    });
    return { url, pending };
  }

  /**
   * Completes the sign-in from the URL Guichet sent the browser back to. Throws openid-client's
   * AuthorizationResponseError when Guichet answered with an error (access_denied…), and another error when any
   * check fails (state, iss, code, PKCE, the ID token's signature, audience, nonce…).
   */
  async completeSignIn(callbackUrl: URL, pending: PendingSignIn): Promise<SignedIn> {
    const configuration = await this.configuration();
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims || !tokens.id_token) throw new Error("Guichet returned no ID token");
    // With an access token, the provider gives the profile and organisation claims at the userinfo endpoint.
    const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    const claims: Record<string, unknown> = { ...idClaims, ...userinfo };
    return {
      sub: idClaims.sub,
      sid: stringOf(idClaims.sid),
      name: nameOf(claims),
      email: stringOf(claims.email),
      organisation: organisationOf(claims.organisation),
      acr: stringOf(idClaims.acr),
      amr: Array.isArray(idClaims.amr) ? idClaims.amr.filter((value) => typeof value === "string") : [],
      idToken: tokens.id_token,
    };
  }

  /**
   * An access token for Guichet's decision API, PAVL's own (client credentials, the API named as `resource`), kept
   * until shortly before it expires.
   */
  async apiToken(resource: string, scope: string): Promise<string> {
    const now = Date.now();
    if (this.#apiToken && this.#apiToken.expiresAt > now) return this.#apiToken.value;
    const configuration = await this.configuration();
    const tokens = await oidc.clientCredentialsGrant(configuration, { scope, resource });
    const lifetime = (tokens.expires_in ?? 60) - CLOCK_TOLERANCE_SECONDS;
    this.#apiToken = { value: tokens.access_token, expiresAt: now + Math.max(lifetime, 0) * 1000 };
    return tokens.access_token;
  }

  /** Forgets the API token, so that the next call gets a new one (Guichet refused it). */
  forgetApiToken(): void {
    this.#apiToken = undefined;
  }

  /** Where to send the browser to end the Guichet session too (RP-initiated logout). */
  async endSessionUrl(idToken: string): Promise<URL> {
    const configuration = await this.configuration();
    return oidc.buildEndSessionUrl(configuration, {
      id_token_hint: idToken,
      post_logout_redirect_uri: this.#options.postLogoutRedirectUri,
    });
  }

  /**
   * The Guichet session and person a back-channel logout token names, once its signature (Guichet's published keys),
   * issuer, audience, type, lifetime and content are checked (OpenID Connect Back-Channel Logout 1.0, section 2.6).
   */
  async verifyLogoutToken(token: string): Promise<{ sid: string | undefined; sub: string | undefined }> {
    const configuration = await this.configuration();
    const metadata = configuration.serverMetadata();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#keysAt(metadata.jwks_uri), {
        issuer: metadata.issuer,
        audience: this.#options.clientId,
        algorithms: [ID_TOKEN_ALG],
        typ: "logout+jwt",
        requiredClaims: ["iat", "exp", "jti", "events"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      // Guichet's keys being out of reach says nothing of the token: let Guichet try again later.
      if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) {
        throw new InvalidLogoutTokenError(error.code, { cause: error });
      }
      throw error;
    }
    const events = payload.events;
    if (!isRecord(events) || !isRecord(events[BACKCHANNEL_LOGOUT_EVENT])) {
      throw new InvalidLogoutTokenError("the events claim names no back-channel logout");
    }
    if ("nonce" in payload) throw new InvalidLogoutTokenError("a logout token carries no nonce");
    const sid = stringOf(payload.sid);
    const sub = stringOf(payload.sub);
    if (!sid && !sub) throw new InvalidLogoutTokenError("the token names neither a session nor a person");
    return { sid, sub };
  }

  #discover(): Promise<oidc.Configuration> {
    const options: oidc.DiscoveryRequestOptions = {};
    if (this.#options.allowInsecure) options.execute = [oidc.allowInsecureRequests];
    if (this.#options.fetch) options[oidc.customFetch] = this.#options.fetch;
    return oidc.discovery(
      this.#options.issuer,
      this.#options.clientId,
      { id_token_signed_response_alg: ID_TOKEN_ALG },
      oidc.ClientSecretBasic(this.#options.clientSecret),
      options,
    );
  }

  /** Guichet's signing keys, fetched on first need and again when a token names a key not seen yet (rotation). */
  #keysAt(jwksUri: string | undefined): ReturnType<typeof createRemoteJWKSet> {
    if (!jwksUri) throw new InvalidLogoutTokenError("Guichet publishes no jwks_uri");
    if (this.#jwks?.uri !== jwksUri) {
      const fetchKeys = this.#options.fetch;
      const keys = createRemoteJWKSet(
        new URL(jwksUri),
        fetchKeys
          ? {
              [joseFetch]: (url, { headers, method, redirect, signal }) =>
                fetchKeys(url, {
                  body: undefined,
                  headers: Object.fromEntries(headers),
                  method,
                  redirect,
                  signal,
                }),
            }
          : {},
      );
      this.#jwks = { uri: jwksUri, keys };
    }
    return this.#jwks.keys;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function nameOf(claims: Record<string, unknown>): string {
  const name = stringOf(claims.name);
  if (name) return name;
  const parts = [stringOf(claims.given_name), stringOf(claims.family_name)].filter(
    (part) => part !== undefined,
  );
  return parts.length > 0 ? parts.join(" ") : "Personne sans nom";
}

/** Guichet's `organisation` claim: `{ id, kind, name, geoCode }` for a municipality, `neq` for a body or a firm. */
export function organisationOf(value: unknown): Organisation | undefined {
  if (!isRecord(value)) return undefined;
  const name = stringOf(value.name);
  if (!name) return undefined;
  const id = typeof value.id === "number" || typeof value.id === "string" ? value.id : undefined;
  return { id, kind: stringOf(value.kind), name, geoCode: stringOf(value.geoCode), neq: stringOf(value.neq) };
}
