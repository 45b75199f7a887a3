// Drives load-generating worker threads: one job at a time per worker, several workers at once.
import { Worker } from "node:worker_threads";
import type {
  ClosedLoopJob,
  ClosedLoopResult,
  Job,
  PacedJob,
  PacedResult,
  TotpSignInJob,
  WorkerMessage,
} from "./load-types.js";

export class LoadWorker {
  readonly #worker: Worker;
  readonly #ready: Promise<void>;
  #pending: { resolve: (message: WorkerMessage) => void; reject: (error: Error) => void } | undefined;

  constructor() {
    // tsx's loader reaches the worker through the inherited execArgv, so the worker can be TypeScript.
    this.#worker = new Worker(new URL("./load.worker.ts", import.meta.url));
    this.#ready = new Promise((resolve, reject) => {
      this.#pending = { resolve: () => resolve(), reject };
    });
    this.#worker.on("message", (message: WorkerMessage) => {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.resolve(message);
    });
    this.#worker.on("error", (error) => {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.reject(error);
    });
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  async #run(job: Job): Promise<WorkerMessage> {
    await this.#ready;
    if (this.#pending) throw new Error("this load worker is already running a job");
    const answer = new Promise<WorkerMessage>((resolve, reject) => {
      this.#pending = { resolve, reject };
    });
    this.#worker.postMessage(job);
    return answer;
  }

  async closed(job: Omit<ClosedLoopJob, "kind">): Promise<ClosedLoopResult> {
    const message = await this.#run({ kind: "closed", ...job });
    if (message.kind === "done" && message.result.kind === "closed") return message.result;
    throw new Error(`closed-loop job failed: ${message.kind === "failed" ? message.error : message.kind}`);
  }

  /** Whole sign-ins with a second factor, in a closed loop. */
  async totpSignIns(job: Omit<TotpSignInJob, "kind">): Promise<ClosedLoopResult> {
    const message = await this.#run({ kind: "totp", ...job });
    if (message.kind === "done" && message.result.kind === "closed") return message.result;
    throw new Error(`sign-in job failed: ${message.kind === "failed" ? message.error : message.kind}`);
  }

  async paced(job: Omit<PacedJob, "kind">): Promise<PacedResult> {
    const message = await this.#run({ kind: "paced", ...job });
    if (message.kind === "done" && message.result.kind === "paced") return message.result;
    throw new Error(`paced job failed: ${message.kind === "failed" ? message.error : message.kind}`);
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
