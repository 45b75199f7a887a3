// Routes of « Sécurité du compte »: one's own authenticator app and recovery codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FieldErrors } from "../../web/forms.js";
import { readRaw } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import {
  confirmTotpEnrolment,
  currentEnrolment,
  recoveryCodesFile,
  regenerateRecoveryCodes,
  removeTotpFactor,
  securityOverview,
  startTotpEnrolment,
} from "./factors.service.js";
import { EnrolmentView, RecoveryCodesView, SECURITY_PATH, SecurityView } from "./factors.views.js";

/** Every value of a repeated form field (formbody gives one value as a string, several as an array). */
function readAll(body: unknown, name: string): string[] {
  const value: unknown = typeof body === "object" && body !== null ? Reflect.get(body, name) : undefined;
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export async function factorRoutes(app: FastifyInstance): Promise<void> {
  app.get(SECURITY_PATH, async (request, reply) => {
    const overview = await securityOverview(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(reply, page, page.t("factors.title"), <SecurityView page={page} overview={overview} />);
  });

  async function showEnrolment(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors<"code">,
    status = 200,
  ) {
    const enrolment = await currentEnrolment(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("factors.enrol.title"),
      <EnrolmentView page={page} enrolment={enrolment} errors={errors} />,
      status,
    );
  }

  app.post(`${SECURITY_PATH}/application`, async (request, reply) => {
    await startTotpEnrolment(request.ctx());
    return reply.redirect(`${SECURITY_PATH}/application`, 303);
  });

  app.get(`${SECURITY_PATH}/application`, (request, reply) => showEnrolment(request, reply, {}));

  app.post(`${SECURITY_PATH}/application/confirmer`, async (request, reply) => {
    const result = await confirmTotpEnrolment(request.ctx(), {
      code: readRaw(request.body, "code"),
      sessionToken: request.sessionToken,
    });
    if (!result.ok) return showEnrolment(request, reply, { code: { key: result.error } }, 400);
    if (!result.recoveryCodes) {
      return redirectWithFlash(reply, SECURITY_PATH, { kind: "success", key: "factors.totp.added" });
    }
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("factors.recovery.shownTitle"),
      <RecoveryCodesView page={page} codes={result.recoveryCodes} added />,
    );
  });

  app.post(`${SECURITY_PATH}/application/retirer`, async (request, reply) => {
    const result = await removeTotpFactor(request.ctx());
    return redirectWithFlash(
      reply,
      SECURITY_PATH,
      result.ok ? { kind: "success", key: "factors.totp.removed" } : { kind: "error", key: result.error },
    );
  });

  app.post(`${SECURITY_PATH}/codes`, async (request, reply) => {
    const result = await regenerateRecoveryCodes(request.ctx());
    if (!result.ok) return redirectWithFlash(reply, SECURITY_PATH, { kind: "error", key: result.error });
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("factors.recovery.shownTitle"),
      <RecoveryCodesView page={page} codes={result.codes} added={false} />,
    );
  });

  app.post(`${SECURITY_PATH}/codes/fichier`, async (request, reply) => {
    const file = await recoveryCodesFile(request.ctx(), readAll(request.body, "codes"));
    if (!file)
      return redirectWithFlash(reply, SECURITY_PATH, { kind: "error", key: "factors.recoveryWrong" });
    return reply
      .type("text/plain; charset=utf-8")
      .header("cache-control", "no-store")
      .header("content-disposition", 'attachment; filename="guichet-codes-recuperation.txt"')
      .send(file);
  });
}
