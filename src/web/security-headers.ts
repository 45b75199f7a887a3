// Helmet's security headers, computed once at start instead of on every request.
//
// @fastify/helmet calls helmet(options) inside its onRequest hook, so every request rebuilds the middleware and
// parses the Content-Security-Policy directives again: about 5 % of an authenticated page's CPU. The headers never
// change while the process runs, so helmet runs once here, on a stand-in response, and the hook only copies them.
import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

/** The headers helmet sets for these options; a header helmet removes (X-Powered-By) is simply never set by Fastify. */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  // helmet only reads the request for nonces given as functions, which these options do not use.
  helmet(options)({} as never, response as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

/**
 * formActionOrigins: origins a form may also lead to, besides the site itself. A browser applies form-action to every
 * redirect that follows a form's submission, and a sign-in to another ministry's online service ends with a redirect
 * to that service (the sign-in form, the second step, the refusal, the sign-out confirmation): the registered services'
 * origins are therefore allowed, and only they.
 */
export function registerSecurityHeaders(
  app: FastifyInstance,
  options: Readonly<HelmetOptions>,
  formActionOrigins: () => readonly string[] = () => [],
): void {
  const headers = helmetHeaders(options);
  const policy = headers["content-security-policy"];
  let origins = "";
  let withOrigins = headers;
  app.addHook("onRequest", (_request, reply, done) => {
    const current = formActionOrigins().join(" ");
    if (current !== origins && policy !== undefined) {
      origins = current;
      withOrigins = {
        ...headers,
        "content-security-policy": policy.replace(
          /form-action 'self'/,
          current ? `form-action 'self' ${current}` : "form-action 'self'",
        ),
      };
    }
    reply.headers(withOrigins);
    done();
  });
}
