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

/** An account with an authenticator app, for sign-ins that go through the second step. */
export type TotpAccount = { userCode: string; secret: string };

/**
 * A closed loop of whole sign-ins with a second factor: POST /connexion with a user code and password, then
 * POST /connexion/verification with the code computed from the account's secret. A code works once per account, so
 * each sign-in takes an account that has not signed in during the current 30-second step.
 */
export type TotpSignInJob = Omit<ClosedLoopJob, "kind" | "requests"> & {
  kind: "totp";
  accounts: TotpAccount[];
  password: string;
  /** A CSRF secret cookie ("name=value") and a token made for it. */
  csrf: { cookie: string; token: string };
  /** The name of the cookie that carries a sign-in between its two steps. */
  pendingCookie: string;
};

export type Job = ClosedLoopJob | PacedJob | TotpSignInJob;

export type ClosedLoopResult = {
  kind: "closed";
  /** Answers ended inside the counting window, by status code (or by a label saying which step failed). */
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
  /** For second-factor sign-ins: how often a connection found every account used in the current step and waited. */
  accountWaits?: number;
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
