// The decision API's JSON schemas: Fastify validates requests and serializes responses with them, and
// @fastify/swagger makes the OpenAPI 3.1 document (/api/v1/openapi.json) from them, so the document is what the routes
// do. Request schemas are whole (no $ref), as the API's own validator compiles them; response schemas share the
// components below by $id.
import { REASONS } from "../../policy/decision.js";
import { ACCESS_RIGHTS } from "../../policy/registry.rules.js";
import { DECISION_ACTIONS, MAX_BATCH } from "../decisions/decisions.service.js";
import type { SCOPES } from "./api-tokens.js";
import { PROBLEM_CODES, PROBLEM_MEDIA_TYPE, type ProblemCode } from "./decisions-api.problems.js";

/** How many grants one page of the registry holds at most, and by default. */
export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

// --- Pieces

const id = { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;
const subject = {
  type: "string",
  minLength: 1,
  maxLength: 255,
  description: "The pairwise `sub` the service received for the person (ID token or userinfo).",
} as const;
const serviceCode = {
  type: "string",
  minLength: 1,
  maxLength: 100,
  description: "The online service's code, e.g. `PAVL`; one of the client's own ministry.",
} as const;
const externalId = {
  type: "string",
  minLength: 1,
  maxLength: 200,
  description: "The service's own id for a dossier it declared.",
} as const;
const instant = { type: "string", format: "date-time" } as const;
const day = {
  type: "string",
  format: "date",
  description: "A last day, inclusive (America/Montreal).",
} as const;
const nullableDay = { type: ["string", "null"], format: "date" } as const;

function object<P extends Record<string, unknown>, R extends readonly (keyof P & string)[]>(
  properties: P,
  required: R,
  extra: Record<string, unknown> = {},
) {
  return { type: "object", additionalProperties: false, required, properties, ...extra } as const;
}

// --- Requests

export const questionSchema = object(
  {
    subject,
    organization: { ...id, description: "The organization the person would act for, by its Guichet id." },
    service: serviceCode,
    action: {
      type: "string",
      enum: DECISION_ACTIONS,
      description: "The policy's own name of the action.",
    },
    dossier: {
      ...externalId,
      description:
        "A dossier the service declared (PUT …/dossiers/{externalId}), for the actions on one dossier.",
    },
  },
  ["subject", "organization", "service", "action"],
);

export const batchSchema = object(
  {
    questions: {
      type: "array",
      maxItems: MAX_BATCH,
      items: questionSchema,
      description: `Up to ${MAX_BATCH} questions, answered in order, in one snapshot.`,
    },
  },
  ["questions"],
);

export const dossierBodySchema = object(
  { organization: id, title: { type: "string", minLength: 1, maxLength: 200 } },
  ["organization", "title"],
);

export const dossierParamsSchema = object({ code: serviceCode, externalId }, ["code", "externalId"]);

export const accessParamsSchema = object({ sub: subject }, ["sub"]);
export const accessQuerySchema = object({ service: serviceCode }, ["service"]);

export const grantsParamsSchema = object({ code: serviceCode, org: id }, ["code", "org"]);
export const grantsQuerySchema = object(
  {
    cursor: {
      type: "string",
      minLength: 1,
      maxLength: 100,
      description: "`nextCursor` of the page before; none for the first page.",
    },
    limit: { type: "integer", minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE },
  },
  [],
);

// --- Shared response components (referenced by $id)

const organizationRef = object({ id, name: { type: "string" } }, ["id", "name"]);

export const linkSchema = {
  $id: "Link",
  description:
    "One link of the chain behind an answer, in order: the enterprise layer, a role, a right, a mandate.",
  oneOf: [
    object({ kind: { type: "string", const: "servicesOfficer" } }, ["kind"], {
      description: "The person is their organization's services officer (RSE): every procuration is theirs.",
    }),
    object({ kind: { type: "string", const: "procuration" }, id, until: day }, ["kind", "id", "until"], {
      description: "A procuration of the person's organization covering the service's ministry.",
    }),
    object(
      { kind: { type: "string", enum: ["localManager", "deputy"] }, since: instant },
      ["kind", "since"],
      { description: "A role in the registry of the organization in the service." },
    ),
    object(
      {
        kind: { type: "string", const: "association" },
        servicePointId: id,
        firm: organizationRef,
        since: instant,
      },
      ["kind", "servicePointId", "firm", "since"],
      {
        description:
          "An agent's firm associated them with the service (the agent manager of its service point).",
      },
    ),
    object(
      {
        kind: { type: "string", const: "right" },
        right: { type: "string", enum: ACCESS_RIGHTS },
        grantedBy: object({ name: { type: "string" } }, ["name"]),
        since: instant,
        until: nullableDay,
      },
      ["kind", "right", "grantedBy", "since", "until"],
      { description: "A right in the registry: Requérant or Mandataire, Rédaction or Consultation." },
    ),
    object(
      { kind: { type: "string", const: "mandate" }, dossier: externalId, since: instant, until: nullableDay },
      ["kind", "dossier", "since", "until"],
      { description: "A mandate of the agent on the dossier asked about." },
    ),
  ],
} as const;

export const answerSchema = {
  $id: "Answer",
  ...object(
    {
      allowed: { type: "boolean" },
      reason: {
        type: ["string", "null"],
        enum: [...REASONS, null],
        description: "The policy's reason code when denied; null when allowed.",
      },
      because: { type: "array", items: { $ref: "Link#" } },
      validUntil: {
        ...nullableDay,
        description:
          "Allowed: the earliest last day among the chain's links; null when none ends (or denied).",
      },
    },
    ["allowed", "reason", "because", "validUntil"],
  ),
} as const;

export const problemSchema = {
  $id: "Problem",
  description: "RFC 9457 problem details; `title` in French, `title_en` in English.",
  ...object(
    {
      type: { type: "string", description: "urn:guichet:problem:<code>, stable." },
      title: { type: "string" },
      title_en: { type: "string" },
      status: { type: "integer" },
      code: { type: "string", enum: PROBLEM_CODES },
      errors: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["detail"],
          properties: {
            pointer: { type: "string", description: "RFC 6901 pointer into the body." },
            parameter: { type: "string", description: "A path or query parameter." },
            detail: { type: "string" },
          },
        },
      },
    },
    ["type", "title", "title_en", "status", "code"],
  ),
} as const;

export const SHARED_SCHEMAS = [linkSchema, answerSchema, problemSchema];

// --- Responses

export const dossierSchema = object(
  {
    service: serviceCode,
    externalId,
    organization: id,
    title: { type: "string" },
    declaredAt: instant,
    closedAt: { type: ["string", "null"], format: "date-time" },
  },
  ["service", "externalId", "organization", "title", "declaredAt", "closedAt"],
);

export const closedDossierSchema = object(
  {
    dossier: dossierSchema,
    endedMandates: { type: "integer", minimum: 0, description: "Mandates this call ended." },
  },
  ["dossier", "endedMandates"],
);

export const batchAnswerSchema = object({ answers: { type: "array", items: { $ref: "Answer#" } } }, [
  "answers",
]);

export const accessSchema = object(
  {
    subject,
    service: serviceCode,
    organizations: {
      type: "array",
      items: object(
        {
          organization: organizationRef,
          actions: { type: "array", items: { type: "string", enum: DECISION_ACTIONS } },
        },
        ["organization", "actions"],
      ),
    },
  },
  ["subject", "service", "organizations"],
);

export const grantsSchema = object(
  {
    items: {
      type: "array",
      items: object(
        {
          id,
          subject,
          name: { type: "string" },
          right: { type: "string", enum: ACCESS_RIGHTS },
          grantedBy: object({ name: { type: "string" } }, ["name"]),
          since: instant,
          until: nullableDay,
          association: {
            ...object(
              {
                servicePointId: id,
                servicePointName: { type: "string" },
                firm: organizationRef,
                since: instant,
              },
              ["servicePointId", "servicePointName", "firm", "since"],
            ),
            type: ["object", "null"],
            description:
              "An agent's association with the service through their firm's service point; null otherwise.",
          },
        },
        ["id", "subject", "name", "right", "grantedBy", "since", "until", "association"],
      ),
    },
    nextCursor: { type: ["string", "null"], description: "The next page's cursor; null on the last page." },
  },
  ["items", "nextCursor"],
);

/** The responses of a route: its success, and the problems it may answer with by status, as problem+json. */
export function responses(
  success: Record<number, unknown>,
  problems: Record<number, readonly ProblemCode[]>,
) {
  const every: Record<number, readonly ProblemCode[]> = {
    401: ["invalid_token"],
    429: ["rate_limited"],
    500: ["internal"],
  };
  const out: Record<number, unknown> = { ...success };
  for (const [status, codes] of Object.entries({ ...every, ...problems }))
    out[Number(status)] = {
      description: codes.join(", "),
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: "Problem#" } } },
    };
  return out;
}

/** The security requirement of a route: a client credentials token with this scope. */
export function security(scope: (typeof SCOPES)[keyof typeof SCOPES]) {
  return [{ guichet: [scope] }];
}
