// buildApp(): the whole portal as a Fastify instance, without listening, so tests drive it with inject().
import { createRequire } from "node:module";
import { BlockList, isIPv6 } from "node:net";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import formbody from "@fastify/formbody";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import type { AppServices, Ctx } from "./context.js";
import type { Database } from "./db/database.js";
import { accessRequestRoutes } from "./features/access-requests/access-requests.routes.js";
import { accountRoutes } from "./features/accounts/accounts.routes.js";
import { applicationRoutes } from "./features/applications/applications.routes.js";
import { mandateRoutes } from "./features/applications/mandates.routes.js";
import { authRoutes } from "./features/auth/auth.routes.js";
import { PasswordHasher } from "./features/auth/password-hasher.js";
import { THROTTLE, type ThrottleSettings } from "./features/auth/throttle.js";
import { backOfficeRoutes } from "./features/back-office/back-office.routes.js";
import { API_PREFIX } from "./features/decisions-api/api-tokens.js";
import { decisionsApiRoutes, isBearerApiRequest } from "./features/decisions-api/decisions-api.routes.js";
import { externalServiceRoutes } from "./features/external-services/external-services.routes.js";
import { registerFactorGate } from "./features/factors/factor-gate.js";
import { factorRoutes } from "./features/factors/factors.routes.js";
import { ClientOrigins } from "./features/federation/client-origins.js";
import { federationRoutes } from "./features/federation/federation.routes.js";
import { fileTransferRoutes } from "./features/file-transfers/file-transfers.routes.js";
import { healthRoutes } from "./features/health/health.routes.js";
import { homeRoutes } from "./features/home/home.routes.js";
import { journalRoutes } from "./features/journal/journal.routes.js";
import { fileTransport, type MailTransport, smtpTransport } from "./features/mail/mail.transport.js";
import { OutboxWorker } from "./features/mail/mail.worker.js";
import { AppMetrics } from "./features/metrics/metrics.js";
import { registerMetrics } from "./features/metrics/metrics.routes.js";
import { procurationRoutes } from "./features/procurations/procurations.routes.js";
import { registryRoutes } from "./features/registry/registry.routes.js";
import { reviewRoutes } from "./features/reviews/reviews.routes.js";
import {
  rightRequestDenialDetails,
  rightRequestRoutes,
} from "./features/right-requests/right-requests.routes.js";
import { serviceRoutes } from "./features/services/services.routes.js";
import { JobSchedule } from "./jobs.js";
import { closeRedis, openRedis } from "./redis.js";
import { registerControlCharacterGuard } from "./web/control-characters.js";
import { RememberingSigner } from "./web/cookie-signer.js";
import { registerErrorHandlers } from "./web/errors.js";
import { localeRoutes } from "./web/locale.routes.js";
import { registerPageAddresses } from "./web/return-path.js";
import { registerSecurityHeaders } from "./web/security-headers.js";
import { cookieNames, registerSessionHook } from "./web/session.js";

declare module "fastify" {
  interface FastifyInstance {
    guichet: Guichet;
  }
  interface FastifyRequest {
    /** The service context of this request: database, actor, time and address. */
    ctx(): Ctx;
  }
}

export type Guichet = {
  config: Config;
  database: Database;
  clock: Clock;
  services: AppServices;
  outbox: OutboxWorker;
  metrics: AppMetrics;
  /** When the periodic jobs of this process last succeeded (they run only where startJobs was called). */
  jobs: JobSchedule;
  /** The connection the rate limits share their counts through, when REDIS_URL is set. */
  redis: Redis | undefined;
};

export type BuildOptions = {
  config: Config;
  database: Database;
  clock?: Clock;
  transport?: MailTransport;
  throttle?: Partial<ThrottleSettings>;
  /** false for no logs; otherwise the production logger, writing to this stream when given (tests read it). */
  logger?: false;
  logStream?: NodeJS.WritableStream;
};

const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));
/** Open Sans, shipped with the portal (@fontsource/open-sans) rather than fetched from a font service. */
const FONT_DIR = dirname(
  createRequire(import.meta.url).resolve("@fontsource/open-sans/files/open-sans-latin-400-normal.woff2"),
);
/**
 * The font files public/guichet.css names: the Latin and Latin Extended subsets (French, English and the accents of
 * names) in the three weights the stylesheet uses. The package's other files (Cyrillic, Greek, italics…) stay unserved.
 */
const FONT_FILES = new Set(
  ["latin", "latin-ext"].flatMap((subset) =>
    [400, 600, 700].map((weight) => `/open-sans-${subset}-${weight}-normal.woff2`),
  ),
);
const FORM_BODY_LIMIT = 64 * 1024;

/** Never log a token: activation links carry one in the path, and query strings may carry anything. */
export function redactUrl(url: string): string {
  return url.split("?")[0]?.replace(/[A-Za-z0-9_-]{32,}/g, "[redacted]") ?? "";
}

const PROXY_NETWORKS = new BlockList();
PROXY_NETWORKS.addSubnet("127.0.0.0", 8, "ipv4");
PROXY_NETWORKS.addSubnet("10.0.0.0", 8, "ipv4");
PROXY_NETWORKS.addSubnet("172.16.0.0", 12, "ipv4");
PROXY_NETWORKS.addSubnet("192.168.0.0", 16, "ipv4");
PROXY_NETWORKS.addSubnet("169.254.0.0", 16, "ipv4");
PROXY_NETWORKS.addAddress("::1", "ipv6");
PROXY_NETWORKS.addSubnet("fc00::", 7, "ipv6");
PROXY_NETWORKS.addSubnet("fe80::", 10, "ipv6");

/**
 * TRUST_PROXY means one reverse proxy in front, on a private network: only the directly connected peer
 * (hop 0) is trusted, and only when its address is private, so the client's address is the last
 * X-Forwarded-For entry. Trusting every hop (`true`) would take the leftmost entry, which the client writes;
 * trusting any peer would believe a client that reaches the app directly. Either way anyone could dodge the
 * per-address sign-in throttle and rate limit.
 */
export function trustReverseProxy(address: string, hop: number): boolean {
  return hop === 0 && PROXY_NETWORKS.check(address, isIPv6(address) ? "ipv6" : "ipv4");
}

/**
 * The form's token: in the body, or in the query string for a streamed upload (its body is read after the check;
 * the logs drop query strings), or in a header.
 */
function csrfTokenOf(request: FastifyRequest): string | undefined {
  for (const source of [request.body, request.query]) {
    const token: unknown =
      typeof source === "object" && source !== null ? Reflect.get(source, "_csrf") : undefined;
    if (typeof token === "string") return token;
  }
  const header = request.headers["x-csrf-token"];
  return typeof header === "string" ? header : undefined;
}

export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: ["req.headers.cookie", "req.headers.authorization", 'res.headers["set-cookie"]'],
      serializers: {
        req: (request: { method: string; url: string; ip?: string }) => ({
          method: request.method,
          url: redactUrl(request.url),
          ip: request.ip,
        }),
      },
    },
    bodyLimit: FORM_BODY_LIMIT,
    trustProxy: config.trustProxy ? trustReverseProxy : false,
  });

  const transport =
    options.transport ?? (config.smtpUrl ? smtpTransport(config.smtpUrl) : fileTransport(config.mailDir));
  const outbox = new OutboxWorker({ db: database.db, transport, clock, from: config.mailFrom, log: app.log });
  const jobs = new JobSchedule();
  const redis = config.redis ? await openRedis(config.redis, app.log) : undefined;
  const metrics = new AppMetrics({ database, jobs, clock, log: app.log, redis });
  const services: AppServices = {
    hasher: new PasswordHasher(config.argon2, config.hashConcurrency),
    publicUrl: config.publicUrl,
    mfaKey: config.mfaEncryptionKey,
    stepUpMs: config.stepUpMinutes * 60_000,
    factorGraceMs: config.mfaGraceDays * 24 * 3_600_000,
    throttle: { ...THROTTLE, ...options.throttle },
    procurationMaxYears: config.procurationMaxYears,
    review: { days: config.review.days, unconfirmed: config.review.unconfirmed },
    rightRequestDays: config.rightRequestDays,
    readCache: database.readCache,
    mailQueued: () => outbox.nudge(),
    signInFailed: (step) => metrics.signInFailed(step),
  };
  app.decorate("guichet", { config, database, clock, services, outbox, metrics, jobs, redis });
  app.decorateRequest("ctx", function ctx(this: import("fastify").FastifyRequest): Ctx {
    // On PostgreSQL the request has a view of the read cache of its own (its reads share one check); on the embedded
    // database it is the cache itself.
    const cache = this.readCache ?? services.readCache;
    const app = cache === services.readCache ? services : { ...services, readCache: cache };
    return { db: database.db, actor: this.actor, now: clock(), ip: this.ip, app };
  });
  app.addHook("onClose", async () => {
    await outbox.stop();
    await services.hasher.close();
    if (redis) await closeRedis(redis);
  });

  // Forms may lead to the registered online services (a sign-in through Guichet ends there): their origins, from memory.
  const clientOrigins = new ClientOrigins(database.db);
  await clientOrigins.refresh();
  registerSecurityHeaders(
    app,
    {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.secureCookies ? [] : null,
        },
      },
      // The same rule as frame-ancestors 'none', for browsers that read only this header.
      xFrameOptions: { action: "deny" },
      hsts: config.secureCookies,
    },
    () => clientOrigins.current(),
  );
  await app.register(cookie, { secret: new RememberingSigner(config.cookieSecret) });
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT });
  await app.register(csrf, {
    sessionPlugin: "@fastify/cookie",
    cookieKey: cookieNames(config).csrf,
    cookieOpts: { path: "/", httpOnly: true, sameSite: "lax", secure: config.secureCookies, signed: true },
    getToken: csrfTokenOf,
  });
  await app.register(rateLimit, {
    // With Redis every instance counts into the same keys. A Redis that fails lets requests through (fail open), and
    // /sante/pret says so: the limit is a guard against floods, not a lock (sign-in throttling, the guard against
    // guessing, lives in the database), and a 503 would make Redis a single point of failure of every page and API.
    ...(redis && config.redis ? { redis, nameSpace: config.redis.prefix, skipOnError: true } : {}),
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // The limit's headers go with the 429 only: three headers on every page cost more than they tell a browser.
    addHeadersOnExceeding: {
      "x-ratelimit-limit": false,
      "x-ratelimit-remaining": false,
      "x-ratelimit-reset": false,
    },
  });
  await app.register(fastifyStatic, {
    root: [PUBLIC_DIR, FONT_DIR],
    prefix: "/static/",
    maxAge: "1h",
    allowedPath: (path, root) => root !== FONT_DIR || FONT_FILES.has(path),
  });

  registerControlCharacterGuard(app);
  registerSessionHook(app, { database, clock, config });
  registerFactorGate(app);
  // The body is parsed after onRequest, so the CSRF token is checked at preValidation.
  app.addHook("preValidation", (request, reply, done) => {
    if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return done();
    if (request.routeOptions.config.openIdProvider) return done();
    // The decision API authenticates by bearer token, never by cookie: nothing for a forged form to ride on.
    if (isBearerApiRequest(request)) return done();
    app.csrfProtection(request, reply, done);
  });
  registerErrorHandlers(app, rightRequestDenialDetails);
  registerPageAddresses(app);
  registerMetrics(app, metrics, config);

  await app.register(healthRoutes);
  await app.register(localeRoutes);
  await app.register(authRoutes);
  await app.register(factorRoutes);
  await app.register(federationRoutes);
  // After the provider, whose first start makes the signing keys that the API checks its tokens with.
  await app.register(decisionsApiRoutes, { prefix: API_PREFIX });
  await app.register(homeRoutes);
  await app.register(accountRoutes);
  await app.register(procurationRoutes);
  await app.register(backOfficeRoutes);
  await app.register(externalServiceRoutes);
  await app.register(serviceRoutes);
  await app.register(reviewRoutes);
  await app.register(accessRequestRoutes);
  await app.register(fileTransferRoutes);
  await app.register(registryRoutes);
  await app.register(applicationRoutes);
  await app.register(mandateRoutes);
  await app.register(journalRoutes);
  await app.register(rightRequestRoutes);
  return app;
}
