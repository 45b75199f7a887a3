// Refuses a route parameter or query value holding a control character before anything reads it: no address a person
// follows or types holds one, and PostgreSQL refuses NUL in text outright (a 500 otherwise). The characters are those
// no typed value may carry (util/text.ts): C0, DEL and C1 controls, line separators, bidirectional overrides.
import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.js";
import { CONTROL_CHARACTERS } from "../util/text.js";
import { isLocale, translator } from "./messages.js";
import { LOCALE_COOKIE } from "./session.js";

/** Route parameters and parsed query strings: strings, arrays of them for a repeated name, and their names. */
function anyControlCharacter(values: unknown): boolean {
  if (typeof values === "string") return CONTROL_CHARACTERS.test(values);
  if (Array.isArray(values)) return values.some(anyControlCharacter);
  if (typeof values !== "object" || values === null) return false;
  return Object.entries(values).some(
    ([name, value]) => CONTROL_CHARACTERS.test(name) || anyControlCharacter(value),
  );
}

/**
 * Registered before the session hook, so that such a request costs no database read at all. The error page then
 * speaks the language the cookie chose, the session's own choice being unread.
 */
export function registerControlCharacterGuard(app: FastifyInstance): void {
  app.addHook("onRequest", (request, _reply, done) => {
    if (!anyControlCharacter(request.params) && !anyControlCharacter(request.query)) return done();
    const locale = request.cookies[LOCALE_COOKIE];
    if (isLocale(locale)) {
      request.locale = locale;
      request.t = translator(locale);
    }
    done(new AppError("control_character"));
  });
}
