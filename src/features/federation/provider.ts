// Guichet as the OpenID Provider of other ministries' online services: oidc-provider 9, configured here, mounted under
// /oidc by federation.routes.tsx. The provider issues and checks every token; Guichet supplies the people, their
// organization, its own sign-in pages for the interactions, and the enterprise layer at the door.
import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Kysely } from "kysely";
import Provider, {
  type Adapter,
  type AdapterPayload,
  type Configuration,
  errors,
  interactionPolicy,
  type KoaContextWithOIDC,
} from "oidc-provider";
import type { Clock } from "../../clock.js";
import type { DB } from "../../db/schema.js";
import { API_TOKEN_TTL_SECONDS, apiResource, apiResourceServer } from "../decisions-api/api-tokens.js";
import { rememberSubjects } from "../decisions-api/subjects.service.js";
import {
  type ClientMetadata,
  clientMetadataFor,
  clientSecretMatches,
  EXTRA_CLIENT_PROPERTIES,
} from "../external-services/client-metadata.js";
import { findAccountClaims } from "./federation.queries.js";
import { OidcAdapter } from "./oidc.adapter.js";
import { ACCESS_TOKEN_TTL_SECONDS, ID_TOKEN_TTL_SECONDS, prepareSigningJwks } from "./oidc.keys.js";

export const OIDC_PATH = "/oidc";
export const INTERACTION_PATH = `${OIDC_PATH}/interaction`;

/** What a service may ask of the assurance of a sign-in: a password alone, or a password and a second factor. */
export const ACR_PASSWORD = "urn:guichet:acr:password";
export const ACR_MFA = "urn:guichet:acr:mfa";

/** The Guichet session behind a request to the provider, attached by the mount before the provider sees it. */
export type GuichetSession = {
  userId: number;
  /** SHA-256 of the session cookie's token: what binds a provider session to it. */
  tokenHash: Buffer;
  /** How the person signed in (RFC 8176: pwd, otp, hwk, swk…). */
  amr: string[];
  /** When the person last proved a second factor in this session; null: never. */
  factorAt: Date | null;
  signedInAt: Date;
};

type WithGuichetSession = IncomingMessage & { guichetSession?: GuichetSession | null };

export function attachGuichetSession(req: IncomingMessage, session: GuichetSession | null): void {
  (req as WithGuichetSession).guichetSession = session;
}

export function guichetSessionOf(req: IncomingMessage): GuichetSession | null {
  return (req as WithGuichetSession).guichetSession ?? null;
}

/** The acr of a Guichet session: mfa once a second factor was proved in it. */
export function acrOf(session: Pick<GuichetSession, "factorAt">): string {
  return session.factorAt ? ACR_MFA : ACR_PASSWORD;
}

/** Guichet's own client metadata (extra properties included) as the provider hands it back on a client. */
type GuichetClient = { clientId: string } & Partial<
  Pick<ClientMetadata, (typeof EXTRA_CLIENT_PROPERTIES)[number]>
>;

export function extrasOf(client: unknown): GuichetClient {
  return client as GuichetClient;
}

/**
 * Registered clients live in oidc_client, managed in « Services en ligne externes »: the provider reads them through
 * this adapter, never writes them (dynamic registration is off).
 */
class ClientAdapter implements Adapter {
  readonly #db: Kysely<DB>;
  constructor(db: Kysely<DB>) {
    this.#db = db;
  }
  async find(id: string): Promise<AdapterPayload | undefined> {
    return (await clientMetadataFor(this.#db, id)) as AdapterPayload | undefined;
  }
  async upsert(): Promise<void> {}
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

/**
 * The person's subject differs per ministry: two ministries cannot correlate a person by `sub`, while every service
 * of one ministry sees the same one.
 */
export function pairwiseSubject(secret: string, ministryId: number | undefined, accountId: string): string {
  if (ministryId === undefined)
    throw new Error("a client without its ministry cannot have a pairwise subject");
  return createHmac("sha256", secret).update(`${ministryId}:${accountId}`).digest("base64url");
}

/**
 * The provider's outgoing requests (back-channel logouts, a client's JWKS) go through a guard that refuses loopback and
 * private addresses (SSRF). A service under development at http://localhost:port or http://127.0.0.1:port, the only
 * http addresses the back office accepts (the demo PAVL is one), is reached without that guard; every other address,
 * https://localhost included, keeps it.
 */
function developmentLoopbackFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  const loopback = url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1");
  if (!loopback) return globalThis.fetch(input, init);
  // The guard is the dispatcher the provider sets (lib/helpers/fetch_request.js): without it, Node's own.
  const { dispatcher: _guard, ...unguarded } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
  return globalThis.fetch(input, unguarded);
}

// --- The decision API (#14): its tokens, and the subjects it must recognize

/** Only a client credentials grant gets a token for the API: a token of the code flow speaks for a person. */
function isClientCredentials(ctx: KoaContextWithOIDC): boolean {
  return ctx.oidc.route === "token" && ctx.oidc.params?.grant_type === "client_credentials";
}

/**
 * features.resourceIndicators: the API is the one resource server. A client credentials request that names no
 * resource gets it by default; the code flow keeps its opaque tokens for userinfo, and may not name the API.
 */
function apiResourceIndicators(publicUrl: string) {
  const resource = apiResource(publicUrl);
  return {
    enabled: true,
    defaultResource: (ctx: KoaContextWithOIDC) => (isClientCredentials(ctx) ? resource : undefined),
    useGrantedResource: () => false,
    getResourceServerInfo: (ctx: KoaContextWithOIDC, indicator: string) => {
      if (indicator !== resource || !isClientCredentials(ctx)) throw new errors.InvalidTarget();
      return apiResourceServer(publicUrl);
    },
  };
}

/**
 * The pairwise subject of a person for a client's ministry, remembered as it is handed out, so that the decision
 * API can tell whom a subject names (migration 0015).
 */
async function handOutSubject(deps: ProviderDeps, accountId: string, client: unknown): Promise<string> {
  const ministryId = extrasOf(client).guichet_ministry_id;
  const sub = pairwiseSubject(deps.pairwiseSecret, ministryId, accountId);
  if (ministryId !== undefined)
    await rememberSubjects(deps.db, [{ ministryId, sub, userId: Number(accountId) }], deps.clock());
  return sub;
}

export type ProviderDeps = {
  db: Kysely<DB>;
  clock: Clock;
  publicUrl: string;
  cookieSecret: string;
  mfaKey: Buffer;
  pairwiseSecret: string;
  /** Whether the person may act for their organization with the client's ministry (and service): the enterprise layer. */
  mayEnter(userId: number, client: GuichetClient): Promise<boolean>;
  renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): Promise<void>;
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
};

const { Check, Prompt, base: basePolicy } = interactionPolicy;

/**
 * The provider's interaction policy: its own login and consent prompts, with three checks of Guichet's.
 * - login: the provider's session must belong to a live Guichet session of the same person (signing out of Guichet
 *   signs out of every service); and a service whose minimum is mfa needs a second factor proved in it.
 * - procuration (a prompt of its own, after login): the enterprise layer; it never passes by itself, the interaction
 *   page explains what is missing and ends with access_denied.
 */
function policy(deps: ProviderDeps) {
  const prompts = basePolicy();
  const login = prompts.get("login");
  if (!login) throw new Error("oidc-provider's base policy has no login prompt");
  login.checks.add(
    new Check("guichet_session", "the Guichet session has ended or is another person's", (ctx) => {
      const guichet = guichetSessionOf(ctx.req);
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId) return Check.NO_NEED_TO_PROMPT; // no_session asks already
      return guichet && String(guichet.userId) === accountId ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
  );
  login.checks.add(
    new Check("assurance", "this service needs a second factor", (ctx) => {
      const client = extrasOf(ctx.oidc.client);
      const wantsMfa =
        client.guichet_min_assurance === "mfa" ||
        (ctx.oidc.params?.acr_values as string | undefined)?.split(" ").includes(ACR_MFA) === true;
      if (!wantsMfa || !ctx.oidc.session?.accountId) return Check.NO_NEED_TO_PROMPT;
      return ctx.oidc.session.acr === ACR_MFA ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
  );
  prompts.add(
    new Prompt(
      { name: "procuration", requestable: false },
      new Check("no_procuration", "no valid procuration covers this service's ministry", async (ctx) => {
        const accountId = ctx.oidc.session?.accountId;
        if (!accountId || !ctx.oidc.client) return Check.NO_NEED_TO_PROMPT;
        const allowed = await deps.mayEnter(Number(accountId), extrasOf(ctx.oidc.client));
        return allowed ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
      }),
    ),
    1,
  );
  return prompts;
}

export async function createProvider(deps: ProviderDeps): Promise<Provider> {
  const { db, clock } = deps;
  const jwks = await prepareSigningJwks(db, deps.mfaKey, clock());
  const configuration: Configuration = {
    adapter: (model: string) =>
      model === "Client"
        ? new ClientAdapter(db)
        : new OidcAdapter(db, model, clock, (payload) => {
            if (model !== "Session") return null;
            const guichet = Provider.ctx ? guichetSessionOf(Provider.ctx.req) : null;
            return guichet && String(guichet.userId) === payload.accountId ? guichet.tokenHash : null;
          }),
    jwks,
    clients: [],
    async findAccount(_ctx, sub) {
      const account = await findAccountClaims(db, Number(sub));
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, ...account };
        },
      };
    },
    claims: {
      // How the person signed in comes with every ID token: a service needing a second factor checks acr.
      openid: ["sub", "acr", "amr", "auth_time"],
      profile: ["name", "given_name", "family_name", "locale"],
      email: ["email"],
      organisation: ["organisation"],
    },
    scopes: ["openid", "profile", "email", "organisation"],
    // The ID token itself says who and for whom (the organization), as userinfo does: a service need not call back.
    conformIdTokenClaims: false,
    acrValues: [ACR_PASSWORD, ACR_MFA],
    subjectTypes: ["pairwise"],
    pairwiseIdentifier: (_ctx, accountId, client) => handOutSubject(deps, accountId, client),
    extraClientMetadata: { properties: [...EXTRA_CLIENT_PROPERTIES] },
    responseTypes: ["code"],
    pkce: { required: () => true },
    clientAuthMethods: ["client_secret_basic", "private_key_jwt"],
    enabledJWA: {
      idTokenSigningAlgValues: ["RS256", "ES256"],
      userinfoSigningAlgValues: ["RS256", "ES256"],
      clientAuthSigningAlgValues: ["RS256", "PS256", "ES256"],
      requestObjectSigningAlgValues: ["RS256", "PS256", "ES256"],
      introspectionSigningAlgValues: ["RS256", "ES256"],
      authorizationSigningAlgValues: ["RS256", "ES256"],
    },
    issueRefreshToken: () => false,
    // Every service of a ministry is the ministry's own: no consent screen, the grant covers what it asks.
    async loadExistingGrant(ctx) {
      const grantId =
        (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId ??
        ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? "");
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) return grant;
      }
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope([...(ctx.oidc.requestParamOIDCScopes ?? [])].join(" "));
      const claims = ctx.oidc.requestParamClaims;
      if (claims) grant.addOIDCClaims([...claims]);
      await grant.save();
      return grant;
    },
    ttl: {
      AuthorizationCode: 60,
      IdToken: ID_TOKEN_TTL_SECONDS,
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: API_TOKEN_TTL_SECONDS,
      Interaction: 15 * 60,
      // The provider's session lives no longer than a Guichet session could; the login check ends it sooner.
      Session: 12 * 3600,
      Grant: 12 * 3600,
    },
    cookies: {
      keys: [deps.cookieSecret],
      long: { httpOnly: true, sameSite: "lax", signed: true },
      short: { httpOnly: true, sameSite: "lax", signed: true },
    },
    interactions: {
      policy: policy(deps),
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: deps.logoutSource,
        postLogoutSuccessSource: deps.postLogoutSuccessSource,
      },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      // The decision API (#14): a service's own client gets short-lived JWT access tokens for /api/v1.
      clientCredentials: { enabled: true },
      resourceIndicators: apiResourceIndicators(deps.publicUrl),
    },
    renderError: (ctx, out) => deps.renderError(ctx, out as { error: string; error_description?: string }),
    fetch: developmentLoopbackFetch,
  };
  const provider = new Provider(`${deps.publicUrl}${OIDC_PATH}`, configuration);
  // Guichet keeps only a hash of each client's secret: the provider compares with it (client-metadata.ts).
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: { clientSecret?: string },
    presented: string,
  ) {
    return Promise.resolve(clientSecretMatches(this.clientSecret, presented));
  };
  return provider;
}
