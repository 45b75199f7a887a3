// Builds each page: the request's language, actor, CSRF token and flash message, wrapped in the layout.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import type { Actor } from "../policy/actor.js";
import { Layout } from "./layout.js";
import type { Locale, MessageKey, Params, Translate } from "./messages.js";
import { type CarriedInput, returnPathOf, takeCarried } from "./return-path.js";

export type Flash = { kind: "success" | "info" | "error"; key: MessageKey; params?: Params };

export type Page = {
  t: Translate;
  locale: Locale;
  actor: Actor;
  csrfToken: string;
  /** Where the language switch returns to: this page, or for a form's answer the page the form is on. */
  path: string;
  /** A form's answer: the input the language switch carries to the form's page, gathered as its fields render. */
  carry?: CarriedInput;
  /** On the form's page, the input carried back across the language switch. */
  carried?: CarriedInput;
  flash: Flash | null;
  /** Now, and the end of the grace period of someone who must add a second factor (shown as a banner). */
  now: Date;
  factorDeadline: Date | null;
};

export const FLASH_COOKIE = "guichet_flash";

export function pageOf(request: FastifyRequest, reply: FastifyReply): Page {
  return {
    t: request.t,
    locale: request.locale,
    actor: request.actor,
    csrfToken: reply.generateCsrf(),
    path: returnPathOf(request),
    carry: request.method === "GET" || request.method === "HEAD" ? undefined : {},
    carried: takeCarried(request, reply),
    flash: readFlash(request, reply),
    now: request.ctx().now,
    factorDeadline: request.factorDeadline,
  };
}

export function sendPage(
  reply: FastifyReply,
  page: Page,
  title: string,
  body: ComponentChildren,
  status = 200,
  /** A form sent back with its errors (by default, a 400 or 422); an error page is not one. */
  failedForm = status === 400 || status === 422,
): FastifyReply {
  // A form sent back with its errors says so first, in the title a screen reader reads on arrival (WCAG 3.3.1).
  const shown = failedForm ? page.t("form.errorTitle", { title }) : title;
  return reply
    .status(status)
    .type("text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(pageHtml(page, shown, body));
}

/** A whole page as HTML, for pages answered outside Fastify (the OpenID Provider's own). */
export function pageHtml(page: Page, title: string, body: ComponentChildren): string {
  return `<!doctype html>${renderToString(
    <Layout page={page} title={title}>
      {body}
    </Layout>,
  )}`;
}

/** Shows a message on the next page, after a redirect (post, redirect, get). */
export function setFlash(reply: FastifyReply, flash: Flash): void {
  reply.setCookie(FLASH_COOKIE, JSON.stringify(flash), {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    signed: true,
    secure: reply.server.guichet.config.secureCookies,
  });
}

export function redirectWithFlash(reply: FastifyReply, location: string, flash: Flash): FastifyReply {
  setFlash(reply, flash);
  return reply.redirect(location, 303);
}

function readFlash(request: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = request.cookies[FLASH_COOKIE];
  if (!raw) return null;
  reply.clearCookie(FLASH_COOKIE, { path: "/" });
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return null;
  try {
    const value: unknown = JSON.parse(unsigned.value);
    return isFlash(value) ? value : null;
  } catch {
    return null;
  }
}

function isFlash(value: unknown): value is Flash {
  if (typeof value !== "object" || value === null) return false;
  const kind = "kind" in value ? value.kind : undefined;
  const key = "key" in value ? value.key : undefined;
  return (kind === "success" || kind === "info" || kind === "error") && typeof key === "string";
}
