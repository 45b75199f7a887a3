// The decision API's errors: RFC 9457 problem details, one catalogue of stable codes, each with its status and its
// title in French (`title`, the interface's first language) and in English (`title_en`); every error the API can
// give, Fastify's own included (schema, JSON, media type, size, rate), leaves as one of these.
import { AppError } from "../../errors.js";
import { BatchTooLarge } from "../decisions/decisions.service.js";
import { DossierError } from "../decisions/dossiers.service.js";

/** A problem's `type`: a URN that names the code for good, whatever host serves the API. */
export const PROBLEM_TYPE_PREFIX = "urn:guichet:problem:";

export const PROBLEM_MEDIA_TYPE = "application/problem+json";

type Entry = { status: number; fr: string; en: string };

export const PROBLEMS = {
  invalid_request: {
    status: 400,
    fr: "La requête ne respecte pas le schéma de l'API.",
    en: "The request does not match the API's schema.",
  },
  malformed_json: {
    status: 400,
    fr: "Le corps de la requête n'est pas du JSON valide.",
    en: "The request body is not valid JSON.",
  },
  unknown_action: {
    status: 400,
    fr: "Cette action n'existe pas dans l'API de décision.",
    en: "This action does not exist in the decision API.",
  },
  batch_too_large: {
    status: 400,
    fr: "Un lot compte au plus 100 questions.",
    en: "A batch holds at most 100 questions.",
  },
  invalid_cursor: {
    status: 400,
    fr: "Ce curseur de pagination n'est pas valide.",
    en: "This pagination cursor is not valid.",
  },
  invalid_dossier: {
    status: 400,
    fr: "L'identifiant ou le titre du dossier est vide ou trop long.",
    en: "The dossier's id or title is empty or too long.",
  },
  invalid_token: {
    status: 401,
    fr: "Le jeton d'accès est absent, expiré ou n'est pas destiné à cette API.",
    en: "The access token is missing, expired or not meant for this API.",
  },
  insufficient_scope: {
    status: 403,
    fr: "Le jeton d'accès ne donne pas la portée que demande cette opération.",
    en: "The access token does not grant the scope this operation needs.",
  },
  other_ministry: {
    status: 403,
    fr: "Ce client ne peut interroger que les services en ligne de son propre ministère.",
    en: "This client may only ask about its own ministry's online services.",
  },
  not_found: {
    status: 404,
    fr: "Cette adresse n'existe pas dans l'API.",
    en: "This address does not exist in the API.",
  },
  unknown_service: {
    status: 404,
    fr: "Aucun service en ligne n'a ce code.",
    en: "No online service has this code.",
  },
  unknown_organization: {
    status: 404,
    fr: "Aucune organisation n'a cet identifiant.",
    en: "No organization has this id.",
  },
  unknown_subject: {
    status: 404,
    fr: "Cet identifiant de personne n'a jamais été remis au ministère de ce client.",
    en: "This subject was never given to this client's ministry.",
  },
  unknown_dossier: {
    status: 404,
    fr: "Aucun dossier déclaré n'a cet identifiant dans ce service.",
    en: "No declared dossier has this id in this service.",
  },
  organization_conflict: {
    status: 409,
    fr: "Ce dossier a déjà été déclaré pour une autre organisation.",
    en: "This dossier was already declared for another organization.",
  },
  payload_too_large: {
    status: 413,
    fr: "Le corps de la requête est trop volumineux.",
    en: "The request body is too large.",
  },
  unsupported_media_type: {
    status: 415,
    fr: "Le corps de la requête doit être du JSON (application/json).",
    en: "The request body must be JSON (application/json).",
  },
  rate_limited: {
    status: 429,
    fr: "Trop de requêtes pour ce client. Réessayez plus tard.",
    en: "Too many requests from this client. Try again later.",
  },
  internal: {
    status: 500,
    fr: "Une erreur inattendue est survenue.",
    en: "An unexpected error occurred.",
  },
} as const satisfies Record<string, Entry>;

export type ProblemCode = keyof typeof PROBLEMS;
export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

/** Where in the request a problem lies: an RFC 6901 pointer into the body, or the name of a path or query parameter. */
export type ProblemDetail = ({ pointer: string } | { parameter: string }) & { detail: string };

export type Problem = {
  type: string;
  title: string;
  title_en: string;
  status: number;
  code: ProblemCode;
  errors?: ProblemDetail[];
};

/**
 * A refusal of the API, thrown anywhere below a route. The status is the code's unless given: a service, an
 * organization or a subject named in the body is a 422 (the request is well formed, what it names is not there),
 * named in the path or query string a 404.
 */
export class ApiProblem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors: ProblemDetail[] | undefined;

  constructor(
    code: ProblemCode,
    options: { status?: number; errors?: ProblemDetail[]; cause?: unknown } = {},
  ) {
    super(code, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? PROBLEMS[code].status;
    this.errors = options.errors;
  }

  body(): Problem {
    const entry: Entry = PROBLEMS[this.code];
    return {
      type: `${PROBLEM_TYPE_PREFIX}${this.code}`,
      title: entry.fr,
      title_en: entry.en,
      status: this.status,
      code: this.code,
      ...(this.errors && this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

/** 422: what a well-formed body names is not there. */
export const IN_BODY = { status: 422 } as const;

function dossierProblem(error: DossierError): ApiProblem {
  switch (error.code) {
    case "unknown_organization":
      return new ApiProblem("unknown_organization", {
        ...IN_BODY,
        errors: [{ pointer: "/organization", detail: "unknown organization" }],
      });
    case "invalid_dossier":
    case "unknown_service":
    case "organization_conflict":
    case "unknown_dossier":
      return new ApiProblem(error.code, { cause: error });
  }
}

type ValidationIssue = { instancePath?: string; keyword?: string; message?: string; params?: unknown };

/** The property an issue is about when Ajv names it in its params (a missing or an extra one). */
function namedProperty(issue: ValidationIssue): string | null {
  const params = issue.params;
  if (typeof params !== "object" || params === null) return null;
  if ("additionalProperty" in params) return String(params.additionalProperty);
  if ("missingProperty" in params) return String(params.missingProperty);
  return null;
}

/**
 * Ajv's error as a problem's detail: in the body, an RFC 6901 pointer to the value (or the missing or extra
 * property); in the path or query string, the parameter's name.
 */
function detailOf(part: string | undefined, issue: ValidationIssue): ProblemDetail {
  const named = namedProperty(issue);
  const pointer = `${issue.instancePath ?? ""}${named === null ? "" : `/${named.replace(/~/g, "~0").replace(/\//g, "~1")}`}`;
  const detail = issue.message ?? "invalid";
  if (part === "body" || part === undefined) return { pointer, detail };
  return { parameter: pointer.split("/")[1] ?? "", detail };
}

/** Ajv's issue as Fastify hands it over (error.validation), read field by field. */
function issueOf(raw: unknown): ValidationIssue {
  if (typeof raw !== "object" || raw === null) return {};
  const text = (name: string) => {
    const value: unknown = Reflect.get(raw, name);
    return typeof value === "string" ? value : undefined;
  };
  const issue: ValidationIssue = { params: Reflect.get(raw, "params") };
  const instancePath = text("instancePath");
  const keyword = text("keyword");
  const message = text("message");
  if (instancePath !== undefined) issue.instancePath = instancePath;
  if (keyword !== undefined) issue.keyword = keyword;
  if (message !== undefined) issue.message = message;
  return issue;
}

function validationProblem(issues: readonly ValidationIssue[], part: string | undefined): ApiProblem {
  const errors = issues.map((issue) => detailOf(part, issue));
  if (
    part === "body" &&
    issues.some((issue) => issue.keyword === "maxItems" && issue.instancePath === "/questions")
  )
    return new ApiProblem("batch_too_large", { errors });
  if (
    part === "body" &&
    issues.length > 0 &&
    issues.every((issue) => issue.keyword === "enum" && /(^|\/)action$/.test(issue.instancePath ?? ""))
  )
    return new ApiProblem("unknown_action", { errors });
  return new ApiProblem("invalid_request", { errors });
}

const FASTIFY_CODES: Partial<Record<string, ProblemCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "malformed_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "malformed_json",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "invalid_request",
};

/** Any error of a request to the API as its problem; anything unforeseen is a 500 whose detail stays in the log. */
export function problemOf(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof DossierError) return dossierProblem(error);
  if (error instanceof BatchTooLarge) return new ApiProblem("batch_too_large");
  if (error instanceof AppError) {
    // The app's own guards before the route (a control character in the path or query string).
    return error.status < 500
      ? new ApiProblem("invalid_request", { cause: error })
      : new ApiProblem("internal", { cause: error });
  }
  if (typeof error !== "object" || error === null) return new ApiProblem("internal", { cause: error });
  const validation: unknown = Reflect.get(error, "validation");
  if (Array.isArray(validation)) {
    const part: unknown = Reflect.get(error, "validationContext");
    return validationProblem(validation.map(issueOf), typeof part === "string" ? part : undefined);
  }
  const code: unknown = Reflect.get(error, "code");
  const known = typeof code === "string" ? FASTIFY_CODES[code] : undefined;
  if (known) return new ApiProblem(known, { cause: error });
  const statusCode: unknown = Reflect.get(error, "statusCode");
  const status = typeof statusCode === "number" ? statusCode : undefined;
  if (status === 429) return new ApiProblem("rate_limited", { cause: error });
  if (status === 413) return new ApiProblem("payload_too_large", { cause: error });
  if (status === 415) return new ApiProblem("unsupported_media_type", { cause: error });
  if (status !== undefined && status >= 400 && status < 500)
    return new ApiProblem("invalid_request", { cause: error });
  return new ApiProblem("internal", { cause: error });
}
