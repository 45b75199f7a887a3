// Routes of « Sécurité du compte »: one's own authenticator app and recovery codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FieldErrors } from "../../web/forms.js";
import { readFields, readRaw } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { STEP_UP_PATH } from "./factor-gate.js";
import {
  confirmTotpEnrolment,
  currentEnrolment,
  type FactorError,
  recoveryCodesFile,
  regenerateRecoveryCodes,
  removeTotpFactor,
  securityOverview,
  startTotpEnrolment,
} from "./factors.service.js";
import {
  EnrolmentView,
  PASSKEYS_PATH,
  RecoveryCodesView,
  SECURITY_PATH,
  SecurityView,
  StepUpConfirmView,
  StepUpExpiredView,
  StepUpView,
} from "./factors.views.js";
import { ownPasskeys, registerPasskey, registrationOptions, removeOwnPasskey } from "./passkeys.service.js";
import {
  factorIsFresh,
  findHeldAct,
  type HeldAct,
  proveFactorAgain,
  releaseHeldAct,
  stepUpPasskeyOptions,
} from "./step-up.service.js";

/** Every value of a repeated form field (formbody gives one value as a string, several as an array). */
function readAll(body: unknown, name: string): string[] {
  const value: unknown = typeof body === "object" && body !== null ? Reflect.get(body, name) : undefined;
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export async function factorRoutes(app: FastifyInstance): Promise<void> {
  const signInLimit = { rateLimit: { max: app.guichet.config.signInRateLimitPerMinute, timeWindow: 60_000 } };
  async function showSecurity(
    request: FastifyRequest,
    reply: FastifyReply,
    passkey: { name: string; error: FactorError } | null = null,
  ) {
    const [overview, passkeys] = await Promise.all([
      securityOverview(request.ctx()),
      ownPasskeys(request.ctx()),
    ]);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("factors.title"),
      <SecurityView
        page={page}
        overview={overview}
        passkeys={passkeys}
        passkeyName={passkey?.name ?? ""}
        passkeyError={passkey?.error}
      />,
      passkey ? 400 : 200,
    );
  }

  app.get(SECURITY_PATH, (request, reply) => showSecurity(request, reply));

  // Passkeys: the browser asks for the ceremony's options (JSON), then sends the form with its credential.
  app.post(`${PASSKEYS_PATH}/options`, async (request, reply) => {
    const ctx = request.ctx();
    const sessionToken = request.sessionToken;
    if (!sessionToken) return reply.code(401).send({ error: "unauthenticated" });
    return reply.header("cache-control", "no-store").send(await registrationOptions(ctx, sessionToken));
  });

  app.post(PASSKEYS_PATH, async (request, reply) => {
    const name = readRaw(request.body, "name");
    const result = await registerPasskey(request.ctx(), {
      sessionToken: request.sessionToken,
      name,
      credential: readRaw(request.body, "credential"),
    });
    if (!result.ok) return showSecurity(request, reply, { name, error: result.error });
    if (!result.recoveryCodes) {
      return redirectWithFlash(reply, SECURITY_PATH, { kind: "success", key: "passkeys.added" });
    }
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("factors.recovery.shownTitle"),
      <RecoveryCodesView page={page} codes={result.recoveryCodes} added="passkeys.added" />,
    );
  });

  app.post<{ Params: { id: string } }>(
    `${PASSKEYS_PATH}/:id/retirer`,
    { config: { stepUp: "factor.remove" } },
    async (request, reply) => {
      const id = /^[1-9][0-9]{0,15}$/.test(request.params.id) ? Number(request.params.id) : 0;
      const result = await removeOwnPasskey(request.ctx(), id);
      return redirectWithFlash(
        reply,
        SECURITY_PATH,
        result.ok ? { kind: "success", key: "passkeys.removed" } : { kind: "error", key: result.error },
      );
    },
  );

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
      <RecoveryCodesView page={page} codes={result.recoveryCodes} added="factors.totp.added" />,
    );
  });

  app.post(
    `${SECURITY_PATH}/application/retirer`,
    { config: { stepUp: "factor.remove" } },
    async (request, reply) => {
      const result = await removeTotpFactor(request.ctx());
      return redirectWithFlash(
        reply,
        SECURITY_PATH,
        result.ok ? { kind: "success", key: "factors.totp.removed" } : { kind: "error", key: result.error },
      );
    },
  );

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

  // Step-up: the held act, the code, then « Confirmer », which sends the act as it was filled in, once.

  function stepUpExpired(request: FastifyRequest, reply: FastifyReply) {
    const page = pageOf(request, reply);
    return sendPage(reply, page, page.t("stepUp.title"), <StepUpExpiredView page={page} />, 410);
  }

  async function showStepUp(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    held: HeldAct,
    error: { key: FactorError } | { text: string } | null,
    status = 200,
  ) {
    const hasPasskey = (await ownPasskeys(request.ctx())).length > 0;
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("stepUp.title"),
      <StepUpView page={page} token={token} act={held.act} error={error} hasPasskey={hasPasskey} />,
      status,
    );
  }

  app.get(STEP_UP_PATH, async (request, reply) => {
    const { demande } = readFields(request.query, ["demande"]);
    const held = await findHeldAct(request.ctx(), demande, request.sessionToken);
    if (!held) return stepUpExpired(request, reply);
    return showStepUp(request, reply, demande, held, null);
  });

  app.post(`${STEP_UP_PATH}/cle/options`, { config: signInLimit }, async (request, reply) => {
    const { demande } = readFields(request.body, ["demande"]);
    const options = await stepUpPasskeyOptions(request.ctx(), demande, request.sessionToken);
    if (!options) return reply.code(410).send({ error: "expired" });
    return reply.header("cache-control", "no-store").send(options);
  });

  /** The code, or (from /cle) the passkey's answer, proves the factor again. */
  async function proveStepUp(request: FastifyRequest, reply: FastifyReply, by: "code" | "credential") {
    const { demande } = readFields(request.body, ["demande"]);
    const ctx = request.ctx();
    const held = await findHeldAct(ctx, demande, request.sessionToken);
    if (!held) return stepUpExpired(request, reply);
    const answer = readRaw(request.body, by);
    const result = await proveFactorAgain(ctx, {
      token: demande,
      sessionToken: request.sessionToken,
      ...(by === "code" ? { code: answer } : { credential: answer }),
    });
    if (result.ok)
      return reply.redirect(`${STEP_UP_PATH}/confirmer?demande=${encodeURIComponent(demande)}`, 303);
    if (result.reason === "expired") return stepUpExpired(request, reply);
    if (result.reason === "throttled") {
      reply.header("retry-after", String(result.retryAfterSeconds));
      const text = request.t("signIn.throttled", { seconds: result.retryAfterSeconds });
      return showStepUp(request, reply, demande, held, { text }, 429);
    }
    return showStepUp(request, reply, demande, held, { key: result.error }, 400);
  }

  app.post(STEP_UP_PATH, { config: signInLimit }, (request, reply) => proveStepUp(request, reply, "code"));
  app.post(`${STEP_UP_PATH}/cle`, { config: signInLimit }, (request, reply) =>
    proveStepUp(request, reply, "credential"),
  );

  app.get(`${STEP_UP_PATH}/confirmer`, async (request, reply) => {
    const { demande } = readFields(request.query, ["demande"]);
    const held = await findHeldAct(request.ctx(), demande, request.sessionToken);
    if (!held) return stepUpExpired(request, reply);
    if (!factorIsFresh(request.ctx(), request.factorAt)) {
      return reply.redirect(`${STEP_UP_PATH}?demande=${encodeURIComponent(demande)}`, 303);
    }
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("stepUp.confirmedTitle"),
      <StepUpConfirmView page={page} token={demande} act={held.act} />,
    );
  });

  /** Sends the held act to its own route, as the browser would have, with the person's cookies and a fresh token. */
  app.post(`${STEP_UP_PATH}/confirmer`, async (request, reply) => {
    const { demande } = readFields(request.body, ["demande"]);
    const ctx = request.ctx();
    if (!factorIsFresh(ctx, request.factorAt)) {
      return reply.redirect(`${STEP_UP_PATH}?demande=${encodeURIComponent(demande)}`, 303);
    }
    const held = await releaseHeldAct(ctx, demande, request.sessionToken);
    if (!held) return stepUpExpired(request, reply);
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(held.body)) {
      for (const item of typeof value === "string" ? [value] : value) form.append(name, item);
    }
    form.set("_csrf", reply.generateCsrf());
    const sent = await app.inject({
      method: "POST",
      url: held.url,
      payload: form.toString(),
      headers: {
        cookie: request.headers.cookie ?? "",
        "content-type": "application/x-www-form-urlencoded",
      },
      remoteAddress: request.ip,
    });
    for (const name of ["location", "content-type", "cache-control", "set-cookie", "retry-after"]) {
      const value = sent.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    return reply.code(sent.statusCode).send(sent.rawPayload);
  });
}
