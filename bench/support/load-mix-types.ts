// Messages between the load benchmark's controller and the child process that drives the mix through nginx.

/** A signed-in person the mix browses as: the cookies a browser holds, and the pages reached from the home page. */
export type BrowsingRole = { role: string; cookie: string; pages: string[] };

/** Everything the mix needs, made by the controller before the first phase: sessions, people, drafts, a file. */
export type World = {
  origin: string;
  password: string;
  browse: BrowsingRole[];
  /** Accounts without a second factor, signed in again and again. */
  signIns: string[];
  grant: {
    /** The local manager's session. */
    cookie: string;
    /** /services/<code>/organisations/<id>/registre */
    registry: string;
    right: string;
    /** One grant-then-revoke journey at a time per person. */
    grantees: string[];
  };
  save: {
    /** The writer's session. */
    cookie: string;
    /** /services/<code>/demandes/<number>, one journey at a time per draft. */
    applications: string[];
    fields: Record<string, string>;
  };
  transfer: {
    /** One session per sender: a sender has one draft per recipient, so one journey at a time per sender. */
    senders: string[];
    recipient: string;
    fileName: string;
    fileBase64: string;
  };
};

export const SCENARIOS = ["browse", "signIn", "grant", "save", "transfer"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** A write the server acknowledged (a 303 after « Confirmer », « Retirer », « Enregistrer », « Transférer »). */
export type Ack =
  | { kind: "grant"; key: string; userCode: string; right: string }
  | { kind: "revoke"; grantId: number }
  | { kind: "save"; number: number; marker: string }
  | { kind: "transfer"; confirmationNumber: number };

export type WindowSummary = {
  /** Requests started in the window. */
  requests: number;
  /** Answers with an unexpected status, transport failures, and journeys dropped (no free person, or too many under way). */
  errors: number;
  errorKinds: Record<string, number>;
  dropped: number;
  /** Requests started in the window per second of it. */
  achievedRps: number;
  latencyMs: { n: number; p50: number; p90: number; p99: number; max: number };
  perScenario: Record<string, { requests: number; errors: number; p99: number }>;
};

export type ControllerMessage =
  | { kind: "world"; world: World }
  /** Journeys paced to `rps` requests per second for durationMs; answers are split at splitAtMs when given. */
  | { kind: "open"; rps: number; durationMs: number; splitAtMs?: number }
  /** About `requests` requests of the same mix, one at a time. */
  | { kind: "serial"; requests: number }
  | { kind: "acks" };

export type ChildMessage =
  | { kind: "ready" }
  | { kind: "started"; atEpochMs: number }
  | { kind: "phase"; before: WindowSummary; after?: WindowSummary }
  | { kind: "acks"; acks: Ack[] }
  | { kind: "failed"; error: string };
