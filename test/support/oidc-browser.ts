// A browser signing in to a relying service through Guichet's /oidc: follows the redirects that stay within Guichet,
// then the service exchanges the code with openid-client, over inject().
import assert from "node:assert/strict";
import type { Agent, Response } from "./agent.js";
import { textOf } from "./agent.js";
import type { TestApp } from "./app.js";
import { authorizationRequest, oidc, type RegisteredClient, relyingParty } from "./relying-party.js";

/** Follows the browser's redirects from a path until it leaves Guichet or reaches a page. */
export async function browse(agent: Agent, path: string): Promise<Response> {
  let response = await agent.get(path);
  for (let hops = 0; hops < 10 && [302, 303].includes(response.statusCode); hops++) {
    const location = String(response.headers.location);
    if (!location.startsWith("/") && !/^https?:\/\/(localhost|guichet\.test)(:80)?\//.test(location)) break;
    if (/^http:\/\/localhost:\d{4}\//.test(location) && !location.startsWith("http://localhost/")) break;
    response = await agent.follow(response);
  }
  return response;
}

/** A whole sign-in to a service by a browser already signed in to Guichet: returns the tokens and the ID token's claims. */
export async function signInTo(t: TestApp, client: RegisteredClient, agent: Agent) {
  const rp = await relyingParty(t, client);
  const request = await authorizationRequest(rp, client);
  const landing = await browse(agent, request.path);
  assert.equal(landing.statusCode, 303, textOf(landing.body).slice(0, 300));
  const callback = new URL(String(landing.headers.location));
  assert.equal(`${callback.origin}${callback.pathname}`, client.redirectUri);
  const tokens = await oidc.authorizationCodeGrant(rp, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  const claims = tokens.claims();
  assert.ok(claims);
  return { rp, tokens, claims };
}
