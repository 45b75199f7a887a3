// A browser-like client over real HTTP, for servers running in processes of their own: keeps its cookies (for every
// port, as a browser scopes them by host) and reads each form's CSRF token from the page it came from.
import { csrfTokenIn } from "./agent.js";

export type HttpAnswer = { status: number; location: string | undefined; body: string };

export class HttpClient {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page read; posts send it. */
  csrfToken: string | undefined;

  async #send(url: string, init: RequestInit): Promise<HttpAnswer> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...init.headers, ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      const gone = value === "" || attributes.some((attribute) => /^max-age=0$/i.test(attribute));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = await response.text();
    this.csrfToken = csrfTokenIn(body) ?? this.csrfToken;
    return { status: response.status, location: response.headers.get("location") ?? undefined, body };
  }

  get(url: string): Promise<HttpAnswer> {
    return this.#send(url, { method: "GET" });
  }

  /** Posts a form with the CSRF token of the last page read. */
  post(url: string, fields: Record<string, string>): Promise<HttpAnswer> {
    const body = new URLSearchParams(fields);
    if (this.csrfToken) body.set("_csrf", this.csrfToken);
    return this.#send(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  }

  /** Signs in through the form of the server at `origin` (an account without a second factor). */
  async signIn(origin: string, userCode: string, password: string): Promise<HttpAnswer> {
    await this.get(`${origin}/connexion`);
    return this.post(`${origin}/connexion`, { userCode, password });
  }
}
