// One error handler: known errors get their catalogue message, denials go to the audit log, 5xx details stay in the log.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import { AppError, type DenialRecord, type ErrorCode } from "../errors.js";
import { recordAudit } from "../features/audit/audit.service.js";
import { type Page, pageOf, redirectWithFlash, sendPage } from "./page.js";

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_CSRF_INVALID_TOKEN: "csrf",
  FST_CSRF_MISSING_SECRET: "csrf",
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "bad_request",
  FST_ERR_CTP_EMPTY_JSON_BODY: "bad_request",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
  FST_ERR_VALIDATION: "bad_request",
};

/**
 * A multipart body that is not whole: busboy's own errors (a body that ends before its closing boundary, a header
 * without one) carry no code, only these messages; @fastify/multipart's premature close has a code.
 */
const MALFORMED_MULTIPART = /unexpected end of multipart data$|^Multipart: Boundary not found$/i;

function isMalformedMultipart(error: FastifyError): boolean {
  return error.code === "FST_MP_PREMATURE_CLOSE" || MALFORMED_MULTIPART.test(error.message);
}

/** Errors that are the client's, yet worth a look in the logs: a cut upload may also be a proxy or network at fault. */
const WARNED: ReadonlySet<ErrorCode> = new Set(["malformed_upload"]);

function toAppError(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  if (isMalformedMultipart(error)) return new AppError("malformed_upload", { cause: error });
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return new AppError(known, { cause: error });
  if (error.statusCode === 429) return new AppError("rate_limited", { cause: error });
  if (error.statusCode === 413) return new AppError("payload_too_large", { cause: error });
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError("bad_request", { cause: error });
  }
  return new AppError("internal", { cause: error });
}

/** Only paths on this site may be returned to after signing in. */
export function safeReturnPath(value: unknown): string {
  // Printable ASCII only: a control character in a Location header is a 500, and a second slash another site.
  return typeof value === "string" && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : "/";
}

/**
 * What a refusal page adds below its message: in a service, what the person lacks and who can give it (the feature
 * that knows, src/features/right-requests/, is given to registerErrorHandlers so that the web layer imports none).
 */
export type DenialDetails = (
  request: FastifyRequest,
  denial: DenialRecord,
) => Promise<((page: Page) => ComponentChildren) | null>;

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: AppError,
  details: ((page: Page) => ComponentChildren) | null = null,
): FastifyReply {
  const page = pageOf(request, reply);
  const { t } = page;
  return sendPage(
    reply,
    page,
    t("error.title"),
    <section class="error-page">
      <h1>{t("error.title")}</h1>
      <p class="notice notice-error" role="alert">
        {t(error.messageKey)}
      </p>
      {details ? details(page) : null}
      <p>
        <a href="/">{t("error.backHome")}</a>
      </p>
    </section>,
    error.status,
    false,
  );
}

export function registerErrorHandlers(app: FastifyInstance, denialDetails?: DenialDetails): void {
  app.setErrorHandler(async (raw: FastifyError | AppError, request, reply) => {
    const error = toAppError(raw);
    if (error.status >= 500) request.log.error({ err: raw }, "request failed");
    else if (WARNED.has(error.code)) request.log.warn({ code: error.code, err: raw }, "request refused");
    else request.log.info({ code: error.code, reason: error.denial?.reason }, "request refused");

    if (error.denial) {
      const ctx = request.ctx();
      await recordAudit(ctx, {
        action: error.denial.action,
        outcome: "denied",
        reason: error.denial.reason,
        organizationId: error.denial.organizationId,
        serviceId: error.denial.serviceId ?? null,
        ...(error.denial.targetType ? { targetType: error.denial.targetType } : {}),
        ...(error.denial.targetId ? { targetId: error.denial.targetId } : {}),
      }).catch((auditError: unknown) => request.log.error({ err: auditError }, "audit of a denial failed"));
    }
    if (error.code === "rate_limited") reply.header("retry-after", "60");
    if (error.code === "unauthenticated" && request.method === "GET") {
      const back = encodeURIComponent(safeReturnPath(request.url));
      return redirectWithFlash(reply, `/connexion?retour=${back}`, {
        kind: "info",
        key: request.sessionExpired ? "signIn.expired" : "error.unauthenticated",
      });
    }
    if (!request.t) return reply.status(error.status).type("text/plain").send(error.code);
    const details =
      error.code === "forbidden" && error.denial && denialDetails
        ? await denialDetails(request, error.denial).catch((explainError: unknown) => {
            // The refusal stands without its explanation: a failure here must not turn a 403 into a 500.
            request.log.error({ err: explainError }, "explaining a refusal failed");
            return null;
          })
        : null;
    return sendError(request, reply, error, details);
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError("not_found")));
}
