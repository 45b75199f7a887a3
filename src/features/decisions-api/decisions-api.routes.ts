// The decision API under /api/v1 (issue #14), for online services with a client credentials token: decisions (one,
// or a batch), a person's access in a service, declared dossiers, the registry by pages; the OpenAPI document made
// from these routes' schemas. Each route checks its token and scope, is rate-limited per client, and answers every
// error as an RFC 9457 problem.
import swagger from "@fastify/swagger";
import { Ajv, type Options as AjvOptions } from "ajv";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { requestView } from "../../db/read-cache.js";
import { loadSigningJwks } from "../federation/oidc.keys.js";
import { OIDC_PATH } from "../federation/provider.js";
import {
  API_PREFIX,
  type ApiScope,
  apiResource,
  type Bearer,
  SCOPES,
  type TokenCheck,
  tokenChecker,
} from "./api-tokens.js";
import { ApiProblem, PROBLEM_MEDIA_TYPE, problemOf } from "./decisions-api.problems.js";
import {
  accessParamsSchema,
  accessQuerySchema,
  accessSchema,
  batchAnswerSchema,
  batchSchema,
  closedDossierSchema,
  DEFAULT_PAGE,
  dossierBodySchema,
  dossierParamsSchema,
  dossierSchema,
  grantsParamsSchema,
  grantsQuerySchema,
  grantsSchema,
  questionSchema,
  responses,
  SHARED_SCHEMAS,
  security,
} from "./decisions-api.schemas.js";
import {
  type ApiCtx,
  accessOfSubject,
  close,
  decide,
  declare,
  grantsOf,
  type QuestionInput,
} from "./decisions-api.service.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A route of the decision API: a bearer token with this scope authenticates it, never a cookie, so no CSRF token. */
    bearerApi?: { scope: ApiScope };
  }
  interface FastifyRequest {
    apiToken: TokenCheck | null;
  }
}

/** Whether a request is the decision API's (a route of it, or an address under it that has none): no CSRF check. */
export function isBearerApiRequest(request: FastifyRequest): boolean {
  return (
    request.routeOptions.config.bearerApi !== undefined ||
    (request.is404 && request.url.startsWith(`${API_PREFIX}/`))
  );
}

/** Enough for a batch of 100 questions with long dossier ids. */
const BATCH_BODY_LIMIT = 256 * 1024;

const TAG = "Décisions";

function sendProblem(reply: FastifyReply, problem: ApiProblem): FastifyReply {
  if (problem.code === "rate_limited" && !reply.hasHeader("retry-after")) reply.header("retry-after", "60");
  // A token refused after its check (its client disabled since) gets the same challenge as any refused token.
  if (problem.code === "invalid_token" && !reply.hasHeader("www-authenticate"))
    reply.header("www-authenticate", 'Bearer realm="guichet-api", error="invalid_token"');
  return reply
    .status(problem.status)
    .type(PROBLEM_MEDIA_TYPE)
    .header("cache-control", "no-store")
    .send(JSON.stringify(problem.body()));
}

/**
 * Requests are checked by an Ajv of the API's own: a body exactly as its schema says (no type coercion, an extra
 * property refused rather than dropped: Fastify's defaults do both); path and query parameters coerced from text.
 */
function validatorCompiler() {
  const common: AjvOptions = { allErrors: true, useDefaults: true, removeAdditional: false, strict: true };
  const body = new Ajv({ ...common, coerceTypes: false });
  const parameters = new Ajv({ ...common, coerceTypes: true });
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === "body" ? body : parameters).compile(schema);
}

/** RFC 6750's challenge for a refused token. */
function challenge(check: TokenCheck | null, scope?: ApiScope): string {
  const realm = 'Bearer realm="guichet-api"';
  if (scope) return `${realm}, error="insufficient_scope", scope="${scope}"`;
  if (!check || check.ok || check.refusal === "missing") return realm;
  return `${realm}, error="invalid_token", error_description="${check.refusal === "expired" ? "expired" : "invalid"}"`;
}

export async function decisionsApiRoutes(app: FastifyInstance): Promise<void> {
  const { config, database, clock } = app.guichet;
  const db = database.db;
  // The provider's own keys (federation/oidc.keys.ts), loaded as the provider loads them at start: a rotation takes
  // effect at the next start of both.
  const { keys } = await loadSigningJwks(db, config.mfaEncryptionKey, clock());
  const checkToken = tokenChecker({
    issuer: `${config.publicUrl}${OIDC_PATH}`,
    audience: apiResource(config.publicUrl),
    keys,
  });
  const auditRate = config.decisionAuditSample;
  const sampled = () => auditRate >= 1 || (auditRate > 0 && Math.random() < auditRate);

  function bearerOf(request: FastifyRequest): Bearer {
    const check = request.apiToken;
    if (!check?.ok) throw new ApiProblem("invalid_token");
    return check.bearer;
  }

  const ctxOf = (request: FastifyRequest): ApiCtx => ({
    db,
    cache: requestView(database.registryCache),
    now: clock(),
    ip: request.ip,
    bearer: bearerOf(request),
    pairwiseSecret: config.oidcPairwiseSecret,
    sampled,
  });

  // JSON only: a form body is no API request.
  app.removeContentTypeParser("application/x-www-form-urlencoded");
  app.setValidatorCompiler(validatorCompiler());
  app.setErrorHandler(async (error, request, reply) => {
    const problem = problemOf(error);
    if (problem.status >= 500) request.log.error({ err: error }, "decision API request failed");
    else request.log.info({ code: problem.code }, "decision API request refused");
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, new ApiProblem("not_found")));
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Guichet — API de décision",
        version: "1",
        description:
          "Ce qu'une personne peut faire, pour quelle organisation, dans un service en ligne, et pourquoi. " +
          "Erreurs : RFC 9457 (`application/problem+json`), `type` = `urn:guichet:problem:<code>`, `title` en " +
          "français et `title_en` en anglais.",
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          guichet: {
            type: "oauth2",
            description: `Client credentials of the service's own client, with resource=${apiResource(config.publicUrl)}.`,
            flows: {
              clientCredentials: {
                tokenUrl: `${config.publicUrl}${OIDC_PATH}/token`,
                scopes: {
                  [SCOPES.read]: "Ask decisions, a person's access and an organization's registry.",
                  [SCOPES.write]: "Declare and close dossiers.",
                },
              },
            },
          },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === "string" ? json.$id : `def-${i}`,
    },
  });

  // The token first, then the limit per client (or per address without a valid token), then the verdict: a
  // request without a token is refused before its body is read.
  app.decorateRequest("apiToken", null);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("cache-control", "no-store");
    if (request.routeOptions.config.bearerApi)
      request.apiToken = await checkToken(request.headers.authorization);
  });
  app.addHook(
    "onRequest",
    app.rateLimit({
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) =>
        request.apiToken?.ok ? `client:${request.apiToken.bearer.clientId}` : `address:${request.ip}`,
      errorResponseBuilder: () => new ApiProblem("rate_limited"),
    }),
  );
  app.addHook("onRequest", async (request, reply) => {
    const api = request.routeOptions.config.bearerApi;
    if (!api) return;
    const check = request.apiToken;
    if (!check?.ok) {
      reply.header("www-authenticate", challenge(check));
      throw new ApiProblem("invalid_token");
    }
    if (!check.bearer.scopes.has(api.scope)) {
      reply.header("www-authenticate", challenge(check, api.scope));
      throw new ApiProblem("insufficient_scope");
    }
  });

  const read = { bearerApi: { scope: SCOPES.read }, rateLimit: false } as const;
  const write = { bearerApi: { scope: SCOPES.write }, rateLimit: false } as const;
  const refusals = { 403: ["insufficient_scope", "other_ministry"] } as const;
  const bodyRefusals = {
    ...refusals,
    413: ["payload_too_large"],
    415: ["unsupported_media_type"],
  } as const;

  app.post<{ Body: QuestionInput }>(
    "/decisions",
    {
      config: read,
      schema: {
        operationId: "decide",
        tags: [TAG],
        summary: "May this person take this action for this organization in this service (on this dossier)?",
        description:
          "The answer, with the chain that allows it (or the links found before the one missing) and until when. " +
          "Never cached: every answer reads the last committed state.",
        security: security(SCOPES.read),
        body: questionSchema,
        response: responses(
          { 200: { description: "The answer.", $ref: "Answer#" } },
          {
            ...bodyRefusals,
            400: ["invalid_request", "malformed_json", "unknown_action"],
            422: ["unknown_service", "unknown_subject", "unknown_organization"],
          },
        ),
      },
    },
    async (request) => {
      const [answer] = await decide(ctxOf(request), [request.body], (_index, field) => `/${field}`);
      return answer;
    },
  );

  app.post<{ Body: { questions: QuestionInput[] } }>(
    "/decisions::batch",
    {
      config: read,
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        operationId: "decideBatch",
        tags: [TAG],
        summary: "Up to 100 questions, answered in order in one snapshot.",
        description:
          "Every name must resolve or nothing is answered: the problem's `errors` point at each question that " +
          "names an unknown service, subject or organization.",
        security: security(SCOPES.read),
        body: batchSchema,
        response: responses(
          { 200: { description: "The answers, in the order of the questions.", ...batchAnswerSchema } },
          {
            ...bodyRefusals,
            400: ["invalid_request", "malformed_json", "unknown_action", "batch_too_large"],
            422: ["unknown_service", "unknown_subject", "unknown_organization"],
          },
        ),
      },
    },
    async (request) => ({
      answers: await decide(
        ctxOf(request),
        request.body.questions,
        (index, field) => `/questions/${index}/${field}`,
      ),
    }),
  );

  app.get<{ Params: { sub: string }; Querystring: { service: string } }>(
    "/subjects/:sub/access",
    {
      config: read,
      schema: {
        operationId: "accessOf",
        tags: [TAG],
        summary: "What this person may do in this service, and for which organizations (the service's menu).",
        security: security(SCOPES.read),
        params: accessParamsSchema,
        querystring: accessQuerySchema,
        response: responses(
          { 200: { description: "The organizations with the actions allowed there.", ...accessSchema } },
          { ...refusals, 400: ["invalid_request"], 404: ["unknown_service", "unknown_subject"] },
        ),
      },
    },
    async (request) => accessOfSubject(ctxOf(request), request.params.sub, request.query.service),
  );

  app.put<{ Params: { code: string; externalId: string }; Body: { organization: number; title: string } }>(
    "/services/:code/dossiers/:externalId",
    {
      config: write,
      schema: {
        operationId: "declareDossier",
        tags: [TAG],
        summary: "Declares a dossier of the service, so that managers can mandate agents on it.",
        description:
          "Idempotent for the same organization (its title as given now; a closed dossier reopens, its ended " +
          "mandates stay ended); refused for another organization.",
        security: security(SCOPES.write),
        params: dossierParamsSchema,
        body: dossierBodySchema,
        response: responses(
          {
            200: { description: "Declared again.", ...dossierSchema },
            201: { description: "Declared.", ...dossierSchema },
          },
          {
            ...bodyRefusals,
            400: ["invalid_request", "malformed_json", "invalid_dossier"],
            404: ["unknown_service"],
            409: ["organization_conflict"],
            422: ["unknown_organization"],
          },
        ),
      },
    },
    async (request, reply) => {
      const { dossier, created } = await declare(ctxOf(request), request.params, request.body);
      return reply.status(created ? 201 : 200).send(dossier);
    },
  );

  app.delete<{ Params: { code: string; externalId: string } }>(
    "/services/:code/dossiers/:externalId",
    {
      config: write,
      schema: {
        operationId: "closeDossier",
        tags: [TAG],
        summary:
          "Closes a declared dossier: its mandates end at once. Closing a closed dossier changes nothing.",
        security: security(SCOPES.write),
        params: dossierParamsSchema,
        response: responses(
          { 200: { description: "Closed.", ...closedDossierSchema } },
          { ...refusals, 400: ["invalid_request"], 404: ["unknown_service", "unknown_dossier"] },
        ),
      },
    },
    async (request) => close(ctxOf(request), request.params),
  );

  app.get<{ Params: { code: string; org: number }; Querystring: { cursor?: string; limit?: number } }>(
    "/services/:code/organizations/:org/grants",
    {
      config: read,
      schema: {
        operationId: "listGrants",
        tags: [TAG],
        summary: "The registry of an organization in the service: its current grants, by pages.",
        description:
          "Each person by their subject for the client's ministry. Pages follow the grants' order of creation; " +
          "pass `nextCursor` as `cursor` for the next one.",
        security: security(SCOPES.read),
        params: grantsParamsSchema,
        querystring: grantsQuerySchema,
        response: responses(
          { 200: { description: "One page.", ...grantsSchema } },
          {
            ...refusals,
            400: ["invalid_request", "invalid_cursor"],
            404: ["unknown_service", "unknown_organization"],
          },
        ),
      },
    },
    async (request) =>
      grantsOf(
        ctxOf(request),
        { code: request.params.code, organization: request.params.org },
        {
          limit: request.query.limit ?? DEFAULT_PAGE,
          ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        },
      ),
  );

  // Public: the document says what the API is, nothing about anyone. Limited per address like the rest.
  app.get("/openapi.json", { config: { rateLimit: false }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
