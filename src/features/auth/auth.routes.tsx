// Routes of sign-in, sign-out, one-time links and the user's own profile.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { safeReturnPath } from "../../web/errors.js";
import type { FieldError, FieldErrors } from "../../web/forms.js";
import { readFields, readRaw } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { cookieNames, sessionCookieOptions } from "../../web/session.js";
import { findOwnProfile } from "../accounts/accounts.service.js";
import type { FactorError } from "../factors/factors.service.js";
import { ownProcurations } from "../procurations/procurations.service.js";
import { OwnProcurationsSection } from "../procurations/procurations.views.js";
import {
  changeOwnPassword,
  completeSignIn,
  completeSignInWithPasskey,
  findAccountLink,
  firstPagePasskeyOptions,
  type PasswordFormErrors,
  PENDING_SIGN_IN_MS,
  pendingSignIn,
  requireUser,
  secondStepPasskeyOptions,
  signIn,
  signInWithPasskey,
  signOut,
  USER_CODE_PATTERN,
  useAccountLink,
} from "./auth.service.js";
import { AccountLinkView, InvalidLinkView, ProfileView, SecondStepView, SignInView } from "./auth.views.js";

const SECOND_STEP_PATH = "/connexion/verification";

const DEVICE_COOKIE_SECONDS = 180 * 24 * 3600;

function fieldErrors<K extends string>(errors: Partial<Record<K, FieldError["key"]>>): FieldErrors<K> {
  const result: FieldErrors<K> = {};
  for (const name in errors) {
    const key = errors[name];
    if (key) result[name] = { key };
  }
  return result;
}

function passwordErrors(errors: PasswordFormErrors) {
  return fieldErrors<"current" | "password" | "confirmation">(errors);
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const { config } = app.guichet;
  const names = cookieNames(config);
  const signInLimit = { rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: 60_000 } };

  app.get("/connexion", async (request, reply) => {
    const query = readFields(request.query, ["retour"]);
    if (request.actor.kind === "user") return reply.redirect(safeReturnPath(query.retour), 303);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("signIn.title"),
      <SignInView
        page={page}
        userCode=""
        failure={null}
        errors={{}}
        returnTo={safeReturnPath(query.retour)}
      />,
    );
  });

  app.post("/connexion", { config: signInLimit }, async (request, reply) => {
    const fields = readFields(request.body, ["userCode", "retour"]);
    const password = readRaw(request.body, "password");
    const returnTo = safeReturnPath(fields.retour);
    const errors: FieldErrors<"userCode" | "password"> = {};
    if (fields.userCode === "") errors.userCode = { key: "field.required.userCode" };
    else if (!USER_CODE_PATTERN.test(fields.userCode)) errors.userCode = { key: "signIn.failed" };
    if (password === "") errors.password = { key: "field.required.password" };
    const show = (failure: string | null, status: number) => {
      const page = pageOf(request, reply);
      return sendPage(
        reply,
        page,
        page.t("signIn.title"),
        <SignInView
          page={page}
          userCode={fields.userCode}
          failure={failure}
          errors={errors}
          returnTo={returnTo}
        />,
        status,
      );
    };
    if (Object.keys(errors).length > 0) return show(null, 400);

    const result = await signIn(request.ctx(), {
      userCode: fields.userCode,
      password,
      deviceToken: request.cookies[names.device],
      returnTo,
    });
    if (!result.ok) {
      if (result.reason === "throttled") {
        reply.header("retry-after", String(result.retryAfterSeconds));
        return show(request.t("signIn.throttled", { seconds: result.retryAfterSeconds }), 429);
      }
      return show(request.t("signIn.failed"), 401);
    }
    reply.setCookie(names.device, result.deviceToken, {
      ...sessionCookieOptions(config),
      maxAge: DEVICE_COOKIE_SECONDS,
    });
    if (result.next === "factor") {
      reply.setCookie(names.pendingSignIn, result.pendingToken, {
        ...sessionCookieOptions(config),
        maxAge: PENDING_SIGN_IN_MS / 1000,
      });
      return reply.redirect(SECOND_STEP_PATH, 303);
    }
    return startSession(request, reply, result.sessionToken, returnTo);
  });

  // A passkey from the first page, without a user code: the browser fetches options, then sends the answer.
  app.post("/connexion/cle/options", { config: signInLimit }, async (request, reply) => {
    return reply.header("cache-control", "no-store").send(await firstPagePasskeyOptions(request.ctx()));
  });

  app.post("/connexion/cle", { config: signInLimit }, async (request, reply) => {
    const { retour } = readFields(request.body, ["retour"]);
    const returnTo = safeReturnPath(retour);
    const result = await signInWithPasskey(request.ctx(), {
      credential: readRaw(request.body, "credential"),
      deviceToken: request.cookies[names.device],
    });
    if (!result.ok) {
      const throttled = result.reason === "throttled";
      if (throttled) reply.header("retry-after", String(result.retryAfterSeconds));
      const page = pageOf(request, reply);
      const failure = throttled
        ? page.t("signIn.throttled", { seconds: result.retryAfterSeconds })
        : page.t(result.error);
      return sendPage(
        reply,
        page,
        page.t("signIn.title"),
        <SignInView page={page} userCode="" failure={failure} errors={{}} returnTo={returnTo} />,
        throttled ? 429 : 400,
      );
    }
    reply.setCookie(names.device, result.deviceToken, {
      ...sessionCookieOptions(config),
      maxAge: DEVICE_COOKIE_SECONDS,
    });
    return startSession(request, reply, result.sessionToken, returnTo);
  });

  /** A new session id at every sign-in: an id set before it (session fixation) is worth nothing. */
  /**
   * A new session gets a new CSRF secret (the next page makes it): a token someone planted or read before the
   * sign-in is worth nothing after it. Signing out does the same.
   */
  function renewCsrfSecret(reply: FastifyReply) {
    reply.clearCookie(names.csrf, sessionCookieOptions(config));
  }

  async function startSession(request: FastifyRequest, reply: FastifyReply, token: string, returnTo: string) {
    if (request.sessionToken) await signOut(request.ctx(), request.sessionToken);
    reply.setCookie(names.session, token, sessionCookieOptions(config));
    renewCsrfSecret(reply);
    return reply.redirect(returnTo, 303);
  }

  async function showSecondStep(
    request: FastifyRequest,
    reply: FastifyReply,
    error: { key: FactorError } | { text: string } | null,
    status = 200,
  ) {
    const pending = await pendingSignIn(request.ctx(), request.cookies[names.pendingSignIn]);
    if (!pending) return secondStepEnded(reply);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("signIn.factor.title"),
      <SecondStepView page={page} error={error} hasPasskey={pending.hasPasskey} />,
      status,
    );
  }

  function secondStepEnded(reply: FastifyReply) {
    reply.clearCookie(names.pendingSignIn, sessionCookieOptions(config));
    return redirectWithFlash(reply, "/connexion", { kind: "info", key: "signIn.factor.expired" });
  }

  app.get(SECOND_STEP_PATH, (request, reply) => showSecondStep(request, reply, null));

  app.post(`${SECOND_STEP_PATH}/cle/options`, { config: signInLimit }, async (request, reply) => {
    const options = await secondStepPasskeyOptions(request.ctx(), request.cookies[names.pendingSignIn]);
    if (!options) return reply.code(410).send({ error: "expired" });
    return reply.header("cache-control", "no-store").send(options);
  });

  /** The code typed, or (from /cle) the passkey's answer, ends the second step. */
  async function endSecondStep(request: FastifyRequest, reply: FastifyReply, by: "code" | "credential") {
    const pendingToken = request.cookies[names.pendingSignIn];
    const answer = readRaw(request.body, by);
    const result =
      by === "code"
        ? await completeSignIn(request.ctx(), { pendingToken, code: answer })
        : await completeSignInWithPasskey(request.ctx(), { pendingToken, credential: answer });
    if (result.ok) {
      reply.clearCookie(names.pendingSignIn, sessionCookieOptions(config));
      return startSession(request, reply, result.sessionToken, safeReturnPath(result.returnTo));
    }
    if (result.reason === "expired") return secondStepEnded(reply);
    if (result.reason === "throttled") {
      reply.header("retry-after", String(result.retryAfterSeconds));
      return showSecondStep(
        request,
        reply,
        { text: request.t("signIn.throttled", { seconds: result.retryAfterSeconds }) },
        429,
      );
    }
    return showSecondStep(request, reply, { key: result.error }, 400);
  }

  app.post(SECOND_STEP_PATH, { config: signInLimit }, (request, reply) =>
    endSecondStep(request, reply, "code"),
  );
  app.post(`${SECOND_STEP_PATH}/cle`, { config: signInLimit }, (request, reply) =>
    endSecondStep(request, reply, "credential"),
  );

  app.post("/deconnexion", async (request, reply) => {
    await signOut(request.ctx(), request.sessionToken);
    reply.clearCookie(names.session, sessionCookieOptions(config));
    renewCsrfSecret(reply);
    return redirectWithFlash(reply, "/connexion", { kind: "info", key: "signIn.signedOut" });
  });

  app.get<{ Params: { token: string } }>("/activation/:token", async (request, reply) => {
    const page = pageOf(request, reply);
    const link = await findAccountLink(request.ctx(), request.params.token);
    if (!link) return sendPage(reply, page, page.t("activation.title"), <InvalidLinkView page={page} />, 410);
    return sendPage(
      reply,
      page,
      page.t(link.purpose === "activation" ? "activation.title" : "activation.resetTitle"),
      <AccountLinkView
        page={page}
        token={request.params.token}
        purpose={link.purpose}
        name={`${link.firstName} ${link.lastName}`}
        userCode={link.userCode}
        errors={{}}
      />,
    );
  });

  app.post<{ Params: { token: string } }>("/activation/:token", async (request, reply) => {
    const token = request.params.token;
    const link = await findAccountLink(request.ctx(), token);
    const result = await useAccountLink(request.ctx(), {
      token,
      password: readRaw(request.body, "password"),
      confirmation: readRaw(request.body, "confirmation"),
    });
    const page = pageOf(request, reply);
    if (result.ok) return redirectWithFlash(reply, "/connexion", { kind: "success", key: "activation.done" });
    if ("invalid" in result || !link) {
      return sendPage(reply, page, page.t("activation.title"), <InvalidLinkView page={page} />, 410);
    }
    return sendPage(
      reply,
      page,
      page.t(link.purpose === "activation" ? "activation.title" : "activation.resetTitle"),
      <AccountLinkView
        page={page}
        token={token}
        purpose={link.purpose}
        name={`${link.firstName} ${link.lastName}`}
        userCode={link.userCode}
        errors={fieldErrors<"password" | "confirmation">(result.errors)}
      />,
      400,
    );
  });

  async function showProfile(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors<"current" | "password" | "confirmation">,
    status = 200,
  ) {
    const profile = await findOwnProfile(request.ctx());
    const procurations = await ownProcurations(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("profile.title"),
      <ProfileView page={page} profile={profile} errors={errors}>
        <OwnProcurationsSection page={page} procurations={procurations} />
      </ProfileView>,
      status,
    );
  }

  app.get("/profil", (request, reply) => showProfile(request, reply, {}));

  app.post("/profil/mot-de-passe", async (request, reply) => {
    requireUser(request.actor);
    const result = await changeOwnPassword(request.ctx(), {
      current: readRaw(request.body, "current"),
      password: readRaw(request.body, "password"),
      confirmation: readRaw(request.body, "confirmation"),
    });
    if (result.ok)
      return redirectWithFlash(reply, "/profil", { kind: "success", key: "profile.passwordChanged" });
    return showProfile(request, reply, passwordErrors(result.errors), 400);
  });
}
