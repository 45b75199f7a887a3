// Second factors in tests: an authenticator app added through the pages, and the codes it would show at a given time.
import assert from "node:assert/strict";
import { generate } from "otplib";
import type { Agent } from "./agent.js";

/** The code an authenticator app shows at this instant (steps of 30 s). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/** The secret shown by the enrolment page, as an app would read it from the QR code. */
export function secretOf(html: string): string {
  const groups = /<code class="secret"[^>]*>([^<]+)<\/code>/.exec(html)?.[1];
  assert.ok(groups, "the enrolment page shows the secret in groups of four");
  return groups.replace(/\s/g, "");
}

/** Adds an authenticator app to the signed-in agent's account; returns its secret and the recovery codes shown. */
export async function addAuthenticatorApp(
  agent: Agent,
  now: Date,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await agent.post("/profil/securite/application", {});
  assert.equal(started.statusCode, 303);
  const page = await agent.follow(started);
  const secret = secretOf(page.body);
  const confirmed = await agent.post("/profil/securite/application/confirmer", {
    code: await totpCode(secret, now),
  });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  const recoveryCodes = [...confirmed.body.matchAll(/<li><code>([0-9A-Z-]{19})<\/code><\/li>/g)].map(
    (m) => m[1] ?? "",
  );
  assert.equal(recoveryCodes.length, 10, "ten recovery codes are shown with the first factor");
  return { secret, recoveryCodes };
}
