// The example relying service PAVL (examples/pavl) as a child process, and the demo's registration of it in Guichet
// pointed at the port it was given, for journeys across the two processes.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { DEMO_EXTERNAL_SERVICE } from "../../src/features/demo/demo.data.js";
import { offline, readOffline } from "./offline-database.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUTPUT_KEPT = 64 * 1024;

export type PavlProcess = {
  child: ChildProcess;
  /** The end of what PAVL printed (its request log among it), to name in a failure. */
  output(): string;
};

/** Starts `tsx examples/pavl/server.ts` with this issuer, port and public origin; resolves once it listens. */
export async function startPavlProcess(
  settings: { port: number; publicUrl: string; issuer: string },
  timeoutMs = 60_000,
): Promise<PavlProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/pavl/server.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PAVL_HOST: "127.0.0.1",
      PAVL_PORT: String(settings.port),
      PAVL_PUBLIC_URL: settings.publicUrl,
      PAVL_ISSUER: settings.issuer,
      NODE_ENV: "development",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  // Read to the end, always: a pipe left full would stall PAVL in the middle of a journey.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`PAVL did not start:\n${output}`)), timeoutMs);
      const listening = () => {
        if (!output.includes("PAVL — Programme d'aide à la voirie locale :")) return;
        clearTimeout(timer);
        child.stdout?.off("data", listening);
        resolve();
      };
      child.stdout?.on("data", listening);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`PAVL stopped (${code}):\n${output}`));
      });
    });
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  child.removeAllListeners("exit");
  return { child, output: () => output };
}

/**
 * Points the demo's registration of PAVL (redirect, post-logout and back-channel logout URIs, and the catalogue's link)
 * at `origin` instead of http://localhost:3001, in the database that `env` configures. The server must not be running:
 * an embedded database on disk is opened by one process at a time.
 */
export async function registerDemoPavlAt(env: NodeJS.ProcessEnv, origin: string): Promise<void> {
  const demo = DEMO_EXTERNAL_SERVICE;
  const { clients } = await readOffline(env, {
    clients: offline
      .updateTable("oidc_client")
      .set({
        redirect_uris: sql<string[]>`array[${`${origin}/auth/callback`}]::text[]`,
        post_logout_redirect_uris: sql<string[]>`array[${`${origin}/`}]::text[]`,
        backchannel_logout_uri: `${origin}/auth/backchannel-logout`,
      })
      .where("client_id", "=", demo.clientId)
      .returning("online_service_id"),
    services: offline
      .updateTable("online_service")
      .set({ external_url: origin })
      .where("code", "=", demo.code)
      .returning("id"),
  });
  if (clients.length !== 1) throw new Error(`the demo client ${demo.clientId} is not in the database`);
}
