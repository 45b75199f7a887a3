// PAVL's settings, every one from the environment, checked once at start.
import type { PavlOptions } from "./app.js";
import { randomToken } from "./sessions.js";

export class PavlConfigError extends Error {}

export type PavlConfig = { host: string; port: number; options: PavlOptions };

/** The demo's registration in Guichet (demo data): known to all, never used in production. */
export const DEMO_CLIENT = {
  clientId: "guichet-demo-pavl",
  clientSecret: "pavl-demo-secret-connu-de-tous-jamais-en-production",
} as const;

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function readPavlConfig(env: NodeJS.ProcessEnv = process.env): PavlConfig {
  const port = portOf(env.PAVL_PORT || "3001");
  const issuer = urlOf(env, "PAVL_ISSUER", "http://localhost:3000/oidc");
  const publicUrl = urlOf(env, "PAVL_PUBLIC_URL", `http://localhost:${port}`);
  if (publicUrl.pathname !== "/" || publicUrl.search || publicUrl.hash) {
    throw new PavlConfigError("PAVL_PUBLIC_URL must be an origin, such as https://pavl.example.gouv.qc.ca");
  }
  const production = env.NODE_ENV === "production";
  // Plain http is for a Guichet on this very machine, in development; anything else must be https.
  const allowInsecure = issuer.protocol === "http:" && LOOPBACK_HOSTS.has(issuer.hostname) && !production;
  if (issuer.protocol !== "https:" && !allowInsecure) {
    throw new PavlConfigError("PAVL_ISSUER must use https (http only for localhost, outside production)");
  }
  const cookieSecret = env.PAVL_COOKIE_SECRET || randomToken();
  if (cookieSecret.length < 32)
    throw new PavlConfigError("PAVL_COOKIE_SECRET must be at least 32 characters");
  const clientId = env.PAVL_CLIENT_ID || DEMO_CLIENT.clientId;
  const clientSecret = env.PAVL_CLIENT_SECRET || DEMO_CLIENT.clientSecret;
  if (production && clientSecret === DEMO_CLIENT.clientSecret) {
    throw new PavlConfigError("PAVL_CLIENT_SECRET must be set in production (the demo secret is public)");
  }
  return {
    host: env.PAVL_HOST || "localhost",
    port,
    options: { issuer, clientId, clientSecret, publicUrl, cookieSecret, allowInsecure, logger: true },
  };
}

function urlOf(env: NodeJS.ProcessEnv, name: string, fallback: string): URL {
  const value = env[name] || fallback;
  if (!URL.canParse(value)) throw new PavlConfigError(`${name} is not a URL: ${value}`);
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new PavlConfigError(`${name} must be http(s)`);
  return url;
}

function portOf(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new PavlConfigError(`PAVL_PORT must be a port number: ${value}`);
  }
  return port;
}
