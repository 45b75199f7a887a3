// The error catalogue: each error a stable code, an HTTP status and a message in the message catalogue.
import type { MessageKey } from "./web/messages.js";

export const ERRORS = {
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  csrf: 403,
  rate_limited: 429,
  payload_too_large: 413,
  bad_request: 400,
  control_character: 400,
  malformed_upload: 400,
  conflict: 409,
  internal: 500,
  unavailable: 503,
  user_not_found: 404,
  account_disabled: 409,
  procuration_inactive: 409,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERRORS;

/** What the audit log keeps when an error is a denial. */
export type DenialRecord = {
  action: string;
  reason: string;
  organizationId: number | null;
  /** The online service the act was in, for the organization's journal. */
  serviceId?: number;
  targetType?: string;
  targetId?: string;
  /** The application the act was about, by its number, for the refusal page's « what is missing ». */
  dossier?: number;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly denial: DenialRecord | undefined;

  constructor(code: ErrorCode, options: { denial?: DenialRecord; cause?: unknown } = {}) {
    super(code, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERRORS[code];
    this.denial = options.denial;
  }

  get messageKey(): MessageKey {
    return `error.${this.code}`;
  }
}

/** PostgreSQL's unique_violation, as pg and PGlite both report it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = "code" in error ? error.code : undefined;
  if (code !== "23505") return false;
  if (!constraint) return true;
  return "constraint" in error && error.constraint === constraint;
}
