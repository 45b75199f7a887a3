// Every setting, read from the environment and validated once.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";

export type Argon2Settings = { memoryCost: number; timeCost: number; parallelism: number };

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The address users reach, used in email links and to decide whether cookies are Secure. */
  publicUrl: string;
  secureCookies: boolean;
  cookieSecret: string;
  /** 32 bytes that encrypt the authenticator apps' secrets at rest (AES-256-GCM). */
  mfaEncryptionKey: Buffer;
  /** Derives each person's subject per ministry for relying services (pairwise `sub`): changing it changes them all. */
  oidcPairwiseSecret: string;
  /** A sensitive act asks for the second factor again when the last one is older than this. */
  stepUpMinutes: number;
  /** How long someone whose role needs a second factor may go without one, from the first sign-in that found it so. */
  mfaGraceDays: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  mailDir: string;
  argon2: Argon2Settings;
  /** How many password hashes run at once, each in its own worker thread; the rest wait, so the event loop keeps a core. */
  hashConcurrency: number;
  trustProxy: boolean;
  logLevel: string;
  /** Requests per minute per client address, over the whole site, and on the sign-in form. */
  rateLimitPerMinute: number;
  signInRateLimitPerMinute: number;
  seedDemo: boolean;
  outboxPollMs: number;
  /** On SIGTERM or SIGINT, how long requests in flight may take to finish before the server exits anyway. */
  shutdownSeconds: number;
  /** How far ahead a procuration's end date may lie. */
  procurationMaxYears: number;
  /** « Revue des accès »: how often each organization's campaigns start, how long they last, what their deadline does. */
  review: ReviewSettings;
  /** How many days a request for a right (« Demander un accès ») stays open before it expires. */
  rightRequestDays: number;
  /**
   * The share (0 to 1) of the decision API's allowed reads of a dossier that the audit log keeps; denials and allowed
   * edits or transmissions are always kept.
   */
  decisionAuditSample: number;
  /** Where transferred files live on local disk (and, with S3, where uploads are staged before they are sent). */
  filesDir: string;
  /** A cap over every recipient's own max_file_bytes. */
  transferMaxFileBytes: number;
  /** An S3-compatible store for transferred files, when S3_BUCKET is set; otherwise local disk. */
  s3: S3Settings | undefined;
  /** The client addresses (or networks) that may read /metrics without a token. */
  metricsAllow: AddressRange[];
  /** A bearer token that opens /metrics from any address; none by default. */
  metricsToken: string | undefined;
  /** The Redis server through which every instance shares the request rate limits' counts; in memory without it. */
  redis: RedisSettings | undefined;
  /** BENCH_HELLO_ROUTE: GET /banc/bonjour answers a plain « hello world », for benchmarks' reference rate only. */
  benchHelloRoute: boolean;
};

export type ReviewSettings = {
  /** REVIEW_INTERVAL_MONTHS: an organization's campaigns start this long after its previous scheduled ones (or its creation). */
  intervalMonths: number;
  /** REVIEW_DAYS: from a campaign's start to its deadline. */
  days: number;
  /** REVIEW_UNCONFIRMED: at the deadline, a line nobody confirmed is ended, or kept and flagged. */
  unconfirmed: "end" | "keep";
};

export type RedisSettings = {
  /** redis:// or rediss://, with its password if any: never logged. */
  url: string;
  /** Put before every key Guichet writes, so that several sites (or test runs) may share one Redis. */
  prefix: string;
};

/** One address (a prefix of its full length) or a network in CIDR notation. */
export type AddressRange = { network: string; prefix: number; family: "ipv4" | "ipv6" };

export type S3Settings = {
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
};

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, not "${raw}"`);
  }
  return value;
}

function fraction(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^[0-9.]+$/.test(raw) || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigError(`${name} must be a number between 0 and 1, not "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no"].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, not "${raw}"`);
}

/** A secret kept in the data folder, so that an embedded install keeps its cookies and factors valid across restarts. */
function persistentSecret(dataDir: string, name: string): string {
  const path = join(dataDir, name);
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}

/** MFA_ENCRYPTION_KEY: 32 bytes, written in base64 or base64url (43 or 44 characters) or in hex (64). */
function encryptionKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64url");
  if (key.length !== 32)
    throw new ConfigError("MFA_ENCRYPTION_KEY must be 32 bytes, in base64 (43 or 44 characters) or hex (64)");
  return key;
}

function s3Settings(env: NodeJS.ProcessEnv): S3Settings | undefined {
  const bucket = env.S3_BUCKET || undefined;
  const others = ["S3_ENDPOINT", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"].filter(
    (n) => env[n],
  );
  if (!bucket) {
    if (others.length > 0) throw new ConfigError(`S3_BUCKET is required when ${others.join(", ")} is set`);
    return undefined;
  }
  const endpoint = env.S3_ENDPOINT || undefined;
  if (endpoint && !/^https?:\/\//.test(endpoint))
    throw new ConfigError("S3_ENDPOINT must start with http:// or https://");
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new ConfigError("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together");
  return {
    endpoint,
    bucket,
    region: env.S3_REGION || "us-east-1",
    accessKeyId,
    secretAccessKey,
    forcePathStyle: flag(env, "S3_FORCE_PATH_STYLE", endpoint !== undefined),
  };
}

function reviewSettings(env: NodeJS.ProcessEnv): ReviewSettings {
  const unconfirmed = env.REVIEW_UNCONFIRMED || "end";
  if (unconfirmed !== "end" && unconfirmed !== "keep")
    throw new ConfigError(`REVIEW_UNCONFIRMED must be end or keep, not "${unconfirmed}"`);
  return {
    intervalMonths: integer(env, "REVIEW_INTERVAL_MONTHS", 12, 1, 120),
    // More than a week, so that the reminder 7 days before the deadline comes after the one at the start.
    days: integer(env, "REVIEW_DAYS", 30, 8, 365),
    unconfirmed,
  };
}

function redisSettings(env: NodeJS.ProcessEnv): RedisSettings | undefined {
  const url = env.REDIS_URL || undefined;
  const prefix = env.REDIS_PREFIX || undefined;
  if (!url) {
    if (prefix !== undefined) throw new ConfigError("REDIS_URL is required when REDIS_PREFIX is set");
    return undefined;
  }
  if (!/^rediss?:\/\/[^/?#]/.test(url))
    throw new ConfigError("REDIS_URL must start with redis:// or rediss://");
  if (prefix !== undefined && !/^[\x21-\x7e]{1,64}$/.test(prefix))
    throw new ConfigError("REDIS_PREFIX must be 1 to 64 printable characters, without spaces");
  return { url, prefix: prefix ?? "guichet:" };
}

function addressRange(entry: string, name: string): AddressRange {
  const [network = "", prefixText, ...rest] = entry.split("/");
  const version = isIP(network);
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  const badPrefix = prefixText !== undefined && (!/^\d+$/.test(prefixText) || prefix > bits);
  if (version === 0 || rest.length > 0 || badPrefix)
    throw new ConfigError(`${name} must list addresses or networks (10.0.0.0/8), not "${entry}"`);
  return { network, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** A comma-separated list of addresses or networks; "none" for an empty one. */
function addressRanges(env: NodeJS.ProcessEnv, name: string, fallback: string): AddressRange[] {
  const raw = env[name] || fallback;
  if (raw.trim().toLowerCase() === "none") return [];
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => addressRange(entry, name));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, "PORT", 3000, 0, 65535);
  const dataDir = resolve(env.DATA_DIR || "./data");
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL must start with postgres:// or postgresql://");
  }
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, "");
  if (!/^https?:\/\//.test(publicUrl))
    throw new ConfigError("PUBLIC_URL must start with http:// or https://");
  const cookieSecret = env.COOKIE_SECRET || persistentSecret(dataDir, "cookie-secret");
  if (cookieSecret.length < 32) throw new ConfigError("COOKIE_SECRET must be at least 32 characters");
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && (metricsToken.length < 32 || !/^[\x21-\x7e]+$/.test(metricsToken)))
    throw new ConfigError("METRICS_TOKEN must be at least 32 printable characters, without spaces");
  return {
    port,
    host: env.HOST || "0.0.0.0",
    dataDir,
    databaseUrl,
    publicUrl,
    secureCookies: publicUrl.startsWith("https://"),
    cookieSecret,
    mfaEncryptionKey: encryptionKey(env.MFA_ENCRYPTION_KEY || persistentSecret(dataDir, "mfa-key")),
    oidcPairwiseSecret: env.OIDC_PAIRWISE_SECRET || persistentSecret(dataDir, "oidc-pairwise-secret"),
    stepUpMinutes: integer(env, "STEP_UP_MINUTES", 10, 1, 24 * 60),
    mfaGraceDays: integer(env, "MFA_GRACE_DAYS", 7, 0, 365),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || "Guichet <ne-pas-repondre@guichet.localhost>",
    mailDir: join(dataDir, "mail"),
    argon2: {
      memoryCost: integer(env, "ARGON2_MEMORY_KIB", 19456, 1024, 1048576),
      timeCost: integer(env, "ARGON2_TIME_COST", 2, 1, 10),
      parallelism: 1,
    },
    // One core stays for the event loop: a sign-in storm must not slow every other page down.
    hashConcurrency: integer(env, "HASH_CONCURRENCY", Math.max(1, availableParallelism() - 1), 1, 64),
    trustProxy: flag(env, "TRUST_PROXY", false),
    logLevel: env.LOG_LEVEL || "info",
    rateLimitPerMinute: integer(env, "RATE_LIMIT_PER_MINUTE", 600, 1, 1_000_000),
    signInRateLimitPerMinute: integer(env, "SIGN_IN_RATE_LIMIT_PER_MINUTE", 30, 1, 1_000_000),
    seedDemo: flag(env, "SEED_DEMO", true),
    outboxPollMs: integer(env, "OUTBOX_POLL_MS", 2000, 50, 600_000),
    shutdownSeconds: integer(env, "SHUTDOWN_SECONDS", 10, 1, 3600),
    procurationMaxYears: integer(env, "PROCURATION_MAX_YEARS", 5, 1, 50),
    review: reviewSettings(env),
    rightRequestDays: integer(env, "RIGHT_REQUEST_DAYS", 30, 1, 365),
    decisionAuditSample: fraction(env, "DECISION_AUDIT_SAMPLE", 1),
    filesDir: resolve(env.FILES_DIR || join(dataDir, "files")),
    transferMaxFileBytes: integer(env, "TRANSFER_MAX_FILE_BYTES", 104_857_600, 1, 2 ** 40),
    s3: s3Settings(env),
    metricsAllow: addressRanges(env, "METRICS_ALLOW", "127.0.0.1,::1"),
    metricsToken,
    redis: redisSettings(env),
    benchHelloRoute: flag(env, "BENCH_HELLO_ROUTE", false),
  };
}
