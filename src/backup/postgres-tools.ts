// PostgreSQL's own client programs (pg_dump, pg_restore), run with an argument array and the connection given through
// libpq's environment variables: the password never appears on a command line, in `ps` or in a message.
import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BackupRefusal } from "./manifest.js";

/** libpq's variables for the query parameters of a connection URL that the client programs understand. */
const PARAMETERS: Record<string, string> = {
  host: "PGHOST",
  port: "PGPORT",
  options: "PGOPTIONS",
  sslmode: "PGSSLMODE",
  sslrootcert: "PGSSLROOTCERT",
  sslcert: "PGSSLCERT",
  sslkey: "PGSSLKEY",
  application_name: "PGAPPNAME",
  connect_timeout: "PGCONNECT_TIMEOUT",
};

/** The environment that connects pg_dump or pg_restore to the database of `url`, and that database's name. */
export function libpqEnvironment(url: string): { env: NodeJS.ProcessEnv; database: string } {
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  // An ambient connection string or service file must not send a client program elsewhere.
  for (const name of ["PGSERVICE", "PGSERVICEFILE", "PGDATABASE"]) delete env[name];
  if (parsed.hostname) env.PGHOST = decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, ""));
  if (parsed.port) env.PGPORT = parsed.port;
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  for (const [name, value] of parsed.searchParams) {
    const variable = PARAMETERS[name];
    if (variable) env[variable] = value;
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!database || database.includes("="))
    throw new BackupRefusal("DATABASE_URL doit nommer la base de données (postgres://hôte/base).");
  env.PGDATABASE = database;
  return { env, database };
}

/** The major version of a client program (`pg_dump (PostgreSQL) 15.20 (Debian …)` gives 15). */
export async function toolMajor(tool: string): Promise<number> {
  let output = "";
  await runTool(tool, ["--version"], process.env, {
    stdout: async (out) => {
      for await (const chunk of out) output += String(chunk);
    },
  });
  const major = /\(PostgreSQL\)\s+(\d+)/.exec(output)?.[1];
  if (!major)
    throw new BackupRefusal(
      `${tool} --version ne donne pas de version reconnaissable : « ${output.trim()} ».`,
    );
  return Number(major);
}

/** A client program of major version `tool` can read or write for a server of major version `server` only if newer or equal. */
export function assertToolFitsServer(tool: string, toolVersion: number, serverVersion: number): void {
  if (toolVersion >= serverVersion) return;
  throw new BackupRefusal(
    `${tool} ${toolVersion} ne peut pas servir un serveur PostgreSQL ${serverVersion} : installez ` +
      `${tool} ${serverVersion} ou plus récent (paquet postgresql-client-${serverVersion}), puis recommencez.`,
  );
}

type Streams = { stdin?: Readable; stdout?: (out: Readable) => Promise<void> };

/** Runs a client program; resolves when it exits with 0, otherwise fails with its own error text (never the URL). */
export async function runTool(
  tool: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  streams: Streams = {},
): Promise<void> {
  const child = spawn(tool, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => {
    if (errors.length < 16_000) errors += chunk.toString();
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new BackupRefusal(
              `${tool} est introuvable : installez le client PostgreSQL (paquet postgresql-client).`,
            )
          : error,
      ),
    );
    child.once("close", (code) => resolve(code ?? 1));
  });
  const work: Promise<unknown>[] = [exited];
  if (streams.stdin) work.push(pipeline(streams.stdin, child.stdin));
  else child.stdin.end();
  if (streams.stdout) work.push(streams.stdout(child.stdout));
  else child.stdout.resume();
  const [code] = await Promise.all(work);
  if (code !== 0) throw new BackupRefusal(`${tool} a échoué (code ${code}) :\n${errors.trim()}`);
}
