// What the second factor guards before a route runs: someone past their grace period can only add a factor; a
// sensitive act is held for step-up when the session's last second factor is older than the window.
import type { FastifyInstance } from "fastify";
import { factorIsFresh, holdForStepUp, type StepUpAct } from "./step-up.service.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Marks a sensitive act: it asks for the second factor again when the last one is too old. */
    stepUp?: StepUpAct;
  }
}

export const STEP_UP_PATH = "/verification-identite";

/** What someone past their grace period may still reach: adding a factor, signing in and out, the language. */
const OPEN_PAST_DEADLINE = [
  /^\/profil\/securite(\/|$)/,
  /^\/deconnexion$/,
  /^\/connexion(\/|$)/,
  /^\/langue$/,
  /^\/static\//,
  /^\/sante(\/|$)/,
];

export function registerFactorGate(app: FastifyInstance): void {
  // After the session hook (registered before this one), so the actor and their deadline are known.
  app.addHook("onRequest", async (request, reply) => {
    const deadline = request.factorDeadline;
    if (!deadline || request.actor.kind !== "user" || request.ctx().now < deadline) return;
    const path = request.url.split("?")[0] ?? "/";
    if (OPEN_PAST_DEADLINE.some((open) => open.test(path))) return;
    return reply.redirect("/profil/securite", 303);
  });

  // At preHandler the body is parsed and its CSRF token checked: what is held is a genuine submission.
  app.addHook("preHandler", async (request, reply) => {
    const act = request.routeOptions.config.stepUp;
    if (!act || request.actor.kind !== "user" || !request.sessionToken) return;
    const ctx = request.ctx();
    if (factorIsFresh(ctx, request.factorAt)) return;
    const token = await holdForStepUp(ctx, {
      sessionToken: request.sessionToken,
      act,
      url: request.url,
      body: request.body,
    });
    if (token === null) return;
    return reply.redirect(`${STEP_UP_PATH}?demande=${token}`, 303);
  });
}
