// Attaches the actor, language and translator to every request, from the session cookie.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { type ReadCache, requestView } from "../db/read-cache.js";
import { resumeSession } from "../features/auth/auth.service.js";
import { type Actor, ANONYMOUS } from "../policy/actor.js";
import { isLocale, type Locale, type Translate, translator } from "./messages.js";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
    locale: Locale;
    t: Translate;
    sessionToken: string | undefined;
    sessionExpired: boolean;
    /** When the person last proved a second factor in this session (null: never). */
    factorAt: Date | null;
    /** For someone whose role needs a second factor and who has none: the end of their grace period. */
    factorDeadline: Date | null;
    /** How the person signed in (RFC 8176 names: pwd, otp, hwk…), and when: what relying services are told. */
    sessionAmr: string[] | null;
    signedInAt: Date | null;
    /**
     * The read cache as this request uses it (db/read-cache.ts, requestView): the session's, then the page's reads;
     * null before the session hook (and for static files), where the app's cache serves.
     */
    readCache: ReadCache | null;
  }
}

export const LOCALE_COOKIE = "guichet_lang";

export type CookieNames = { session: string; device: string; pendingSignIn: string; csrf: string };

/** Behind HTTPS, cookies carry the __Host- prefix: Secure, no Domain, Path=/. */
export function cookieNames(config: Pick<Config, "secureCookies">): CookieNames {
  const prefix = config.secureCookies ? "__Host-" : "";
  return {
    session: `${prefix}guichet_session`,
    device: `${prefix}guichet_device`,
    pendingSignIn: `${prefix}guichet_second_step`,
    csrf: `${prefix}guichet_csrf`,
  };
}

export function sessionCookieOptions(config: Pick<Config, "secureCookies">) {
  return { path: "/", httpOnly: true, sameSite: "lax" as const, secure: config.secureCookies };
}

export function registerSessionHook(
  app: FastifyInstance,
  deps: { database: Database; clock: Clock; config: Config },
): void {
  const names = cookieNames(deps.config);
  // An object cannot be a request decorator's initial value (it would be shared), hence the getter and setter.
  const actors = new WeakMap<FastifyRequest, Actor>();
  app.decorateRequest("actor", {
    getter(this: FastifyRequest) {
      return actors.get(this) ?? ANONYMOUS;
    },
    setter(this: FastifyRequest, actor: Actor) {
      actors.set(this, actor);
    },
  });
  app.decorateRequest("locale", "fr");
  app.decorateRequest("t", translator("fr"));
  app.decorateRequest("sessionToken", undefined);
  app.decorateRequest("sessionExpired", false);
  app.decorateRequest("factorAt", null);
  app.decorateRequest("factorDeadline", null);
  app.decorateRequest("sessionAmr", null);
  app.decorateRequest("signedInAt", null);
  app.decorateRequest("readCache", null);

  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const cookieLocale = request.cookies[LOCALE_COOKIE];
    let locale: Locale = isLocale(cookieLocale) ? cookieLocale : "fr";
    request.actor = ANONYMOUS;
    if (!request.url.startsWith("/static/")) {
      const cache = requestView(deps.database.readCache);
      request.readCache = cache;
      const token = request.cookies[names.session];
      if (token) {
        const resumed = await resumeSession(
          {
            db: deps.database.db,
            now: deps.clock(),
            cache,
            mailQueued: () => app.guichet.services.mailQueued(),
          },
          token,
        );
        if (resumed && "actor" in resumed) {
          request.actor = resumed.actor;
          request.sessionToken = token;
          request.factorAt = resumed.factorAt;
          request.factorDeadline = resumed.factorDeadline;
          request.sessionAmr = resumed.amr;
          request.signedInAt = resumed.signedInAt;
          if (!isLocale(cookieLocale)) locale = resumed.locale;
        } else {
          request.sessionExpired = resumed !== null;
          reply.clearCookie(names.session, sessionCookieOptions(deps.config));
        }
      }
    }
    request.locale = locale;
    request.t = translator(locale);
  });
}
