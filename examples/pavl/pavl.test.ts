// PAVL against a stand-in for Guichet's provider (a real oidc-provider 9), driven with plain HTTP like a browser
// without JavaScript: sign-in, tampering, refusal, RP-initiated and back-channel logout, forged logout tokens.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import {
  decodeJwt,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from "jose";
import { buildPavl } from "./app.js";
import { DEMO_CLIENT, PavlConfigError, readPavlConfig } from "./config.js";
import { BACKCHANNEL_LOGOUT_EVENT } from "./relying-party.js";
import {
  STAND_IN_CLIENT,
  type StandInAccount,
  type StandInGuichet,
  startStandInGuichet,
} from "./stand-in-guichet.js";

const ACCOUNTS: Record<string, StandInAccount> = {
  QCUSR01: {
    claims: {
      name: "Mathieu Bouchard",
      given_name: "Mathieu",
      family_name: "Bouchard",
      email: "mathieu.bouchard@quebec.example",
      locale: "fr-CA",
      organisation: { id: 7, kind: "municipality", name: "Ville de Québec", geoCode: "23027" },
    },
    amr: ["pwd", "otp"],
    acr: "urn:guichet:acr:mfa",
  },
  PIEGE01: {
    claims: {
      name: "<b>Pas</b> un nom",
      organisation: { id: 9, kind: "body", name: "<script>alert(1)</script> & Cie", neq: "8831457206" },
    },
    amr: ["pwd"],
    acr: "urn:guichet:acr:password",
  },
};

let guichet: StandInGuichet;
let pavl: FastifyInstance;
let pavlUrl: string;
const closeServer: Array<() => Promise<void>> = [];

before(async () => {
  // PAVL listens first (its URL is in its registration), then takes requests once built.
  let app: FastifyInstance | undefined;
  const server = createServer((req, res) => (app ? app.routing(req, res) : void res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("PAVL is not listening");
  pavlUrl = `http://127.0.0.1:${address.port}`;
  closeServer.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  guichet = await startStandInGuichet({ pavlUrl, accounts: ACCOUNTS });
  pavl = buildPavl({
    issuer: new URL(guichet.issuer),
    clientId: STAND_IN_CLIENT.clientId,
    clientSecret: STAND_IN_CLIENT.clientSecret,
    publicUrl: new URL(pavlUrl),
    allowInsecure: true,
  });
  await pavl.ready();
  app = pavl;
});

after(async () => {
  await pavl.close();
  await guichet.close();
  for (const close of closeServer) await close();
});

type Landing = { url: URL; status: number; body: string; stopped: boolean };

/** A browser without JavaScript: one cookie jar for every port of 127.0.0.1 (as browsers share them), no cache. */
class Browser {
  readonly cookies = new Map<string, string>();

  /** Goes to url (posting form when given), following redirects; stops before a URL that stopAt matches. */
  async go(
    start: string | URL,
    options: { form?: Record<string, string>; stopAt?: (url: URL) => boolean } = {},
  ): Promise<Landing> {
    let url = new URL(start);
    let form = options.form;
    for (let hops = 0; hops < 20; hops += 1) {
      const headers: Record<string, string> = {};
      if (this.cookies.size > 0) {
        headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
      }
      if (form) headers["content-type"] = "application/x-www-form-urlencoded";
      const response = await fetch(url, {
        method: form ? "POST" : "GET",
        headers,
        redirect: "manual",
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      });
      this.#keep(response.headers.getSetCookie());
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url, status: response.status, body: await response.text(), stopped: false };
      }
      await response.body?.cancel();
      url = new URL(location, url);
      form = undefined;
      if (options.stopAt?.(url)) return { url, status: response.status, body: "", stopped: true };
    }
    throw new Error("too many redirects");
  }

  #keep(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = "", rest = ""] = attribute.trim().split("=");
        if (key.toLowerCase() === "max-age") return Number(rest) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(rest) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** The page as its reader sees it: tags dropped, entities decoded, white space folded. */
function text(html: string): string {
  const entities: Record<string, string> = {
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&#39;": "'",
    "&amp;": "&",
  };
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(?:lt|gt|quot|#39|amp);/g, (entity) => entities[entity] ?? entity)
    .replace(/\s+/g, " ");
}

const atGuichet = (url: URL) => url.href.startsWith(guichet.issuer);
const atPavl = (url: URL) => url.origin === pavlUrl;
const atSignInPage = (url: URL) => url.pathname.startsWith("/interaction/");

/** « Se connecter avec Guichet »: the authorization URL PAVL sends the browser to. */
async function startSignIn(browser: Browser): Promise<URL> {
  const landing = await browser.go(`${pavlUrl}/auth/login`, { stopAt: atGuichet });
  assert.ok(landing.stopped, "PAVL redirects to Guichet");
  return landing.url;
}

/** At Guichet: from the authorization URL to the sign-in page, where the person gives their user code. */
async function signInPageFor(browser: Browser, authorizationUrl: URL): Promise<URL> {
  const page = await browser.go(authorizationUrl, { stopAt: atPavl });
  assert.equal(page.status, 200, page.body);
  assert.ok(atSignInPage(page.url), `at Guichet's sign-in page, not ${page.url.href}`);
  return page.url;
}

/** Signs in at Guichet and returns the callback URL Guichet sends the browser back to, not yet followed. */
async function callbackAfterSignIn(browser: Browser, authorizationUrl: URL, login: string): Promise<URL> {
  const signInPage = await signInPageFor(browser, authorizationUrl);
  const back = await browser.go(`${signInPage.href}/login`, { form: { login }, stopAt: atPavl });
  assert.ok(back.stopped, `Guichet sends the browser back to PAVL (${back.status} ${back.body})`);
  return back.url;
}

async function signIn(browser: Browser, login = "QCUSR01"): Promise<Landing> {
  const callback = await callbackAfterSignIn(browser, await startSignIn(browser), login);
  return browser.go(callback);
}

async function home(browser: Browser): Promise<string> {
  const page = await browser.go(`${pavlUrl}/`);
  assert.equal(page.status, 200);
  return page.body;
}

const signedOut = (html: string) => text(html).includes("Se connecter avec Guichet");

test("a person signed in through Guichet sees their name, whom they act for, and how they signed in", async () => {
  const browser = new Browser();
  const before = await home(browser);
  assert.ok(signedOut(before));
  assert.ok(text(before).includes("Programme d'aide à la voirie locale (PAVL)"));

  const authorization = await startSignIn(browser);
  const params = authorization.searchParams;
  assert.equal(params.get("client_id"), STAND_IN_CLIENT.clientId);
  assert.equal(params.get("redirect_uri"), `${pavlUrl}/auth/callback`);
  assert.equal(params.get("scope"), "openid profile email organisation");
  assert.equal(params.get("code_challenge_method"), "S256");
  assert.ok((params.get("code_challenge") ?? "").length >= 43);
  assert.ok((params.get("state") ?? "").length >= 22);
  assert.ok((params.get("nonce") ?? "").length >= 22);

  const callback = await callbackAfterSignIn(browser, authorization, "QCUSR01");
  const landing = await browser.go(callback);
  assert.equal(landing.status, 200);
  assert.equal(landing.url.href, `${pavlUrl}/`);
  const page = text(landing.body);
  assert.ok(page.includes("Mathieu Bouchard"), page);
  assert.ok(page.includes("Vous agissez pour : Ville de Québec"), page);
  assert.ok(page.includes("code géographique 23027"), page);
  assert.ok(page.includes("urn:guichet:acr:mfa"), page);
  assert.ok(page.includes("pwd, otp"), page);
  assert.ok(page.includes("Se déconnecter"), page);
  assert.ok(!landing.body.includes("<script"), "no script on the page");

  // PAVL keeps the person by a cookie of its own; the pairwise subject is not the account's code.
  const idToken = decodeJwt(guichet.idTokens.at(-1) ?? "");
  assert.notEqual(idToken.sub, "QCUSR01");
  assert.ok(typeof idToken.sid === "string");
});

test("PAVL declares its dossiers, lists those Guichet lets the person read, and lets a « Requérant – Rédaction » edit a title", async () => {
  const browser = new Browser();
  const none = text((await signIn(browser)).body);
  assert.ok(none.includes("Vous n'avez accès à aucun dossier de PAVL"), none);
  assert.ok(none.includes("vous n'avez aucun droit d'accès dans le registre de PAVL"), none);
  assert.deepEqual(
    [...guichet.api.dossiers].map(([id, { organization }]) => `${id} ${organization}`),
    ["PAVL-2026-0001 7", "PAVL-2026-0002 7", "PAVL-2026-0003 7"],
    "declared for the organization of the `organisation` claim",
  );
  const sub = String(decodeJwt(guichet.idTokens.at(-1) ?? "").sub);

  // A reader: the three dossiers, « Consultation seulement », the chain in French; an edit is refused by Guichet.
  guichet.api.rights.set(sub, "requester.read");
  const readerPage = await home(browser);
  const reader = text(readerPage);
  assert.equal(reader.match(/Consultation seulement/g)?.length, 3, reader);
  assert.ok(!readerPage.includes('name="titre"'), "no form for a reader");
  assert.ok(reader.includes("Pourquoi ai-je accès ?"), reader);
  assert.ok(readerPage.includes("<details>"));
  assert.ok(
    reader.includes(
      "Procuration de votre organisation couvrant le ministère (n° 1), valide jusqu'au 2029-12-31.",
    ),
  );
  assert.ok(
    reader.includes(
      "Droit « Requérant – Consultation » accordé par Mathieu Bouchard le 2026-12-01, sans date de fin.",
    ),
    reader,
  );
  const csrf = /name="csrf" value="([^"]+)"/.exec(readerPage)?.[1] ?? "";
  const refused = await browser.go(`${pavlUrl}/dossiers/PAVL-2026-0001`, {
    form: { csrf, titre: "Titre d'un lecteur" },
  });
  assert.equal(refused.status, 403);
  assert.ok(text(refused.body).includes("votre droit d'accès est en consultation seulement"), refused.body);
  assert.equal(guichet.api.dossiers.get("PAVL-2026-0001")?.title, "Réfection du boulevard Henri-Bourassa");

  // A writer: a form per dossier; without PAVL's token nothing changes; with it the title changes here and in Guichet.
  guichet.api.rights.set(sub, "requester.write");
  const writerPage = await home(browser);
  assert.equal(writerPage.match(/name="titre"/g)?.length, 3);
  assert.ok(!text(writerPage).includes("Consultation seulement"));
  const forged = await browser.go(`${pavlUrl}/dossiers/PAVL-2026-0001`, {
    form: { csrf: "autre", titre: "Titre forgé" },
  });
  assert.equal(forged.status, 403);
  const saved = await browser.go(`${pavlUrl}/dossiers/PAVL-2026-0001`, {
    form: { csrf, titre: "  Réfection du boulevard Henri-Bourassa, phase 2 " },
  });
  assert.equal(saved.status, 200);
  const after = text(saved.body);
  assert.ok(
    after.includes(
      "Le titre du dossier PAVL-2026-0001 est maintenant « Réfection du boulevard Henri-Bourassa, phase 2 ».",
    ),
    after,
  );
  assert.equal(
    guichet.api.dossiers.get("PAVL-2026-0001")?.title,
    "Réfection du boulevard Henri-Bourassa, phase 2",
  );
  const empty = await browser.go(`${pavlUrl}/dossiers/PAVL-2026-0002`, { form: { csrf, titre: " " } });
  assert.equal(empty.status, 400);
  guichet.api.rights.delete(sub);
  const gone = await browser.go(`${pavlUrl}/dossiers/PAVL-2026-0002`, { form: { csrf, titre: "Autre" } });
  assert.equal(gone.status, 403, "the right revoked, the next edit is refused");
  assert.equal(guichet.api.dossiers.get("PAVL-2026-0002")?.title, "Resurfaçage de la rue des Érables");
  assert.ok(text(await home(browser)).includes("Vous n'avez accès à aucun dossier de PAVL"));
});

test("claims from Guichet are escaped on the page", async () => {
  const browser = new Browser();
  const landing = await signIn(browser, "PIEGE01");
  assert.equal(landing.status, 200);
  assert.ok(!landing.body.includes("<script>alert(1)</script>"));
  assert.ok(!landing.body.includes("<b>Pas</b>"));
  assert.ok(landing.body.includes("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie"));
  assert.ok(
    text(landing.body).includes("Vous agissez pour : <script>alert(1)</script> & Cie (NEQ 8831457206)"),
  );
});

test("a tampered state is refused with 400, nothing is signed in, and the sign-in cannot be completed after", async () => {
  const browser = new Browser();
  const callback = await callbackAfterSignIn(browser, await startSignIn(browser), "QCUSR01");
  const forged = new URL(callback);
  forged.searchParams.set("state", "etat-modifie-en-chemin");
  const refused = await browser.go(forged);
  assert.equal(refused.status, 400);
  assert.ok(text(refused.body).includes("n'a pas pu être vérifiée"), refused.body);
  assert.ok(signedOut(await home(browser)));

  // The sign-in under way was used up by the forged answer: the genuine one no longer opens a session either.
  const genuine = await browser.go(callback);
  assert.equal(genuine.status, 400);
  assert.ok(signedOut(await home(browser)));
});

test("a refusal forged without the sign-in's state is not taken for Guichet's", async () => {
  const browser = new Browser();
  await startSignIn(browser);
  const forged = new URL(`${pavlUrl}/auth/callback`);
  forged.searchParams.set("error", "access_denied");
  forged.searchParams.set("error_description", "Faux message");
  forged.searchParams.set("state", "pas-le-bon");
  forged.searchParams.set("iss", guichet.issuer);
  const refused = await browser.go(forged);
  assert.equal(refused.status, 400);
  assert.ok(!text(refused.body).includes("Faux message"));
});

test("a tampered nonce is refused with 400 and nothing is signed in", async () => {
  const browser = new Browser();
  const authorization = await startSignIn(browser);
  authorization.searchParams.set("nonce", "nonce-modifie-en-chemin");
  const callback = await callbackAfterSignIn(browser, authorization, "QCUSR01");
  const refused = await browser.go(callback);
  assert.equal(refused.status, 400);
  assert.ok(text(refused.body).includes("Aucune session n'a été ouverte"));
  assert.ok(signedOut(await home(browser)));
});

test("a callback with no sign-in under way in this browser opens nothing", async () => {
  const browser = new Browser();
  const refused = await browser.go(`${pavlUrl}/auth/callback?code=abc&state=def`);
  assert.equal(refused.status, 400);
  assert.ok(text(refused.body).includes("Connexion expirée"));
});

test("when Guichet refuses access, PAVL says so in French and offers to try again", async () => {
  const browser = new Browser();
  const signInPage = await signInPageFor(browser, await startSignIn(browser));
  const reason =
    "Aucune procuration ne vous permet d'agir auprès du MTMD. Adressez-vous à Geneviève Tremblay.";
  const back = await browser.go(`${signInPage.href}/abort?reason=${encodeURIComponent(reason)}`, {
    stopAt: atPavl,
  });
  assert.equal(back.url.searchParams.get("error"), "access_denied");
  const refused = await browser.go(back.url);
  assert.equal(refused.status, 403);
  assert.ok(text(refused.body).includes(`Guichet a refusé l'accès : ${reason}`), refused.body);
  assert.ok(refused.body.includes('href="/auth/login"'), "a link to try again");
  assert.ok(signedOut(await home(browser)));
});

test("signing out of Guichet ends that browser's PAVL session through back-channel logout, not another's", async () => {
  const first = new Browser();
  const second = new Browser();
  await signIn(first);
  await signIn(second);
  assert.ok(!signedOut(await home(first)));
  assert.ok(!signedOut(await home(second)));
  const delivered = guichet.backchannel.length;

  // At Guichet, without PAVL: its own sign-out page, confirmed.
  const logoutPage = await first.go(`${guichet.issuer}/session/end`);
  assert.equal(logoutPage.status, 200);
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(logoutPage.body)?.[1];
  assert.ok(xsrf, "the provider's sign-out form");
  await first.go(`${guichet.issuer}/session/end/confirm`, { form: { xsrf, logout: "yes" }, stopAt: atPavl });

  assert.deepEqual(
    guichet.backchannel.slice(delivered).map((delivery) => delivery.ok),
    [true],
  );
  assert.ok(signedOut(await home(first)), "the first browser is signed out of PAVL");
  assert.ok(!signedOut(await home(second)), "the second browser's session (another sid) stays");
});

test("« Se déconnecter » ends the PAVL session and signs out of Guichet (RP-initiated logout)", async () => {
  const browser = new Browser();
  const signedIn = await signIn(browser);
  const csrf = /name="csrf" value="([^"]+)"/.exec(signedIn.body)?.[1];
  assert.ok(csrf);

  const withoutToken = await browser.go(`${pavlUrl}/auth/logout`, { form: { csrf: "autre" } });
  assert.equal(withoutToken.status, 403);
  assert.ok(!signedOut(await home(browser)), "a sign-out form from elsewhere changes nothing");

  const toGuichet = await browser.go(`${pavlUrl}/auth/logout`, { form: { csrf }, stopAt: atGuichet });
  assert.ok(toGuichet.stopped);
  assert.equal(toGuichet.url.pathname, "/oidc/session/end");
  assert.equal(toGuichet.url.searchParams.get("post_logout_redirect_uri"), `${pavlUrl}/`);
  assert.equal(toGuichet.url.searchParams.get("id_token_hint"), guichet.idTokens.at(-1));
  assert.equal(toGuichet.url.searchParams.get("client_id"), STAND_IN_CLIENT.clientId);
  assert.ok(signedOut(await home(browser)), "signed out of PAVL at once");

  const logoutPage = await browser.go(toGuichet.url);
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(logoutPage.body)?.[1];
  assert.ok(xsrf);
  const back = await browser.go(`${guichet.issuer}/session/end/confirm`, {
    form: { xsrf, logout: "yes" },
    stopAt: atPavl,
  });
  assert.equal(back.url.href, `${pavlUrl}/`);

  // Guichet's session is over too: signing in again asks for the user code.
  await signInPageFor(browser, await startSignIn(browser));
});

test("a logout token that fails any check is refused with 400 and the session stays; a valid one ends it", async () => {
  const browser = new Browser();
  await signIn(browser);
  const idToken = decodeJwt(guichet.idTokens.at(-1) ?? "");
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iss: guichet.issuer,
    aud: STAND_IN_CLIENT.clientId,
    sub: idToken.sub,
    sid: idToken.sid,
    iat: now,
    exp: now + 120,
    jti: "jeton-de-test",
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
  const otherKey = {
    ...(await exportJWK((await generateKeyPair("RS256", { extractable: true })).privateKey)),
  };
  const sign = (payload: JWTPayload, options: { key?: JWK; typ?: string } = {}) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", kid: guichet.signingKey.kid, typ: options.typ ?? "logout+jwt" })
      .sign(options.key ?? guichet.signingKey);
  const without = (...names: string[]): JWTPayload =>
    Object.fromEntries(Object.entries(claims).filter(([name]) => !names.includes(name)));

  const invalid: Record<string, string> = {
    "signed by another key under Guichet's kid": await sign(claims, { key: otherKey }),
    "for another audience": await sign({ ...claims, aud: "un-autre-service" }),
    "from another issuer": await sign({ ...claims, iss: "http://127.0.0.1:1/oidc" }),
    expired: await sign({ ...claims, iat: now - 600, exp: now - 300 }),
    "typed as an ID token": await sign(claims, { typ: "JWT" }),
    "without events": await sign(without("events")),
    "with another event": await sign({ ...claims, events: { "http://example.com/autre": {} } }),
    "with a nonce": await sign({ ...claims, nonce: "n" }),
    "naming no session and no person": await sign(without("sid", "sub")),
    "without jti": await sign(without("jti")),
    "unsigned (alg none)": new UnsecuredJWT(claims).encode(),
    "not a JWT": "pas-un-jeton",
  };
  for (const [why, token] of Object.entries(invalid)) {
    const response = await fetch(`${pavlUrl}/auth/backchannel-logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ logout_token: token }),
    });
    assert.equal(response.status, 400, why);
    assert.equal((await response.json()).error, "invalid_request", why);
    assert.ok(!signedOut(await home(browser)), `the session stays after a token ${why}`);
  }
  const missing = await fetch(`${pavlUrl}/auth/backchannel-logout`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "",
  });
  assert.equal(missing.status, 400);

  // The same token, correct in every respect, is accepted: each refusal above was for its one difference.
  const valid = await fetch(`${pavlUrl}/auth/backchannel-logout`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ logout_token: await sign(claims) }),
  });
  assert.equal(valid.status, 200);
  assert.equal(valid.headers.get("cache-control"), "no-store");
  assert.ok(signedOut(await home(browser)));
});

test("pages work without JavaScript and carry no inline script", async () => {
  const browser = new Browser();
  const page = await browser.go(`${pavlUrl}/`);
  const policy = (await fetch(`${pavlUrl}/`)).headers.get("content-security-policy") ?? "";
  assert.ok(policy.includes("default-src 'none'"));
  assert.ok(!policy.includes("script-src"), "no script is allowed at all");
  assert.ok(!page.body.includes("<script"));
  const missing = await browser.go(`${pavlUrl}/nulle-part`);
  assert.equal(missing.status, 404);
  assert.ok(text(missing.body).includes("Page introuvable"));
});

test("settings default to the demo's registration; plain http only for a Guichet on localhost, outside production", () => {
  const demo = readPavlConfig({});
  assert.equal(demo.port, 3001);
  assert.equal(demo.options.issuer.href, "http://localhost:3000/oidc");
  assert.equal(demo.options.publicUrl.origin, "http://localhost:3001");
  assert.equal(demo.options.clientId, DEMO_CLIENT.clientId);
  assert.equal(demo.options.clientSecret, DEMO_CLIENT.clientSecret);
  assert.equal(demo.options.allowInsecure, true);
  assert.notEqual(
    readPavlConfig({}).options.cookieSecret,
    demo.options.cookieSecret,
    "a new cookie secret per start",
  );

  const deployed = readPavlConfig({
    NODE_ENV: "production",
    PAVL_ISSUER: "https://guichet.example/oidc",
    PAVL_PUBLIC_URL: "https://pavl.example",
    PAVL_CLIENT_SECRET: "un-secret-qui-n-est-pas-celui-de-la-demo",
  });
  assert.equal(deployed.options.allowInsecure, false);

  assert.throws(() => readPavlConfig({ PAVL_ISSUER: "http://guichet.example/oidc" }), PavlConfigError);
  assert.throws(() => readPavlConfig({ NODE_ENV: "production" }), PavlConfigError);
  assert.throws(
    () => readPavlConfig({ NODE_ENV: "production", PAVL_ISSUER: "https://guichet.example/oidc" }),
    PavlConfigError,
    "the public demo secret is refused in production",
  );
  assert.throws(() => readPavlConfig({ PAVL_PUBLIC_URL: "http://localhost:3001/pavl" }), PavlConfigError);
  assert.throws(() => readPavlConfig({ PAVL_PORT: "70000" }), PavlConfigError);
  assert.throws(() => readPavlConfig({ PAVL_COOKIE_SECRET: "court" }), PavlConfigError);
});
