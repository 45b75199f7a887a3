// A browser's session against a server running as a child process (server-process.ts): its cookies, the sign-in form
// with the demo accounts' second factor, and the address of « Ajouter un fichier ».
import assert from "node:assert/strict";
import { DEMO_PASSWORD } from "../../src/features/demo/demo.data.js";
import { demoCode } from "./demo-codes.js";
import { decodeHtml } from "./text.js";

/** A browser's cookie jar, enough for one session. */
export class Session {
  readonly cookies = new Map<string, string>();

  constructor(readonly origin: string) {}

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
  }

  async get(path: string): Promise<string> {
    const response = await fetch(`${this.origin}${path}`, {
      headers: { cookie: this.header() },
      redirect: "manual",
    });
    this.remember(response);
    return response.text();
  }

  async post(path: string, body: Buffer | string, contentType: string): Promise<Response> {
    const response = await fetch(`${this.origin}${path}`, {
      method: "POST",
      headers: { cookie: this.header(), "content-type": contentType },
      body: typeof body === "string" ? body : new Uint8Array(body),
      redirect: "manual",
    });
    this.remember(response);
    return response;
  }
}

/** Signs a demo account in through the form, with the demo app's code when its role needs a second factor. */
export async function signIn(origin: string, userCode: string): Promise<Session> {
  const session = new Session(origin);
  const form = await session.get("/connexion");
  const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
  const body = new URLSearchParams({ userCode, password: DEMO_PASSWORD, _csrf: token }).toString();
  const response = await session.post("/connexion", body, "application/x-www-form-urlencoded");
  assert.equal(response.status, 303, `${userCode} signs in`);
  if (response.headers.get("location") === "/connexion/verification") {
    const step = await session.get("/connexion/verification");
    const stepToken = /name="_csrf" value="([^"]+)"/.exec(step)?.[1] ?? "";
    const code = await demoCode(userCode);
    const second = await session.post(
      "/connexion/verification",
      new URLSearchParams({ code, _csrf: stepToken }).toString(),
      "application/x-www-form-urlencoded",
    );
    assert.equal(second.status, 303, `${userCode} gives the second factor`);
  }
  return session;
}

/** The address of the recipient's « Ajouter un fichier » form, as the browser would post to it. */
export async function uploadAddress(session: Session, recipient = "pga-eau"): Promise<string> {
  const page = await session.get(`/transfert-fichiers?destinataire=${recipient}`);
  const action = /<form method="post" action="([^"]*\/fichiers\?_csrf=[^"]*)"/.exec(page)?.[1];
  assert.ok(action, "the « Ajouter un fichier » form");
  return decodeHtml(action);
}
