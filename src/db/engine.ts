// The embedded engine (PGlite, PostgreSQL compiled to WebAssembly), on the event loop's thread or on a thread of its
// own. The database layer sees one interface either way: a statement goes in as one buffer of protocol messages and
// comes back as the backend's bytes, parsed on the caller's side (engine-driver.ts).
//
// On its own thread, the engine's work (planning, executing, writing pages) no longer holds the event loop: a request
// that needs no database (a page rendered from memory, a decision answered from the read cache) is served while
// another request's statement runs. A statement then costs one message each way (the bytes are transferred, not
// copied) and a second parse of the answer (the engine parses what it sends; that parse stays on its thread).
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { PGlite, types } from "@electric-sql/pglite";

/** What the database layer asks of an embedded engine; PGlite itself is never reached around it. */
export interface Engine {
  /** Where the engine runs: "main" on the event loop's thread, "worker" on its own. */
  readonly thread: "main" | "worker";
  /** How a value of each type is read from its text: PGlite's own, the server mode's three, and arrays of each. */
  readonly parsers: EngineParsers;
  /** One buffer of protocol messages; the backend's answer, errors included as ErrorResponse messages. */
  protocol(message: Uint8Array, syncToFs: boolean): Promise<Uint8Array>;
  /** A script of statements without parameters (migrations, search_path); throws the engine's error. */
  exec(script: string): Promise<void>;
  /** One statement with parameters, its rows as the engine's parsers make them (migrations' bookkeeping). */
  query<R>(text: string, parameters?: readonly unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export type EngineParsers = Record<number, (text: string, typeId?: number) => unknown>;

/**
 * PGlite's parsers with the given ones over them (int8, bytea and date as the server mode returns them, database.ts),
 * and one for the array type of each, as PGlite builds its own from the catalogue.
 */
async function parsersOf(engine: Pick<Engine, "query">, own: EngineParsers): Promise<EngineParsers> {
  const parsers: EngineParsers = { ...(types.parsers as EngineParsers), ...own };
  const arrays = await engine.query<{ oid: number; typarray: number }>(
    `select b.oid, b.typarray from pg_catalog.pg_type a
       left join pg_catalog.pg_type b on b.oid = a.typelem
       where a.typcategory = 'A'
       group by b.oid, b.typarray`,
  );
  for (const { oid, typarray } of arrays) {
    const element = parsers[oid] as types.Parser;
    parsers[typarray] = (text) => types.arrayParser(text, element, typarray);
  }
  return parsers;
}

/** PGlite on the event loop's thread. */
export class InThreadEngine implements Engine {
  readonly thread = "main";
  parsers: EngineParsers = {};
  readonly #pglite: PGlite;

  private constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  static async open(dataDir: string | undefined, parsers: EngineParsers): Promise<InThreadEngine> {
    const engine = new InThreadEngine(await PGlite.create(dataDir, { parsers }));
    engine.parsers = await parsersOf(engine, parsers);
    return engine;
  }

  async protocol(message: Uint8Array, syncToFs: boolean): Promise<Uint8Array> {
    const { data } = await this.#pglite.execProtocol(message, { syncToFs, throwOnError: false });
    return data;
  }

  async exec(script: string): Promise<void> {
    await this.#pglite.exec(script);
  }

  async query<R>(text: string, parameters: readonly unknown[] = []): Promise<R[]> {
    return (await this.#pglite.query<R>(text, [...parameters])).rows;
  }

  close(): Promise<void> {
    return this.#pglite.close();
  }
}

type Reply = { id: number; result?: unknown; error?: Record<string, unknown> };

/** An error thrown on the engine's thread, rebuilt with its fields (code, detail, …) on this side. */
function rebuilt(fields: Record<string, unknown>): Error {
  const error = new Error(typeof fields.message === "string" ? fields.message : "embedded engine error");
  for (const [key, value] of Object.entries(fields)) if (key !== "stack") Reflect.set(error, key, value);
  return error;
}

/** PGlite on a worker thread (engine-worker.mjs). Calls are answered in order; the caller's lock keeps one at a time. */
export class WorkerEngine implements Engine {
  readonly thread = "worker";
  parsers: EngineParsers = {};
  readonly #worker: Worker;
  readonly #waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #next = 1;
  #failed: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (reply: Reply) => {
      const waiting = this.#waiting.get(reply.id);
      if (!waiting) return;
      this.#waiting.delete(reply.id);
      if (reply.error) waiting.reject(rebuilt(reply.error));
      else waiting.resolve(reply.result);
    });
    const fail = (error: Error) => {
      this.#failed = error;
      for (const waiting of this.#waiting.values()) waiting.reject(error);
      this.#waiting.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the embedded engine's thread exited (${code})`)));
  }

  static async open(dataDir: string | undefined, parsers: EngineParsers): Promise<WorkerEngine> {
    const worker = new Worker(new URL("./engine-worker.mjs", import.meta.url), { workerData: { dataDir } });
    // The thread must not keep a finished process alive (a test process, a CLI command that forgot to close).
    worker.unref();
    const engine = new WorkerEngine(worker);
    await engine.#call("ready", {});
    engine.parsers = await parsersOf(engine, parsers);
    return engine;
  }

  #call<T>(op: string, args: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ id, op, args }, transfer);
    });
  }

  protocol(message: Uint8Array, syncToFs: boolean): Promise<Uint8Array> {
    // The message is the caller's own fresh buffer: handed over, not copied.
    const whole = message.byteOffset === 0 && message.byteLength === message.buffer.byteLength;
    const transfer = whole && message.buffer instanceof ArrayBuffer ? [message.buffer] : [];
    return this.#call("protocol", { message, syncToFs }, transfer);
  }

  async exec(script: string): Promise<void> {
    await this.#call("exec", { script });
  }

  query<R>(text: string, parameters: readonly unknown[] = []): Promise<R[]> {
    return this.#call("query", { text, parameters: [...parameters] });
  }

  async close(): Promise<void> {
    if (this.#failed) return;
    await this.#call("close", {});
    const exited = once(this.#worker, "exit");
    await this.#worker.terminate();
    await exited.catch(() => undefined);
  }
}
