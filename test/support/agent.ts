// A browser-like client over app.inject(): keeps cookies, and reads each form's CSRF token from the page it came from.
import assert from "node:assert/strict";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { demoCode } from "./demo-codes.js";

export type Response = LightMyRequestResponse;

const SECOND_STEP = "/connexion/verification";

export class Agent {
  readonly #app: FastifyInstance;
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page read; posts send it unless told otherwise. */
  csrfToken: string | undefined;
  readonly ip: string;

  constructor(app: FastifyInstance, ip = "127.0.0.1") {
    this.#app = app;
    this.ip = ip;
  }

  #cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  #remember(response: Response): void {
    for (const cookie of response.cookies) {
      const expired = cookie.expires !== undefined && cookie.expires.getTime() <= Date.now();
      if (expired || cookie.value === "" || cookie.maxAge === 0) {
        this.cookies.delete(cookie.name);
        // The CSRF secret was renewed (at sign-in or sign-out): the token read before is worth nothing now.
        if (/guichet_csrf$/.test(cookie.name)) this.csrfToken = undefined;
      } else this.cookies.set(cookie.name, cookie.value);
    }
    this.csrfToken = csrfTokenIn(response.body) ?? this.csrfToken;
  }

  async get(url: string, options: { headers?: Record<string, string> } = {}): Promise<Response> {
    const response = await this.#app.inject({
      method: "GET",
      url,
      headers: { ...options.headers, cookie: this.#cookieHeader() },
      remoteAddress: this.ip,
    });
    this.#remember(response);
    return response;
  }

  /** Posts a form as a browser would; fetches a page first when no CSRF token is known yet. */
  /** Fields as an object (an array value repeats the field, as checkboxes do) or as name-value pairs. */
  async post(
    url: string,
    fields: Record<string, string | readonly string[]> | readonly (readonly [string, string])[],
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    if (options.csrf !== false && !this.csrfToken) {
      // As a browser would hold a page with a form: the sign-in page, or, signed in, the page it leads to.
      const page = await this.get("/connexion");
      if ([302, 303].includes(page.statusCode)) await this.follow(page);
    }
    const body = new URLSearchParams();
    const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
    for (const [name, value] of pairs) {
      for (const item of typeof value === "string" ? [value] : value) body.append(name, item);
    }
    if (options.csrf !== false && this.csrfToken) body.set("_csrf", this.csrfToken);
    const response = await this.#app.inject({
      method: "POST",
      url,
      headers: {
        ...options.headers,
        cookie: this.#cookieHeader(),
        "content-type": "application/x-www-form-urlencoded",
      },
      payload: body.toString(),
      remoteAddress: this.ip,
    });
    this.#remember(response);
    return response;
  }

  /** Follows a 303 as a browser would. */
  async follow(response: Response): Promise<Response> {
    assert.ok(
      [301, 302, 303].includes(response.statusCode),
      `expected a redirect, got ${response.statusCode}`,
    );
    const location = String(response.headers.location);
    // A browser keeps the fragment (#…) to itself: it never reaches the server.
    return this.get(location.replace(/^https?:\/\/[^/]+/, "").replace(/#.*$/, ""));
  }

  /**
   * Signs in through the form; an account with the demo authenticator app (a demo account whose role needs a second
   * factor) goes through the second step with the demo app's next code, at the time `now` gives.
   */
  async signIn(userCode: string, password: string, now?: () => Date): Promise<Response> {
    await this.get("/connexion");
    let response = await this.post("/connexion", { userCode, password });
    assert.equal(response.statusCode, 303, `sign-in of ${userCode} failed: ${response.statusCode}`);
    if (response.headers.location === SECOND_STEP) {
      await this.get(SECOND_STEP);
      response = await this.post(SECOND_STEP, { code: await demoCode(userCode, now, now === undefined) });
      assert.equal(response.statusCode, 303, `second step of ${userCode} failed: ${response.statusCode}`);
    }
    return response;
  }
}

/** The CSRF token of the form a page carries, if it carries one. */
export function csrfTokenIn(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** The text of a page without its tags, to assert on what a person reads. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}
