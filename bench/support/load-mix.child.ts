// The load benchmark's load generator, a process of its own: journeys of real pages and forms (CSRF tokens and one-time
// keys read from each page, as a browser does), started at a fixed pace whatever the answers' speed (an open loop, so a
// slow server shows as latency, never as a lower rate hidden by waiting clients), every request timed.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type {
  Ack,
  ChildMessage,
  ControllerMessage,
  ScenarioName,
  WindowSummary,
  World,
} from "./load-mix-types.js";
import { percentile, round, summarize } from "./stats.js";

/** Each scenario's share of the requests, and how many requests one journey of it makes. */
const MIX: Record<ScenarioName, { share: number; length: number }> = {
  browse: { share: 0.55, length: 1 },
  signIn: { share: 0.1, length: 3 },
  grant: { share: 0.12, length: 4 },
  save: { share: 0.1, length: 3 },
  transfer: { share: 0.13, length: 5 },
};

const MAX_JOURNEYS_IN_FLIGHT = 256;

type Dropped = { scenario: ScenarioName; at: number };

type Sample = { scenario: ScenarioName; startedAt: number; endedAt: number; error?: string };

class JourneyFailed extends Error {}

/** A browser's cookies for one journey: the person's session, and what the journey's answers set (a flash). */
class Jar {
  readonly #cookies = new Map<string, string>();
  constructor(header = "") {
    for (const pair of header.split(/;\s*/)) {
      const at = pair.indexOf("=");
      if (at > 0) this.#cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  take(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(/;\s*/);
      const at = pair.indexOf("=");
      if (at <= 0) continue;
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      const gone = value === "" || attributes.some((a) => /^max-age=0$/i.test(a));
      if (gone) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  get(name: string): string | undefined {
    return [...this.#cookies].find(([key]) => key.endsWith(name))?.[1];
  }
}

type Reply = { status: number; body: string; location: string | undefined; setCookies: string[] };

class Pool<T> {
  readonly #free: T[];
  constructor(items: readonly T[]) {
    this.#free = [...items];
  }
  take(): T | undefined {
    return this.#free.shift();
  }
  give(item: T): void {
    this.#free.push(item);
  }
}

const decode = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

function pick(body: string, pattern: RegExp, what: string): string {
  const found = pattern.exec(body)?.[1];
  if (found === undefined) throw new JourneyFailed(`no ${what}`);
  return decode(found);
}

const csrfOf = (body: string) => pick(body, /name="_csrf" value="([^"]+)"/, "CSRF token");
const keyOf = (body: string) => pick(body, /name="cle" value="([^"]+)"/, "one-time key");

class Mix {
  readonly #world: World;
  readonly #origin: URL;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  #samples: Sample[] = [];
  readonly acks: Ack[] = [];
  #dropped: Dropped[] = [];
  readonly #pools: {
    grant: Pool<string>;
    save: Pool<string>;
    transfer: Pool<string>;
  };
  readonly #file: Buffer;
  #turn = 0;
  #marker = 0;

  constructor(world: World) {
    this.#world = world;
    this.#origin = new URL(world.origin);
    this.#pools = {
      grant: new Pool(world.grant.grantees),
      save: new Pool(world.save.applications),
      transfer: new Pool(world.transfer.senders),
    };
    this.#file = Buffer.from(world.transfer.fileBase64, "base64");
  }

  /** One request; its time is recorded, and an answer other than `expect` ends the journey as an error. */
  async #request(
    scenario: ScenarioName,
    jar: Jar,
    method: "GET" | "POST",
    path: string,
    expect: number,
    body?: { contentType: string; data: Buffer | string },
  ): Promise<Reply> {
    const headers: Record<string, string> = { cookie: jar.header() };
    if (body) {
      headers["content-type"] = body.contentType;
      headers["content-length"] = String(Buffer.byteLength(body.data));
    }
    const startedAt = performance.now();
    const sample: Sample = { scenario, startedAt, endedAt: startedAt };
    this.#samples.push(sample);
    let reply: Reply;
    try {
      reply = await new Promise<Reply>((resolve, reject) => {
        const request = http.request(
          {
            agent: this.#agent,
            host: this.#origin.hostname,
            port: this.#origin.port,
            method,
            path,
            headers,
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("error", reject);
            response.on("end", () =>
              resolve({
                status: response.statusCode ?? 0,
                body: Buffer.concat(chunks).toString("utf8"),
                location: response.headers.location,
                setCookies: response.headers["set-cookie"] ?? [],
              }),
            );
          },
        );
        request.setTimeout(60_000, () => request.destroy(new Error("timeout")));
        request.on("error", reject);
        request.end(body?.data);
      });
    } catch (error) {
      sample.endedAt = performance.now();
      sample.error = `${scenario} ${method} ${error instanceof Error ? error.message : String(error)}`;
      throw new JourneyFailed(sample.error);
    }
    sample.endedAt = performance.now();
    jar.take(reply.setCookies);
    if (reply.status !== expect) {
      sample.error = `${scenario} ${method} ${reply.status}`;
      throw new JourneyFailed(sample.error);
    }
    return reply;
  }

  #form(fields: Record<string, string>): { contentType: string; data: string } {
    return { contentType: "application/x-www-form-urlencoded", data: new URLSearchParams(fields).toString() };
  }

  async browse(): Promise<void> {
    const roles = this.#world.browse;
    const role = roles[this.#turn++ % roles.length];
    if (!role) return;
    const page = role.pages[Math.floor(Math.random() * role.pages.length)] ?? "/";
    await this.#request("browse", new Jar(role.cookie), "GET", page, 200);
  }

  async signIn(): Promise<void> {
    const accounts = this.#world.signIns;
    const userCode = accounts[this.#turn++ % accounts.length] ?? "";
    const jar = new Jar();
    const form = await this.#request("signIn", jar, "GET", "/connexion", 200);
    const answer = await this.#request(
      "signIn",
      jar,
      "POST",
      "/connexion",
      303,
      this.#form({ userCode, password: this.#world.password, _csrf: csrfOf(form.body) }),
    );
    if (answer.location !== "/") throw new JourneyFailed(`sign-in led to ${answer.location}`);
    await this.#request("signIn", jar, "GET", "/", 200);
  }

  async grant(userCode: string): Promise<void> {
    const { registry, right, cookie } = this.#world.grant;
    const jar = new Jar(cookie);
    const query = new URLSearchParams({ utilisateur: userCode, droit: right });
    const confirm = await this.#request(
      "grant",
      jar,
      "GET",
      `${registry}/inscription/confirmation?${query}`,
      200,
    );
    const key = keyOf(confirm.body);
    await this.#request(
      "grant",
      jar,
      "POST",
      `${registry}/inscription`,
      303,
      this.#form({ utilisateur: userCode, droit: right, fin: "", cle: key, _csrf: csrfOf(confirm.body) }),
    );
    this.acks.push({ kind: "grant", key, userCode, right });
    const list = await this.#request("grant", jar, "GET", registry, 200);
    const from = list.body.indexOf(`(${userCode})`);
    if (from < 0) throw new JourneyFailed("the granted person is not in the registry");
    const grantId = Number(pick(list.body.slice(from), /\/droits\/(\d+)\//, "grant id"));
    await this.#request(
      "grant",
      jar,
      "POST",
      `${registry}/droits/${grantId}/retrait`,
      303,
      this.#form({ _csrf: csrfOf(list.body) }),
    );
    this.acks.push({ kind: "revoke", grantId });
  }

  async save(path: string): Promise<void> {
    const jar = new Jar(this.#world.save.cookie);
    const page = await this.#request("save", jar, "GET", path, 200);
    const revision = pick(page.body, /name="revision" value="(\d+)"/, "revision");
    const marker = `charge-${process.pid}-${++this.#marker}`;
    const fields = this.#world.save.fields;
    await this.#request(
      "save",
      jar,
      "POST",
      path,
      303,
      this.#form({
        ...fields,
        description: `${fields.description ?? ""} (${marker})`,
        revision,
        _csrf: csrfOf(page.body),
      }),
    );
    this.acks.push({ kind: "save", number: Number(path.split("/").at(-1)), marker });
    await this.#request("save", jar, "GET", path, 200);
  }

  async transfer(cookie: string): Promise<void> {
    const { recipient, fileName } = this.#world.transfer;
    const jar = new Jar(cookie);
    const sendPage = `/transfert-fichiers?destinataire=${encodeURIComponent(recipient)}`;
    const page = await this.#request("transfer", jar, "GET", sendPage, 200);
    const action = pick(
      page.body,
      /<form method="post" action="([^"]*\/fichiers\?_csrf=[^"]*)"/,
      "upload form",
    );
    const boundary = `----guichetcharge${process.pid}${++this.#marker}`;
    const multipart = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename*=UTF-8''${encodeURIComponent(fileName)}\r\n` +
          "Content-Type: application/pdf\r\n\r\n",
      ),
      this.#file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    await this.#request("transfer", jar, "POST", action, 303, {
      contentType: `multipart/form-data; boundary=${boundary}`,
      data: multipart,
    });
    const ready = await this.#request("transfer", jar, "GET", sendPage, 200);
    await this.#request(
      "transfer",
      jar,
      "POST",
      `/transfert-fichiers/${encodeURIComponent(recipient)}/transferer`,
      303,
      this.#form({
        brouillon: pick(ready.body, /name="brouillon" value="(\d+)"/, "draft"),
        certification: "1",
        cle: keyOf(ready.body),
        _csrf: csrfOf(ready.body),
      }),
    );
    // The confirmation number travels in the signed flash cookie the answer sets.
    const flash = decodeURIComponent(jar.get("flash") ?? "");
    const number = /"number":"?(\d+)/.exec(flash)?.[1];
    if (!number) throw new JourneyFailed("no confirmation number in the answer");
    this.acks.push({ kind: "transfer", confirmationNumber: Number(number) });
    await this.#request("transfer", jar, "GET", "/transfert-fichiers", 200);
  }

  /** One journey of a scenario; false when every person of a stateful scenario is busy with a journey already. */
  journey(scenario: ScenarioName): Promise<void> | false {
    const guard = (promise: Promise<void>) => promise.catch((error: unknown) => this.#journeyError(error));
    if (scenario === "browse") return guard(this.browse());
    if (scenario === "signIn") return guard(this.signIn());
    const pool = this.#pools[scenario];
    const item = pool.take();
    if (item === undefined) {
      this.#dropped.push({ scenario, at: performance.now() });
      return false;
    }
    const run =
      scenario === "grant" ? this.grant(item) : scenario === "save" ? this.save(item) : this.transfer(item);
    // A person whose journey failed half-way may hold a right the journey never revoked (its grant committed, the
    // answer lost with a killed server): the person leaves the pool rather than fail every later journey.
    return run.then(
      () => pool.give(item),
      (error: unknown) => {
        if (scenario !== "grant") pool.give(item);
        this.#journeyError(error);
      },
    );
  }

  #journeyError(error: unknown): void {
    if (error instanceof JourneyFailed) return; // already recorded on its request
    this.#samples.push({
      scenario: "browse",
      startedAt: performance.now(),
      endedAt: performance.now(),
      error: `bug ${String(error)}`,
    });
  }

  /** Journeys of every scenario, each at its share of `rps` requests per second, for durationMs. */
  async open(
    rps: number,
    durationMs: number,
    onStart: () => void,
  ): Promise<{ samples: Sample[]; dropped: Dropped[]; start: number }> {
    this.#samples = [];
    this.#dropped = [];
    const start = performance.now() + 20;
    const deadline = start + durationMs;
    const inFlight = new Set<Promise<void>>();
    onStart();
    await Promise.all(
      Object.entries(MIX).map(async ([name, { share, length }], index) => {
        const scenario = name as ScenarioName;
        const intervalMs = 1000 / ((rps * share) / length);
        // Scenarios start out of step, so that their journeys do not all leave on the same millisecond.
        for (let i = 0; ; i++) {
          const due = start + (index / 5 + i) * intervalMs;
          if (due >= deadline) break;
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
          // Past this many journeys under way the server is far behind: a journey more is dropped (an error), so an
          // overloaded run still ends on time instead of queueing without bound.
          if (inFlight.size >= MAX_JOURNEYS_IN_FLIGHT) {
            this.#dropped.push({ scenario, at: performance.now() });
            continue;
          }
          const journey = this.journey(scenario);
          if (journey) {
            inFlight.add(journey);
            void journey.finally(() => inFlight.delete(journey));
          }
        }
      }),
    );
    await Promise.all(inFlight);
    return { samples: this.#samples, dropped: this.#dropped, start };
  }

  /** About `requests` requests of the same mix, one journey at a time, scenarios interleaved. */
  async serial(requests: number): Promise<{ samples: Sample[]; dropped: Dropped[]; start: number }> {
    this.#samples = [];
    this.#dropped = [];
    const order: ScenarioName[] = [];
    for (const [name, { share, length }] of Object.entries(MIX)) {
      const journeys = Math.max(1, Math.round((requests * share) / length));
      for (let i = 0; i < journeys; i++) order.push(name as ScenarioName);
    }
    // A fixed shuffle, the same in every run.
    let seed = 7;
    for (let i = order.length - 1; i > 0; i--) {
      seed = (seed * 48271) % 2147483647;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j] as ScenarioName, order[i] as ScenarioName];
    }
    const start = performance.now();
    for (const scenario of order) await this.journey(scenario);
    return { samples: this.#samples, dropped: this.#dropped, start };
  }
}

function summarizeWindow(
  samples: Sample[],
  dropped: { scenario: ScenarioName }[],
  windowMs: number,
): WindowSummary {
  const errorKinds: Record<string, number> = {};
  for (const sample of samples) {
    if (sample.error) errorKinds[sample.error] = (errorKinds[sample.error] ?? 0) + 1;
  }
  for (const drop of dropped) {
    const kind = `${drop.scenario} dropped: every person busy, or too many journeys under way`;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  }
  const perScenario: WindowSummary["perScenario"] = {};
  for (const name of Object.keys(MIX)) {
    const own = samples.filter((s) => s.scenario === name);
    perScenario[name] = {
      requests: own.length,
      errors: own.filter((s) => s.error).length,
      p99: round(
        percentile(
          own.map((s) => s.endedAt - s.startedAt),
          99,
        ),
      ),
    };
  }
  return {
    requests: samples.length,
    errors: samples.filter((s) => s.error).length + dropped.length,
    errorKinds,
    dropped: dropped.length,
    achievedRps: round((samples.length * 1000) / windowMs, 1),
    latencyMs: summarize(samples.map((s) => s.endedAt - s.startedAt)),
    perScenario,
  };
}

let mix: Mix | undefined;

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function handle(message: ControllerMessage): Promise<void> {
  if (message.kind === "world") {
    mix = new Mix(message.world);
    send({ kind: "ready" });
    return;
  }
  if (!mix) throw new Error("no world yet");
  if (message.kind === "acks") {
    send({ kind: "acks", acks: mix.acks });
    return;
  }
  if (message.kind === "serial") {
    const { samples, dropped, start } = await mix.serial(message.requests);
    send({ kind: "phase", before: summarizeWindow(samples, dropped, performance.now() - start) });
    return;
  }
  const { rps, durationMs, splitAtMs } = message;
  const { samples, dropped, start } = await mix.open(rps, durationMs, () =>
    send({ kind: "started", atEpochMs: Date.now() + 20 }),
  );
  if (splitAtMs === undefined) {
    send({ kind: "phase", before: summarizeWindow(samples, dropped, durationMs) });
    return;
  }
  // Before: requests that ended before the split. After: every other, those in flight at the split included.
  const split = start + splitAtMs;
  send({
    kind: "phase",
    before: summarizeWindow(
      samples.filter((s) => s.endedAt < split),
      dropped.filter((d) => d.at < split),
      splitAtMs,
    ),
    after: summarizeWindow(
      samples.filter((s) => s.endedAt >= split),
      dropped.filter((d) => d.at >= split),
      durationMs - splitAtMs,
    ),
  });
}

process.on("message", (message: ControllerMessage) => {
  handle(message).catch((error: unknown) =>
    send({ kind: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
