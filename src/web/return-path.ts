// Where the language switch returns to, and the input it carries there. A page that answers a form (a POST, often at
// an address with no page of its own, such as /mandats/verification) returns to the page the form is on, with what
// was typed in it; any other page returns to itself. Only this site's pages: never an open redirect.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { safeReturnPath } from "./errors.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The addresses answered by GET, by the router's patterns. */
    pages: PageAddresses;
  }
}

/** The addresses the app answers by GET, collected from its routes as they are added. */
export class PageAddresses {
  readonly #patterns: RegExp[] = [];

  add(url: string): void {
    const source = url
      .split(/(:[A-Za-z0-9_]+|\*)/)
      .map((part) => {
        if (part === "*") return ".*";
        if (/^:[A-Za-z0-9_]+$/.test(part)) return "[^/]+";
        // « :: » is a literal colon in the router's patterns.
        return part.replace(/::/g, ":").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("");
    this.#patterns.push(new RegExp(`^${source}/?$`));
  }

  /** Whether a GET at this path (no query) reaches a route. */
  has(path: string): boolean {
    return this.#patterns.some((pattern) => pattern.test(path));
  }
}

/** To be called before any route is added: every GET route is remembered. */
export function registerPageAddresses(app: FastifyInstance): void {
  const pages = new PageAddresses();
  app.decorate("pages", pages);
  app.addHook("onRoute", (route) => {
    if ([route.method].flat().includes("GET")) pages.add(route.url);
  });
}

function pathOf(url: string): string {
  return url.split("?")[0] ?? "/";
}

/** The Referer's path and query, when it is a page of this site. */
function refererPath(request: FastifyRequest): string | null {
  const referer = request.headers.referer;
  if (!referer) return null;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return null;
  }
  const site = new URL(request.server.guichet.config.publicUrl);
  if (url.host !== request.host && url.origin !== site.origin) return null;
  if (!request.server.pages.has(url.pathname)) return null;
  const path = `${url.pathname}${url.search}`;
  return safeReturnPath(path) === path ? path : null;
}

/**
 * Where a form's « Annuler » leads: the page given (a field the form carries from its first display), when it is a
 * page of this site; else the page the request came from (the Referer, when a page of this site); else the fallback.
 */
export function backPathOf(request: FastifyRequest, given: string, fallback: string): string {
  if (given && safeReturnPath(given) === given && request.server.pages.has(pathOf(given))) return given;
  return refererPath(request) ?? fallback;
}

/**
 * Where the language switch returns to. A GET page: itself, its query too (a search stays a search). A form's answer:
 * the page the form came from (the Referer, when it is a page of this site), or else the nearest page above its
 * address (/mandats/verification → /mandats), or the home page.
 */
export function returnPathOf(request: FastifyRequest): string {
  const path = pathOf(request.url);
  if (request.method === "GET" || request.method === "HEAD") {
    const whole = safeReturnPath(request.url);
    return whole === request.url ? whole : safeReturnPath(path);
  }
  const came = refererPath(request);
  if (came) return came;
  for (let above = path; above.length > 1; above = above.slice(0, above.lastIndexOf("/")) || "/") {
    if (request.server.pages.has(above)) return safeReturnPath(above);
  }
  return "/";
}

// --- The input carried across the switch

/** Fields a form's answer hands to the language switch, which hands them to the page it returns to. */
export type CarriedInput = Record<string, string>;

export const CARRIED_PREFIX = "saisie.";
const CARRIED_COOKIE = "guichet_saisie";
/** A cookie holds about 4 kB: larger input is not carried (the page comes back empty, in the other language). */
const MAX_CARRIED = 2_000;
/** Never written back into a page: secrets, one-time codes, the form's own token. */
const NOT_CARRIED = /^_|passe|password|secret|otp|recup|recovery|^code$/i;

/** Text fields with their values, secrets and empty names left out; none when they would not fit. */
function fieldsOf(entries: readonly (readonly [string, unknown])[]): CarriedInput {
  const carried: CarriedInput = {};
  for (const [name, value] of entries) {
    if (name !== "" && typeof value === "string" && !NOT_CARRIED.test(name)) carried[name] = value;
  }
  return JSON.stringify(carried).length <= MAX_CARRIED ? carried : {};
}

function entriesOf(value: unknown): [string, unknown][] {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

/** The switch's fields named « saisie.<field> »: the input it carries. */
export function carriedFromSwitch(body: unknown): CarriedInput {
  return fieldsOf(
    entriesOf(body).flatMap(([name, value]): [string, unknown][] =>
      name.startsWith(CARRIED_PREFIX) ? [[name.slice(CARRIED_PREFIX.length), value]] : [],
    ),
  );
}

/** Hands the input to the page at `path` (its next GET only, within ten minutes). */
export function carryTo(reply: FastifyReply, path: string, carried: CarriedInput): void {
  if (Object.keys(carried).length === 0) return;
  reply.setCookie(CARRIED_COOKIE, JSON.stringify({ path: pathOf(path), carried }), {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    signed: true,
    maxAge: 600,
    secure: reply.server.guichet.config.secureCookies,
  });
}

/** The input carried to this page, read once. */
export function takeCarried(request: FastifyRequest, reply: FastifyReply): CarriedInput {
  const raw = request.cookies[CARRIED_COOKIE];
  if (!raw || request.method !== "GET") return {};
  const unsigned = request.unsignCookie(raw);
  let found: unknown = null;
  try {
    found = unsigned.valid && unsigned.value !== null ? JSON.parse(unsigned.value) : null;
  } catch {
    found = null;
  }
  const { path, carried } = Object.fromEntries(entriesOf(found));
  // Another page first (the address typed by hand): the input waits for its own page.
  if (typeof path === "string" && path !== pathOf(request.url)) return {};
  reply.clearCookie(CARRIED_COOKIE, { path: "/" });
  return fieldsOf(entriesOf(carried));
}
