// Messages between the benchmark driver and its load-generating worker threads.

/** One HTTP request, sent as is (headers and body fixed in advance). */
export type RequestSpec = {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
};

/** A closed loop: `concurrency` keep-alive connections, each sending its request again as soon as the last answer ends. */
export type ClosedLoopJob = {
  kind: "closed";
  origin: string;
  /** Connection i sends requests[i % requests.length]. */
  requests: RequestSpec[];
  concurrency: number;
  durationMs: number;
  /** Answers ending in the first rampMs are not counted, so the rate is the steady one. */
  rampMs: number;
};

/** A paced stream: one keep-alive connection per path, one request every intervalMs. */
export type PacedJob = {
  kind: "paced";
  origin: string;
  paths: string[];
  intervalMs: number;
  startDelayMs: number;
  durationMs: number;
};

export type Job = ClosedLoopJob | PacedJob;

export type ClosedLoopResult = {
  kind: "closed";
  /** Answers ended inside the counting window, by status code. */
  statuses: Record<string, number>;
  completed: number;
  errors: number;
  windowMs: number;
  /** Latency of each counted answer, in milliseconds. */
  latenciesMs: number[];
  /** Every answer, counted or not (ramp and tail included), for per-request CPU costs. */
  answered: number;
  /** CPU time of the load generator's thread over the whole job. */
  cpuMs: number;
};

export type PacedResult = {
  kind: "paced";
  perPath: { path: string; statuses: Record<string, number>; errors: number; latenciesMs: number[] }[];
  cpuMs: number;
};

export type JobResult = ClosedLoopResult | PacedResult;

export type WorkerMessage =
  | { kind: "ready" }
  | { kind: "done"; result: JobResult }
  | { kind: "failed"; error: string };
