// The language switch: a small form in the header, so it works without JavaScript. From a form's answer it returns to
// the form's page with the input it carries (return-path.ts).
import type { FastifyInstance } from "fastify";
import { safeReturnPath } from "./errors.js";
import { readFields } from "./forms.js";
import { isLocale } from "./messages.js";
import { carriedFromSwitch, carryTo } from "./return-path.js";
import { LOCALE_COOKIE } from "./session.js";

export async function localeRoutes(app: FastifyInstance): Promise<void> {
  app.post("/langue", async (request, reply) => {
    const { locale, retour } = readFields(request.body, ["locale", "retour"]);
    if (isLocale(locale)) {
      reply.setCookie(LOCALE_COOKIE, locale, {
        path: "/",
        sameSite: "lax",
        httpOnly: true,
        maxAge: 365 * 24 * 3600,
        secure: app.guichet.config.secureCookies,
      });
    }
    const back = safeReturnPath(retour);
    carryTo(reply, back, carriedFromSwitch(request.body));
    return reply.redirect(back, 303);
  });
}
