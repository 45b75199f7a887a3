// nginx in front of several Guichet servers, for the load benchmark: its own configuration, pid, logs and temporary
// paths in a directory of its own, run in the foreground as the current user, stopped at the end.
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const CANDIDATES = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx", "/usr/local/bin/nginx"];

/** The nginx binary (NGINX names one), or undefined when none is installed. */
export function findNginx(): string | undefined {
  const onPath = (process.env.PATH ?? "").split(":").map((dir) => join(dir, "nginx"));
  const candidates = process.env.NGINX ? [process.env.NGINX] : [...CANDIDATES, ...onPath];
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** One line per request: when it ended (epoch seconds, ms precision), how long it took, and which upstreams served it. */
const LOG_FORMAT = `'$msec $request_time $request_method $status "$upstream_addr" "$upstream_status"'`;

/**
 * GETs (idempotent) go to the other server when one fails to answer (a refused connection, a reset, a 502 or 503);
 * a POST already sent is never sent again (nginx's default without `non_idempotent`), only one whose connection was
 * refused before anything was sent.
 */
function configuration(dir: string, port: number, upstreams: number[]): string {
  const root = process.getuid?.() === 0;
  return `${root ? `user ${userInfo().username};\n` : ""}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  log_format load ${LOG_FORMAT};
  access_log ${dir}/access.log load;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 200m;
  upstream guichet {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join("\n")}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://guichet;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }
  }
}
`;
}

export type Nginx = {
  origin: string;
  accessLog: string;
  stop(): Promise<void>;
};

/** Starts nginx on 127.0.0.1:port in front of the upstream ports; resolves once `probePath` answers 200 through it. */
export async function startNginx(options: {
  binary: string;
  dir: string;
  port: number;
  upstreams: number[];
  probePath: string;
}): Promise<Nginx> {
  const { binary, dir, port } = options;
  const conf = join(dir, "nginx.conf");
  await writeFile(conf, configuration(dir, port, options.upstreams));
  const child: ChildProcess = spawn(binary, ["-p", dir, "-c", conf, "-e", join(dir, "error.log")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGQUIT: a graceful stop, its workers finish what they serve; SIGTERM would do too.
    child.kill("SIGQUIT");
    await Promise.race([exited, sleep(5000).then(() => child.kill("SIGKILL"))]);
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = await readFile(join(dir, "error.log"), "utf8").catch(() => "");
      throw new Error(`nginx stopped (${child.exitCode}): ${stderr}${log}`);
    }
    const ok = await fetch(`${origin}${options.probePath}`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not answer on ${origin}: ${stderr}`);
    }
    await sleep(100);
  }
  return { origin, accessLog: join(dir, "access.log"), stop };
}

export type AccessEntry = {
  endedAtMs: number;
  durationMs: number;
  method: string;
  status: number;
  upstreams: string[];
  upstreamStatuses: string[];
};

export async function readAccessLog(path: string): Promise<AccessEntry[]> {
  const text = await readFile(path, "utf8");
  const entries: AccessEntry[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\d+\.\d+) (\d+\.\d+) (\S+) (\d+) "([^"]*)" "([^"]*)"$/.exec(line);
    if (!match) continue;
    entries.push({
      endedAtMs: Number(match[1]) * 1000,
      durationMs: Number(match[2]) * 1000,
      method: match[3] ?? "",
      status: Number(match[4]),
      upstreams: (match[5] ?? "").split(/, | : /).filter((s) => s !== "" && s !== "-"),
      upstreamStatuses: (match[6] ?? "").split(/, | : /).filter((s) => s !== "" && s !== "-"),
    });
  }
  return entries;
}
