// GET /metrics for Prometheus, only for the addresses of METRICS_ALLOW or with METRICS_TOKEN (anyone else gets the
// site's 404, as if there were nothing there), and the hooks that feed the metrics read per request.
import { createHash, timingSafeEqual } from "node:crypto";
import { BlockList, isIPv4 } from "node:net";
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from "fastify";
import type { Config } from "../../config.js";
import type { AppMetrics } from "./metrics.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A route that receives a file: counted in uploads in progress while its request lasts. */
    upload?: true;
  }
}

export const METRICS_PATH = "/metrics";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Who may read the metrics: the request's client address (after TRUST_PROXY), or the bearer token. */
export function metricsAccess(config: Pick<Config, "metricsAllow" | "metricsToken">) {
  const allowed = new BlockList();
  for (const range of config.metricsAllow) allowed.addSubnet(range.network, range.prefix, range.family);
  const token = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  return (request: FastifyRequest): boolean => {
    // An IPv4 client of a server listening on "::" shows as ::ffff:a.b.c.d.
    const ip =
      request.ip.startsWith("::ffff:") && isIPv4(request.ip.slice(7)) ? request.ip.slice(7) : request.ip;
    if (allowed.check(ip, isIPv4(ip) ? "ipv4" : "ipv6")) return true;
    const header = request.headers.authorization;
    if (token === undefined || !header?.startsWith("Bearer ")) return false;
    return timingSafeEqual(digest(header.slice("Bearer ".length)), token);
  };
}

/** Before the routes are registered: the request hooks must see every route as it is added. */
export function registerMetrics(app: FastifyInstance, metrics: AppMetrics, config: Config): void {
  // One observe per response, by the route's pattern (never the address asked for, which is unbounded).
  app.addHook("onResponse", (request, reply, done) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? "unmatched",
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  // Only the routes marked `upload` pay for the count, in a hook of their own; the response's close comes whether it
  // was answered or cut off.
  const countUpload: onRequestHookHandler = (_request, reply, done) => {
    reply.raw.once("close", metrics.uploadStarted());
    done();
  };
  app.addHook("onRoute", (route) => {
    if (!route.config?.upload) return;
    const own = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [countUpload, ...own];
  });

  const mayRead = metricsAccess(config);
  app.get(METRICS_PATH, async (request, reply) => {
    if (!mayRead(request)) return reply.callNotFound();
    const text = await metrics.text();
    return reply.header("cache-control", "no-store").type(metrics.contentType).send(text);
  });
}
