// The OpenID Provider under /oidc, and Guichet's pages for its interactions: the person signs in to Guichet (with
// Guichet's own pages), proves a second factor when the service needs one, and passes the enterprise layer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { KoaContextWithOIDC } from "oidc-provider";
import { type Actor, ANONYMOUS } from "../../policy/actor.js";
import { hashToken } from "../../util/tokens.js";
import { readFields } from "../../web/forms.js";
import { isLocale, translator } from "../../web/messages.js";
import { type Page, pageHtml, pageOf, sendPage } from "../../web/page.js";
import { cookieNames, LOCALE_COOKIE, sessionCookieOptions } from "../../web/session.js";
import { signOut } from "../auth/auth.service.js";
import { proveSessionFactor } from "../factors/step-up.service.js";
import { logoutSender } from "./backchannel.js";
import { hasAnyFactor, mayEnter, refusalOf, serviceFacts } from "./federation.service.js";
import {
  ContinueView,
  LogoutView,
  MessageView,
  ProviderErrorView,
  type Refusal,
  RefusedView,
} from "./federation.views.js";
import {
  ACR_MFA,
  acrOf,
  attachGuichetSession,
  createProvider,
  extrasOf,
  type GuichetSession,
  guichetSessionOf,
  INTERACTION_PATH,
  OIDC_PATH,
} from "./provider.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A route answered by the OpenID Provider: its requests carry its own protections, not Guichet's CSRF token. */
    openIdProvider?: true;
  }
}

/** What the mount hands the provider along with the request, for the sign-out that a service asks for. */
type GuichetRequestExtras = { guichetSessionToken?: string | undefined; guichetActor?: Actor };

/** A page outside Fastify (the provider's own), in the language the cookie chose. */
function providerPage(ctx: KoaContextWithOIDC): Page {
  const chosen = ctx.cookies.get(LOCALE_COOKIE);
  const locale = isLocale(chosen) ? chosen : "fr";
  return {
    t: translator(locale),
    locale,
    actor: ANONYMOUS,
    csrfToken: "",
    path: ctx.path,
    flash: null,
    now: new Date(),
    factorDeadline: null,
  };
}

function sendProviderPage(
  ctx: KoaContextWithOIDC,
  page: Page,
  title: string,
  body: preact.ComponentChildren,
) {
  ctx.type = "html";
  ctx.set("cache-control", "no-store");
  ctx.body = pageHtml(page, title, body);
}

function guichetSessionFrom(request: FastifyRequest): GuichetSession | null {
  if (request.actor.kind !== "user" || !request.sessionToken) return null;
  return {
    userId: request.actor.userId,
    tokenHash: hashToken(request.sessionToken),
    amr: request.sessionAmr ?? ["pwd"],
    factorAt: request.factorAt,
    signedInAt: request.signedInAt ?? request.ctx().now,
  };
}

export async function federationRoutes(app: FastifyInstance): Promise<void> {
  const { database, clock, config } = app.guichet;
  const db = database.db;
  const provider = await createProvider({
    db,
    clock,
    publicUrl: config.publicUrl,
    cookieSecret: config.cookieSecret,
    mfaKey: config.mfaEncryptionKey,
    pairwiseSecret: config.oidcPairwiseSecret,
    mayEnter: (userId, client) => mayEnter(db, clock(), userId, client),
    async renderError(ctx, out) {
      const page = providerPage(ctx);
      sendProviderPage(
        ctx,
        page,
        page.t("federation.error.title"),
        <ProviderErrorView page={page} code={out.error} />,
      );
    },
    async logoutSource(ctx, form) {
      const page = providerPage(ctx);
      sendProviderPage(ctx, page, page.t("federation.logout.title"), <LogoutView page={page} form={form} />);
    },
    async postLogoutSuccessSource(ctx) {
      const page = providerPage(ctx);
      sendProviderPage(
        ctx,
        page,
        page.t("federation.logout.done.title"),
        <MessageView page={page} title="federation.logout.done.title" body="federation.logout.done.body" />,
      );
    },
  });
  // Behind a proxy the provider must read the client's scheme and host from its headers, as Fastify does.
  provider.proxy = config.trustProxy;
  // A fault of the provider itself (not a refused request) is logged like any other server error.
  provider.on("server_error", (_ctx, error) => app.log.error({ err: error }, "OpenID Provider error"));
  // The outbox delivers the back-channel logouts of ended Guichet sessions through the provider (backchannel.ts).
  app.guichet.outbox.deliverLogoutsWith(logoutSender(provider));

  // A sign-out asked by a service ends the Guichet session too: signing out of one is signing out of all.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== "end_session_confirm" || ctx.status !== 303) return;
    // « Non, rester connecté » ends only the service's part: the Guichet session stays.
    if (!ctx.oidc.params?.logout) return;
    const guichet = guichetSessionOf(ctx.req);
    const { guichetSessionToken: token, guichetActor: actor } = ctx.req as GuichetRequestExtras;
    if (!guichet || !token) return;
    await signOut(
      { db, actor: actor ?? ANONYMOUS, now: clock(), ip: ctx.ip, app: app.guichet.services },
      token,
    );
    ctx.cookies.set(cookieNames(config).session, null, sessionCookieOptions(config));
  });

  const callback = provider.callback();

  /** Hands a request to the provider, with the Guichet session behind it and the path below /oidc. */
  function toProvider(request: FastifyRequest, reply: FastifyReply, path: string): void {
    attachGuichetSession(request.raw, guichetSessionFrom(request));
    Object.assign(request.raw, {
      guichetSessionToken: request.sessionToken,
      guichetActor: request.actor,
    } satisfies GuichetRequestExtras);
    // As a mount does (Express, koa-mount): the provider reads its mount path from the difference.
    (request.raw as { originalUrl?: string }).originalUrl = `${OIDC_PATH}${path}`;
    request.raw.url = path;
    reply.hijack();
    callback(request.raw, reply.raw);
  }

  await app.register(async (scoped) => {
    // The provider reads its own request bodies: Fastify leaves the stream unread.
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser("*", (_request, _payload, done) => done(null));
    scoped.route({
      method: ["GET", "POST", "OPTIONS", "HEAD"],
      url: `${OIDC_PATH}/*`,
      config: { openIdProvider: true },
      handler: (request, reply) => toProvider(request, reply, request.url.slice(OIDC_PATH.length) || "/"),
    });
    // Discovery also at the host's root, where OpenID Connect clients look first.
    scoped.get("/.well-known/openid-configuration", { config: { openIdProvider: true } }, (request, reply) =>
      toProvider(request, reply, "/.well-known/openid-configuration"),
    );
  });

  /** The interaction behind a uid, if it is still alive: null when it has expired or was used. */
  async function interactionOf(request: FastifyRequest, reply: FastifyReply) {
    try {
      return await provider.interactionDetails(request.raw, reply.raw);
    } catch {
      return null;
    }
  }

  function expired(request: FastifyRequest, reply: FastifyReply) {
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("federation.expired.title"),
      <MessageView page={page} title="federation.expired.title" body="federation.expired.body" />,
      410,
    );
  }

  async function finish(
    reply: FastifyReply,
    request: FastifyRequest,
    result: Parameters<typeof provider.interactionFinished>[2],
  ) {
    reply.hijack();
    await provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: false });
  }

  app.get<{ Params: { uid: string } }>(`${INTERACTION_PATH}/:uid`, async (request, reply) => {
    const details = await interactionOf(request, reply);
    if (!details || details.uid !== request.params.uid) return expired(request, reply);
    const here = `${INTERACTION_PATH}/${encodeURIComponent(details.uid)}`;
    const guichet = guichetSessionFrom(request);
    if (!guichet) return reply.redirect(`/connexion?retour=${encodeURIComponent(here)}`, 303);
    const client = await provider.Client.find(String(details.params.client_id));
    if (!client) return expired(request, reply);
    const extras = extrasOf(client);
    const page = pageOf(request, reply);
    const service = await serviceFacts(db, extras, page.locale);

    // Without a procuration for the service, nothing else matters: say so first (a second factor would not help).
    const refuse = (refusal: Refusal, organizationName: string) =>
      sendPage(
        reply,
        page,
        page.t("federation.refused.title", { service: service.serviceName }),
        <RefusedView
          page={page}
          uid={details.uid}
          service={service}
          organizationName={organizationName}
          refusal={refusal}
        />,
        403,
      );
    const refused = await refusalOf(db, request.ctx().now, guichet.userId, extras);
    if (refused) return refuse(refused.refusal, refused.organizationName);

    if (details.prompt.name === "login") {
      const wantsMfa =
        extras.guichet_min_assurance === "mfa" ||
        String(details.params.acr_values ?? "")
          .split(" ")
          .includes(ACR_MFA);
      // max_age: the person proved who they are too long ago for this service; proving it again is a fresh sign-in.
      const provedAt = Math.max(guichet.signedInAt.getTime(), guichet.factorAt?.getTime() ?? 0);
      const maxAge = details.params.max_age === undefined ? null : Number(details.params.max_age);
      const tooOld = maxAge !== null && request.ctx().now.getTime() - provedAt > maxAge * 1000;
      if (tooOld && !(await hasAnyFactor(db, guichet.userId))) {
        await signOut(request.ctx(), request.sessionToken);
        reply.clearCookie(cookieNames(config).session, sessionCookieOptions(config));
        return reply.redirect(`/connexion?retour=${encodeURIComponent(here)}`, 303);
      }
      if ((wantsMfa && !guichet.factorAt) || tooOld) {
        if (!(await hasAnyFactor(db, guichet.userId))) {
          return refuse(
            { reason: "no_factor" },
            request.actor.kind === "user" ? request.actor.organizationName : "",
          );
        }
        return sendPage(
          reply,
          page,
          page.t("federation.continue.title", { service: service.serviceName }),
          <ContinueView page={page} uid={details.uid} service={service} error={null} />,
        );
      }
      return finish(reply, request, {
        login: {
          accountId: String(guichet.userId),
          acr: acrOf(guichet),
          amr: guichet.amr,
          ts: Math.floor(provedAt / 1000),
        },
      });
    }

    // The procuration prompt, now satisfied (a procuration arrived in the meantime), or any other prompt: no prompt is
    // asked of a person, consent being given by the ministry that registered its service.
    return finish(reply, request, {});
  });

  /** The second factor that a service needing one asks for, proved in the Guichet session itself. */
  app.post<{ Params: { uid: string } }>(`${INTERACTION_PATH}/:uid/facteur`, async (request, reply) => {
    const details = await interactionOf(request, reply);
    if (!details || details.uid !== request.params.uid) return expired(request, reply);
    const here = `${INTERACTION_PATH}/${encodeURIComponent(details.uid)}`;
    if (request.actor.kind !== "user" || !request.sessionToken)
      return reply.redirect(`/connexion?retour=${encodeURIComponent(here)}`, 303);
    const { code } = readFields(request.body, ["code"]);
    const proved = await proveSessionFactor(request.ctx(), {
      sessionToken: request.sessionToken,
      code,
      details: { service: String(details.params.client_id) },
    });
    if (proved.ok) return reply.redirect(here, 303);
    const client = await provider.Client.find(String(details.params.client_id));
    const page = pageOf(request, reply);
    const service = await serviceFacts(db, extrasOf(client), page.locale);
    const error =
      proved.reason === "invalid"
        ? { key: proved.error }
        : proved.reason === "throttled"
          ? { text: page.t("signIn.throttled", { seconds: proved.retryAfterSeconds }) }
          : null;
    return sendPage(
      reply,
      page,
      page.t("federation.continue.title", { service: service.serviceName }),
      <ContinueView page={page} uid={details.uid} service={service} error={error} />,
      proved.reason === "throttled" ? 429 : 400,
    );
  });

  /** Back to the service, refused: it receives access_denied, and what was missing. */
  app.post<{ Params: { uid: string } }>(`${INTERACTION_PATH}/:uid/refus`, async (request, reply) => {
    const details = await interactionOf(request, reply);
    if (!details || details.uid !== request.params.uid) return expired(request, reply);
    const client = await provider.Client.find(String(details.params.client_id));
    const noProcuration =
      request.actor.kind !== "user" ||
      (await refusalOf(db, request.ctx().now, request.actor.userId, extrasOf(client))) !== null;
    return finish(reply, request, {
      error: "access_denied",
      error_description: translator("fr")(
        noProcuration ? "federation.refused.description" : "federation.refused.descriptionFactor",
      ),
    });
  });
}
